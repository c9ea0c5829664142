#!/usr/bin/env bash
# Compares media/helpers.c's mirror of struct swnode (struct vimc_rs_swnode)
# with the kernel's own, private to drivers/base/swnode.c: prints "same",
# "differs", or "absent" (no kernel sources at hand). Comments and
# whitespace do not count. The Kbuild runs it.
#
#   scripts/check-swnode.sh KERNEL_SWNODE_C HELPERS_C
set -uo pipefail
[ -f "$1" ] || { echo absent; exit 0; }
body() { # FILE STRUCT: the struct's members, one token stream
	sed -n "/^struct $2 {/,/^};/p" "$1" | sed 's|/\*.*\*/||g' | sed 's/vimc_rs_swnode/swnode/g' | tr -s ' \t\n' ' '
}
k=$(body "$1" swnode) m=$(body "$2" vimc_rs_swnode)
if [ -n "$k" ] && [ "$k" = "$m" ]; then echo same; else echo differs; fi
