# One place for the project's tooling: every target sets up .venv when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench format clean lock

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/newsbot run

lint: $(STAMP)
	$(BIN)/ruff format --check bot tests bench
	$(BIN)/ruff check bot tests bench
	$(BIN)/mypy
	$(BIN)/hadolint Dockerfile

test: lint
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python -m bench

format: $(STAMP)
	$(BIN)/ruff format bot tests bench
	$(BIN)/ruff check --fix bot tests bench

# Re-pin requirements.lock (the image's dependencies) to what pip resolves today, binary
# wheels only; the comment lines at its top are kept. Needs the package index.
lock: $(STAMP)
	$(BIN)/pip install --quiet --dry-run --ignore-installed --only-binary=:all: \
		--report $(VENV)/lock.json .
	$(BIN)/python -c 'import json; r = json.load(open("$(VENV)/lock.json")); \
		pins = sorted(["%s==%s" % (p["metadata"]["name"], p["metadata"]["version"]) \
		for p in r["install"] if p["metadata"]["name"] != "newsbot"], key=str.lower); \
		head = [l for l in open("requirements.lock") if l.startswith("#")]; \
		open("requirements.lock", "w").write("".join(head) + "\n".join(pins) + "\n")'

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache build *.egg-info
