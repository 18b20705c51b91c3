#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side checks of klp-convert, run by `make check` before the guest boots:
#
# - the test patch test_klp_rust_relocs.ko has livepatch relocation sections
#   and SHN_LIVEPATCH symbols, and is marked as a live patch;
# - a module with bad klp_extern! declarations and bad Rust paths of patched
#   functions (klp_convert/bad/) fails to build with one message per bad
#   declaration or path, and no .ko is left behind;
# - a live patch with references to a module's symbols from its init and exit
#   sections and from sections the kernel processes at load, and to a module's
#   and vmlinux's from its per-CPU section (klp_convert/sections/), fails to
#   build with one message per object and section;
# - a live patch whose code refers to a Rust path PC-relatively
#   (klp_convert/rust_names/) fails to build;
# - a live patch whose stated prototypes do not match its targets' in BTF
#   (klp_convert/prototypes_bad/), in vmlinux and in a module, fails to build
#   with one message per mismatch, and one whose prototypes match
#   (klp_convert/prototypes_good/) builds;
# - a module that is not a live patch, with a .klp.sym.* reference and a Rust
#   path (klp_convert/not_livepatch/), fails to build;
# - klp-convert refuses klp_convert/good/ built without it when a relocation
#   section of .klp.sym.* references has no SHF_INFO_LINK, and leaves it as
#   it is;
# - the Rust paths of a module (klp_convert/good/) are rewritten to the symbol
#   names of the vmlinux functions they denote, and its symbols pointing to
#   them still do; its references to vmlinux from init code and __param are
#   converted;
# - the Rust path of rust_livepatch_rnull's target, an instance in rnull_mod
#   of a generic function of the kernel crate, is rewritten to its symbol
#   name, found in rnull_mod.ko, the module that lists it.
#
# Prints one result per line, "ok<TAB>name" or "not ok<TAB>name<TAB>details",
# for the guest's TAP report.
#
# Usage: build-klp-convert.sh REPO KDIR KLP_CONVERT WORKDIR

set -uo pipefail

repo=$1 kdir=$2 klp_convert=$3 work=$4
modules=${BUILD:-$repo}/selftests/livepatch/test_modules

. "$(dirname "$0")/functions-build.sh"

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

# Build the test modules out of the repository.
rm -rf "$work" && mkdir -p "$work" && cp -r "$repo"/selftests/livepatch/klp_convert/* "$work/"
build() { # build DIR [KLP_CONVERT]
	make -s -C "$kdir" LLVM=-19 M="$work/$1" \
		KLP_CONVERT="${2-$klp_convert --modules $modules}" modules 2>&1
}

# Clear SHF_INFO_LINK in the header of a section of an ELF file.
clear_info_link() { # clear_info_link FILE SECTION
	local file=$1 section=$2 index shoff at flags bytes="" i
	index=$(readelf -SW "$file" |
		awk -v s="$section" '{ sub(/^ *\[ */, ""); sub(/\]/, " ") } $2 == s { print $1 }')
	shoff=$(od -An -t u8 -j 40 -N 8 "$file" | tr -d ' ')
	at=$((shoff + index * 64 + 8))
	flags=$(( $(od -An -t u8 -j $at -N 8 "$file" | tr -d ' ') & ~0x40 ))
	for i in 0 1 2 3 4 5 6 7; do
		bytes+=$(printf '\\x%02x' $(( (flags >> (8 * i)) & 0xff )))
	done
	# shellcheck disable=SC2059 # $bytes is the format.
	printf "$bytes" | dd of="$file" bs=1 seek=$at conv=notrunc status=none
}

output=$(build bad)
status=$?
for expect in \
	"symbol 'klp_convert_no_such_function' of vmlinux not found" \
	"symbol 'part' of test_klp_rust_relocs_target is ambiguous: 2 symbols have that name, give a position 1..=2" \
	"symbol 'part' of test_klp_rust_relocs_target has no position 3: only 2 symbols have that name" \
	"Rust path 'kernel::no_such_function' not found in vmlinux" \
	"Rust path 'core::slice::index::slice_index_fail::do_panic::runtime' is ambiguous: 3 functions: _RNvNvNvNtNtCs" \
	"Rust path 'kernel::print::call_printk' not found in test_klp_rust_relocs_target, which lists it: it is a function of vmlinux, list it under vmlinux" \
	"Rust path 'klp_convert_no_such_module::function': module 'klp_convert_no_such_module', which lists it, is not at hand (pass --modules DIR)"; do
	check_refused "klp-convert: refuses the build: $expect" "$status" "$output" \
		"klp_convert_bad.ko: $expect" "$work/bad/klp_convert_bad.ko"
