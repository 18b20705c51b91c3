#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Patch tables declared by hand that the livepatch core cannot take:
# Patch::enable refuses tables that another patch or object was given (EBUSY)
# and names that would give two sysfs directories the same name or one an
# empty name (EINVAL), before the core sees them; a patch enabled before with
# the same tables stays whole. Runs beside the upstream scripts and uses their
# functions.sh.

. $(dirname $0)/functions.sh
. $(dirname $0)/functions-rust.sh

MOD_LIVEPATCH=test_klp_rust_tables

setup_config

# check_cmdline(expected) - what /proc/cmdline shows
function check_cmdline() {
	local cmdline
	cmdline=$(cat /proc/cmdline)
	[[ "$cmdline" == "$1" ]] || die "/proc/cmdline shows '$cmdline', expected '$1'"
}

# refused(case, error) - load $MOD_LIVEPATCH with the tables of case, which it
#	must refuse with error (insmod says "Invalid parameters" for EINVAL);
#	nothing is patched or loaded
function refused() {
	local case="$1" error="$2"
	load_failing_mod $MOD_LIVEPATCH case=$case
	[[ "$ret" == *": $error" ]] || die "case $case: expected '$error', got: $ret"
	[[ ! -e /sys/module/$MOD_LIVEPATCH ]] || die "case $case: $MOD_LIVEPATCH was loaded"
	check_cmdline "$ORIG_CMDLINE"
}

ORIG_CMDLINE=$(cat /proc/cmdline)


# - load a patch whose two objects share one function table, one with two
#   objects of one module, one with one function twice, and ones with an
#   object whose name is none of a module (empty, a '/', "enabled",
#   "vmlinux"): each init fails, and the core has never seen the patch

start_test "rust tables the livepatch core cannot take"

refused 1 "Device or resource busy"
refused 2 "Invalid parameters"
refused 3 "Invalid parameters"
for case in 4 5 6 7; do
	refused $case "Invalid parameters"
done

check_result "% insmod test_modules/$MOD_LIVEPATCH.ko case=1
insmod: ERROR: could not insert module test_modules/$MOD_LIVEPATCH.ko: Device or resource busy
% insmod test_modules/$MOD_LIVEPATCH.ko case=2
insmod: ERROR: could not insert module test_modules/$MOD_LIVEPATCH.ko: Invalid parameters
% insmod test_modules/$MOD_LIVEPATCH.ko case=3
insmod: ERROR: could not insert module test_modules/$MOD_LIVEPATCH.ko: Invalid parameters
% insmod test_modules/$MOD_LIVEPATCH.ko case=4
insmod: ERROR: could not insert module test_modules/$MOD_LIVEPATCH.ko: Invalid parameters
% insmod test_modules/$MOD_LIVEPATCH.ko case=5
insmod: ERROR: could not insert module test_modules/$MOD_LIVEPATCH.ko: Invalid parameters
% insmod test_modules/$MOD_LIVEPATCH.ko case=6
insmod: ERROR: could not insert module test_modules/$MOD_LIVEPATCH.ko: Invalid parameters
% insmod test_modules/$MOD_LIVEPATCH.ko case=7
insmod: ERROR: could not insert module test_modules/$MOD_LIVEPATCH.ko: Invalid parameters"


# - load a module whose two patches share one object table: the first is
#   enabled, the second refused with EBUSY
# - the first patch works, and is disabled and removed as usual

start_test "rust object table shared by two patches"

load_lp $MOD_LIVEPATCH
# Logged while the transition may complete, so checked on its own.
dmesg | grep -qF "] $MOD_LIVEPATCH: second patch on the same objects: -16" ||
	die "the second patch was not refused with EBUSY (-16)"
check_cmdline "$MOD_LIVEPATCH: this has been live patched"
[[ -d $KLP_SYSFS_DIR/$MOD_LIVEPATCH/vmlinux/cmdline_proc_show,1 ]] ||
	die "the first patch lost its function in sysfs"
disable_lp $MOD_LIVEPATCH
unload_lp $MOD_LIVEPATCH
check_cmdline "$ORIG_CMDLINE"

check_result_except "second patch on the same objects" \
	"% insmod test_modules/$MOD_LIVEPATCH.ko
livepatch: enabling patch '$MOD_LIVEPATCH'
$(transition_lines $MOD_LIVEPATCH patching)
% echo 0 > $KLP_SYSFS_DIR/$MOD_LIVEPATCH/enabled
$(transition_lines $MOD_LIVEPATCH unpatching)
% rmmod $MOD_LIVEPATCH"

exit 0
