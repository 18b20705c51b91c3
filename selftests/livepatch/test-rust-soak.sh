#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A soak of Rust live patches under load: SOAK_CYCLES (default 200) cycles of
# enabling, atomically replacing and disabling them, while in the background
#
#   - two tasks call getpid() in bursts, the function test_klp_syscall patches
#     (test_klp_rust-getpid_bursts),
#   - test_klp_rust_shadow_race is loaded and unloaded in a loop: two contexts
#     attach shadow variables to the same objects at once, then all of them
#     are freed (its init fails unless each object got one variable),
#   - a racer reads the files of every patch and writes to its enabled and
#     force files: now and then "1" to enabled, which reverses a disabling
#     transition, and "0" to force, which the core refuses or ignores.
#
# The cycles take turns:
#
#   syscall   test_klp_syscall with the pids of the getpid() tasks: each of
#             them calls the replacement, then the patch is disabled
#   replace   test_klp_livepatch, then test_klp_atomic_replace replace=1 in
#             its place, then disabled
#   module    test_klp_mod_patch enabled, its target test_klp_mod_target
#             loaded and unloaded twice (patched each time), the patch
#             disabled, the target loaded once more (original)
#   reverse   test_klp_livepatch enabled and at once disabled, racing its
#             own transition
#
# and every 25th cycle adds one with a task asleep in the patched function:
#
#   busy      test_klp_callbacks_demo waits for the work function of
#             test_klp_callbacks_busy, asleep in busymod_work_func(), until
#             it is told to return
#
# After each cycle what the cycle's patches change reads as it must, and each
# background task is alive and none failed. At the end no patch and none of
# the modules are left, kmemleak reports nothing, and the unreclaimable slab
# and MemAvailable (after a drop of the caches) are back within a bound of
# what they were after the first cycles (BASELINE). The run's cycles per
# minute are printed as TAP diagnostics ("# soak: ...").
#
# Runs beside the upstream scripts and uses their functions.sh.

. $(dirname $0)/functions.sh
. $(dirname $0)/functions-rust.sh

CYCLES=${SOAK_CYCLES:-200}
((CYCLES >= 2)) || die "SOAK_CYCLES=$CYCLES: at least 2"
# The cycle after which every module has been loaded and unloaded once: the
# memory is measured then and at the end.
BASELINE=$((CYCLES > 50 ? 25 : CYCLES / 2))
# The bounds of what the cycles after BASELINE may leave behind: for the
# slab, 512 kB and 256 bytes a cycle, so that a leak of 1 kB a cycle fails
# 1000 cycles and one of 4 kB fails 200; MemAvailable moves with the page
# cache and the per-CPU lists too.
SLAB_BOUND_KB=${SLAB_BOUND_KB:-$((512 + (CYCLES - BASELINE) / 4))}
MEMAVAIL_BOUND_KB=${MEMAVAIL_BOUND_KB:-8192}
# Seconds a transition, a module load or unload may take.
LIMIT=60
# The load: getpid() calls a burst and microseconds between bursts, seconds
# between two loads of the shadow variable module and two rounds of the racer.
GETPID_BURST=${GETPID_BURST:-200}
GETPID_PAUSE=${GETPID_PAUSE:-1000}
SHADOW_PAUSE=${SHADOW_PAUSE:-0.5}
RACER_PAUSE=${RACER_PAUSE:-0.1}
# The racer's rounds between two writes of "1" to enabled: each that lands
# in a disabling transition reverses it, and costs a transition more.
RACER_REVERSE=${RACER_REVERSE:-50}

MOD_SYSCALL=test_klp_syscall
MOD_LIVEPATCH=test_klp_livepatch
MOD_REPLACE=test_klp_atomic_replace
MOD_PATCH=test_klp_mod_patch
MOD_TARGET=test_klp_mod_target
MOD_DEMO=test_klp_callbacks_demo
MOD_BUSY=test_klp_callbacks_busy
MOD_SHADOW=test_klp_rust_shadow_race
MODULES="$MOD_SYSCALL $MOD_LIVEPATCH $MOD_REPLACE $MOD_PATCH $MOD_TARGET $MOD_DEMO $MOD_BUSY $MOD_SHADOW"