done

output=$(build sections)
status=$?
target=test_klp_rust_relocs_target
init="the livepatch core writes them whenever $target loads, also after the init sections of the patch module are freed"
load="the kernel processes the section when it loads the patch module, before the livepatch core writes the addresses of $target symbols"
percpu="the kernel copies the section to per-CPU memory when it loads the module, and never writes livepatch relocations to the copies"
for expect in \
	"$target .init.text: $init" \
	"$target .init.data: $init" \
	"$target .init.rodata: $init" \
	"$target .exit.text: the livepatch core writes them whenever $target loads, and without CONFIG_MODULE_UNLOAD the exit sections are freed with the init sections" \
	"$target __jump_table: $load" \
	"$target .altinstructions: $load" \
	"$target .altinstr_replacement: $load" \
	"$target .static_call_sites: $load" \
	"$target .data..percpu: $percpu" \
	"vmlinux .data..percpu: $percpu"; do
	object=${expect%% *} expect=${expect#* }
	check_refused "klp-convert: refuses the build: references to $object symbols in ${expect%%:*}" \
		"$status" "$output" \
		"klp_convert_sections.ko: cannot convert the references to $object symbols in $expect" \
		"$work/sections/klp_convert_sections.ko"
done

# The place of the reference in the message depends on the code rustc generates.
output=$(build rust_names)
check_refused "klp-convert: refuses the build: a PC-relative reference to .klp.rust_names" \
	$? "$output" \
	"refers to .klp.rust_names with type 2, not by absolute address: the strings move, and only absolute references (R_X86_64_64, R_X86_64_32, R_X86_64_32S) can follow them" \
	"$work/rust_names/klp_convert_rust_names.ko"

output=$(build not_livepatch)
check_refused "klp-convert: refuses the build of a module that is not a live patch" \
	$? "$output" \
	"klp_convert_not_livepatch.ko: not a live patch module (no livepatch=Y in .modinfo): only a live patch may have .klp.sym.* symbols or .klp.rust_names" \
	"$work/not_livepatch/klp_convert_not_livepatch.ko"

output=$(build prototypes_bad)
status=$?
target=test_klp_rust_relocs_target
for expect in \
	"version_proc_show: argument 2: the target takes 'void *' (pointer), the replacement takes nothing" \
	"cmdline_proc_show: argument 1: the target takes 'struct seq_file *' (pointer), the replacement takes 'c_ulong' (unsigned 64-bit integer)" \
	"msleep: argument 1: the target takes 'unsigned int' (unsigned 32-bit integer), the replacement takes 'u16' (unsigned 16-bit integer)" \
	"meminfo_proc_show: return value: the target returns 'int' (signed 32-bit integer), the replacement returns '()' (void)" \
	"klp_convert_no_such_function: the target is not in the BTF of vmlinux" \
	"relocs_target_value: return value: the target returns 'int' (signed 32-bit integer), the replacement returns 'i16' (signed 16-bit integer)" \
	"relocs_target_value: argument 1: the target takes nothing, the replacement takes 'c_int' (signed 32-bit integer)"; do
	check_refused "klp-convert: prototype check refuses: $expect" "$status" "$output" \
		"klp_convert_prototypes_bad.ko: $expect" "$work/prototypes_bad/klp_convert_prototypes_bad.ko"
done

output=$(build prototypes_good)
status=$?
name="klp-convert: prototype check passes matching prototypes (vmlinux, $target, not_in_btf)"
if [ $status -eq 0 ] && [ -e "$work/prototypes_good/klp_convert_prototypes_good.ko" ]; then
	result ok "$name"
else
	result "not ok" "$name" "make exit $status; $output"
fi

# klp_convert/good built without klp-convert, its relocation section of
# .klp.sym.* references without SHF_INFO_LINK, which no linker leaves out.
cp -r "$work/good" "$work/info_link"
build info_link "" >/dev/null
ko=$work/info_link/klp_convert_good.ko
clear_info_link "$ko" .rela.init.text
cp "$ko" "$ko.orig"
output=$("$klp_convert" --vmlinux "$kdir/vmlinux" "$ko" 2>&1)
check_refused_in_place "klp-convert: refuses a relocation section without SHF_INFO_LINK" \
	$? "$output" \
	"klp_convert_good.ko: .rela.init.text: cannot convert its references to livepatch symbols: it does not say which section they apply to (no SHF_INFO_LINK)" \
	"$ko" "$ko.orig"

output=$(build good)
status=$?
ko=$work/good/klp_convert_good.ko
strings=$(readelf -p .klp.rust_names "$ko" 2>&1)
symbols=$(readelf -sW "$ko" 2>&1)
for expect in \
	"8FUNCTION _RNvNtCs*_6kernel5print11call_printk" \
	"8INHERENT _RNvMNtCs*_6kernel5errorNtB2_5Error8to_errno" \
	"5TRAIT _RNvXs_NtCs*_6kernel5errorNtB4_5ErrorNtNtCs*_4core3fmt5Debug3fmt" \
	"9NO_MANGLE nr_processes"; do
	static=${expect%% *} symbol=${expect#* }
	name="klp-convert: rewrites the Rust path of klp_convert_good's ${static#[0-9]}"
	# The offset of the static's symbol, and the string there.
	value=$(awk -v s="$static" '$8 ~ "klp_convert_good" s "$" { print $2 }' <<<"$symbols")
	string=""
	while read -r offset str; do
		[ -n "$value" ] && [ $((16#$offset)) -eq $((16#$value)) ] && string=$str
	done < <(sed -n 's/^ *\[ *\([0-9a-f]*\)\] *\(.*\)$/\1 \2/p' <<<"$strings")
	# shellcheck disable=SC2053 # $symbol is a pattern.
	if [ $status -eq 0 ] && [ -n "$value" ] && [[ $string == $symbol ]]; then
		result ok "$name"
	else
		result "not ok" "$name" "make exit $status; symbol value '$value', string there '$string'; $output; $strings"
	fi
done
sections=$(readelf -SW "$ko" 2>&1)
for klp_rela in .klp.rela.vmlinux.init.text .klp.rela.vmlinux.__param; do
	name="klp-convert: converts klp_convert_good's references to vmlinux into $klp_rela"
	if [ $status -eq 0 ] && grep -Eq "${klp_rela//./\\.} +RELA .* AIo " <<<"$sections" &&
	   grep -Fq "OS [0xff20] .klp.sym.vmlinux.nr_processes,0" <<<"$symbols"; then
		result ok "$name"
	else
		result "not ok" "$name" "make exit $status; $output; $sections"
	fi
done

# rust_livepatch_rnull's target, an instance of a generic function of the
# kernel crate, resolved in the module that lists it, rnull_mod, here a
# directory with its .ko only.
rnull=$(find "$kdir/drivers/block" -name rnull_mod.ko)
mkdir -p "$work/listed_module" "$work/rnull"
cp "$repo/samples/livepatch/rust_livepatch_rnull.rs" "$work/listed_module/"
echo "obj-m += rust_livepatch_rnull.o" >"$work/listed_module/Kbuild"
cp "$rnull" "$work/rnull/"
output=$(build listed_module "$klp_convert --modules $work/rnull")
status=$?
ko=$work/listed_module/rust_livepatch_rnull.ko
name="klp-convert: resolves a Rust path in the module that lists it: rnull's instance of a kernel crate function"
strings=$(readelf -p .klp.rust_names "$ko" 2>&1)
if [ $status -eq 0 ] &&
   grep -Eq '_RNvMNtNtNtCs[^ ]*_6kernel5block2mq10operations.*_5rnull13NullBlkDeviceE17queue_rq_callback' <<<"$strings"; then
	result ok "$name"
else
	result "not ok" "$name" "make exit $status; $output; $strings"
fi
exit 0
