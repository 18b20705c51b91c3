#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of `make check`: run the livepatch selftest scripts and report
# one TAP line per test case.
#
# The cases of a script are the names of its `start_test` calls. A script
# prints `TEST: <name> ... ok` for each case that passed and stops at the
# first one that fails; the cases it did not reach are reported as not run.
# A script that runs longer than its time limit is stopped and reported as
# timed out, and the next one runs. The results of KUnit (the kernel crate's
# doctests, run at boot) and of the host's checks ($run/host-results) are
# reported first. The host adds the scan of the whole console log, the plan
# and the count (selftests.sh); the last line here, "# guest: N passed,
# N failed", tells it that the guest got to the end.
#
# Usage: guest-selftests.sh RUN_DIR KDIR SCRIPT...
#   SCRIPT_TIMEOUT   seconds a script may run (default 300)
#   SCRIPT_TIMEOUTS  "script=seconds ..." for the scripts that need longer

set -uo pipefail

run=$1
export KDIR=$2
shift 2
limit=${SCRIPT_TIMEOUT:-300}

# shellcheck source=scripts/tap.sh
. "$(dirname "$0")/tap.sh"
# shellcheck source=scripts/kunit-tap.sh
. "$(dirname "$0")/kunit-tap.sh"

# ours() - the result lines of stdin that are failures, or of a doctest of our
#	kernel crate files (their name prefixes are listed in $run/doctests)
ours() {
	local result name details leaf
	while IFS=$'\t' read -r result name details; do
		leaf=${name##*/}
		if [ "$result" = "not ok" ] || grep -qxF "${leaf%_*}" "$run/doctests"; then
			printf '%s\t%s\t%s\n' "$result" "$name" "$details"
		fi
	done
}

# run_script(script) - run script with the time limit; report its cases and,
#	if it timed out or failed outside of its cases, that too
run_script() {
	local script=$1 cases c start status output failed_before=$tap_failed limit=$limit t
	# SCRIPT_TIMEOUTS="script=seconds ...": the scripts that need longer.
	for t in ${SCRIPT_TIMEOUTS:-}; do
		[ "${t%%=*}" != "$script" ] || limit=${t#*=}
	done
	mapfile -t cases < <(sed -n 's/^[[:space:]]*start_test "\(.*\)"$/\1/p' "$script")
	echo "guest-selftests: running $script" >/dev/kmsg
	start=$(date +%s)
	# The output goes to a file: a process the time limit could not kill
	# (stuck in the kernel) would keep a pipe open.
	timeout -k 10 "$limit" bash "./$script" >"$log" 2>&1
	status=$?
	output=$(<"$log")
	echo "# $script: exit $status in $(($(date +%s) - start)) s"
	# What a script prints as a TAP diagnostic (test-rust-soak.sh's rates).
	grep '^# ' <<<"$output"
	for c in "${cases[@]}"; do
		if grep -qxF "TEST: $c ... ok" <<<"$output"; then
			report ok "$script: $c"
		elif grep -qF "TEST: $c ..." <<<"$output"; then
			report "not ok" "$script: $c" "$output"
		else
			report "not ok" "$script: $c # not run"
		fi
	done
	if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
		report "not ok" "$script: timed out after $limit s" "$output"
	elif [ "$status" -ne 0 ] && [ "$tap_failed" -eq "$failed_before" ]; then
		# A script that failed outside of its cases still fails the run.
		report "not ok" "$script: exit status $status" "$output"
	fi
}

echo "TAP version 13"
echo "# kernel $(uname -r), $(nproc) CPUs"

# KUnit ran the doctests before init.
kunit=$(kunit_results <(dmesg) | ours)
if [ -n "$kunit" ]; then
	report_results "kunit: " <<<"$kunit"
else
	report "not ok" "kunit: none of our doctests ran (is KUnit disabled?)"
fi

# Checks made on the host before the guest booted.
if [ -s "$run/host-results" ]; then
	report_results "" <"$run/host-results"
fi

log=$(mktemp)
cd "$run" || exit 1
for script in "$@"; do
	run_script "$script"
done
rm -f "$log"

echo "# guest: $tap_passed passed, $tap_failed failed"
[ "$tap_failed" -eq 0 ]
