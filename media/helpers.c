// SPDX-License-Identifier: GPL-2.0
/*
 * Bodies of media/helpers.h. Each module compiles this file once through its
 * own helpers.c, because Kbuild links one object into one module only.
 */
#include <linux/fwnode.h>
#include <media/v4l2-ctrls.h>
#include <media/v4l2-device.h>
#include <media/v4l2-subdev.h>
#include "helpers.h"

void rust_helper_v4l2_device_get(struct v4l2_device *v4l2_dev)
{
	v4l2_device_get(v4l2_dev);
}

/* One lockdep class for every subdev state lock of the calling module. */
int rust_helper_v4l2_subdev_init_finalize(struct v4l2_subdev *sd)
{
	return v4l2_subdev_init_finalize(sd);
}

/* One lockdep class for the ioctl locks of all video nodes of the module. */
void rust_helper_video_lock_init(struct mutex *lock)
{
	mutex_init(lock);
}

/* One lockdep class for the control handlers of the module. */
int rust_helper_v4l2_ctrl_handler_init(struct v4l2_ctrl_handler *hdl, unsigned int hint)
{
	return v4l2_ctrl_handler_init(hdl, hint);
}

/* The full path of a firmware node ("%pfwf"), e.g. "/vimc/sensor-a". */
int rust_helper_fwnode_path(struct fwnode_handle *fwnode, char *buf, unsigned long len)
{
	return scnprintf(buf, len, "%pfwf", fwnode);
}
