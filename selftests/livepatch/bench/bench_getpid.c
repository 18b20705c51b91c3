// SPDX-License-Identifier: GPL-2.0
/*
 * The patched-call cost of make bench: the nanoseconds per getpid() system
 * call, over CALLS calls in a tight loop, on the monotonic clock.
 *
 * Usage: bench_getpid CALLS
 */

#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	struct timespec start, end;
	long calls, i;
	double ns;

	if (argc != 2)
		return 2;
	calls = atol(argv[1]);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (i = 0; i < calls; i++)
		(void)syscall(SYS_getpid);
	clock_gettime(CLOCK_MONOTONIC, &end);
	ns = (end.tv_sec - start.tv_sec) * 1e9 + (end.tv_nsec - start.tv_nsec);
	printf("%.1f\n", ns / calls);
	return 0;
}
