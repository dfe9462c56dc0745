# statefulset-lab: the front door. `make help` lists the targets.
#
# Cluster choice: with KUBECONFIG set in the environment the lab runs on that
# cluster (KUBE_CONTEXT picks a context); without it, on the embedded lab
# cluster that `make cluster-up` builds and starts on this machine: a control
# plane and WORKERS worker nodes (0-3; default 2, or what the last up used).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

STACK ?= seed
OUT := out
PULUMI := pulumi --non-interactive
VENV := .venv
PY := $(VENV)/bin/python
TOOLCHAIN_BIN := $(shell toolchain/build.sh --print-bin)
LAB_STATE ?= $(or $(STATEFULSET_LAB_STATE),/var/lib/statefulset-lab)
LAB_KUBECONFIG := $(LAB_STATE)/admin.kubeconfig
# A KUBECONFIG that names the lab's own kubeconfig (as every recipe here
# exports it) is the lab cluster too, so a recursive make agrees with its parent.
USE_LAB_CLUSTER := $(if $(filter-out $(LAB_KUBECONFIG),$(KUBECONFIG)),,yes)

export PATH := $(abspath $(VENV))/bin:$(TOOLCHAIN_BIN):$(PATH)
export STATEFULSET_LAB_STATE := $(LAB_STATE)
ifneq ($(WORKERS),)
export STATEFULSET_LAB_WORKERS := $(WORKERS)
endif
# Tests that look at the node's disk need to know the node is this machine.
export STATEFULSET_LAB_CLUSTER := $(if $(USE_LAB_CLUSTER),1,0)
export KUBECONFIG := $(or $(KUBECONFIG),$(LAB_KUBECONFIG))
# Stacks live outside the lab cluster's state, so `make cluster-reset` keeps them.
PULUMI_STATE := $(or $(XDG_STATE_HOME),$(HOME)/.local/state)/statefulset-lab/pulumi-backend
export PULUMI_BACKEND_URL ?= file://$(PULUMI_STATE)
export PULUMI_CONFIG_PASSPHRASE ?= statefulset-lab
export PULUMI_SKIP_UPDATE_CHECK := true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION := true
export PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK := true

.PHONY: help
help: ## list the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

.PHONY: venv
venv: $(VENV)/.installed ## create the virtualenv with the pinned Python packages

# The policy pack (policy/) runs in a virtualenv of its own: pulumi-policy
# pins a protobuf the program's Pulumi SDK does not share.
POLICY_VENV := policy/.venv
POLICY_PACK := --policy-pack policy

$(POLICY_VENV)/.installed: policy/requirements.txt
	@test -x $(POLICY_VENV)/bin/python || python3 -m venv $(POLICY_VENV)
	$(Q)$(POLICY_VENV)/bin/python -m pip install -q --disable-pip-version-check -r policy/requirements.txt
	@touch $@

.PHONY: policy-venv
policy-venv: $(POLICY_VENV)/.installed ## create the policy pack's own virtualenv (pulumi-policy, pinned)

# `make up`, `make demo` and `make report` run their set-up quietly: these
# variables, set for them, reach every prerequisite (errors and the line
# naming a stopped worker still show on stderr). `make up QUIET= Q=` shows it all.
QUIET :=
Q :=

.PHONY: system-packages
system-packages: ## install the Debian packages the lab cluster needs (root)
	$(Q)toolchain/system-packages.sh $(QUIET)

.PHONY: toolchain
toolchain: ## build Pulumi, its plugins and Kubernetes from Go modules (cached)
	$(Q)toolchain/build.sh $(QUIET)

.PHONY: cluster-up
cluster-up: venv system-packages toolchain ## start the embedded lab cluster (idempotent)
	$(PY) -m labcluster up

.PHONY: cluster-down
cluster-down: venv ## stop the lab cluster, keeping its state
	$(PY) -m labcluster down

.PHONY: cluster-status
cluster-status: venv ## show every node's daemons, their logs, and the cluster checks
	$(PY) -m labcluster status

.PHONY: cluster-nodes
cluster-nodes: venv ## list the lab cluster's nodes: role, IP, pod CIDR, daemons, state
	$(PY) -m labcluster nodes

.PHONY: node-stop
node-stop: venv ## stop worker NODE (kubelet, kube-proxy, containerd, its containers): a node failure
	@test -n "$(NODE)" || { echo "error: name the worker: make node-stop NODE=lab-worker-0 (see make cluster-nodes)"; exit 1; }
	$(PY) -m labcluster node stop $(NODE)

