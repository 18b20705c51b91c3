#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The end of `make check`: the count of each kernel lane's TAP report and
# the count over all of them. A lane whose report has no count (its build
# failed, or its run did not finish) counts as one failure.
#
# Usage: check-summary.sh LANE:LOG...

set -euo pipefail

passed=0 failed=0
for arg in "$@"; do
	lane=${arg%%:*} log=${arg#*:}
	count=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$log" 2>/dev/null | tail -1 || true)
	if [ -z "$count" ]; then
		echo "check: lane $lane: no report (see $log)"
		failed=$((failed + 1))
		continue
	fi
	read -r p _ f _ <<<"$count"
	echo "check: lane $lane: $p passed, $f failed"
	passed=$((passed + p)) failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
