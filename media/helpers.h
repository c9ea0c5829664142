/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The layer's C: rust_helper_NAME wraps the static inline function or macro
 * NAME that bindgen cannot bind, and does nothing else (as the kernel's
 * rust/helpers/ do). vimc_rs_NAME has logic of its own, kept in C because
 * it needs what Rust cannot reach (a private struct, a lock class per call
 * site, kasan_disable_current(), a static wait queue); each says why where
 * it is defined.
 */
#ifndef VIMC_RS_MEDIA_HELPERS_H
#define VIMC_RS_MEDIA_HELPERS_H

struct v4l2_device;
struct v4l2_subdev;
struct mutex;
struct v4l2_ctrl_handler;
struct fwnode_handle;
struct lock_class_key;
struct v4l2_subdev_state;
struct v4l2_subdev_format;
struct vb2_queue;
struct tpg_data;
struct task_struct;
struct video_device;
struct v4l2_file_operations;
struct configfs_subsystem;
struct config_item_type;

void rust_helper_v4l2_device_get(struct v4l2_device *v4l2_dev);
int rust_helper_v4l2_subdev_init_finalize(struct v4l2_subdev *sd, struct lock_class_key *key);
void rust_helper_video_lock_init(struct mutex *lock);
void rust_helper_lockdep_register_key(struct lock_class_key *key);
void rust_helper_lockdep_unregister_key(struct lock_class_key *key);
bool vimc_rs_video_register_failed(struct video_device *vdev,
				       void (*free)(struct video_device *));
int vimc_rs_register_subdev_node(struct v4l2_subdev *sd, struct video_device *vdev,
				     const struct v4l2_file_operations *fops,
				     void (*release)(struct video_device *),
				     bool *released);
void vimc_rs_unregister_subdev_node(struct video_device *vdev);
void vimc_rs_video_device_detach_media(struct video_device *vdev);
void rust_helper_video_lock_destroy(struct mutex *lock);
void vimc_rs_module_object_new(void);
void vimc_rs_module_object_gone(void);
void vimc_rs_module_objects_wait(void);
struct media_device;
struct media_pipeline;
void vimc_rs_media_set_complete(struct media_device *mdev, bool *complete, bool value);
int vimc_rs_video_device_pipeline_start(struct video_device *vdev,
					    struct media_pipeline *pipe,
					    struct media_device *mdev,
					    const bool *complete);
void vimc_rs_configfs_subsystem_init(struct configfs_subsystem *su, const char *name,
					 const struct config_item_type *type);
int rust_helper_v4l2_ctrl_handler_init(struct v4l2_ctrl_handler *hdl, unsigned int hint,
				      struct lock_class_key *key);
struct module;
unsigned long vimc_rs_module_symbol(struct module *self, const char *mod_name,
					const char *sym);
int vimc_rs_sprint_symbol(char *buf, unsigned long addr);
int vimc_rs_hashed_ptr(char *buf, unsigned long len, unsigned long p);
struct v4l2_ctrl *vimc_rs_v4l2_ctrl_find_locked(struct v4l2_ctrl_handler *hdl, u32 id);

int rust_helper_v4l2_subdev_s_stream(struct v4l2_subdev *sd, int enable);
int rust_helper_v4l2_subdev_get_active_fmt(struct v4l2_subdev *sd, struct v4l2_subdev_format *fmt);
struct v4l2_subdev_state *rust_helper_v4l2_subdev_lock_and_get_active_state(struct v4l2_subdev *sd);
void rust_helper_v4l2_subdev_unlock_state(struct v4l2_subdev_state *state);
bool rust_helper_vb2_is_busy(struct vb2_queue *q);
unsigned long long rust_helper_ktime_get_ns(void);
unsigned long rust_helper_hz(void);
void rust_helper_cond_resched(void);
struct task_struct *rust_helper_kthread_create(int (*fn)(void *), void *data, const char *name);

/* v4l2-tpg's inline setters, in the order C vimc uses them; false if the
 * generator does not know the fourcc. */
bool vimc_rs_tpg_s_format(struct tpg_data *tpg, unsigned int width, unsigned int height,
			      unsigned int field, unsigned int bytesperline, unsigned int fourcc,
			      unsigned int colorspace, unsigned int ycbcr_enc,
			      unsigned int quantization, unsigned int xfer_func);
void vimc_rs_tpg_s_controls(struct tpg_data *tpg, unsigned int pattern, bool hflip,
				bool vflip, unsigned char brightness, unsigned char contrast,
				short hue, unsigned char saturation);

/*
 * Where a firmware node of a kind known here keeps its name and parent, as
 * offsets in the node that embeds the fwnode_handle (helpers.c).
 */
struct vimc_rs_fwnode_layout {
	/* The fwnode_handle's offset in the node. */
	unsigned long fwnode;
	/* The name pointer's (a C string). */
	unsigned long name;
	/* The parent pointer's (to a node of the same kind, or NULL). */
	unsigned long parent;
	/* The name is a path: only its last component is the node's name. */
	bool basename;
};
bool rust_helper_virt_addr_valid(unsigned long addr);
bool vimc_rs_fwnode_layout(unsigned long ops, struct vimc_rs_fwnode_layout *l);
void rust_helper_fwnode_handle_put(struct fwnode_handle *fwnode);
long vimc_rs_read_nofault(void *dst, unsigned long src, unsigned long len);
long vimc_rs_read_str_nofault(char *dst, unsigned long src, long len);
bool vimc_rs_kasan_poisoned(unsigned long addr, unsigned long len);

#endif
