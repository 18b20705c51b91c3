#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side compile-fail checks of the kernel crate's safe APIs, run by
# `make check` before the guest boots: each module of compile_fail/ misuses an
# API in a way that would corrupt the kernel if it built, and must fail to
# build with the error its second line names (`// expect: <message>`),
# leaving no .ko behind.
#
# Prints one result per line, "ok<TAB>name" or "not ok<TAB>name<TAB>details",
# for the guest's TAP report.
#
# Usage: build-compile-fail.sh REPO KDIR WORKDIR

set -uo pipefail

repo=$1 kdir=$2 work=$3

. "$(dirname "$0")/functions-build.sh"

rm -rf "$work" && mkdir -p "$work" && cp "$repo"/selftests/livepatch/compile_fail/* "$work/"

for src in "$work"/*.rs; do
	case=$(basename "$src" .rs)
	expect=$(sed -n '2s|^// expect: ||p' "$src")
	name="compile-fail: $case: $expect"
	if [ -z "$expect" ]; then
		result "not ok" "compile-fail: $case" "no '// expect: <message>' on line 2"
		continue
	fi
	output=$(make -s -C "$kdir" LLVM=-19 M="$work" COMPILE_FAIL_CASE="$case" modules 2>&1)
	check_refused "$name" $? "$output" "$expect" "$work/$case.ko"
done
exit 0
