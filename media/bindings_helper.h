/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Headers our abstraction layer binds. scripts/bindgen.sh runs the kernel's
 * own bindgen command on this file, keeping only items declared in the files
 * it allowlists; everything else comes from kernel::bindings.
 */
#include <linux/platform_device.h>
#include <linux/configfs.h>
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/fs.h>
#include <linux/kallsyms.h>
#include <linux/property.h>
#include <media/media-device.h>
#include <media/media-entity.h>
#include <media/v4l2-device.h>
#include <media/v4l2-subdev.h>
#include <media/v4l2-async.h>
#include <media/v4l2-ctrls.h>
#include <media/v4l2-ioctl.h>
#include <media/v4l2-dev.h>
#include <media/v4l2-event.h>
#include <media/videobuf2-v4l2.h>
#include <media/videobuf2-vmalloc.h>
#include <media/tpg/v4l2-tpg.h>
#include <uapi/linux/media-bus-format.h>

#include "helpers.h"
