#!/bin/sh
# Builds a two-camera media device in vimc_rs's configfs tree, enables it,
# streams from both cameras at once and tears it all down.
#
#   examples/two-cameras.sh [FRAMES]      (root; needs v4l-utils)
#
# Each camera is a sensor, a debayer and an RGB capture node:
#
#   "Left Sensor"  -> "Left Debayer"  -> "Left Capture"
#   "Right Sensor" -> "Right Debayer" -> "Right Capture"
set -eu
FRAMES=${1:-10}
W=320 H=240
CFG=/sys/kernel/config/vimc_rs
DEV=$CFG/two-cameras

grep -q '^vimc_rs ' /proc/modules || modprobe vimc_rs
grep -q ' /sys/kernel/config ' /proc/mounts || mount -t configfs none /sys/kernel/config

# Tear down on the way out, whatever happened.
cleanup() {
	[ -d "$DEV" ] || return 0
	echo 0 > "$DEV/enabled"
	for d in "$DEV"/*/; do rmdir "$d"; done
	rmdir "$DEV"
}
trap cleanup EXIT

mkdir "$DEV"
for side in Left Right; do
	mkdir "$DEV/sensor:$side Sensor" "$DEV/debayer:$side Debayer" "$DEV/capture:$side Capture"
	mkdir "$DEV/link:$side-1" "$DEV/link:$side-2"
	echo "$side Sensor:0" > "$DEV/link:$side-1/source"
	echo "$side Debayer:0" > "$DEV/link:$side-1/sink"
	echo enabled,immutable > "$DEV/link:$side-1/flags"
	echo "$side Debayer:1" > "$DEV/link:$side-2/source"
	echo "$side Capture:0" > "$DEV/link:$side-2/sink"
	echo enabled,immutable > "$DEV/link:$side-2/flags"
	# Initial formats (C vimc's are 640x480): a Bayer sensor, and each
	# entity at the stream's size, so no media-ctl -V is needed.
	for e in "sensor:$side Sensor" "debayer:$side Debayer" "capture:$side Capture"; do
		echo $W > "$DEV/$e/width"
		echo $H > "$DEV/$e/height"
	done
	echo 0x3014 > "$DEV/sensor:$side Sensor/code"	# SRGGB8_1X8
done
echo 1 > "$DEV/enabled"

# Our media device, by its bus info (platform:vimc_rs.N).
media=
for m in /dev/media*; do
	if media-ctl -d "$m" -p | grep -q 'bus info.*platform:vimc_rs\.'; then
		media-ctl -d "$m" -p | grep -q '"Left Sensor"' && media=$m
	fi
done
[ -n "$media" ] || { echo "two-cameras: no media device" >&2; exit 1; }
echo "two-cameras: $media"

# The /dev node of the entity called $1.
node() {
	f=$(grep -lxF "$1" /sys/class/video4linux/*/name)
	f=${f%/name}
	echo "/dev/${f##*/}"
}

# Both cameras at once.
for side in Left Right; do
	v4l2-ctl -d "$(node "$side Capture")" --stream-mmap=4 --stream-count="$FRAMES" \
		--stream-to="/tmp/two-cameras-$side.rgb" 2>/dev/null &
	eval "pid_$side=\$!"
done
ok=0
for side in Left Right; do
	eval "wait \$pid_$side" || ok=1
	size=$(wc -c < "/tmp/two-cameras-$side.rgb")
	echo "two-cameras: $side: $((size / (W * H * 3))) frames of ${W}x$H RGB"
	rm -f "/tmp/two-cameras-$side.rgb"
done
exit $ok
