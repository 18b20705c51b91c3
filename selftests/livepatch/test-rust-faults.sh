#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Rust live patches loaded with each allocation failed in turn: the n-th
# allocation that a module's code makes or calls for while the module loads
# fails (fault injection's fail-nth, with failslab and fail_page_alloc
# counting the allocations that may sleep too, of any order), for n = 1, 2,
# ... until a load is over before its n-th. Each load must succeed or fail
# with ENOMEM. A failed one must leave nothing in /sys/kernel/livepatch or
# /sys/module, a successful one a patch that is enabled and goes away again;
# the last one's must complete its transition and work. The kernel log is
# checked for reports with the rest of the run.
#
# The allocations counted are those with the code of a module on the stack
# (its init, and what it calls: klp_enable_patch(), the callbacks), and not
# those of kmemleak's own bookkeeping, which fail without an error. So the
# module loader's own allocations before the init are not failed; those
# made in a kworker (the transition) are not counted either: fail-nth is
# the loading task's.
#
# The patches, and what the failed allocations are for:
#
#   test_klp_livepatch         the core's objects and kobjects of a patch
#   test_klp_atomic_replace    the nops of an atomic replace (replace=1, of
#                              test_klp_livepatch, which stays enabled)
#   test_klp_shadow_vars       shadow variables (Shadow::alloc, its init)
#   test_klp_state             a state's data (an Arc, in a pre_patch
#                              callback)
#
# Each module's count of loads, and of what they returned, is printed as a
# TAP diagnostic ("# faults: ..."). Runs beside the upstream scripts and
# uses their functions.sh.

. $(dirname $0)/functions.sh
. $(dirname $0)/functions-rust.sh

MOD_LIVEPATCH=test_klp_livepatch
MOD_REPLACE=test_klp_atomic_replace
MOD_SHADOW=test_klp_shadow_vars
MOD_STATE=test_klp_state
PATCHED="this has been live patched"
FAULTS="/sys/kernel/debug/failslab /sys/kernel/debug/fail_page_alloc"
# No module needs more allocations than this to load.
MAX_NTH=1000
# The code of modules (x86_64's module area, with or without KASLR).
MODULES_START=0xffffffffa0000000
MODULES_END=0xffffffffff000000

# text_range(object) - "start end" of the code of a vmlinux object file, from
#	/proc/kallsyms and the names of its functions
function text_range() {
	nm --defined-only "$KDIR/$1" | awk '$2 ~ /^[tT]$/ { print $3 }' |
	awk 'NR == FNR { names[$1]; next }
	     $2 !~ /^[tT]$/ || NF > 3 { next }
	     start && !($3 in names) { print start, "0x" $1; exit }
	     !start && ($3 in names) { start = "0x" $1 }' - /proc/kallsyms
}

# The counts of each module, printed after the result.
COUNTS=""
SAVED=()
# set_attrs(dir, attr=value...) - set fault injection attributes, the old
#	values saved for faults_cleanup
function set_attrs() {
	local dir="$1" a; shift
	for a in "$@"; do
		SAVED+=("$dir/${a%%=*}=$(<"$dir/${a%%=*}")")
		echo "${a#*=}" >"$dir/${a%%=*}" || die "cannot set $dir/${a%%=*}"
	done
}

function faults_cleanup() {
	local i
	for ((i = ${#SAVED[@]} - 1; i >= 0; i--)); do
		echo "${SAVED[i]#*=}" >"${SAVED[i]%%=*}"
	done
	cleanup
}

setup_config
trap faults_cleanup EXIT INT TERM HUP
# No debug messages of the core: hundreds of loads.
echo "file kernel/livepatch/* -p" >/sys/kernel/debug/dynamic_debug/control

read -r kmemleak_start kmemleak_end < <(text_range mm/kmemleak.o)
[[ -n "$kmemleak_end" ]] && ((kmemleak_end - kmemleak_start < 0x10000)) ||
	die "no range of kmemleak's code in /proc/kallsyms: '$kmemleak_start' '$kmemleak_end'"
for dir in $FAULTS; do
	[[ -d $dir ]] || die "no $dir"
	# No report of an injection: the kernel log must have the unexpected
	# ones only.
	set_attrs "$dir" ignore-gfp-wait=N verbose=0 task-filter=Y \
		require-start=$MODULES_START require-end=$MODULES_END \
		reject-start=$kmemleak_start reject-end=$kmemleak_end
done
set_attrs /sys/kernel/debug/failslab cache-filter=N
set_attrs /sys/kernel/debug/fail_page_alloc ignore-gfp-highmem=N min-order=0

# left_behind(mod) - what of the module mod is still there, if anything
function left_behind() {
	[[ ! -e "$KLP_SYSFS_DIR/$1" ]] || echo "$KLP_SYSFS_DIR/$1"
	[[ ! -e "/sys/module/$1" ]] || echo "/sys/module/$1"
}

# works(mod) - whether what the module mod changes reads as it must
function works() {
	case $1 in
	$MOD_LIVEPATCH) grep -qxF "$MOD_LIVEPATCH: $PATCHED" /proc/cmdline ;;
	$MOD_REPLACE) grep -qxF "$MOD_REPLACE: $PATCHED" /proc/meminfo &&
		      ! grep -qF "$PATCHED" /proc/cmdline ;;
	# The state's pre_patch callback sets the console loglevel to 15.
	$MOD_STATE) [[ $(awk '{ print $1 }' /proc/sys/kernel/printk) == 15 ]] ;;
	*) true ;;
	esac
}

