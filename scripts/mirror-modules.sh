#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Copy the sources of our out-of-tree modules (Kbuild, samples/,
# selftests/livepatch/test_modules/) to the build directory of a kernel lane,
# where kbuild puts their objects: each lane builds its own.
#
# A file is copied only when its content differs, so that its new mtime is
# what makes kbuild rebuild it; files dropped from the repository are removed
# from the copy again.
#
# Usage: mirror-modules.sh REPO_DIR BUILD_DIR

set -euo pipefail

repo=$(realpath "$1")
build=$2
list=$build/.sources

mkdir -p "$build"
new=$(cd "$repo" && git ls-files --cached --others --exclude-standard \
	Kbuild samples/livepatch selftests/livepatch/test_modules | sort)
while read -r f; do
	[ -f "$repo/$f" ] || continue
	cmp -s "$repo/$f" "$build/$f" || install -D -m 644 "$repo/$f" "$build/$f"
done <<<"$new"
if [ -f "$list" ]; then
	comm -23 "$list" - <<<"$new" | while read -r f; do
		rm -f "$build/$f"
	done
fi
echo "$new" >"$list"
