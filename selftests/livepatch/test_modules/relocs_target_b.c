// SPDX-License-Identifier: GPL-2.0
/*
 * Part of test_klp_rust_relocs_target: a static function part() that returns
 * 2, a homonym of the one in relocs_target_a.c. It reads a variable, so that
 * the compiler keeps it as a function rather than propagating a constant.
 */

#include <linux/compiler.h>
#include "relocs_target.h"

static int part_value = 2;

static noinline int part(void)
{
	return READ_ONCE(part_value);
}

int relocs_target_b(void)
{
	return part();
}
