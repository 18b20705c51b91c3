# SPDX-License-Identifier: GPL-2.0
#
# Rust live patching on Linux 6.12 and 7.x: set up, build, boot and test.
#
#   make run              build, boot, load the Rust sample patch, unpatch
#   make check            all tests on every kernel lane: formatting, the
#                         upstream livepatch selftests of the lane's tree
#                         against our Rust test modules, our own selftests
#                         and the kernel crate's livepatch doctests
#   make check-debug      the same on every lane's debug kernel (KASAN,
#                         lockdep, kmemleak, UBSAN, ...: livepatch_rust-debug.config)
#                         with the long soak
#   make check-upstream   the upstream selftests with the upstream C modules
#   make bench            the cost of an unpatched call to a Rust function
#                         with an ftrace entry, on the host CPU
#
# Variables:
#   KERNEL=6.12|7.x|all  the kernel lanes (default all; `run` takes the
#                      first): 6.12 is Debian's linux-source-6.12, 7.x the
#                      newest linux-source-7.* Debian offers (LINUX_7X)
#   KERNEL_SRC=<dir>   build this tree for the (one) lane instead of
#                      Debian's (it is copied, never modified)
#   KLP_CACHE=<dir>    where the prepared trees and the tools live
#                      (default ~/.cache/rklp; keep it short: doctest symbol
#                      names embed the build path)
#   KVM=auto|1|0       use KVM if a probe shows it works, force it, or use TCG
#   SELFTESTS="..."    run only these selftest scripts (make check)
#   SCRIPT_TIMEOUT=<s> stop a selftest script after this many seconds
#                      (default 300)
#   SCRIPT_TIMEOUTS="script=<s> ..."  the scripts that need longer
#   FLAVOR=debug       the lane's debug kernel, a tree of its own (check-debug
#                      sets it)
#   SOAK_CYCLES=<n>    the cycles of test-rust-soak.sh (default 200)
#   DEBUG_SOAK_CYCLES=<n>  those of check-debug (default 1000)

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec

BINDGEN_VERSION := 0.73.2
VNG_VERSION     := 1.42

KERNEL ?= all
LANES  := $(if $(filter all,$(KERNEL)),6.12 7.x,$(KERNEL))
ifneq ($(filter-out 6.12 7.x,$(LANES)),)
$(error KERNEL must be 6.12, 7.x or all)
endif
ifneq ($(KERNEL_SRC),)
ifneq ($(words $(LANES)),1)
$(error KERNEL_SRC= is the tree of one lane: give KERNEL=6.12 or KERNEL=7.x)
endif
endif
# The lane of the single-lane targets (`run`, `lane-check`, ...).
LANE ?= $(firstword $(LANES))

# Per lane: the rustc (one with -Zinstrument-mcount=fentry, for Rust ftrace
# entries without objtool changes: 1.95.0 rejects it, 1.99.0 builds 6.12.117
# and 7.3.4), the tree's directory in the cache and the Debian tarball.
RUST_VERSION_6.12 := 1.99.0
RUST_VERSION_7.x  := 1.99.0
RUST_VERSION      := $(RUST_VERSION_$(LANE))
# Debian's newest 7.x source package and where it comes from (setup.sh
# fetches it with a private apt configuration).
LINUX_7X       := linux-source-7.3=7.3.4-1~bpo13+1
LINUX_7X_SUITE := trixie-backports

# CI may run without HOME: take it from the password database then.
ifeq ($(HOME),)
HOME := $(shell getent passwd $$(id -u) | cut -d: -f6)
endif
export HOME
KLP_CACHE ?= $(HOME)/.cache/rklp
KDIR_6.12    := $(KLP_CACHE)/linux
KDIR_7.x     := $(KLP_CACHE)/linux7
TARBALL_6.12 := /usr/src/linux-source-6.12.tar.xz
TARBALL_7.x  := $(KLP_CACHE)/debian/$(firstword $(subst =, ,$(LINUX_7X))).tar.xz
# FLAVOR=debug: the debug kernel of the lane, in a tree and an out/ of its own.
FLAVOR    ?=
ifneq ($(filter-out debug,$(FLAVOR)),)
$(error FLAVOR must be empty or debug)
endif
SUFFIX    := $(if $(FLAVOR),-$(FLAVOR))
KDIR      := $(KDIR_$(LANE))$(SUFFIX)
VENV      := $(KLP_CACHE)/venv
OUTS      := $(CURDIR)/out
OUT       := $(OUTS)/$(LANE)$(SUFFIX)
# Our modules are built in a copy of their sources per lane (kbuild puts the
# objects next to the sources).
BUILD     := $(OUT)/build
IMAGE     := $(KDIR)/arch/x86/boot/bzImage
C_TEST_MODULES := $(KDIR)/tools/testing/selftests/livepatch/test_modules
C_SAMPLES      := $(KDIR)/samples/livepatch
TARGET_MODULES = $(C_SAMPLES) $(wildcard $(KDIR)/drivers/block $(KDIR)/drivers/block/rnull)
KLP_CONVERT    := $(KLP_CACHE)/klp-convert/release/klp-convert

