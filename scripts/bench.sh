#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make bench`: the Rust test modules side by side with their C twins, in
# one table, for one lane:
#
#   - in one guest boot (selftests/livepatch/bench/guest-bench.sh), ROUNDS
#     times each, C and Rust alternating: the cost of a getpid() call through
#     test_klp_syscall's replacement (C, Rust) and unpatched, and the length
#     of the transitions of test_klp_livepatch (C, Rust) with 500 sleeping
#     tasks and with one busy task; median and spread (min-max);
#   - on the host CPU: an unpatched call to a function with the ftrace entry
#     of CONFIG_RUST_FTRACE_ENTRIES against one without (ftrace_entry_cost.rs:
#     the 5-byte NOP that C's -mfentry entry also is once objtool is done);
#   - the code (executable sections, init and exit included), read-only
#     data, data and bss, and the file size, of each upstream test module;
#   - the edit loop: touching one test module to the result of one selftest
#     (make check SELFTESTS=test-livepatch.sh), and the last full make check.
#
# Under TCG the guest rows are emulated instructions: the ratios say more
# than the times.
#
# Usage: bench.sh REPO KDIR OUT LANE
#   BUILD          where our modules were built
#   BENCH_ROUNDS   repetitions in the guest (default 5)
#   BENCH_EDIT     0 to leave out the edit loop (default 1)

set -euo pipefail

repo=$1 kdir=$2 out=$3 lane=$4
rust=${BUILD:?}/selftests/livepatch/test_modules
c=$kdir/tools/testing/selftests/livepatch/test_modules
rounds=${BENCH_ROUNDS:-5}
bench=$out/bench
rm -rf "$bench"
mkdir -p "$bench"

# The upstream test modules: the obj-m of their Makefile.
modules=$(sed -n 's/^obj-m += //; /^\t*test_klp_/{s/[\\ \t]//g; s/\.o$//; p}' "$c/Makefile")

# sizes(ko) - "code rodata data bss file" of a module, in bytes: its
#	allocated sections by flags (X code; W data, bss if NOBITS; else
#	read-only data)
sizes() {
	readelf -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] //p' | awk -v file="$(stat -c %s "$1")" '
		function hex(s,   i, n) {
			for (i = 1; i <= length(s); i++)
				n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
			return n
		}
		{ flags = $7 ~ /^[WAXMSILOGTCxoEyp]+$/ ? $7 : "" }
		flags ~ /A/ {
			size = hex($5)
			if (flags ~ /X/) code += size
			else if (flags ~ /W/ && $2 == "NOBITS") bss += size
			else if (flags ~ /W/) data += size
			else rodata += size
		}
		END { printf "%d %d %d %d %d\n", code, rodata, data, bss, file }'
}

# The guest rows.
gcc -O2 -Wall -static -o "$bench/bench_getpid" "$repo/selftests/livepatch/bench/bench_getpid.c"
echo "bench: guest run, $rounds rounds (log: $bench/console.log)"
scripts=$repo/selftests/livepatch/bench
VM_APPEND=kunit.enable=0 "$repo/scripts/vm.sh" "$kdir/arch/x86/boot/bzImage" \
	"$bench/console.log" 1200 \
	"bash $scripts/guest-bench.sh $rust $c $bench $rounds" >/dev/null
grep -a '^BENCH ' "$bench/console.log" | tr -d '\r' >"$bench/guest.txt" || true
grep -aq '^guest-bench: done' "$bench/console.log" ||
	{ echo "bench: the guest run failed (see $bench/console.log)" >&2; exit 1; }

# The host row.
echo "bench: the ftrace entry's cost on the host CPU"
RUSTC_BOOTSTRAP=1 rustc -O -Zcf-protection=branch -Zmerge-functions=disabled \
	-o "$bench/ftrace_entry_cost" "$repo/selftests/livepatch/bench/ftrace_entry_cost.rs"
"$bench/ftrace_entry_cost" >"$bench/ftrace_entry_cost.txt"

# The edit loop.
if [[ ${BENCH_EDIT:-1} != 0 ]]; then
	echo "bench: the edit loop: touch test_klp_livepatch.rs, make check SELFTESTS=test-livepatch.sh"
	touch "$repo/selftests/livepatch/test_modules/test_klp_livepatch.rs"
	start=$(date +%s)
	make -C "$repo" --no-print-directory check KERNEL="$lane" SELFTESTS=test-livepatch.sh \
		>"$bench/edit-loop.log" 2>&1 ||
		{ echo "bench: the edit loop's check failed (see $bench/edit-loop.log)" >&2; exit 1; }
	echo $(($(date +%s) - start)) >"$bench/edit-loop.txt"
