#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rustfmt --check on our Rust sources, or rustfmt on them with --write.
#
# rustfmt follows `mod` declarations to their files, and some of ours are in
# versions/<lane>/ (kobject.rs's raw_attr.rs, say): rust/ is checked once per
# lane, in a copy where the lane's files are where the kernel tree has them.
# Everything else is checked where it is.
#
# Usage: fmt-check.sh REPO_DIR [--write]

set -euo pipefail

repo=$(realpath "$1")
mode=--check
[ "${2:-}" != --write ] || mode=
config=(--edition 2021 --config-path "$repo/.rustfmt.toml")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cd "$repo"
files() { git ls-files --cached --others --exclude-standard "$@"; }

n=0 status=0
for lane in $(ls versions); do
	mkdir -p "$tmp/$lane"
	files rust 'versions/*' | sed "s|^versions/$lane/||" | grep -v '^versions/' |
		while read -r f; do
			src=$f
			[ -f "versions/$lane/$f" ] && src=versions/$lane/$f
			install -D -m 644 "$src" "$tmp/$lane/$f"
		done
	mapfile -t rs < <(cd "$tmp/$lane" && find rust -name '*.rs' | sort)
	n=$((n + ${#rs[@]}))
	(cd "$tmp/$lane" && rustfmt $mode "${config[@]}" "${rs[@]}") || status=1
	if [ -z "$mode" ]; then
		# Write the formatted files back where they came from.
		for f in "${rs[@]}"; do
			src=$f
			[ -f "versions/$lane/$f" ] && src=versions/$lane/$f
			cmp -s "$tmp/$lane/$f" "$src" || cp "$tmp/$lane/$f" "$src"
		done
	fi
done
mapfile -t rest < <(files '*.rs' | grep -v -e '^rust/' -e '^versions/')
n=$((n + ${#rest[@]}))
rustfmt $mode "${config[@]}" "${rest[@]}" || status=1
echo "fmt-check: rustfmt ${mode:---write} on $n files (rust/ once per lane)"
exit "$status"
