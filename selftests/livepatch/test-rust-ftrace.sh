#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Rust functions as ftrace locations and live patch targets
# (CONFIG_RUST_FTRACE_ENTRIES): the Rust functions of a Rust module and a
# function of the kernel crate in vmlinux, named by their Rust paths in the
# patch test_klp_rust_ftrace. Runs beside the upstream scripts and uses their
# functions.sh.

. $(dirname $0)/functions.sh
. $(dirname $0)/functions-rust.sh

MOD_LIVEPATCH=test_klp_rust_ftrace
MOD_TARGET=test_klp_rust_ftrace_target
FILES=/sys/kernel/$MOD_TARGET
NAP_BLOCK=/sys/module/$MOD_TARGET/parameters/nap_block
TRACING=/sys/kernel/tracing

setup_config

# symbol(regex) - the one symbol of /proc/kallsyms that matches regex; fails
#	(in the subshell that runs it) if there is none or several
function symbol() {
	local found
	found=$(awk -v re="$1" '$3 ~ re { print $3 }' /proc/kallsyms | sort -u)
	[[ -n "$found" && "$found" != *$'\n'* ]] ||
		die "not one symbol matches $1: '$found'"
	echo "$found"
}

# check_files(answer, greeting, nap, error, counter_base) - what the target's
#	files show; the counter shows the number of its reads since the target
#	was loaded plus counter_base - 1: as this test reads it fewer than 1000
#	times, a value from counter_base to counter_base + 999
function check_files() {
	local file expected value
	for file in answer greeting nap error; do
		expected="$1"; shift
		value=$(cat $FILES/$file)
		[[ "$value" == "$expected" ]] ||
			die "$FILES/$file shows '$value', expected '$expected'"
	done
	value=$(cat $FILES/counter)
	(( value >= $1 && value < $1 + 1000 )) ||
		die "$FILES/counter shows $value, expected $1 to $(( $1 + 999 ))"
}

function check_unpatched() {
	check_files 42 "hello from Rust" "nap: done" "Error(22)" 1
}

function check_patched() {
	check_files 1042 "hello from the patch" "nap: patched" "patched error -22" 1001
}


# - load the target: its Rust functions, mangled or not, and the kernel
#   crate's are listed in available_filter_functions
# - trace answer() with the function tracer: each read of the file that
#   calls it adds a line for it to the trace

start_test "rust functions are ftrace locations"

load_mod $MOD_TARGET
ANSWER=$(symbol "^_RNvCs[0-9A-Za-z_]+_${#MOD_TARGET}${MOD_TARGET}6answer\$") || exit 1
NEXT=$(symbol "^_RNvMCs[0-9A-Za-z_]+_${#MOD_TARGET}${MOD_TARGET}NtB[0-9A-Za-z_]*_7Counter4next\$") ||
	exit 1
NAP=$(symbol "^_RNvCs[0-9A-Za-z_]+_${#MOD_TARGET}${MOD_TARGET}3nap\$") || exit 1
ERROR_FMT=$(symbol "^_R.*6kernel5error.*5Error.*4core3fmt5Debug3fmt\$") || exit 1
for f in "$ANSWER [$MOD_TARGET]" "$NEXT [$MOD_TARGET]" "$NAP [$MOD_TARGET]" \
	 "${MOD_TARGET}_greeting [$MOD_TARGET]" "$ERROR_FMT"; do
	grep -qxF "$f" $TRACING/available_filter_functions ||
		die "available_filter_functions lacks '$f'"
done

[[ -e $TRACING/trace ]] || mount -t tracefs nodev $TRACING
echo "$ANSWER" > $TRACING/set_ftrace_filter
echo function > $TRACING/current_tracer
echo > $TRACING/trace
cat $FILES/answer $FILES/answer > /dev/null
traced=$(grep -c " $ANSWER <-" $TRACING/trace)
echo nop > $TRACING/current_tracer
echo > $TRACING/set_ftrace_filter
(( traced == 2 )) || die "the function tracer saw $traced calls of answer(), expected 2"
unload_mod $MOD_TARGET

check_result "% insmod test_modules/$MOD_TARGET.ko
% rmmod $MOD_TARGET"


