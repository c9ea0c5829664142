// SPDX-License-Identifier: GPL-2.0
/*
 * vhostile media|subdev|video PATH: hostile values on one node: zero, huge
 * and odd sizes, unknown pixel and bus codes, bad pad, buffer and entity
 * indexes, bad selection rectangles, out-of-range controls, bad pointers,
 * unknown ioctls. Prints one line per case, "case: errno=N" or "case: ok"
 * plus what the driver adjusted, stable for diffing two drivers. Exits 1
 * if a call failed with an errno outside the clean set (or crashed).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/media.h>
#include <linux/videodev2.h>
#include <linux/v4l2-subdev.h>

static int fd, bad;

static int check(const char *name, int ret)
{
	if (ret >= 0) {
		printf("%s: ok", name);
		return 0;
	}
	switch (errno) {
	case EINVAL: case ENOTTY: case ERANGE: case EBUSY: case EFAULT: case ENOMEM:
	case EPERM: case EACCES: case ENOSPC: case EPIPE:
		break;
	default:
		bad = 1;
		printf("UNCLEAN ");
	}
	printf("%s: errno=%d (%s)", name, errno, strerror(errno));
	return -1;
}

static void end(void) { putchar('\n'); }

static const unsigned int sizes[] = { 0, 1, 17, 65535, 0x7fffffff, 0xffffffff };
#define N(a) (sizeof(a) / sizeof((a)[0]))

static void video(void)
{
	const int cap = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	char name[64];

	for (unsigned int i = 0; i < N(sizes); i++)
		for (unsigned int pf = 0; pf < 3; pf++) {
			static const unsigned int pfs[] = { V4L2_PIX_FMT_RGB24, 0xdeadbeef, 0 };
			struct v4l2_format f = { .type = cap };

			f.fmt.pix.width = sizes[i];
			f.fmt.pix.height = sizes[N(sizes) - 1 - i];
			f.fmt.pix.pixelformat = pfs[pf];
			f.fmt.pix.field = 99;
			f.fmt.pix.bytesperline = sizes[i];
			f.fmt.pix.colorspace = 0xff;
			snprintf(name, sizeof(name), "TRY_FMT %ux%u fourcc %#x", sizes[i],
				 sizes[N(sizes) - 1 - i], pfs[pf]);
			if (!check(name, ioctl(fd, VIDIOC_TRY_FMT, &f)))
				printf(" -> %ux%u %.4s field %u bpl %u size %u cs %u", f.fmt.pix.width,
				       f.fmt.pix.height, (char *)&f.fmt.pix.pixelformat, f.fmt.pix.field,
				       f.fmt.pix.bytesperline, f.fmt.pix.sizeimage, f.fmt.pix.colorspace);
			end();
		}
	struct v4l2_format f = { .type = V4L2_BUF_TYPE_VIDEO_OUTPUT };
	check("S_FMT output type", ioctl(fd, VIDIOC_S_FMT, &f)), end();
	f.type = 0;
	check("G_FMT type 0", ioctl(fd, VIDIOC_G_FMT, &f)), end();

	struct v4l2_buffer b = { .type = cap, .memory = V4L2_MEMORY_MMAP, .index = 0 };
	check("QBUF without buffers", ioctl(fd, VIDIOC_QBUF, &b)), end();
	struct v4l2_requestbuffers rb = { .count = 77, .type = cap, .memory = 77 };
	check("REQBUFS memory 77", ioctl(fd, VIDIOC_REQBUFS, &rb)), end();
	rb.memory = V4L2_MEMORY_MMAP;
	rb.count = 0xffffffff;
	if (!check("REQBUFS count 0xffffffff", ioctl(fd, VIDIOC_REQBUFS, &rb)))
		printf(" -> %u", rb.count);
	end();
	rb.count = 2;
	if (!check("REQBUFS count 2", ioctl(fd, VIDIOC_REQBUFS, &rb)))
		printf(" -> %u", rb.count);
	end();
	for (unsigned int idx = 2; idx <= 1000000; idx *= 1000) {
		snprintf(name, sizeof(name), "QUERYBUF index %u", idx);
		b = (struct v4l2_buffer){ .type = cap, .memory = V4L2_MEMORY_MMAP, .index = idx };
		check(name, ioctl(fd, VIDIOC_QUERYBUF, &b)), end();
		snprintf(name, sizeof(name), "QBUF index %u", idx);
		check(name, ioctl(fd, VIDIOC_QBUF, &b)), end();
	}
	b = (struct v4l2_buffer){ .type = cap, .memory = V4L2_MEMORY_USERPTR, .index = 0 };
	check("QBUF wrong memory", ioctl(fd, VIDIOC_QBUF, &b)), end();
	b = (struct v4l2_buffer){ .type = cap, .memory = V4L2_MEMORY_MMAP };
	check("DQBUF not streaming", ioctl(fd, VIDIOC_DQBUF, &b)), end();
	rb.count = 0;
	check("REQBUFS count 0", ioctl(fd, VIDIOC_REQBUFS, &rb)), end();

	struct v4l2_fmtdesc fd_ = { .type = cap, .index = 1000 };
	check("ENUM_FMT index 1000", ioctl(fd, VIDIOC_ENUM_FMT, &fd_)), end();
	struct v4l2_frmsizeenum fs = { .pixel_format = 0xdeadbeef };
	check("ENUM_FRAMESIZES unknown fourcc", ioctl(fd, VIDIOC_ENUM_FRAMESIZES, &fs)), end();
	fs = (struct v4l2_frmsizeenum){ .pixel_format = V4L2_PIX_FMT_RGB24, .index = 5 };
	check("ENUM_FRAMESIZES index 5", ioctl(fd, VIDIOC_ENUM_FRAMESIZES, &fs)), end();
	struct v4l2_control c = { .id = 0xdeadbeef, .value = 1 };
	check("S_CTRL unknown id", ioctl(fd, VIDIOC_S_CTRL, &c)), end();
	struct v4l2_selection s = { .type = cap, .target = 99 };
	check("G_SELECTION target 99", ioctl(fd, VIDIOC_G_SELECTION, &s)), end();
	struct v4l2_input in = { .index = 7 };
	check("ENUMINPUT index 7", ioctl(fd, VIDIOC_ENUMINPUT, &in)), end();
	int i = 7;
	check("S_INPUT 7", ioctl(fd, VIDIOC_S_INPUT, &i)), end();
	check("unknown ioctl 'V' 250", ioctl(fd, _IOWR('V', 250, int), &i)), end();
	check("QUERYCAP bad pointer", ioctl(fd, VIDIOC_QUERYCAP, (void *)16)), end();
}

static void subdev(void)
{
	char name[96];
	static const unsigned int codes[] = { 0x100a, 0x3014, 0, 0xffffffff };

	for (unsigned int pad = 0; pad < 3; pad++)
		for (unsigned int which = 0; which < 3; which += 2) {
			struct v4l2_subdev_format f = { .which = which, .pad = pad ? pad * 50 : 0 };
			snprintf(name, sizeof(name), "G_FMT pad %u which %u", f.pad, which);
			check(name, ioctl(fd, VIDIOC_SUBDEV_G_FMT, &f)), end();
		}
	for (unsigned int i = 0; i < N(sizes); i++)
		for (unsigned int c = 0; c < N(codes); c++) {
			struct v4l2_subdev_format f = { .which = V4L2_SUBDEV_FORMAT_TRY };

			f.format.width = sizes[i];
			f.format.height = sizes[(i + 2) % N(sizes)];
			f.format.code = codes[c];
			f.format.field = 77;
			f.format.colorspace = 0xff;
			f.format.ycbcr_enc = 0xff;
			snprintf(name, sizeof(name), "S_FMT try %ux%u code %#x", f.format.width,
				 f.format.height, codes[c]);
			if (!check(name, ioctl(fd, VIDIOC_SUBDEV_S_FMT, &f)))
				printf(" -> %ux%u code %#x field %u cs %u enc %u", f.format.width,
				       f.format.height, f.format.code, f.format.field, f.format.colorspace,
				       f.format.ycbcr_enc);
			end();
		}
	struct v4l2_subdev_format f = { .which = 7 };
	check("S_FMT which 7", ioctl(fd, VIDIOC_SUBDEV_S_FMT, &f)), end();
	static const struct v4l2_rect rects[] = {
		{ -5, -5, 0, 0 }, { 0, 0, 0xffffffff, 0xffffffff }, { 0x7fffffff, 0x7fffffff, 16, 16 },
		{ 3, 5, 33, 17 }, { -0x7fffffff, 1, 2, 2 },
	};
	for (unsigned int r = 0; r < N(rects); r++)
		for (unsigned int t = 0; t < 3; t++) {
			static const unsigned int targets[] = { V4L2_SEL_TGT_CROP, V4L2_SEL_TGT_COMPOSE, 99 };
			struct v4l2_subdev_selection s = { .which = V4L2_SUBDEV_FORMAT_TRY, .pad = 0,
							    .target = targets[t], .r = rects[r] };
			snprintf(name, sizeof(name), "S_SELECTION target %u (%d,%d)/%ux%u", targets[t],
				 rects[r].left, rects[r].top, rects[r].width, rects[r].height);
			if (!check(name, ioctl(fd, VIDIOC_SUBDEV_S_SELECTION, &s)))
				printf(" -> (%d,%d)/%ux%u", s.r.left, s.r.top, s.r.width, s.r.height);
			end();
		}
	struct v4l2_subdev_selection s = { .which = V4L2_SUBDEV_FORMAT_TRY, .pad = 9,
					    .target = V4L2_SEL_TGT_CROP };
	check("G_SELECTION pad 9", ioctl(fd, VIDIOC_SUBDEV_G_SELECTION, &s)), end();
	struct v4l2_subdev_mbus_code_enum ce = { .which = V4L2_SUBDEV_FORMAT_TRY, .index = 1000 };
	check("ENUM_MBUS_CODE index 1000", ioctl(fd, VIDIOC_SUBDEV_ENUM_MBUS_CODE, &ce)), end();
	ce = (struct v4l2_subdev_mbus_code_enum){ .which = V4L2_SUBDEV_FORMAT_TRY, .pad = 40 };
	check("ENUM_MBUS_CODE pad 40", ioctl(fd, VIDIOC_SUBDEV_ENUM_MBUS_CODE, &ce)), end();
	struct v4l2_subdev_frame_size_enum fse = { .which = V4L2_SUBDEV_FORMAT_TRY, .code = 0xdeadbeef };
	check("ENUM_FRAME_SIZE unknown code", ioctl(fd, VIDIOC_SUBDEV_ENUM_FRAME_SIZE, &fse)), end();
	static const struct { unsigned int id; int v; } ctrls[] = {
		{ 0x00f00901, 1000 }, { 0x00f00901, -1 },	/* test pattern */
		{ 0x00f00903, 0 }, { 0x00f00903, 26 }, { 0x00f00903, 4 },	/* mean window */
		{ V4L2_CID_BRIGHTNESS, 100000 }, { V4L2_CID_HUE, -100000 }, { V4L2_CID_HFLIP, 7 },
		{ 0xdeadbeef, 0 },
	};
	for (unsigned int k = 0; k < N(ctrls); k++) {
		struct v4l2_control c = { .id = ctrls[k].id, .value = ctrls[k].v };
		snprintf(name, sizeof(name), "S_CTRL %#x = %d", ctrls[k].id, ctrls[k].v);
		if (!check(name, ioctl(fd, VIDIOC_S_CTRL, &c)))
			printf(" -> %d", c.value);
		end();
	}
	int x = 0;
	check("unknown ioctl 'V' 250", ioctl(fd, _IOWR('V', 250, int), &x)), end();
	check("G_FMT bad pointer", ioctl(fd, VIDIOC_SUBDEV_G_FMT, (void *)16)), end();
}

