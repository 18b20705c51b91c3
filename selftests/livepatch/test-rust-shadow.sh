#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Rust shadow variable samples against the C module they patch,
# livepatch-shadow-mod, whose dummies leak memory: fix1 stops the leak, fix2
# adds a counter, and removing them frees every shadow variable. kmemleak
# watches the memory. Runs beside the upstream scripts and uses their
# functions.sh; the samples are in samples/.

. $(dirname $0)/functions.sh
. $(dirname $0)/functions-rust.sh

MOD_TARGET=livepatch_shadow_mod
MOD_FIX1=rust_livepatch_shadow_fix1
MOD_FIX2=rust_livepatch_shadow_fix2

setup_config

# wait_log(pattern, count) - wait until the test's log has count lines
# matching pattern (the dummies expire after 12 s, are checked every 3 s)
function wait_log() {
	local pattern=$1 count=$2
	loop_until '[[ $(test_log | grep -c -e "$pattern") -ge $count ]]' ||
		die "no $count lines '$pattern' in the log in time"
}

[[ -w $KMEMLEAK ]] || die "kmemleak is not available ($KMEMLEAK)"
# Leaks from before the test are not ours.
kmemleak_report >/dev/null
echo clear > $KMEMLEAK


# - load the C module alone: each dummy it allocates leaks an int
# - kmemleak reports the leaks from dummy_alloc(), which are then cleared

start_test "kmemleak sees the leak of livepatch_shadow_mod"

run insmod samples/livepatch-shadow-mod.ko
wait_log "dummy_alloc: dummy @" 2
# kmemleak misses a leak while a stale copy of its pointer is left somewhere
# (on a stack; more often on a debug kernel), and every new dummy leaks
# again: scan until it reports one, for up to a minute.
for ((i = 0; i < 10; i++)); do
	sleep 6
	report=$(kmemleak_report)
	[[ "$report" != *"dummy_alloc"*"[$MOD_TARGET]"* ]] || break
done
unload $MOD_TARGET
[[ "$report" == *"dummy_alloc"*"[$MOD_TARGET]"* ]] ||
	die "kmemleak did not report the leak of $MOD_TARGET: $report"
# The leaks of the last few seconds, too young for the report above.
sleep 6
kmemleak_report >/dev/null
echo clear > $KMEMLEAK
echo "ok"


# - load the Rust fix1, then the C module, which is patched as it loads:
#   every dummy keeps its memory in a shadow variable
# - expiring dummies free it through the patched dummy_free()

start_test "rust fix1 frees the memory livepatch_shadow_mod leaks"
START_DMESG=$LAST_DMESG
# A leak of the first case can still be reported late, in the last.
START_JIFFIES=$(jiffies) || die "no jiffies in /sys/kernel/debug/sched/debug"

run insmod samples/$MOD_FIX1.ko
wait_transition $MOD_FIX1
run insmod samples/livepatch-shadow-mod.ko
wait_log "$MOD_FIX1: livepatch_fix1_dummy_leak_dtor: prevented leak" 2
! test_log | grep -q "leaked!" || die "a dummy leaked: $(test_log | grep "leaked!")"
echo "ok"


# - load the Rust fix2 on top: it counts the checks of each dummy in a
#   shadow variable, and reports the count when the dummy is freed; it also
#   frees the leak fix's shadow variables

start_test "rust fix2 adds a counter to the dummies"

run insmod samples/$MOD_FIX2.ko
wait_transition $MOD_FIX2
wait_log "$MOD_FIX2: livepatch_fix2_dummy_free: .*, check counter = [1-9]" 2
wait_log "$MOD_FIX2: livepatch_fix2_dummy_leak_dtor: prevented leak" 2
echo "ok"


# - disable fix2: fix1 frees the dummies again, and leaves their counters
# - remove fix2: it frees every counter, of live and of freed dummies
# - remove the C module with fix1 enabled: its exit frees the dummies left
#   through fix1, with their memory; then disable and remove fix1
# - every shadow variable allocated by fix1 was freed, kmemleak finds
#   nothing, there are no warnings

start_test "removing the rust fixes frees every shadow variable"

unload $MOD_FIX2
test_log | grep -q "$MOD_FIX2: freed [1-9][0-9]* counters, 0 left" ||
	die "fix2 did not free its counters: $(test_log | grep "$MOD_FIX2")"
unload $MOD_TARGET
unload $MOD_FIX1

LAST_DMESG=$START_DMESG
allocated=$(test_log | sed -n 's/.*_dummy_alloc: dummy with leak \([0-9]*\),.*/\1/p' |
	sort -n)
freed=$(test_log | sed -n 's/.*_dummy_leak_dtor: prevented leak \([0-9]*\)$/\1/p' | sort -n)
[[ -n "$allocated" && "$allocated" == "$freed" ]] ||
	die "shadow variables allocated and freed differ: $(diff <(echo "$allocated") <(echo "$freed"))"
! test_log | grep -q "leaked!" || die "a dummy leaked: $(test_log | grep "leaked!")"
sleep 6
report=$(kmemleak_report_since "$START_JIFFIES") || die "kmemleak does not scan"
[[ -z "$report" ]] || die "kmemleak: $report"
! dmesg | grep -q -e "WARNING:" -e "BUG:" || die "warnings in the kernel log"
echo "ok"

exit 0
