# vimc-rs: see README.md. `make run` boots the guest with our modules loaded;
# `make check` runs the whole test suite. Both set up what is missing first.
SHELL := /bin/bash
CACHE ?= $(HOME)/.cache/vimc-rs
export VIMC_RS_CACHE := $(CACHE)
FLAVOUR ?= debug
# Lazy, since the key needs the tools that `deps` installs, but worked out
# once per make: kernel.sh --path hashes packages, fragments and tool versions.
ifeq ($(origin KDIR),undefined)
KDIR = $(eval KDIR := $(shell scripts/kernel.sh --path $(FLAVOUR)))$(KDIR)
endif
RESULTS ?= $(CURDIR)/results
# The pinned tools, from the one list that the scripts use too.
toolvars := . scripts/toolvars.sh &&
KVARS := $(shell VIMC_RS_CACHE='$(CACHE)' bash -c '$(toolvars) echo "$${KVARS[*]}"')
export LIBCLANG_PATH := $(shell bash -c '$(toolvars) echo "$$LIBCLANG_PATH"')
PHASE := scripts/phase

.PHONY: all deps kernel modules modules-only guest run check test bench rustfmt rustfmt-check \
	clippy rust-analyzer clean stress

all: modules

deps:
	@$(PHASE) deps scripts/deps.sh

kernel: deps
	@$(PHASE) kernel scripts/kernel.sh $(FLAVOUR)

# Objects built against another kernel directory are stale: clean first.
modules: kernel
	@$(PHASE) modules $(MAKE) --no-print-directory modules-only

modules-only:
	@if [ "$$(cat .kdir 2>/dev/null)" != "$(KDIR)" ]; then \
		$(MAKE) -s -C $(KDIR) M=$(CURDIR) $(KVARS) clean; \
		$(MAKE) -s -C $(KDIR) M=$(CURDIR)/tests/modules $(KVARS) clean; echo "$(KDIR)" > .kdir; fi
	@$(MAKE) -s -C $(KDIR) M=$(CURDIR) $(KVARS) $(if $(CLIPPY),CLIPPY=1) modules
	@$(MAKE) -s -C $(KDIR) M=$(CURDIR)/tests/modules $(KVARS) modules

guest: modules
	@$(PHASE) guest bash -c "qemu/mkinitramfs >/dev/null && qemu/mktools >/dev/null"

# make run [CMD='...']: loads vimc_rs and async_debugfs, prints the graph,
# then runs CMD (exiting with its status) or an interactive shell.
run: guest
	@qemu/run --kernel $(KDIR) --setup 'modprobe vimc_rs && modprobe async_debugfs && media-ctl -p' \
		$(if $(CMD),-- sh -c '$(subst ','\'',$(CMD))'); \
	rc=$$?; [ $$rc = 0 ] || echo "make run: exit status $$rc (qemu/run returns it as is)" >&2; exit $$rc

# JOBS=N guests at once (default: one per host core).
check: guest
	@$(PHASE) tests qemu/test --kernel $(KDIR) --results $(RESULTS) $(if $(JOBS),-j $(JOBS))
test: check

# The lifetime scenarios at full counts (hours under TCG + KASAN); PART=K/N
# runs the K-th of N parts of about equal length.
stress: guest
	@$(PHASE) stress qemu/test --kernel $(KDIR) --results $(RESULTS)/stress$(if $(PART),-$(subst /,-of-,$(PART))) \
		--stress $(if $(PART),--part $(PART)) $(if $(JOBS),-j $(JOBS))

# CPU per frame and frame rates, C vimc against vimc_rs (sanitizer-free kernel).
bench: deps
	@qemu/bench/run $(if $(FRAMES),--frames $(FRAMES)) --results $(RESULTS)

# The kernel's rustfmt settings; its rustfmt targets do not cover M= builds.
RUST_SOURCES = $(shell git ls-files '*.rs')
RUSTFMT = /usr/bin/rustfmt --edition 2021 --config-path $(KDIR)/source/.rustfmt.toml

rustfmt:
	@$(RUSTFMT) $(RUST_SOURCES)

rustfmt-check:
	@$(RUSTFMT) --check $(RUST_SOURCES)

clippy:
	@$(MAKE) --no-print-directory modules-only CLIPPY=1

rust-analyzer: kernel
	@$(MAKE) -s -C $(KDIR) $(KVARS) rust-analyzer
	@scripts/rust-analyzer.py $(KDIR) $(CURDIR)
	@echo "wrote $(CURDIR)/rust-project.json"

clean:
	@[ ! -d "$(KDIR)" ] || $(MAKE) -s -C $(KDIR) M=$(CURDIR) $(KVARS) clean
	@[ ! -d "$(KDIR)" ] || $(MAKE) -s -C $(KDIR) M=$(CURDIR)/tests/modules $(KVARS) clean
	rm -rf .kdir results rust-project.json media/bindings_generated.rs
