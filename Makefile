# Two commands do all setup: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

# `make serve`: production settings (gunicorn, deploy/gunicorn.conf.py), see deploy/README.md.
.PHONY: run serve test test-sqlite test-postgres install install-test browser pdf vnu vendor lint clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test vnu

## vnu: the W3C Nu HTML checker (pinned vnu-jar, sha256-checked) for tests/test_html_geldig.py.
vnu:
	@command -v java >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null; \
	  else echo "java ontbreekt: sudo apt-get install -y default-jre-headless"; fi; }
	bash tools/vnu.sh

## run: create the database (migrations), load demo data when empty, print the logins, serve.
run: install pdf
	$(BIN)/leerplicht db upgrade
	$(BIN)/leerplicht demo --if-empty
	@echo "Leerplicht draait op http://$(HOST):$(PORT)  (stoppen: Ctrl+C)"
	LEERPLICHT_INSECURE_COOKIES=1 $(BIN)/leerplicht run --host $(HOST) --port $(PORT)

## serve: migrations, then gunicorn with the settings of deploy/gunicorn.conf.py (no demo data;
## secure cookies: put HTTPS in front, see deploy/README.md).
serve: install pdf
	$(BIN)/leerplicht db upgrade
	$(BIN)/gunicorn --config deploy/gunicorn.conf.py

## pdf: Pango, which WeasyPrint needs for the jaarverslag's PDF (Chromium brings it too).
pdf:
	@ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
	  else echo "Pango ontbreekt (pdf van het jaarverslag): sudo apt-get install -y libpango-1.0-0 libpangoft2-1.0-0"; fi; }

## browser: Debian's Chromium for the browser tests (never a downloaded browser build).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium ontbreekt: sudo apt-get install -y chromium"; fi; }

## test: the whole suite on SQLite, then on PostgreSQL when LEERPLICHT_TEST_DATABASE_URL is set.
test: install-test browser pdf lint test-sqlite test-postgres

lint: install-test
	$(BIN)/ruff check .

test-sqlite: install-test
	env -u LEERPLICHT_TEST_DATABASE_URL $(BIN)/pytest

## test-postgres: pg_dump/pg_restore (postgresql-client) are needed by tests/test_backup.py.
test-postgres: install-test
	@if [ -n "$$LEERPLICHT_TEST_DATABASE_URL" ]; then \
	  command -v pg_dump >/dev/null 2>&1 || { \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq postgresql-client >/dev/null; \
	    else echo "pg_dump ontbreekt: sudo apt-get install -y postgresql-client"; fi; }; \
	  echo "== PostgreSQL: $$LEERPLICHT_TEST_DATABASE_URL"; \
	  $(BIN)/pytest -m "not browser and not html"; \
	else echo "LEERPLICHT_TEST_DATABASE_URL niet gezet: PostgreSQL-run overgeslagen"; fi

## vendor: pack the pinned front-end files from the npm registry into static/vendor/.
vendor:
	bash tools/vendor.sh

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
