#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The reports of kernel problems in a console log: warnings, BUGs, Oopses,
# UBSAN, kmemleak, lockdep, RCU stall and hung task reports, panics.
#
# Only kernel messages are read: lines with a printk time stamp, wherever it
# is (the console may write a message in the middle of a program's line),
# except the TAP diagnostics of the guest ("# ..."), which may quote logs.
# A test that provokes a report on purpose is listed in
# expected_reports, and the report is accepted while that test runs: from
# its "===== TEST: <name> =====" line (start_test() of the upstream
# functions.sh) to the next one, or to the "guest-selftests: running
# <script>" line of the next script.
#
# Usage: . kernel-log.sh; kernel_log_problems LOG
#   prints each report found and the 10 kernel lines after it (at most 200
#   lines in all); nothing when there is none

kernel_problems='WARNING:|BUG:|Oops|Call Trace:|UBSAN:|kmemleak: [0-9]+ new suspected memory leak'
kernel_problems+='|possible .*deadlock|possible recursive locking|inconsistent lock state'
kernel_problems+='|RCU stall|rcu: INFO: .*detected stall|hung[ _]task|blocked for more than'
kernel_problems+='|general protection fault|Kernel panic'

# "test<TAB>regex": a report that the test named provokes on purpose.
expected_reports=(
	# test-rust-shadow.sh: the leaks of livepatch-shadow-mod.ko, found by
	# the kmemleak scans it asks for.
	$'kmemleak sees the leak of livepatch_shadow_mod\tkmemleak: [0-9]+ new suspected memory leaks '
	# The same leaks, found late by the scans of its last case (on a debug
	# kernel most are); that case fails on a leak of its own, one that was
	# allocated after the first case (kmemleak_report_since()).
	$'removing the rust fixes frees every shadow variable\tkmemleak: [0-9]+ new suspected memory leaks '
	# test-rust-faults.sh: the stack a failed vmalloc() prints
	# (warn_alloc(): "vmalloc error: ..."); a WARNING or BUG is still one.
	$'rust patches loaded with each allocation failed in turn\tCall Trace:'
)

kernel_log_problems() {
	awk -v problems="$kernel_problems" -v expected="$(printf '%s\n' "${expected_reports[@]}")" '
	BEGIN {
		n = split(expected, lines, "\n")
		for (i = 1; i <= n; i++) {
			split(lines[i], field, "\t")
			expected_test[i] = field[1]
			expected_re[i] = field[2]
		}
	}
	function expected_here(msg,   i) {
		for (i = 1; i <= n; i++)
			if (test == expected_test[i] && msg ~ expected_re[i])
				return 1
		return 0
	}
	{ sub(/\r$/, "") }
	/^#/ || !match($0, /\[ *[0-9]+\.[0-9]+\] /) { next }
	{ msg = substr($0, RSTART + RLENGTH) }
	msg ~ /^===== TEST: .* =====$/ { test = substr(msg, 13, length(msg) - 18) }
	msg ~ /^guest-selftests: running / { test = "" }
	msg ~ problems && !expected_here(msg) { after = 11 }
	after > 0 && printed < 200 { print; after--; printed++ }
	' "$1"
}
