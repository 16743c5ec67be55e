# Launchbox developer commands. `make demo` and `make test` are the README's two commands.
SHELL := bash
.DEFAULT_GOAL := demo
# Deno colours its messages even into pipes and files; only a terminal gets colour.
ifeq ($(NO_COLOR)$(shell [ -t 2 ] || echo piped),piped)
export NO_COLOR := 1
endif
DENO := $(shell bin/ensure-deno)
CEILING := $(shell cat bin/ceiling.flags)
JUNIT := .tools/junit.xml

.PHONY: demo test check fmt lint typecheck bench build clean deps

deps:
	@[ -n "$(DENO)" ] || { echo "make: no Deno to run (bin/ensure-deno said why above)" >&2; exit 1; }
	@$(DENO) install --frozen >/dev/null

demo: deps
	bin/launchbox client demo

# Three hosts on one PostgreSQL job store (the private one, started by the demo if needed).
.PHONY: demo-cluster
demo-cluster: deps
	bin/launchbox client demo --nodes 3

# The services the tests use, private to this checkout: a single-node Slurm on loopback
# (.tools/slurm/ and a directory under /var/tmp) for the slurm plugin's tests, and a
# PostgreSQL on loopback (.tools/postgres/ and a directory under /var/tmp) for the job
# store's tests, the three-host tests and `make demo-cluster`. Their tests skip when they
# are absent (slurm-up exits 77, skipped, for a user other than root). First says what
# this changes outside the checkout; `make services-down` undoes it all.
.PHONY: services services-down
services:
	@scripts/announce-test-changes
	@scripts/slurm-up >/dev/null; case $$? in 0|77) ;; *) echo "slurm: not started; its tests will skip";; esac
	@scripts/postgres-up >/dev/null || echo "postgres: not started; its tests will skip"

services-down:
	scripts/services-down

.PHONY: postgres postgres-down
postgres:
	@scripts/postgres-up >/dev/null

postgres-down:
	scripts/postgres-down

test: deps services
	$(DENO) test $(CEILING) --doc --parallel --junit-path=$(JUNIT)

fmt:
	$(DENO) fmt

lint:
	$(DENO) lint

typecheck: deps
	$(DENO) check main.ts src/ test/ plugins/ bench/

check: deps
	$(DENO) fmt --check
	$(DENO) lint
	$(DENO) check main.ts src/ test/ plugins/ bench/
	$(MAKE) --no-print-directory test

bench: deps
	$(DENO) run $(CEILING) --config deno.json bench/run.ts

# deno compile downloads the denort runtime; where it cannot, DENORT_BIN names a local one.
build: deps
	bin/build

clean:
	rm -rf dist coverage $(JUNIT)
