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
 *
 * With leak and unbound=1, one more, removed while this module stays loaded
 * (issue 30, finding 2):
 *   leaky-fwnode devm-allocated on a device whose fwnode is a software node;
 *                init removes the device and unregisters the node at once,
 *                freeing both, the subdev still on the list with its fwnode
 *                pointer into the freed swnode. To a kernel without KASAN
 *                it looks live: owner loaded, ops in loaded code.
 * spray=1 then refills freed objects of the swnode's size (kmalloc-256 on
 * the bench kernel) with 0xa5 bytes, save the word where the swnode's
 * fwnode.ops was, which keeps software_node_ops: the freed swnode reused,
 * "any kernel address passes the ops check". Following that node's
 * pointers (%pfwf) then dereferences 0xa5a5... and oopses; reading it
 * without faulting does not. The objects are freed at exit.
 */
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/slab.h>
#include <media/v4l2-async.h>
#include <media/v4l2-subdev.h>

static bool leak;
module_param(leak, bool, 0444);
MODULE_PARM_DESC(leak, "exit without unregistering the async subdevs");
static bool unbound;
module_param(unbound, bool, 0444);
MODULE_PARM_DESC(unbound, "with leak: also leak a devm subdev with a software node, both freed at init");
static bool spray;
module_param(spray, bool, 0444);
MODULE_PARM_DESC(spray, "with unbound: refill the freed swnode's slab with 0xa5 but its fwnode ops");

static struct v4l2_subdev *sd;
static struct v4l2_subdev static_sd;
static struct platform_device *pdev;
static const struct v4l2_subdev_ops leaky_ops;
static const struct software_node fw_node = { .name = "leaky-fwnode-node" };

#define SPRAY_SIZE 256
#define SPRAY_COUNT 1024
static void *sprayed[SPRAY_COUNT];

static int register_sd(struct v4l2_subdev *s, const char *name)
{
	struct device *dev = s->dev;

	v4l2_subdev_init(s, &leaky_ops);
	s->dev = dev;
	strscpy(s->name, name, sizeof(s->name));
	return v4l2_async_register_subdev(s);
}

/*
 * leaky-fwnode's driver data, its subdev inside, as drivers embed theirs.
 * Its size puts it in kmalloc-8k, which little else uses: freed, it stays
 * as it was for a while (SLUB's free pointer lands in `other`), as freed
 * memory does on a quiet system, instead of being reused at once and its
 * list links overwritten (then the walk stops there: nothing to show).
 */
struct leaky_priv {
	char other[6000];
	struct v4l2_subdev sd;
};

static int leaky_probe(struct platform_device *p)
{
	struct v4l2_subdev *s;
	struct leaky_priv *priv;

	if (!dev_fwnode(&p->dev)) {
		s = devm_kzalloc(&p->dev, sizeof(*s), GFP_KERNEL);
		if (!s)
			return -ENOMEM;
		s->dev = &p->dev;
		return register_sd(s, "leaky-devm");
	}
	priv = devm_kzalloc(&p->dev, sizeof(*priv), GFP_KERNEL);
	if (!priv)
		return -ENOMEM;
	s = &priv->sd;
	s->dev = &p->dev;
	s->fwnode = dev_fwnode(&p->dev);
	return register_sd(s, "leaky-fwnode");
}

static struct platform_driver leaky_driver = {
	.probe = leaky_probe,
	.driver.name = "leaky-async",
};

/*
 * leaky-fwnode: probe on a device with the software node fw_node, then
 * remove the device and unregister the node, which frees the devm subdev
 * and the swnode (nothing else holds it). Then the spray, if asked.
 */
static int leak_unbound(void)
{
	struct platform_device_info info = {
		.name = "leaky-async",
		.id = 1,
	};
	struct platform_device *p;
	unsigned long fw, ops;
	int ret, i, j;

	ret = software_node_register(&fw_node);
	if (ret)
		return ret;
	info.fwnode = software_node_fwnode(&fw_node);
	fw = (unsigned long)info.fwnode;
	ops = (unsigned long)info.fwnode->ops;
	p = platform_device_register_full(&info);
	if (IS_ERR(p)) {
		software_node_unregister(&fw_node);
		return PTR_ERR(p);
	}
	platform_device_unregister(p);
	software_node_unregister(&fw_node);
	if (!spray)
		return 0;
	for (i = 0; i < SPRAY_COUNT; i++) {
		unsigned long *o = kmalloc(SPRAY_SIZE, GFP_KERNEL);

		if (!o)
			break;
		memset(o, 0xa5, SPRAY_SIZE);
		/* fwnode's offset in its object, objects SPRAY_SIZE-aligned. */
		j = (fw % SPRAY_SIZE + offsetof(struct fwnode_handle, ops)) / sizeof(*o);
		if (j < SPRAY_SIZE / sizeof(*o))
			o[j] = ops;
		sprayed[i] = o;
	}
	return 0;
}

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
	ret = register_sd(&static_sd, "leaky-static");
	/*
	 * Last: nothing may be registered once a freed entry is on the list
	 * (v4l2-async's list_add would write into the entry added last).
	 */
	if (ret || !unbound)
		return ret;
	return leak_unbound();
free:
	kfree(sd);
	return ret;
}

static void __exit leaky_exit(void)
{
	int i;

	for (i = 0; i < SPRAY_COUNT; i++)
		kfree(sprayed[i]);
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
