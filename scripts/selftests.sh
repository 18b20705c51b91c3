#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the upstream livepatch selftests, unmodified, in a guest, and report
# the results in TAP.
#
# The run directory gets a copy of the kernel tree's
# tools/testing/selftests/livepatch and a test_modules/ directory with, for
# every upstream test module, our Rust build under the upstream name (mode
# "rust") or the upstream C module (mode "c"). In mode "rust" our own selftests
# (selftests/livepatch/test-rust-*.sh) and modules are added, with the Rust
# and C samples in samples/ and the tree's Rust drivers they patch in
# drivers/.
#
# The checks made on the host before the guest boots are reported by the
# guest: that the upstream files the run uses are those of the tree's origin
# (the Debian tarball, or KERNEL_SRC), that test_modules/ has the modules of
# the mode, the unit tests of the log parsers and, in mode "rust", the build
# checks of klp-convert and of ftrace entries. Once the guest is done, the
# whole console log is scanned for kernel warnings and the report finished
# with the plan and the count.
#
# Usage: selftests.sh rust|c REPO KDIR OUT LANE
#   BUILD            where our modules were built (mirror-modules.sh)
#   SELFTESTS        run only these scripts (names as in the run directory)
#   SCRIPT_TIMEOUT   seconds a script may run in the guest (default 300)
#   SCRIPT_TIMEOUTS  "script=seconds ..." for the scripts that need longer
#   KLP_CONVERT      the klp-convert binary (mode "rust")
#   SOAK_CYCLES      the cycles of test-rust-soak.sh (its default: 200)
#   RUN_LIMIT        seconds the whole guest run may take (default 3600)

set -euo pipefail

mode=$1 repo=$2 kdir=$3 out=$4 lane=$5
upstream=$kdir/tools/testing/selftests/livepatch
ours=${BUILD:?}/selftests/livepatch/test_modules
run=$out/selftests-$mode/livepatch
console=$out/check-$mode-console.log
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# shellcheck source=selftests/livepatch/functions-build.sh
. "$repo/selftests/livepatch/functions-build.sh"
# shellcheck source=scripts/tap.sh
. "$repo/scripts/tap.sh"
# shellcheck source=scripts/kernel-log.sh
. "$repo/scripts/kernel-log.sh"

rm -rf "$run"
mkdir -p "$run/test_modules"

# The upstream scripts, as they are in the tree.
cp "$upstream"/functions.sh "$upstream"/test-*.sh "$upstream"/settings "$run/"
gcc -O2 -Wall -o "$run/test_klp-call_getpid" "$upstream/test_klp-call_getpid.c"

# The scripts in the order of the upstream Makefile's TEST_PROGS.
scripts=$(sed -n '/^TEST_PROGS :=/,/^$/p' "$upstream/Makefile" |
	  grep -o 'test-[a-z-]*\.sh' | tr '\n' ' ')

# The upstream test modules are the obj-m of their Makefile.
upstream_modules=$(sed -n 's/^obj-m += //; /^\t*test_klp_/{s/[\\ \t]//g; s/\.o$//; p}' \
	"$upstream/test_modules/Makefile")

