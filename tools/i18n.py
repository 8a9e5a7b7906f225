"""Build the Chinese catalog: `python tools/i18n.py compile` (or `check`).

The translations live in po/zh_CN/*.po, one file per area of the program, so several people
can translate at once without editing one file. `compile` merges them into the one catalog
salesflow reads, salesflow/locale/zh_CN/LC_MESSAGES/salesflow.mo (committed: installing
salesflow needs no Babel). `check` exits 1 when that file is not what the sources compile to.
Babel is a development dependency (the test extra), never imported by salesflow itself.
"""

from __future__ import annotations

import io
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


def compiled() -> bytes:
    from babel.messages.mofile import write_mo

    buf = io.BytesIO()
    write_mo(buf, merged(), use_fuzzy=False)
    return buf.getvalue()


def main(argv: list[str]) -> int:
    if argv[:1] == ["compile"]:
        TARGET.parent.mkdir(parents=True, exist_ok=True)
        TARGET.write_bytes(compiled())
        print(f"wrote {TARGET.relative_to(ROOT)}")
        return 0
    if argv[:1] == ["check"]:
        if not TARGET.exists() or TARGET.read_bytes() != compiled():
            print(f"{TARGET.relative_to(ROOT)} is stale: run python tools/i18n.py compile")
            return 1
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
