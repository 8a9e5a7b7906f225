"""The shape of the code the project agreed on (DESIGN.md): modules of one idea, a store that
knows tables and not sales rules."""

from __future__ import annotations

import ast
from pathlib import Path

import salesflow

SALESFLOW = Path(salesflow.__file__).parent
MAX_LINES = 500


def test_no_module_grows_past_500_lines() -> None:
    long = {
        str(path.relative_to(SALESFLOW)): n
        for path in SALESFLOW.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_store_imports_no_sales_code() -> None:
    # The store knows tables, not sales rules: no module of salesflow/store imports the domain.
    root = SALESFLOW / "store"
    allowed = ("salesflow.store", "salesflow.errors", "salesflow.files", "salesflow.i18n")
    for path in sorted(root.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
                names = [node.module] if node.module != "salesflow" else names[1:]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                if name.startswith("salesflow"):
                    assert name.startswith(allowed), (path.name, name)
