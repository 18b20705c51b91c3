#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fail when a kernel build log has a compiler or clippy warning about one of
# our files in the kernel tree: those of the overlay and those our patches
# touch. The crates' objects are removed as well, so that the next build
# compiles them again and shows the warning again instead of passing.
#
# Usage: check-warnings.sh LOG REPO KDIR

set -euo pipefail

log=$1 repo=$2 kdir=$3

ours=$( (cd "$repo" && git ls-files --cached --others --exclude-standard rust &&
	 sed -n 's|^+++ b/||p' patches/*.patch) | sort -u | paste -sd'|')

if grep -E -B4 -A8 -- "--> ($ours):" "$log"; then
	rm -f "$kdir/rust/kernel.o" "$kdir/rust/libmacros.so"
	echo "check-warnings: warnings in our kernel code (above)" >&2
	exit 1
fi
