#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of `make check`: run the livepatch selftest scripts and report
# one TAP line per test case.
#
# The cases of a script are the names of its `start_test` calls. A script
# prints `TEST: <name> ... ok` for each case that passed and stops at the
# first one that fails; the cases it did not reach are reported as not run.
# The kernel crate's livepatch doctests (run by KUnit at boot when it is
# enabled) and a scan of the kernel log for warnings are reported too.
#
# Usage: guest-selftests.sh RUN_DIR KDIR SCRIPT...

set -uo pipefail

run=$1
export KDIR=$2
shift 2

passed=0 failed=0 n=0
report() { # report ok|"not ok" description [diagnostics]
	n=$((n + 1))
	echo "$1 $n - $2"
	if [ "$1" = ok ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		[ -z "${3:-}" ] || sed 's/^/# /' <<<"$3"
	fi
}

echo "TAP version 13"
echo "# kernel $(uname -r), $(nproc) CPUs"

# KUnit ran the doctests before init; report those of our kernel crate files,
# whose name prefixes are listed in $run/doctests.
doctests=$(dmesg | sed -n 's/.*\(not ok\|ok\) [0-9]* \(rust_doctest_[a-z0-9_]*\)$/\1 \2/p')
while read -r result name; do
	grep -qxF "${name%_*}" "$run/doctests" || continue
	if [ "$result" = ok ]; then
		report ok "doctest: $name"
	else
		report "not ok" "doctest: $name" "$(dmesg | grep -A20 "$name")"
	fi
done <<<"$doctests"
if [ "$n" -eq 0 ]; then
	report "not ok" "doctests: none of ours ran (is KUnit disabled?)"
fi

# Checks made on the host before the guest booted.
if [ -f "$run/host-results" ]; then
	while IFS=$'\t' read -r result name details; do
		report "$result" "$name" "$(tr '|' '\n' <<<"$details")"
	done <"$run/host-results"
fi

cd "$run" || exit 1
for script in "$@"; do
	mapfile -t cases < <(sed -n 's/^start_test "\(.*\)"$/\1/p' "$script")
	start=$(date +%s)
	output=$(bash "./$script" 2>&1)
	status=$?
	echo "# $script: exit $status in $(($(date +%s) - start)) s"
	failed_before=$failed
	for c in "${cases[@]}"; do
		if grep -qxF "TEST: $c ... ok" <<<"$output"; then
			report ok "$script: $c"
		elif grep -qF "TEST: $c ..." <<<"$output"; then
			report "not ok" "$script: $c" "$output"
		else
			report "not ok" "$script: $c # not run"
		fi
	done
	# A script that failed outside of its cases still fails the run.
	if [ "$status" -ne 0 ] && [ "$failed" -eq "$failed_before" ]; then
		report "not ok" "$script: exit status $status" "$output"
	fi
done

warnings=$(dmesg | grep -E -A10 'WARNING:|BUG:|Oops|Call Trace:' || true)
if [ -z "$warnings" ]; then
	report ok "kernel log: no WARNING, BUG or Oops"
else
	report "not ok" "kernel log: no WARNING, BUG or Oops" "$warnings"
fi

echo "1..$n"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
