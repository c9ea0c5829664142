// SPDX-License-Identifier: GPL-2.0
#include <linux/module.h>
#include "../media/helpers.c"

/* The module! macros of 6.12 and 7.x spell this key differently. */
MODULE_AUTHOR("vimc-rs developers");
