"""Template filters for showing registry entries to people."""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# After a run of separators: "_hjSessionUser_*" → "_hjSessionUser_<wbr>*" (a leading "_" is kept whole).
_BREAK_AFTER = re.compile(r"(?<=[^_\-.])([_\-.]+)(?=[^_\-.])")


@register.filter(is_safe=True)
def wbr(value: object) -> SafeString:
    """Escape a cookie name and let it wrap after ``_``, ``-`` and ``.`` before anywhere else.

    ``<wbr>`` is a soft wrap opportunity the browser prefers over breaking inside a word, so on a
    phone ``cookie_consent`` becomes ``cookie_`` / ``consent`` rather than ``cookie_conse`` / ``nt``.
    """
    text = escape("" if value is None else str(value))
    return mark_safe(_BREAK_AFTER.sub(r"\1<wbr>", text))
