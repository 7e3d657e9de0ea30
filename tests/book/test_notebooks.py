"""The conventions every notebook of the book follows (see README, "Writing a notebook").

- book/<chapter>/{torch,tf}.ipynb, each paired with a jupytext MyST file of the
  same stem (.md) whose cells match the notebook's;
- the first code cell installs ganbook on Colab only, with ganbook.book.project.PIP_INSTALL;
- exactly one cell tagged "parameters", using ganbook.book.notebook.parameters;
- the PyTorch and TensorFlow notebooks of a chapter share their section headings
  and each imports only its own framework;
- stored outputs: every code cell ran, in order; a line from run_summary says
  what produced them; at least a third of the code cells with output are
  compared strictly by nbval (not tagged nbval-ignore-output / nbval-skip);
- output hygiene: no stored progress-bar lines, no GIF over MAX_GIF_BYTES, no
  printed network with a zero-rate dropout layer;
- every notebook is in _toc.yml (by its .ipynb name).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import jupytext
import pytest
import yaml

from ganbook.book.outputs import progress_lines
from ganbook.book.project import PIP_INSTALL

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "book").rglob("*.ipynb"))
NOTEBOOKS = [p for p in NOTEBOOKS if ".ipynb_checkpoints" not in p.parts]
FRAMEWORK_IMPORTS = {"torch": "ganbook.torch", "tf": "ganbook.tf"}
IGNORE_TAGS = {"nbval-ignore-output", "nbval-skip", "raises-exception"}
MAX_GIF_BYTES = 210_000  # about 200 KB: the book's pages and the notebook files stay light


def _id(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _load(path: Path) -> dict:
    return json.loads(path.read_text())


def _code(nb) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def _source(cell) -> str:
    src = cell["source"]
    return "".join(src) if isinstance(src, list) else src


def _headings(nb) -> list[str]:
    """Section headings (level 2 and deeper) of the markdown cells, in order."""
    out = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            out += [line.strip() for line in _source(cell).splitlines() if re.match(r"##+ ", line)]
    return out


def test_the_book_has_notebooks_in_pairs():
    assert NOTEBOOKS, "no notebooks under book/"
    for path in NOTEBOOKS:
        assert path.stem in FRAMEWORK_IMPORTS, f"{_id(path)}: name notebooks torch.ipynb / tf.ipynb"
        twin = path.with_name(("tf" if path.stem == "torch" else "torch") + ".ipynb")
        assert twin.exists(), f"{_id(path)} has no {twin.name} beside it"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_paired_with_myst_markdown_in_sync(path):
    md = path.with_suffix(".md")
    assert md.exists(), f"{_id(path)}: pair it with `jupytext --set-formats ipynb,md:myst {_id(path)}`"
    nb, text = jupytext.read(path), jupytext.read(md)
    assert "md:myst" in nb.metadata.get("jupytext", {}).get("formats", ""), "pairing metadata missing"
    a = [(c.cell_type, c.source.strip()) for c in nb.cells]
    b = [(c.cell_type, c.source.strip()) for c in text.cells]
    assert a == b, f"{_id(path)} and {md.name} differ: run `jupytext --sync {_id(path)}`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_colab_install_cell_and_parameters(path):
    nb = _load(path)
    first = _source(_code(nb)[0])
    assert "google.colab" in first and PIP_INSTALL in first, \
        f"{_id(path)}: the first code cell must install {PIP_INSTALL!r} on Colab only"
    tagged = [c for c in _code(nb) if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1, f"{_id(path)}: exactly one cell tagged 'parameters', found {len(tagged)}"
    assert "parameters(" in _source(tagged[0]), "the parameters cell uses ganbook.book.notebook.parameters"
    source = "\n".join(_source(c) for c in _code(nb))
    assert "seed" in source, f"{_id(path)} is not seeded"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_imports_only_its_framework(path):
    source = "\n".join(_source(c) for c in _code(_load(path)))
    assert FRAMEWORK_IMPORTS[path.stem] in source
    other = "tensorflow" if path.stem == "torch" else "torch"
    assert not re.search(rf"^\s*(import|from) ({other}|ganbook\.{other})\b", source, re.M), \
        f"{_id(path)} imports {other}"
    if path.stem == "tf":
        assert "import_tensorflow(" in source, "import TF with ganbook.book.notebook.import_tensorflow()"


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.stem == "torch"], ids=_id)
def test_frameworks_share_section_headings(path):
    torch_h, tf_h = _headings(_load(path)), _headings(_load(path.with_name("tf.ipynb")))
    assert torch_h and torch_h == tf_h


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_stored_outputs_from_a_real_run(path):
    cells = _code(_load(path))
    counts = [c["execution_count"] for c in cells]
    assert all(counts), f"{_id(path)}: some code cells were not run"
    assert counts == sorted(counts), f"{_id(path)}: cells were run out of order"
    text = json.dumps([c["outputs"] for c in cells])
    assert " steps, " in text and " s, " in text, f"{_id(path)}: print ganbook.book.notebook.run_summary(...)"
    for c in cells:
        for out in c["outputs"]:
            assert out.get("output_type") != "error", f"{_id(path)} stored an error"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_a_third_of_outputs_are_compared_strictly(path):
    with_output = [c for c in _code(_load(path)) if c["outputs"]]
    strict = [c for c in with_output if not IGNORE_TAGS & set(c["metadata"].get("tags", []))]
    assert 3 * len(strict) >= len(with_output), \
        f"{_id(path)}: only {len(strict)} of {len(with_output)} cells with output are compared"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_stored_outputs_are_clean(path):
    """No progress bars (run notebooks with scripts/execute_notebook.py), small GIFs, and
    no zero-rate dropout layers in printed networks."""
    import base64

    nb = _load(path)
    assert progress_lines(nb) == 0, f"{_id(path)} stores progress bars: run scripts/execute_notebook.py"
    for cell in _code(nb):
        for out in cell["outputs"]:
            gif = out.get("data", {}).get("image/gif")
            if gif:
                size = len(base64.b64decode("".join(gif)))
                assert size <= MAX_GIF_BYTES, f"{_id(path)} stores a {size:,}-byte GIF (max_frames=...)"
            text = "".join(out.get("text", "")) + "".join(out.get("data", {}).get("text/plain", ""))
            assert not re.search(r"Dropout\((p=|rate=)?0\.0\b", text), f"{_id(path)} prints a zero-rate dropout"


def test_every_notebook_is_in_the_toc():
    toc = (ROOT / "_toc.yml").read_text()
    files = set(re.findall(r"file:\s*(\S+)", toc))
    yaml.safe_load(toc)
    for path in NOTEBOOKS:
        assert str(path.relative_to(ROOT)) in files, f"{_id(path)} missing from _toc.yml (with .ipynb)"
