# ParkLink: `make run` serves the demo, `make test` runs lint and the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test lint fmt lock demo worker bench clean messages

setup: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -c requirements.lock -e '.[dev]'
	@touch $(STAMP)

# Translations: the compiled .mo files are committed, so a machine without GNU gettext runs;
# `make messages` (needs msgfmt) refreshes them after editing parklink/locale/*/LC_MESSAGES/django.po.
messages: setup
	cd parklink && ../$(BIN)/parklink makemessages -l en --no-obsolete -v 0
	cd parklink && ../$(BIN)/parklink compilemessages -v 0

# `make run` serves the product as users see it: DEBUG off, static files from WhiteNoise,
# branded error pages, the background worker beside the server (Ctrl-C stops both).
# Developer mode (code reload, DEBUG on): PARKLINK_DEBUG=1 make run
run: setup
	$(BIN)/parklink demo
	@echo ""
	@echo "门户 Portal:      http://$(HOST):$(PORT)/"
	@echo "招商后台 Office:  http://$(HOST):$(PORT)/office/  (log in with a demo account above)"
	@echo "管理 Admin:       http://$(HOST):$(PORT)/admin/"
	@echo "API:              http://$(HOST):$(PORT)/api/v1/docs"
	PARKLINK_DEBUG=$${PARKLINK_DEBUG:-0} $(BIN)/parklink serve $(HOST):$(PORT)

lint: setup
	$(BIN)/ruff check parklink tests bench

test: setup lint
	$(BIN)/pytest $(PYTEST_ARGS)

fmt: setup
	$(BIN)/ruff check --fix parklink tests bench
	$(BIN)/ruff format parklink tests bench

lock: setup
	$(BIN)/python -m pip install -q -e '.[dev]'
	( sed -n '1,3p' requirements.lock; $(BIN)/python -m pip freeze --exclude-editable | grep -iv '^parklink' ) > requirements.lock.new
	mv requirements.lock.new requirements.lock

demo: setup
	$(BIN)/parklink demo

worker: setup
	$(BIN)/parklink worker

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
