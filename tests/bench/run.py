"""Benchmarks: whole `salesflow` processes timed on demo databases of 1k, 10k and 100k leads.

Not a test (pytest collects only test_*.py; tests/bench/test_bench_smoke.py runs this at toy
size). Run it from the project's virtualenv:

    .venv/bin/python tests/bench/run.py                    # 1k, 10k, 100k leads, 5 runs each
    .venv/bin/python tests/bench/run.py --sizes 1000,10000 --runs 3
    .venv/bin/python tests/bench/run.py --markdown         # the table for the README
    .venv/bin/python tests/bench/run.py --toy              # tiny, to prove it still works
    .venv/bin/python tests/bench/run.py --sizes 100000 --against /tmp/main-tree  # before/after

`--against DIR` times a second source tree (e.g. `git archive main | tar -x -C DIR`) in the
same rounds, each command of the two builds one after the other, on a demo database that
build made itself: before and after under the same load.

Demo databases are built with `salesflow demo` and cached in tests/bench/.cache/, keyed by
size, seed, schema version and a hash of the generator; each size is benchmarked on a copy,
so the writes being timed never touch the cache. Every command runs `--runs` times after one
untimed warm-up run; the figures are the median and the min–max, in milliseconds, and each is
divided by its floor measured in the same run: `python -c pass` for commands that only read or
start up, and a bare `python -c` that does the same one-row insert with `sqlite3` for commands
that write. Commands this salesflow does not have (yet) are skipped with a note. The package
is byte-compiled first, as an installed one is: with PYTHONDONTWRITEBYTECODE set and no
__pycache__, every command would compile its modules from source.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import hashlib
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CACHE = Path(__file__).resolve().parent / ".cache"
NOW = "2026-11-23T09:00:00Z"  # demo data and every timed command share this clock
SEED = 7
AS_OF = "2026-06-30"  # mid-history: about half the stage changes come after it
IMPORT_ROWS = 100_000

INSERT_FLOOR = """
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], timeout=30, isolation_level=None)
c.execute("PRAGMA foreign_keys = ON")
c.execute("BEGIN IMMEDIATE")
c.execute("INSERT INTO leads (name, company, currency, stage, created_at, updated_at) "
          "VALUES ('Floor Lead', 'Floor Co', 'USD', 'lead', ?, ?)", (sys.argv[2], sys.argv[2]))
