"""The Chinese catalogue is complete and compiled, and the UI is Chinese unless asked."""

import importlib.util
import re
from pathlib import Path

import pytest
from django.conf import settings

PO = Path(settings.BASE_DIR) / "linli" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
_PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")


def _compiler():
    path = Path(settings.BASE_DIR) / "scripts" / "compile_messages.py"
    spec = importlib.util.spec_from_file_location("compile_messages", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def compiler():
    return _compiler()


@pytest.fixture(scope="module")
def entries(compiler):
    return compiler.parse_po(PO.read_text(encoding="utf-8"), str(PO))


def test_every_message_has_a_chinese_translation(entries):
    untranslated = [e.msgid for e in entries if not e.translated]
    fuzzy = [e.msgid or "(header)" for e in entries if e.fuzzy]
    assert untranslated == []
    assert fuzzy == []
    assert len(entries) > 150


def test_translations_keep_the_placeholders(entries):
    broken = [
        e.msgid for e in entries
        if e.msgid and any(sorted(_PLACEHOLDER.findall(e.msgid)) !=
                           sorted(_PLACEHOLDER.findall(s)) for s in e.msgstr.values())
    ]
    assert broken == []


def test_committed_mo_matches_the_po(compiler, tmp_path):
    fresh = tmp_path / "django.mo"
    assert compiler.compile_po(PO, fresh) is True
    assert PO.with_suffix(".mo").read_bytes() == fresh.read_bytes(), (
        "run `python scripts/compile_messages.py` and commit the .mo"
    )
    assert compiler.compile_po(PO, fresh) is False  # a second run changes nothing


def test_compiled_catalogue_reads_back_with_gettext(compiler, tmp_path):
    import gettext

    mo = tmp_path / "django.mo"
    compiler.compile_po(PO, mo)
    with mo.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    assert catalogue.gettext("Log in") == "登录"
    assert catalogue.gettext("Audit log") == "审计日志"
    assert catalogue.info()["language"] == "zh_Hans"
    assert "pot-creation-date" not in catalogue.info()


@pytest.mark.django_db
def test_login_page_is_chinese_by_default_even_for_an_english_browser(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in html
    assert "登录邻里" in html
    assert "用户名或手机号" in html
    assert "Log in" not in html
    assert response.headers["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_login_page_is_english_when_the_cookie_asks_for_it(client):
    client.cookies["linli_language"] = "en"
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "Log in to Linli" in html
    assert "登录" not in html
    assert response.headers["Content-Language"] == "en"


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_chinese(client):
    client.cookies["linli_language"] = "fr"
    html = client.get("/accounts/login/").content.decode()
    assert '<html lang="zh-CN">' in html
    assert "登录邻里" in html


# xgettext (behind makemessages) finds only the names Django tells it: `_`, gettext,
# gettext_noop, gettext_lazy, ngettext, pgettext... An alias such as `N_` keeps a text out
# of the catalogue, and every reader gets it in English.
_ALIAS = re.compile(r"import\s+(?:\w+,\s*)*(\w*gettext\w*)\s+as\s+(\w+)")


def test_translation_functions_keep_names_makemessages_finds():
    aliased = []
    for path in (Path(settings.BASE_DIR) / "linli").rglob("*.py"):
        for function, alias in _ALIAS.findall(path.read_text(encoding="utf-8")):
            if alias != "_":
                aliased.append(f"{path.name}: {function} as {alias}")
    assert aliased == []
