#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Patch tables declared by hand that share a table: Patch::enable refuses
# them with EBUSY before the livepatch core sees them, and a patch enabled
# before with the same tables stays whole. Runs beside the upstream scripts
# and uses their functions.sh.

. $(dirname $0)/functions.sh
. $(dirname $0)/functions-rust.sh

MOD_LIVEPATCH=test_klp_rust_shared_tables

setup_config

# check_cmdline(expected) - what /proc/cmdline shows
function check_cmdline() {
	local cmdline
	cmdline=$(cat /proc/cmdline)
	[[ "$cmdline" == "$1" ]] || die "/proc/cmdline shows '$cmdline', expected '$1'"
}


# - load a patch whose two objects share one function table: its init fails
#   with EBUSY, and the core has never seen the patch

start_test "rust function table shared by two objects"

ORIG_CMDLINE=$(cat /proc/cmdline)
load_failing_mod $MOD_LIVEPATCH share_funcs=Y
[[ "$ret" == *": Device or resource busy" ]] || die "expected EBUSY, got: $ret"
[[ ! -e /sys/module/$MOD_LIVEPATCH ]] || die "$MOD_LIVEPATCH was loaded"
check_cmdline "$ORIG_CMDLINE"

check_result "% insmod test_modules/$MOD_LIVEPATCH.ko share_funcs=Y
insmod: ERROR: could not insert module test_modules/$MOD_LIVEPATCH.ko: Device or resource busy"


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
livepatch: '$MOD_LIVEPATCH': initializing patching transition
livepatch: '$MOD_LIVEPATCH': starting patching transition
livepatch: '$MOD_LIVEPATCH': completing patching transition
livepatch: '$MOD_LIVEPATCH': patching complete
% echo 0 > $KLP_SYSFS_DIR/$MOD_LIVEPATCH/enabled
$(transition_lines $MOD_LIVEPATCH unpatching)
% rmmod $MOD_LIVEPATCH"

exit 0
