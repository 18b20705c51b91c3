#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side checks of klp-convert, run by `make check` before the guest boots:
#
# - the test patch test_klp_rust_relocs.ko has livepatch relocation sections
#   and SHN_LIVEPATCH symbols, and is marked as a live patch;
# - a module with bad klp_extern! declarations (klp_convert/) fails to build
#   with one message per bad declaration, and no .ko is left behind.
#
# Prints one result per line, "ok<TAB>name" or "not ok<TAB>name<TAB>details",
# for the guest's TAP report.
#
# Usage: build-klp-convert.sh REPO KDIR KLP_CONVERT WORKDIR

set -uo pipefail

repo=$1 kdir=$2 klp_convert=$3 work=$4
modules=$repo/selftests/livepatch/test_modules

result() { # result ok|"not ok" name [details]
	printf '%s\t%s\t%s\n' "$1" "$2" "$(tr '\n' '|' <<<"${3:-}")"
}

ko=$modules/test_klp_rust_relocs.ko
sections=$(readelf -SW "$ko")
symbols=$(readelf -sW "$ko")
name="klp-convert: test_klp_rust_relocs.ko has .klp.rela.* sections and .klp.sym.* symbols"
missing=""
for obj in vmlinux test_klp_rust_relocs_target; do
	grep -Eq "\.klp\.rela\.$obj\.text +RELA .* AIo " <<<"$sections" ||
		missing+="no SHF_ALLOC|SHF_RELA_LIVEPATCH section .klp.rela.$obj.text; "
done
for sym in vmlinux.nr_processes,0 vmlinux.saved_command_line_len,0 \
	   test_klp_rust_relocs_target.part,1 test_klp_rust_relocs_target.part,2; do
	grep -Fq "OS [0xff20] .klp.sym.$sym" <<<"$symbols" ||
		missing+="no SHN_LIVEPATCH symbol .klp.sym.$sym; "
done
if [ -z "$missing" ]; then result ok "$name"; else result "not ok" "$name" "$missing"; fi

name="klp-convert: test_klp_rust_relocs.ko has modinfo livepatch: Y"
if [ "$(modinfo -F livepatch "$ko")" = Y ]; then
	result ok "$name"
else
	result "not ok" "$name" "$(modinfo "$ko")"
fi

# Build the bad module out of the repository.
rm -rf "$work" && mkdir -p "$work" && cp "$repo"/selftests/livepatch/klp_convert/* "$work/"
output=$(make -s -C "$kdir" LLVM=-19 M="$work" \
	KLP_CONVERT="$klp_convert --modules $modules" modules 2>&1)
status=$?
for expect in \
	"symbol 'klp_convert_no_such_function' of vmlinux not found" \
	"symbol 'part' of test_klp_rust_relocs_target is ambiguous: 2 symbols have that name, give a position 1..=2" \
	"symbol 'part' of test_klp_rust_relocs_target has no position 3: only 2 symbols have that name"; do
	name="klp-convert: refuses the build: $expect"
	if [ $status -ne 0 ] && grep -Fq "klp_convert_bad.ko: $expect" <<<"$output" &&
	   [ ! -e "$work/klp_convert_bad.ko" ]; then
		result ok "$name"
	else
		result "not ok" "$name" "make exit $status; $output"
	fi
done
exit 0
