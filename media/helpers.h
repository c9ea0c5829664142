/* SPDX-License-Identifier: GPL-2.0 */
/* C helpers for static inline functions and macros bindgen cannot bind. */
#ifndef VIMC_RS_MEDIA_HELPERS_H
#define VIMC_RS_MEDIA_HELPERS_H

struct v4l2_device;
struct v4l2_subdev;
struct mutex;
struct v4l2_ctrl_handler;
struct fwnode_handle;

void rust_helper_v4l2_device_get(struct v4l2_device *v4l2_dev);
int rust_helper_v4l2_subdev_init_finalize(struct v4l2_subdev *sd);
void rust_helper_video_lock_init(struct mutex *lock);
int rust_helper_v4l2_ctrl_handler_init(struct v4l2_ctrl_handler *hdl, unsigned int hint);

int rust_helper_fwnode_path(struct fwnode_handle *fwnode, char *buf, unsigned long len);

#endif
