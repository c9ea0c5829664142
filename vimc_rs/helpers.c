// SPDX-License-Identifier: GPL-2.0
#include <linux/moduleparam.h>
#include "../media/helpers.c"
#include "../media/helpers_video.c"

/* The module! macros of 6.12 and 7.x spell this key differently. */
MODULE_AUTHOR("vimc-rs developers");

/* The 6.12 Rust module! macro has no parameters: this one lives in C. */
static bool free_run;
module_param(free_run, bool, 0644);
MODULE_PARM_DESC(free_run, "Stream as fast as possible instead of at the sensor's frame rate (for benchmarks)");

bool vimc_rs_free_run(void)
{
	return READ_ONCE(free_run);
}
