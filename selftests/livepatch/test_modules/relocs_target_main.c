// SPDX-License-Identifier: GPL-2.0
/*
 * test_klp_rust_relocs_target: the target of test_klp_rust_relocs.
 *
 * Its files relocs_target_a.c and relocs_target_b.c each have a static
 * function part(), returning 1 and 2: in the module's symbol table, and so in
 * kallsyms, the one of relocs_target_a.c comes first (position 1). The
 * read-only parameter "value" shows relocs_target_value(), here 1 + 2, which
 * test_klp_rust_relocs replaces.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include "relocs_target.h"

static noinline int relocs_target_value(void)
{
	return relocs_target_a() + relocs_target_b();
}

static int value_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%d\n", relocs_target_value());
}

static const struct kernel_param_ops value_ops = {
	.get = value_get,
};
module_param_cb(value, &value_ops, NULL, 0444);
MODULE_PARM_DESC(value, "relocs_target_value()");

static int __init relocs_target_init(void)
{
	return 0;
}

static void __exit relocs_target_exit(void)
{
}

module_init(relocs_target_init);
module_exit(relocs_target_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Livepatch test: target with two static functions of one name");
