// SPDX-License-Identifier: GPL-2.0
#include "../media/helpers.c"
#include "../media/helpers_video.c"
#include "../media/helpers_configfs.c"
