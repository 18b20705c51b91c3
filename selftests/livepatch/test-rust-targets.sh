#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Rust live patches of code that was not written for the tests, run as the
# Usage of their samples says:
#
#   rust_livepatch_fmt         rust_fmt_argument() of the kernel crate in
#                              vmlinux, which formats the message of every
#                              Rust pr_*!()
#   rust_livepatch_select_fix  an upstream fix of select(), on the kernels
#                              that lack it (6.12); on the others, the
#                              reproducer shows the fix is there
#
# Runs beside the upstream scripts and uses their functions.sh; the samples
# are in samples/.

. $(dirname $0)/functions.sh
. $(dirname $0)/functions-rust.sh

MOD_FMT=rust_livepatch_fmt
MOD_PRINTS=test_klp_callbacks_mod
MOD_SELECT=rust_livepatch_select_fix
# What the reproducer prints, without the fix and with it: only its first
# call differs.
SELECT_WORKS="select(0, NULL, NULL, NULL, {0, 1000}) = 0, {0, 0} left
select(0, NULL, NULL, NULL, 1) = -1 EFAULT (Bad address)
select(pipe + 1, {pipe}, NULL, NULL, NULL) = 1, pipe readable"
SELECT_BROKEN="select(0, NULL, NULL, NULL, {1, -1000000}) = 0
$SELECT_WORKS"
SELECT_FIXED="select(0, NULL, NULL, NULL, {1, -1000000}) = -1 EINVAL (Invalid argument)
$SELECT_WORKS"

setup_config

# enable(sample) - load a sample and wait for its transition
function enable() {
	run insmod "samples/$1.ko"
	wait_transition "$1"
}

# check_log(expected) - check the kernel log of the test: the commands and
#	the lines of the core, the samples and the test modules
function check_log() {
	local result
	result=$(test_log | grep -e '^% ' -e '^select(' -e 'livepatch' -e 'test_klp' |
		grep -v '\(tainting\|taints\) kernel')
	if [[ "$result" == "$1" ]]; then
		echo "ok"
	else
		echo -e "not ok\n\n$(diff -u --label expected --label result <(echo "$1") <(echo "$result"))\n"
		die "livepatch kselftest(s) failed"
	fi
}

# prints() - load and remove a Rust module that prints from its init and exit
function prints() {
	run insmod test_modules/$MOD_PRINTS.ko
	run rmmod $MOD_PRINTS
}

# run_select() - run the reproducer of the select() bug, and log what it prints
function run_select() {
	local line
	log "% ./test_klp_rust-select"
	while read -r line; do
		log "$line"
	done < <(./test_klp_rust-select)
}


# - a Rust module prints its init and exit as it does
# - enable rust_livepatch_fmt: the module's messages get the sample's prefix,
#   after the module name (which C's format string prints)
# - disable it: the messages are as they were

start_test "rust patch of the kernel crate: rust_fmt_argument() of every pr_*!()"

prints
enable $MOD_FMT
prints
unload $MOD_FMT
prints

check_log "% insmod test_modules/$MOD_PRINTS.ko
$MOD_PRINTS: ${MOD_PRINTS}_init
% rmmod $MOD_PRINTS
$MOD_PRINTS: ${MOD_PRINTS}_exit
% insmod samples/$MOD_FMT.ko
livepatch: enabling patch '$MOD_FMT'
$(transition_lines $MOD_FMT patching)
% insmod test_modules/$MOD_PRINTS.ko
$MOD_PRINTS: [$MOD_FMT] ${MOD_PRINTS}_init
% rmmod $MOD_PRINTS
$MOD_PRINTS: [$MOD_FMT] ${MOD_PRINTS}_exit
% echo 0 > $KLP_SYSFS_DIR/$MOD_FMT/enabled
$(transition_lines $MOD_FMT unpatching)
% rmmod $MOD_FMT
% insmod test_modules/$MOD_PRINTS.ko
$MOD_PRINTS: ${MOD_PRINTS}_init
% rmmod $MOD_PRINTS
$MOD_PRINTS: ${MOD_PRINTS}_exit"


# - the reproducer makes select() with the timeout {1 s, -1000000 us}: 0
#   (a zero timeout) where the kernel lacks the fix; then three calls that
#   work: a timeout that expires, a bad timeout pointer, a ready pipe
# - enable rust_livepatch_select_fix: EINVAL, and the others the same
# - disable it: 0 again
# A kernel with the fix upstream has no sample: EINVAL, unpatched.

start_test "rust fix of select(): a timeout of negative components fails with EINVAL"

if [[ -e samples/$MOD_SELECT.ko ]]; then
	run_select
	enable $MOD_SELECT
	run_select
	unload $MOD_SELECT
	run_select

	check_log "% ./test_klp_rust-select
$SELECT_BROKEN
% insmod samples/$MOD_SELECT.ko
livepatch: enabling patch '$MOD_SELECT'
$(transition_lines $MOD_SELECT patching)
% ./test_klp_rust-select
$SELECT_FIXED
% echo 0 > $KLP_SYSFS_DIR/$MOD_SELECT/enabled
$(transition_lines $MOD_SELECT unpatching)
% rmmod $MOD_SELECT
% ./test_klp_rust-select
$SELECT_BROKEN"
else
	run_select

	check_log "% ./test_klp_rust-select
$SELECT_FIXED"
fi

exit 0
