# ibrep — the two commands a newcomer needs: `make replicate-saxe` and `make test`.
# Variables pass through: PROFILE (smoke|quick|paper), SEEDS (e.g. 0-4), JOBS, EXECUTOR, RAY_ADDRESS.

PROFILE ?= quick
JOBS ?= 2
SEEDS ?=
EXECUTOR ?=
PYTHON ?= python3
EXTRAS ?= dev
VENV := .venv
PY := $(VENV)/bin/python
IBREP := $(VENV)/bin/ibrep
PAPERS := saxe achille hu mao gupta

RUN_OPTS := --profile $(PROFILE) --jobs $(JOBS) $(if $(SEEDS),--seeds $(SEEDS)) \
            $(if $(EXECUTOR),--executor $(EXECUTOR)) $(if $(RAY_ADDRESS),--address $(RAY_ADDRESS))

.PHONY: setup test lint replicate-all reports bundles check check-offline clean atlas benchmarks $(addprefix replicate-,$(PAPERS))

setup: $(VENV)/.installed

# pip on this project's machines takes torch 2.14.1 / torchvision 0.29.1 from local disk.
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[$(EXTRAS)]'
	touch $@

test: setup
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check ibcore replications tests benchmarks

$(addprefix replicate-,$(PAPERS)): replicate-%: setup
	$(IBREP) replicate $* $(RUN_OPTS)

replicate-all: setup
	@status=0; for p in $(PAPERS); do $(IBREP) replicate $$p $(RUN_OPTS) || status=1; done; exit $$status

reports: setup
	@for p in $$($(IBREP) list --names); do \
	  $(IBREP) report $$p --profile $(PROFILE) || exit 1; done

bundles: setup
	@for p in $$($(IBREP) list --names); do \
	  $(IBREP) bundle $$p --profile $(PROFILE) || exit 1; done

check: setup
	$(IBREP) check $(RUN_OPTS)

check-offline: setup
	$(IBREP) check --offline --all-bundles

atlas: setup
	$(IBREP) atlas --profile $(PROFILE) --jobs $(JOBS)

benchmarks: setup
	$(PY) benchmarks/bench_mi.py

clean:
	rm -rf runs .pytest_cache .ruff_cache