c.execute("COMMIT")
"""


@dataclass(frozen=True)
class Case:
    label: str
    args: tuple[str, ...]  # after `salesflow --db DB`; {mid} is a lead number near the middle,
    # {run} the run's number (a new lead each run: `lead add` refuses a lead that exists)
    floor: str = "pass"  # pass | insert
    needs: tuple[str, ...] = ()  # command path that must exist
    option: str | None = None  # an option that command must have
    lang: str | None = None  # run on a copy of the database with `config set lang` to this


CASES = (
    Case("--version", ("--version",)),
    Case("--help", ("--help",)),
    Case("lead add", ("lead", "add", "Bench Lead {run}", "--company", "Bench Co {run}",
                      "--value", "1000"), floor="insert"),
    Case("lead add (config lang zh_CN)", ("lead", "add", "Bench Lead zh {run}", "--company",
         "Bench Co zh {run}", "--value", "1000"), floor="insert", lang="zh_CN"),
    Case("--help (config lang zh_CN)", ("--help",), lang="zh_CN"),
    Case("lead show", ("lead", "show", "{mid}")),
    Case("log", ("log", "{mid}", "bench call", "--kind", "call"), floor="insert", needs=("log",)),
    Case("lead list --limit 50", ("lead", "list", "--limit", "50")),
    Case("followup list --overdue", ("followup", "list", "--overdue"),
         needs=("followup", "list"), option="--overdue"),
    Case("today", ("today",), needs=("today",)),
    Case("report funnel", ("report", "funnel"), needs=("report", "funnel")),
    Case("report summary", ("report", "summary"), needs=("report", "summary")),
    Case("report summary --as-of", ("report", "summary", "--as-of", AS_OF),
         needs=("report", "summary"), option="--as-of"),
    Case("report funnel --as-of", ("report", "funnel", "--as-of", AS_OF),
         needs=("report", "funnel"), option="--as-of"),
    Case("report sources", ("report", "sources"), needs=("report", "sources")),
    Case("report grades", ("report", "grades"), needs=("report", "grades")),
    Case("report trend (12 months)", ("report", "trend"), needs=("report", "trend")),
    Case("report trend --group region", ("report", "trend", "--group", "region"),
         needs=("report", "trend"), option="--group"),
    Case("report breakdown --by region", ("report", "breakdown", "--by", "region"),
         needs=("report", "breakdown")),
    Case("report products", ("report", "products"), needs=("report", "products")),
    Case("digest", ("digest",), needs=("digest",)),
    Case("export leads (to /dev/null)", ("export", "leads", "--format", "csv"),
         needs=("export",)),
    Case("search proposal (index)", ("search", "proposal"), needs=("search",)),
    Case("search 张伟 (2 chars: CJK pairs)", ("search", "张伟"), needs=("search",)),
    Case("import leads --dry-run (10 rows)", ("import", "leads", "{leads}", "--dry-run"),
         needs=("import", "leads")),
    Case("import activities --dry-run (10 rows)",
         ("import", "activities", "{touches}", "--dry-run"), needs=("import", "activities")),
)  # fmt: skip

# The small files a seller imports every day ({leads}, {touches} in a case's arguments): the
# rows' leads are looked up in a database of every size.
SMALL_LEADS = "name,company,email,phone\n" + "".join(
    f"Small {i},Small Co {i},small{i}@example.test,+86 139 0000 {i:04d}\n" for i in range(10)
)
SMALL_TOUCHES = "lead_id,kind,happened_at,note\n" + "".join(
    f"{{mid}},call,2026-11-{i + 1:02d} 10:00,small import call {i}\n" for i in range(10)
)


@dataclass
class Timing:
    samples: list[float] = field(default_factory=list)  # seconds
    error: str | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    def cell(self, floor: float | None) -> str:
        if self.error:
            return f"failed: {self.error}"
        ms = [s * 1000 for s in self.samples]
        text = f"{statistics.median(ms):.0f} ms ({min(ms):.0f}–{max(ms):.0f})"
        return text + (f" {self.median / floor:.1f}×" if floor else "")


def salesflow_argv() -> list[str]:
    script = Path(sys.executable).parent / "salesflow"
    return [str(script)] if script.exists() else [sys.executable, "-m", "salesflow"]


def env() -> dict[str, str]:
    e = {**os.environ, "SALESFLOW_NOW": NOW, "TZ": "UTC", "NO_COLOR": "1"}
    e.pop("SALESFLOW_DB", None)
    e.pop("SALESFLOW_DEBUG", None)
    return e


CLOCK = {"cpu": False}  # --cpu: time each process by its CPU (user + system), not the wall


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True)
class Build:
    """A salesflow to time: this tree's (the virtualenv's command), or another source tree run
    as `python -m salesflow` with that tree first on the path."""

    argv: tuple[str, ...]
    tree: Path = ROOT
    suffix: str = ""  # after each label: "" for this build, " (before)" for --against

    @property
    def env(self) -> dict[str, str]:
        # Run from the tree too: `python -m` puts the working folder first on the path.
        return {} if self.tree == ROOT else {"PYTHONPATH": str(self.tree), "PWD": str(self.tree)}


def this_build() -> Build:
    return Build(tuple(salesflow_argv()))


def other_build(tree: Path) -> Build:
    return Build((sys.executable, "-m", "salesflow"), tree.resolve(), " (before)")


def byte_compile(tree: Path) -> None:
    compileall.compile_dir(str(tree / "salesflow"), quiet=1)


def run_once(
    argv: list[str], stdin: Path | None = None, extra: dict[str, str] | None = None
) -> tuple[float, int, str]:
    with open(stdin or os.devnull, "rb") as src:
        start = time.perf_counter()
        used = _children_cpu()
        proc = subprocess.run(
            argv, stdin=src, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            env=env() | (extra or {}), cwd=(extra or {}).get("PWD", ROOT),
        )  # fmt: skip
        elapsed = time.perf_counter() - start
        if CLOCK["cpu"]:
            elapsed = _children_cpu() - used
    err = proc.stderr.decode(errors="replace").strip().splitlines()
    return elapsed, proc.returncode, err[-1] if err else ""


def timed(
    argv: list[str], runs: int, warmup: int, prepare=None, extra: dict[str, str] | None = None
) -> Timing:
    t = Timing()
    for i in range(warmup + runs):
        if prepare:
            prepare()
        elapsed, code, err = run_once(argv, extra=extra)
        if code != 0:
            t.error = f"exit {code}: {err[:100]}"
            return t
        if i >= warmup:
            t.samples.append(elapsed)
    return t


def available(case: Case, db: Path, build: Build | None = None) -> str | None:
    """None when this salesflow has the command (and option); else why it is skipped."""
    if not case.needs:
        return None
    build = build or this_build()
    proc = subprocess.run(
        [*build.argv, "--db", str(db), *case.needs, "--help"], capture_output=True,
        text=True, env=env() | build.env, cwd=build.tree,
    )  # fmt: skip
    if proc.returncode != 0:
        return f"no `{' '.join(case.needs)}` command yet"
    if case.option and case.option not in proc.stdout:
        return f"`{' '.join(case.needs)}` has no {case.option} option"
    return None


def generator_key(build: Build) -> str:
    """The schema version of `build` and a hash of its demo generator."""
    latest = subprocess.run(
        [sys.executable, "-c", "from salesflow.store.migrations import LATEST; print(LATEST)"],
        capture_output=True, text=True, env=env() | build.env, cwd=build.tree, check=True,
    ).stdout.strip()  # fmt: skip
    digest = hashlib.sha256(NOW.encode())
    for path in sorted((build.tree / "salesflow" / "demo").glob("*.py")):
        digest.update(path.read_bytes())
    return f"schema{latest}-{digest.hexdigest()[:10]}"


def demo_db(
    size: int,
    seed: int,
    cache: Path,
    rebuild: bool,
    build: Build | None = None,
    prune: bool = True,
) -> tuple[Path, float | None]:
    """The cached demo database of `size` leads; built (and timed) when missing. `prune`
    removes other generators' files of that size (not when two builds share the cache)."""
    build = build or this_build()
    cache.mkdir(parents=True, exist_ok=True)
    stem = f"demo-{size}-seed{seed}-"
    path = cache / f"{stem}{generator_key(build)}.db"
    if path.exists() and not rebuild:
        return path, None
    if prune:
        for old in cache.glob(f"{stem}*"):  # an older generator's file for the same size
            old.unlink()
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        target = Path(tmp) / "demo.db"
        # Custom fields the demo fills (report breakdown --by region); a salesflow without
        # them says so and the demo goes on without.
        run_once([*build.argv, "--db", str(target), "config", "set", "fields",
                  "industry,region"], extra=build.env)  # fmt: skip
        argv = [*build.argv, "--db", str(target), "demo", "--leads", str(size),
                "--seed", str(seed)]  # fmt: skip
        elapsed, code, err = run_once(argv, extra=build.env)
        if code != 0:
            sys.exit(f"building the {size}-lead demo database failed: {err}")
        for extra in ("-wal", "-shm"):
            Path(str(target) + extra).unlink(missing_ok=True)  # closed cleanly: checkpointed
        target.replace(path)
    return path, elapsed


