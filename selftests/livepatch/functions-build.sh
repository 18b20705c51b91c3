#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers of the host-side build checks (build-*.sh), whose results the
# guest reports in TAP.

# result(ok|"not ok", name, [details]) - print one result line,
#	"ok<TAB>name" or "not ok<TAB>name<TAB>details" (newlines as '|')
result() {
	printf '%s\t%s\t%s\n' "$1" "$2" "$(tr '\n' '|' <<<"${3:-}")"
}

# check_refused(name, status, output, message, file) - report whether a
#	build that exited with status, printing output, failed with message
#	and left file behind
check_refused() {
	local name="$1" status="$2" output="$3" message="$4" file="$5"

	if [ "$status" -ne 0 ] && grep -Fq "$message" <<<"$output" && [ ! -e "$file" ]; then
		result ok "$name"
	else
		result "not ok" "$name" "make exit $status; $output"
	fi
}

# check_refused_in_place(name, status, output, message, file, copy) - report
#	whether klp-convert, run on file, exited with status 1, printing output,
#	failed with message and left file as its copy
check_refused_in_place() {
	local name="$1" status="$2" output="$3" message="$4" file="$5" copy="$6"

	if [ "$status" -eq 1 ] && grep -Fq "$message" <<<"$output" && cmp -s "$file" "$copy"; then
		result ok "$name"
	else
		result "not ok" "$name" "klp-convert exit $status; $output"
	fi
}
