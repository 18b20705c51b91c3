/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RELOCS_TARGET_H
#define RELOCS_TARGET_H

int relocs_target_a(void);
int relocs_target_b(void);

#endif
