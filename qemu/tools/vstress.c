// SPDX-License-Identifier: GPL-2.0
/*
 * vstress SECONDS SEED: for SECONDS, random calls on random media, subdev
 * and video nodes: open/close, G/S/TRY_FMT, REQBUFS, QUERYBUF, mmap, QBUF,
 * DQBUF, STREAMON/OFF, controls, subdev formats and selections, media
 * topology and link setup. Nodes may vanish and come back at any time (an
 * unbind/bind loop runs beside it): failures are expected and counted.
 * A call still blocked after 2 s is interrupted and counted as "waited":
 * a blocking DQBUF may wait forever by design (streaming with fewer buffers
 * queued than the stream needs to start), and any call on a video node
 * waits for the node's lock while a STREAMOFF or an unbind on it waits for
 * the frame in progress (seconds at 4096x2160 under KASAN and TCG). Being
 * interruptible, such a wait is no hang; a call that cannot be interrupted
 * hangs the process, and the caller bounds its wait for the process.
 * Prints "ops N ok N failed N waited N", then the waits other than DQBUF.
 * Exits 1 if a call failed with a kernel-internal error code (512 and up:
 * ERESTARTSYS, ENOIOCTLCMD, ...), which must never reach userspace.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/media.h>
#include <linux/videodev2.h>
#include <linux/v4l2-subdev.h>

static unsigned long long rng;
static unsigned long ops, oks, fails, waited, leaked;
static char waits[1024];

static unsigned int rnd(unsigned int n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return n ? (rng >> 33) % n : 0;
}

static void on_alarm(int sig) { (void)sig; }

static void count(int ret)
{
	ops++;
	if (ret >= 0) {
		oks++;
	} else {
		fails++;
		if (errno >= 512) {
			leaked++;
			printf("BAD errno %d reached userspace\n", errno);
		}
	}
}

static int call(int fd, unsigned long req, void *arg)
{
	int ret;

	alarm(2);
	ret = ioctl(fd, req, arg);
	alarm(0);
	if (ret < 0 && errno == EINTR) {
		ops++;
		waited++;
		if (req != VIDIOC_DQBUF && strlen(waits) < sizeof(waits) - 12)
			sprintf(waits + strlen(waits), " 0x%08lx", req);
		return ret;
	}
	count(ret);
	return ret;
}

/* A random existing node of the kind the dice pick. */
static int open_random(int *kind)
{
	static const char *const pre[] = { "media", "v4l-subdev", "video" };
	char path[64], names[32][32];
	int n = 0;
	DIR *d = opendir("/dev");
	struct dirent *e;

	*kind = rnd(3);
	if (!d)
		return -1;
	while ((e = readdir(d)) && n < 32)
		if (!strncmp(e->d_name, pre[*kind], strlen(pre[*kind])))
			snprintf(names[n++], sizeof(names[0]), "%.31s", e->d_name);
	closedir(d);
	if (!n)
		return -1;
	snprintf(path, sizeof(path), "/dev/%s", names[rnd(n)]);
	int fd = open(path, O_RDWR | (rnd(2) ? O_NONBLOCK : 0));
	count(fd);
	return fd;
}

static const unsigned int fourccs[] = {
	V4L2_PIX_FMT_RGB24, V4L2_PIX_FMT_SRGGB8, V4L2_PIX_FMT_SBGGR10, V4L2_PIX_FMT_YUYV, 0,
	0xdeadbeef,
};
static const unsigned int codes[] = { 0x100a /* RGB888_1X24 */, 0x3014 /* SRGGB8 */, 0x300f, 0, ~0u };
static const unsigned int sizes[] = { 0, 1, 2, 3, 16, 17, 64, 640, 1920, 4096, 65535, ~0u };

static void video_op(int fd)
{
	int type = V4L2_BUF_TYPE_VIDEO_CAPTURE;

	switch (rnd(11)) {
	case 0: {
		struct v4l2_capability c;
		call(fd, VIDIOC_QUERYCAP, &c);
		break;
	}
	case 1:
	case 2: {
		struct v4l2_format f = { .type = type };
		f.fmt.pix.width = sizes[rnd(12)];
		f.fmt.pix.height = sizes[rnd(12)];
		f.fmt.pix.pixelformat = fourccs[rnd(6)];
		f.fmt.pix.field = rnd(10);
		call(fd, rnd(2) ? VIDIOC_S_FMT : VIDIOC_TRY_FMT, &f);
		break;
	}
	case 3: {
		struct v4l2_requestbuffers rb = { .count = rnd(9), .type = type,
						  .memory = rnd(4) ? V4L2_MEMORY_MMAP : V4L2_MEMORY_USERPTR };
		call(fd, VIDIOC_REQBUFS, &rb);
		break;
	}
	case 4: {
		struct v4l2_buffer b = { .type = type, .memory = V4L2_MEMORY_MMAP, .index = rnd(10) };
		if (call(fd, VIDIOC_QUERYBUF, &b) == 0 && rnd(2)) {
			void *p = mmap(NULL, b.length, PROT_READ, MAP_SHARED, fd, b.m.offset);
			count(p == MAP_FAILED ? -1 : 0);
			if (p != MAP_FAILED) {
				(void)*(volatile char *)p;
				munmap(p, b.length);
			}
		}
		break;
	}
	case 5:
	case 6: {
		struct v4l2_buffer b = { .type = type, .memory = V4L2_MEMORY_MMAP, .index = rnd(10) };
		call(fd, VIDIOC_QBUF, &b);
		break;
	}
	case 7: {
		struct v4l2_buffer b = { .type = type, .memory = V4L2_MEMORY_MMAP };
		call(fd, VIDIOC_DQBUF, &b);
		break;
	}
	case 8:
		call(fd, rnd(2) ? VIDIOC_STREAMON : VIDIOC_STREAMOFF, &type);
		break;
	case 9: {
		struct v4l2_format f = { .type = type };
		call(fd, VIDIOC_G_FMT, &f);
		break;
	}
	case 10: {
		struct v4l2_queryctrl q = { .id = V4L2_CTRL_FLAG_NEXT_CTRL };
		call(fd, VIDIOC_QUERYCTRL, &q);
		break;
	}
	}
}

