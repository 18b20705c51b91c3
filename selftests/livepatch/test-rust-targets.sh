#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Rust live patches of code that was not written for the tests, run as the
# Usage of their samples says:
#
#   rust_livepatch_fmt         rust_fmt_argument() of the kernel crate in
#                              vmlinux, which formats the message of every
#                              Rust pr_*!()
#   rust_livepatch_select_fix  an upstream fix of select(), on the kernels
#                              that lack it (6.12); on the others, the
#                              reproducer shows the fix is there
#   rust_livepatch_rnull       the I/O path of rnull, the Rust null block
#                              driver of the tree: the instance of the
#                              kernel crate's queue_rq_callback() for it
#
# Runs beside the upstream scripts and uses their functions.sh; the samples
# are in samples/, the tree's rnull_mod.ko in drivers/.

. $(dirname $0)/functions.sh
. $(dirname $0)/functions-rust.sh

MOD_FMT=rust_livepatch_fmt
MOD_PRINTS=test_klp_callbacks_mod
MOD_SELECT=rust_livepatch_select_fix
# What the reproducer prints, without the fix and with it: only its first
# call differs.
SELECT_WORKS="select(0, NULL, NULL, NULL, {0, 1000}) = 0, {0, 0} left
select(0, NULL, NULL, NULL, 1) = -1 EFAULT (Bad address)
select(pipe + 1, {pipe}, NULL, NULL, NULL) = 1, pipe readable"
SELECT_BROKEN="select(0, NULL, NULL, NULL, {1, -1000000}) = 0
$SELECT_WORKS"
SELECT_FIXED="select(0, NULL, NULL, NULL, {1, -1000000}) = -1 EINVAL (Invalid argument)
$SELECT_WORKS"
MOD_RNULL=rust_livepatch_rnull
RNULL_DEV=/dev/rnullb0
# Where rnull makes its disks on the kernels whose rnull does not make one at
# load (7.x)
CONFIGFS=/sys/kernel/config
RNULL_DISK=$CONFIGFS/rnull/rnullb0
CONFIGFS_MOUNTED=
READ_RNULL="dd if=$RNULL_DEV of=/dev/null bs=4096 count=1 iflag=direct status=none && echo ok"

setup_config

# enable(sample) - load a sample and wait for its transition
function enable() {
	run insmod "samples/$1.ko"
	wait_transition "$1"
}

# check_log(expected) - check the kernel log of the test: the commands and
#	the lines of the core, the samples and the test modules
function check_log() {
	local result
	result=$(test_log |
		grep -e '^% ' -e '^select(' -e '^\(before\|patched\|after\): pread(' -e '^dd: ' -e '^ok$' -e 'livepatch' -e 'test_klp' |
		grep -v '\(tainting\|taints\) kernel')
	if [[ "$result" == "$1" ]]; then
		echo "ok"
	else
		echo -e "not ok\n\n$(diff -u --label expected --label result <(echo "$1") <(echo "$result"))\n"
		die "livepatch kselftest(s) failed"
	fi
}

# prints() - load and remove a Rust module that prints from its init and exit
function prints() {
	run insmod test_modules/$MOD_PRINTS.ko
	run rmmod $MOD_PRINTS
}

# run_select() - run the reproducer of the select() bug, and log what it prints
function run_select() {
	local line
	log "% ./test_klp_rust-select"
	while read -r line; do
		log "$line"
	done < <(./test_klp_rust-select)
}

# rnull_up() - load the tree's rnull_mod.ko, and make its disk rnullb0 where
#	it is made through configfs
function rnull_up() {
	insmod drivers/rnull_mod.ko || die "failed to load rnull_mod"
	if [[ -d $CONFIGFS ]] && ! mountpoint -q $CONFIGFS; then
		mount -t configfs configfs $CONFIGFS || die "failed to mount configfs"
		CONFIGFS_MOUNTED=1
	fi
	if [[ -d $CONFIGFS/rnull ]]; then
		mkdir $RNULL_DISK && echo 1 > $RNULL_DISK/power || die "failed to make rnullb0"
	fi
	loop_until '[[ -b $RNULL_DEV ]]' || die "no $RNULL_DEV"
}

# rnull_down() - remove rnullb0 and rnull_mod
function rnull_down() {
	if [[ -d $RNULL_DISK ]]; then
		echo 0 > $RNULL_DISK/power && rmdir $RNULL_DISK || die "failed to remove rnullb0"
	fi
	rmmod rnull_mod || die "failed to remove rnull_mod"
	if [[ -n $CONFIGFS_MOUNTED ]]; then
		umount $CONFIGFS || die "failed to unmount configfs"
		CONFIGFS_MOUNTED=
	fi
}

# read_rnull() - read rnullb0's first block with direct I/O, and log the result
function read_rnull() {
	local line
	log "% $READ_RNULL"
	while read -r line; do
		log "$line"
	done < <(eval "$READ_RNULL" 2>&1)
}

# next_phase(name) - start the reader's next phase, name, and wait until it
#	has read in it
function next_phase() {
	[[ $1 == before ]] || kill -USR1 $reader
	loop_until "grep -q '^$1: ' $reads || ! kill -0 $reader 2>/dev/null"
	grep -q "^$1: " "$reads" ||
		die "the reader has not read in phase $1: $(cat "$reads" "$reads.count")"
}

