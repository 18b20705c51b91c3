// SPDX-License-Identifier: GPL-2.0
/*
 * The getpid() load of test-rust-soak.sh: bursts of getpid() system calls
 * with a short sleep between them, until SIGTERM.
 *
 * While it sleeps, a transition checks its stack and switches it at once;
 * while a burst runs, the transition leaves it pending and it switches itself
 * on its way out of the next getpid(), through whichever __x64_sys_getpid()
 * the patches of the moment give it.
 *
 * Usage: test_klp_rust-getpid_bursts CALLS MICROSECONDS
 */

#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

static int stop;

static void term_handler(int signum)
{
	stop = 1;
}

int main(int argc, char *argv[])
{
	long calls, i;
	useconds_t pause;

	if (argc != 3)
		return 2;
	calls = atol(argv[1]);
	pause = atol(argv[2]);
	signal(SIGTERM, term_handler);
	while (!stop) {
		for (i = 0; i < calls; i++)
			(void)syscall(SYS_getpid);
		usleep(pause);
	}
	return 0;
}
