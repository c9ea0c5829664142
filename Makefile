# vimc-rs: see README.md. `make run` boots the guest with our modules loaded;
# `make check` runs the whole test suite. Both set up what is missing first.
SHELL := /bin/bash
CACHE ?= $(HOME)/.cache/vimc-rs
export VIMC_RS_CACHE := $(CACHE)
# KERNEL=6.12|7.3 selects the kernel of run, modules and bench (from the
# environment too; default and list in scripts/toolvars.sh); `make check`
# runs the suite on each of KERNELS unless KERNEL is given. make 4.3 does not
# pass exported variables to $(shell): each call gets KERNEL explicitly.
toolvars := . scripts/toolvars.sh &&
KERNELS := $(shell bash -c 'unset KERNEL; $(toolvars) echo "$${KERNELS[*]}"')
ifeq ($(origin KERNEL),undefined)
CHECK_KERNELS := $(KERNELS)
KERNEL := $(shell bash -c 'unset KERNEL; $(toolvars) echo "$$KERNEL"')
else
CHECK_KERNELS := $(KERNEL)
endif
export KERNEL
FLAVOUR ?= debug
# Lazy, since the key needs the tools that `deps` installs, but worked out
# once per make: kernel.sh --path hashes packages, fragments and tool versions.
ifeq ($(origin KDIR),undefined)
KDIR = $(eval KDIR := $(shell KERNEL=$(KERNEL) scripts/kernel.sh --path $(FLAVOUR)))$(KDIR)
endif
RESULTS ?= $(CURDIR)/results
# The pinned tools, from the one list that the scripts use too.
KVARS := $(shell KERNEL=$(KERNEL) VIMC_RS_CACHE='$(CACHE)' bash -c '$(toolvars) echo "$${KVARS[*]}"')
export LIBCLANG_PATH := $(shell KERNEL=$(KERNEL) bash -c '$(toolvars) echo "$$LIBCLANG_PATH"')
PHASE := scripts/phase

.PHONY: all deps kernel modules modules-only guest run check check-one check-quick test bench rustfmt rustfmt-check \
	clippy layers-check rust-analyzer clean stress check-kobject check-suites

all: modules

deps:
	@$(PHASE) deps scripts/deps.sh

kernel: deps
	@$(PHASE) kernel-$(KERNEL) scripts/kernel.sh $(FLAVOUR)

# Objects built against another kernel directory are stale: clean first.
modules: kernel
	@$(PHASE) modules $(MAKE) --no-print-directory modules-only

modules-only:
	@if [ "$$(cat .kdir 2>/dev/null)" != "$(KDIR)" ]; then \
		$(MAKE) -s -C $(KDIR) M=$(CURDIR) $(KVARS) clean; \
		$(MAKE) -s -C $(KDIR) M=$(CURDIR)/tests/modules $(KVARS) clean; echo "$(KDIR)" > .kdir; fi
	@$(MAKE) -s -C $(KDIR) M=$(CURDIR) $(KVARS) $(if $(CLIPPY),CLIPPY=1) VIMC_RS_KUNIT=y modules
	@$(MAKE) -s -C $(KDIR) M=$(CURDIR)/tests/modules $(KVARS) modules

guest: modules
	@$(PHASE) guest bash -c "qemu/mkinitramfs >/dev/null && qemu/mktools >/dev/null"

# make run [CMD='...']: loads vimc_rs and async_debugfs, prints the graph,
# then runs CMD (exiting with its status) or an interactive shell.
run: guest
	@qemu/run --kernel $(KDIR) --setup 'modprobe vimc_rs && modprobe async_debugfs && media-ctl -p' \
		$(if $(CMD),-- sh -c '$(subst ','\'',$(CMD))'); \
	rc=$$?; [ $$rc = 0 ] || echo "make run: exit status $$rc (qemu/run returns it as is)" >&2; exit $$rc

# JOBS=N guests at once (default: one per host core). Per kernel: its
# kernel, the modules built for it, the suite into RESULTS/<kernel>; the last
# line sums the kernels' "N passed, M failed".
check: deps
	@p=0; f=0; out=$$(mktemp); for k in $(CHECK_KERNELS); do \
		echo "# kernel $$k"; \
		env -u KDIR $(MAKE) --no-print-directory KERNEL=$$k check-one 2>&1 | tee $$out; \
		l=$$(grep -E '^[0-9]+ passed, [0-9]+ failed$$' $$out | tail -1); \
		if [ -n "$$l" ]; then set -- $$l; p=$$((p + $$1)); f=$$((f + $$3)); \
		else l="no result line: the run stopped early"; f=$$((f + 1)); fi; \
		echo "# kernel $$k: $$l"; done; rm -f $$out; \
	echo "$$p passed, $$f failed"; [ $$f = 0 ]
test: check