# rnull_cleanup() - after a failure in the rnull case: stop the reader,
#	remove the patch and rnull, so that the scripts after this one start
#	clean; then upstream's cleanup()
function rnull_cleanup() {
	[[ -n ${reader:-} ]] && kill -TERM $reader 2>/dev/null && wait $reader
	[[ -e $KLP_SYSFS_DIR/$MOD_RNULL ]] && echo 0 > $KLP_SYSFS_DIR/$MOD_RNULL/enabled &&
		loop_until '[[ ! -e $KLP_SYSFS_DIR/$MOD_RNULL ]]'
	[[ -e /sys/module/$MOD_RNULL ]] && rmmod $MOD_RNULL
	[[ -e /sys/module/rnull_mod ]] && rnull_down
	cleanup
}


# - a Rust module prints its init and exit as it does
# - enable rust_livepatch_fmt: the module's messages get the sample's prefix,
#   after the module name (which C's format string prints)
# - disable it: the messages are as they were

start_test "rust patch of the kernel crate: rust_fmt_argument() of every pr_*!()"

prints
enable $MOD_FMT
prints
unload $MOD_FMT
prints

check_log "% insmod test_modules/$MOD_PRINTS.ko
$MOD_PRINTS: ${MOD_PRINTS}_init
% rmmod $MOD_PRINTS
$MOD_PRINTS: ${MOD_PRINTS}_exit
% insmod samples/$MOD_FMT.ko
livepatch: enabling patch '$MOD_FMT'
$(transition_lines $MOD_FMT patching)
% insmod test_modules/$MOD_PRINTS.ko
$MOD_PRINTS: [$MOD_FMT] ${MOD_PRINTS}_init
% rmmod $MOD_PRINTS
$MOD_PRINTS: [$MOD_FMT] ${MOD_PRINTS}_exit
% echo 0 > $KLP_SYSFS_DIR/$MOD_FMT/enabled
$(transition_lines $MOD_FMT unpatching)
% rmmod $MOD_FMT
% insmod test_modules/$MOD_PRINTS.ko
$MOD_PRINTS: ${MOD_PRINTS}_init
% rmmod $MOD_PRINTS
$MOD_PRINTS: ${MOD_PRINTS}_exit"


# - the reproducer makes select() with the timeout {1 s, -1000000 us}: 0
#   (a zero timeout) where the kernel lacks the fix; then three calls that
#   work: a timeout that expires, a bad timeout pointer, a ready pipe
# - enable rust_livepatch_select_fix: EINVAL, and the others the same
# - disable it: 0 again
# A kernel with the fix upstream has no sample: EINVAL, unpatched.

start_test "rust fix of select(): a timeout of negative components fails with EINVAL"

if [[ -e samples/$MOD_SELECT.ko ]]; then
	run_select
	enable $MOD_SELECT
	run_select
	unload $MOD_SELECT
	run_select

	check_log "% ./test_klp_rust-select
$SELECT_BROKEN
% insmod samples/$MOD_SELECT.ko
livepatch: enabling patch '$MOD_SELECT'
$(transition_lines $MOD_SELECT patching)
% ./test_klp_rust-select
$SELECT_FIXED
% echo 0 > $KLP_SYSFS_DIR/$MOD_SELECT/enabled
$(transition_lines $MOD_SELECT unpatching)
% rmmod $MOD_SELECT
% ./test_klp_rust-select
$SELECT_BROKEN"
else
	run_select

	check_log "% ./test_klp_rust-select
$SELECT_FIXED"
fi


# - rnullb0 reads; a reader starts reading it with direct I/O, over and over
# - enable rust_livepatch_rnull while the reader's task goes through the
#   patched function again and again: once the transition is complete, the
#   reader's reads fail with ENODEV, and so does dd's
# - disable it while the reader reads: once that transition is complete, the
#   reads succeed again, and dd's does
# During a transition, a read gets either result: the request may be sent
# to the driver by another task (a kworker of kblockd) than the reader, one
# that is switched before or after it. The reader counts its reads in
# phases, which the test starts with SIGUSR1; it prints the result of the
# first read of each phase and each change.

start_test "rust patch of an in-tree rust driver: rnull's queue_rq_callback(), under direct I/O"

trap rnull_cleanup EXIT INT TERM HUP
rnull_up
read_rnull
reads=$(mktemp)
./test_klp_rust-direct_read $RNULL_DEV 600 before patching patched unpatching after \
	>"$reads" 2>"$reads.count" &
reader=$!
next_phase before
next_phase patching
enable $MOD_RNULL
next_phase patched
read_rnull
next_phase unpatching
unload $MOD_RNULL
next_phase after
read_rnull
kill -TERM $reader
wait $reader || die "the reader failed: $(cat "$reads.count")"
reader=
log "% ./test_klp_rust-direct_read $RNULL_DEV 600 before patching patched unpatching after &"
while read -r line; do
	log "$line"
done <"$reads"
log "reader: $(cat "$reads.count")"
if grep -E '^(patching|unpatching): ' "$reads" |
	grep -v -e ' = 4096$' -e ' = -1 ENODEV (No such device)$'; then
	die "a read during a transition failed with another error"
fi
rm -f "$reads" "$reads.count"
rnull_down
trap cleanup EXIT INT TERM HUP

check_log "% $READ_RNULL
ok
% insmod samples/$MOD_RNULL.ko
livepatch: enabling patch '$MOD_RNULL'
$(transition_lines $MOD_RNULL patching)
% $READ_RNULL
dd: error reading '$RNULL_DEV': No such device
% echo 0 > $KLP_SYSFS_DIR/$MOD_RNULL/enabled
$(transition_lines $MOD_RNULL unpatching)
% rmmod $MOD_RNULL
% $READ_RNULL
ok
% ./test_klp_rust-direct_read $RNULL_DEV 600 before patching patched unpatching after &
before: pread($RNULL_DEV, 4096) = 4096
patched: pread($RNULL_DEV, 4096) = -1 ENODEV (No such device)
after: pread($RNULL_DEV, 4096) = 4096"

exit 0
