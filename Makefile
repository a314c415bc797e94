# Hanout: `make run` starts the product with demo data, `make test` runs the suite.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: run test test-desktop lint demo clean-venv desktop-translations

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Hanout needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	@echo "Installing Hanout and its libraries into $(VENV) (a few minutes the first time)..."
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml desktop/pyproject.toml | $(BIN)/python
	@echo "Installing Hanout, the desktop app and the test tools into $(VENV) (a few minutes the first time)..."
	$(BIN)/pip install --quiet -e '.[test]' -e './desktop[test]'
	@touch $@ $(VENV)/.installed-run

## run: install into .venv, migrate, load demo data on first start, serve on http://127.0.0.1:8000
run: $(VENV)/.installed-run
	$(BIN)/hanout serve $(RUN_ARGS)

## test: install the test tools (and Debian's chromium when root), run the whole suite
test: $(VENV)/.installed-test
	@scripts/system-packages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## test-desktop: the same, the desktop app's tests only (desktop/tests)
test-desktop: $(VENV)/.installed-test
	@scripts/system-packages
	$(BIN)/python -m pytest desktop/tests $(PYTEST_ARGS)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## desktop-translations: collect the desktop app's strings into its .ts files (Qt Linguist),
##   then compile them to the .qm files it loads
DESKTOP_PKG := desktop/src/hanout_desktop
# lupdate refuses to update a catalog in a language it does not know, and Qt Linguist
# does not know Tamazight (zgh): that one is updated as Japanese (no plural forms
# either, like zgh's) and its language put back.
desktop-translations: $(VENV)/.installed-test
	for lang in fr ar zgh; do ts=$(DESKTOP_PKG)/i18n/hanout_desktop_$$lang.ts; as=$$lang; \
	  if [ $$lang = zgh ]; then as=ja; sed -i 's/language="zgh"/language="ja"/' $$ts; fi; \
	  (cd $(DESKTOP_PKG) && $(abspath $(BIN))/pyside6-lupdate -silent \
	  -no-obsolete -locations none -target-language $$as -extensions py,qml . \
	  -ts i18n/hanout_desktop_$$lang.ts) || exit 1; \
	  sed -i 's/language="ja"/language="zgh"/' $$ts; done
	for ts in $(DESKTOP_PKG)/i18n/*.ts; do $(BIN)/pyside6-lrelease -silent $$ts -qm $${ts%.ts}.qm; done

demo: $(VENV)/.installed-run
	$(BIN)/hanout demo

clean-venv:
	rm -rf $(VENV)

## bench-generate: a catalog of N products (default 1,000,000) for the benchmarks;
##   DB=sqlite (HANOUT_DATA_DIR, default /tmp/bench-sqlite) or DB=postgres (BENCH_PG_URL)
N ?= 1000000
DB ?= sqlite
BENCH_DATA_DIR ?= /tmp/bench-$(DB)
BENCH_PG_URL ?= postgres://postgres@127.0.0.1:5432/hanout_bench
BENCH_ENV = HANOUT_DATA_DIR=$(BENCH_DATA_DIR) $(if $(filter postgres,$(DB)),DATABASE_URL=$(BENCH_PG_URL))

.PHONY: bench-generate bench-http
bench-generate: $(VENV)/.installed-run
	$(BENCH_ENV) $(BIN)/python bench/generate_catalog.py --products $(N)

## bench-http: start `hanout serve --no-demo` on that data, time lookups, searches, pages, export
bench-http: $(VENV)/.installed-run
	$(BENCH_ENV) $(BIN)/python bench/http_bench.py --start-server $(BENCH_ARGS)

## bench-sales-generate: LINES register ticket lines (default 5,000,000) over 3 years, 1,000
##   products, then the daily report tables; DB=sqlite (/tmp/bench-sales-sqlite) or DB=postgres
LINES ?= 5000000
SALES_DATA_DIR ?= /tmp/bench-sales-$(DB)
SALES_PG_URL ?= postgres://postgres@127.0.0.1:5432/hanout_bench_sales
SALES_ENV = HANOUT_DATA_DIR=$(SALES_DATA_DIR) $(if $(filter postgres,$(DB)),DATABASE_URL=$(SALES_PG_URL))

.PHONY: bench-sales-generate bench-reports
bench-sales-generate: $(VENV)/.installed-run
	$(SALES_ENV) $(BIN)/python bench/generate_sales.py --lines $(LINES)

## bench-reports: on that data, time the sales report (a year by day, a quarter by product)
##   and the dashboard against hand-written SQL (REPORTS_ARGS, e.g. "--runs 50 --http")
bench-reports: $(VENV)/.installed-run
	$(SALES_ENV) $(BIN)/python bench/bench_reports.py $(REPORTS_ARGS)

## bench-wallet: wallet transfers/s with 16 concurrent clients on PostgreSQL (127.0.0.1:5432,
##   its own database hanout_bench_wallet, made and dropped), service layer and API, then the
##   lost-update check (WALLET_ARGS, e.g. "--seconds 20 --no-api")
.PHONY: bench-wallet
bench-wallet: $(VENV)/.installed-run
	$(BIN)/python bench/bench_wallet.py $(WALLET_ARGS)

## bench-desktop: the desktop app's start-up to the sign-in window, and the catalog explorer
##   scrolled through 10,000 products (frame times); DESKTOP_ARGS e.g. "--products 10000 --runs 5"
.PHONY: bench-desktop
bench-desktop: $(VENV)/.installed-test
	$(BIN)/python bench/bench_desktop.py $(DESKTOP_ARGS)

## bench-sync: a hub (hanout serve, PostgreSQL when it answers) and a store (SQLite); the store
##   sells SALES tickets while linked, then `hanout sync push` is timed (target 10,000 in < 30 s);
##   SYNC_ARGS="--sales 73000 --first-sync" times the first sync of a year of a busy shop
SALES ?= 10000
.PHONY: bench-sync
bench-sync: $(VENV)/.installed-test
	$(BIN)/python bench/bench_sync.py --sales $(SALES) $(SYNC_ARGS)

## bench-chat: 1,000 WebSockets on one server process, a message to all of them: delivery
##   p50/p99, messages/s, the loss check; in memory and through channels-redis (127.0.0.1:6379/8)
##   (CHAT_ARGS, e.g. "--clients 200 --layers memory")
.PHONY: bench-chat
bench-chat: $(VENV)/.installed-run
	$(BIN)/python bench/bench_chat.py $(CHAT_ARGS)
