# Chuangwen: `make demo` serves the Shiyan demo city, `make test` runs the test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
VENDOR := chuangwen/static/vendor
export DJANGO_SETTINGS_MODULE := chuangwen.settings

.PHONY: install assets messages demo serve test lint format bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: $(VENDOR)/.built

$(VENDOR)/.built: node_modules/.installed Makefile
	mkdir -p $(VENDOR)/htmx $(VENDOR)/leaflet $(VENDOR)/echarts $(VENDOR)/leaflet-plugins
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp -r node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css \
		node_modules/leaflet/dist/images $(VENDOR)/leaflet/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/echarts/
	cp node_modules/leaflet.markercluster/dist/leaflet.markercluster.js \
		node_modules/leaflet.markercluster/dist/MarkerCluster.css \
		node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css \
		node_modules/leaflet.heat/dist/leaflet-heat.js $(VENDOR)/leaflet-plugins/
	touch $@

# The English catalogue: translators edit the .po, make compiles the .mo (GNU gettext).
PO := chuangwen/locale/en/LC_MESSAGES/django.po
MO := $(PO:.po=.mo)

$(MO): $(PO)
	msgfmt --check --output-file=$@ $<

# After changing UI text: extract the messages into the .po, then translate the new ones.
messages: install
	cd chuangwen && CHUANGWEN_TESTING=1 ../$(BIN)/python -m django makemessages --locale en \
		--no-location --no-wrap --no-obsolete --ignore 'testing/*' --ignore '*/tests/*' -v0
	@msgfmt --statistics --output-file=/dev/null $(PO)

var/secret_key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

demo: install assets $(MO) var/secret_key
	scripts/demo.sh

# One test process per core (pytest-xdist); TEST_WORKERS=0 runs them all in this one.
TEST_WORKERS ?= auto
test: install assets $(MO)
	CHUANGWEN_TESTING=1 $(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	CHUANGWEN_TESTING=1 $(BIN)/python bench/routing.py
	CHUANGWEN_TESTING=1 $(BIN)/python bench/deadlines.py
	$(BIN)/python bench/intake.py
	$(BIN)/python bench/duplicates.py
	$(BIN)/python bench/imports.py
	$(BIN)/python bench/evaluation.py
	$(BIN)/python bench/assessment.py --keep
	$(BIN)/python bench/dashboard.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var/static
