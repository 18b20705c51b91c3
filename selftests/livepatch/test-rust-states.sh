#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# System states seen from the callbacks of a Rust live patch: only the
# callbacks of the patch's own transition may see a previous state, not those
# run for a module loaded or removed later, nor during another patch's
# transition. Runs beside the upstream scripts and uses their functions.sh.

. $(dirname $0)/functions.sh
. $(dirname $0)/functions-rust.sh

MOD_LIVEPATCH=test_klp_rust_prev_state
MOD_DEMO=test_klp_callbacks_demo
MOD_TARGET=test_klp_callbacks_mod
MOD_TARGET_BUSY=test_klp_callbacks_busy

setup_config

# check_no_warning() - the kernel log of the current test has no warning
function check_no_warning() {
	local warnings
	warnings=$(test_log | grep -A5 'WARNING:')
	[[ -z "$warnings" ]] || die "the kernel warned: $warnings"
}

# states(callback) - the log line of a callback of $MOD_LIVEPATCH that sees
#	no previous state and its own state
function states() {
	echo "$MOD_LIVEPATCH: $1: prev_state none, state version 1"
}


# - load the patch, whose callbacks are for a module not loaded yet
# - load and remove the module: the callbacks run outside any transition,
#   see no previous state, and the core does not warn

start_test "rust prev_state outside a transition"

load_lp $MOD_LIVEPATCH
load_mod $MOD_TARGET
unload_mod $MOD_TARGET
disable_lp $MOD_LIVEPATCH
unload_lp $MOD_LIVEPATCH
check_no_warning

check_result "% insmod test_modules/$MOD_LIVEPATCH.ko
livepatch: enabling patch '$MOD_LIVEPATCH'
$(transition_lines $MOD_LIVEPATCH patching)
% insmod test_modules/$MOD_TARGET.ko
livepatch: applying patch '$MOD_LIVEPATCH' to loading module '$MOD_TARGET'
$(states pre_patch)
$(states post_patch)
$MOD_TARGET: ${MOD_TARGET}_init
% rmmod $MOD_TARGET
$MOD_TARGET: ${MOD_TARGET}_exit
$(states pre_unpatch)
livepatch: reverting patch '$MOD_LIVEPATCH' on unloading module '$MOD_TARGET'
$(states post_unpatch)
% echo 0 > $KLP_SYSFS_DIR/$MOD_LIVEPATCH/enabled
$(transition_lines $MOD_LIVEPATCH unpatching)
% rmmod $MOD_LIVEPATCH"


# - load the patch, then a second one whose transition stalls on a busy
#   target module
# - load and remove the module of the first patch's callbacks while the
#   second patch is in transition: they see no previous state (the states of
#   the patches before the second, the first among them, are not theirs)

start_test "rust prev_state during another patch's transition"

load_lp $MOD_LIVEPATCH
load_mod $MOD_TARGET_BUSY block_transition=Y
load_lp_nowait $MOD_DEMO
loop_until "grep -q '^1$' $KLP_SYSFS_DIR/$MOD_DEMO/transition" ||
	die "failed to stall the transition of $MOD_DEMO"
load_mod $MOD_TARGET
unload_mod $MOD_TARGET
disable_lp $MOD_DEMO
unload_lp $MOD_DEMO
unload_mod $MOD_TARGET_BUSY
disable_lp $MOD_LIVEPATCH
unload_lp $MOD_LIVEPATCH
check_no_warning

check_result "% insmod test_modules/$MOD_LIVEPATCH.ko
livepatch: enabling patch '$MOD_LIVEPATCH'
$(transition_lines $MOD_LIVEPATCH patching)
% insmod test_modules/$MOD_TARGET_BUSY.ko block_transition=Y
$MOD_TARGET_BUSY: ${MOD_TARGET_BUSY}_init
$MOD_TARGET_BUSY: busymod_work_func enter
% insmod test_modules/$MOD_DEMO.ko
livepatch: enabling patch '$MOD_DEMO'
livepatch: '$MOD_DEMO': initializing patching transition
$MOD_DEMO: pre_patch_callback: vmlinux
$MOD_DEMO: pre_patch_callback: $MOD_TARGET_BUSY -> [MODULE_STATE_LIVE] Normal state
livepatch: '$MOD_DEMO': starting patching transition
% insmod test_modules/$MOD_TARGET.ko
livepatch: applying patch '$MOD_LIVEPATCH' to loading module '$MOD_TARGET'
$(states pre_patch)
$(states post_patch)
livepatch: applying patch '$MOD_DEMO' to loading module '$MOD_TARGET'
$MOD_DEMO: pre_patch_callback: $MOD_TARGET -> [MODULE_STATE_COMING] Full formed, running module_init
$MOD_TARGET: ${MOD_TARGET}_init
% rmmod $MOD_TARGET
$MOD_TARGET: ${MOD_TARGET}_exit
$(states pre_unpatch)
livepatch: reverting patch '$MOD_LIVEPATCH' on unloading module '$MOD_TARGET'
$(states post_unpatch)
livepatch: reverting patch '$MOD_DEMO' on unloading module '$MOD_TARGET'
$MOD_DEMO: post_unpatch_callback: $MOD_TARGET -> [MODULE_STATE_GOING] Going away
% echo 0 > $KLP_SYSFS_DIR/$MOD_DEMO/enabled
livepatch: '$MOD_DEMO': reversing transition from patching to unpatching
livepatch: '$MOD_DEMO': starting unpatching transition
livepatch: '$MOD_DEMO': completing unpatching transition
$MOD_DEMO: post_unpatch_callback: vmlinux
$MOD_DEMO: post_unpatch_callback: $MOD_TARGET_BUSY -> [MODULE_STATE_LIVE] Normal state
livepatch: '$MOD_DEMO': unpatching complete
% rmmod $MOD_DEMO
% rmmod $MOD_TARGET_BUSY
$MOD_TARGET_BUSY: busymod_work_func exit
$MOD_TARGET_BUSY: ${MOD_TARGET_BUSY}_exit
% echo 0 > $KLP_SYSFS_DIR/$MOD_LIVEPATCH/enabled
$(transition_lines $MOD_LIVEPATCH unpatching)
% rmmod $MOD_LIVEPATCH"

exit 0
