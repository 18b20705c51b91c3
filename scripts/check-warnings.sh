#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fail when a build log (of the kernel, or of our modules) has a warning
# about one of our files: a rustc or clippy warning (`--> FILE:LINE:COL`), a
# C compiler warning (`FILE:LINE:COL: warning:`) or an objtool warning
# (`OBJECT.o: warning: objtool:`).
#
# Our files are those of the repository (the paths of a module build with
# M=BUILD, a copy in the repository's out/) and, in the kernel tree, those of the overlay and those our patches
# touch (scripts/mod/modpost.c, say); our objects are those of the repository
# and the Rust objects of the tree (rust/*.o: the kernel crate, its doctests
# and helpers, built with our patches and CONFIG_RUST_FTRACE_ENTRIES).
# Warnings about other upstream files (fs/select.c's -Wframe-larger-than)
# are not ours.
#
# The files warned about are touched and the objects warned about removed,
# so that the next build compiles them again and shows the warning again
# instead of passing.
#
# Usage: check-warnings.sh LOG REPO KDIR LANE

set -euo pipefail

log=$1 repo=$2 kdir=$3 lane=$4

# The alternatives of an extended regex for our files and objects.
files=$( (cd "$repo" && git ls-files --cached --others --exclude-standard \
		rust Documentation kernel/configs &&
	   git ls-files --cached --others --exclude-standard "versions/$lane" |
		sed "s|^versions/$lane/||" &&
	   sed -n 's|^+++ b/||p' "patches/$lane"/*.patch) |
	sort -u | sed 's/\./\\./g' | paste -sd'|')
files="$repo/[^:]*|$files"
objects="$repo/[^:]*\.o|rust/[^:]*\.o"

rust="^ *--> ($files):[0-9]+:[0-9]+"
c="^($files):[0-9]+:[0-9]+: warning:"
objtool="^($objects): warning: objtool:"

# in_tree(path) - path, or the path in the kernel tree of a relative one
in_tree() {
	case $1 in
	/*) echo "$1" ;;
	*) echo "$kdir/$1" ;;
	esac
}

warnings=$(grep -E "$rust|$c|$objtool" "$log" || true)
[ -n "$warnings" ] || exit 0

grep -E -B4 -A8 "$rust|$c|$objtool" "$log"
sed -nE "s#$rust.*#\1#p; s#$c.*#\1#p" <<<"$warnings" | sort -u |
	while read -r f; do touch "$(in_tree "$f")"; done
sed -nE "s#$objtool.*#\1#p" <<<"$warnings" | sort -u |
	while read -r o; do rm -f "$(in_tree "$o")"; done
echo "check-warnings: warnings in our code (above)" >&2
exit 1
