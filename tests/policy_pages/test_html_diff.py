"""The word diff keeps every word of both versions: drop the deletions and you read the new text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from policy_pages.html_diff import diff_html

WORDS = st.sampled_from(
    ["cookie", "data", "we", "keep", "your", "12", "months", "consent", "Google", "—", "it's"]
)
PARAGRAPH = st.lists(WORDS, min_size=1, max_size=12).map(" ".join)
ROW = st.lists(WORDS, min_size=1, max_size=3).map(lambda cells: "".join(f"<td>{cell}</td>" for cell in cells))


@st.composite
def documents(draw) -> str:
    paragraphs = "".join(f"<p>{text}</p>" for text in draw(st.lists(PARAGRAPH, max_size=5)))
    rows = draw(st.lists(ROW, max_size=4))
    table = f"<table><tbody>{''.join(f'<tr>{row}</tr>' for row in rows)}</tbody></table>" if rows else ""
    aside = draw(st.one_of(st.just(""), PARAGRAPH.map(lambda text: f"<address>{text}<br>{text}</address>")))
    return paragraphs + aside + table


def words(html: str) -> list[str]:
    return re.sub(r"<[^>]+>", " ", html).split()


def without(html: str, marker: str) -> str:
    return re.sub(rf"<{marker}>.*?</{marker}>", " ", html, flags=re.DOTALL)


@settings(max_examples=200, deadline=None)
@given(documents(), documents())
def test_dropping_deletions_gives_the_new_text_and_dropping_insertions_the_old(old: str, new: str):
    diff = diff_html(old, new)
    assert words(without(diff.html, "del")) == words(new)
    assert words(without(diff.html, "ins")) == words(old)
    if words(old) != words(new):
        assert diff.has_changes
    if old == new:
        assert not diff.has_changes and diff.html == new


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text())
def test_any_input_is_diffed_without_error(old: str, new: str):
    diff = diff_html(old, new)
    assert isinstance(diff.html, str)
    if old == new:
        assert not diff.has_changes


def test_a_removed_table_row_stays_a_row():
    old = "<table><tr><td>_ga</td><td>2 years</td></tr><tr><td>_fbp</td><td>3 months</td></tr></table>"
    new = "<table><tr><td>_ga</td><td>13 months</td></tr></table>"
    assert diff_html(old, new).html == (
        "<table><tr><td>_ga</td><td><del>2 years</del><ins>13 months</ins></td></tr>"
        '<tr data-diff="removed"><td><del>_fbp</del></td><td><del>3 months</del></td></tr></table>'
    )
