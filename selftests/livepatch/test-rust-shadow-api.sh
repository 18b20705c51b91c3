#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Shadow variables used from safe Rust code where the C API would warn:
# Shadow::alloc from two contexts on the same objects at once (one attaches a
# variable, the other gets EEXIST, the core never warns about a duplicate).
# Runs beside the upstream scripts and uses their functions.sh.

. $(dirname $0)/functions.sh
. $(dirname $0)/functions-rust.sh

MOD_RACE=test_klp_rust_shadow_race

setup_config


# - load the module: its init and a work item race for 2000 objects, logs the
#   counts and frees the variables
# - there is no "Duplicate shadow variable" warning

start_test "rust shadow variables attached concurrently"

load_mod $MOD_RACE
unload_mod $MOD_RACE
duplicates=$(test_log | grep -c "Duplicate shadow variable")
(( duplicates == 0 )) || die "the core warned $duplicates times about a duplicate shadow variable"

check_result "% insmod test_modules/$MOD_RACE.ko
$MOD_RACE: 2000 objects: 2000 attached, 2000 refused with EEXIST, 0 other errors
% rmmod $MOD_RACE"

exit 0