# - load the target, then the patch: the module's Rust functions (a mangled
#   function, an inherent method, a #[no_mangle] function) and the kernel
#   crate's `<Error as Debug>::fmt` in vmlinux are replaced
# - unload and reload the target while patched: patched again on load
# - disable the patch: all back to the original code

start_test "rust patch replaces rust functions of a module and of vmlinux"

load_mod $MOD_TARGET
check_unpatched
load_lp $MOD_LIVEPATCH
check_patched
unload_mod $MOD_TARGET
load_mod $MOD_TARGET
check_patched
disable_lp $MOD_LIVEPATCH
check_unpatched
unload_lp $MOD_LIVEPATCH
unload_mod $MOD_TARGET

check_result "% insmod test_modules/$MOD_TARGET.ko
% insmod test_modules/$MOD_LIVEPATCH.ko
livepatch: enabling patch '$MOD_LIVEPATCH'
$(transition_lines $MOD_LIVEPATCH patching)
% rmmod $MOD_TARGET
livepatch: reverting patch '$MOD_LIVEPATCH' on unloading module '$MOD_TARGET'
% insmod test_modules/$MOD_TARGET.ko
livepatch: applying patch '$MOD_LIVEPATCH' to loading module '$MOD_TARGET'
% echo 0 > /sys/kernel/livepatch/$MOD_LIVEPATCH/enabled
$(transition_lines $MOD_LIVEPATCH unpatching)
% rmmod $MOD_LIVEPATCH
% rmmod $MOD_TARGET"


# - load the target, have a task sleep in nap()
# - load the patch: the livepatch core finds nap() on that task's stack,
#   through the Rust frames of nap() and of the kernel crate's CondVar, and
#   keeps the transition open
# - let the task leave nap(): it finishes in the old code, the transition
#   completes, and new calls run the patched nap()

start_test "a task sleeping in a patched rust function holds the transition"

load_mod $MOD_TARGET
echo Y > $NAP_BLOCK
napped=$(mktemp)
cat $FILES/nap > "$napped" &
sleeper=$!
loop_until 'grep -q "$NAP+" /proc/$sleeper/stack' ||
	die "the task did not sleep in nap(): $(cat /proc/$sleeper/stack)"
load_lp_nowait $MOD_LIVEPATCH
sleeping="livepatch: klp_try_switch_task: cat:$sleeper is sleeping on function $NAP"
echo "func klp_try_switch_task +p" > /sys/kernel/debug/dynamic_debug/control
loop_until 'dmesg | grep -qF "$sleeping"'
found=$?
echo "func klp_try_switch_task -p" > /sys/kernel/debug/dynamic_debug/control
(( found == 0 )) || die "the core did not report the task sleeping in nap()"
[[ "$(cat /sys/kernel/livepatch/$MOD_LIVEPATCH/transition)" == 1 ]] ||
	die "the transition completed while a task slept in nap()"
log "% echo N > $NAP_BLOCK"
echo N > $NAP_BLOCK
wait $sleeper
[[ "$(cat "$napped")" == "nap: done" ]] ||
	die "the sleeping task's nap() returned '$(cat "$napped")', expected the old 'nap: done'"
rm -f "$napped"
loop_until 'grep -q "^0$" /sys/kernel/livepatch/$MOD_LIVEPATCH/transition' ||
	die "the transition did not complete once the task left nap()"
[[ "$(cat $FILES/nap)" == "nap: patched" ]] || die "nap() is not patched"
disable_lp $MOD_LIVEPATCH
unload_lp $MOD_LIVEPATCH
unload_mod $MOD_TARGET

check_result_except "klp_try_switch_task: cat:$sleeper is sleeping on function $NAP\$" \
"% insmod test_modules/$MOD_TARGET.ko
% insmod test_modules/$MOD_LIVEPATCH.ko
livepatch: enabling patch '$MOD_LIVEPATCH'
livepatch: '$MOD_LIVEPATCH': initializing patching transition
livepatch: '$MOD_LIVEPATCH': starting patching transition
% echo N > $NAP_BLOCK
livepatch: '$MOD_LIVEPATCH': completing patching transition
livepatch: '$MOD_LIVEPATCH': patching complete
% echo 0 > /sys/kernel/livepatch/$MOD_LIVEPATCH/enabled
$(transition_lines $MOD_LIVEPATCH unpatching)
% rmmod $MOD_LIVEPATCH
% rmmod $MOD_TARGET"

exit 0
