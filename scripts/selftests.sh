#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run the upstream livepatch selftests, unmodified, in a guest.
#
# The run directory gets a copy of the kernel tree's
# tools/testing/selftests/livepatch (checked byte for byte against it) and a
# test_modules/ directory with, for every upstream test module, our Rust build
# when one exists under the upstream name (mode "rust") or the upstream C
# module (mode "c", or no Rust port yet). In mode "rust" our own selftests
# (selftests/livepatch/test-rust-*.sh) and modules are added, with the Rust
# and C samples in samples/. The checks made on the host (the unit tests of
# the log parsers and, in mode "rust", the build checks of klp-convert and
# of ftrace entries) are reported by the guest.
#
# Usage: selftests.sh rust|c REPO KDIR OUT
#   SELFTESTS   run only these scripts (names as in the run directory)

set -euo pipefail

mode=$1 repo=$2 kdir=$3 out=$4
upstream=$kdir/tools/testing/selftests/livepatch
run=$out/selftests-$mode/livepatch

rm -rf "$run"
mkdir -p "$run/test_modules"

# The upstream scripts, as they are in the tree.
cp "$upstream"/functions.sh "$upstream"/test-*.sh "$upstream"/settings "$run/"
for f in "$upstream"/functions.sh "$upstream"/test-*.sh; do
	cmp "$f" "$run/$(basename "$f")"
done
gcc -O2 -Wall -o "$run/test_klp-call_getpid" "$upstream/test_klp-call_getpid.c"

# The scripts in the order of the upstream Makefile's TEST_PROGS.
scripts=$(sed -n '/^TEST_PROGS :=/,/^$/p' "$upstream/Makefile" |
	  grep -o 'test-[a-z-]*\.sh' | tr '\n' ' ')

# Is this .ko built from Rust? The `module!` macro marks every Rust module.
is_rust_ko() {
	[[ "$(llvm-nm-19 "$1" 2>/dev/null)" == *__IS_RUST_MODULE* ]]
}

manifest=$run/test_modules/MODULES
: >"$manifest"
add_module() {
	local ko=$1 lang
	is_rust_ko "$ko" && lang=Rust || lang=C
	ln -s "$ko" "$run/test_modules/$(basename "$ko")"
	printf '%-28s %-4s %s\n' "$(basename "$ko" .ko)" "$lang" "$ko" >>"$manifest"
}

# The upstream test modules are the obj-m of their Makefile.
for name in $(sed -n 's/^obj-m += //; /^\t*test_klp_/{s/[\\ \t]//g; s/\.o$//; p}' \
		"$upstream/test_modules/Makefile"); do
	rust_ko=$repo/selftests/livepatch/test_modules/$name.ko
	if [ "$mode" = rust ] && [ -f "$repo/selftests/livepatch/test_modules/$name.rs" ]; then
		add_module "$rust_ko"
	else
		add_module "$upstream/test_modules/$name.ko"
	fi
done
if [ "$mode" = rust ]; then
	# Our own modules are the test_klp_rust_* of our Kbuild; most are Rust,
	# a few are C targets of Rust patches.
	for name in $(sed -n 's/^obj-m += \(test_klp_rust_[a-z0-9_]*\)\.o$/\1/p' \
			"$repo/selftests/livepatch/test_modules/Kbuild"); do
		add_module "$repo/selftests/livepatch/test_modules/$name.ko"
	done
	cp "$repo"/selftests/livepatch/test-rust-*.sh \
		"$repo"/selftests/livepatch/functions-rust.sh "$run/"
	# Our samples, and the upstream C samples they patch.
	mkdir "$run/samples"
	ln -s "$repo"/samples/livepatch/*.ko "$kdir"/samples/livepatch/*.ko "$run/samples/"
	scripts="$scripts $(cd "$run" && echo test-rust-*.sh)"
fi

# The checks made here; the guest reports them.
echo "selftests: host checks"
{
	"$repo/scripts/check-log-parsers.sh"
	if [ "$mode" = rust ]; then
		"$repo/selftests/livepatch/build-klp-convert.sh" "$repo" "$kdir" \
			"$KLP_CONVERT" "$out/klp-convert-errors"
		"$repo/selftests/livepatch/build-ftrace-entries.sh" "$repo" "$kdir" \
			"$out/ftrace-entries-errors"
	fi
} >"$run/host-results"

# The doctests of our kernel crate files and of those our patches change, by
# the names KUnit gives them
# (rust/kernel/livepatch/func.rs: rust_doctest_kernel_livepatch_func_rs_<n>).
(cd "$repo" && git ls-files --cached --others --exclude-standard 'rust/kernel/*.rs' &&
	sed -n 's|^+++ b/\(rust/kernel/.*\.rs\)$|\1|p' patches/*.patch) | sort -u |
	sed 's|^rust/|rust_doctest_|; s|[/.]|_|g' >"$run/doctests"

# SELFTESTS="test-a.sh test-b.sh" runs only those.
scripts=${SELFTESTS:-$scripts}

echo "selftests: test_modules/ ($mode run):"
sed 's/^/  /' "$manifest"
echo "selftests: upstream scripts from $upstream, unmodified"

# Every module built from Rust sources must be a Rust module.
while read -r name lang ko; do
	if [ "$lang" = C ] && [ -f "${ko%.ko}.rs" ]; then
		echo "selftests: $ko is not a Rust module" >&2
		exit 1
	fi
done <"$manifest"

exec "$repo/scripts/vm.sh" "$kdir/arch/x86/boot/bzImage" "$out/check-$mode-console.log" \
	1800 "bash $repo/scripts/guest-selftests.sh $run $kdir $scripts"
