# Two commands do everything on a fresh machine: `make report` and `make test`.
# Each checks the Python version before anything installs, creates .venv when it
# is missing, and installs into it the versions requirements.txt pins for this
# platform: the report's packages for `make report`, those and the test tools for
# `make test`; again whenever requirements.txt or pyproject.toml change.
#
# uv installs them (seconds, against a minute for pip): the uv on PATH, or else
# one bootstrapped into .venv from the package index like any other package.
# INSTALLER=pip uses pip instead; requirements.txt pins every package, so both
# give the same versions. Each reads its user's own configuration (pip.conf and
# PIP_*; uv.toml and UV_*). When pip has an index configured and uv none, uv is
# given pip's, so that one setting serves both. docs/packaging.md has the details.

PYTHON_BASE ?= python3
VENV := .venv
PYTHON := $(VENV)/bin/python
INSTALLER ?= uv
# Only for bootstrapping when no uv is on PATH; what it installs is pinned by requirements.txt.
UV_VERSION ?= 0.13.9
UV_ON_PATH := $(shell command -v uv 2>/dev/null)
UV := $(or $(UV_ON_PATH),$(VENV)/bin/uv)
PARAMS ?=
NOTEBOOKS ?=
PYTEST_ARGS ?=
BENCH_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help report test test-long notebooks lab bench lock clean

## help: list the targets
help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST)

$(VENV)/pyvenv.cfg:
	@$(PYTHON_BASE) tools/check_python.py
	$(PYTHON_BASE) -m venv --without-pip $(VENV)

# With the base Python's pip, which installs into another environment with --python
# (pip 22.3+) and so spares the venv a copy of pip; else with a pip of the venv's own.
$(VENV)/bin/uv: | $(VENV)/pyvenv.cfg
	$(PYTHON_BASE) -m pip --python $(PYTHON) install --quiet uv==$(UV_VERSION) || \
	  { $(PYTHON) -m ensurepip --default-pip && $(PYTHON) -m pip install --quiet uv==$(UV_VERSION); }

$(VENV)/bin/pip: | $(VENV)/pyvenv.cfg
	$(PYTHON) -m ensurepip --upgrade --default-pip

ifeq ($(INSTALLER),pip)
INSTALLER_READY := $(VENV)/bin/pip
INSTALL = $(PYTHON) -m pip install --quiet
else
INSTALLER_READY := $(if $(UV_ON_PATH),,$(VENV)/bin/uv)
# pip's index (PIP_INDEX_URL or pip.conf's index-url), read only when installing and only if uv has none.
PIP_INDEX = $(or $(PIP_INDEX_URL),$(shell $(PYTHON_BASE) -m pip config get global.index-url 2>/dev/null))
UV_INDEX = $(if $(UV_DEFAULT_INDEX)$(UV_INDEX_URL),,$(if $(PIP_INDEX),UV_DEFAULT_INDEX='$(PIP_INDEX)'))
# pip compiles bytecode as it installs; uv leaves it to Python's cache on first import.
# Where PYTHONDONTWRITEBYTECODE is set (as on CI here) that cache is never written, and
# every run would compile pandas and Jupyter anew (twice as slow). There, uv compiles
# everything for the test and lab sets, and for the report set, which a new user
# waits for, only the modules the report imports (tools/report-modules.txt), in two
# processes at once (tools/compile_report_modules.py).
INSTALL = $(UV_INDEX) $(UV) pip install --quiet $(if $(PYTHONDONTWRITEBYTECODE),$(COMPILE_$*)) --python $(PYTHON)
COMPILE_lab := --compile-bytecode
COMPILE_test := --compile-bytecode
WARM_report = $(if $(PYTHONDONTWRITEBYTECODE),$(PYTHON) tools/compile_report_modules.py)
endif

# One stamp per set of packages: report (what the report needs), lab, test.
EXTRAS_report :=
EXTRAS_lab := [lab]
EXTRAS_test := [test]
$(VENV)/.installed-%: requirements.txt pyproject.toml | $(VENV)/pyvenv.cfg $(INSTALLER_READY)
	@$(PYTHON) tools/check_python.py
	@echo "Installing the locked packages for $* into $(VENV) (the first time takes a minute or two)..."
	$(INSTALL) --constraint requirements.txt --editable ".$(EXTRAS_$*)"
	$(WARM_$*)
	touch $@
	@echo "Installed into $(VENV)."

## report: run every notebook into build/ (PARAMS=file.yaml for parameters, NOTEBOOKS=01,03 for a subset)
# Variables are quoted: a parameter file's name may hold spaces.
report: $(VENV)/.installed-report
	$(PYTHON) -m report $(if $(PARAMS),--file '$(PARAMS)') $(if $(NOTEBOOKS),--notebooks '$(NOTEBOOKS)')

## test: lint and format checks (ruff), then the test suite, including nbval on the committed notebooks and the browser tests
test: $(VENV)/.installed-test
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m pytest $(PYTEST_ARGS)

## test-long: the long runs (hundreds of generated examples, every bundled source through real kernels); CI runs them too
test-long: $(VENV)/.installed-test
	$(PYTHON) -m pytest -m long tests $(PYTEST_ARGS)

## notebooks: maintainers only; re-execute notebooks/ in place to refresh their stored outputs
notebooks: $(VENV)/.installed-report
	$(PYTHON) -m report --refresh-notebooks

## lab: JupyterLab on the notebooks, from the project's venv
# (JupyterLab refuses to start as root without --allow-root; containers often run as root.)
lab: $(VENV)/.installed-lab
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

## bench: time the report and the tests against what Jupyter itself costs (BENCH_ARGS='--parts scale,first-run' for more)
bench: $(VENV)/.installed-test
	$(PYTHON) benchmarks/bench.py $(BENCH_ARGS)

## lock: maintainers only; re-resolve uv.lock from pyproject.toml, export it to requirements.txt, record the report's modules
lock: | $(if $(UV_ON_PATH),,$(VENV)/bin/uv)
	$(UV) lock
	$(UV) export --quiet --all-extras --no-hashes --no-emit-project --output-file requirements.txt
	$(MAKE) --no-print-directory $(VENV)/.installed-report
	$(PYTHON) tools/compile_report_modules.py --record

## clean: remove build/ (the report); .venv stays
clean:
	rm -rf build
