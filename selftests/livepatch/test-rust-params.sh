#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Module parameters of Rust modules (module! `params` and `livepatch`):
# modinfo, values given at load time, sysfs files and their permissions,
# values written through sysfs as the module sees them, and bad values
# refused with EINVAL and the old value kept. Runs beside the upstream
# scripts and uses their functions.sh.

. $(dirname $0)/functions.sh

MOD_PARAMS=test_klp_rust_params
MOD_PLAIN=test_klp_rust_plain
PARAMS=/sys/module/$MOD_PARAMS/parameters

setup_config

# expect(what, expected, actual)
function expect() {
	[[ "$3" == "$2" ]] || die "$1: expected '$2', got '$3'"
}

# set_param(name, value) - write a parameter through sysfs
function set_param() {
	log "% echo $2 > $PARAMS/$1"
	echo "$2" > "$PARAMS/$1" || die "writing $2 to $1 failed"
}

# refuse_param(name, value, error) - a sysfs write that must fail with error
function refuse_param() {
	local err
	log "% echo $2 > $PARAMS/$1"
	err=$( { echo "$2" > "$PARAMS/$1"; } 2>&1 ) && die "$1 accepted $2"
	[[ "$err" == *": $3" ]] || die "$1=$2: expected '$3', got '$err'"
}


# - the parameters and the livepatch mark are in modinfo, with the C type
#   names; a module without `livepatch: true` has no mark

start_test "rust module parameters: modinfo"

expect "livepatch" "Y" "$(modinfo -F livepatch test_modules/$MOD_PARAMS.ko)"
expect "livepatch of $MOD_PLAIN" "" "$(modinfo -F livepatch test_modules/$MOD_PLAIN.ko)"
# modinfo lists them in the reverse order of .modinfo: compare them sorted.
expect "parm" "$(sort <<<"p_i8:an i8 (i8)
p_u8:a u8 (byte)
p_i16:an i16 (short)
p_u16:a u16 (ushort)
p_i32:an i32 (int)
p_u32:a read-only u32 (uint)
p_i64:an i64 (long)
p_u64:a u64 only root reads (ullong)
p_bool:a bool (bool)
p_array:up to 4 i32s (array of int)
p_hidden:an i32 without a sysfs file (int)")" \
	"$(modinfo -F parm test_modules/$MOD_PARAMS.ko | sort)"

check_result ""


# - load the patch with a value for every parameter; the patched
#   /proc/cmdline shows the values as the module reads them
# - the sysfs files show them too, with the declared permissions

start_test "rust module parameters: values at load time"

load_lp $MOD_PARAMS p_i8=-128 p_u8=0x10 p_i16=-300 p_u16=65535 \
	p_i32=-2147483648 p_u32=4000000000 p_i64=-9000000000 \
	p_u64=18446744073709551615 p_bool p_array=5,6,7 p_hidden=9

expect "/proc/cmdline" "i8=-128 u8=16 i16=-300 u16=65535 i32=-2147483648 u32=4000000000 i64=-9000000000 u64=18446744073709551615 bool=true array=5,6,7 (3 of 4) hidden=9" "$(cat /proc/cmdline)"
expect "p_u8" "16" "$(cat $PARAMS/p_u8)"
expect "p_bool" "Y" "$(cat $PARAMS/p_bool)"
expect "p_array" "5,6,7" "$(cat $PARAMS/p_array)"
expect "p_u64" "18446744073709551615" "$(cat $PARAMS/p_u64)"
expect "p_i32 rights" "-rw-r--r--" "$(stat -c %A $PARAMS/p_i32)"
expect "p_u32 rights" "-r--r--r--" "$(stat -c %A $PARAMS/p_u32)"
expect "p_u64 rights" "-rw-------" "$(stat -c %A $PARAMS/p_u64)"
[[ ! -e $PARAMS/p_hidden ]] || die "p_hidden has a sysfs file"

check_result "% insmod test_modules/$MOD_PARAMS.ko p_i8=-128 p_u8=0x10 p_i16=-300 p_u16=65535 p_i32=-2147483648 p_u32=4000000000 p_i64=-9000000000 p_u64=18446744073709551615 p_bool p_array=5,6,7 p_hidden=9
livepatch: enabling patch '$MOD_PARAMS'
livepatch: '$MOD_PARAMS': initializing patching transition
livepatch: '$MOD_PARAMS': starting patching transition
livepatch: '$MOD_PARAMS': completing patching transition
livepatch: '$MOD_PARAMS': patching complete"


# - write parameters through sysfs while the patch is enabled; the module
#   sees each new value
# - array elements may be as long as C takes them (leading zeros)

start_test "rust module parameters: sysfs writes"

