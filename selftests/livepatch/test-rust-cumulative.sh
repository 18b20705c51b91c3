#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A cumulative Rust live patch replacing older Rust ones. Runs beside the
# upstream scripts and uses their functions.sh.

. $(dirname $0)/functions.sh
. $(dirname $0)/functions-rust.sh

MOD_OLD1=test_klp_livepatch
MOD_OLD2=test_klp_atomic_replace
MOD_CUMULATIVE=test_klp_rust_cumulative

setup_config


# - load two non-cumulative Rust patches, of /proc/cmdline and of /proc/meminfo
# - load a cumulative Rust patch of /proc/cmdline only: it must be the only
#   patch left, /proc/cmdline must show its text and /proc/meminfo its original
#   content
# - the older patch modules must be removable, the cumulative patch staying
# - disabling the cumulative patch must bring /proc/cmdline back

start_test "rust cumulative patch replaces two older ones"

load_lp $MOD_OLD1
load_lp $MOD_OLD2 replace=0
[[ "$(cat /proc/cmdline)" == "$MOD_OLD1: this has been live patched" ]] ||
	die "/proc/cmdline is not patched by $MOD_OLD1"
grep -q "^$MOD_OLD2: this has been live patched$" /proc/meminfo ||
	die "/proc/meminfo is not patched by $MOD_OLD2"

load_lp $MOD_CUMULATIVE

loop_until '[[ "$(ls /sys/kernel/livepatch)" == "$MOD_CUMULATIVE" ]]' ||
	die "expected only $MOD_CUMULATIVE enabled, found: $(ls /sys/kernel/livepatch)"
[[ "$(cat /proc/cmdline)" == "$MOD_CUMULATIVE: this has been live patched" ]] ||
	die "/proc/cmdline is not patched by $MOD_CUMULATIVE"
if grep -q "live patched" /proc/meminfo || ! grep -q "^MemTotal:" /proc/meminfo; then
	die "/proc/meminfo is not back on its original code"
fi

unload_lp $MOD_OLD1
unload_lp $MOD_OLD2
check_sysfs_value "$MOD_CUMULATIVE" "enabled" "1"
[[ "$(cat /proc/cmdline)" == "$MOD_CUMULATIVE: this has been live patched" ]] ||
	die "/proc/cmdline lost the patch when the replaced modules were removed"

disable_lp $MOD_CUMULATIVE
unload_lp $MOD_CUMULATIVE
if grep -q "live patched" /proc/cmdline; then
	die "/proc/cmdline is not back on its original code"
fi

check_result "% insmod test_modules/$MOD_OLD1.ko
livepatch: enabling patch '$MOD_OLD1'
$(transition_lines $MOD_OLD1 patching)
% insmod test_modules/$MOD_OLD2.ko replace=0
livepatch: enabling patch '$MOD_OLD2'
$(transition_lines $MOD_OLD2 patching)
% insmod test_modules/$MOD_CUMULATIVE.ko
livepatch: enabling patch '$MOD_CUMULATIVE'
$(transition_lines $MOD_CUMULATIVE patching)
% rmmod $MOD_OLD1
% rmmod $MOD_OLD2
% echo 0 > /sys/kernel/livepatch/$MOD_CUMULATIVE/enabled
$(transition_lines $MOD_CUMULATIVE unpatching)
% rmmod $MOD_CUMULATIVE"

exit 0
