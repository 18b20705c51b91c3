#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The results of KUnit's tests in a kernel log (dmesg, or the console log).
#
# KUnit prints a KTAP document at boot, and one for each module with tests
# that is loaded; it starts with an unindented "KTAP version 1" (the "TAP
# version 13" of a program writing to the console is not one). A suite is a
# subtest, indented by 4 more spaces, whose results are those of its cases;
# a parameterised case is a subtest too, one level further down, without a
# plan. Diagnostics come before the result they belong to:
#
#   KTAP version 1
#   1..1
#       KTAP version 1
#       # Subtest: example
#       1..3
#       ok 1 example_simple_test
#       # example_fail_test: EXPECTATION FAILED at lib/kunit/kunit-example-test.c:80
#       Expected 1 == 2, but
#       not ok 2 example_fail_test
#       ok 3 example_skip_test # SKIP this test should be skipped
#   not ok 1 example
#
# Usage: . kunit-tap.sh; kunit_results [LOG...]
#   reads the LOGs, or stdin, and prints a result line (see report_results
#   in tap.sh) for each case, a result with no subtest under it, named by
#   its suites and itself ("example/example_fail_test"): "ok<TAB>name",
#   "skip<TAB>name<TAB>reason" or "not ok<TAB>name<TAB>what KUnit printed
#   since the result before" (lines joined by '|').
#   A suite is only reported when its cases do not tell that it failed: when
#   it failed with no failed case, ran more or fewer cases than its plan
#   says, or never finished (KUnit crashed).

kunit_results() {
	awk '
	# The suites above a result at depth d: "suite/" or "suite/case/".
	function suites(d,   p, l) {
		for (l = 1; l <= d; l++)
			p = p name[l] "/"
		return p
	}
	function emit(result, what, details) {
		gsub(/\t/, " ", details)
		printf "%s\t%s\t%s\n", result, what, details
	}
	# Open the subtest (or, at depth 0, the document) at depth d.
	function open_level(d) {
		open[d] = 1; planned[d] = -1; ran[d] = 0; failed[d] = 0
		name[d] = "subtest " (ran[d - 1] + 1)
		if (d > deepest)
			deepest = d
	}
	# Count a result of the subtest at depth d.
	function count(d, result) {
		if (!open[d])
			open_level(d)
		ran[d]++
		if (result == "not ok")
			failed[d]++
	}
	# A subtest at depth d that no result line closed.
	function unfinished(d) {
		emit("not ok", suites(d - 1) name[d],
		     "no result: the subtest did not finish, after " ran[d] " results")
		open[d] = 0
		count(d - 1, "not ok")
	}
	# Close the subtest at depth d by its result line one level up.
	function close_level(d, result, title) {
		if (planned[d] >= 0 && ran[d] != planned[d])
			emit("not ok", suites(d - 1) title,
			     "planned " planned[d] " results, got " ran[d])
		else if (result == "not ok" && failed[d] == 0)
			emit("not ok", suites(d - 1) title, diag)
		open[d] = 0
	}
	function end_document(   d) {
		for (d = deepest; d > 0; d--)
			if (open[d])
				unfinished(d)
		if (planned[0] >= 0 && ran[0] != planned[0])
			emit("not ok", "KTAP document", "planned " planned[0] " results, got " ran[0])
		split("", open)
		deepest = 0
		in_document = 0
	}

	{
		sub(/\r$/, "")
		sub(/^\[ *[0-9]+\.[0-9]+\] /, "")
		match($0, /^ */)
		depth = int(RLENGTH / 4)
		line = substr($0, RLENGTH + 1)
	}
	line ~ /^KTAP version [0-9]+$/ {
		if (depth == 0) {
			if (in_document)
				end_document()
			in_document = 1
		}
		if (in_document) {
			open_level(depth)
			diag = ""
		}
		next
	}
	!in_document { next }
	line ~ /^# Subtest: / {
		name[depth] = substr(line, 12)
		next
	}
	line ~ /^1\.\.[0-9]+$/ {
		planned[depth] = substr(line, 4) + 0
		next
	}
	line ~ /^(not )?ok [0-9]+( |$)/ {
		result = line ~ /^not / ? "not ok" : "ok"
		title = line
		sub(/^(not )?ok [0-9]+ *(- )?/, "", title)
		reason = ""
		if (match(title, / *# *[Ss][Kk][Ii][Pp]( |$)/)) {
			reason = substr(title, RSTART + RLENGTH)
			title = substr(title, 1, RSTART - 1)
			result = "skip"
		}
		for (d = deepest; d > depth + 1; d--)
			if (open[d])
				unfinished(d)
		if (open[depth + 1])
			close_level(depth + 1, result, title)
		else
			emit(result, suites(depth) title,
			     result == "skip" ? reason : result == "ok" ? "" : diag)
		count(depth, result)
		diag = ""
		if (depth == 0 && planned[0] >= 0 && ran[0] >= planned[0])
			end_document()
		next
	}
	{ diag = diag (diag == "" ? "" : "|") line }
	END {
		if (in_document)
			end_document()
	}
	' "$@"
}
