#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of `make bench`: measure, in one boot, the Rust test modules
# against their C twins, ROUNDS times each, C and Rust alternating:
#
#   getpid             ns per getpid() call, unpatched, and patched by
#                      test_klp_syscall (C, Rust): its replacement takes a
#                      mutex, finds no pid to switch and returns the tgid
#   enable-LOAD        ms from "initializing patching transition" to
#                      "patching complete" of test_klp_livepatch (C, Rust),
#   disable-LOAD       and the same for unpatching, on the kernel's clock;
#                      LOAD is "sleepers" (500 sleeping tasks) or "busy"
#                      (one task looping in user space)
#
# Prints one line per measurement, "BENCH ROW VARIANT VALUE", for
# scripts/bench.sh to sum up.
#
# Usage: guest-bench.sh RUST_MODULES C_MODULES BIN_DIR ROUNDS
#   BENCH_CALLS   getpid() calls per measurement (default 200000)

set -euo pipefail

rust=$1 c=$2 bin=$3 rounds=$4
calls=${BENCH_CALLS:-200000}
klp=/sys/kernel/livepatch

fail() {
	echo "guest-bench: $*" >&2
	exit 1
}

# wait_for(condition) - poll a shell condition every 10 ms, for up to 60 s
wait_for() {
	local i
	for ((i = 0; i < 6000; i++)); do
		eval "$1" && return 0
		sleep 0.01
	done
	fail "timed out: $1"
}

# enable(dir, mod) - load a live patch module, wait for its transition
enable() {
	insmod "$1/$2.ko" || fail "insmod $1/$2.ko"
	wait_for "[[ \$(cat $klp/$2/transition) == 0 ]]"
}

# disable(mod) - disable a live patch, wait for its transition, remove it
disable() {
	echo 0 >"$klp/$1/enabled"
	wait_for "[[ ! -e $klp/$1 ]]"
	rmmod "$1"
}

# stamp(pattern) - the time stamp, in s, of the last kernel message that
#	ends with pattern
stamp() {
	dmesg | grep -F -- "$1" | tail -1 | sed 's/^\[ *\([0-9.]*\)\].*/\1/'
}

# transition_ms(mod, patching|unpatching) - the length of the last
#	transition of mod, in ms
transition_ms() {
	local start end
	start=$(stamp "'$1': initializing $2 transition")
	end=$(stamp "'$1': $2 complete")
	[[ -n $start && -n $end ]] || fail "no $2 transition of $1 in the log"
	awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f\n", (e - s) * 1000 }'
}

# The core's transition messages are debug messages.
echo 'file kernel/livepatch/* +p' >/proc/dynamic_debug/control

for ((round = 0; round < rounds; round++)); do
	echo "BENCH getpid unpatched $("$bin/bench_getpid" "$calls")"
	for variant in C Rust; do
		dir=$c
		[[ $variant == Rust ]] && dir=$rust
		enable "$dir" test_klp_syscall
		echo "BENCH getpid $variant $("$bin/bench_getpid" "$calls")"
		disable test_klp_syscall
	done
done

for load in sleepers busy; do
	pids=()
	if [[ $load == sleepers ]]; then
		for ((i = 0; i < 500; i++)); do
			sleep 1000 &
			pids+=($!)
		done
	else
		bash -c 'while :; do :; done' &
		pids+=($!)
	fi
	for ((round = 0; round < rounds; round++)); do
		for variant in C Rust; do
			dir=$c
			[[ $variant == Rust ]] && dir=$rust
			enable "$dir" test_klp_livepatch
			echo "BENCH enable-$load $variant $(transition_ms test_klp_livepatch patching)"
			disable test_klp_livepatch
			echo "BENCH disable-$load $variant $(transition_ms test_klp_livepatch unpatching)"
		done
	done
	kill "${pids[@]}"
	wait "${pids[@]}" 2>/dev/null || true
done
echo "guest-bench: done"
