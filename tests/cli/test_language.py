"""Which language salesflow speaks: --lang beats config lang beats the environment, else
English; every spelling of Simplified Chinese; a bad --lang is a usage error."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from salesflow import i18n

# A message each language says differently, and that changes nothing: config's own check.
ZH_BAD_LANG = '错误：lang "fr" — salesflow 支持 zh_CN（简体中文）和 en'
EN_BAD_LANG = 'Error: lang "fr" — salesflow speaks zh_CN (简体中文) and en'


def said(result) -> str:
    return result.stderr.strip()


def test_english_when_nothing_asks_for_another(fails, empty_db):
    assert said(fails("config", "set", "lang", "fr")) == EN_BAD_LANG


@pytest.mark.parametrize(
    "spelling", ["zh_CN", "zh", "zh_CN.UTF-8", "zh-Hans", "zh-CN", "zh_Hans_CN"]
)
def test_lang_option_every_spelling(fails, empty_db, spelling):
    assert said(fails("--lang", spelling, "config", "set", "lang", "fr")) == ZH_BAD_LANG
    assert said(fails(f"--lang={spelling}", "config", "set", "lang", "fr")) == ZH_BAD_LANG


@pytest.mark.parametrize("spelling", ["zh", "zh_CN.UTF-8", "zh-Hans", "zh_CN"])
def test_config_lang_every_spelling_is_stored_as_zh_CN(ok, spelling):
    assert ok("config", "set", "lang", spelling).output.strip().splitlines()[-1] == "lang = zh_CN"
    assert ok("config", "get", "lang").stdout.strip() == "zh_CN"


@pytest.mark.parametrize("spelling", ["en", "en_US.UTF-8", "C"])
def test_config_lang_english_spellings(ok, spelling):
    assert ok("config", "set", "lang", spelling).output.strip().splitlines()[-1] == "lang = en"


def test_config_lang_refuses_other_languages(fails, empty_db):
    fails("config", "set", "lang", "fr", match='lang "fr"')
    fails("config", "set", "lang", "", match='lang ""')


@pytest.mark.parametrize(
    "env",
    [
        {"LANG": "zh_CN.UTF-8"},
        {"LC_MESSAGES": "zh_CN.UTF-8"},
        {"LC_ALL": "zh_CN.GB18030", "LANG": "en_US.UTF-8"},
        {"LANGUAGE": "zh_CN:en", "LANG": "en_US.UTF-8"},
        {"LANGUAGE": "fr:zh", "LANG": "en_US.UTF-8"},
    ],
)
def test_environment_chinese(fails, empty_db, env):
    assert said(fails("config", "set", "lang", "fr", env=env)) == ZH_BAD_LANG


@pytest.mark.parametrize(
    "env",
    [
        {"LANG": "en_US.UTF-8"},
        {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"},  # LC_ALL set: gettext reads no further
        {"LANG": "fr_FR.UTF-8"},  # a language salesflow does not speak: English
        {"LANGUAGE": "en", "LANG": "zh_CN.UTF-8"},
    ],
)
def test_environment_english(fails, empty_db, env):
    assert said(fails("config", "set", "lang", "fr", env=env)) == EN_BAD_LANG


def test_config_beats_environment_and_option_beats_config(ok, fails):
    ok("config", "set", "lang", "zh")
    assert said(fails("config", "set", "lang", "fr", env={"LANG": "en_US.UTF-8"})) == ZH_BAD_LANG
    assert said(fails("--lang", "en", "config", "set", "lang", "fr")) == EN_BAD_LANG
    ok("config", "set", "lang", "en")
    assert said(fails("config", "set", "lang", "fr", env={"LANG": "zh_CN.UTF-8"})) == EN_BAD_LANG
    assert said(fails("--lang", "zh_CN", "config", "set", "lang", "fr")) == ZH_BAD_LANG
    ok("config", "unset", "lang")
    assert said(fails("config", "set", "lang", "fr", env={"LANG": "zh_CN.UTF-8"})) == ZH_BAD_LANG


def test_other_database_has_its_own_language(ok, fails, tmp_path):
    ok("config", "set", "lang", "zh_CN")
    other = str(tmp_path / "other.db")
    ok("--db", other, "config", "set", "currency", "EUR")
    assert said(fails("--db", other, "config", "set", "lang", "fr")) == EN_BAD_LANG
    assert said(fails("--db=" + other, "config", "set", "lang", "fr")) == EN_BAD_LANG


@pytest.mark.parametrize("bad", ["xx", "fr_FR", "", "zh_TW"])
def test_bad_lang_option_is_a_usage_error(fails, empty_db, bad):
    result = fails("--lang", bad, "lead", "list", code=2)
    assert said(result) == (
        f'Error: --lang "{bad}" is not a language salesflow speaks — use zh_CN or en'
    )


def test_bad_lang_option_said_in_the_language_it_would_have_used(fails, empty_db):
    result = fails("--lang", "xx", "--help", code=2, env={"LANG": "zh_CN.UTF-8"})
    assert said(result) == '错误：--lang "xx" 不是 salesflow 支持的语言 — 请用 zh_CN 或 en'
    assert result.stdout == ""


def test_typer_tree_settles_the_language_too(ok, empty_db):
    # Tests and embedders call the Typer app directly, without main().
    from salesflow.cli import app

    result = CliRunner().invoke(app, ["--lang", "zh", "config", "set", "lang", "fr"])
    assert result.exit_code == 1
    assert result.stderr.strip() == ZH_BAD_LANG
    result = CliRunner().invoke(app, ["config", "set", "lang", "fr"])
    assert result.stderr.strip() == EN_BAD_LANG
    assert i18n.active() == "en"


def test_missing_database_is_not_created_by_choosing_the_language(fails, db_path):
    fails("--lang", "zh", "lead", "list", env={"LANG": "zh_CN.UTF-8"})
    assert not db_path.exists()
    assert not db_path.parent.exists()


def test_cron_without_a_locale_gets_the_database_language(ok, db_path):
    ok("config", "set", "lang", "zh_CN")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LC_CTYPE")
    }
    env["SALESFLOW_DB"] = str(db_path)
    done = subprocess.run(
        [sys.executable, "-m", "salesflow", "config", "set", "lang", "fr"],
        env=env, capture_output=True, text=True, encoding="utf-8", check=False,
    )  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip() == ZH_BAD_LANG
    # reading the setting early leaves no file another user could read
    for path in db_path.parent.iterdir():
        assert path.stat().st_mode & 0o077 == 0, path


def test_normalize():
    for text in ("zh", "zh_CN", "zh-CN", "zh_CN.UTF-8", "zh-Hans", "zh_Hans_CN", "zh_SG"):
        assert i18n.normalize(text) == "zh_CN", text
    for text in ("en", "en_US.UTF-8", "en-GB", "C", "POSIX", "C.UTF-8"):
        assert i18n.normalize(text) == "en", text
    for text in ("", None, "fr", "zh_TW", "de_DE.UTF-8", "zh_HK"):
        assert i18n.normalize(text) is None, text


def test_typer_tree_on_its_own_settles_afresh(ok, fails):
    # A command line main() ran on the fast path leaves nothing behind for the Typer tree.
    from salesflow.cli import app

    ok("config", "set", "lang", "zh")
    ok("config", "unset", "lang")  # run in Chinese: the setting was still there
    result = CliRunner().invoke(app, ["config", "unset", "lang"])  # now in English
    assert result.exit_code == 1
    assert result.stderr.startswith('Error: setting "lang" is not set'), result.stderr
