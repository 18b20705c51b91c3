#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Rust live patch modules that must fail to load, and leave the kernel clean.
# Runs beside the upstream scripts and uses their functions.sh.

. $(dirname $0)/functions.sh
. $(dirname $0)/functions-rust.sh

MOD_MISSING=test_klp_rust_missing_func

setup_config


# - load a Rust livepatch whose target function does not exist in vmlinux
# - insmod must fail with EINVAL from klp_enable_patch(), and neither the
#   module nor the patch may be left behind

start_test "rust patch with a missing target function"

load_failing_mod $MOD_MISSING
# kmod's insmod names EINVAL "Invalid parameters": klp_enable_patch()'s errno.
[[ "$ret" == *": Invalid parameters" ]] || die "expected EINVAL, got: $ret"

[[ ! -e "/sys/module/$MOD_MISSING" ]] || die "module $MOD_MISSING left loaded"
[[ ! -e "$KLP_SYSFS_DIR/$MOD_MISSING" ]] || die "patch $MOD_MISSING left in sysfs"
if test_log | grep -E 'WARNING:|BUG:|Oops'; then
	die "kernel warned while refusing $MOD_MISSING"
fi

check_result "% insmod test_modules/$MOD_MISSING.ko
livepatch: symbol 'klp_rust_no_such_function' not found in symbol table
insmod: ERROR: could not insert module test_modules/$MOD_MISSING.ko: Invalid parameters"

exit 0
