# Two commands do all the set-up on a fresh machine with Python >= 3.10:
#   make book   build the HTML book into _build/html
#   make test   run every test: unit tests, the notebooks (pytest --nbval) and,
#               once `make book` has run, the built pages in headless Chromium
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

# MathJax is served from the built site, not a CDN, so that the HTML book shows
# rendered math with no internet. npm installs it into $(MATHJAX_DIR) (ignored,
# never committed; once per version) and `make book` copies its es5/ folder to
# $(MATHJAX_OUT), where _config.yml's mathjax_path points. Not under the book's
# _static/: Jupyter Book would add every .js there to every page.
# Pinned to 3.2.2, the last MathJax 3: Sphinx's mathjax extension and MyST's
# mathjax3_config are written for v3 (as is Sphinx's own default, mathjax@3),
# and MathJax 4 changes the file layout (no es5/) and moves its fonts into
# separate packages.
MATHJAX_VERSION := 3.2.2
MATHJAX_DIR := _build/mathjax
MATHJAX_PKG := $(MATHJAX_DIR)/node_modules/mathjax
MATHJAX_STAMP := $(MATHJAX_DIR)/.installed-$(MATHJAX_VERSION)
MATHJAX_OUT := _build/html/_static/mathjax

.PHONY: book test install clean

book: $(STAMP) $(MATHJAX_STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going
	mkdir -p $(MATHJAX_OUT)
	cp -R $(MATHJAX_PKG)/es5/. $(MATHJAX_PKG)/LICENSE $(MATHJAX_OUT)/

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

$(MATHJAX_STAMP):
	@command -v npm >/dev/null || { echo "make book needs npm (Node.js) to install MathJax" >&2; exit 1; }
	rm -rf $(MATHJAX_DIR)
	npm install --prefix $(MATHJAX_DIR) --no-save --no-package-lock --ignore-scripts \
		--no-audit --no-fund --loglevel=error mathjax@$(MATHJAX_VERSION)
	test -f $(MATHJAX_PKG)/es5/tex-mml-chtml.js
	touch $@

clean:
	rm -rf _build .pytest_cache