.PHONY: node-start
node-start: venv ## start worker NODE again, with its state, images and volumes
	@test -n "$(NODE)" || { echo "error: name the worker: make node-start NODE=lab-worker-0 (see make cluster-nodes)"; exit 1; }
	$(PY) -m labcluster node start $(NODE)

.PHONY: cluster-reset
cluster-reset: venv ## stop the lab cluster and wipe its state and volumes
	$(PY) -m labcluster reset

.PHONY: unit
unit: venv system-packages ## run the unit tests (mocked, no cluster; the report page's in Chromium)
	$(PY) -m pytest tests/unit -q --numprocesses=2

.PHONY: lint
lint: venv ## ruff (lint + format check) and mypy
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

# The cluster the lab runs on: the embedded one, unless KUBECONFIG was given.
# Your own cluster needs neither root nor the Kubernetes binaries: only Pulumi,
# its Python language host, the kubernetes and command plugins (the probes and
# gates are pulumi-command resources) and a kubectl for the probes.
# `make up`, `make demo` and `make report` start the lab cluster only when it
# is entirely down: a worker an experiment stopped stays stopped (named in one line).
.PHONY: cluster
ifeq ($(USE_LAB_CLUSTER),yes)
cluster: venv system-packages toolchain
	$(Q)$(PY) -m labcluster ensure $(QUIET)
else
cluster: venv
	$(Q)toolchain/build.sh pulumi pulumi-language-python pulumi-resource-kubernetes pulumi-resource-command $(QUIET)
	@command -v kubectl >/dev/null || { echo "error: kubectl is not on PATH: install it, or run 'make toolchain' to build it"; exit 1; }
	@echo "Using your cluster: KUBECONFIG=$(KUBECONFIG) $(if $(KUBE_CONTEXT),context $(KUBE_CONTEXT),current context)" $(QUIET)
	@kubectl $(if $(KUBE_CONTEXT),--context $(KUBE_CONTEXT)) --request-timeout=10s get --raw /readyz >/dev/null || { \
	  echo "error: cannot reach the cluster of KUBECONFIG=$(KUBECONFIG). Check the file and context, or unset KUBECONFIG to use the lab cluster."; exit 1; }
endif

# An up killed halfway leaves its lock and pending operations behind:
# labstack.recover clears or explains them before anything else runs. It
# prints a line only when it cleared or refreshed something, which a quiet
# set-up must still say.
.PHONY: stack
stack: cluster
	@mkdir -p $(PULUMI_STATE)
	@$(PY) -m labstack.checkpoint $(STACK)
	$(Q)$(PULUMI) stack select --create $(STACK) $(QUIET)
	@$(PY) -m labstack.recover $(STACK)
	@$(PY) -m labstack.migrate $(STACK) $(QUIET)
	$(if $(KUBE_CONTEXT),$(Q)$(PULUMI) config set --stack $(STACK) context $(KUBE_CONTEXT))

# The next step of an experiment: SET="key=value ..." sets the stack's config
# first; REFRESH=1 lets Pulumi see what a lesson deleted (it creates it again).
SET_CONFIG = $(foreach kv,$(SET),$(PULUMI) config set --stack $(STACK) $(firstword $(subst =, ,$(kv))) '$(patsubst $(firstword $(subst =, ,$(kv)))=%,%,$(kv))' &&) true
# It ends with the step's verdicts: the report of the document this up's
# probes wrote (no second probe run), also after a failed up, whose exit code
# `make up` keeps.
UP_REPORT :=
.PHONY: up
up: QUIET := >/dev/null
up: Q := @
up: stack policy-venv ## pulumi up of STACK (default: seed) with the lab's advice, then its report; SET="lesson=drain ..." sets config first, REFRESH=1 refreshes
	$(Q)$(SET_CONFIG)
	@status=0; $(PULUMI) up --yes --stack $(STACK)$(if $(REFRESH), --refresh) $(POLICY_PACK) || status=$$?; \
	  $(PY) -m labstack.report $(STACK) $(UP_REPORT) --after-up $$status --out $(OUT)

.PHONY: preview
preview: QUIET := >/dev/null
preview: Q := @
preview: stack policy-venv ## pulumi preview of STACK with the lab's advice (policy/); SET="key=value ..." sets config first
	$(Q)$(SET_CONFIG)
	$(PULUMI) preview --stack $(STACK)$(if $(REFRESH), --refresh) $(POLICY_PACK)

