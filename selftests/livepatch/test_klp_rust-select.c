// SPDX-License-Identifier: GPL-2.0
/*
 * The reproducer of rust_livepatch_select_fix: select(2) with a timeout of
 * negative components, { 1 s, -1000000 us }, which POSIX says is invalid.
 * Linux before "fs/select: reject negative timeval components in
 * kern_select()" adds them up to a zero timeout and returns 0; with the fix
 * it fails with EINVAL.
 *
 * Then the calls that must work either way, so that a patch is seen to do
 * what select() does: a valid timeout, which expires and is written back; a
 * bad timeout pointer (EFAULT); and no timeout, with a pipe that is ready.
 *
 * The system calls are made directly: the C library may check the timeout
 * itself, or use pselect6(). Prints each call and its result; exits 0
 * unless the set-up fails.
 *
 * Usage: test_klp_rust-select
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

/* result(call, ret) - print call and what it returned */
static void result(const char *call, long ret)
{
	if (ret < 0)
		printf("%s = %ld %s (%s)", call, ret, strerrorname_np(errno), strerror(errno));
	else
		printf("%s = %ld", call, ret);
}

int main(void)
{
	struct timeval tv = { .tv_sec = 1, .tv_usec = -1000000 };
	fd_set readable;
	int fds[2];

	result("select(0, NULL, NULL, NULL, {1, -1000000})",
	       syscall(SYS_select, 0, NULL, NULL, NULL, &tv));
	printf("\n");

	tv = (struct timeval){ .tv_sec = 0, .tv_usec = 1000 };
	result("select(0, NULL, NULL, NULL, {0, 1000})",
	       syscall(SYS_select, 0, NULL, NULL, NULL, &tv));
	printf(", {%ld, %ld} left\n", (long)tv.tv_sec, (long)tv.tv_usec);

	result("select(0, NULL, NULL, NULL, 1)",
	       syscall(SYS_select, 0, NULL, NULL, NULL, (void *)1));
	printf("\n");

	if (pipe(fds) || write(fds[1], "x", 1) != 1)
		return 1;
	FD_ZERO(&readable);
	FD_SET(fds[0], &readable);
	result("select(pipe + 1, {pipe}, NULL, NULL, NULL)",
	       syscall(SYS_select, fds[0] + 1, &readable, NULL, NULL, NULL));
	printf(", pipe %s\n", FD_ISSET(fds[0], &readable) ? "readable" : "not readable");
	return 0;
}
