// SPDX-License-Identifier: GPL-2.0
/*
 * The reader of test-rust-targets.sh: reads the first block of a block
 * device with direct I/O, over and over, until SIGTERM, so that its task is
 * on the driver's I/O path, again and again, while a live patch of that path
 * is enabled and disabled.
 *
 * The reads are counted in phases, named on the command line: the first
 * phase starts at once, each SIGUSR1 starts the next one. A read belongs to
 * the phase it started in. The reader prints the result of the first read of
 * each phase and each result that differs from the one before it, one line
 * each, at once:
 *
 *   before: pread(/dev/rnullb0, 4096) = 4096
 *   patched: pread(/dev/rnullb0, 4096) = -1 ENODEV (No such device)
 *
 * and, on SIGTERM, the number of reads of each phase, to stderr. Without
 * SIGTERM, it stops after SECONDS and exits 1.
 *
 * Usage: test_klp_rust-direct_read DEVICE SECONDS PHASE...
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BLOCK 4096
#define MAX_PHASES 16

/* Lock-free atomics, which signal handlers may write. */
static atomic_int stop, signalled_phase;

static void term_handler(int signum)
{
	atomic_store(&stop, 1);
}

static void usr1_handler(int signum)
{
	atomic_fetch_add(&signalled_phase, 1);
}

int main(int argc, char *argv[])
{
	long reads[MAX_PHASES] = { 0 }, last = 0;
	int phases = argc - 3, phase = -1, i;
	const char *device = argv[1];
	time_t deadline;
	void *buf;
	int fd;

	if (argc < 4 || phases > MAX_PHASES)
		return 2;
	deadline = time(NULL) + atol(argv[2]);
	signal(SIGTERM, term_handler);
	signal(SIGUSR1, usr1_handler);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (posix_memalign(&buf, BLOCK, BLOCK))
		return 1;
	fd = open(device, O_RDONLY | O_DIRECT);
	if (fd < 0) {
		perror(device);
		return 1;
	}
	while (!atomic_load(&stop) && time(NULL) < deadline) {
		/* The phase of this read, as signalled before it starts. */
		int now = atomic_load(&signalled_phase);
		ssize_t n;
		long result;

		if (now >= phases)
			now = phases - 1;
		n = pread(fd, buf, BLOCK, 0);
		/* A result: the bytes read, or minus the errno. */
		result = n >= 0 ? n : -errno;

		reads[now]++;
		if (now == phase && result == last)
			continue;
		phase = now;
		last = result;
		if (n >= 0)
			printf("%s: pread(%s, %d) = %zd\n", argv[3 + phase],
			       device, BLOCK, n);
		else
			printf("%s: pread(%s, %d) = -1 %s (%s)\n",
			       argv[3 + phase], device, BLOCK,
			       strerrorname_np(-result), strerror(-result));
	}
	for (i = 0; i < phases; i++)
		fprintf(stderr, "%s%s %ld reads", i ? ", " : "", argv[3 + i],
			reads[i]);
	fprintf(stderr, "\n");
	close(fd);
	return atomic_load(&stop) ? 0 : 1;
}