export PATH := $(HOME)/.cargo/bin:$(PATH)
export RUSTUP_TOOLCHAIN := $(RUST_VERSION)
export LIBCLANG_PATH := /usr/lib/llvm-19/lib
export VNG := $(VENV)/bin/vng
SOAK_CYCLES ?= 200
export KVM KERNEL_SRC SELFTESTS SCRIPT_TIMEOUT SCRIPT_TIMEOUTS BUILD FLAVOR SOAK_CYCLES
# The time limits of the scripts that need longer (SCRIPT_TIMEOUTS, given
# after them, wins) and of the whole guest run: the soak's cycles take a few
# seconds each (a transition completes at the core's next retry, a second
# after it started, once a task ran on the other CPU), more than 13 s on a
# debug kernel.
SOAK_CYCLE_LIMIT = $(if $(FLAVOR),40,10)
LONG_SCRIPTS = test-rust-soak.sh=$(shell echo $$(( $(SOAK_CYCLES) * $(SOAK_CYCLE_LIMIT) + 300 ))) \
	test-rust-faults.sh=1800
RUN_LIMIT = $(shell echo $$(( 3600 + $(SOAK_CYCLES) * $(SOAK_CYCLE_LIMIT) )))

JOBS  ?= $(shell echo $$(( $$(nproc) + 1 )))
# Every Rust object goes through clippy-driver: the build is the lint.
KMAKE := $(MAKE) -s -C $(KDIR) LLVM=-19 CLIPPY=1 -j$(JOBS)

.PHONY: all setup kernel klp-convert modules run check check-debug lane-check check-upstream bench \
	fmt-check clean

all: modules

setup:
	@RUST_VERSION=$(RUST_VERSION) BINDGEN_VERSION=$(BINDGEN_VERSION) \
		VNG_VERSION=$(VNG_VERSION) VENV=$(VENV) LANE=$(LANE) \
		LINUX_7X=$(LINUX_7X) LINUX_7X_SUITE=$(LINUX_7X_SUITE) \
		TARBALL=$(TARBALL_$(LANE)) scripts/setup.sh

kernel: setup
	@mkdir -p $(OUT)
	@MAKEFLAGS_K="LLVM=-19" TARBALL=$(TARBALL_$(LANE)) FLAVOR=$(FLAVOR) \
		scripts/prepare-kernel.sh $(CURDIR) $(KDIR) $(LANE)
	@echo "kernel: building $(KDIR) with rustc $(RUST_VERSION) (log: $(OUT)/kernel-build.log)"
	@$(KMAKE) bzImage modules 2>&1 | tee $(OUT)/kernel-build.log
	@scripts/check-warnings.sh $(OUT)/kernel-build.log $(CURDIR) $(KDIR) $(LANE)
	@scripts/check-config.sh $(CURDIR) $(KDIR)

# The host tool that turns the .klp.sym.* references of live patch modules
# into livepatch relocations (scripts/livepatch/klp-convert), built, linted
# and unit-tested with the crates of its Cargo.lock.
KLP_CARGO_FLAGS := --quiet --locked --release --target-dir $(KLP_CACHE)/klp-convert \
	--manifest-path $(CURDIR)/scripts/livepatch/klp-convert/Cargo.toml
klp-convert: setup
	@cargo build $(KLP_CARGO_FLAGS)
	@cargo clippy $(KLP_CARGO_FLAGS) --all-targets -- -D warnings
	@cargo test $(KLP_CARGO_FLAGS)

