"""The search engine stands alone: ``search_index`` imports nothing from the app (import-linter checks that through
pyproject.toml in tests/test_architecture.py) nor the app's framework, database layer or task queue, which
import-linter here does not see (external packages are left out of its graph). Direct imports, read from the source."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"marketplace", "workers", "flask", "flask_sqlalchemy", "sqlalchemy", "celery", "config"}


def _imported_packages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_search_index_imports_neither_the_app_nor_its_framework():
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_packages(path) & FORBIDDEN)
        for path in sorted((ROOT / "search_index").rglob("*.py"))
    }
    assert {path: names for path, names in offenders.items() if names} == {}
