"""`pytest --nbval book/` runs every notebook in quick mode (see ganbook.notebook).

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
