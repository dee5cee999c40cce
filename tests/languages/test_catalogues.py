"""The committed German and French catalogues: complete, not fuzzy, and compiled from the current .po."""

import ast
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from django.conf import settings

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PO_FILES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/django.po"))
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgctxt, msgid, msgid_plural, msgstr ({index: text}) and flags."""
    entries: list[dict] = []
    entry: dict = {}
    field = ""

    def finish() -> None:
        if "msgid" in entry:
            entries.append(entry)

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            finish()
            entry, field = {}, ""
        elif line.startswith("#,"):
            entry.setdefault("flags", set()).update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            text = ast.literal_eval(line)
            if field.startswith("msgstr"):
                entry["msgstr"][field] += text
            else:
                entry[field] += text
        else:
            field, _, quoted = line.partition(" ")
            text = ast.literal_eval(quoted)
            if field.startswith("msgstr"):
                entry.setdefault("msgstr", {})[field] = text
            else:
                entry[field] = text
    return entries


def expected_catalog(entries: list[dict]) -> dict:
    """What Python's gettext loads from a .mo compiled from these entries (header left out)."""
    catalog: dict = {}
    for entry in entries:
        if entry["msgid"] == "":
            continue
        key = f"{entry['msgctxt']}\x04{entry['msgid']}" if "msgctxt" in entry else entry["msgid"]
        if "msgid_plural" in entry:
            for field, text in entry["msgstr"].items():
                catalog[(key, int(field[7:-1]))] = text
        else:
            catalog[key] = entry["msgstr"]["msgstr"]
    return catalog


def test_german_and_french_catalogues_exist():
    assert {path.parts[-3] for path in PO_FILES} >= {"de", "fr"}


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda path: path.parts[-3])
def test_every_message_is_translated_and_none_is_fuzzy(po_path):
    entries = read_po(po_path)
    assert len(entries) > 100
    header = entries[0]
    assert header["msgid"] == "" and "fuzzy" not in header.get("flags", set()), "fuzzy header"
    problems = []
    for entry in entries[1:]:
        label = entry["msgid"][:60]
        if "fuzzy" in entry.get("flags", set()):
            problems.append(f"fuzzy: {label}")
        for field, text in entry["msgstr"].items():
            if not text.strip():
                problems.append(f"empty {field}: {label}")
            source = (
                entry["msgid_plural"] if field != "msgstr[0]" and "msgid_plural" in entry else entry["msgid"]
            )
            if sorted(set(PLACEHOLDER.findall(text))) != sorted(set(PLACEHOLDER.findall(source))):
                problems.append(f"placeholders differ in {field}: {label}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda path: path.parts[-3])
def test_the_committed_mo_is_compiled_from_the_current_po(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run manage.py compilemessages"
    with mo_path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    loaded = {key: value for key, value in compiled._catalog.items() if key != ""}
    assert loaded == expected_catalog(read_po(po_path)), "stale .mo: run manage.py compilemessages"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed")
@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda path: path.parts[-3])
def test_msgfmt_accepts_the_catalogue_with_format_checks(po_path, tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(po_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


TRANSLATE_TAG = re.compile(r"""\{%\s*translate\s+"([^"]+)"(?:\s+[^%]*)?%\}""")
GETTEXT_CALL = re.compile(r"""\b(?:gettext|gettext_lazy|_)\(\s*"((?:[^"\\]|\\.)+)"\s*\)""")


def test_every_simple_marked_string_is_in_the_catalogues():
    """A string marked after the last ``makemessages`` would show in English: run makemessages."""
    root = Path(settings.BASE_DIR)
    marked: set[str] = set()
    for path in root.rglob("*"):
        if {".venv", "tests", "bench", "migrations", "staticfiles", "node_modules"} & set(path.parts):
            continue
        if path.suffix == ".html":
            marked |= set(TRANSLATE_TAG.findall(path.read_text(encoding="utf-8")))
        elif path.suffix == ".py":
            marked |= {
                ast.literal_eval(f'"{text}"')
                for text in GETTEXT_CALL.findall(path.read_text(encoding="utf-8"))
            }
    assert len(marked) > 50
    for po_path in PO_FILES:
        known = {entry["msgid"] for entry in read_po(po_path)}
        missing = sorted(marked - known)
        assert not missing, f"{po_path.parts[-3]}: run manage.py makemessages; missing {missing[:10]}"
