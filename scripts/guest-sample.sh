#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of `make run`: live patch /proc/cmdline with the Rust sample,
# then take the patch away again, showing each step. Fails at the first step
# that does not do what it should.
#
# Usage: guest-sample.sh MODULE.ko

set -euo pipefail

ko=$1
mod=$(basename "$ko" .ko)
patch=/sys/kernel/livepatch/$mod

# show COMMAND: print the command as typed at a prompt, then run it.
show() {
	printf '\n$ %s\n' "$*"
	eval "$@"
}

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# wait_for CONDITION: poll a shell condition for up to 30 s.
wait_for() {
	local i
	for i in $(seq 300); do
		eval "$1" && return 0
		sleep 0.1
	done
	fail "timed out waiting for: $1"
}

original=$(cat /proc/cmdline)
show cat /proc/cmdline

show insmod "$ko"
show cat "$patch/enabled" "$patch/transition"
wait_for "[ \"\$(cat $patch/transition)\" = 0 ]"
show cat "$patch/transition"
show cat /proc/cmdline
[ "$(cat /proc/cmdline)" = "this has been live patched" ] ||
	fail "/proc/cmdline is not patched"

show "echo 0 > $patch/enabled"
wait_for "[ ! -e $patch ]"
show "ls /sys/kernel/livepatch"
# The livepatch core drops its module reference once the patch is freed.
wait_for "[ \"\$(cat /sys/module/$mod/refcnt)\" = 0 ]"
show rmmod "$mod"
show cat /proc/cmdline
[ "$(cat /proc/cmdline)" = "$original" ] || fail "/proc/cmdline is not restored"
printf '\nThe Rust live patch replaced cmdline_proc_show() and was removed again.\n'