# REFERENCE=fresh records C vimc's side of the comparisons again (live:
# runs it beside vimc_rs, recording nothing); ONLY=REGEX runs the scenarios
# whose names match.
# The scenarios whose header says `# kernel: bench` (they compare vimc_rs's
# output with C vimc's and take no lifetime or error path) boot the
# sanitizer-free bench kernel: about five times faster under TCG.
check-one: guest
	@$(PHASE) kernel-$(KERNEL)-bench scripts/kernel.sh bench
	@bk=$$(scripts/kernel.sh --path bench) && bm=$$($(PHASE) modules-bench scripts/modules.sh $$bk) && \
	$(PHASE) tests-$(KERNEL) qemu/test --kernel $(KDIR) --bench-kernel $$bk --bench-modules $$bm \
		--results $(RESULTS)/$(if $(SUITES),suites-)$(KERNEL) $(if $(JOBS),-j $(JOBS)) $(if $(SUITES),--suites) \
		$(if $(REFERENCE),--reference $(REFERENCE)) $(if $(ONLY),--only '$(ONLY)')

# The upstream suites (`# lane: suites`: v4l-utils' test-media), on both
# kernels as make check runs its scenarios (C vimc recorded); outside make
# check, whose time they would not fit.
check-suites: deps
	@$(if $(filter file,$(origin KERNEL)),env -u KERNEL) $(MAKE) --no-print-directory SUITES=1 check

# A change's first verdict: the graph, parity, streaming and configfs core
# on 7.3 (docs/testing.md: which scenarios, how long).
QUICK := ^(20-vimc-rs-graph|24-kunit|40-parity-graph-and-capture|41-parity-subdev-formats|60-stream-bitexact|65-configfs-graphs|66-configfs-bad|67-configfs-example)$$
check-quick: deps
	@env -u KDIR $(MAKE) --no-print-directory KERNEL=7.3 ONLY='$(QUICK)' check-one

# The kobject lane: vimc_rs's scenarios on a kernel that runs every kobject
# release 1 to 4 s late (scripts/kernel-kobject.config), where a release
# that frees too early or runs in an unloaded module gets seen. Without C
# vimc: its releases do run in its module after rmmod (an oops each time).
# SUITES=1: the upstream suites instead (vimc_rs alone).
check-kobject: deps
	@env -u KDIR $(MAKE) --no-print-directory FLAVOUR=kobject guest
	@$(PHASE) tests-kobject-$(KERNEL) qemu/test --kernel $$(scripts/kernel.sh --path kobject) \
		--results $(RESULTS)/$(if $(SUITES),suites-)kobject-$(KERNEL) --without-c-vimc --few --keep-core $(if $(JOBS),-j $(JOBS)) \
		$(if $(SUITES),--suites)

# The lifetime scenarios at full counts (hours under TCG + KASAN); PART=K/N
# runs the K-th of N parts of about equal length.
stress: guest
	@$(PHASE) stress qemu/test --kernel $(KDIR) --results $(RESULTS)/stress-$(KERNEL)$(if $(PART),-$(subst /,-of-,$(PART))) \
		--stress $(if $(PART),--part $(PART)) $(if $(JOBS),-j $(JOBS))

# CPU per frame and frame rates, C vimc against vimc_rs (sanitizer-free
# kernel); FRAMES (raw), BIG_FRAMES (1920x1440) and RUNS change the counts.
bench: deps
	@qemu/bench/run $(if $(FRAMES),--frames $(FRAMES)) $(if $(BIG_FRAMES),--big-frames $(BIG_FRAMES)) \
		$(if $(RUNS),--runs $(RUNS)) --results $(RESULTS)

# The kernel's rustfmt settings; its rustfmt targets do not cover M= builds.
# Outside a git checkout (a copy of the tree), every .rs file but generated ones.
RUST_SOURCES = $(shell git ls-files '*.rs' 2>/dev/null || find . -name '*.rs' -not -path './pixel/target/*' \
	-not -path './.git/*' -not -name bindings_generated.rs)
RUSTFMT = /usr/bin/rustfmt --edition 2021 --config-path $(KDIR)/source/.rustfmt.toml

rustfmt:
	@$(RUSTFMT) $(RUST_SOURCES)

rustfmt-check:
	@$(RUSTFMT) --check $(RUST_SOURCES)

clippy:
	@$(MAKE) --no-print-directory modules-only CLIPPY=1

# Imports run one way: drivers' modules down their order, the layer never
# into a driver, pixel/ into nothing of the kernel.
layers-check:
	@python3 scripts/check-layers.py $(CURDIR)

rust-analyzer: kernel
	@$(MAKE) -s -C $(KDIR) $(KVARS) rust-analyzer
	@scripts/rust-analyzer.py $(KDIR) $(CURDIR)
	@echo "wrote $(CURDIR)/rust-project.json"

clean:
	@[ ! -d "$(KDIR)" ] || $(MAKE) -s -C $(KDIR) M=$(CURDIR) $(KVARS) clean
	@[ ! -d "$(KDIR)" ] || $(MAKE) -s -C $(KDIR) M=$(CURDIR)/tests/modules $(KVARS) clean
	rm -rf .kdir results rust-project.json media/bindings_generated.rs
