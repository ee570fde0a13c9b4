# hakusho — the two commands are `make extract` and `make test`; both set everything up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup extract test check-rules eval bench report clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@$(BIN)/python -c "import fugashi, unidic_lite, spacy, ja_ginza, pandas" && touch $(STAMP)

extract: setup
	$(BIN)/python -m pipeline extract --raw raw --rules rules --out output

test: setup
	$(BIN)/python -m pytest -q

check-rules: setup
	$(BIN)/python -m pipeline check-rules --rules rules

clean:
	rm -rf $(VENV) output .output.previous .output.tmp-* .cache .pytest_cache .hypothesis *.egg-info

eval: setup
	$(BIN)/python -m pipeline eval --output output --gold tests/gold --raw raw

bench: setup
	$(BIN)/python -m pipeline bench

report: setup
	$(BIN)/python -m pipeline report --output output
