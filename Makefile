# sopimus — `make pdf` and `make test` set everything up on a fresh machine
# (a virtual environment in .venv with the dependencies of pyproject.toml).
#
#   make pdf LANGS=sv          languages: LANGS="fi sv" (default: the project's)
#   make report PERIOD=2026-H1
#   make pdf OPTS="-E -j auto" any other `sopimus build` options
#   make redline AGAINST=v2026 what changed since a git revision (or a folder)

PYTHON   ?= python3
VENV     ?= .venv
BIN      := $(VENV)/bin
SOPIMUS  := $(BIN)/sopimus
SOURCEDIR ?= content
OUTDIR   ?= build
LANGS    ?=
PERIOD   ?=
PORT     ?=
AGAINST  ?=
OPTS     ?=
PYTEST_ARGS ?=
LANGFLAGS := $(foreach l,$(LANGS),-l $(l))
PERIODFLAG := $(if $(PERIOD),--period $(PERIOD),)
AGAINSTFLAG := $(if $(AGAINST),--against $(AGAINST),)
STAMP    := $(VENV)/.installed

BUILDERS := pdf docx html json gettext publish report

.PHONY: $(BUILDERS) redline check test test-wheel fuzz docs bench serve clean catalogs update-po setup help

help:
	@echo "make pdf | docx | html | json | publish | report | gettext   build (LANGS=\"fi sv\", PERIOD=2026-H1, OPTS=…)"
	@echo "make redline AGAINST=<rev>   what changed since a git revision or tag (or a folder)"
	@echo "make serve      live preview at http://127.0.0.1:8000/ (PORT=…, LANGS=…)"
	@echo "make check      check the sources (AGAINST=<rev>: the old version too)"
	@echo "make test       run the test suite"
	@echo "make test-wheel build the wheel, install it outside the repository, use it there"
	@echo "make fuzz       the property-based tests with many examples (FUZZ_EXAMPLES=2000; slow)"
	@echo "make bench      measure build speed against rst2pdf and pandoc"
	@echo "make catalogs   extract the labels into src/sopimus/locales/*/LC_MESSAGES/sopimus.po"
	@echo "make update-po  update the content translations (locales/*/LC_MESSAGES/<document>.po)"
	@echo "make docs       regenerate docs/api.md from the docstrings"
	@echo "make clean      remove build/"

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

$(BUILDERS): $(STAMP)
	$(SOPIMUS) build -b $@ $(LANGFLAGS) $(PERIODFLAG) $(OPTS) $(SOURCEDIR) $(OUTDIR)

redline: $(STAMP)
	@test -n "$(AGAINST)" || { echo "make redline AGAINST=<git revision, tag or folder>" >&2; exit 2; }
	$(SOPIMUS) build -b redline $(AGAINSTFLAG) $(LANGFLAGS) $(OPTS) $(SOURCEDIR) $(OUTDIR)

check: $(STAMP)
	$(SOPIMUS) check $(AGAINSTFLAG) $(SOURCEDIR)

serve: $(STAMP)
	$(SOPIMUS) serve $(LANGFLAGS) $(if $(PORT),--port $(PORT),) $(SOURCEDIR)

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

docs: $(STAMP)
	$(BIN)/python -m tools.make_api_docs

test-wheel: $(STAMP)
	$(BIN)/python -m pytest -m wheel tests/test_wheel.py $(PYTEST_ARGS)

# the property tests (pytest -m fuzz) with fresh randomness and many examples;
# `make test` runs the same tests with a fixed seed and a few examples
FUZZ_EXAMPLES ?= 2000
fuzz: $(STAMP)
	SOPIMUS_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -m fuzz --hypothesis-profile=fuzz -p no:cacheprovider $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m tools.bench

# The label catalogs are package data (they ship in the wheel): src/sopimus/locales.
LABELS := src/sopimus/locales
catalogs: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg --no-location --sort-output --omit-header \
		-k N_ -o $(LABELS)/sopimus.pot src
	@for l in fi sv; do \
		if [ -f $(LABELS)/$$l/LC_MESSAGES/sopimus.po ]; then \
			$(BIN)/pybabel -q update --no-wrap --ignore-obsolete --ignore-pot-creation-date -D sopimus -i $(LABELS)/sopimus.pot -d $(LABELS) -l $$l; \
		else \
			$(BIN)/pybabel -q init --no-wrap -D sopimus -i $(LABELS)/sopimus.pot -d $(LABELS) -l $$l; \
		fi; \
	done
	@rm -f $(LABELS)/sopimus.pot

update-po: $(STAMP)
	$(SOPIMUS) update-po $(LANGFLAGS) $(SOURCEDIR)

clean:
	rm -rf $(OUTDIR)
