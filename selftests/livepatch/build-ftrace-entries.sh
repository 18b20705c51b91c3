#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side checks of CONFIG_RUST_FTRACE_ENTRIES, run by `make check` before
# the guest boots:
#
# - the Rust module test_klp_rust_ftrace_target.ko has an __mcount_loc entry
#   for each of its functions: on 6.12, for each of its patchable function
#   entries (-Zpatchable-function-entry=5,0 and our objtool pass); on 7.x,
#   whose rustc calls __fentry__ (-Zinstrument-mcount=fentry), for each
#   function, as objtool records those of C;
# - on 6.12, objtool fails the build of an object whose patchable function
#   entry is not a 5-byte NOP, or not at a function entry (ftrace_entries/);
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

ko=${BUILD:-$repo}/selftests/livepatch/test_modules/test_klp_rust_ftrace_target.ko
mcount=$(relocations "$ko" __mcount_loc)
# unrecorded(ko) - the functions of the .text of ko (after ENDBR, where
#	the call to __fentry__ is) that have no __mcount_loc entry
unrecorded() {
	local text mcount
	text=$(readelf -SW "$1" | sed -n 's/^ *\[ *\([0-9]*\)\] \.text .*/\1/p')
	mcount=$(readelf -rW "$1" | sed -n '/__mcount_loc/,/^$/s/.* \.text + \([0-9a-f]*\)$/\1/p' |
		 while read -r h; do echo $((16#$h)); done)
	readelf -sW "$1" | awk -v t="$text" '$4 == "FUNC" && $7 == t && $8 !~ /^__pfx_/ { print $2, $8 }' |
		while read -r off func; do
			off=$((16#$off))
			grep -qx -e "$off" -e "$((off + 4))" <<<"$mcount" || echo "$func"
		done
}

if grep -q -- '-Zinstrument-mcount=fentry' "$kdir/Makefile"; then
	fentry=1
	# objtool records the calls to __fentry__ that rustc puts at the entry of
	# every function, as for C.
	name="ftrace entries: test_klp_rust_ftrace_target.ko records the entry of each function in __mcount_loc"
	missing=$(unrecorded "$ko")
	if [ -n "$mcount" ] && [ "$mcount" -gt 0 ] && [ -z "$missing" ]; then
		result ok "$name"
	else
		result "not ok" "$name" "${mcount:-no} __mcount_loc entries; no entry for: $missing"
	fi
else
	fentry=0
	entries=$(relocations "$ko" __patchable_function_entries)
	name="ftrace entries: test_klp_rust_ftrace_target.ko records its patchable entries in __mcount_loc"
	if [ -n "$entries" ] && [ "$entries" -gt 0 ] && [ "$entries" = "$mcount" ]; then
		result ok "$name"
	else
		result "not ok" "$name" "${entries:-no} entries, ${mcount:-no} __mcount_loc entries"
	fi
fi

# build(case) - build the module of ftrace_entries/ named case in $work
build() {
	rm -rf "$work" && mkdir -p "$work" &&
		cp "$repo"/selftests/livepatch/ftrace_entries/* "$work/" &&
		make -s -C "$kdir" LLVM=-19 M="$work" FTRACE_ENTRY_CASE="$1" modules 2>&1
}

[ "$fentry" = 1 ] ||
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
# With fentry, __patchable_function_entries are CALL_PADDING's, not ours.
if [ $status -eq 0 ] && [ -n "$(relocations "$work/entry_opt_out.ko" __mcount_loc)$(
	[ "$fentry" = 1 ] || relocations "$work/entry_opt_out.ko" __patchable_function_entries)" ]; then
	result "not ok" "$name" "entry_opt_out.ko has entries: $(readelf -SW "$work/entry_opt_out.ko")"
elif [ $status -eq 0 ] && [ -f "$work/entry_opt_out.ko" ]; then
	result ok "$name"
else
	result "not ok" "$name" "make exit $status; $output"
fi
exit 0
