"""The book's benchmark tables are generated from the committed results, and up to date."""
import importlib.util
from pathlib import Path

import pytest

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


def _gpu_epoch():
    spec = importlib.util.spec_from_file_location("gpu_epoch", ROOT / "benchmarks" / "gpu_epoch.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_gpu_epoch_runs_both_loops_and_summarises_their_losses(data_root, monkeypatch, tmp_path):
    """The GPU epoch benchmark end to end on a CPU, cut to a few batches."""
    import json
    monkeypatch.setenv("GANBOOK_DATA", str(data_root))
    out = tmp_path / "epoch.json"
    result = _gpu_epoch().main(["--framework", "torch", "--device", "cpu", "--images", "320", "--batch-size", "64",
                                "--warmup", "1", "--fast", "bf16", "--json", str(out)])
    assert result["images"] == 320 and result["speedup"] > 0
    for name in ("plain_losses", "ganbook_losses"):
        assert set(result[name]) == {"d_loss_mean", "d_loss_sd", "g_loss_mean", "g_loss_sd"}
        assert 0 < result[name]["d_loss_mean"] < 5 and 0 < result[name]["g_loss_mean"] < 10
    saved = json.loads(out.read_text())
    assert saved["fast"] == ["bf16"] and "versions" in saved and "command" in saved


def test_gpu_epoch_refuses_unknown_options():
    with pytest.raises(SystemExit):
        _gpu_epoch().parse_args(["--framework", "torch", "--fast", "fp8"])
