# Two commands set everything up from a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The sample plans are written for this date; pin it so the demo shows
# green, amber and red plans whatever day it is run.
DEMO_AS_OF ?= 2026-12-01

.PHONY: demo test lint check schema snapshots golden deck-template bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: $(STAMP)
	$(BIN)/planpack validate plans --as-of $(DEMO_AS_OF)
	$(BIN)/planpack score plans --as-of $(DEMO_AS_OF)
	$(BIN)/planpack build --offline --kind checkin --format pdf,pptx --as-of $(DEMO_AS_OF)
	# The QBR build last, so the roll-ups link to the QBR packets.
	$(BIN)/planpack build --offline --kind qbr --format pdf,pptx --as-of $(DEMO_AS_OF)
	@echo "The sample packets, decks and the managers' roll-ups are in output/"

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check planpack tests bench
	$(BIN)/mypy

check: lint test

# Regenerate the committed JSON Schema after changing the models.
schema: $(STAMP)
	$(BIN)/planpack schema > plan.schema.json

# Regenerate the sample plans' Salesforce snapshots: a real pull from the stand-in
# org in tests/support/sample_org.py, as of the demo date.
snapshots: $(STAMP)
	$(BIN)/python tests/support/sample_org.py

# Regenerate planpack's default PowerPoint template (a test fails when it is stale).
deck-template: $(STAMP)
	$(BIN)/python -m planpack.render.deck.template templates/deck.pptx

# Regenerate the packets' golden text (tests/golden/) after an intended change to the
# templates, the charts or the sample plan; review the diff before committing it.
golden: $(STAMP)
	PLANPACK_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_pdf_packet.py -k golden

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python bench/validate.py
	$(BIN)/python bench/pull.py
	$(BIN)/python bench/diff.py
	$(BIN)/python bench/render_pdf.py
	$(BIN)/python bench/render_pptx.py
	$(BIN)/python bench/build.py

clean:
	rm -rf $(VENV) output .pytest_cache .mypy_cache .ruff_cache
