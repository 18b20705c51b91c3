#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Fail when a build log has a compiler or clippy warning about one of our
# files in the kernel tree. The object is removed as well, so that the next
# build compiles it again and shows the warning again instead of passing.
#
# Usage: check-warnings.sh LOG OBJECT PATH...

set -euo pipefail

log=$1 object=$2
shift 2
paths=$(IFS='|'; echo "$*")

if grep -E -B4 -A4 -- "--> ($paths)" "$log"; then
	rm -f "$object"
	echo "check-warnings: warnings in our kernel crate code (above)" >&2
	exit 1
fi
