# The README's commands. `make run` starts the wizard, `make test` runs every test, `make bench`
# runs the benchmarks, `make package` builds the .deb. Each installs what is missing first
# (scripts/setup.sh) and nothing otherwise.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help run test bench package package-test actionlint setup-run setup-test setup-bench \
	setup-package ui ui-test e2e lint bindings

help:
	@echo "make run    - install what is missing, build the UI, start the wizard"
	@echo "make test   - install what is missing, run every test (Rust, UI, end to end)"
	@echo "make bench  - run the benchmarks and print ratios against their baselines"
	@echo "make package - build the release app as a .deb (target/release/bundle/deb/)"

setup-run:
	@bash scripts/setup.sh run

setup-test:
	@bash scripts/setup.sh test
	@bash scripts/python-venv.sh

setup-bench:
	@bash scripts/setup.sh bench
	@bash scripts/python-venv.sh

setup-package:
	@bash scripts/setup.sh package

# The Tauri crate embeds ui/dist, so the UI is built before any Rust build.
ui:
	cd ui && npm run build

TARGET_DIR ?= $(or $(CARGO_TARGET_DIR),target)

# Built as part of the workspace so `make run` and `make test` share one feature set and one build.
run: setup-run ui
	cargo build --workspace --bins
	$(TARGET_DIR)/debug/qa-wecom-setup

# One `cargo build --workspace` first: the e2e binary and the test binaries share one feature set.
# The package test comes last: it needs the release build.
test: setup-test ui
	cargo build --workspace --bins
	$(MAKE) lint
	$(MAKE) actionlint
	cargo nextest run --workspace --no-fail-fast
	$(MAKE) ui-test
	$(MAKE) e2e
	$(MAKE) package-test

lint:
	cargo fmt --all --check
	cargo clippy --workspace --all-targets -- -D warnings

ui-test:
	cd ui && npx svelte-check --tsconfig ./tsconfig.json --fail-on-warnings && npx vitest run

e2e:
	cd tests/e2e && npm test

# The release app bundled by the Tauri CLI as a .deb, with the qa-wecom CLI inside.
package: setup-package ui
	bash scripts/package.sh

# Installs the .deb into a throwaway root and runs the installed CLI and app.
package-test: package
	bash scripts/package-test.sh

# The GitHub workflows (the release pipeline cannot run here), checked by actionlint.
actionlint:
	@bash scripts/python-venv.sh
	tests/.venv/bin/actionlint

# Regenerate ui/src/ipc/bindings.ts from the Rust types.
bindings:
	UPDATE_BINDINGS=1 cargo test -p qa-wecom-setup bindings

bench: setup-bench
	@set -e; for s in scripts/bench-*.sh; do echo "== $$s"; bash "$$s"; done
