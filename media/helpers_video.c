// SPDX-License-Identifier: GPL-2.0
/*
 * Bodies of media/helpers.h for modules with video devices and subdevs;
 * kept apart so that other modules do not link against (and pin) videodev,
 * videobuf2 and v4l2-tpg.
 */
#include <linux/kthread.h>
#include <linux/timekeeping.h>
#include <media/media-device.h>
#include <media/media-devnode.h>
#include <media/tpg/v4l2-tpg.h>
#include <media/v4l2-ctrls.h>
#include <media/v4l2-device.h>
#include <media/v4l2-subdev.h>
#include <media/videobuf2-core.h>
#include "helpers.h"

/* cond_resched() is a macro, over nothing at all under full preemption. */
void rust_helper_cond_resched(void)
{
	cond_resched();
}

void rust_helper_v4l2_device_get(struct v4l2_device *v4l2_dev)
{
	v4l2_device_get(v4l2_dev);
}

/*
 * The lock class comes from the caller, one per entity type: link
 * validation locks the states of two linked subdevs at once.
 */
int rust_helper_v4l2_subdev_init_finalize(struct v4l2_subdev *sd, struct lock_class_key *key)
{
	return __v4l2_subdev_init_finalize(sd, "subdev->state_lock", key);
}

/* Dynamic lockdep keys (no-ops without lockdep, hence helpers). */
void rust_helper_lockdep_register_key(struct lock_class_key *key)
{
	lockdep_register_key(key);
}

void rust_helper_lockdep_unregister_key(struct lock_class_key *key)
{
	lockdep_unregister_key(key);
}

/* One lockdep class for the ioctl locks of all video nodes of the module. */
void rust_helper_video_lock_init(struct mutex *lock)
{
	mutex_init(lock);
}

/* An inline no-op without CONFIG_DEBUG_MUTEXES (the bench kernel). */
void rust_helper_video_lock_destroy(struct mutex *lock)
{
	mutex_destroy(lock);
}

/* As above: the handler lock is also the subdev's state lock. */
int rust_helper_v4l2_ctrl_handler_init(struct v4l2_ctrl_handler *hdl, unsigned int hint,
				       struct lock_class_key *key)
{
	return v4l2_ctrl_handler_init_class(hdl, hint, key, "subdev->hdl->_lock");
}

/*
 * v4l2_ctrl_find() for a caller that holds the handler's lock (which
 * v4l2_ctrl_find() takes): the handler's own controls, by id.
 */
struct v4l2_ctrl *vimc_rs_v4l2_ctrl_find_locked(struct v4l2_ctrl_handler *hdl, u32 id)
{
	struct v4l2_ctrl *ctrl;

	lockdep_assert_held(hdl->lock);
	list_for_each_entry(ctrl, &hdl->ctrls, node)
		if (ctrl->id == id)
			return ctrl;
	return NULL;
}

int rust_helper_v4l2_subdev_s_stream(struct v4l2_subdev *sd, int enable)
{
	return v4l2_subdev_call(sd, video, s_stream, enable);
}

/* get_fmt through the core's wrapper, which locks the active state. */
int rust_helper_v4l2_subdev_get_active_fmt(struct v4l2_subdev *sd, struct v4l2_subdev_format *fmt)
{
	return v4l2_subdev_call(sd, pad, get_fmt, NULL, fmt);
}

struct v4l2_subdev_state *rust_helper_v4l2_subdev_lock_and_get_active_state(struct v4l2_subdev *sd)
{
	return v4l2_subdev_lock_and_get_active_state(sd);
}

void rust_helper_v4l2_subdev_unlock_state(struct v4l2_subdev_state *state)
{
	v4l2_subdev_unlock_state(state);
}

bool rust_helper_vb2_is_busy(struct vb2_queue *q)
{
	return vb2_is_busy(q);
}

unsigned long long rust_helper_ktime_get_ns(void)
{
	return ktime_get_ns();
}

unsigned long rust_helper_hz(void)
{
	return HZ;
}

struct task_struct *rust_helper_kthread_create(int (*fn)(void *), void *data, const char *name)
{
	return kthread_create(fn, data, "%s", name);
}