def import_file(source_db: Path, rows: int, folder: Path) -> Path:
    """A plain CSV of `rows` leads (the columns a seller's spreadsheet has) for `import`."""
    from salesflow import money

    path = folder / f"import-{rows}.csv"
    conn = sqlite3.connect(source_db)
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["name", "company", "email", "phone", "source", "grade", "value",
                      "currency", "tags", "notes"])  # fmt: skip
        for r in conn.execute(
            "SELECT name, company, email, phone, source, grade, value_minor, currency, tags, "
            "notes FROM leads ORDER BY id LIMIT ?",
            (rows,),
        ):
            value = None if r[6] is None else money.to_decimal_string(r[6], r[7])
            out.writerow([*r[:6], value, *r[7:]])
    conn.close()
    return path


def fresh_copy(src: Path | None, dst: Path) -> None:
    """`dst` as a copy of `src`, or gone (a new database) when `src` is None."""
    for extra in ("", "-wal", "-shm"):
        Path(str(dst) + extra).unlink(missing_ok=True)
    if src is not None:
        shutil.copyfile(src, dst)


FLOOR_PASS = "python -c pass"
FLOOR_INSERT = "python -c 'sqlite3 insert'"


def spoken_copy(db: Path, lang: str, copies: dict[tuple[Path, str], Path]) -> Path:
    """A copy of `db` (before any run writes to it) with `config set lang` to `lang`."""
    if (db, lang) not in copies:
        copy = db.with_name(f"{db.stem}-{lang}.db")
        fresh_copy(db, copy)
        conn = sqlite3.connect(copy)
        with conn:
            conn.execute("INSERT OR REPLACE INTO settings (key, value) VALUES ('lang', ?)", (lang,))
        conn.close()
        copies[db, lang] = copy
    return copies[db, lang]


