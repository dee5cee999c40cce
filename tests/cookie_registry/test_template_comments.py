"""Template comments never reach visitors ({# #} cannot span lines; Django prints it as text)."""

from pathlib import Path

from django.conf import settings


def test_no_template_has_a_multi_line_short_comment():
    offenders = []
    for path in Path(settings.BASE_DIR).rglob("*.html"):
        if ".venv" in path.parts or "node_modules" in path.parts or "staticfiles" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.count("{#") > line.count("#}"):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}")
    assert offenders == []
