#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fail unless every option a config fragment sets to y is set in the tree's
# .config: run after configuring and after each build, whose syncconfig may
# drop an option whose dependencies it finds unmet.
#
# Usage: check-config.sh REPO_DIR KERNEL_DIR LANE

set -euo pipefail

repo=$1 tree=$2 lane=$3
missing=0
for opt in $(cd "$repo/kernel/configs" &&
	     cat virtme.config livepatch_rust.config "livepatch_rust-$lane.config" |
	     grep -Eo '^CONFIG_[A-Z0-9_]+=y'); do
	if ! grep -qx "$opt" "$tree/.config"; then
		echo "check-config: $opt is not in $tree/.config" >&2
		missing=1
	fi
done
exit "$missing"