# upstream_files(dir) - the upstream files a run uses, relative to the
#	livepatch selftests directory dir (without what a build of the test
#	modules added there)
upstream_files() {
	(cd "$1" && ls settings functions.sh test-*.sh Makefile test_klp-call_getpid.c \
		test_modules/Makefile test_modules/*.c) | grep -v '\.mod\.c$'
}

# The tree's origin (see prepare-kernel.sh): "tarball PATH ..." or "dir PATH".
read -r origin_kind origin _ <"$kdir/.rklp/origin"

# pristine() - the directory of the livepatch selftests of the tree's origin,
#	extracted into $tmp from a tarball
pristine() {
	local start
	if [ "$origin_kind" = dir ]; then
		echo "$origin/tools/testing/selftests/livepatch"
		return
	fi
	start=$EPOCHREALTIME
	tar -C "$tmp" -xf "$origin" --wildcards '*/tools/testing/selftests/livepatch/*'
	echo "selftests: upstream selftests extracted from $origin in" \
		"$(awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.1f", e - s }') s" >&2
	echo "$tmp"/*/tools/testing/selftests/livepatch
}

# check_unmodified(dir) - whether the upstream files the run uses (the copies
#	in the run directory, the others in the cached tree) are those of dir
check_unmodified() {
	local f used differ="" name
	for f in $( (upstream_files "$1"; upstream_files "$upstream") | sort -u); do
		used=$upstream/$f
		[ ! -e "$run/$f" ] || used=$run/$f
		cmp -s "$1/$f" "$used" || differ+="$used is not $1/$f|"
	done
	name="upstream selftests: the files used are those of $origin"
	if [ -z "$differ" ]; then
		result ok "$name"
	else
		result "not ok" "$name" "$differ"
	fi
}

# Is this .ko built from Rust? The `module!` macro marks every Rust module.
is_rust_ko() {
	[[ "$(llvm-nm-19 "$1" 2>/dev/null)" == *__IS_RUST_MODULE* ]]
}

# The upstream test modules that are no live patch and stay C in mode "rust":
# test_klp_kprobe (7.x) registers a kprobe, which our Rust crate has no
# abstraction for.
c_modules="test_klp_kprobe"
is_c_module() {
	grep -qxF "$1" <<<"$(tr ' ' '\n' <<<"$c_modules")"
}

manifest=$run/test_modules/MODULES
: >"$manifest"
# add_module(ko) - link ko into test_modules/ and list it in the manifest
#	with its language: Rust, C, or missing
add_module() {
	local ko=$1 lang=missing
	if [ -f "$ko" ]; then
		if is_rust_ko "$ko"; then lang=Rust; else lang=C; fi
		ln -s "$ko" "$run/test_modules/$(basename "$ko")"
	fi
	printf '%-28s %-7s %s\n' "$(basename "$ko" .ko)" "$lang" "$ko" >>"$manifest"
}

# check_test_modules() - whether test_modules/ has, under every upstream
#	name, our Rust build (mode "rust": a Rust .ko of our Kbuild, from the
#	.rs of that name) or the upstream C module (mode "c"), and every module
#	with Rust sources is a Rust module
check_test_modules() {
	local name lang ko wrong="" what="the upstream C modules"
	[ "$mode" = c ] || what="our Rust ports, built from $ours (C: ${c_modules// /, })"
	while read -r name lang ko; do
		if [ "$lang" = missing ] || { [ -f "${ko%.ko}.rs" ] && [ "$lang" != Rust ]; }; then
			wrong+="$name: $lang $ko|"
		elif ! grep -qx "$name" <<<"$upstream_modules"; then
			continue
		elif [ "$mode" = rust ] && is_c_module "$name"; then
			[ "$lang" = C ] && [ "$ko" = "$upstream/test_modules/$name.ko" ] ||
				wrong+="$name: $ko is not the upstream C module|"
		elif [ "$mode" = rust ] && ! { [ "$lang" = Rust ] && [ -f "${ko%.ko}.rs" ] &&
			grep -qx "obj-m += $name.o" "$ours/Kbuild"; }; then
			wrong+="$name: $lang $ko is not a Rust module of $ours/Kbuild|"
		elif [ "$mode" = c ] && [ "$ko" != "$upstream/test_modules/$name.ko" ]; then
			wrong+="$name: $ko is not the upstream module|"
		fi
	done <"$manifest"
	if [ -z "$wrong" ]; then
		result ok "test_modules: the upstream test modules are $what"
	else
		result "not ok" "test_modules: the upstream test modules are $what" "$wrong"
	fi
}

for name in $upstream_modules; do
	if [ "$mode" = rust ] && ! is_c_module "$name"; then
		add_module "$ours/$name.ko"
	else
		add_module "$upstream/test_modules/$name.ko"
	fi
done
if [ "$mode" = rust ]; then
	# The rest of our Kbuild: the modules of our own tests (test_klp_rust_*,
	# most Rust, a few C targets of Rust patches) and the ports of upstream
	# modules this tree has no test for (test_klp_mod_* on 6.12).
	while read -r name; do
		[ -e "$run/test_modules/$name.ko" ] || add_module "$ours/$name.ko"
	done < <(sed -n 's/^obj-m += \(test_klp_[a-z0-9_]*\)\.o$/\1/p' "$ours/Kbuild")
	cp "$repo"/selftests/livepatch/test-rust-*.sh \
		"$repo"/selftests/livepatch/functions-rust.sh "$run/"
	for helper in getpid_bursts fail_nth select direct_read; do
		gcc -O2 -Wall -static -o "$run/test_klp_rust-$helper" \
			"$repo/selftests/livepatch/test_klp_rust-$helper.c"
	done
	# Our samples, and the upstream C samples they patch.
	mkdir "$run/samples"
	ln -s "$BUILD"/samples/livepatch/*.ko "$kdir"/samples/livepatch/*.ko "$run/samples/"
	# The Rust drivers of the tree that samples patch.
	mkdir "$run/drivers"
	mapfile -t drivers < <(find "$kdir/drivers/block" -name rnull_mod.ko)
	if [ ${#drivers[@]} -ne 1 ]; then
		echo "selftests: ${#drivers[@]} rnull_mod.ko in $kdir/drivers/block, not 1" >&2
		exit 1
	fi
	ln -s "${drivers[0]}" "$run/drivers/"
	scripts="$scripts $(cd "$run" && echo test-rust-*.sh)"
fi

# The checks made here; the guest reports them.
pristine=$(pristine)
echo "selftests: host checks"
{
	check_unmodified "$pristine"
	check_test_modules
	"$repo/scripts/check-log-parsers.sh"
	if [ "$mode" = rust ]; then
		"$repo/selftests/livepatch/build-klp-convert.sh" "$repo" "$kdir" \
			"$KLP_CONVERT" "$out/klp-convert-errors"
		"$repo/selftests/livepatch/build-ftrace-entries.sh" "$repo" "$kdir" \
			"$out/ftrace-entries-errors"
		"$repo/selftests/livepatch/build-compile-fail.sh" "$repo" "$kdir" \
			"$out/compile-fail"
	fi
} >"$run/host-results"

# The doctests of our kernel crate files and of those our patches change, by
# the names KUnit gives them
# (rust/kernel/livepatch/func.rs: rust_doctest_kernel_livepatch_func_rs_<n>).
(cd "$repo" && git ls-files --cached --others --exclude-standard 'rust/kernel/*.rs' &&
	git ls-files --cached --others --exclude-standard "versions/$lane/rust/kernel/*.rs" |
		sed "s|^versions/$lane/||" &&
	sed -n 's|^+++ b/\(rust/kernel/.*\.rs\)$|\1|p' "patches/$lane"/*.patch) | sort -u |
	sed 's|^rust/|rust_doctest_|; s|[/.]|_|g' >"$run/doctests"

# SELFTESTS="test-a.sh test-b.sh" runs only those.
scripts=${SELFTESTS:-$scripts}

echo "selftests: kernel lane $lane, test_modules/ ($mode run):"
sed 's/^/  /' "$manifest"

status=0
"$repo/scripts/vm.sh" "$kdir/arch/x86/boot/bzImage" "$console" "${RUN_LIMIT:-3600}" \
	"SCRIPT_TIMEOUT=${SCRIPT_TIMEOUT:-300} SCRIPT_TIMEOUTS='${SCRIPT_TIMEOUTS:-}' SOAK_CYCLES=${SOAK_CYCLES:-} bash $repo/scripts/guest-selftests.sh $run $kdir $scripts" |
	tee "$tmp/tap" || status=$?

# The end of the report: whether the guest finished, the kernel's warnings.
tap_resume "$tmp/tap"
if ! grep -q '^# guest: [0-9]* passed, [0-9]* failed$' "$tmp/tap"; then
	report "not ok" "guest: the run did not finish (vm.sh exit $status; see $console)"
fi
name="kernel log: no WARNING, BUG, Oops, UBSAN, kmemleak, lockdep, RCU stall, hung task or panic report"
problems=$(kernel_log_problems "$console")
if [ -z "$problems" ]; then
	report ok "$name"
else
	report "not ok" "$name" "$problems"
fi
tap_finish
