"""Did-you-mean: the names nearest a word the user typed, for the usage errors (a command or
option) and for the values the domain refuses (a stage, a custom field)."""

from __future__ import annotations

from collections.abc import Iterable


def nearest(word: str, names: Iterable[str], *, n: int = 3, cutoff: float = 0.6) -> list[str]:
    """Up to `n` of `names` closest to `word`, best first, case aside (`Wonn` finds `won`);
    each as spelled in `names`."""
    import difflib

    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(name.casefold(), name)
    found = difflib.get_close_matches(word.strip().casefold(), list(by_key), n=n, cutoff=cutoff)
    return [by_key[k] for k in found]