PATCHED="this has been live patched"
FAILURES=$(mktemp)
# The background tasks, and the file that stops the loops among them at the
# end of a round (a loop killed in the middle of a round could leave its
# module loaded).
LOOPS=() BACKGROUND=()
STOP=$FAILURES.stop

# The kernel log keeps every message; the console only gets warnings and
# worse, the reports of the checkers, and not the messages of thousands of
# loads and transitions.
CONSOLE_LOGLEVEL=$(awk '{ print $1 }' /proc/sys/kernel/printk)

function soak_cleanup() {
	stop_background
	echo "$CONSOLE_LOGLEVEL" >/proc/sys/kernel/printk
	rm -f "$FAILURES" "$STOP"
	cleanup
}

# stop_background() - stop the loops, then the getpid() tasks
function stop_background() {
	local pid
	touch "$STOP"
	wait "${LOOPS[@]}" 2>/dev/null
	for pid in "${BACKGROUND[@]}"; do
		kill "$pid" 2>/dev/null
	done
	wait 2>/dev/null
	LOOPS=() BACKGROUND=()
}

setup_config
trap soak_cleanup EXIT INT TERM HUP
# No debug messages of the core: thousands of transitions would fill the log.
echo "file kernel/livepatch/* -p" >/sys/kernel/debug/dynamic_debug/control
echo 5 >/proc/sys/kernel/printk

# A pipe that never has data: a read with a time-out on it is a sleep that
# forks no process (the soak polls thousands of times).
exec {NAP_FD}<> <(:)

# nap(seconds) - sleep
function nap() {
	read -r -t "$1" -u "$NAP_FD"
}

# is(file, value) - whether the first line of file (a sysfs file that may be
#	gone) is value, without a fork
function is() {
	local v=""
	read -r v 2>/dev/null <"$1"
	[[ "$v" == "$2" ]]
}

# fail(message) - stop the soak with message and the cycle it failed in
function fail() {
	die "cycle $cycle ($kind): $*"
}

# wait_until(what, command) - run command every 20 ms until it succeeds;
#	fail with what after $LIMIT seconds
function wait_until() {
	local what="$1"; shift
	local deadline=$((${EPOCHSECONDS} + LIMIT))
	until eval "$@"; do
		((EPOCHSECONDS < deadline)) || fail "$what: not after $LIMIT s"
		nap 0.02
	done
}

# load(mod, params) - load test_modules/mod.ko
function load() {
	local mod="$1"; shift
	insmod "test_modules/$mod.ko" "$@" || fail "insmod $mod $*"
}

# unload(mod) - unload mod; a disabled patch holds its module until the
#	core's free work has run, a moment after its sysfs directory went
function unload() {
	wait_until "rmmod $1" "rmmod $1 2>/dev/null"
}

# enable(mod, params) - load the patch mod and wait for its transition
function enable() {
	load "$@"
	wait_until "the transition of $1" "is $KLP_SYSFS_DIR/$1/transition 0"
}

# disable(mod) - disable the patch mod, again when the racer reversed the
#	transition, until the patch is gone; then unload it
function disable() {
	local mod="$1" dir="$KLP_SYSFS_DIR/$1"
	local deadline=$((${EPOCHSECONDS} + LIMIT))
	PATCHES=$((PATCHES + 1))
	while [[ -d "$dir" ]]; do
		if is "$dir/enabled" 1 && is "$dir/transition" 0 &&
		   echo 0 2>/dev/null >"$dir/enabled"; then
			DISABLES=$((DISABLES + 1))
			# Each transition gets its own time.
			deadline=$((${EPOCHSECONDS} + LIMIT))
		fi
		((EPOCHSECONDS < deadline)) || fail "disabling $mod: not after $LIMIT s"
		nap 0.02
	done
	unload "$mod"
}

# expect_in(file, text) - fail unless file has the line text
function expect_in() {
	grep -qxF "$2" "$1" || fail "$1 has no line '$2': $(head -c 300 "$1")"
}

# expect_not_in(file, text) - fail if file has a line with text
function expect_not_in() {
	! grep -qF "$2" "$1" || fail "$1 still has '$2'"
}

