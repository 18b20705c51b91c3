#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Rust samples, run as their Usage says, against the upstream C sample
# modules they patch. Runs beside the upstream scripts and uses their
# functions.sh; the samples are in samples/.

. $(dirname $0)/functions.sh
. $(dirname $0)/functions-rust.sh

MOD_DEMO=rust_livepatch_callbacks_demo
MOD_TARGET=livepatch_callbacks_mod

setup_config

# sample_log() - the kernel log of the current test from the samples
function sample_log() {
	test_log | grep -e '^% ' -e 'livepatch' | grep -v '\(tainting\|taints\) kernel'
}


# - load the C target module, then the Rust callbacks demo: callbacks run
#   for vmlinux and for the module, which is live
# - disable and remove the demo, then the module

start_test "rust callbacks sample with the C target sample"

run insmod samples/livepatch-callbacks-mod.ko
run insmod samples/$MOD_DEMO.ko
wait_transition $MOD_DEMO
unload $MOD_DEMO
run rmmod $MOD_TARGET

expected="% insmod samples/livepatch-callbacks-mod.ko
$MOD_TARGET: ${MOD_TARGET}_init
% insmod samples/$MOD_DEMO.ko
livepatch: enabling patch '$MOD_DEMO'
livepatch: '$MOD_DEMO': initializing patching transition
$MOD_DEMO: pre_patch_callback: vmlinux
$MOD_DEMO: pre_patch_callback: $MOD_TARGET -> [MODULE_STATE_LIVE] Normal state
livepatch: '$MOD_DEMO': starting patching transition
livepatch: '$MOD_DEMO': completing patching transition
$MOD_DEMO: post_patch_callback: vmlinux
$MOD_DEMO: post_patch_callback: $MOD_TARGET -> [MODULE_STATE_LIVE] Normal state
livepatch: '$MOD_DEMO': patching complete
% echo 0 > $KLP_SYSFS_DIR/$MOD_DEMO/enabled
livepatch: '$MOD_DEMO': initializing unpatching transition
$MOD_DEMO: pre_unpatch_callback: vmlinux
$MOD_DEMO: pre_unpatch_callback: $MOD_TARGET -> [MODULE_STATE_LIVE] Normal state
livepatch: '$MOD_DEMO': starting unpatching transition
livepatch: '$MOD_DEMO': completing unpatching transition
$MOD_DEMO: post_unpatch_callback: vmlinux
$MOD_DEMO: post_unpatch_callback: $MOD_TARGET -> [MODULE_STATE_LIVE] Normal state
livepatch: '$MOD_DEMO': unpatching complete
% rmmod $MOD_DEMO
% rmmod $MOD_TARGET
$MOD_TARGET: ${MOD_TARGET}_exit"
result=$(sample_log)
if [[ "$result" == "$expected" ]]; then
	echo "ok"
else
	echo -e "not ok\n\n$(diff -u --label expected --label result <(echo "$expected") <(echo "$result"))\n"
	die "livepatch kselftest(s) failed"
fi

exit 0
