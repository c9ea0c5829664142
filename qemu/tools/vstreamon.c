// SPDX-License-Identifier: GPL-2.0
/*
 * vstreamon NODE SECONDS [STOP]: for SECONDS, or until the file STOP
 * exists, tries to start a stream on capture NODE whenever it exists (a
 * path, or a node's name as in /sys/class/video4linux/ * /name, looked up
 * each time: the node's number may change as it comes and goes): open, REQBUFS 2 MMAP, QBUF
 * both, STREAMON, STREAMOFF, close. The node may appear and vanish at any
 * time (a graph built and torn down beside it). Prints each STREAMON's
 * outcome as it comes, "ok" or the error's name ("ENOLINK"), with the
 * time the call began (CLOCK_BOOTTIME seconds, the clock of /proc/uptime),
 * then "done". Exit status 1 if a call failed with a kernel-internal error
 * code (512 and up), 2 on bad use.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include <linux/videodev2.h>

static int internal;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int xioctl(int fd, unsigned long req, void *arg)
{
	int ret = ioctl(fd, req, arg);

	if (ret < 0 && errno >= 512)
		internal = 1;
	return ret;
}

/*
 * Whether /sys/class/video4linux/@node/name is @name: 1 if it is, 0 if it
 * names another node, -1 if it could not be read (the node went).
 */
static int named(const char *node, const char *name)
{
	char path[300], buf[64];
	FILE *f;
	int ret = -1;

	snprintf(path, sizeof(path), "/sys/class/video4linux/%s/name", node);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\n")] = 0;
		ret = !strcmp(buf, name);
	}
	fclose(f);
	return ret;
}

/*
 * The /dev path of the video node named @name, or NULL. Fast on a system
 * of hundreds of nodes: the last node found is tried first, and a number
 * seen with another name is skipped (the caller's other nodes stay).
 */
static const char *find(const char *name)
{
	static char last[256], path[300];
	static unsigned char other[4096];
	struct dirent *d;
	DIR *dir;

	if (last[0] && named(last, name) == 1)
		goto found;
	last[0] = 0;
	dir = opendir("/sys/class/video4linux");
	if (!dir)
		return NULL;
	while ((d = readdir(dir))) {
		unsigned int n;

		if (sscanf(d->d_name, "video%u", &n) != 1 || (n < sizeof(other) && other[n]))
			continue;
		switch (named(d->d_name, name)) {
		case 1:
			snprintf(last, sizeof(last), "%s", d->d_name);
			break;
		case 0:
			/*
			 * Only a name read proves another node: a node that
			 * went between readdir() and the read may be ours,
			 * back at the same number after the next build.
			 */
			if (n < sizeof(other))
				other[n] = 1;
			continue;
		default:
			continue;
		}
		break;
	}
	closedir(dir);
	if (!last[0])
		return NULL;
found:
	snprintf(path, sizeof(path), "/dev/%s", last);
	return path;
}

int main(int argc, char **argv)
{
	enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	double end;

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: vstreamon NODE SECONDS [STOP]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	end = now() + atof(argv[2]);
	while (now() < end && (argc < 4 || access(argv[3], F_OK))) {
		struct v4l2_requestbuffers rb = {
			.count = 2, .type = type, .memory = V4L2_MEMORY_MMAP,
		};
		const char *node = argv[1][0] == '/' ? argv[1] : find(argv[1]);
		int fd = node ? open(node, O_RDWR) : -1;

		if (fd < 0) {
			usleep(1000);
			continue;
		}
		if (xioctl(fd, VIDIOC_REQBUFS, &rb) == 0) {
			unsigned int b;

			for (b = 0; b < rb.count; b++) {
				struct v4l2_buffer buf = {
					.index = b, .type = type, .memory = V4L2_MEMORY_MMAP,
				};

				if (xioctl(fd, VIDIOC_QBUF, &buf) < 0)
					break;
			}
			if (b == rb.count) {
				double t = now();
				int ret = xioctl(fd, VIDIOC_STREAMON, &type);

				printf("%s %.3f\n", ret ? strerrorname_np(errno) ?: "?" : "ok", t);
				if (ret == 0)
					xioctl(fd, VIDIOC_STREAMOFF, &type);
			}
		}
		close(fd);
	}
	puts("done");
	return internal;
}