# The up's report observes again only if the cluster changed since the
# stored document (an up that changed nothing runs no probes).
.PHONY: demo
demo: UP_REPORT := --observe-if-changed
demo: up ## set up everything, pulumi up the seed stack, print the report

# The report's own output only: the set-up it needs runs quietly (its
# errors, and a stopped worker's line, still show).
.PHONY: report
report: QUIET := >/dev/null
report: Q := @
report: stack ## re-run the probes of STACK and print the report, writing its files to out/
	@$(PY) -m labstack.report $(STACK) --observe --out $(OUT)

.PHONY: report-only
report-only: venv ## print the report of STACK's last probe run (how old, what changed since)
	@$(PY) -m labstack.report $(STACK) --out $(OUT)

# The whole tutorial in one command: every `make up` of docs/experiments.md on
# stacks and namespaces of its own (tour-<stack>, its own backend under the
# state dir), independent experiments side by side, the node experiment alone
# after them; then one page. ONLY/EXCLUDE="<stack> ..." narrow it, FROM=<step>
# resumes, JOBS sets how many experiments run at once. The node experiment
# stops a lab worker, so on your own cluster it is left out.
TOUR_EXCLUDE := $(strip $(EXCLUDE) $(if $(USE_LAB_CLUSTER),,nodes))

.PHONY: tour
tour: cluster ## every step of docs/experiments.md on its own stacks -> out/tour.html, out/tour-checks.xml (ONLY, EXCLUDE, FROM, JOBS)
	$(PY) -m tour --out $(OUT)$(if $(ONLY), --only $(ONLY))$(if $(TOUR_EXCLUDE), --exclude $(TOUR_EXCLUDE))$(if $(FROM), --from $(FROM))$(if $(JOBS), --jobs $(JOBS))

.PHONY: destroy
destroy: stack ## pulumi destroy of STACK (claim-template PVCs: see README)
	$(PULUMI) destroy --yes --stack $(STACK)

# The cluster tests look at the nodes' disks and the node experiments stop and
# start nodes, so they run only on the lab cluster.
CLUSTER_TESTS := $(if $(USE_LAB_CLUSTER),tests/cluster)
LAB_ONLY_E2E := $(if $(USE_LAB_CLUSTER),,--ignore=tests/e2e/lab_nodes)

# The scenarios mostly wait for the cluster, so E2E_WORKERS of them run side
# by side (pytest-xdist; groups and order in tests/conftest.py); E2E_WORKERS=0
# runs them one after another in one process.
E2E_WORKERS ?= 3

E2E_PYTEST = $(PY) -m pytest $(1) $(CLUSTER_TESTS) tests/e2e $(LAB_ONLY_E2E) --durations=15 --numprocesses=$(E2E_WORKERS) --dist=loadgroup

.PHONY: e2e
e2e: cluster policy-venv ## lab cluster tests and end-to-end experiments (real pulumi ups, Automation API), E2E_WORKERS side by side
	$(call E2E_PYTEST)

# One run, not `unit` then `e2e`: the unit tests are queued after the node
# experiments, so the workers those leave idle (they need the cluster to
# themselves) run the unit tests meanwhile (tests/conftest.py). What comes
# before it runs side by side too: the policy pack's virtualenv beside the
# project's, then lint beside the cluster's start (each target's output kept
# together); any of them failing stops the suite before the first test.
.PHONY: test
test: ## the whole suite: lint and the set-up side by side, then the unit, cluster and end-to-end tests in one side-by-side run
	$(MAKE) --no-print-directory --jobs=3 --output-sync=target lint venv system-packages cluster policy-venv
	$(call E2E_PYTEST,tests/unit)

# Mutation testing of the code that decides verdicts (probes/checks, creation
# order, the DNS plan, revisions; [tool.mutmut] in pyproject.toml): not part
# of `make test` (its time on this machine: docs/tests.md).
# Results are kept in mutants/, so a second run only runs what changed.
MUTATION_MIN ?= 90
MUTATION_CHILDREN ?= 2

.PHONY: mutation
mutation: venv ## mutation testing of the checks: the share of mutants the unit tests kill, per module
	$(VENV)/bin/mutmut run --max-children $(MUTATION_CHILDREN)
	$(PY) -m tests.mutation_summary --min $(MUTATION_MIN)

.PHONY: bench
bench: cluster ## benchmarks: pulumi vs kubectl, probes by replicas -> BENCHMARKS.md
	$(PY) -m bench
