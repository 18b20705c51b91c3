#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers of our test-rust-*.sh scripts, on top of upstream's functions.sh.

# transition_lines(mod, patching|unpatching) - the kernel log lines of a
#	transition of the patch mod that completes at once, for check_result
function transition_lines() {
	local mod="$1" what="$2"
	echo "livepatch: '$mod': initializing $what transition
livepatch: '$mod': starting $what transition
livepatch: '$mod': completing $what transition
livepatch: '$mod': $what complete"
}
