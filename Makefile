# Two commands: `make run` sets everything up and opens the app; `make test` sets up and runs the tests.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# System libraries: PortAudio for sounddevice, espeak-ng for pyttsx3's voices.
APT_RUN := libportaudio2 espeak-ng libespeak-ng1
# tmux drives the real app in the end-to-end terminal test; zsh and fish load the completion scripts.
APT_TEST := $(APT_RUN) tmux zsh fish
# torch is pinned to the CPU build on this disk; a bare `torch` would pull a multi-GB CUDA build.
TORCH := torch==2.13.0
# Installed without its dependencies: they come with the openai-whisper extra, all but triton
# (about 1 GB, used only on CUDA).
OPENAI_WHISPER := openai-whisper==20250625

.PHONY: setup setup-test run test check lint bench clean

setup: $(VENV)/.setup-run

setup-test: $(VENV)/.setup-test

$(VENV)/.setup-run: pyproject.toml Makefile
	@$(MAKE) --no-print-directory apt PKGS="$(APT_RUN)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -e .
	@touch $@

$(VENV)/.setup-test: $(VENV)/.setup-run
	@$(MAKE) --no-print-directory apt PKGS="$(APT_TEST)"
	$(BIN)/python -m pip install -q --disable-pip-version-check $(TORCH)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev,openai-whisper,neural-voice]'
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps $(OPENAI_WHISPER)
	@touch $@

# Installs missing Debian packages when root; otherwise prints the exact command to run.
apt:
	@missing=""; for p in $(PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null; then echo "mockcall needs the system packages:$$missing (install them with your package manager)"; exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "installing system packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	else \
	  echo "mockcall needs system packages; run:  sudo apt-get install -y$$missing"; \
	fi

run: setup
	$(BIN)/mockcall

test: setup-test
	$(BIN)/python -m pytest -q -p no:cacheprovider

lint: setup-test
	$(BIN)/ruff check simulator audio scenarios tests benchmarks
	$(BIN)/ruff format --check simulator audio scenarios tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

check: lint test

bench: setup-test
	$(BIN)/python benchmarks/bench_transcribe.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
