"""Step 13: the search index at a third of its size, and CJK character pairs.

Released: never edited.

The trigram index of migration 11 kept every trigram's positions (`detail=full`) and each
row's token counts (`columnsize`): 113 MB at the benchmark's 100,000 leads, half of it the
activities' notes. Search asks only "which rows hold these trigrams" and checks the words
themselves on the rows it reads, so `detail=none, columnsize=0` keep what it needs.

Two-character words (张伟, 合同) have no trigram. For Chinese, Japanese and Korean text every
pair of adjacent characters is indexed as a token of its own, through a view `<table>_cjk` of
each row's pairs (the index's external content, so FTS5's integrity-check — `db check` —
compares the index with the rows). Pairs of other scripts are not indexed: they would cost
more than the whole trigram index.
"""

from __future__ import annotations

# Hiragana to the CJK unified ideographs, Hangul syllables, compatibility ideographs and the
# ideograph extensions B–G (salesflow/search.py CJK_RANGES: the same, for the queries).
_RANGES = ((0x3040, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
_SOURCES = (
    ("leads", ("name", "company", "email", "phone", "tags", "notes")),
    ("customers", ("name",)),
    ("activities", ("note",)),
    ("followups", ("action",)),
    ("quotes", ("number", "note")),
    ("quote_items", ("description",)),
)


def _is_cjk(code: str) -> str:
    return "(" + " OR ".join(f"{code} BETWEEN {lo} AND {hi}" for lo, hi in _RANGES) + ")"


def _pairs(row: str, columns: tuple[str, ...]) -> str:
    """The CJK pairs of `row`'s columns, space-separated (NULL when there are none). Columns
    are joined by a space, so no pair spans two of them. (store/fulltext.py `pairs` computes
    the same in Python for bulk loads.)"""
    text = " || ' ' || ".join(f"coalesce({row}.{c}, '')" for c in columns)
    any_cjk = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in _RANGES)
    first, second = "unicode(substr(s, n, 1))", "unicode(substr(s, n + 1, 1))"
    # The text rides along each step of the recursion rather than being read again by a
    # sub-select at every step (once per character of every row).
    return f"""CASE WHEN {text} GLOB '*[{any_cjk}]*' THEN (
            WITH RECURSIVE i(n, s) AS (SELECT 1, {text}
                UNION ALL SELECT n + 1, s FROM i WHERE n < length(s) - 1)
            SELECT group_concat(substr(s, n, 2), ' ') FROM i
            WHERE {_is_cjk(first)} AND {_is_cjk(second)}) END"""


def _index(table: str, columns: tuple[str, ...]) -> str:
    cols = ", ".join(columns)
    new, old = (", ".join(f"{row}.{c}" for c in columns) for row in ("new", "old"))
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in ("rowid", *columns))
    fts, cjk = f"{table}_fts", f"{table}_cjk_fts"
    add = f"""
            INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new});
            INSERT INTO {cjk} (rowid, pairs) VALUES (new.rowid, {_pairs("new", columns)});"""
    remove = f"""
            INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old});
            INSERT INTO {cjk} ({cjk}, rowid, pairs) VALUES ('delete', old.rowid,
                {_pairs("old", columns)});"""
    return f"""
        DROP TRIGGER {table}_ai;
        DROP TRIGGER {table}_ad;
        DROP TRIGGER {table}_au;
        DROP TABLE {fts};
        CREATE VIRTUAL TABLE {fts} USING FTS5 ({cols}, tokenize='trigram', content="{table}",
            detail=none, columnsize=0);
        INSERT INTO {fts} ({fts}) VALUES ('rebuild');
        CREATE VIEW {table}_cjk (rowid, pairs) AS
            SELECT t.rowid, {_pairs("t", columns)} FROM {table} t;
        CREATE VIRTUAL TABLE {cjk} USING FTS5 (pairs, tokenize='ascii', content="{table}_cjk",
            detail=none, columnsize=0);
        INSERT INTO {cjk} ({cjk}) VALUES ('rebuild');
        CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN{add}
        END;
        CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN{remove}
        END;
        CREATE TRIGGER {table}_au AFTER UPDATE OF id, {cols} ON {table} WHEN {changed}
        BEGIN{remove}{add}
        END;
        """


STEPS: list[tuple[int, str, str]] = [
    (
        13,
        "search index: trigrams without positions (a third of the size) and an index of CJK "
        "character pairs, for two-character words",
        "\n".join(_index(table, columns) for table, columns in _SOURCES),
    ),
]
