# blueprint.aws: every command a user or CI needs, each doing its own set-up from nothing.
#   make demo   converge the lattice stack (emulator + systemd test hosts), print its outputs and a CRUD round trip
#   make test   every gate: unit, emulator integration, molecule, ansible-lint, ansible-test sanity

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STACK ?= lattice
PORT ?= 5000
RUN := .run
COLLECTION_LINK := .collections/ansible_collections/blueprint/aws
REQUIREMENTS_STAMP := $(VENV)/.requirements-$(shell cat requirements.txt requirements-dev.txt | sha256sum | cut -c1-12)

export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: help setup host-packages engine image emulator demo demo-down teardown test test-unit test-integration \
	test-molecule lint sanity changelog-lint build clean

help:
	@echo "make demo       converge the '$(STACK)' stack on the emulator and test hosts; outputs and a CRUD round trip"
	@echo "make test       run every gate (what CI runs)"
	@echo "make teardown   destroy the demo stack (add CONFIRM_DATA=yes to drop data stores too)"
	@echo "make emulator PORT=n   the emulator in the foreground on 127.0.0.1:n"
	@echo "make setup | engine | image | lint | sanity | build | clean"

setup: $(REQUIREMENTS_STAMP) $(COLLECTION_LINK)

$(REQUIREMENTS_STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.requirements-* && touch $@

$(COLLECTION_LINK):
	mkdir -p $(dir $@)
	ln -sfn ../../.. $@

host-packages:
	tests/harness/host-packages.sh

engine: host-packages
	tests/harness/engine.sh

image: setup engine
	$(BIN)/python tests/harness/hostimage.py

emulator: setup
	$(BIN)/python tests/harness/emulator.py --port $(PORT)

# The demo keeps its emulator and hosts running (molecule converge), so a second `make demo` changes nothing.
demo: setup image
	tests/harness/demo.sh up $(STACK)

teardown: setup
	tests/harness/demo.sh down $(STACK) $(if $(CONFIRM_DATA),-e blueprint_confirm_data_destruction=true,)

demo-down:
	tests/harness/demo.sh stop $(STACK)

test: setup image
	tests/run-gates.sh

test-unit: setup
	$(BIN)/pytest -q -n 2 tests/unit

test-integration: setup
	$(BIN)/pytest -q tests/integration

test-molecule: setup image
	$(BIN)/molecule test --all

lint: setup
	$(BIN)/ansible-lint --profile production

sanity: setup
	tests/sanity.sh

changelog-lint: setup
	$(BIN)/antsibull-changelog lint

build: setup
	$(BIN)/ansible-galaxy collection build --force --output-path $(RUN)

clean: demo-down
	rm -rf $(VENV) .collections $(RUN) tests/output .pytest_cache
