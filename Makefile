# SPDX-License-Identifier: GPL-2.0
#
# Rust live patching on Linux 6.12: set up, build, boot and test.
#
#   make run              build, boot, load the Rust sample patch, unpatch
#   make check            all tests: formatting, the upstream livepatch
#                         selftests against our Rust test modules, our own
#                         selftests and the kernel crate's livepatch doctests
#   make check-upstream   the upstream selftests with the upstream C modules
#   make bench            the cost of an unpatched call to a Rust function
#                         with an ftrace entry, on the host CPU
#
# Variables:
#   KERNEL_SRC=<dir>   build another 6.12.y tree instead of Debian's
#                      linux-source-6.12 (it is copied, never modified)
#   KLP_CACHE=<dir>    where the prepared tree and the tools live
#                      (default ~/.cache/rklp; keep it short: doctest symbol
#                      names embed the build path)
#   KVM=auto|1|0       use KVM if a probe shows it works, force it, or use TCG
#   SELFTESTS="..."    run only these selftest scripts (make check)
#   SCRIPT_TIMEOUT=<s> stop a selftest script after this many seconds
#                      (default 300)

SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec

RUST_VERSION    := 1.95.0
BINDGEN_VERSION := 0.73.2
VNG_VERSION     := 1.42

# CI may run without HOME: take it from the password database then.
ifeq ($(HOME),)
HOME := $(shell getent passwd $$(id -u) | cut -d: -f6)
endif
export HOME
KLP_CACHE ?= $(HOME)/.cache/rklp
KDIR      := $(KLP_CACHE)/linux
VENV      := $(KLP_CACHE)/venv
OUT       := $(CURDIR)/out
IMAGE     := $(KDIR)/arch/x86/boot/bzImage
C_TEST_MODULES := $(KDIR)/tools/testing/selftests/livepatch/test_modules
C_SAMPLES      := $(KDIR)/samples/livepatch
KLP_CONVERT    := $(KLP_CACHE)/klp-convert/release/klp-convert

export PATH := $(HOME)/.cargo/bin:$(PATH)
export RUSTUP_TOOLCHAIN := $(RUST_VERSION)
export LIBCLANG_PATH := /usr/lib/llvm-19/lib
export VNG := $(VENV)/bin/vng
export KVM KERNEL_SRC SELFTESTS SCRIPT_TIMEOUT

JOBS  ?= $(shell echo $$(( $$(nproc) + 1 )))
# Every Rust object goes through clippy-driver: the build is the lint.
KMAKE := $(MAKE) -s -C $(KDIR) LLVM=-19 CLIPPY=1 -j$(JOBS)

# Our Rust sources, for rustfmt.
RUST_SOURCES := $(shell git ls-files --cached --others --exclude-standard '*.rs')

.PHONY: all setup kernel klp-convert modules run check check-upstream bench fmt-check clean

all: modules

setup:
	@RUST_VERSION=$(RUST_VERSION) BINDGEN_VERSION=$(BINDGEN_VERSION) \
		VNG_VERSION=$(VNG_VERSION) VENV=$(VENV) scripts/setup.sh

kernel: setup
	@mkdir -p $(OUT)
	@MAKEFLAGS_K="LLVM=-19" scripts/prepare-kernel.sh $(CURDIR) $(KDIR)
	@echo "kernel: building $(KDIR) (log: out/kernel-build.log)"
	@$(KMAKE) bzImage modules 2>&1 | tee $(OUT)/kernel-build.log
	@scripts/check-warnings.sh $(OUT)/kernel-build.log $(CURDIR) $(KDIR)

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
		find $(CURDIR)/samples $(CURDIR)/selftests -name '*.ko' -delete; \
		touch $(OUT)/klp-convert.stamp; \
	fi
	@echo "modules: building our Rust modules (log: out/modules-build.log)"
	@$(KMAKE) M=$(CURDIR) KRUSTFLAGS=-Dwarnings KLP_CONVERT=$(KLP_CONVERT) modules 2>&1 | \
		tee $(OUT)/modules-build.log
	@scripts/check-warnings.sh $(OUT)/modules-build.log $(CURDIR) $(KDIR)
	@echo "modules: building the upstream C test modules and samples"
	@$(KMAKE) M=$(C_TEST_MODULES) modules
	@$(KMAKE) M=$(C_SAMPLES) CONFIG_SAMPLE_LIVEPATCH=m modules

run: modules
	@VM_SHOW_KERNEL=1 VM_APPEND=kunit.enable=0 scripts/vm.sh $(IMAGE) $(OUT)/run-console.log 300 \
		"bash $(CURDIR)/scripts/guest-sample.sh $(CURDIR)/samples/livepatch/rust_livepatch_sample.ko"

fmt-check: setup
	@echo "fmt-check: rustfmt --check on $(words $(RUST_SOURCES)) files"
	@rustfmt --check --edition 2021 --config-path $(CURDIR)/.rustfmt.toml \
		$(RUST_SOURCES)

check: fmt-check modules
	@KLP_CONVERT=$(KLP_CONVERT) scripts/selftests.sh rust $(CURDIR) $(KDIR) $(OUT)

check-upstream: modules
	@scripts/selftests.sh c $(CURDIR) $(KDIR) $(OUT)

# One binary, with and without the entry padding of CONFIG_RUST_FTRACE_ENTRIES.
bench: setup
	@mkdir -p $(OUT)
	@RUSTC_BOOTSTRAP=1 rustc -O -Zcf-protection=branch -Zmerge-functions=disabled \
		-o $(OUT)/ftrace_entry_cost selftests/livepatch/bench/ftrace_entry_cost.rs
	@$(OUT)/ftrace_entry_cost

clean:
	@if [ -d $(KDIR) ]; then $(MAKE) -s -C $(KDIR) M=$(CURDIR) clean; fi
	rm -rf $(OUT)
