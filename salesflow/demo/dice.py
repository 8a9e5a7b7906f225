"""The demo's dice: a fast seeded Random and one weighted pick."""

from __future__ import annotations

import random
from bisect import bisect
from functools import cache


class Rng(random.Random):
    """`random.Random` with float-based randrange/randint/choice: several times faster than
    the exact integer versions, which matters over millions of rows; their bias (below
    2**-40) does not matter for demo data."""

    def randrange(self, start: int, stop: int | None = None) -> int:  # type: ignore[override]
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))

    def randint(self, a: int, b: int) -> int:
        return a + int(self.random() * (b - a + 1))

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]


def weighted(rng: Rng, options: tuple[tuple[object, int], ...]):
    """One of `options` ((value, weight) pairs), with probability weight / total."""
    values, bounds = _cumulative(options)
    return values[bisect(bounds, rng.random() * bounds[-1])]


@cache
def _cumulative(options: tuple[tuple[object, int], ...]) -> tuple[tuple, tuple[int, ...]]:
    bounds, total = [], 0
    for _, weight in options:
        total += weight
        bounds.append(total)
    return tuple(v for v, _ in options), tuple(bounds)
