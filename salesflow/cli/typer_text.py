"""Typer's and Click's own words (`Usage:`, `Options`, `Missing argument …`) through the
catalog, so a Chinese help page or usage error has no English frame around it.

Click 8 marks its strings with the stdlib's `gettext.gettext` and Typer's own modules do too;
those module-level `_` are pointed at ours (`install`). The Click that Typer 0.28 vendors has
plain English literals instead: its help-page words are supplied where our command classes
render them (cli/usage.py), and its error messages, which arrive as finished English text, are
recognised by the shapes below and said again from the catalog (`error_text`). An English
text of a shape not listed stays as it is. Only the Typer path imports this module."""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable
from typing import Any

from salesflow.i18n import N_, _, active, ngettext

USAGE = N_("Usage: ")
HELP_OPTION = N_("Show this message and exit.")
# Typer's Rich help panels' titles (used only with a Rich markup mode; salesflow's is plain).
_RICH = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    "ABORTED_TEXT": N_("Aborted."),
    "DEFAULT_STRING": N_("[default: {}]"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "RICH_HELP": N_("Try [blue]'{command_path} {help_option}'[/] for help."),
}
# Marked here so the catalog holds them: Typer's modules ask for them through gettext.
_THROUGH_GETTEXT = (
    N_("Arguments"), N_("Options"), N_("Commands"), N_("default: {default}"), N_("required"),
    N_("env var: {var}"), N_("(dynamic)"), N_("Aborted!"), N_("Missing command."),
    N_("No such command {name!r}."), N_("Try '{command} {option}' for help."),
    N_("(Possible options: {possibilities})"),
)  # fmt: skip


def install() -> None:
    """Point the `_`/`gettext`/`ngettext` of Typer's and Click's loaded modules at the catalog
    (for English, ours returns the English text as gettext did)."""
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith(("typer", "click")):
            continue
        found = vars(module)
        for attr, ours in (("_", _), ("gettext", _), ("ngettext", ngettext)):
            if callable(found.get(attr)) and getattr(found[attr], "__module__", "") == "gettext":
                setattr(module, attr, ours)
    import importlib

    # Typer 0.28 vendors Click (typer._click); earlier versions use Click itself.
    vendored = "typer._click" in sys.modules
    module = importlib.import_module("typer._click._textwrap" if vendored else "click._textwrap")
    plain = getattr(module.TextWrapper, "plain", module.TextWrapper)
    # English help stays exactly as Click lays it out.
    module.TextWrapper = plain if active() == "en" else _cell_wrapper(plain)
    # Click lines up the option column by characters; a Chinese metavar (<文本>) takes cells.
    formatting = importlib.import_module(
        "typer._click.formatting" if vendored else "click.formatting"
    )
    plain_len = getattr(formatting.term_len, "plain", formatting.term_len)
    formatting.term_len = plain_len if active() == "en" else _cell_len(plain_len)
    # Click ends a section heading (Options, Arguments) with an ASCII colon; Chinese takes "：".
    form = formatting.HelpFormatter
    plain_heading = getattr(form.write_heading, "plain", form.write_heading)
    form.write_heading = plain_heading if active() == "en" else _heading(plain_heading)
    rich_utils = sys.modules.get("typer.rich_utils")
    if rich_utils is not None:
        for attr, text in _RICH.items():
            setattr(rich_utils, attr, _(text))


def _heading(plain: Callable[..., None]) -> Callable[..., None]:
    def write_heading(self: Any, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}" + _("{heading}:").format(heading=heading) + "\n")

    write_heading.plain = plain  # type: ignore[attr-defined]
    return write_heading


# ---- usage errors: Click's English text -> the catalog's --------------------------------------

_KINDS = {  # Click's type names in "'x' is not a valid …"
    "integer": N_("{value} is not a valid integer."),
    "int range": N_("{value} is not a valid integer."),
    "float": N_("{value} is not a valid number."),
    "float range": N_("{value} is not a valid number."),
    "boolean": N_("{value} is not a valid boolean."),
    "UUID": N_("{value} is not a valid UUID."),
}


_ANY_KIND = N_("{value} is not a valid {kind}.")


def _value_text(text: str) -> str:
    """The part of `Invalid value for X: …` that says what is wrong with the value."""
    for pattern, template in _VALUE_SHAPES:
        m = pattern.fullmatch(text)
        if m:
            return template(m)
    return text


_VALUE_SHAPES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"(?P<value>.+?) is not one of (?P<choices>.+)\.", re.S),
        lambda m: _("{value} is not one of {choices}.").format(**m.groupdict()),
    ),
    (
        re.compile(r"(?P<value>.+?) is not a valid (?P<kind>[\w ]+?)\.(?: Recognized .*)?", re.S),
        lambda m: _(_KINDS.get(m["kind"], _ANY_KIND)).format(value=m["value"], kind=m["kind"]),
    ),
    (
        re.compile(r"(?P<value>.+?) is not in the range (?P<range>\S+)\.", re.S),
        lambda m: _("{value} is not in the range {range}.").format(**m.groupdict()),
    ),
    (
        re.compile(r"(?P<value>.+?) does not match the formats (?P<formats>.+)\.", re.S),
        lambda m: _("{value} does not match the formats {formats}.").format(**m.groupdict()),
    ),
    (
        re.compile(r"(?P<n>\d+) values are required, but (?P<given>\d+) given\.", re.S),
        lambda m: _("{n} values are required, but {given} given.").format(**m.groupdict()),
    ),
]

_MISSING = {
    "argument": N_("Missing argument {name}."),
    "option": N_("Missing option {name}."),
    "parameter": N_("Missing parameter {name}."),
}


