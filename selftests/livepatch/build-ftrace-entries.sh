#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side checks of CONFIG_RUST_FTRACE_ENTRIES, run by `make check` before
# the guest boots:
#
# - the Rust module test_klp_rust_ftrace_target.ko has an __mcount_loc entry
#   for each of its patchable function entries;
# - objtool fails the build of an object whose patchable function entry is
#   not a 5-byte NOP, or not at a function entry (ftrace_entries/);
# - a Rust module built with RUSTFLAGS_REMOVE_<object>.o := $(RUSTFLAGS_FTRACE)
#   has no entries.
#
# Prints one result per line, "ok<TAB>name" or "not ok<TAB>name<TAB>details",
# for the guest's TAP report.
#
# Usage: build-ftrace-entries.sh REPO KDIR WORKDIR

set -uo pipefail

repo=$1 kdir=$2 work=$3

. "$(dirname "$0")/functions-build.sh"

# relocations(ko, section) - the number of relocations of section
relocations() {
	readelf -rW "$1" | sed -n "s/^Relocation section '\.rela$2' at offset .* contains \([0-9]*\) entr.*/\1/p"
}

ko=$repo/selftests/livepatch/test_modules/test_klp_rust_ftrace_target.ko
entries=$(relocations "$ko" __patchable_function_entries)
mcount=$(relocations "$ko" __mcount_loc)
name="ftrace entries: test_klp_rust_ftrace_target.ko records its patchable entries in __mcount_loc"
if [ -n "$entries" ] && [ "$entries" -gt 0 ] && [ "$entries" = "$mcount" ]; then
	result ok "$name"
else
	result "not ok" "$name" "${entries:-no} patchable entries, ${mcount:-no} __mcount_loc entries"
fi

# build(case) - build the module of ftrace_entries/ named case in $work
build() {
	rm -rf "$work" && mkdir -p "$work" &&
		cp "$repo"/selftests/livepatch/ftrace_entries/* "$work/" &&
		make -s -C "$kdir" LLVM=-19 M="$work" FTRACE_ENTRY_CASE="$1" modules 2>&1
}

for case in "entry_not_nop:entry_not_nop+0x4: patchable function entry is not a 5-byte NOP" \
	    "entry_not_at_entry:entry_not_at_entry+0x9: patchable function entry is not at a function entry"; do
	object=${case%%:*} expect=${case#*:}
	output=$(build "$object")
	status=$?
	check_refused "ftrace entries: objtool refuses the build: $expect" "$status" "$output" \
		"$object.o: warning: objtool: $expect" "$work/$object.o"
done

output=$(build entry_opt_out)
status=$?
name="ftrace entries: a Rust module can opt out"
if [ $status -eq 0 ] && [ -n "$(relocations "$work/entry_opt_out.ko" __mcount_loc)$(
	relocations "$work/entry_opt_out.ko" __patchable_function_entries)" ]; then
	result "not ok" "$name" "entry_opt_out.ko has entries: $(readelf -SW "$work/entry_opt_out.ko")"
elif [ $status -eq 0 ] && [ -f "$work/entry_opt_out.ko" ]; then
	result ok "$name"
else
	result "not ok" "$name" "make exit $status; $output"
fi
exit 0
