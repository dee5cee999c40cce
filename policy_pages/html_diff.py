"""Word-level differences between two HTML fragments, marked with ``<ins>`` and ``<del>``.

The fragments are split into tags, words and whitespace and compared with :mod:`difflib`. The result
keeps the structure of the newer fragment: inserted words are wrapped in ``<ins>``, deleted words in
``<del>``. Deleted markup that forms whole elements (a table row, a list item, a paragraph) is kept
so a removed row still shows as a row; stray deleted tags are dropped, so the output stays valid.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

# Tags, whitespace, character references, words and single punctuation marks.
TOKEN = re.compile(r"<[^>]*>|\s+|&#?\w+;|\w+|[^\w\s<]")
TAG_NAME = re.compile(r"^<\s*(/)?\s*([a-zA-Z][a-zA-Z0-9-]*)")
# Elements compared as a whole first (then word by word inside when they changed).
UNIT_ELEMENTS = frozenset(
    {"p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "dt", "dd", "blockquote"}
)
PAIRING_THRESHOLD = 0.4
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


@dataclass(frozen=True)
class HtmlDiff:
    html: str
    insertions: int
    deletions: int

    @property
    def has_changes(self) -> bool:
        return bool(self.insertions or self.deletions)


def tokenize(fragment: str) -> list[str]:
    return TOKEN.findall(fragment)


def is_tag(token: str) -> bool:
    return token.startswith("<")


def is_balanced(tokens: list[str]) -> bool:
    """Whether the tags among ``tokens`` open and close each other completely, in order."""
    stack: list[str] = []
    for token in tokens:
        if not is_tag(token) or token.startswith(("<!", "<?")):
            continue
        match = TAG_NAME.match(token)
        if not match:
            return False
        closing, name = match.group(1), match.group(2).lower()
        if name in VOID_ELEMENTS or token.rstrip(">").endswith("/"):
            continue
        if closing:
            if not stack or stack.pop() != name:
                return False
        else:
            stack.append(name)
    return not stack


def wrap_words(tokens: list[str], marker: str, keep_tags: bool) -> tuple[str, int]:
    """Wrap each run of words in ``<marker>``; tags are kept in place or dropped. Returns (html, words)."""
    out: list[str] = []
    run: list[str] = []
    words = 0

    def flush() -> None:
        if run:
            text = "".join(run)
            words_only = text.strip()
            if words_only:  # whitespace around the words stays outside the mark
                leading = text[: len(text) - len(text.lstrip())]
                trailing = text[len(text.rstrip()) :]
                out.append(f"{leading}<{marker}>{words_only}</{marker}>{trailing}")
            else:
                out.append(text)
            run.clear()

    for token in tokens:
        if is_tag(token):
            flush()
            if keep_tags:
                out.append(token)
        else:
            run.append(token)
            if not token.isspace():
                words += 1
    flush()
    return "".join(out), words


def diff_words(old_tokens: list[str], new_tokens: list[str]) -> HtmlDiff:
    """Token-level diff of two token lists; the output follows the newer structure."""
    matcher = difflib.SequenceMatcher(lambda token: token.isspace(), old_tokens, new_tokens, autojunk=False)
    out: list[str] = []
    insertions = deletions = 0
    for opcode, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if opcode == "equal":
            out.extend(new_tokens[new_start:new_end])
            continue
        if opcode in ("delete", "replace"):
            removed = old_tokens[old_start:old_end]
            html, count = wrap_words(removed, "del", keep_tags=is_balanced(removed))
            out.append(html)
            deletions += count
        if opcode in ("insert", "replace"):
            html, count = wrap_words(new_tokens[new_start:new_end], "ins", keep_tags=True)
            out.append(html)
            insertions += count
    return HtmlDiff(html="".join(out), insertions=insertions, deletions=deletions)


@dataclass(frozen=True)
class Segment:
    """A whole block element (a unit compared as one) or a single token of the frame around them."""

    tokens: tuple[str, ...]
    is_unit: bool

    @property
    def key(self) -> str:
        return "".join(self.tokens) if self.is_unit else self.tokens[0]

    @property
    def text(self) -> str:
        return " ".join(token for token in self.tokens if not is_tag(token) and not token.isspace())


def segment(tokens: list[str]) -> list[Segment]:
    """Group tokens into block units (rows, list items, paragraphs, headings) and frame tokens."""
    segments: list[Segment] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        match = TAG_NAME.match(token) if is_tag(token) else None
        if match and not match.group(1) and match.group(2).lower() in UNIT_ELEMENTS:
            name, depth, end = match.group(2).lower(), 0, index
            while end < len(tokens):
                inner = TAG_NAME.match(tokens[end]) if is_tag(tokens[end]) else None
                if inner and inner.group(2).lower() == name:
                    depth += -1 if inner.group(1) else 1
                    if depth == 0:
                        break
                end += 1
            if end < len(tokens):
                segments.append(Segment(tuple(tokens[index : end + 1]), is_unit=True))
                index = end + 1
                continue
        segments.append(Segment((token,), is_unit=False))
        index += 1
    return segments


def mark_unit(unit: Segment, marker: str) -> tuple[str, int]:
    """A whole unit that was added or removed: words wrapped, element flagged for styling."""
    tokens = list(unit.tokens)
    tokens[0] = (
        tokens[0][:-1].rstrip("/").rstrip() + f' data-diff="{"added" if marker == "ins" else "removed"}">'
    )
    return wrap_words(tokens, marker, keep_tags=True)


def skip_unit(segments: list[Segment], index: int) -> int:
    """The position after the next unit in ``segments`` from ``index`` (frame tokens before it were emitted)."""
    while index < len(segments) and not segments[index].is_unit:
        index += 1
    return index + 1


def similarity(old: Segment, new: Segment) -> float:
    """How alike two units are; rows or items starting with the same word (a cookie name) pair up."""
    old_words, new_words = old.text.split(), new.text.split()
    ratio = difflib.SequenceMatcher(None, old_words, new_words, autojunk=False).ratio()
    if old_words and new_words and old_words[0] == new_words[0] and old.tokens[0][:3] == new.tokens[0][:3]:
        ratio = max(ratio, 0.6)
    return ratio


def diff_segment_runs(old: list[Segment], new: list[Segment]) -> HtmlDiff:
    """A replaced run: pair similar units for a word diff; the rest were added or removed.

    Frame tokens of the old run (stray tags between units) are dropped; the new run's are kept.
    """
    out: list[str] = []
    insertions = deletions = 0
    old_units = [item for item in old if item.is_unit]
    old_index = new_index = 0
    old_frame_index = 0  # position in ``old`` (units and frame tokens), to emit deleted frame words in order

    def emit(result: tuple[str, int] | HtmlDiff, kind: str) -> None:
        nonlocal insertions, deletions
        if isinstance(result, HtmlDiff):
            out.append(result.html)
            insertions += result.insertions
            deletions += result.deletions
        else:
            out.append(result[0])
            if kind == "ins":
                insertions += result[1]
            else:
                deletions += result[1]

    while old_index < len(old_units) or new_index < len(new):
        # Words outside any unit (in a <div>, an <address> …): marked, never silently dropped.
        frame: list[str] = []
        while old_frame_index < len(old) and not old[old_frame_index].is_unit:
            frame.append(old[old_frame_index].key)
            old_frame_index += 1
        if frame:
            emit(wrap_words(frame, "del", keep_tags=False), "del")
        new_item = new[new_index] if new_index < len(new) else None
        if new_item is not None and not new_item.is_unit:
            frame = []
            while new_index < len(new) and not new[new_index].is_unit:
                frame.append(new[new_index].key)
                new_index += 1
            emit(wrap_words(frame, "ins", keep_tags=True), "ins")
            continue
        old_item = old_units[old_index] if old_index < len(old_units) else None
        if new_item is None:
            assert old_item is not None  # noqa: S101 - the loop runs while either side has units
            emit(mark_unit(old_item, "del"), "del")
            old_index += 1
            old_frame_index = skip_unit(old, old_frame_index)
            continue
        if old_item is None:
            emit(mark_unit(new_item, "ins"), "ins")
            new_index += 1
            continue
        here = similarity(old_item, new_item)
        later_old = max((similarity(item, new_item) for item in old_units[old_index + 1 :]), default=0.0)
        later_new = max(
            (similarity(old_item, item) for item in new[new_index + 1 :] if item.is_unit), default=0.0
        )
        if here >= PAIRING_THRESHOLD and here >= later_old and here >= later_new:
            emit(diff_words(list(old_item.tokens), list(new_item.tokens)), "pair")
            old_index += 1
            old_frame_index = skip_unit(old, old_frame_index)
            new_index += 1
        elif later_new > here and later_new >= PAIRING_THRESHOLD:
            emit(mark_unit(new_item, "ins"), "ins")
            new_index += 1
        else:
            emit(mark_unit(old_item, "del"), "del")
            old_index += 1
            old_frame_index = skip_unit(old, old_frame_index)
    # Trailing words outside units in the old run.
    trailing = [item.key for item in old[old_frame_index:] if not item.is_unit]
    if trailing:
        emit(wrap_words(trailing, "del", keep_tags=False), "del")
    return HtmlDiff(html="".join(out), insertions=insertions, deletions=deletions)


def diff_html(old: str, new: str) -> HtmlDiff:
    """Mark the words that changed from ``old`` to ``new``, inside paragraphs, lists and tables.

    Block units are aligned first, so a removed table row shows as a removed row rather than as
    words spilled into its neighbour; then changed units are compared word by word.
    """
    old_segments, new_segments = segment(tokenize(old)), segment(tokenize(new))
    matcher = difflib.SequenceMatcher(
        None, [item.key for item in old_segments], [item.key for item in new_segments], autojunk=False
    )
    out: list[str] = []
    insertions = deletions = 0
    for opcode, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if opcode == "equal":
            out.extend(item.key for item in new_segments[new_start:new_end])
            continue
        if any(item.is_unit for item in old_segments[old_start:old_end] + new_segments[new_start:new_end]):
            result = diff_segment_runs(old_segments[old_start:old_end], new_segments[new_start:new_end])
        else:
            result = diff_words(
                [item.key for item in old_segments[old_start:old_end]],
                [item.key for item in new_segments[new_start:new_end]],
            )
        out.append(result.html)
        insertions += result.insertions
        deletions += result.deletions
    return HtmlDiff(html="".join(out), insertions=insertions, deletions=deletions)
