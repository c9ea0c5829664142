// SPDX-License-Identifier: GPL-2.0
/*
 * nodecheck PATH...: opens every node, prints "ready", waits for a line on
 * stdin, then issues an info ioctl on each already-open file and prints
 * "PATH ok" or "PATH errno=N (name)". Tests use it to hold files open across
 * an unbind and check what later calls return.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/media.h>
#include <linux/videodev2.h>
#include <linux/v4l2-subdev.h>

static int info_ioctl(const char *path, int fd)
{
	if (strstr(path, "media")) {
		struct media_device_info i;
		return ioctl(fd, MEDIA_IOC_DEVICE_INFO, &i);
	}
	if (strstr(path, "subdev")) {
		struct v4l2_subdev_capability c;
		return ioctl(fd, VIDIOC_SUBDEV_QUERYCAP, &c);
	}
	struct v4l2_capability c;
	return ioctl(fd, VIDIOC_QUERYCAP, &c);
}

int main(int argc, char **argv)
{
	int fds[64], n = argc - 1 < 64 ? argc - 1 : 64;
	char line[16];

	for (int i = 0; i < n; i++) {
		fds[i] = open(argv[i + 1], O_RDWR);
		if (fds[i] < 0) {
			printf("%s open errno=%d (%s)\n", argv[i + 1], errno, strerror(errno));
			return 2;
		}
	}
	printf("ready\n");
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 3;
	for (int i = 0; i < n; i++) {
		if (info_ioctl(argv[i + 1], fds[i]) == 0)
			printf("%s ok\n", argv[i + 1]);
		else
			printf("%s errno=%d (%s)\n", argv[i + 1], errno, strerror(errno));
	}
	for (int i = 0; i < n; i++)
		close(fds[i]);
	return 0;
}
