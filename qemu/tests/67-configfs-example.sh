#!/bin/sh -e
# The README's example, examples/two-cameras.sh, as a user runs it: it
# builds a two-camera device in configfs, streams from both cameras at once
# and removes it all (issue 16). vimc_device=0: the module makes no C vimc
# device of its own, only what configfs asks for.
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc

modprobe vimc_rs vimc_device=0
[ ! -e /sys/bus/platform/devices/vimc.0 ] || fail "vimc.0 made despite vimc_device=0"
[ -z "$(ls /dev/media* 2>/dev/null)" ] || fail "a media device before any configfs one"
/vimc-rs/examples/two-cameras.sh 5 > /tmp/example.out 2>&1 || { cat /tmp/example.out; fail "the example failed"; }
cat /tmp/example.out
for side in Left Right; do
	grep -qx "two-cameras: $side: 5 frames of 320x240 RGB" /tmp/example.out || fail "no 5 frames from $side"
done
[ -z "$(ls /sys/kernel/config/vimc_rs)" ] || fail "the example left directories: $(ls /sys/kernel/config/vimc_rs)"
modprobe -r vimc_rs || fail "unload"
