// SPDX-License-Identifier: GPL-2.0
/*
 * vhold MODE NODE: holds a capture node across an unbind and checks what
 * every call returns afterwards. Commands come on stdin, one per line.
 *
 *   dqbuf  4 mmapped buffers, stream, take 3 frames, dequeue the rest and
 *          block in DQBUF (no buffer queued: only the unbind ends it)
 *   poll   the same, but block in poll()
 *   mmap   4 mmapped buffers queued, no stream; waits for "go" on stdin
 *
 * Prints "ready" once holding. After the unbind (or "go") it prints the
 * pending call's result and when it returned (CLOCK_BOOTTIME seconds, the
 * clock of /proc/uptime), then issues new calls (QUERYCAP, G_FMT, QBUF,
 * DQBUF, STREAMON, poll), each of which must fail within 1 s, reads every
 * mmapped byte (the mappings outlive the device), and waits for "close".
 * Exit status 0 when every check held; each failure is printed as "BAD".
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/videodev2.h>

#define NBUF 4
static int fd, bad;
static void *maps[NBUF];
static size_t lens[NBUF];

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_BOOTTIME, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void on_alarm(int sig) { (void)sig; }

static int xioctl(unsigned long req, void *arg)
{
	return ioctl(fd, req, arg);
}

static void buf_init(struct v4l2_buffer *b, unsigned int i)
{
	memset(b, 0, sizeof(*b));
	b->type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	b->memory = V4L2_MEMORY_MMAP;
	b->index = i;
}

static void die(const char *what)
{
	printf("BAD %s: errno=%d (%s)\n", what, errno, strerror(errno));
	exit(2);
}

static void wait_line(const char *want)
{
	char line[32];

	while (fgets(line, sizeof(line), stdin))
		if (!strncmp(line, want, strlen(want)))
			return;
	exit(3);
}

/* A call made after the unbind: must fail, and within 1 s. */
static void must_fail(const char *name, int ret, double t0)
{
	double dt = now() - t0;

	if (ret >= 0)
		printf("BAD %s succeeded after unbind\n", name), bad = 1;
	else if (errno == EINTR)
		printf("BAD %s blocked (interrupted after %.2fs)\n", name, dt), bad = 1;
	else if (dt > 1.0)
		printf("BAD %s took %.2fs\n", name, dt), bad = 1;
	else
		printf("new %s errno=%d (%s)\n", name, errno, strerror(errno));
}

int main(int argc, char **argv)
{
	struct v4l2_requestbuffers rb = { .count = NBUF, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
					  .memory = V4L2_MEMORY_MMAP };
	int type = V4L2_BUF_TYPE_VIDEO_CAPTURE, ret, frames = 0, held = 0;
	struct sigaction sa = { .sa_handler = on_alarm };
	struct v4l2_buffer b;
	const char *mode;
	double t;

	if (argc != 3)
		return fprintf(stderr, "usage: vhold dqbuf|poll|mmap NODE\n"), 2;
	mode = argv[1];
	setvbuf(stdout, NULL, _IOLBF, 0);
	sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART: a stuck call returns EINTR */
	fd = open(argv[2], O_RDWR);
	if (fd < 0)
		die("open");
	if (xioctl(VIDIOC_REQBUFS, &rb) || rb.count < 2)
		die("REQBUFS");
	for (unsigned int i = 0; i < rb.count; i++) {
		buf_init(&b, i);
		if (xioctl(VIDIOC_QUERYBUF, &b))
			die("QUERYBUF");
		lens[i] = b.length;
		maps[i] = mmap(NULL, b.length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, b.m.offset);
		if (maps[i] == MAP_FAILED)
			die("mmap");
		if (xioctl(VIDIOC_QBUF, &b))
			die("QBUF");
	}
	if (strcmp(mode, "mmap")) {
		if (xioctl(VIDIOC_STREAMON, &type))
			die("STREAMON");
		/* Frames flow; then keep every buffer so nothing can complete. */
		while (frames < 3 || held < (int)rb.count) {
			buf_init(&b, 0);
			alarm(5);
			if (xioctl(VIDIOC_DQBUF, &b))
				die("DQBUF while streaming");
			alarm(0);
			if (b.bytesused == 0 || b.bytesused > lens[b.index])
				printf("BAD frame of %u bytes\n", b.bytesused), bad = 1;
			if (++frames < 3) {
				if (xioctl(VIDIOC_QBUF, &b))
					die("QBUF while streaming");
			} else {
				held++;
			}
		}
		printf("ready\n");
		if (!strcmp(mode, "dqbuf")) {
			buf_init(&b, 0);
			ret = xioctl(VIDIOC_DQBUF, &b);
		} else {
			struct pollfd p = { .fd = fd, .events = POLLIN };

			ret = poll(&p, 1, -1);
			if (ret == 1 && (p.revents & POLLERR))
				ret = -1, errno = 0;
			else if (ret == 1)
				printf("BAD poll woke with revents %#x, no error\n", p.revents), bad = 1;
		}
		t = now();
		printf("pending %s ret=%d errno=%d at %.3f\n", mode, ret, ret < 0 ? errno : 0, t);
		if (ret >= 0)
			bad = 1;
	} else {
		printf("ready\n");
		wait_line("go");
	}

	alarm(3);
	t = now(); must_fail("QUERYCAP", xioctl(VIDIOC_QUERYCAP, &(struct v4l2_capability){}), t);
	struct v4l2_format f = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE };
	t = now(); must_fail("G_FMT", xioctl(VIDIOC_G_FMT, &f), t);
	buf_init(&b, 0);
	t = now(); must_fail("QBUF", xioctl(VIDIOC_QBUF, &b), t);
	buf_init(&b, 0);
	t = now(); must_fail("DQBUF", xioctl(VIDIOC_DQBUF, &b), t);
	t = now(); must_fail("STREAMON", xioctl(VIDIOC_STREAMON, &type), t);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	t = now();
	ret = poll(&p, 1, 1000);
	if (ret == 1 && (p.revents & POLLERR))
		printf("new poll revents=%#x\n", p.revents);
	else
		printf("BAD poll after unbind: ret=%d revents=%#x\n", ret, p.revents), bad = 1;
	alarm(0);

	/* The mappings stay valid until munmap. */
	unsigned long sum = 0;
	for (unsigned int i = 0; i < rb.count; i++)
		for (size_t k = 0; k < lens[i]; k += 64)
			sum += ((volatile unsigned char *)maps[i])[k];
	printf("read %u mapped buffers (sum %lu)\n", rb.count, sum);

	wait_line("close");
	for (unsigned int i = 0; i < rb.count; i++)
		munmap(maps[i], lens[i]);
	close(fd);
	printf("%s %s\n", bad ? "BAD" : "OK", mode);
	return bad;
}
