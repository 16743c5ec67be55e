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
	@$(DENO) install --frozen >/dev/null

demo: deps
	bin/launchbox client demo

# A single-node Slurm on loopback for the slurm plugin's tests; they skip when it is absent.
.PHONY: services
services:
	scripts/slurm-up || echo "slurm: not started; its tests will skip"

# A private PostgreSQL on loopback (data under /var/tmp, recorded in .tools/postgres/) for the
# PostgreSQL job store's tests and the cluster demo; those tests skip when it is absent.
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
