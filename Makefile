# statefulset-lab: the front door. `make help` lists the targets.
#
# Cluster choice: with KUBECONFIG set in the environment the lab runs on that
# cluster (KUBE_CONTEXT picks a context); without it, on the embedded lab
# cluster that `make cluster-up` builds and starts on this machine.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

STACK ?= seed
VENV := .venv
PY := $(VENV)/bin/python
TOOLCHAIN_BIN := $(shell toolchain/build.sh --print-bin)
LAB_STATE ?= $(or $(STATEFULSET_LAB_STATE),/var/lib/statefulset-lab)
LAB_KUBECONFIG := $(LAB_STATE)/admin.kubeconfig
USE_LAB_CLUSTER := $(if $(KUBECONFIG),,yes)

export PATH := $(abspath $(VENV))/bin:$(TOOLCHAIN_BIN):$(PATH)
export STATEFULSET_LAB_STATE := $(LAB_STATE)
export KUBECONFIG := $(or $(KUBECONFIG),$(LAB_KUBECONFIG))
export PULUMI_BACKEND_URL ?= file://$(LAB_STATE)/pulumi-backend
export PULUMI_CONFIG_PASSPHRASE ?= statefulset-lab
export PULUMI_SKIP_UPDATE_CHECK := true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION := true
export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK := true

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

.PHONY: venv
venv: $(VENV)/.installed ## create the virtualenv with the pinned Python packages

.PHONY: system-packages
system-packages: ## install the Debian packages the lab cluster needs (root)
	toolchain/system-packages.sh

.PHONY: toolchain
toolchain: ## build Pulumi, its plugins and Kubernetes from Go modules (cached)
	toolchain/build.sh

.PHONY: cluster-up
cluster-up: venv system-packages toolchain ## start the embedded lab cluster (idempotent)
	$(PY) -m labcluster up

.PHONY: cluster-down
cluster-down: venv ## stop the lab cluster, keeping its state
	$(PY) -m labcluster down

.PHONY: cluster-status
cluster-status: venv ## show each lab cluster component and its log
	$(PY) -m labcluster status

.PHONY: cluster-reset
cluster-reset: venv ## stop the lab cluster and wipe its state and volumes
	$(PY) -m labcluster reset

.PHONY: unit
unit: venv ## run the unit tests (mocked, no cluster)
	$(PY) -m pytest tests/unit -q

.PHONY: lint
lint: venv ## ruff (lint + format check) and mypy
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