/* vimc_sensor_tpg_s_format(): the same calls in the same order (the
 * tpg_s_* setters are static inlines of tpg.h), but it says whether the
 * generator knows the fourcc, which C vimc does not ask. */
bool vimc_rs_tpg_s_format(struct tpg_data *tpg, unsigned int width, unsigned int height,
			      unsigned int field, unsigned int bytesperline, unsigned int fourcc,
			      unsigned int colorspace, unsigned int ycbcr_enc,
			      unsigned int quantization, unsigned int xfer_func)
{
	bool known;

	tpg_reset_source(tpg, width, height, field);
	tpg_s_bytesperline(tpg, 0, bytesperline);
	tpg_s_buf_height(tpg, height);
	known = tpg_s_fourcc(tpg, fourcc);
	tpg_s_field(tpg, field, false);
	tpg_s_colorspace(tpg, colorspace);
	tpg_s_ycbcr_enc(tpg, ycbcr_enc);
	tpg_s_quantization(tpg, quantization);
	tpg_s_xfer_func(tpg, xfer_func);
	return known;
}

/* Each setter is a no-op when the value does not change. */
void vimc_rs_tpg_s_controls(struct tpg_data *tpg, unsigned int pattern, bool hflip,
				bool vflip, unsigned char brightness, unsigned char contrast,
				short hue, unsigned char saturation)
{
	tpg_s_pattern(tpg, pattern);
	tpg_s_hflip(tpg, hflip);
	tpg_s_vflip(tpg, vflip);
	tpg_s_brightness(tpg, brightness);
	tpg_s_contrast(tpg, contrast);
	tpg_s_hue(tpg, hue);
	tpg_s_saturation(tpg, saturation);
}

static void failed_node_dev_release(struct device *dev)
{
	struct video_device *vdev = container_of(dev, struct video_device, dev);

	vdev->release(vdev);
}

/*
 * After __video_register_device() failed: if it got as far as
 * device_register(), that failure left the device's reference (and its
 * name) to the caller, which 6.12 never puts. Then the node is freed by
 * @free from the device's release, which may run later (kobject release is
 * delayed under DEBUG_KOBJECT_RELEASE), and this returns true; otherwise
 * the caller frees it now.
 */
bool vimc_rs_video_register_failed(struct video_device *vdev,
				       void (*free)(struct video_device *))
{
	if (!vdev->dev.kobj.name)
		return false;
	vdev->release = free;
	vdev->dev.release = failed_node_dev_release;
	put_device(&vdev->dev);
	return true;
}

/*
 * Takes a node's entity and interface off its media device now, as
 * media_device_unregister() does for a registered one. For a media device
 * that was never registered (a graph whose building failed) nothing else
 * does before the node's release, which an open file or a delayed kobject
 * release puts off, maybe past the next registration of the same media
 * device: that graph would then show the dead node. The release finds
 * graph_obj.mdev NULL and leaves both alone. The caller holds a reference
 * on the node, so its release cannot run meanwhile.
 */
static void detach_intf(struct media_intf_devnode *devnode)
{
	struct media_device *mdev;

	if (!devnode || !devnode->intf.graph_obj.mdev)
		return;
	mdev = devnode->intf.graph_obj.mdev;
	mutex_lock(&mdev->graph_mutex);
	__media_remove_intf_links(&devnode->intf);
	/* media_gobj_destroy(), which mc does not export. */
	mdev->topology_version++;
	list_del(&devnode->intf.graph_obj.list);
	devnode->intf.graph_obj.mdev = NULL;
	mutex_unlock(&mdev->graph_mutex);
}

/* The node's entity and interface out of the media device (detach_intf()). */
void vimc_rs_video_device_detach_media(struct video_device *vdev)
{
	media_device_unregister_entity(&vdev->entity);
	detach_intf(vdev->intf_devnode);
}

/*
 * The core's subdev_open() runs after v4l2_open() checked, without a lock,
 * that the node is registered; meanwhile the graph may be torn down (the
 * node unregistered, the entity taken out of the media device) and it then
 * follows sd->entity.graph_obj.mdev, NULL by then (C vimc oopses there).
 * Our subdev nodes open under subdev_node_lock, checking registration again,
 * and are unregistered under it: once vimc_rs_unregister_subdev_node()
 * returns, no open is past that check, and every later one gets -ENODEV.
 */