function cycle_syscall() {
	enable $MOD_SYSCALL klp_pids="$HAMMER_PIDS"
	# Every getpid() task called the replacement.
	wait_until "the getpid() tasks calling the replacement" \
		"is /sys/kernel/$MOD_SYSCALL/npids 0"
	disable $MOD_SYSCALL
}

function cycle_replace() {
	enable $MOD_LIVEPATCH
	expect_in /proc/cmdline "$MOD_LIVEPATCH: $PATCHED"
	enable $MOD_REPLACE replace=1
	expect_in /proc/meminfo "$MOD_REPLACE: $PATCHED"
	expect_not_in /proc/cmdline "$PATCHED"
	# The core frees the replaced patch once the transition is over.
	wait_until "$MOD_LIVEPATCH going, replaced" "[[ ! -d $KLP_SYSFS_DIR/$MOD_LIVEPATCH ]]"
	unload $MOD_LIVEPATCH
	disable $MOD_REPLACE
	expect_not_in /proc/meminfo "$PATCHED"
}

function cycle_module() {
	local i
	enable $MOD_PATCH
	for i in 1 2; do
		load $MOD_TARGET
		expect_in /proc/$MOD_TARGET "$MOD_PATCH: $PATCHED"
		unload $MOD_TARGET
	done
	disable $MOD_PATCH
	load $MOD_TARGET
	expect_in /proc/$MOD_TARGET "$MOD_TARGET: original output"
	unload $MOD_TARGET
}

function cycle_reverse() {
	load $MOD_LIVEPATCH
	echo 0 2>/dev/null >"$KLP_SYSFS_DIR/$MOD_LIVEPATCH/enabled" && DISABLES=$((DISABLES + 1))
	disable $MOD_LIVEPATCH
	expect_not_in /proc/cmdline "$PATCHED"
}

function cycle_busy() {
	local param=/sys/module/$MOD_BUSY/parameters/block_transition
	load $MOD_BUSY block_transition=Y
	load $MOD_DEMO
	# The work function sleeps in the function the patch replaces.
	nap 0.5
	is "$KLP_SYSFS_DIR/$MOD_DEMO/transition" 1 ||
		fail "$MOD_DEMO completed its transition with a task in busymod_work_func()"
	echo N >"$param"
	wait_until "the transition of $MOD_DEMO" \
		"is $KLP_SYSFS_DIR/$MOD_DEMO/transition 0"
	is "$KLP_SYSFS_DIR/$MOD_DEMO/enabled" 1 || fail "$MOD_DEMO is not enabled"
	disable $MOD_DEMO
	unload $MOD_BUSY
}

# The background tasks. Each appends what went wrong to $FAILURES.

function shadow_loop() {
	while [[ ! -e "$STOP" ]]; do
		insmod "test_modules/$MOD_SHADOW.ko" 2>>"$FAILURES" ||
			echo "insmod $MOD_SHADOW failed" >>"$FAILURES"
		rmmod $MOD_SHADOW 2>>"$FAILURES"
		nap "$SHADOW_PAUSE"
	done
}

