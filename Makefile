# hakusho — the two commands are `make extract` and `make test`; both set everything up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup bytecode extract test check-rules pin-rules eval bench bench-archive report report-png xlsx clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@$(BIN)/python -c "import fugashi, unidic_lite, spacy, ja_ginza, pandas" && touch $(STAMP)

# the package's bytecode, compiled ahead (a machine may set PYTHONDONTWRITEBYTECODE, and then every run
# would compile every module from source again); a changed module is compiled again, an unchanged one not
bytecode: setup
	@$(BIN)/python -m compileall -q pipeline

extract: setup bytecode
	$(BIN)/python -m pipeline extract --raw raw --rules rules --out output

test: setup
	$(BIN)/python -m pytest -q

# validate every rule file and run every rule's examples and counter-examples
check-rules: setup
	$(BIN)/python -m pipeline check-rules --rules rules

# the tests read the shipped rules from a pinned copy (a user's edits to rules/ break no test);
# after changing the shipped rules on purpose, pin them again
pin-rules:
	rm -f tests/pinned_rules/*.yaml && cp rules/*.yaml tests/pinned_rules/

clean:
	rm -rf $(VENV) pipeline/__pycache__ pipeline/*/__pycache__ output .output.previous .output.tmp-* .output.lock .cache .pytest_cache .hypothesis *.egg-info

# scores against tests/gold (and one line per document), then the ablation: the F1 the GiNZA model
# adds on the development sets and the seconds it costs; the real pages of .realdev/ join when present
REALDEV_GOLD ?= ../shared/realdev/gold
eval: setup
	$(BIN)/python -m pipeline eval --output output --gold tests/gold --raw raw --per-doc
	$(BIN)/python -m pipeline eval --ablation seed=raw:tests/gold --ablation dev=tests/data/dev/raw:tests/gold-dev \
	  $(if $(wildcard .realdev/*),$(if $(wildcard $(REALDEV_GOLD)),--ablation realdev=.realdev:$(REALDEV_GOLD)))

# output/hakusho.xlsx: every table of output/ as one sheet (`extract --xlsx` writes it with the tables)
xlsx: setup
	$(BIN)/python -m pipeline xlsx --output output

bench: setup bytecode
	$(BIN)/python -m pipeline bench

# 20 editions (~20M characters): throughput, peak memory, a run killed half-way and its resume
bench-archive: setup bytecode
	$(BIN)/python -m pipeline bench --archive

report: setup
	$(BIN)/python -m pipeline report --output output

# browser check (not part of `make test`): headless Chromium renders the report to output.report/index.png
report-png: setup
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing Debian's chromium and fonts-noto-cjk"; \
	    apt-get install -y chromium fonts-noto-cjk || { apt-get update && apt-get install -y chromium fonts-noto-cjk; }; \
	  else echo "chromium is missing: run  sudo apt-get install -y chromium fonts-noto-cjk" >&2; exit 1; fi; }
	@fc-list :lang=ja 2>/dev/null | grep -q . || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get install -y fonts-noto-cjk; \
	  else echo "no Japanese font: run  sudo apt-get install -y fonts-noto-cjk" >&2; exit 1; fi; }
	$(BIN)/python -m pipeline report --output output --png
