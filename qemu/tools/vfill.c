// SPDX-License-Identifier: GPL-2.0
/*
 * vfill NODE FRAMES BYTE mmap|userptr: streams FRAMES frames from capture
 * NODE through 2 buffers whose every byte is set to BYTE before each QBUF,
 * and prints a 64-bit hash of the frames' bytes (sizeimage of each, not
 * only bytesused). A driver that writes every byte of each frame prints
 * the same hash whatever BYTE is. Exits 1 on a failed call or a buffer
 * returned with an error, 2 on bad use.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/videodev2.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

int main(int argc, char **argv)
{
	struct v4l2_format f = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE };
	struct v4l2_requestbuffers rb = { .count = 2, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE };
	unsigned char *m[2];
	uint64_t h = 0xcbf29ce484222325ull;
	int fd, type = V4L2_BUF_TYPE_VIDEO_CAPTURE, userptr, byte;
	long frames, k;
	unsigned size, i, j;

	if (argc != 5 || (frames = atol(argv[2])) < 1 ||
	    (strcmp(argv[4], "mmap") && strcmp(argv[4], "userptr"))) {
		fprintf(stderr, "usage: vfill NODE FRAMES BYTE mmap|userptr\n");
		return 2;
	}
	byte = strtol(argv[3], NULL, 0) & 0xff;
	userptr = !strcmp(argv[4], "userptr");
	fd = open(argv[1], O_RDWR);
	if (fd < 0)
		die(argv[1]);
	if (ioctl(fd, VIDIOC_G_FMT, &f))
		die("G_FMT");
	size = f.fmt.pix.sizeimage;
	rb.memory = userptr ? V4L2_MEMORY_USERPTR : V4L2_MEMORY_MMAP;
	if (ioctl(fd, VIDIOC_REQBUFS, &rb) || rb.count < 2)
		die("REQBUFS");
	for (i = 0; i < 2; i++) {
		struct v4l2_buffer b = { .index = i, .type = type, .memory = rb.memory };

		if (userptr) {
			if (posix_memalign((void **)&m[i], 4096, size))
				die("posix_memalign");
			b.m.userptr = (unsigned long)m[i];
			b.length = size;
		} else {
			if (ioctl(fd, VIDIOC_QUERYBUF, &b))
				die("QUERYBUF");
			m[i] = mmap(NULL, b.length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, b.m.offset);
			if (m[i] == MAP_FAILED)
				die("mmap");
		}
		memset(m[i], byte, size);
		if (ioctl(fd, VIDIOC_QBUF, &b))
			die("QBUF");
	}
	if (ioctl(fd, VIDIOC_STREAMON, &type))
		die("STREAMON");
	for (k = 0; k < frames; k++) {
		struct v4l2_buffer b = { .type = type, .memory = rb.memory };

		if (ioctl(fd, VIDIOC_DQBUF, &b))
			die("DQBUF");
		if (b.flags & V4L2_BUF_FLAG_ERROR || b.index >= 2) {
			fprintf(stderr, "vfill: a buffer came back with an error\n");
			return 1;
		}
		for (j = 0; j < size; j++)
			h = (h ^ m[b.index][j]) * 0x100000001b3ull;
		memset(m[b.index], byte, size);
		if (userptr) {
			b.m.userptr = (unsigned long)m[b.index];
			b.length = size;
		}
		if (ioctl(fd, VIDIOC_QBUF, &b))
			die("QBUF");
	}
	if (ioctl(fd, VIDIOC_STREAMOFF, &type))
		die("STREAMOFF");
	printf("%016llx\n", (unsigned long long)h);
	return 0;
}
