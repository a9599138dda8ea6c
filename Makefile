# Deepfakes Explained: `make site` builds _site/, `make test` runs every test.
# Each target installs what it needs (into .venv/ and node_modules/, and Debian packages
# when missing) and skips what is already there: stamps record what was installed from what.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY     := $(BIN)/python
STAMPS := $(VENV)/.stamps
APT_UPDATED := $(STAMPS)/apt-updated

.PHONY: site serve test weights videos bench check clean help
.DEFAULT_GOAL := help

help:
	@echo "make site     build the site into _site/ (installs Python and npm needs first)"
	@echo "make serve    build, serve on http://127.0.0.1:8000/ and rebuild on change"
	@echo "make test     install test needs (incl. Debian's chromium) and run the whole suite"
	@echo "make check    check _site/: links, anchors, assets, CSP, page weight"
	@echo "make weights  retrain every model into weights/ (PyTorch, CPU)"
	@echo "make videos   render the Manim scenes whose source changed into animations/renders/"
	@echo "make bench    print build, runtime and demo timings"

# --- installs ---------------------------------------------------------------------------
$(PY):
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMPS)/site: pyproject.toml | $(PY)
	$(BIN)/pip install --quiet -e .
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/test: pyproject.toml | $(PY)
	$(BIN)/pip install --quiet -e '.[test,train]'
	@mkdir -p $(STAMPS) && touch $@ $(STAMPS)/site

$(STAMPS)/bench: pyproject.toml | $(PY)
	$(BIN)/pip install --quiet -e '.[test,train,bench]'
	@mkdir -p $(STAMPS) && touch $@ $(STAMPS)/site

$(STAMPS)/train: pyproject.toml | $(PY)
	$(BIN)/pip install --quiet -e '.[train]'
	@mkdir -p $(STAMPS) && touch $@ $(STAMPS)/site

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Debian's chromium, for the browser tests (never a browser download of Playwright's own).
$(STAMPS)/chromium: | $(PY)
	@if ! command -v chromium >/dev/null 2>&1; then \
	  echo "installing Debian's chromium"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core; \
	fi
	@mkdir -p $(STAMPS) && touch $@

# Manim's system needs (Cairo and Pango with headers, to build pycairo and manimpango; FFmpeg;
# the scenes' font), then the `video` extra: for `make videos`, the render test and the bench.
$(STAMPS)/video-apt: | $(PY)
	@if ! (command -v ffmpeg && command -v ffprobe && pkg-config --exists cairo pangocairo \
	       && fc-list | grep -q "DejaVu Sans Mono") >/dev/null 2>&1; then \
	  echo "installing Manim's Debian packages"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    libcairo2-dev libpango1.0-dev pkg-config build-essential python3-dev ffmpeg fonts-dejavu-core; \
	fi
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/video: pyproject.toml $(STAMPS)/video-apt | $(PY)
	$(BIN)/pip install --quiet -e '.[video]'
	@mkdir -p $(STAMPS) && touch $@ $(STAMPS)/site

# --- the two set-up commands ------------------------------------------------------------
site: $(STAMPS)/site node_modules/.package-lock.json
	$(PY) -m site_builder build

serve: $(STAMPS)/site node_modules/.package-lock.json
	$(PY) -m site_builder serve --port 8000

# Two processes, each taking whole files (a file's shared pages and sites stay in one process).
test: $(STAMPS)/test $(STAMPS)/chromium $(STAMPS)/video node_modules/.package-lock.json
	$(PY) -m pytest -n 2 --dist loadfile

check: site
	$(PY) -m site_builder check _site

weights: $(STAMPS)/train
	$(PY) -m training all
	$(PY) -m training.demo_data

videos: $(STAMPS)/video
	$(PY) -m site_builder videos

bench: $(STAMPS)/bench $(STAMPS)/chromium $(STAMPS)/video node_modules/.package-lock.json
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf _site .build-cache
