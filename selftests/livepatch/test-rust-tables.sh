#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Patch tables declared by hand that share a table: Patch::enable refuses
# them with EBUSY before the livepatch core sees them, and a patch enabled
# before with the same tables stays whole. Runs beside the upstream scripts
# and uses their functions.sh.

. $(dirname $0)/functions.sh
. $(dirname $0)/functions-rust.sh

MOD_SHARED_FUNCS=test_klp_rust_shared_funcs
MOD_SHARED_OBJECTS=test_klp_rust_shared_objects

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
load_failing_mod $MOD_SHARED_FUNCS
[[ "$ret" == *": Device or resource busy" ]] || die "expected EBUSY, got: $ret"
[[ ! -e /sys/module/$MOD_SHARED_FUNCS ]] || die "$MOD_SHARED_FUNCS was loaded"
check_cmdline "$ORIG_CMDLINE"

check_result "% insmod test_modules/$MOD_SHARED_FUNCS.ko
insmod: ERROR: could not insert module test_modules/$MOD_SHARED_FUNCS.ko: Device or resource busy"


# - load a module whose two patches share one object table: the first is
#   enabled, the second refused with EBUSY
# - the first patch works, and is disabled and removed as usual

start_test "rust object table shared by two patches"

load_lp $MOD_SHARED_OBJECTS
# Logged while the transition may complete, so checked on its own.
dmesg | grep -qF "] $MOD_SHARED_OBJECTS: second patch on the same objects: -16" ||
	die "the second patch was not refused with EBUSY (-16)"
check_cmdline "$MOD_SHARED_OBJECTS: this has been live patched"
[[ -d $KLP_SYSFS_DIR/$MOD_SHARED_OBJECTS/vmlinux/cmdline_proc_show,1 ]] ||
	die "the first patch lost its function in sysfs"
disable_lp $MOD_SHARED_OBJECTS
unload_lp $MOD_SHARED_OBJECTS
check_cmdline "$ORIG_CMDLINE"

check_result_except "second patch on the same objects" \
	"% insmod test_modules/$MOD_SHARED_OBJECTS.ko
livepatch: enabling patch '$MOD_SHARED_OBJECTS'
livepatch: '$MOD_SHARED_OBJECTS': initializing patching transition
livepatch: '$MOD_SHARED_OBJECTS': starting patching transition
livepatch: '$MOD_SHARED_OBJECTS': completing patching transition
livepatch: '$MOD_SHARED_OBJECTS': patching complete
% echo 0 > $KLP_SYSFS_DIR/$MOD_SHARED_OBJECTS/enabled
$(transition_lines $MOD_SHARED_OBJECTS unpatching)
% rmmod $MOD_SHARED_OBJECTS"

exit 0
