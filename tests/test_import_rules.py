"""Architecture contracts from pyproject.toml ([tool.importlinter]), checked by import-linter on every test run:
a broken contract names the offending import."""

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_search_engine_imports_nothing_from_the_app(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    exit_code = lint_imports(
        config_filename=str(ROOT / "pyproject.toml"), limit_to_contracts=("search-engine-standalone",), no_cache=True,
    )
    assert exit_code == 0, capsys.readouterr().out
