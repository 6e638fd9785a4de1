"""Imports run one way: the dashboard calls the domains, never the reverse (issue 9, point 3)."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "marketplace"


def _imports(domain: str) -> dict[str, set[str]]:
    """Module path → every ``marketplace.*`` module it imports (top level or inside functions)."""
    found = {}
    for path in sorted((PACKAGE / domain).rglob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
        found[str(path.relative_to(PACKAGE.parent))] = {n for n in names if n.startswith("marketplace")}
    return found


def _offenders(domain: str, forbidden: list[str]) -> list[str]:
    return [f"{module} imports {name}" for module, names in _imports(domain).items() for name in sorted(names)
            if any(name == f or name.startswith(f + ".") for f in forbidden)]


def test_no_domain_imports_the_dashboard():
    domains = [p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists() and p.name != "seller"]
    assert "bulk" in domains and "koperasi" in domains
    assert [o for d in domains for o in _offenders(d, ["marketplace.seller"])] == []


def test_koperasi_and_the_domains_under_bulk_stay_below_it():
    assert _offenders("koperasi", ["marketplace.catalog", "marketplace.inventory", "marketplace.orders",
                                   "marketplace.checkout", "marketplace.payments", "marketplace.bulk"]) == []
    for domain in ("catalog", "inventory", "orders"):
        assert _offenders(domain, ["marketplace.bulk"]) == []
