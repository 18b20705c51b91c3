#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers of our test-rust-*.sh scripts, on top of upstream's functions.sh.

# The livepatch sysfs directory, under the name of functions.sh on 6.12
# (7.x calls it SYSFS_KLP_DIR).
KLP_SYSFS_DIR=${KLP_SYSFS_DIR:-${SYSFS_KLP_DIR:-/sys/kernel/livepatch}}
KMEMLEAK=/sys/kernel/debug/kmemleak

# kmemleak_report() - the objects kmemleak finds unreferenced now; it only
#	reports objects older than 5 s, and a second scan confirms the first
function kmemleak_report() {
	echo scan > $KMEMLEAK && echo scan > $KMEMLEAK && cat $KMEMLEAK
}

# jiffies() - the kernel's jiffies now, of the scheduler's debug file
function jiffies() {
	awk '$1 == "jiffies" { print $3; found = 1; exit } END { exit !found }' \
		/sys/kernel/debug/sched/debug
}

# kmemleak_report_since(jiffies) - kmemleak_report(), of the objects
#	allocated since jiffies only: a scan misses an object while a stale
#	copy of its pointer is left somewhere, and a later one reports it, in
#	the test case that follows
function kmemleak_report_since() {
	local report
	report=$(kmemleak_report) || return
	# Each object's second line: '  comm "...", pid N, jiffies J'.
	awk -v since="$1" '
		function flush() { if (keep) printf "%s", obj; obj = ""; keep = 0 }
		/^unreferenced object/ { flush(); keep = 1 }
		/^  comm ".*", pid [0-9]+, jiffies [0-9]+$/ { keep = $NF >= since }
		{ obj = obj $0 "\n" }
		END { flush() }' <<<"$report"
}

# run(command) - log a command to the kernel log, then run it
function run() {
	log "% $*"
	eval "$@" || die "failed: $*"
}

# wait_transition(mod) - wait until the livepatch mod finished its transition
function wait_transition() {
	local mod=$1
	loop_until 'grep -q "^0$" $KLP_SYSFS_DIR/$mod/transition' ||
		die "failed to complete transition of $mod"
}

# unload(mod) - disable and remove a livepatch, or remove a module
function unload() {
	local mod=$1
	if [[ -e $KLP_SYSFS_DIR/$mod ]]; then
		run "echo 0 > $KLP_SYSFS_DIR/$mod/enabled"
		loop_until '[[ ! -e $KLP_SYSFS_DIR/$mod ]]' || die "failed to disable $mod"
	fi
	loop_until '[[ $(cat /sys/module/$mod/refcnt) == 0 ]]' || die "$mod still in use"
	run rmmod "$mod"
}

# transition_lines(mod, patching|unpatching) - the kernel log lines of a
#	transition of the patch mod that completes at once, for check_result
function transition_lines() {
	local mod="$1" what="$2"
	echo "livepatch: '$mod': initializing $what transition
livepatch: '$mod': starting $what transition
livepatch: '$mod': completing $what transition
livepatch: '$mod': $what complete"
}

# test_log() - the kernel log of the current test (since its start_test),
#	without timestamps
function test_log() {
	dmesg | awk -v last_dmesg="$LAST_DMESG" 'p; $0 == last_dmesg { p=1 }' |
		sed 's/^\[[ 0-9.]*\] //; s/^\[[ ]*[CT][0-9]*\] //'
}

# check_result_except(regex, expect) - check_result() for a kernel log from
#	which the lines that match regex are dropped first: debug lines that the
#	core repeats a number of times that depends on timing
function check_result_except() {
	local except="$1"; shift
	local expect="$*"
	local result

	result=$(test_log | \
		 grep -e 'livepatch:' -e 'test_klp' | \
		 grep -v '\(tainting\|taints\) kernel' | \
		 grep -v -e "$except")

	if [[ "$expect" == "$result" ]] ; then
		echo "ok"
	else
		echo -e "not ok\n\n$(diff -upr --label expected --label result <(echo "$expect") <(echo "$result"))\n"
		die "livepatch kselftest(s) failed"
	fi
}
