# Two commands do all the set-up on a fresh machine with Python >= 3.10:
#   make book   build the HTML book into _build/html
#   make test   run every test: unit tests and the notebooks (pytest --nbval)
# Both create the virtual environment $(VENV) and install what they need.
#
# TORCH is the pip requirement used for PyTorch. The default takes your
# platform's ordinary build; a CPU-only machine can avoid the multi-GB CUDA
# packages with e.g. TORCH="torch==2.13.0" (a local CPU wheel), as .ci/run does,
# or TORCH="torch --index-url https://download.pytorch.org/whl/cpu".

PYTHON ?= python3
VENV ?= .venv
TORCH ?= torch
BIN := $(VENV)/bin
STAMP := $(VENV)/.ganbook-installed

.PHONY: book test install clean

book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going

test: $(STAMP)
	$(BIN)/python -m pytest --nbval

install: $(STAMP)

# torch goes in first so that ganbook's "torch>=2.3" is already satisfied.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet $(TORCH)
	$(BIN)/python -m pip install --quiet -e ".[all]"
	touch $@

clean:
	rm -rf _build .pytest_cache