static const unsigned int cids[] = {
	V4L2_CID_BRIGHTNESS, V4L2_CID_CONTRAST, V4L2_CID_HFLIP, V4L2_CID_GAIN,
	0x00f00901 /* vimc test pattern */, 0x00f00902, 0x00f00903 /* mean window */, 0, ~0u,
};

static void subdev_op(int fd)
{
	unsigned int which = rnd(3);	/* TRY, ACTIVE, invalid */

	switch (rnd(6)) {
	case 0:
	case 1: {
		struct v4l2_subdev_format f = { .which = which, .pad = rnd(3) };
		if (rnd(2)) {
			call(fd, VIDIOC_SUBDEV_G_FMT, &f);
		} else {
			f.format.width = sizes[rnd(12)];
			f.format.height = sizes[rnd(12)];
			f.format.code = codes[rnd(5)];
			call(fd, VIDIOC_SUBDEV_S_FMT, &f);
		}
		break;
	}
	case 2: {
		struct v4l2_subdev_selection s = { .which = which, .pad = rnd(3), .target = rnd(4) };
		if (rnd(2)) {
			call(fd, VIDIOC_SUBDEV_G_SELECTION, &s);
		} else {
			s.r.left = (int)sizes[rnd(12)] - rnd(3);
			s.r.top = (int)sizes[rnd(12)];
			s.r.width = sizes[rnd(12)];
			s.r.height = sizes[rnd(12)];
			call(fd, VIDIOC_SUBDEV_S_SELECTION, &s);
		}
		break;
	}
	case 3: {
		struct v4l2_subdev_mbus_code_enum c = { .which = which, .pad = rnd(3), .index = rnd(40) };
		call(fd, VIDIOC_SUBDEV_ENUM_MBUS_CODE, &c);
		break;
	}
	case 4:
	case 5: {
		struct v4l2_control c = { .id = cids[rnd(9)], .value = (int)rnd(600) - 100 };
		call(fd, rnd(2) ? VIDIOC_S_CTRL : VIDIOC_G_CTRL, &c);
		break;
	}
	}
}

static void media_op(int fd)
{
	switch (rnd(4)) {
	case 0: {
		struct media_device_info i;
		call(fd, MEDIA_IOC_DEVICE_INFO, &i);
		break;
	}
	case 1: {
		struct media_entity_desc e = { .id = rnd(20) | (rnd(2) ? MEDIA_ENT_ID_FLAG_NEXT : 0) };
		call(fd, MEDIA_IOC_ENUM_ENTITIES, &e);
		break;
	}
	case 2: {
		struct media_v2_topology t = { 0 };
		call(fd, MEDIA_IOC_G_TOPOLOGY, &t);
		break;
	}
	case 3: {
		/* Mostly no such link; now and then Debayer -> Scaler. */
		struct media_link_desc l = { 0 };
		l.source.entity = 1 + rnd(40);
		l.source.index = rnd(2);
		l.sink.entity = 1 + rnd(40);
		l.sink.index = rnd(2);
		l.flags = rnd(2) ? MEDIA_LNK_FL_ENABLED : 0;
		call(fd, MEDIA_IOC_SETUP_LINK, &l);
		break;
	}
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	int fds[4] = { -1, -1, -1, -1 }, kinds[4];
	time_t end;

	if (argc != 3)
		return fprintf(stderr, "usage: vstress SECONDS SEED\n"), 2;
	end = time(NULL) + atoi(argv[1]);
	rng = strtoull(argv[2], NULL, 0);
	sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART */
	signal(SIGPIPE, SIG_IGN);
	while (time(NULL) < end) {
		int s = rnd(4);

		if (fds[s] < 0 || !rnd(20)) {
			if (fds[s] >= 0)
				close(fds[s]);
			fds[s] = open_random(&kinds[s]);
			continue;
		}
		if (kinds[s] == 0)
			media_op(fds[s]);
		else if (kinds[s] == 1)
			subdev_op(fds[s]);
		else
			video_op(fds[s]);
	}
	for (int s = 0; s < 4; s++)
		if (fds[s] >= 0)
			close(fds[s]);
	printf("ops %lu ok %lu failed %lu waited %lu\n", ops, oks, fails, waited);
	if (waits[0])
		printf("waited in:%s\n", waits);
	return leaked ? 1 : 0;
}