static DEFINE_MUTEX(subdev_node_lock);
static const struct v4l2_file_operations *core_subdev_fops;
static struct v4l2_file_operations subdev_node_fops;

static int subdev_node_open(struct file *file)
{
	struct video_device *vdev = video_devdata(file);
	int ret = -ENODEV;

	mutex_lock(&subdev_node_lock);
	if (video_is_registered(vdev))
		ret = core_subdev_fops->open(file);
	mutex_unlock(&subdev_node_lock);
	return ret;
}

void vimc_rs_unregister_subdev_node(struct video_device *vdev)
{
	mutex_lock(&subdev_node_lock);
	video_unregister_device(vdev);
	mutex_unlock(&subdev_node_lock);
}

/*
 * __v4l2_device_register_subdev_nodes() for one registered subdev, minus
 * two 6.12 bugs: it goes on when __video_register_device() could not add
 * the node to the media graph (returning 0) and dereferences the missing
 * interface; and its error path releases every node it made, so each of
 * those subdevs' release runs again at unregistration. Here a failure
 * unregisters only this node. @vdev is the caller's zeroed node memory,
 * which @release frees; @fops is the core's v4l2_subdev_fops, which videodev
 * does not export; @release must not touch sd->devnode (the caller clears it
 * when it unregisters the node, with vimc_rs_unregister_subdev_node()).
 * *@released says whether @release will run (at once or later); if not,
 * after a failure, the caller frees @vdev. The node's fops are @fops with
 * subdev_node_open().
 *
 * Unlike the core, the node is a child of the v4l2_device's device, not of
 * sd->dev: userspace finds a node's media device through the node's device
 * (libcamera's camera ids, v4l2-ctl's media info), and a subdev bound
 * through v4l2-async belongs to a device that has no media device.
 */
int vimc_rs_register_subdev_node(struct v4l2_subdev *sd, struct video_device *vdev,
				     const struct v4l2_file_operations *fops,
				     void (*release)(struct video_device *),
				     bool *released)
{
	struct media_link *link;
	int err;

	*released = false;

	mutex_lock(&subdev_node_lock);
	if (!core_subdev_fops) {
		subdev_node_fops = *fops;
		subdev_node_fops.open = subdev_node_open;
		core_subdev_fops = fops;
	}
	mutex_unlock(&subdev_node_lock);
	if (fops != core_subdev_fops)
		return -EINVAL;

	video_set_drvdata(vdev, sd);
	strscpy(vdev->name, sd->name, sizeof(vdev->name));
	vdev->dev_parent = sd->v4l2_dev->dev;
	vdev->v4l2_dev = sd->v4l2_dev;
	vdev->fops = &subdev_node_fops;
	vdev->release = release;
	vdev->ctrl_handler = sd->ctrl_handler;
	sd->devnode = vdev;
	err = __video_register_device(vdev, VFL_TYPE_SUBDEV, -1, 1, sd->owner);
	if (err < 0) {
		sd->devnode = NULL;
		*released = vimc_rs_video_register_failed(vdev, release);
		return err;
	}
	/* From here on, the node's release cleans up. */
	*released = true;
	sd->entity.info.dev.major = VIDEO_MAJOR;
	sd->entity.info.dev.minor = vdev->minor;
	if (!vdev->intf_devnode) {
		/* Registered but not in the graph: the core's release must not
		 * remove the interface it does not have (it skips M2M nodes). */
		vdev->vfl_dir = VFL_DIR_M2M;
		vimc_rs_unregister_subdev_node(vdev);
		sd->devnode = NULL;
		return -ENOMEM;
	}
	link = media_create_intf_link(&sd->entity, &vdev->intf_devnode->intf,
				      MEDIA_LNK_FL_ENABLED | MEDIA_LNK_FL_IMMUTABLE);
	if (!link) {
		/*
		 * Its interface off the graph while the node is still ours: an
		 * open file may put the node's release off until the graph's
		 * teardown, and the release's media_devnode_remove() would then
		 * unlink the interface while media_device_unregister() walks
		 * the list. It finds graph_obj.mdev NULL and only frees.
		 */
		detach_intf(vdev->intf_devnode);
		vimc_rs_unregister_subdev_node(vdev);
		sd->devnode = NULL;
		return -ENOMEM;
	}
	return 0;
}

