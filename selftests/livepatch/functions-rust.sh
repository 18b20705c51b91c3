#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers of our test-rust-*.sh scripts, on top of upstream's functions.sh.

# transition_lines(mod, patching|unpatching) - the kernel log lines of a
#	transition of the patch mod that completes at once, for check_result
function transition_lines() {
	local mod="$1" what="$2"
	echo "livepatch: '$mod': initializing $what transition
livepatch: '$mod': starting $what transition
livepatch: '$mod': completing $what transition
livepatch: '$mod': $what complete"
}

# check_result_except(regex, expect) - check_result() for a kernel log from
#	which the lines that match regex are dropped first: debug lines that the
#	core repeats a number of times that depends on timing
function check_result_except() {
	local except="$1"; shift
	local expect="$*"
	local result

	result=$(dmesg | awk -v last_dmesg="$LAST_DMESG" 'p; $0 == last_dmesg { p=1 }' | \
		 grep -e 'livepatch:' -e 'test_klp' | \
		 grep -v '\(tainting\|taints\) kernel' | \
		 grep -v -e "$except" | \
		 sed 's/^\[[ 0-9.]*\] //')

	if [[ "$expect" == "$result" ]] ; then
		echo "ok"
	else
		echo -e "not ok\n\n$(diff -upr --label expected --label result <(echo "$expect") <(echo "$result"))\n"
		die "livepatch kselftest(s) failed"
	fi
}
