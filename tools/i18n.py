"""Build the Chinese catalog: `python tools/i18n.py compile` (or `check`, `missing`, `stale`).

The translations live in po/zh_CN/*.po, one file per area of the program, so several people
can translate at once without editing one file. `compile` merges them into the one catalog
salesflow reads, salesflow/locale/zh_CN/LC_MESSAGES/salesflow.mo (committed: installing
salesflow needs no Babel). `check` exits 1 when that file is not what the sources compile to,
or when a .po still has an entry the code no longer marks (`stale` lists those).
`missing` prints, as .po entries to translate, every text the code marks that no po/zh_CN/*.po
has yet: `_("…")`, `N_("…")`, `ngettext("…", "…", n)` anywhere in salesflow/, and the docstrings
of the command functions in salesflow/cli/ (they are the commands' --help).
Babel is a development dependency (the test extra), never imported by salesflow itself.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "po" / "zh_CN"
TARGET = ROOT / "salesflow" / "locale" / "zh_CN" / "LC_MESSAGES" / "salesflow.mo"


def merged() -> object:
    """One Babel catalog of every po/zh_CN/*.po; a msgid in two files must agree."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po

    out = Catalog(locale="zh_CN", domain="salesflow", charset="utf-8")
    seen: dict[object, tuple[str, object]] = {}
    for path in sorted(SOURCES.glob("*.po")):
        with path.open("rb") as fh:
            catalog = read_po(fh, locale="zh_CN")
        for message in catalog:
            if not message.id:
                continue
            key = message.id
            if key in seen and seen[key][1] != message.string:
                raise SystemExit(
                    f"{path.name}: {message.id!r} is translated differently in {seen[key][0]}"
                )
            seen[key] = (path.name, message.string)
            out.add(message.id, message.string, flags=message.flags, context=message.context)
    return out


HEADER = (
    "Content-Type: text/plain; charset=UTF-8\nLanguage: zh_CN\n"
    "Plural-Forms: nplurals=1; plural=0;\n"
)


def compiled() -> bytes:
    """The .mo of the merged catalog, byte for byte the same for the same sources: the
    header is fixed (Babel's would carry today's date and its own version, so `check` would
    fail a minute later or on another machine), the entries sorted, fuzzy ones left out."""
    import struct

    table: dict[bytes, bytes] = {b"": HEADER.encode()}
    for message in merged():  # type: ignore[attr-defined]
        if not message.id or message.fuzzy or not message.string:
            continue
        if isinstance(message.id, tuple | list):
            key = "\0".join(message.id)
            value = "\0".join(message.string)
        else:
            key, value = message.id, message.string
        if message.context:
            key = f"{message.context}\x04{key}"
        table[key.encode()] = value.encode()
    keys = sorted(table)
    ids = strs = b""
    offsets = []
    for key in keys:
        offsets.append((len(ids), len(key), len(strs), len(table[key])))
        ids += key + b"\0"
        strs += table[key] + b"\0"
    start_ids = 7 * 4 + 16 * len(keys)
    start_strs = start_ids + len(ids)
    key_index = [x for o1, l1, _o2, _l2 in offsets for x in (l1, o1 + start_ids)]
    value_index = [x for _o1, _l1, o2, l2 in offsets for x in (l2, o2 + start_strs)]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + len(keys) * 8, 0, 0)
    index = struct.pack(f"{len(key_index)}i", *key_index)
    index += struct.pack(f"{len(value_index)}i", *value_index)
    return header + index + ids + strs


KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def marked() -> dict[object, str]:
    """Every text the code marks for translation -> where (file:line). A plural is keyed by
    its (singular, plural) pair."""
    from babel.messages.extract import extract_from_dir

    found: dict[object, str] = {}
    package = ROOT / "salesflow"
    method_map = [("**.py", "python")]
    for filename, line, message, _comments, _context in extract_from_dir(
        str(package), method_map=method_map, keywords=KEYWORDS, comment_tags=()
    ):
        found.setdefault(message, f"salesflow/{filename}:{line}")
    for text, where in formatted_calls():
        found.setdefault(text, where)
    for text, where in command_docstrings():
        found.setdefault(text, where)
    return found


def formatted_calls() -> list[tuple[object, str]]:
    """The marked texts inside f-strings (`f"<h2>{e(_('Most quoted'))}</h2>"`), which Babel's
    extractor does not look into on Python < 3.12: read from the syntax tree instead."""
    import ast

    out: list[tuple[object, str]] = []
    for path in sorted((ROOT / "salesflow").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for joined in ast.walk(tree):
            if not isinstance(joined, ast.JoinedStr):
                continue
            for node in ast.walk(joined):
                if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                    continue
                texts = [a.value for a in node.args if isinstance(a, ast.Constant)]
                if not all(isinstance(t, str) for t in texts):
                    continue
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                if node.func.id in ("_", "N_") and len(texts) >= 1:
                    out.append((texts[0], where))
                elif node.func.id == "ngettext" and len(texts) >= 2:
                    out.append(((texts[0], texts[1]), where))
    return out


def stale() -> list[str]:
    """The entries of po/zh_CN/*.po whose text the code no longer marks, as `file: msgid`."""
    from babel.messages.pofile import read_po

    have = marked()
    out = []
    for path in sorted(SOURCES.glob("*.po")):
        with path.open("rb") as fh:
            for message in read_po(fh, locale="zh_CN"):
                if message.id and message.id not in have:
                    out.append(f"{path.name}: {message.id!r}")
    return out


def command_docstrings() -> list[tuple[str, str]]:
    """The docstring of each function registered as a command or group callback in
    salesflow/cli/ (`@x.command(…)`, `@x.callback(…)`), cleaned as Typer shows it."""
    import ast

    out = []
    for path in sorted((ROOT / "salesflow" / "cli").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef):
                continue
            registered = any(
                isinstance(d, ast.Call)
                and isinstance(d.func, ast.Attribute)
                and d.func.attr in ("command", "callback")
                for d in node.decorator_list
            )
            doc = ast.get_docstring(node, clean=True) if registered else None
            if doc:
                out.append((doc, f"{path.relative_to(ROOT)}:{node.lineno}"))
    return out


def translated() -> dict[object, str]:
    """msgid (or (singular, plural)) -> msgstr over every po/zh_CN/*.po."""
    from babel.messages.pofile import read_po

    out: dict[object, str] = {}
    for path in sorted(SOURCES.glob("*.po")):
        with path.open("rb") as fh:
            for message in read_po(fh, locale="zh_CN"):
                if message.id:
                    out[message.id] = message.string
    return out


def _po_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    lines = escaped.split("\n")
    if len(lines) == 1:
        return f'"{escaped}"'
    parts = [f"{line}\\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    return '""\n' + "\n".join(f'"{p}"' for p in parts)


def missing() -> str:
    """The marked texts no .po has, as .po entries with an empty msgstr."""
    have = translated()
    entries = []
    for key, where in marked().items():
        if key in have:
            continue
        if isinstance(key, tuple):
            entries.append(
                f"#: {where}\nmsgid {_po_string(key[0])}\nmsgid_plural {_po_string(key[1])}\n"
                'msgstr[0] ""\n'
            )
        else:
            entries.append(f'#: {where}\nmsgid {_po_string(key)}\nmsgstr ""\n')
    return "\n".join(entries)


def main(argv: list[str]) -> int:
    if argv[:1] == ["missing"]:
        print(missing(), end="")
        return 0
    if argv[:1] == ["compile"]:
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        TARGET.write_bytes(compiled())
        print(f"wrote {TARGET.relative_to(ROOT)}")
        return 0
    if argv[:1] == ["stale"]:
        print("\n".join(stale()))
        return 0
    if argv[:1] == ["check"]:
        if not TARGET.exists() or TARGET.read_bytes() != compiled():
            print(f"{TARGET.relative_to(ROOT)} is stale: run python tools/i18n.py compile")
            return 1
        old = stale()
        if old:
            print("no longer in the code (remove from po/zh_CN/*.po):\n" + "\n".join(old))
            return 1
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