# gone(mod) - unload the module mod, disabling it first if it is a patch
#	(which reverses its transition if it is not over yet)
function gone() {
	local mod="$1"
	if [[ -d "$KLP_SYSFS_DIR/$mod" ]]; then
		echo 0 >"$KLP_SYSFS_DIR/$mod/enabled"
		loop_until "[[ ! -e $KLP_SYSFS_DIR/$mod ]]" || die "$mod: not disabled"
	fi
	loop_until "rmmod $mod 2>/dev/null" || die "$mod: not unloaded"
}

# enable_livepatch() - have test_klp_livepatch enabled and working (again,
#	once a replace took its place)
function enable_livepatch() {
	if [[ -d "$KLP_SYSFS_DIR/$MOD_LIVEPATCH" ]]; then
		grep -qx 1 "$KLP_SYSFS_DIR/$MOD_LIVEPATCH/enabled" ||
			die "$MOD_LIVEPATCH: disabled by a failed replace"
	else
		[[ ! -e "/sys/module/$MOD_LIVEPATCH" ]] || gone $MOD_LIVEPATCH
		insmod "test_modules/$MOD_LIVEPATCH.ko" || die "insmod $MOD_LIVEPATCH"
	fi
	loop_until "grep -q '^0$' $KLP_SYSFS_DIR/$MOD_LIVEPATCH/transition" ||
		die "$MOD_LIVEPATCH: the transition does not complete"
	works $MOD_LIVEPATCH || die "$MOD_LIVEPATCH: /proc/cmdline is not patched"
}

# fail_each(mod, params, setup) - load the module mod with its n-th allocation
#	failed, for every n that comes, after the command setup; print the counts
function fail_each() {
	local mod="$1" params="${2:-}" setup="${3:-:}"
	local n result injected left what
	local -A returned=()
	for ((n = 1; n <= MAX_NTH; n++)); do
		eval "$setup"
		read -r result injected < <(./test_klp_rust-fail_nth $n "test_modules/$mod.ko" "$params")
		what="$mod, load $n (allocation $n to fail: $injected): $result"
		returned[$result]=$((${returned[$result]:-0} + 1))
		case $result in
		loaded)
			# A patch is enabled (test_klp_shadow_vars is none); the
			# last load's works. A load that succeeded although an
			# allocation failed (one the kernel does without:
			# debugobjects' pool, KASAN's stack depot) is disabled at
			# once.
			if [[ $mod != "$MOD_SHADOW" ]]; then
				grep -qx 1 "$KLP_SYSFS_DIR/$mod/enabled" || die "$what, but not enabled"
			fi
			if [[ $mod != "$MOD_SHADOW" && "$injected" != injected ]]; then
				loop_until "grep -q '^0$' $KLP_SYSFS_DIR/$mod/transition" ||
					die "$what, but its transition does not complete"
				works "$mod" || die "$what, but does not work"
			fi
			gone "$mod"
			;;
		ENOMEM)
			[[ "$injected" == injected ]] || die "$what, with no allocation failed"
			left=$(left_behind "$mod")
			[[ -z "$left" ]] || die "$what, and left: $left"
			;;
		*)
			die "$what (not ENOMEM)"
			;;
		esac
		[[ "$injected" == injected ]] || break
	done
	((n <= MAX_NTH)) || die "$mod: still allocating after $MAX_NTH allocations"
	[[ "$result" == loaded ]] || die "$mod: the load with no allocation failed: $result"
	COUNTS+="# faults: $mod${params:+ $params}: $n loads, allocations 1-$((n - 1)) failed in"
	COUNTS+=" turn: $(for r in "${!returned[@]}"; do echo -n "$r ${returned[$r]}, "; done |
			  sed 's/, $//')"$'\n'
}


# - load each patch with allocation 1, 2, ... failed: ENOMEM and nothing
#   left, or a patch that works
# - the last load, with no allocation failed, succeeds

start_test "rust patches loaded with each allocation failed in turn"

fail_each $MOD_LIVEPATCH
# A replace of test_klp_livepatch allocates the nops that disable it.
fail_each $MOD_REPLACE replace=1 enable_livepatch
gone $MOD_LIVEPATCH
fail_each $MOD_SHADOW
fail_each $MOD_STATE
echo "ok"
echo -n "$COUNTS"

exit 0