set_param p_i32 42
set_param p_bool n
set_param p_array 8
set_param p_u64 0x20
expect "/proc/cmdline" "i8=-128 u8=16 i16=-300 u16=65535 i32=42 u32=4000000000 i64=-9000000000 u64=32 bool=false array=8 (1 of 4) hidden=9" "$(cat /proc/cmdline)"
set_param p_bool Y
set_param p_array 1,2,3,4
set_param p_i8 0x7f
expect "/proc/cmdline" "i8=127 u8=16 i16=-300 u16=65535 i32=42 u32=4000000000 i64=-9000000000 u64=32 bool=true array=1,2,3,4 (4 of 4) hidden=9" "$(cat /proc/cmdline)"
expect "p_array" "1,2,3,4" "$(cat $PARAMS/p_array)"
set_param p_array 1,2,3,0x0000000000000000000000000000000000000004
expect "p_array" "1,2,3,4" "$(cat $PARAMS/p_array)"

check_result "% echo 42 > $PARAMS/p_i32
% echo n > $PARAMS/p_bool
% echo 8 > $PARAMS/p_array
% echo 0x20 > $PARAMS/p_u64
% echo Y > $PARAMS/p_bool
% echo 1,2,3,4 > $PARAMS/p_array
% echo 0x7f > $PARAMS/p_i8
% echo 1,2,3,0x0000000000000000000000000000000000000004 > $PARAMS/p_array"


# - bad values written through sysfs are refused with EINVAL and the
#   module keeps seeing the old values; a read-only file cannot be written

start_test "rust module parameters: bad sysfs writes"

before=$(cat /proc/cmdline)
refuse_param p_u8 256 "Invalid argument"
refuse_param p_i8 128 "Invalid argument"
refuse_param p_u16 -1 "Invalid argument"
refuse_param p_i32 abc "Invalid argument"
refuse_param p_i32 "" "Invalid argument"
refuse_param p_bool maybe "Invalid argument"
refuse_param p_array 1,2,3,4,5 "Invalid argument"
refuse_param p_array 1,,2 "Invalid argument"
refuse_param p_u32 1 "Permission denied"
expect "/proc/cmdline" "$before" "$(cat /proc/cmdline)"
expect "p_array" "1,2,3,4" "$(cat $PARAMS/p_array)"

disable_lp $MOD_PARAMS
unload_lp $MOD_PARAMS

check_result "% echo 256 > $PARAMS/p_u8
% echo 128 > $PARAMS/p_i8
% echo -1 > $PARAMS/p_u16
% echo abc > $PARAMS/p_i32
% echo  > $PARAMS/p_i32
% echo maybe > $PARAMS/p_bool
% echo 1,2,3,4,5 > $PARAMS/p_array
% echo 1,,2 > $PARAMS/p_array
% echo 1 > $PARAMS/p_u32
% echo 0 > /sys/kernel/livepatch/$MOD_PARAMS/enabled
livepatch: '$MOD_PARAMS': initializing unpatching transition
livepatch: '$MOD_PARAMS': starting unpatching transition
livepatch: '$MOD_PARAMS': completing unpatching transition
livepatch: '$MOD_PARAMS': unpatching complete
% rmmod $MOD_PARAMS"


# - bad values given to insmod make the load fail with EINVAL

start_test "rust module parameters: bad values at load time"

for arg in p_u8=256 p_i32=abc p_bool=maybe p_array=1,2,3,4,5; do
	load_failing_mod $MOD_PARAMS $arg
	[[ "$ret" == *": Invalid parameters" ]] || die "$arg: expected EINVAL, got: $ret"
done
[[ ! -e /sys/module/$MOD_PARAMS ]] || die "$MOD_PARAMS loaded"

check_result "% insmod test_modules/$MOD_PARAMS.ko p_u8=256
$MOD_PARAMS: \`256' invalid for parameter \`p_u8'
insmod: ERROR: could not insert module test_modules/$MOD_PARAMS.ko: Invalid parameters
% insmod test_modules/$MOD_PARAMS.ko p_i32=abc
$MOD_PARAMS: \`abc' invalid for parameter \`p_i32'
insmod: ERROR: could not insert module test_modules/$MOD_PARAMS.ko: Invalid parameters
% insmod test_modules/$MOD_PARAMS.ko p_bool=maybe
$MOD_PARAMS: \`maybe' invalid for parameter \`p_bool'
insmod: ERROR: could not insert module test_modules/$MOD_PARAMS.ko: Invalid parameters
% insmod test_modules/$MOD_PARAMS.ko p_array=1,2,3,4,5
$MOD_PARAMS: \`1,2,3,4,5' invalid for parameter \`p_array'
insmod: ERROR: could not insert module test_modules/$MOD_PARAMS.ko: Invalid parameters"

exit 0
