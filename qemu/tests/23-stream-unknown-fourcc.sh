#!/bin/sh -e
# A sensor format the test pattern generator does not know (the 10-bit
# A-law and DPCM 8-bit Bayer codes), streamed by a capture node linked
# straight to the sensor (a configfs graph: C vimc's links every sensor to
# a debayer or the scaler, which refuse these codes at STREAMON). The
# generator would keep the previous format's 3 bytes per pixel for a frame
# of 1: the stream start fails with EINVAL instead, and writes nothing.
# The device streams a known format afterwards.
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc
modprobe vimc_rs vimc_device=0
grep -q ' /sys/kernel/config ' /proc/mounts || mount -t configfs none /sys/kernel/config
d=/sys/kernel/config/vimc_rs/fourcc
mkdir $d $d/sensor:Cam $d/capture:Out $d/link:0 || fail "mkdir"
echo Cam:0 > $d/link:0/source && echo Out:0 > $d/link:0/sink &&
	echo enabled,immutable > $d/link:0/flags || fail "link"
echo 1 > $d/enabled || fail "enable"
m=$(media_of vimc_rs.1) && out=$(node Out) || fail "no media device or node"
for c in SBGGR10_ALAW8_1X8:aBA8 SRGGB10_DPCM8_1X8:bRA8; do
	code=${c%:*} pix=${c#*:}
	media-ctl -d "$m" -V "\"Cam\":0[fmt:$code/64x48]" || fail "$code: media-ctl"
	v4l2-ctl -d "$out" -v width=64,height=48,pixelformat=$pix || fail "$pix: set format"
	check "$code: the sensor keeps it" sh -c "media-ctl -d '$m' --get-v4l2 '\"Cam\":0' | grep -q '$code/64x48'"
	check "$pix: the node keeps it" sh -c "v4l2-ctl -d '$out' --get-fmt-video | grep -q \"'$pix'\""
	rm -f /tmp/f
	v4l2-ctl -d "$out" --stream-mmap --stream-count=1 --stream-to=/tmp/f > /tmp/s.out 2>&1 || true
	check "$code: STREAMON fails with EINVAL" grep -q 'VIDIOC_STREAMON returned -1 (Invalid argument)' /tmp/s.out
	check "$code: no frame" test ! -s /tmp/f
done
media-ctl -d "$m" -V '"Cam":0[fmt:SBGGR8_1X8/64x48]' || fail "SBGGR8: media-ctl"
v4l2-ctl -d "$out" -v width=64,height=48,pixelformat=BA81 || fail "BA81: set format"
rm -f /tmp/f
v4l2-ctl -d "$out" --stream-mmap --stream-count=2 --stream-to=/tmp/f > /tmp/s.out 2>&1 || true
check "a known Bayer format streams afterwards" test "$(wc -c < /tmp/f)" = $((2 * 64 * 48))
echo 0 > $d/enabled && configfs_remove $d || fail "remove the device"
modprobe -r vimc_rs