static void media(void)
{
	char name[64];

	for (unsigned int id = 0; id < 3; id++) {
		static const unsigned int ids[] = { 0, 9999, 0x7fffffff };
		struct media_entity_desc e = { .id = ids[id] };
		snprintf(name, sizeof(name), "ENUM_ENTITIES id %#x", ids[id]);
		check(name, ioctl(fd, MEDIA_IOC_ENUM_ENTITIES, &e)), end();
	}
	struct media_links_enum le = { .entity = 9999 };
	check("ENUM_LINKS entity 9999", ioctl(fd, MEDIA_IOC_ENUM_LINKS, &le)), end();
	struct media_link_desc l = { .source = { .entity = 9999 }, .sink = { .entity = 1 } };
	check("SETUP_LINK entity 9999", ioctl(fd, MEDIA_IOC_SETUP_LINK, &l)), end();
	l = (struct media_link_desc){ .source = { .entity = 1, .index = 77 }, .sink = { .entity = 1 } };
	check("SETUP_LINK pad 77", ioctl(fd, MEDIA_IOC_SETUP_LINK, &l)), end();
	struct media_v2_topology t = { .num_entities = 100, .ptr_entities = 16 };
	check("G_TOPOLOGY bad pointer", ioctl(fd, MEDIA_IOC_G_TOPOLOGY, &t)), end();
	int x = 0;
	check("unknown ioctl '|' 250", ioctl(fd, _IOWR('|', 250, int), &x)), end();
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return fprintf(stderr, "usage: vhostile media|subdev|video PATH\n"), 2;
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = open(argv[2], O_RDWR);
	if (fd < 0)
		return perror(argv[2]), 2;
	if (!strcmp(argv[1], "media"))
		media();
	else if (!strcmp(argv[1], "subdev"))
		subdev();
	else
		video();
	close(fd);
	return bad;
}
