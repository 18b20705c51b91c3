/* SPDX-License-Identifier: GPL-2.0 */
/* A patchable function entry inside a function: objtool must fail the build. */

	.text
	.globl	entry_not_at_entry
	.type	entry_not_at_entry, @function
entry_not_at_entry:
	endbr64
	.byte	0x0f, 0x1f, 0x44, 0x00, 0x08
	.byte	0x0f, 0x1f, 0x44, 0x00, 0x08
	ret
	.size	entry_not_at_entry, . - entry_not_at_entry

	.section __patchable_function_entries, "aw", @progbits
	.quad	entry_not_at_entry + 9
