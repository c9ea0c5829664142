// SPDX-License-Identifier: GPL-2.0
/*
 * failnth K OP PATH [VALUE]: fails the K-th slab allocation of one system
 * call of this task (fault injection's /proc/thread-self/fail-nth; the
 * shell's own echo can do it for a write, but not for mkdir or rmdir,
 * which it runs in a child). OP: mkdir, rmdir, or write (VALUE to PATH).
 * Prints "ok" or "failed ERRNO-NAME", then the allocations left: 0 when the
 * K-th came, else the call needed fewer than K (a step-through is done).
 * Exit status: 0, or 2 on bad use.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char buf[32];
	int fd, ret, err;
	ssize_t n;

	if (argc < 4 || (!strcmp(argv[2], "write") && argc < 5)) {
		fprintf(stderr, "usage: failnth K mkdir|rmdir|write PATH [VALUE]\n");
		return 2;
	}
	fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fd < 0) {
		perror("fail-nth");
		return 2;
	}
	/* Opened before: the target's own open must not count. */
	int wfd = -1;
	if (!strcmp(argv[2], "write")) {
		wfd = open(argv[3], O_WRONLY);
		if (wfd < 0) {
			perror(argv[3]);
			return 2;
		}
	}
	n = snprintf(buf, sizeof(buf), "%s", argv[1]);
	if (write(fd, buf, n) != n) {
		perror("fail-nth write");
		return 2;
	}
	if (!strcmp(argv[2], "mkdir"))
		ret = mkdir(argv[3], 0755);
	else if (!strcmp(argv[2], "rmdir"))
		ret = rmdir(argv[3]);
	else if (!strcmp(argv[2], "write"))
		ret = write(wfd, argv[4], strlen(argv[4])) < 0 ? -1 : 0;
	else {
		fprintf(stderr, "failnth: unknown op %s\n", argv[2]);
		return 2;
	}
	err = errno;
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = 0;
	(void)!write(fd, "0", 1);
	if (ret)
		printf("failed %s %d\n", strerrorname_np(err) ?: "?", atoi(buf));
	else
		printf("ok %d\n", atoi(buf));
	return 0;
}
