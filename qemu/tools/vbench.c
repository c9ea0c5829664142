// SPDX-License-Identifier: GPL-2.0
/*
 * vbench NODE FRAMES: streams FRAMES frames from capture NODE (MMAP, 4
 * buffers, each given back as soon as it is hashed) and measures the
 * driver's streamer thread over the whole run. Prints one line:
 *
 *   frames cpu_ns wall_ns hash
 *
 * cpu_ns is the CPU time the streamer thread (the "vimc-streamer" kernel
 * thread that STREAMON started: one that did not exist before) has used
 * when the last frame is dequeued (read at once, before it is hashed): /proc/TID/schedstat's first field, its
 * sum_exec_runtime, which starts at 0 with the thread, so it covers every
 * frame of the run and nothing else. Buffers are queued for FRAMES frames
 * only, so a driver that makes frames only into buffers has made exactly
 * FRAMES. wall_ns runs from the first frame dequeued to the last (FRAMES -
 * 1 intervals). hash is a 64-bit hash of every frame's bytes in order.
 *
 * Exits 1, saying why, if anything cannot be measured: no new streamer
 * thread, no schedstat (CONFIG_SCHED_INFO), a frame not arriving within
 * 300 s, a failed call; 2 on bad use.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/videodev2.h>

#define NBUF 4
#define MAX_THREADS 64

static void die(const char *what)
{
	fprintf(stderr, "vbench: %s: %s\n", what, errno ? strerror(errno) : "failed");
	exit(1);
}

/* die() for a failure without an errno. */
static void fail(const char *what)
{
	errno = 0;
	die(what);
}

static uint64_t ts_ns(const struct timeval *tv)
{
	return tv->tv_sec * 1000000000ull + tv->tv_usec * 1000ull;
}

/* Waits (up to 50 ms) until task @pid is not running on a CPU, so that its
 * sum_exec_runtime is up to date. */
static void off_cpu(int pid)
{
	char path[64], buf[512], *p;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (i = 0; i < 50; i++) {
		FILE *f = fopen(path, "r");
		int n = f ? (int)fread(buf, 1, sizeof(buf) - 1, f) : 0;

		if (f)
			fclose(f);
		buf[n > 0 ? n : 0] = 0;
		p = strrchr(buf, ')');
		if (!p || p[1] != ' ' || p[2] != 'R')
			return;
		usleep(1000);
	}
}

/* Whether task @pid is a live thread called vimc-streamer*. */
static int streamer(int pid)
{
	char path[64], buf[256];
	FILE *f;
	int live = 0, named = 0;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	named = fgets(buf, sizeof(buf), f) && !strncmp(buf, "vimc-streamer", 13);
	fclose(f);
	if (!named)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(buf, sizeof(buf), f))
		if (!strncmp(buf, "State:", 6)) {
			live = !strpbrk(buf + 6, "ZX");
			break;
		}
	fclose(f);
	return live;
}

/* The live streamer threads' pids into @pids; their number. */
static int streamers(int *pids)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (!d)
		die("/proc");
	while ((e = readdir(d)) && n < MAX_THREADS) {
		int pid = atoi(e->d_name);

		if (pid > 0 && streamer(pid))
			pids[n++] = pid;
	}
	closedir(d);
	return n;
}

static uint64_t cpu_ns(int pid)
{
	char path[64];
	unsigned long long ns;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/schedstat", pid);
	f = fopen(path, "r");
	if (!f)
		die("/proc/TID/schedstat of the streamer (needs CONFIG_SCHED_INFO)");
	if (fscanf(f, "%llu", &ns) != 1)
		fail("reading the streamer's schedstat");
	fclose(f);
	return ns;
}

static uint64_t hash(uint64_t h, const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		uint64_t w;

		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
	}
	for (; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

int main(int argc, char **argv)
{
	struct v4l2_requestbuffers req = { .count = NBUF, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
					   .memory = V4L2_MEMORY_MMAP };
	enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	int before[MAX_THREADS], after[MAX_THREADS], nb, na, i, j, fd, tid = 0;
	void *mem[NBUF];
	size_t len[NBUF];
	long frames, queued = 0, got;
	uint64_t h = 0xcbf29ce484222325ull, first = 0, last = 0, cpu = 0;
	unsigned seq = 0;

	if (argc != 3 || (frames = atol(argv[2])) < 2) {
		fprintf(stderr, "usage: vbench NODE FRAMES (FRAMES >= 2)\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR | O_NONBLOCK);
	if (fd < 0)
		die(argv[1]);
	if (ioctl(fd, VIDIOC_REQBUFS, &req))
		die("REQBUFS");
	if (req.count < 2 || req.count > NBUF)
		fail("REQBUFS gave other than 2 to 4 buffers");
	for (i = 0; i < (int)req.count; i++) {
		struct v4l2_buffer b = { .index = i, .type = type, .memory = V4L2_MEMORY_MMAP };

		if (ioctl(fd, VIDIOC_QUERYBUF, &b))
			die("QUERYBUF");
		len[i] = b.length;
		mem[i] = mmap(NULL, b.length, PROT_READ, MAP_SHARED, fd, b.m.offset);
		if (mem[i] == MAP_FAILED)
			die("mmap");
		if (queued < frames) {
			if (ioctl(fd, VIDIOC_QBUF, &b))
				die("QBUF");
			queued++;
		}
	}
	nb = streamers(before);
	if (ioctl(fd, VIDIOC_STREAMON, &type))
		die("STREAMON");
	na = streamers(after);
	for (i = 0; i < na; i++) {
		for (j = 0; j < nb && before[j] != after[i]; j++)
			;
		if (j < nb)
			continue;
		if (tid)
			fail("more than one new vimc-streamer thread after STREAMON");
		tid = after[i];
	}
	if (!tid)
		fail("no new vimc-streamer thread after STREAMON");
	for (got = 0; got < frames; got++) {
		struct v4l2_buffer b = { .type = type, .memory = V4L2_MEMORY_MMAP };
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r = poll(&p, 1, 300000);

		if (r <= 0) {
			errno = r ? errno : ETIMEDOUT;
			die("waiting for a frame");
		}
		if (ioctl(fd, VIDIOC_DQBUF, &b)) {
			if (errno == EAGAIN) {
				got--;
				continue;
			}
			die("DQBUF");
		}
		if (b.flags & V4L2_BUF_FLAG_ERROR)
			fail("a buffer came back with an error");
		if (got && b.sequence != seq + 1)
			fail("a sequence number skipped: a frame was lost");
		seq = b.sequence;
		if (!got)
			first = ts_ns(&b.timestamp);
		if (got == frames - 1) {
			/* At once: a driver that makes frames without
			 * buffers (C vimc) is about to make the next one. */
			off_cpu(tid);
			cpu = cpu_ns(tid);
			last = ts_ns(&b.timestamp);
		}
		if (b.index >= req.count || b.bytesused > len[b.index])
			fail("a buffer out of range");
		h = hash(h, mem[b.index], b.bytesused);
		if (queued < frames) {
			if (ioctl(fd, VIDIOC_QBUF, &b))
				die("QBUF");
			queued++;
		}
	}
	if (ioctl(fd, VIDIOC_STREAMOFF, &type))
		die("STREAMOFF");
	printf("%ld %llu %llu %016llx\n", got, (unsigned long long)cpu,
	       (unsigned long long)(last - first), (unsigned long long)h);
	return 0;
}