/*
 * Under the media device's graph_mutex, which
 * vimc_rs_video_device_pipeline_start() reads *@complete under: a C mutex
 * inside a C struct, which the layer has no Rust guard for.
 */
void vimc_rs_media_set_complete(struct media_device *mdev, bool *complete, bool value)
{
	mutex_lock(&mdev->graph_mutex);
	WRITE_ONCE(*complete, value);
	mutex_unlock(&mdev->graph_mutex);
}

/*
 * video_device_pipeline_start() on @mdev, only while its graph is complete
 * (*@complete, written under graph_mutex by vimc_rs_media_set_complete()):
 * a node registers, and can stream, as its entity joins the graph, before
 * the links that follow it; media_create_pad_link() takes no graph_mutex and
 * puts each link on its entity's list before setting its ends, and
 * __media_pipeline_start() walks those lists. -ENOLINK until the graph is
 * complete; -ENODEV once the node's entity left the media device.
 *
 * Also without the core's WARN_ON: when the node's pad is already in
 * another node's started pipeline (two capture nodes in one connected
 * graph, the other streaming), __media_pipeline_start() warns and returns
 * -EINVAL. Userspace reaches that with two STREAMONs (C vimc too), and a
 * warning must not be one syscall away (panic_on_warn). Same error, checked
 * under the graph mutex the start takes.
 */
int vimc_rs_video_device_pipeline_start(struct video_device *vdev,
					    struct media_pipeline *pipe,
					    struct media_device *mdev,
					    const bool *complete)
{
	struct media_entity *entity = &vdev->entity;
	struct media_pad *pad;
	int ret;

	if (entity->num_pads != 1)
		return -ENODEV;
	pad = &entity->pads[0];
	mutex_lock(&mdev->graph_mutex);
	if (entity->graph_obj.mdev != mdev)
		ret = -ENODEV;
	else if (!READ_ONCE(*complete))
		ret = -ENOLINK;
	else if (pad->pipe && pad->pipe != pipe)
		ret = -EINVAL;
	else
		ret = __video_device_pipeline_start(vdev, pipe);
	mutex_unlock(&mdev->graph_mutex);
	return ret;
}

/*
 * Objects that this module's code frees (media/kcompat/releases.rs). A release may
 * run after the module's exit began; the exit waits for the count to reach
 * zero, then for every releaser to have left this module's text: after its
 * count-down a releaser still runs here (the rest of its release: the
 * object's kfree(), the returns through its callers), and on a preemptible
 * kernel it can be preempted there, for as long as the scheduler likes.
 * synchronize_rcu() waits for the RCU read section of the count-down only,
 * and for no preempted task; synchronize_rcu_tasks() waits until every task
 * has switched voluntarily (or been in user space or idle), which a task
 * preempted in our text has not, and none sleeps after its count-down.
 * Releases from interrupts (none sleep or are preempted) are covered by
 * synchronize_rcu(). Without CONFIG_TASKS_RCU (its header then makes it
 * synchronize_rcu()) a preemptible kernel keeps that window: a few
 * instructions after the count-down, and a preemption must land in them and
 * last past the exit's unmapping of the module. Distribution kernels with
 * preemption have TASKS_RCU (ftrace, kprobes and BPF need it); our debug
 * kernels do, the 7.3 bench kernel (PREEMPT_LAZY, no tracing) does not.
 */
static atomic_t module_objects = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(module_objects_wq);

void vimc_rs_module_object_new(void)
{
	atomic_inc(&module_objects);
}

void vimc_rs_module_object_gone(void)
{
	rcu_read_lock();
	if (atomic_dec_and_test(&module_objects))
		wake_up(&module_objects_wq);
	rcu_read_unlock();
}

void vimc_rs_module_objects_wait(void)
{
	while (!wait_event_timeout(module_objects_wq, !atomic_read(&module_objects), 10 * HZ))
		pr_warn("%s: waiting for the release of %d objects\n", KBUILD_MODNAME,
			atomic_read(&module_objects));
	synchronize_rcu();
	synchronize_rcu_tasks();
}
