#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unit tests of the log parsers of `make check`, run on the host by
# selftests.sh, over the logs of scripts/log-fixtures/ (its README says where
# each comes from). For each NAME.log there:
#
# - NAME.kunit, when there is one, is what kunit_results (kunit-tap.sh)
#   prints for it;
# - NAME.tap, when there is one, is the TAP report of those results
#   (report_results of tap.sh): a skipped test is "ok ... # SKIP";
# - NAME.problems, when there is one, is what kernel_log_problems
#   (kernel-log.sh) prints for it: empty for no report.
#
# Prints one result per line, "ok<TAB>name" or "not ok<TAB>name<TAB>details",
# for the guest's TAP report.
#
# Usage: check-log-parsers.sh

set -uo pipefail

here=$(dirname "$0")
# shellcheck source=selftests/livepatch/functions-build.sh
. "$here/../selftests/livepatch/functions-build.sh"
# shellcheck source=scripts/tap.sh
. "$here/tap.sh"
# shellcheck source=scripts/kunit-tap.sh
. "$here/kunit-tap.sh"
# shellcheck source=scripts/kernel-log.sh
. "$here/kernel-log.sh"

# check(name, expected, command...) - whether command prints what the file
#	expected holds
check() {
	local name=$1 expected=$2 diff
	shift 2
	if diff=$(diff -u --label expected --label got "$expected" <("$@" 2>&1)); then
		result ok "$name"
	else
		result "not ok" "$name" "$diff"
	fi
}

for log in "$here"/log-fixtures/*.log; do
	base=${log%.log}
	fixture=log-fixtures/${log##*/}
	if [ -f "$base.kunit" ]; then
		check "kunit-tap.sh: the KUnit results of $fixture" "$base.kunit" \
			kunit_results "$log"
	fi
	if [ -f "$base.tap" ]; then
		check "tap.sh: the TAP report of the KUnit results of $fixture" "$base.tap" \
			report_results "kunit: " < <(kunit_results "$log")
	fi
	if [ -f "$base.problems" ]; then
		check "kernel-log.sh: the kernel problems of $fixture" "$base.problems" \
			kernel_log_problems "$log"
	fi
done
exit 0
