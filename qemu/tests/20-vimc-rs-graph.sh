#!/bin/sh -e
# media-ctl sees the media device as vimc, with the sensor entity, its pad,
# links and subdev node.
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc
modprobe vimc_rs
media-ctl -d "$(media_of vimc.0)" -p > /tmp/graph
cat /tmp/graph
for want in 'driver          vimc' 'model           VIMC MDEV' 'bus info        platform:vimc' \
	'- entity 1: Sensor A (1 pad, 2 links' 'type V4L2 subdev subtype Sensor' \
	'device node name /dev/v4l-subdev0' 'pad0: SOURCE' '-> "Raw Capture 0":0 [ENABLED,IMMUTABLE]'; do
	grep -qF -- "$want" /tmp/graph || fail "media-ctl -p lacks '$want'"
done
modprobe -r vimc_rs
