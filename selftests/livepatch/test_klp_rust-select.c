// SPDX-License-Identifier: GPL-2.0
/*
 * The reproducer of rust_livepatch_select_fix: select(2) with a timeout of
 * negative components, { 1 s, -1000000 us }, which POSIX says is invalid.
 * Linux before "fs/select: reject negative timeval components in
 * kern_select()" adds them up to a zero timeout and returns 0; with the fix
 * it fails with EINVAL.
 *
 * The system call is made directly: the C library may check the timeout
 * itself, or use pselect6(). Prints the call and its result; exits 0 either
 * way.
 *
 * Usage: test_klp_rust-select
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

int main(void)
{
	struct timeval tv = { .tv_sec = 1, .tv_usec = -1000000 };
	long ret;

	ret = syscall(SYS_select, 0, NULL, NULL, NULL, &tv);
	if (ret < 0)
		printf("select(0, NULL, NULL, NULL, {1, -1000000}) = %ld %s (%s)\n",
		       ret, strerrorname_np(errno), strerror(errno));
	else
		printf("select(0, NULL, NULL, NULL, {1, -1000000}) = %ld\n", ret);
	return 0;
}