# Our Rust modules, the upstream C test modules for those not ported, and the
# upstream C samples (the targets of the Rust callbacks sample).
# Warnings in our modules are errors, so a failed build is never mistaken for
# a clean one on the next run.
modules: kernel klp-convert
	@mkdir -p $(OUT)
	@# kbuild does not know that the .ko files depend on klp-convert.
	@if [ $(KLP_CONVERT) -nt $(OUT)/klp-convert.stamp ]; then \
		find $(BUILD) -name '*.ko' -delete 2>/dev/null || true; \
		touch $(OUT)/klp-convert.stamp; \
	fi
	@# Nor, for external modules, that their BTF depends on vmlinux's: a
	@# module whose BTF does not match vmlinux's does not load (EINVAL).
	@if [ $(KDIR)/vmlinux -nt $(OUT)/vmlinux.stamp ]; then \
		find $(BUILD) $(C_TEST_MODULES) $(C_SAMPLES) -name '*.ko' -delete 2>/dev/null || true; \
		touch $(OUT)/vmlinux.stamp; \
	fi
	@echo "modules: building the upstream C test modules and samples"
	@$(KMAKE) M=$(C_TEST_MODULES) modules
	@$(KMAKE) M=$(C_SAMPLES) CONFIG_SAMPLE_LIVEPATCH=m modules
	@scripts/mirror-modules.sh $(CURDIR) $(BUILD)
	@echo "modules: building our Rust modules in $(BUILD) (log: $(OUT)/modules-build.log)"
	@# The C samples and rnull (drivers/block/rnull/ on 7.x) are the targets
	@# of the Rust samples, for the prototype check and the Rust paths.
	@$(KMAKE) M=$(BUILD) KRUSTFLAGS=-Dwarnings \
		KLP_CONVERT="$(KLP_CONVERT) $(addprefix --modules ,$(TARGET_MODULES))" modules 2>&1 | \
		tee $(OUT)/modules-build.log
	@scripts/check-warnings.sh $(OUT)/modules-build.log $(CURDIR) $(KDIR) $(LANE)

run: modules
	@VM_SHOW_KERNEL=1 VM_APPEND=kunit.enable=0 scripts/vm.sh $(IMAGE) $(OUT)/run-console.log 300 \
		"bash $(CURDIR)/scripts/guest-sample.sh $(BUILD)/samples/livepatch/rust_livepatch_sample.ko"

fmt-check: setup
	@scripts/fmt-check.sh $(CURDIR)

# Every lane, one TAP report each, then the count over all of them. A lane
# whose build fails is a failed lane; the next one still runs.
check: fmt-check
	@mkdir -p $(OUTS)
	@start=$$(date +%s); \
	for lane in $(LANES); do \
		echo "check: kernel lane $$lane$(SUFFIX) (log: $(OUTS)/check-$$lane$(SUFFIX).log)"; \
		$(MAKE) --no-print-directory lane-check LANE=$$lane 2>&1 | \
			tee $(OUTS)/check-$$lane$(SUFFIX).log || true; \
	done; \
	if [ -z "$(SELFTESTS)$(FLAVOR)" ]; then \
		echo "$$(( $$(date +%s) - start )) $$(date -u +%FT%RZ) $(LANES)" >$(OUTS)/check.time; \
	fi
	@scripts/check-summary.sh $(foreach l,$(LANES),$(l)$(SUFFIX):$(OUTS)/check-$(l)$(SUFFIX).log)

# The debug lanes: everything slower, the soak longer.
DEBUG_SOAK_CYCLES ?= 1000
check-debug:
	@$(MAKE) --no-print-directory check FLAVOR=debug SOAK_CYCLES=$(DEBUG_SOAK_CYCLES) \
		SCRIPT_TIMEOUT=$${SCRIPT_TIMEOUT:-900}

# One lane: build it and run its tests.
lane-check: modules
	@KLP_CONVERT=$(KLP_CONVERT) SCRIPT_TIMEOUTS="$(LONG_SCRIPTS) $(SCRIPT_TIMEOUTS)" \
		RUN_LIMIT=$(RUN_LIMIT) scripts/selftests.sh rust $(CURDIR) $(KDIR) $(OUT) $(LANE)

check-upstream: modules
	@scripts/selftests.sh c $(CURDIR) $(KDIR) $(OUT) $(LANE)

# The Rust test modules against their C twins, one lane (KERNEL=, default
# 6.12): patched-call cost, transition time, the ftrace entry, module sizes
# and the edit loop (scripts/bench.sh).
bench: modules
	@scripts/bench.sh $(CURDIR) $(KDIR) $(OUT) $(LANE)

clean:
	rm -rf $(OUTS)
