// SPDX-License-Identifier: GPL-2.0
/*
 * Bodies of media/helpers.h used by every module (the video side is in
 * helpers_video.c). Each module compiles this file once through its
 * own helpers.c, because Kbuild links one object into one module only.
 */
#include <linux/fwnode.h>
#include <linux/property.h>
#include <linux/sprintf.h>
#include "helpers.h"

/* The full path of a firmware node ("%pfwf"), e.g. "/vimc/sensor-a". */
int rust_helper_fwnode_path(struct fwnode_handle *fwnode, char *buf, unsigned long len)
{
	return scnprintf(buf, len, "%pfwf", fwnode);
}

void rust_helper_fwnode_handle_put(struct fwnode_handle *fwnode)
{
	fwnode_handle_put(fwnode);
}
