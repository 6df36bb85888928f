# Two commands on a fresh machine: `make run` (the app on the embedded default graph) and
# `make test` (the whole suite). Both create .venv and install what they need.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test lint bench install clean neo4j-jars

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Neo4j's community engine (5.26 LTS) as jars, for the test suite's real Neo4j and for
# `peerlink server --engine neo4j`. Needs Maven and Java 17; without Maven the Neo4j tests
# are skipped here (CI installs it and requires them).
NEO4J_JARS := tests/neo4j/jars/.complete
$(NEO4J_JARS): tests/neo4j/pom.xml
	@if command -v mvn >/dev/null 2>&1; then \
	  rm -rf tests/neo4j/jars && \
	  mvn -q -B -f tests/neo4j/pom.xml dependency:copy-dependencies && touch $@; \
	else echo "make: mvn not found: Neo4j's jars not fetched, its tests will be skipped"; fi

neo4j-jars: $(NEO4J_JARS)

run: $(STAMP)
	$(BIN)/peerlink app

test: $(STAMP) $(NEO4J_JARS)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
