#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fail unless every option a config fragment sets is set so in the tree's
# .config: run after configuring and after each build, whose syncconfig may
# drop an option whose dependencies it finds unmet. The fragments are those
# the tree was configured with (prepare-kernel.sh lists them in
# KERNEL_DIR/.rklp/fragments).
#
# Usage: check-config.sh REPO_DIR KERNEL_DIR

set -euo pipefail

repo=$1 tree=$2
missing=0
mapfile -t fragments <"$tree/.rklp/fragments"
# An option set (=y, =1) or unset ("# CONFIG_X is not set").
while read -r opt; do
	if ! grep -qxF "$opt" "$tree/.config"; then
		echo "check-config: '$opt' is not in $tree/.config" >&2
		missing=1
	fi
done < <(cd "$repo" && cat "${fragments[@]}" |
	 grep -E '^CONFIG_[A-Z0-9_]+=|^# CONFIG_[A-Z0-9_]+ is not set$')
exit "$missing"
