import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import translation

PACKAGE = Path(__file__).resolve().parents[2]
PO = PACKAGE / "locale" / "en" / "LC_MESSAGES" / "django.po"
# The options of `make messages` (Makefile).
MAKEMESSAGES = ["--no-location", "--no-wrap", "--ignore", "testing/*", "--ignore", "*/tests/*"]
KEY_LINE = re.compile(r'^(msgctxt|msgid|msgid_plural) (".*")$', re.M)


def message_keys(text: str) -> set[tuple[str, ...]]:
    """(context, msgid, plural) of every entry of a catalogue written without wrapping,
    the header left out."""
    keys = set()
    for entry in text.split("\n\n"):
        if entry.lstrip().startswith("#~"):
            continue  # an obsolete entry
        fields = dict(KEY_LINE.findall(entry))
        if fields.get("msgid", '""') != '""':
            keys.add(tuple(fields.get(name, "") for name in ("msgctxt", "msgid", "msgid_plural")))
    return keys


def test_every_message_has_an_english_translation():
    text = PO.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text.split("\n\n", 1)[1]
    entries = text.split("\n\n")[1:]
    untranslated = [
        e
        for e in entries
        if re.search(r'^msgstr(\[\d\])? ""$', e, re.M)
        and not re.search(r'^msgstr(\[\d\])? ""\n"', e, re.M)
    ]
    assert not untranslated


def test_the_catalogue_holds_exactly_the_messages_of_the_code(tmp_path):
    """What `make messages` would extract today is what the catalogue holds: a string
    marked for translation and missing from the .po (so shown in Chinese to English
    readers) fails here, and so does an entry the code no longer uses."""
    copy = tmp_path / "chuangwen"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo"))
    extracted = copy / "locale" / "en" / "LC_MESSAGES" / "django.po"
    extracted.unlink()
    env = {
        **os.environ,
        "PYTHONPATH": str(tmp_path),
        "CHUANGWEN_TESTING": "1",
        "CHUANGWEN_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "chuangwen.settings",
    }
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "--locale", "en", *MAKEMESSAGES],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    in_code = message_keys(extracted.read_text(encoding="utf-8"))
    in_catalogue = message_keys(PO.read_text(encoding="utf-8"))
    assert len(in_code) > 1000
    assert sorted(in_code - in_catalogue) == [], "run `make messages` and translate these"
    assert sorted(in_catalogue - in_code) == [], "no longer in the code: run `make messages`"


def test_compiled_catalogue_is_used():
    with translation.override("en"):
        assert translation.gettext("单位名录") == "Unit directory"
        assert translation.gettext(
            "用户名或密码不正确。连续多次失败后账号将被临时锁定。"
        ).startswith("Wrong username")
    with translation.override("zh-hans"):
        assert translation.gettext("单位名录") == "单位名录"


@pytest.mark.django_db
def test_pages_render_in_english_on_request(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in page and "Log in" in page and "Username" in page
    page = client.get("/accounts/login/").content.decode()
    assert 'lang="zh-hans"' in page and "登录" in page
