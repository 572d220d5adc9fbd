# Two commands do everything on a fresh machine: `make report` and `make test`.
# Each creates .venv from requirements.txt when it is missing or older than
# requirements.txt, so nothing depends on what happens to be installed.

PYTHON_BASE ?= python3
VENV := .venv
PYTHON := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
PARAMS ?=
NOTEBOOKS ?=
PYTEST_ARGS ?=

.PHONY: report test notebooks lab bench venv clean

$(INSTALLED): requirements.txt pyproject.toml
	@echo "Installing the pinned packages of requirements.txt into $(VENV) (the first time takes a few minutes)..."
	$(PYTHON_BASE) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --requirement requirements.txt
	touch $(INSTALLED)
	@echo "Installed into $(VENV)."

venv: $(INSTALLED)

## report: run every notebook into build/ (PARAMS=file.yaml for parameters, NOTEBOOKS=01,03 for a subset)
report: $(INSTALLED)
	$(PYTHON) -m helpers.run $(if $(PARAMS),--file $(PARAMS)) $(if $(NOTEBOOKS),--notebooks $(NOTEBOOKS))

## test: lint and format checks (ruff), then the whole test suite, including nbval on the committed notebooks
test: $(INSTALLED)
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m pytest $(PYTEST_ARGS)

## notebooks: maintainers only; re-execute notebooks/ in place to refresh their stored outputs
notebooks: $(INSTALLED)
	$(PYTHON) -m helpers.run --refresh-notebooks

## lab: JupyterLab on the notebooks, from the project's venv
# (JupyterLab refuses to start as root without --allow-root; containers often run as root.)
lab: $(INSTALLED)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

## bench: time the report and the tests against what Jupyter itself costs
bench: $(INSTALLED)
	$(PYTHON) benchmarks/bench.py

clean:
	rm -rf build
