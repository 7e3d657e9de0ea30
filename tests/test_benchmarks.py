"""The book's benchmark tables are generated from the committed results, and up to date."""
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _report():
    spec = importlib.util.spec_from_file_location("report", ROOT / "benchmarks" / "report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_book_tables_match_committed_results():
    for path, text in _report().render().items():
        assert path.exists() and path.read_text() == text, \
            f"{path.relative_to(ROOT)} is out of date: run `python benchmarks/report.py`"


def test_tables_state_what_produced_them():
    for text in _report().render().values():
        assert ("Command: `python " in text or "Commands: `python " in text) and "measured" in text.lower()
        assert "nan" not in text, "undefined values must read n/a"
