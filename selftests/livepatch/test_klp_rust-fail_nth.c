// SPDX-License-Identifier: GPL-2.0
/*
 * Load a module with the n-th allocation of the loading task failed, for
 * test-rust-faults.sh: fault injection's /proc/self/fail-nth makes the n-th
 * call of the task into failslab or fail_page_alloc fail (of those that pass
 * their filters: see the script).
 *
 * The module is read and its pages locked before the count starts, and
 * init_module() copies it from there with __GFP_NOWARN: no page cache read,
 * no page fault of this program and no allocation warning come between the
 * count and the load.
 *
 * Prints the result of init_module() ("loaded" or the errno's name, ENOMEM)
 * and whether the n-th allocation came ("injected") or the load was over
 * before it ("not-injected").
 *
 * Usage: test_klp_rust-fail_nth N MODULE.ko [PARAMS]
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char *argv[])
{
	char nth[16], left[16] = "";
	const char *params = argc > 3 ? argv[3] : "";
	int module, fail_nth, ret, err;
	struct stat st;
	void *image;

	if (argc < 3 || argc > 4)
		return 2;
	module = open(argv[2], O_RDONLY | O_CLOEXEC);
	fail_nth = open("/proc/self/fail-nth", O_RDWR | O_CLOEXEC);
	if (module < 0 || fail_nth < 0 || fstat(module, &st) < 0) {
		perror("open");
		return 1;
	}
	image = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, module, 0);
	if (image == MAP_FAILED || mlockall(MCL_CURRENT) < 0) {
		perror("mmap");
		return 1;
	}
	snprintf(nth, sizeof(nth), "%d", atoi(argv[1]));
	if (write(fail_nth, nth, strlen(nth)) < 0) {
		perror("fail-nth");
		return 1;
	}
	ret = syscall(SYS_init_module, image, (unsigned long)st.st_size, params);
	err = errno;
	/* What is left of the count: 0 once the failure was injected. */
	if (pread(fail_nth, left, sizeof(left) - 1, 0) < 0 ||
	    write(fail_nth, "0", 1) < 0) {
		perror("fail-nth");
		return 1;
	}
	printf("%s %s\n", ret == 0 ? "loaded" : strerrorname_np(err),
	       atoi(left) == 0 ? "injected" : "not-injected");
	return 0;
}
