"""`pytest --nbval book/` runs every notebook in quick mode (see ganbook.book.notebook).

GANBOOK_QUICK=1 unless set; GANBOOK_DATA points at the offline MNIST copy
../shared/data when it exists and nothing else was chosen. The kernel is the
current Python environment and outputs are sanitised with nbval_sanitize.cfg
(both set in pyproject.toml's pytest options).
"""
import os
from pathlib import Path

os.environ.setdefault("GANBOOK_QUICK", "1")
_offline = Path(__file__).resolve().parents[2] / "shared" / "data"
if "GANBOOK_DATA" not in os.environ and (_offline / "mnist").is_dir():
    os.environ["GANBOOK_DATA"] = str(_offline)

_NOTEBOOK_SECONDS: dict[str, float] = {}


def pytest_runtest_logreport(report):
    """Add up each notebook's cell times (nbval runs one test item per cell)."""
    path = report.nodeid.split("::")[0]
    if path.endswith(".ipynb"):
        _NOTEBOOK_SECONDS[path] = _NOTEBOOK_SECONDS.get(path, 0.0) + report.duration


def pytest_terminal_summary(terminalreporter):
    """Print each notebook's execution time (the CI log shows them)."""
    if _NOTEBOOK_SECONDS:
        terminalreporter.section("notebook execution times")
        for path, seconds in sorted(_NOTEBOOK_SECONDS.items()):
            terminalreporter.write_line(f"{seconds:7.1f} s  {path}")
