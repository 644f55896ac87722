import re
from pathlib import Path

import pytest
from django.utils import translation

PO = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


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
