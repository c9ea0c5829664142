// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only: registers a bare async subdev. With leak=1 its exit "forgets"
 * v4l2_async_unregister_subdev() and keeps the memory allocated, the bug of
 * seeds/000: the subdev stays on v4l2-async's list, pointing to the ops and
 * module of an unloaded module, until something trips over it.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <media/v4l2-async.h>
#include <media/v4l2-subdev.h>

static bool leak;
module_param(leak, bool, 0444);
MODULE_PARM_DESC(leak, "exit without unregistering the async subdev");

static struct v4l2_subdev *sd;
static const struct v4l2_subdev_ops leaky_ops;

static int __init leaky_init(void)
{
	int ret;

	sd = kzalloc(sizeof(*sd), GFP_KERNEL);
	if (!sd)
		return -ENOMEM;
	v4l2_subdev_init(sd, &leaky_ops);
	strscpy(sd->name, leak ? "leaky-dphy" : "tidy-dphy", sizeof(sd->name));
	ret = v4l2_async_register_subdev(sd);
	if (ret)
		kfree(sd);
	return ret;
}

static void __exit leaky_exit(void)
{
	if (leak)
		return;
	v4l2_async_unregister_subdev(sd);
	kfree(sd);
}

module_init(leaky_init);
module_exit(leaky_exit);
MODULE_DESCRIPTION("vimc-rs test: an async subdev, optionally leaked");
MODULE_LICENSE("GPL");