def bench_size(
    builds: list[tuple[Build, Path]], size: int, runs: int, warmup: int,
    skipped: dict[str, str],
) -> dict[str, Timing]:  # fmt: skip
    """Every available case and both floors on one database per build. Runs go round-robin
    (one run of each command, then the next round) so a busy moment on the machine spreads
    over all figures instead of spoiling one; with two builds each command of the one is
    followed by the same command of the other."""
    work = builds[0][1]
    jobs: dict[str, tuple[list[str], dict[str, str]]] = {
        FLOOR_PASS: ([sys.executable, "-c", "pass"], {}),
        FLOOR_INSERT: ([sys.executable, "-c", INSERT_FLOOR, str(work), NOW], {}),
    }
    copies: dict[tuple[Path, str], Path] = {}
    mid = str(max(1, size // 2))
    files = {"{leads}": work.parent / "small-leads.csv", "{touches}": work.parent / "small.csv"}
    files["{leads}"].write_text(SMALL_LEADS)
    files["{touches}"].write_text(SMALL_TOUCHES.replace("{mid}", mid))
    for case in CASES:
        for build, db in builds:
            label = case.label + build.suffix
            if label not in skipped and (reason := available(case, db, build)):
                skipped[label] = reason
            if label not in skipped:
                args = [str(files.get(arg, arg)).replace("{mid}", mid) for arg in case.args]
                target = db if case.lang is None else spoken_copy(db, case.lang, copies)
                jobs[label] = ([*build.argv, "--db", str(target), *args], build.env)
    timings = {label: Timing() for label in jobs}
    for i in range(warmup + runs):
        for label, (argv, extra) in jobs.items():
            t = timings[label]
            if t.error:
                continue
            run_argv = [arg.replace("{run}", str(i)) for arg in argv]
            elapsed, code, err = run_once(run_argv, extra=extra)
            if code != 0:
                t.error = f"exit {code}: {err[:100]}"
            elif i >= warmup:
                t.samples.append(elapsed)
    return timings


def measure(
    every: list[Build], sizes: list[int], dbs: dict[tuple[str, int], Path], runs: int,
    warmup: int, import_rows: int, bulk: list[list[str]], skipped: dict[str, str],
    cannot_import: str | None,
) -> dict[str, dict[int, Timing]]:  # fmt: skip
    """Every case at every size for every build (and the import, added to `bulk`)."""
    results: dict[str, dict[int, Timing]] = {}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for size in sizes:
            pairs = []
            for n, build in enumerate(every):
                work = tmp / f"work{n}.db"
                fresh_copy(dbs[build.suffix, size], work)
                pairs.append((build, work))
            for label, t in bench_size(pairs, size, runs, warmup, skipped).items():
                results.setdefault(label, {})[size] = t
        if cannot_import:
            skipped["import leads"] = cannot_import
        else:
            csv_path = import_file(dbs["", import_rows], import_rows, tmp)
            target = tmp / "import.db"
            for build in every:
                t = timed(
                    [*build.argv, "--db", str(target), "import", "leads", str(csv_path)], runs,
                    warmup, prepare=lambda: fresh_copy(None, target), extra=build.env,
                )  # fmt: skip
                label = f"import leads ({import_rows:,} rows, new database){build.suffix}"
                bulk.append([label, t.cell(None)])

    return results


def time_table(
    results: dict[str, dict[int, Timing]], sizes: list[int], every: list[Build]
) -> tuple[list[str], list[list[str]]]:
    floor_of = {c.label: c.floor for c in CASES} | {FLOOR_PASS: "pass", FLOOR_INSERT: "insert"}
    header = ["command", "vs floor"] + [f"{s:,} leads" for s in sizes]
    table = []
    labels = [c.label + b.suffix for c in CASES for b in every]
    for label in [FLOOR_PASS, FLOOR_INSERT, *labels]:
        if label not in results:
            continue
        floor_label = (
            FLOOR_PASS if floor_of[label.removesuffix(" (before)")] == "pass" else FLOOR_INSERT
        )
        row = [label, floor_label]
        for size in sizes:
            t, floor = results[label][size], results[floor_label][size]
            row.append(t.cell(None if floor.error else floor.median))
        table.append(row)

    return header, table


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default="1000,10000,100000", help="Lead counts, comma-separated.")
    p.add_argument("--runs", type=int, default=5, help="Timed runs per command (after warm-up).")
    p.add_argument("--seed", type=int, default=SEED)
    p.add_argument("--import-rows", type=int, default=IMPORT_ROWS)
    p.add_argument("--toy", action="store_true", help="Tiny sizes and one run: proves it works.")
    p.add_argument("--markdown", action="store_true", help="Print Markdown tables.")
    p.add_argument("--cache", type=Path, default=DEFAULT_CACHE, help="Demo database cache.")
    p.add_argument("--rebuild", action="store_true", help="Rebuild (and time) the demo databases.")
    p.add_argument(
        "--against",
        type=Path,
        metavar="DIR",
        help="Also time the salesflow source tree in DIR (before), interleaved with this one.",
    )
    p.add_argument(
        "--cpu",
        action="store_true",
        help="Time each command by its CPU time (user + system) instead of the wall clock: "
        "on a busy machine it moves far less.",
    )
    p.add_argument(
        "--dbstat",
        action="store_true",
        help="Also print each demo database's size per table and index (dbstat).",
    )
    a = p.parse_args(argv)
    CLOCK["cpu"] = a.cpu
    sizes = [int(s.replace("_", "")) for s in a.sizes.split(",") if s.strip()]
    runs, warmup = a.runs, 1
    if a.toy:
        sizes, runs, warmup, a.import_rows = [120], 1, 1, 120
    load_before = os.getloadavg()[0]

    me = this_build()
    every = [me] + ([other_build(a.against)] if a.against else [])
    for build in every:
        byte_compile(build.tree)
    sf = list(me.argv)
    builds: dict[tuple[str, int], float | None] = {}
    dbs: dict[tuple[str, int], Path] = {}  # (build suffix, size) -> its demo database
    for build in every:
        for size in sorted(set(sizes)):
            key = (build.suffix, size)
            dbs[key], builds[key] = demo_db(
                size, a.seed, a.cache, a.rebuild, build, prune=len(every) == 1
            )
    importing = Case("import leads", ("import", "leads"), needs=("import", "leads"))
    cannot_import = available(importing, dbs["", min(sizes)])
    if not cannot_import and ("", a.import_rows) not in dbs:
        # The rows to import come from a demo database of that many leads.
        dbs["", a.import_rows], builds["", a.import_rows] = demo_db(
            a.import_rows, a.seed, a.cache, a.rebuild, prune=len(every) == 1
        )

    skipped: dict[str, str] = {}
    bulk = [
        [f"demo --leads {size:,}{suffix}", f"{took:.1f} s" if took else "cached"]
        for (suffix, size), took in sorted(builds.items(), key=lambda kv: kv[0][::-1])
    ]
    bulk += [
        [
            f"database file at {size:,} leads{build.suffix}",
            f"{dbs[build.suffix, size].stat().st_size / 2**20:.1f} MiB",
        ]
        for size in sizes
        for build in every
    ]
    results = measure(every, sizes, dbs, runs, warmup, a.import_rows, bulk, skipped, cannot_import)
    header, table = time_table(results, sizes, every)

    print(
        f"salesflow benchmarks: Python {platform.python_version()}, SQLite "
        f"{sqlite3.sqlite_version}, {os.cpu_count()} CPUs ({platform.system()}), load average "
        f"{load_before:.1f} -> {os.getloadavg()[0]:.1f}; {runs} timed run(s) per figure after "
        f"{warmup} warm-up, median (min–max) of {'CPU' if a.cpu else 'wall'} time, "
        "× = median / the floor's median in the same run. "
        f"Command: {' '.join(Path(x).name for x in sf)}"
    )
    print()
    emit(header, table, a.markdown)
    print()
    emit(["bulk work", "time"], bulk, a.markdown)
    targets = check_targets(results, sizes) + size_target(dbs["", max(sizes)], max(sizes))
    if targets:
        print()
        emit(["target (issues 8, 19)", "measured", "verdict"], targets, a.markdown)
    for label, reason in skipped.items():
        print(f"note: skipped {label}: {reason}")
    if a.dbstat:
        for size in sizes:
            for build in every:
                print()
                title = f"MB ({size:,} leads{build.suffix})"
                emit(["table / index", title], dbstat(dbs[build.suffix, size]), a.markdown)
    return 0


def dbstat(path: Path) -> list[list[str]]:
    """Pages per table and index in megabytes (MB = 10^6 bytes), largest first, then totals."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    kinds = dict(conn.execute("SELECT name, type FROM sqlite_master"))
    sizes = conn.execute(
        "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC, 1"
    ).fetchall()
    conn.close()
    mb = lambda n: f"{n / 1e6:.1f}"  # noqa: E731
    rows = [[f"{name} ({kinds.get(name, 'table')})", mb(n)] for name, n in sizes if n >= 1e5]
    indexes = sum(n for name, n in sizes if kinds.get(name) == "index")
    rows.append(["all indexes", mb(indexes)])
    rows.append(["file", mb(path.stat().st_size)])
    return rows


def check_targets(results: dict[str, dict[int, Timing]], sizes: list[int]) -> list[list[str]]:
    """The issue's targets that this run measured, each with its verdict."""
    rows = []

    def ok(good: bool) -> str:
        return "ok" if good else "MISSED"

    def got(label: str, size: int) -> Timing | None:
        t = results.get(label, {}).get(size)
        return t if t and not t.error else None

    small, big = min(sizes), max(sizes)
    if (t := got("lead add", small)) and (floor := got(FLOOR_INSERT, small)):
        ratio = t.median / floor.median
        rows.append(["lead add ≤ 3.0× sqlite3 insert", f"{ratio:.1f}×", ok(ratio <= 3.0)])
    if (t := got("--help", small)) and (floor := got(FLOOR_PASS, small)):
        ratio = t.median / floor.median
        rows.append(["--help ≤ 15× python -c pass", f"{ratio:.1f}×", ok(ratio <= 15)])
    if big >= 100_000:
        for label in ("report funnel", "report summary", "followup list --overdue", "today",
                      "digest"):  # fmt: skip
            if t := got(label, big):
                ms = t.median * 1000
                rows.append([f"{label} ≤ 150 ms at {big:,}", f"{ms:.0f} ms", ok(ms <= 150)])
        if t := got("search proposal (index)", big):
            ms = t.median * 1000
            rows.append([f"search ≤ 100 ms at {big:,}", f"{ms:.0f} ms", ok(ms <= 100)])
        for label, limit in (("report summary --as-of", 250), ("report funnel --as-of", 250),
                             ("report sources", 150), ("report grades", 150),
                             ("report funnel", 110)):  # fmt: skip
            if t := got(label, big):  # issue 19
                ms = t.median * 1000
                rows.append([f"{label} ≤ {limit} ms at {big:,}", f"{ms:.0f} ms", ok(ms <= limit)])
        if t := got("export leads (to /dev/null)", big):
            rows.append([f"export leads ≤ 0.8 s at {big:,}", f"{t.median:.2f} s",
                         ok(t.median <= 0.8)])  # fmt: skip
    if big > small:
        for label in ("lead add", "lead show", "log"):
            if (t1 := got(label, small)) and (tn := got(label, big)):
                ratio = tn.median / t1.median
                rows.append([f"{label} at {big:,} ≤ 1.2× at {small:,}", f"{ratio:.2f}×",
                             ok(ratio <= 1.2)])  # fmt: skip
    return rows


def size_target(db: Path, size: int) -> list[list[str]]:
    """Issue 19's target for the demo database of 100,000 leads (MB = 10^6 bytes, as dbstat's)."""
    if size != 100_000:
        return []
    mb = db.stat().st_size / 1e6
    return [[f"database ≤ 300 MB at {size:,}", f"{mb:.1f} MB", "ok" if mb <= 300 else "MISSED"]]


def emit(header: list[str], rows: list[list[str]], markdown: bool) -> None:
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join("---" for _ in header) + "|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
        return
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for n, row in enumerate([header, *rows]):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


if __name__ == "__main__":
    sys.exit(main())