def _missing(m: re.Match[str]) -> str:
    text = _(_MISSING[m["kind"]]).format(name=m["name"])
    rest = m["rest"]
    if rest and rest.startswith("Choose from:"):
        rest = _("Choose from:") + rest[len("Choose from:") :]
    return f"{text} {rest}" if rest else text


_ERROR_SHAPES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(
            r"Missing (?P<kind>argument|option|parameter) (?P<name>.+?)\.(?: (?P<rest>.*))?", re.S
        ),
        _missing,
    ),
    (
        re.compile(r"Invalid value for (?P<hint>.+?): (?P<message>.*)", re.S),
        lambda m: _("Invalid value for {hint}: {message}").format(
            hint=m["hint"], message=_value_text(m["message"])
        ),
    ),
    (
        re.compile(r"Invalid value: (?P<message>.*)", re.S),
        lambda m: _("Invalid value: {message}").format(message=_value_text(m["message"])),
    ),
    (
        re.compile(r"Option (?P<name>'.+?') requires an argument\.", re.S),
        lambda m: _("Option {name} requires an argument.").format(name=m["name"]),
    ),
    (
        re.compile(r"Option (?P<name>'.+?') requires (?P<n>\d+) arguments\.", re.S),
        lambda m: _("Option {name} requires {n} arguments.").format(**m.groupdict()),
    ),
    (
        re.compile(r"Option (?P<name>'.+?') does not take a value\.", re.S),
        lambda m: _("Option {name} does not take a value.").format(name=m["name"]),
    ),
    (
        re.compile(r"Got unexpected extra arguments? ?(?:\(s\))? \((?P<args>.*)\)", re.S),
        lambda m: _("Got unexpected extra arguments ({args})").format(args=m["args"]),
    ),
    (
        re.compile(r"Argument (?P<name>'.+?') takes (?P<n>\d+) values\.", re.S),
        lambda m: _("Argument {name} takes {n} values.").format(**m.groupdict()),
    ),
    (re.compile(r"Missing command\."), lambda m: _("Missing command.")),
]


def error_text(english: str) -> str:
    """A usage error's message in the active language (as given when no shape fits)."""
    for pattern, template in _ERROR_SHAPES:
        m = pattern.fullmatch(english)
        if m:
            return template(m)
    return english


# ---- Chinese lines: wrapped by display cells, between any two characters ---------------------

# No line starts with closing punctuation, none ends with opening punctuation.
_CLOSING = set("，。、；：！？）》」』】〕…·%,.;:!?)]}'\"")
_OPENING = set("（《「『【〔([{")


def cells(text: str) -> int:
    """Terminal cells `text` takes: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell_len(plain: Any) -> Any:
    def term_len(text: str) -> int:
        # Click's own strips colour codes first; the difference is what wide characters add.
        return plain(text) + sum(unicodedata.east_asian_width(ch) in "WF" for ch in text)

    term_len.plain = plain  # type: ignore[attr-defined]
    return term_len


def short_help(text: str, limit: int) -> str:
    """A command's one-line summary for its group's listing: the first sentence, cut to
    `limit` cells (Click's own cuts at spaces, which Chinese has none of)."""
    first = text.split("\n\n")[0].replace("\n", " ").strip()
    end = first.find("。")
    if end != -1:
        first = first[: end + 1]
    if cells(first) <= limit:
        return first
    out, used = "", 0
    for ch in first:
        if used + cells(ch) > limit - 3:
            break
        out, used = out + ch, used + cells(ch)
    return out.rstrip("，、；： ") + "..."


def _cell_wrapper(plain: type) -> type:
    wrapper = type("TextWrapper", (_CellWrapping, plain), {})
    wrapper.plain = plain  # type: ignore[attr-defined]
    return wrapper


class _CellWrapping:
    """Mixed into Click's TextWrapper while Chinese is spoken: a wide character is a word of
    its own (with the punctuation that may not start or end a line), and widths are cells."""

    def _split(self, text: str) -> list[str]:
        chunks: list[str] = []
        for chunk in super()._split(text):  # type: ignore[misc]
            if not any(unicodedata.east_asian_width(ch) in "WF" for ch in chunk):
                chunks.append(chunk)
                continue
            run = ""
            for ch in chunk:
                wide = unicodedata.east_asian_width(ch) in "WF"
                if (
                    run
                    and (wide or _wide_end(run))
                    and ch not in _CLOSING
                    and run[-1] not in _OPENING
                ):
                    chunks.append(run)
                    run = ""
                run += ch
            chunks.append(run)
        return chunks

    def _wrap_chunks(self, chunks: list[str]) -> list[str]:
        lines: list[str] = []
        chunks.reverse()
        while chunks:
            cur: list[str] = []
            used = 0
            indent = self.subsequent_indent if lines else self.initial_indent  # type: ignore[attr-defined]
            width = self.width - cells(indent)  # type: ignore[attr-defined]
            if lines and chunks[-1].strip() == "":
                del chunks[-1]  # a line does not start with the space it was broken at
            while chunks and used + cells(chunks[-1]) <= width:
                used += cells(chunks[-1])
                cur.append(chunks.pop())
            if chunks and cells(chunks[-1]) > width:
                self._handle_long_word(chunks, cur, used, width)  # type: ignore[attr-defined]
            while cur and cur[-1].strip() == "":
                del cur[-1]
            if cur:
                lines.append(indent + "".join(cur))
        return lines


def _wide_end(run: str) -> bool:
    return unicodedata.east_asian_width(run[-1]) in "WF"
