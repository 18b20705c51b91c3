/* SPDX-License-Identifier: GPL-2.0 */
/* A patchable function entry that is not a NOP: objtool must fail the build. */

	.text
	.globl	entry_not_nop
	.type	entry_not_nop, @function
entry_not_nop:
	endbr64
	movl	$1, %eax
	ret
	.size	entry_not_nop, . - entry_not_nop

	.section __patchable_function_entries, "aw", @progbits
	.quad	entry_not_nop + 4
