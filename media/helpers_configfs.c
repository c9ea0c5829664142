// SPDX-License-Identifier: GPL-2.0
/* configfs helpers for macros bindgen cannot bind. */
#include <linux/configfs.h>
#include "helpers.h"

/* The subsystem's group and mutex (mutex_init: one lock class, here). */
void vimc_rs_configfs_subsystem_init(struct configfs_subsystem *su, const char *name,
					 const struct config_item_type *type)
{
	config_group_init_type_name(&su->su_group, name, type);
	mutex_init(&su->su_mutex);
}
