#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Callbacks of Rust live patches on module objects. Runs beside the upstream
# scripts and uses their functions.sh.

. $(dirname $0)/functions.sh

MOD_LIVEPATCH=test_klp_rust_callbacks
MOD_TARGET=test_klp_callbacks_mod

setup_config


# - load a Rust livepatch for vmlinux and for a target module that is not
#   loaded yet, whose pre-patch callback fails with EBUSY
# - load the target module: the module loader must refuse it with EBUSY
# - the livepatch stays enabled, and vmlinux patched

start_test "rust pre-patch callback refuses a module loaded later"

load_lp $MOD_LIVEPATCH
load_failing_mod $MOD_TARGET
[[ "$ret" == *": Device or resource busy" ]] || die "expected EBUSY, got: $ret"
[[ ! -e /sys/module/$MOD_TARGET ]] || die "$MOD_TARGET was loaded"
check_sysfs_value "$MOD_LIVEPATCH" "enabled" "1"
[[ "$(cat /proc/cmdline)" == "$MOD_LIVEPATCH: this has been live patched" ]] ||
	die "vmlinux is not patched any more"
disable_lp $MOD_LIVEPATCH
unload_lp $MOD_LIVEPATCH

check_result "% insmod test_modules/$MOD_LIVEPATCH.ko
livepatch: enabling patch '$MOD_LIVEPATCH'
livepatch: '$MOD_LIVEPATCH': initializing patching transition
livepatch: '$MOD_LIVEPATCH': starting patching transition
livepatch: '$MOD_LIVEPATCH': completing patching transition
livepatch: '$MOD_LIVEPATCH': patching complete
% insmod test_modules/$MOD_TARGET.ko
livepatch: applying patch '$MOD_LIVEPATCH' to loading module '$MOD_TARGET'
$MOD_LIVEPATCH: pre_patch: refusing $MOD_TARGET
livepatch: pre-patch callback failed for object '$MOD_TARGET'
livepatch: patch '$MOD_LIVEPATCH' failed for module '$MOD_TARGET', refusing to load module '$MOD_TARGET'
insmod: ERROR: could not insert module test_modules/$MOD_TARGET.ko: Device or resource busy
% echo 0 > /sys/kernel/livepatch/$MOD_LIVEPATCH/enabled
livepatch: '$MOD_LIVEPATCH': initializing unpatching transition
livepatch: '$MOD_LIVEPATCH': starting unpatching transition
livepatch: '$MOD_LIVEPATCH': completing unpatching transition
livepatch: '$MOD_LIVEPATCH': unpatching complete
% rmmod $MOD_LIVEPATCH"

exit 0
