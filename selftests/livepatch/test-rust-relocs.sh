#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Livepatch relocations made by klp-convert for a Rust patch: non-exported
# symbols of vmlinux, and homonym static functions of a module loaded before
# or after the patch. Runs beside the upstream scripts and uses their
# functions.sh.

. $(dirname $0)/functions.sh
. $(dirname $0)/functions-rust.sh

MOD_LIVEPATCH=test_klp_rust_relocs
MOD_TARGET=test_klp_rust_relocs_target
VALUE=/sys/module/$MOD_TARGET/parameters/value

setup_config

function check_value() {
	local expected="$1" why="$2"
	[[ "$(cat $VALUE)" == "$expected" ]] ||
		die "$MOD_TARGET value is $(cat $VALUE), expected $expected ($why)"
}


# - load the patch: /proc/cmdline must show the number of processes and the
#   length of the command line, from nr_processes() and
#   saved_command_line_len, neither of which vmlinux exports
# - disable and unload it

start_test "rust patch uses non-exported vmlinux symbols"

cmdline_len=$(( $(wc -c </proc/cmdline) - 1 ))
load_lp $MOD_LIVEPATCH
pattern="^$MOD_LIVEPATCH: ([0-9]+) processes, ([0-9]+) bytes of command line$"
[[ "$(cat /proc/cmdline)" =~ $pattern ]] ||
	die "unexpected /proc/cmdline: $(cat /proc/cmdline)"
(( BASH_REMATCH[1] > 1 )) || die "nr_processes() gave ${BASH_REMATCH[1]}"
(( BASH_REMATCH[2] == cmdline_len )) ||
	die "saved_command_line_len is ${BASH_REMATCH[2]}, the command line has $cmdline_len bytes"
disable_lp $MOD_LIVEPATCH
unload_lp $MOD_LIVEPATCH

check_result "% insmod test_modules/$MOD_LIVEPATCH.ko
livepatch: enabling patch '$MOD_LIVEPATCH'
$(transition_lines $MOD_LIVEPATCH patching)
% echo 0 > /sys/kernel/livepatch/$MOD_LIVEPATCH/enabled
$(transition_lines $MOD_LIVEPATCH unpatching)
% rmmod $MOD_LIVEPATCH"


# - load the target, whose value is part() + part() = 1 + 2 from its two
#   static functions of that name
# - load the patch: its replacement calls them by position, 10 * 1 + 2
# - disable the patch: back to 3

start_test "rust patch calls homonym statics of a module loaded before it"

load_mod $MOD_TARGET
check_value 3 "not patched"
load_lp $MOD_LIVEPATCH
check_value 12 "patched"
disable_lp $MOD_LIVEPATCH
check_value 3 "unpatched"
unload_lp $MOD_LIVEPATCH
unload_mod $MOD_TARGET

check_result "% insmod test_modules/$MOD_TARGET.ko
% insmod test_modules/$MOD_LIVEPATCH.ko
livepatch: enabling patch '$MOD_LIVEPATCH'
$(transition_lines $MOD_LIVEPATCH patching)
% echo 0 > /sys/kernel/livepatch/$MOD_LIVEPATCH/enabled
$(transition_lines $MOD_LIVEPATCH unpatching)
% rmmod $MOD_LIVEPATCH
% rmmod $MOD_TARGET"


# - load the patch, then the target: the core resolves the target's
#   relocations as it loads
# - unload and reload the target while patched: the relocations are cleared
#   on unload and resolved again on load
# - disable the patch, unload both

start_test "rust patch calls homonym statics of a module loaded after it"

load_lp $MOD_LIVEPATCH
load_mod $MOD_TARGET
check_value 12 "loaded after the patch"
unload_mod $MOD_TARGET
load_mod $MOD_TARGET
check_value 12 "reloaded under the patch"
disable_lp $MOD_LIVEPATCH
check_value 3 "unpatched"
unload_lp $MOD_LIVEPATCH
unload_mod $MOD_TARGET

check_result "% insmod test_modules/$MOD_LIVEPATCH.ko
livepatch: enabling patch '$MOD_LIVEPATCH'
$(transition_lines $MOD_LIVEPATCH patching)
% insmod test_modules/$MOD_TARGET.ko
livepatch: applying patch '$MOD_LIVEPATCH' to loading module '$MOD_TARGET'
% rmmod $MOD_TARGET
livepatch: reverting patch '$MOD_LIVEPATCH' on unloading module '$MOD_TARGET'
% insmod test_modules/$MOD_TARGET.ko
livepatch: applying patch '$MOD_LIVEPATCH' to loading module '$MOD_TARGET'
% echo 0 > /sys/kernel/livepatch/$MOD_LIVEPATCH/enabled
$(transition_lines $MOD_LIVEPATCH unpatching)
% rmmod $MOD_LIVEPATCH
% rmmod $MOD_TARGET"

exit 0
