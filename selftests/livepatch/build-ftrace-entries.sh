#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side checks of CONFIG_RUST_FTRACE_ENTRIES, run by `make check` before
# the guest boots:
#
# - every function of the .text of the Rust module
#   test_klp_rust_ftrace_target.ko has an __mcount_loc entry: rustc calls
#   __fentry__ at the entry of each (-Zinstrument-mcount=fentry), which
#   objtool records and turns into a NOP, as for C;
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

# unrecorded(ko) - the functions of the .text of ko (after ENDBR, where
#	the call to __fentry__ is) that have no __mcount_loc entry, but for
#	the constructors KASAN's compiler pass adds (asan.module_ctor and
#	_dtor, which register the module's globals, in C modules too)
unrecorded() {
	local text mcount
	text=$(readelf -SW "$1" | sed -n 's/^ *\[ *\([0-9]*\)\] \.text .*/\1/p')
	mcount=$(readelf -rW "$1" | sed -n '/__mcount_loc/,/^$/s/.* \.text + \([0-9a-f]*\)$/\1/p' |
		 while read -r h; do echo $((16#$h)); done)
	readelf -sW "$1" | awk -v t="$text" '$4 == "FUNC" && $7 == t && $8 !~ /^(__pfx_|asan\.module_[cd]tor$)/ { print $2, $8 }' |
		while read -r off func; do
			off=$((16#$off))
			grep -qx -e "$off" -e "$((off + 4))" <<<"$mcount" || echo "$func"
		done
}

ko=${BUILD:-$repo}/selftests/livepatch/test_modules/test_klp_rust_ftrace_target.ko
mcount=$(relocations "$ko" __mcount_loc)
name="ftrace entries: test_klp_rust_ftrace_target.ko records the entry of each function in __mcount_loc"
missing=$(unrecorded "$ko")
if [ -n "$mcount" ] && [ "$mcount" -gt 0 ] && [ -z "$missing" ]; then
	result ok "$name"
else
	result "not ok" "$name" "${mcount:-no} __mcount_loc entries; no entry for: $missing"
fi

# build(case) - build the module of ftrace_entries/ named case in $work
build() {
	rm -rf "$work" && mkdir -p "$work" &&
		cp "$repo"/selftests/livepatch/ftrace_entries/* "$work/" &&
		make -s -C "$kdir" LLVM=-19 M="$work" FTRACE_ENTRY_CASE="$1" modules 2>&1
}

output=$(build entry_opt_out)
status=$?
name="ftrace entries: a Rust module can opt out"
if [ $status -eq 0 ] && { [ -n "$(relocations "$work/entry_opt_out.ko" __mcount_loc)" ] ||
	readelf -rW "$work/entry_opt_out.ko" | grep -q __fentry__; }; then
	result "not ok" "$name" "entry_opt_out.ko has entries: $(readelf -SW "$work/entry_opt_out.ko")"
elif [ $status -eq 0 ] && [ -f "$work/entry_opt_out.ko" ]; then
	result ok "$name"
else
	result "not ok" "$name" "make exit $status; $output"
fi
exit 0
