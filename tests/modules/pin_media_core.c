// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only, for the kobject lane (qemu/test --keep-core): loaded at boot
 * and never unloaded, it keeps the media core modules vimc_rs uses in use,
 * so that `modprobe -r` of a driver never unloads them. The core registers
 * static classes and bus types (videodev's video4linux class, mc's media
 * bus) whose subsys_private the driver core releases from a kobject
 * release; under DEBUG_KOBJECT_RELEASE that runs 1 to 4 s after the
 * module's memory is gone and oopses in class_release(), reading the
 * class. That is the core's bug, not one this lane is about. The
 * scenarios' `modprobe -r` unloads only the named module there (harness.inc).
 */
#include <linux/module.h>
#include <media/media-device.h>
#include <media/tpg/v4l2-tpg.h>
#include <media/v4l2-async.h>
#include <media/v4l2-dev.h>
#include <media/videobuf2-memops.h>
#include <media/videobuf2-v4l2.h>
#include <media/videobuf2-vmalloc.h>

/* One symbol of each module: the references make them our dependencies. */
static const void *const pins[] __used = {
	media_device_init,		/* mc */
	tpg_init,			/* v4l2-tpg */
	v4l2_async_nf_init,		/* v4l2-async */
	video_device_release_empty,	/* videodev */
	&vb2_common_vm_ops,		/* videobuf2-memops */
	vb2_core_queue_init,		/* videobuf2-common */
	vb2_queue_init,			/* videobuf2-v4l2 */
	&vb2_vmalloc_memops,		/* videobuf2-vmalloc */
};

MODULE_DESCRIPTION("Test-only: keeps the media core modules loaded");
MODULE_LICENSE("GPL");
