#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The TAP report of `make check`, written by the guest (guest-selftests.sh)
# and finished by the host (selftests.sh): one numbered line per result, the
# plan at the end, then the count.
#
# Usage: . tap.sh
#   report ok|"not ok"|skip DESCRIPTION [DETAILS]   print the next result
#   report_results PREFIX <RESULTS                  report each result line
#                                                   of RESULTS
#   tap_resume TAP_FILE                             go on numbering after the
#                                                   results of TAP_FILE
#   tap_finish                                      the plan and the count

tap_n=0 tap_passed=0 tap_failed=0

# diagnostics(text) - print text as TAP diagnostics, "# " before each line
diagnostics() {
	local lines
	mapfile -t lines <<<"$1"
	printf '# %s\n' "${lines[@]}"
}

# report(ok|"not ok"|skip, description, [details]) - print one result: a
#	skip is "ok ... # SKIP details"; details of a failure are printed as
#	TAP diagnostics, one "# " line each
report() {
	tap_n=$((tap_n + 1))
	case $1 in
	ok)	echo "ok $tap_n - $2"
		tap_passed=$((tap_passed + 1)) ;;
	skip)	echo "ok $tap_n - $2 # SKIP${3:+ $3}"
		tap_passed=$((tap_passed + 1)) ;;
	*)	echo "not ok $tap_n - $2"
		[ -z "${3:-}" ] || diagnostics "$3"
		tap_failed=$((tap_failed + 1)) ;;
	esac
}

# report_results(prefix) - report each line of stdin, a result line
#	"ok|not ok|skip<TAB>name<TAB>details" (details with '|' for newlines,
#	as result() of selftests/livepatch/functions-build.sh prints them), as
#	"prefix name"
report_results() {
	local result name details
	while IFS=$'\t' read -r result name details; do
		report "$result" "$1$name" "$(tr '|' '\n' <<<"$details")"
	done
}

# tap_resume(file) - count the results of the TAP report in file, so that
#	those reported next follow them
tap_resume() {
	tap_passed=$(grep -cE '^ok [0-9]+ ' "$1" || true)
	tap_failed=$(grep -cE '^not ok [0-9]+ ' "$1" || true)
	tap_n=$((tap_passed + tap_failed))
}

# tap_finish() - print the plan and the count; fails if a result failed
tap_finish() {
	echo "1..$tap_n"
	echo "$tap_passed passed, $tap_failed failed"
	[ "$tap_failed" -eq 0 ]
}