function racer() {
	local dir round=0
	while [[ ! -e "$STOP" ]]; do
		round=$((round + 1))
		for dir in "$KLP_SYSFS_DIR"/*/; do
			is "$dir"enabled 1
			is "$dir"transition 1
			echo 0 >"$dir"force
			((round % RACER_REVERSE)) || echo 1 >"$dir"enabled
		done >/dev/null 2>&1
		nap "$RACER_PAUSE"
	done
}

# summary() - the soak's numbers, as TAP diagnostics
function summary() {
	echo "# soak: $CYCLES cycles in $seconds s: $(awk -v c="$CYCLES" -v s="$seconds" \
		'BEGIN { printf "%.1f", c * 60 / (s > 0 ? s : 1) }') cycles per minute"
	echo "# soak: cycles of each kind: $(for k in "${kinds[@]}" busy; do echo -n "$k ${RUNS[$k]:-0}, "; done |
		sed 's/, $//')"
	echo "# soak: $PATCHES patches disabled with $DISABLES writes to enabled" \
		"($((DISABLES - PATCHES)) more: the racer reversed a transition, or the core refused a write)"
	echo "# soak: SUnreclaim $slab_before kB -> $slab_after kB (bound +$SLAB_BOUND_KB kB)," \
		"MemAvailable $avail_before kB -> $avail_after kB (bound -$MEMAVAIL_BOUND_KB kB)"
}

# memory() - SUnreclaim and MemAvailable of /proc/meminfo in kB, after one
#	drop of the caches
function memory() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
	awk '$1 == "SUnreclaim:" { slab = $2 } $1 == "MemAvailable:" { avail = $2 }
	     END { print slab, avail }' /proc/meminfo
}

# check_background() - fail if a background task failed or is gone
function check_background() {
	local pid
	[[ ! -s "$FAILURES" ]] || fail "in the background: $(head -c 500 "$FAILURES")"
	for pid in "${LOOPS[@]}" "${BACKGROUND[@]}"; do
		kill -0 "$pid" 2>/dev/null || fail "the background task $pid is gone"
	done
}


start_test "rust soak: patches enabled, replaced and disabled under load"

[[ -w $KMEMLEAK ]] || die "kmemleak is not available ($KMEMLEAK)"
for mod in $MODULES; do
	[[ ! -e /sys/module/$mod ]] || die "$mod is loaded already"
done

./test_klp_rust-getpid_bursts $GETPID_BURST $GETPID_PAUSE &
BACKGROUND+=($!)
HAMMER_PIDS=$!
./test_klp_rust-getpid_bursts $GETPID_BURST $GETPID_PAUSE &
BACKGROUND+=($!)
HAMMER_PIDS+=",$!"
shadow_loop &
LOOPS=($!)
racer &
LOOPS+=($!)

# The patches disabled, and the writes of "0" to enabled it took: more than
# one for a patch whose disabling the racer reversed.
PATCHES=0 DISABLES=0
kinds=(syscall replace module reverse)
declare -A RUNS
cycle=0
start=$EPOCHREALTIME
while ((cycle < CYCLES)); do
	cycle=$((cycle + 1))
	kind=${kinds[cycle % 4]}
	((cycle % 25)) || kind=busy
	"cycle_$kind"
	RUNS[$kind]=$((${RUNS[$kind]:-0} + 1))
	check_background
	if ((cycle == BASELINE)); then
		# What the rest leaves must be back to this.
		kmemleak_report >/dev/null || fail "kmemleak does not scan"
		echo clear >$KMEMLEAK
		baseline_jiffies=$(jiffies) || fail "no jiffies in /sys/kernel/debug/sched/debug"
		read -r slab_before avail_before < <(memory)
	fi
	if ((cycle % 100 == 0)); then
		# At KERN_WARNING, so that the console shows the progress.
		echo "<4>soak: $cycle cycles in $((EPOCHSECONDS - ${start%.*})) s" >/dev/kmsg
	fi
done
seconds=$(awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.0f", e - s }')

check_background
stop_background
[[ ! -s "$FAILURES" ]] || die "in the background: $(head -c 500 "$FAILURES")"

# Nothing is left behind.
left=$(ls "$KLP_SYSFS_DIR")
[[ -z "$left" ]] || die "patches left: $left"
for mod in $MODULES; do
	[[ ! -e /sys/module/$mod ]] || die "module left: $mod"
done
sleep 6
# What the cycles after BASELINE leaked: an object of the first ones can
# still be reported late.
leaks=$(kmemleak_report_since "$baseline_jiffies") || die "kmemleak does not scan"
[[ -z "$leaks" ]] || die "kmemleak: $leaks"
read -r slab_after avail_after < <(memory)

# Printed after the result, on lines of their own.
trap 'summary; soak_cleanup' EXIT
((slab_after - slab_before <= SLAB_BOUND_KB)) ||
	die "the unreclaimable slab grew by $((slab_after - slab_before)) kB"
((avail_before - avail_after <= MEMAVAIL_BOUND_KB)) ||
	die "MemAvailable fell by $((avail_before - avail_after)) kB"
echo "ok"

exit 0