fi

# The table.
echo
echo "make bench, lane $lane: median (min-max) of $rounds rounds, one boot, TCG"
echo
printf '| %-30s | %-22s | %-22s | %-22s | %-7s |\n' row unpatched C Rust Rust/C
printf '| %s | %s | %s | %s | %s |\n' "$(printf '%.0s-' {1..30})" "$(printf '%.0s-' {1..22})" \
	"$(printf '%.0s-' {1..22})" "$(printf '%.0s-' {1..22})" "$(printf '%.0s-' {1..7})"
awk '
	function median(list,   n, v, i, j, t) {
		n = split(list, v, " ")
		for (i = 1; i <= n; i++)
			for (j = i + 1; j <= n; j++)
				if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
		lo = v[1]; hi = v[n]
		return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
	}
	function cell(row, variant,   m) {
		if (!((row, variant) in values)) return "-"
		m = median(values[row, variant])
		med[row, variant] = m
		return sprintf("%.1f (%.1f-%.1f)", m, lo, hi)
	}
	{ values[$2, $3] = values[$2, $3] " " $4; if (!($2 in seen)) { seen[$2]; rows[++n] = $2 } }
	END {
		unit["getpid"] = "getpid(), ns"
		for (i = 1; i <= n; i++) {
			r = rows[i]
			name = r in unit ? unit[r] : r ", ms"
			u = cell(r, "unpatched"); a = cell(r, "C"); b = cell(r, "Rust")
			ratio = med[r, "C"] > 0 ? sprintf("%.2f", med[r, "Rust"] / med[r, "C"]) : "-"
			printf "| %-30s | %-22s | %-22s | %-22s | %-7s |\n", name, u, a, b, ratio
		}
	}' "$bench/guest.txt"
echo "A transition ends at the core's first pass over the tasks (tens of ms) or, when a task"
echo "could not be switched then (one running on the other CPU, as the busy one always is), at"
echo "a later pass, 1 s apart: its median says which was more frequent, not what the patch's"
echo "language costs (C and Rust patch the same function)."
echo
sed -n 's/.*padded \([0-9.]*\) ns, unpadded \([0-9.]*\) ns, padded\/unpadded \([0-9.]*\)$/\1 \2 \3/p' \
	"$bench/ftrace_entry_cost.txt" | while read -r padded unpadded ratio; do
	echo "unpatched call on the host CPU, best of 10 rounds: $unpadded ns without an entry," \
		"$padded ns with the 5-byte NOP that Rust's entry and C's -mfentry one both are: $ratio"
done
echo
echo "module sizes, bytes: Rust / C (code includes init and exit; ratio of code)"
echo
printf '| %-26s | %-11s | %-11s | %-11s | %-9s | %-15s | %-5s |\n' module code rodata data bss file code/C
printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$(printf '%.0s-' {1..26})" "$(printf '%.0s-' {1..11})" \
	"$(printf '%.0s-' {1..11})" "$(printf '%.0s-' {1..11})" "$(printf '%.0s-' {1..9})" \
	"$(printf '%.0s-' {1..15})" "$(printf '%.0s-' {1..5})"
for m in $modules; do
	read -r cc cr cd cb cf < <(sizes "$c/$m.ko")
	# A module of this tree that has no Rust port (test_klp_kprobe on 7.x).
	if [[ ! -e $rust/$m.ko ]]; then
		printf '| %-26s | %-11s | %-11s | %-11s | %-9s | %-15s | %-5s |\n' "$m" "- / $cc" \
			"- / $cr" "- / $cd" "- / $cb" "- / $cf" "C only"
		continue
	fi
	read -r rc rr rd rb rf < <(sizes "$rust/$m.ko")
	printf '| %-26s | %-11s | %-11s | %-11s | %-9s | %-15s | %-5s |\n' "$m" "$rc / $cc" \
		"$rr / $cr" "$rd / $cd" "$rb / $cb" "$rf / $cf" \
		"$(awk -v r="$rc" -v c="$cc" 'BEGIN { printf "%.2f", r / c }')"
done

echo
if [[ -e $bench/edit-loop.txt ]]; then
	echo "edit loop: touch one test module to one selftest's result: $(cat "$bench/edit-loop.txt") s"
fi
if [[ -e $repo/out/check.time ]]; then
	read -r seconds when lanes <"$repo/out/check.time"
	echo "last full make check ($lanes, $when): $seconds s"
else
	echo "last full make check: none recorded in out/check.time yet"
fi
