// SPDX-License-Identifier: GPL-2.0
/*
 * Test-only: registers async subdevs. With leak=1 its exit "forgets"
 * v4l2_async_unregister_subdev(), the bug of seeds/000, for three kinds of
 * memory, so the subdevs stay on v4l2-async's list after:
 *   leaky-dphy   kzalloc'd and kept: readable, its module and ops gone;
 *   leaky-devm   devm-allocated on a platform device the exit unregisters:
 *                freed (as a driver's subdev is at remove);
 *   leaky-static a static of this module: unmapped with it.
 * Without leak, one subdev (tidy-dphy), unregistered and freed at exit.
 */
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <media/v4l2-async.h>
#include <media/v4l2-subdev.h>

static bool leak;
module_param(leak, bool, 0444);
MODULE_PARM_DESC(leak, "exit without unregistering the async subdevs");

static struct v4l2_subdev *sd;
static struct v4l2_subdev static_sd;
static struct platform_device *pdev;
static const struct v4l2_subdev_ops leaky_ops;

static int register_sd(struct v4l2_subdev *s, const char *name)
{
	struct device *dev = s->dev;

	v4l2_subdev_init(s, &leaky_ops);
	s->dev = dev;
	strscpy(s->name, name, sizeof(s->name));
	return v4l2_async_register_subdev(s);
}

static int leaky_probe(struct platform_device *p)
{
	struct v4l2_subdev *s = devm_kzalloc(&p->dev, sizeof(*s), GFP_KERNEL);

	if (!s)
		return -ENOMEM;
	s->dev = &p->dev;
	return register_sd(s, "leaky-devm");
}

static struct platform_driver leaky_driver = {
	.probe = leaky_probe,
	.driver.name = "leaky-async",
};

static int __init leaky_init(void)
{
	int ret;

	sd = kzalloc(sizeof(*sd), GFP_KERNEL);
	if (!sd)
		return -ENOMEM;
	ret = register_sd(sd, leak ? "leaky-dphy" : "tidy-dphy");
	if (ret)
		goto free;
	if (!leak)
		return 0;
	/* Leaks from here on: what is registered stays. */
	ret = platform_driver_register(&leaky_driver);
	if (ret)
		return ret;
	pdev = platform_device_register_simple("leaky-async", -1, NULL, 0);
	if (IS_ERR(pdev))
		return PTR_ERR(pdev);
	return register_sd(&static_sd, "leaky-static");
free:
	kfree(sd);
	return ret;
}

static void __exit leaky_exit(void)
{
	if (leak) {
		/* Frees leaky-devm, still on the list. */
		platform_device_unregister(pdev);
		platform_driver_unregister(&leaky_driver);
		return;
	}
	v4l2_async_unregister_subdev(sd);
	kfree(sd);
}

module_init(leaky_init);
module_exit(leaky_exit);
MODULE_DESCRIPTION("vimc-rs test: async subdevs, optionally leaked");
MODULE_LICENSE("GPL");
