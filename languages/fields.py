"""Per-language wording stored beside the source text: ``TranslationsField``.

Registry entries and Settings › Consent keep one row whatever the number of languages, so keys,
durations, name patterns, Consent Mode signals and script code are shared by construction and a
consent cookie means the same in every language. Only prose is translated: the field stores
``{"de": {"purpose": "…"}, "fr": {…}}`` for the model's ``translatable`` fields; a language or a
field left empty reads the default-language text (``translated()``). Edited in the admin as one
input per language and field, saved with the entry's revision, published with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

Translations = Mapping[str, Mapping[str, str]]


def translation_languages() -> list[tuple[str, str]]:
    """``(code, name)`` of every configured language except the default one."""
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def translated(source: Any, translations: Translations | None, language: str | None, name: str) -> str:
    """``source.<name>`` in ``language``: the translation when there is one, else the source text."""
    if language and translations and language != settings.LANGUAGE_CODE:
        text = (translations.get(language) or {}).get(name)
        if text:
            return text
    return getattr(source, name)


def translated_values(
    source: Any, translations: Translations | None, language: str | None, names: Iterable[str]
) -> dict[str, str]:
    """Every one of ``names`` in ``language`` (source text where a translation is missing)."""
    return {name: translated(source, translations, language, name) for name in names}


def translation_errors(value: object, limits: Mapping[str, int | None]) -> list[str]:
    """What is wrong with a stored translations value ([] when nothing): for imports and forms.

    ``limits`` maps each translatable field to its maximum length (None: unbounded).
    """
    if not isinstance(value, dict):
        return [str(_("must be an object of languages"))]
    known = dict(translation_languages())
    errors = []
    for language, texts in value.items():
        if language not in known:
            errors.append(
                str(_("%(code)s is not a translation language (allowed: %(allowed)s)"))
                % {"code": language, "allowed": ", ".join(known) or "-"}
            )
            continue
        if not isinstance(texts, dict):
            errors.append(f"{language}: " + str(_("must be an object of texts")))
            continue
        for name, text in texts.items():
            if name not in limits:
                errors.append(f"{language}.{name}: " + str(_("is not a translatable field")))
            elif not isinstance(text, str):
                errors.append(f"{language}.{name}: " + str(_("must be text")))
            elif (limit := limits[name]) is not None and len(text) > limit:
                errors.append(
                    f"{language}.{name}: "
                    + str(_("has %(length)d characters; at most %(limit)d are allowed"))
                    % {"length": len(text), "limit": limit}
                )
    return errors


def cleaned_translations(value: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """Stripped texts, empty ones and empty languages dropped (so they fall back to the source)."""
    cleaned: dict[str, dict[str, str]] = {}
    for language, texts in value.items():
        kept = {name: text.strip() for name, text in texts.items() if isinstance(text, str) and text.strip()}
        if kept:
            cleaned[language] = kept
    return cleaned


class TranslationsWidget(forms.Widget):
    """One input per translation language and translatable field, grouped by language."""

    template_name = "languages/widgets/translations.html"

    def __init__(self, fields: Sequence[tuple[str, str, bool]] = (), attrs: dict[str, Any] | None = None):
        self.fields = list(fields)  # (field name, label, multi-line)
        super().__init__(attrs)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        stored = value if isinstance(value, dict) else {}
        context["widget"]["languages"] = [
            {
                "code": code,
                "name": _language_name(code, label),
                "inputs": [
                    {
                        "name": f"{name}__{code}__{field}",
                        "id": f"id_{name}__{code}__{field}",
                        "label": label,
                        "multiline": multiline,
                        "value": (stored.get(code) or {}).get(field, ""),
                    }
                    for field, label, multiline in self.fields
                ],
            }
            for code, label in translation_languages()
        ]
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> dict[str, dict[str, str]]:
        return {
            code: {
                field: data.get(f"{name}__{code}__{field}", "") for field, _label, _multiline in self.fields
            }
            for code, _label in translation_languages()
        }

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(key.startswith(f"{name}__") for key in data)


def _language_name(code: str, fallback: str) -> str:
    """A language's name in its own language ("Deutsch"), for labels editors of any language read."""
    try:
        return str(get_language_info(code)["name_local"])
    except KeyError:
        return fallback


class TranslationsFormField(forms.Field):
    widget = TranslationsWidget

    def __init__(self, *, limits: Mapping[str, int | None], labels: Mapping[str, tuple[str, bool]], **kwargs):
        self.limits = dict(limits)
        kwargs.setdefault("required", False)
        kwargs["widget"] = TranslationsWidget([(name, *labels[name]) for name in self.limits])
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dict[str, dict[str, str]]:
        if not value:
            return {}
        if not isinstance(value, dict):
            raise ValidationError(_("Enter the translations in the fields given."))
        return cleaned_translations(value)

    def validate(self, value: Any) -> None:
        super().validate(value)
        errors = translation_errors(value, self.limits)
        if errors:
            raise ValidationError(errors)


class TranslationsField(models.JSONField):
    """A model's translated wording of its ``translatable`` fields (see the module docstring)."""

    def __init__(self, *args: Any, translatable: Sequence[str] = (), **kwargs: Any) -> None:
        self.translatable = tuple(translatable)
        kwargs.setdefault("default", dict)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("verbose_name", _("translations"))
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["translatable"] = list(self.translatable)
        for key, value in (("default", dict), ("blank", True)):
            if kwargs.get(key) is value:
                del kwargs[key]
        kwargs.pop("verbose_name", None)
        return name, path, args, kwargs

    def limits(self) -> dict[str, int | None]:
        return {
            name: getattr(self.model._meta.get_field(name), "max_length", None) for name in self.translatable
        }

    def labels(self) -> dict[str, tuple[str, bool]]:
        labels = {}
        for name in self.translatable:
            source = self.model._meta.get_field(name)
            labels[name] = (
                str(getattr(source, "verbose_name", name)).capitalize(),
                isinstance(source, models.TextField),
            )
        return labels

    def validate(self, value: Any, model_instance: Any) -> None:
        super().validate(value, model_instance)
        errors = translation_errors(value if value is not None else {}, self.limits())
        if errors:
            raise ValidationError(errors, code="invalid_translations")

    def formfield(self, *args: Any, **kwargs: Any) -> Any:
        return TranslationsFormField(
            limits=self.limits(), labels=self.labels(), label=self.verbose_name, help_text=self.help_text
        )
