"""Which language a command speaks, settled before it runs — its errors and its --help too.

`--lang` beats the database's `config lang`, which beats the environment (LANGUAGE, LC_ALL,
LC_MESSAGES, LANG, read the way gettext reads them), else English. The root options are read
from the command line here, before either parser runs: Typer builds the help texts while it
parses, so the language has to be known first. A cron job, which has no locale, gets the
database's setting."""

from __future__ import annotations

from salesflow import i18n
from salesflow.i18n import _

_settled: tuple[str, ...] | None = None  # the command line main() handed to Typer


def root_options(argv: list[str]) -> tuple[str | None, str | None]:
    """The `--lang` and `--db` values among the root options that lead `argv` (None: not
    given). Reading stops at the command's name or at anything it does not know."""
    lang = db = None
    i = 0
    while i < len(argv) and argv[i].startswith("--"):
        name, equals, text = argv[i].partition("=")
        if name not in ("--lang", "--db", "--width"):
            break
        if not equals:
            if i + 1 >= len(argv):
                break
            text = argv[i + 1]
            i += 1
        i += 1
        if name == "--lang":
            lang = text
        elif name == "--db":
            db = text
    return lang, db


def choose(lang_option: str | None, db_option: str | None) -> str:
    """The language for this command; a `--lang` salesflow does not speak raises ValueError."""
    if lang_option is not None:
        found = i18n.normalize(lang_option)
        if found is None:
            raise ValueError(lang_option)
        return found
    stored = _stored(db_option)
    if stored is not None:
        return stored
    return i18n.from_environment() or "en"


def _stored(db_option: str | None) -> str | None:
    from salesflow import store
    from salesflow.errors import SalesflowError

    try:
        path = store.resolve_path(db_option)
    except SalesflowError:  # the command itself says what is wrong with the path
        return None
    return i18n.normalize(store.peek_setting(path, "lang"))


def settle(argv: list[str]) -> None:
    """Speak the language `salesflow <argv>` asks for; a bad `--lang` is a usage error
    (exit 2), said in the language the command would otherwise have spoken."""
    lang, db = root_options(argv)
    try:
        i18n.use(choose(lang, db))
    except ValueError:
        i18n.use(choose(None, db))
        from salesflow.cli.boundary import fail

        message = _('--lang "{lang}" is not a language salesflow speaks — use zh_CN or en')
        fail(message.format(lang=lang), 2)


def handing_over(argv: list[str]) -> None:
    """`main()` settled the language for `argv` and hands it to Typer, which need not read
    the database's setting again (`settle_once`)."""
    global _settled
    _settled = tuple(argv)


def settle_once(argv: list[str]) -> None:
    """`settle`, unless `main()` has just settled this very command line (the Typer tree is
    also run on its own: tests, embedders)."""
    global _settled
    if _settled == tuple(argv):
        _settled = None
        return
    settle(argv)
