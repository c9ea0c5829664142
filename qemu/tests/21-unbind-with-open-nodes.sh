#!/bin/sh -e
# Unbind through sysfs while /dev/media0, /dev/v4l-subdev0 and /dev/video0
# are open:
# remove() only unregisters, calls on the open files fail cleanly, and the
# memory goes when the files close (KASAN and kmemleak watch). Then rebind.
# timeout: 600
. /vimc-rs/tests/lib/harness.inc
drv=/sys/bus/platform/drivers/vimc
modprobe vimc_rs
i=0
while [ $i -lt 10 ]; do
	rm -f /tmp/go; mkfifo /tmp/go
	nodecheck /dev/media0 /dev/v4l-subdev0 /dev/video0 < /tmp/go > /tmp/out &
	pid=$!
	exec 5>/tmp/go
	while ! grep -q ready /tmp/out 2>/dev/null; do sleep 0.1; done
	echo vimc.0 > $drv/unbind
	[ ! -e /dev/media0 ] || fail "/dev/media0 still there after unbind"
	echo go >&5; exec 5>&-
	wait $pid || fail "nodecheck failed: $(cat /tmp/out)"
	cat /tmp/out
	# What the media core documents: -EIO once the media devnode is
	# unregistered, -ENODEV once a video device is.
	grep -qx '/dev/media0 errno=5 (.*)' /tmp/out || fail "media ioctl after unbind did not fail with EIO"
	grep -qx '/dev/v4l-subdev0 errno=19 (.*)' /tmp/out || fail "subdev ioctl after unbind did not fail with ENODEV"
	grep -qx '/dev/video0 errno=19 (.*)' /tmp/out || fail "video ioctl after unbind did not fail with ENODEV"
	echo vimc.0 > $drv/bind
	[ -c /dev/media0 ] || fail "no /dev/media0 after rebind"
	media-ctl -d /dev/media0 -p | grep -q 'Sensor A' || fail "graph incomplete after rebind"
	i=$((i + 1))
done
modprobe -r vimc_rs
echo "$i unbind/bind cycles with open nodes"
