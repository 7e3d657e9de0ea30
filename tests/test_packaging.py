"""The package's promises: framework-free import, one set of dependencies, one repo URL."""
import os
import subprocess
import sys
from pathlib import Path

import yaml

try:
    import tomllib
except ImportError:  # Python 3.10
    import tomli as tomllib

import ganbook
from ganbook.book.project import REPO_URL

ROOT = Path(__file__).resolve().parents[1]

BLOCK_FRAMEWORKS = """
import builtins, sys
real_import = builtins.__import__
def guarded(name, *args, **kwargs):
    if name.split('.')[0] in ('torch', 'tensorflow', 'keras'):
        raise ImportError('blocked by the test: ' + name)
    return real_import(name, *args, **kwargs)
builtins.__import__ = guarded
"""


def test_import_ganbook_without_frameworks():
    code = BLOCK_FRAMEWORKS + """
import ganbook, ganbook.data
x, centers, std = ganbook.data.mixture('ring', 10)
ganbook.seed_everything(0)
assert not [m for m in sys.modules if m.split('.')[0] in ('torch', 'tensorflow', 'keras')]
print('ok')
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def _pyproject():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _all_requirements():
    project = _pyproject()["project"]
    reqs = list(project["dependencies"])
    for name, extra in project["optional-dependencies"].items():
        reqs += [r for r in extra if not r.startswith("ganbook[")]
    return sorted(set(reqs))


def test_environment_yml_matches_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    assert "python=3.11" in deps and "pip" in deps
    pip = next(d["pip"] for d in deps if isinstance(d, dict))
    assert "-e .[all]" in pip
    assert sorted(r for r in pip if not r.startswith("-e")) == _all_requirements()


def test_only_jupyter_book_has_an_upper_bound():
    upper = [r for r in _all_requirements() if "<" in r.split(";")[0] or "==" in r]
    assert upper == ["jupyter-book>=1.0,<2"]


def test_extras_and_script():
    project = _pyproject()["project"]
    assert set(project["optional-dependencies"]) == {"torch", "tf", "book", "test", "all"}
    assert project["optional-dependencies"]["all"] == ["ganbook[torch,tf,book,test]"]
    assert project["scripts"]["ganbook"] == "ganbook.cli:main"
    assert project["version"] == ganbook.__version__


def test_repo_url_is_defined_once():
    """Every copy of the repository URL agrees with ganbook.book.project.REPO_URL."""
    assert _pyproject()["project"]["urls"]["Homepage"] == REPO_URL
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["repository"]["url"] == REPO_URL
    assert REPO_URL in (ROOT / "README.md").read_text()


def test_seed_everything_is_reproducible():
    import random
    import numpy as np
    ganbook.seed_everything(5)
    a = (random.random(), np.random.rand())
    ganbook.seed_everything(5)
    assert (random.random(), np.random.rand()) == a


def test_seed_everything_bad_seed():
    import pytest
    with pytest.raises(ValueError, match="seed must be a non-negative integer, got -1"):
        ganbook.seed_everything(-1)


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and "make test" in ci
    assert "GANBOOK_DATA" in ci and os.access(ROOT / ".ci" / "run", os.X_OK)
