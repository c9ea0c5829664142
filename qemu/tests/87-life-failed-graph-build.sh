#!/bin/sh -e
# A graph whose building fails after its media device registered: the
# V4L2 minors run out at its third subdev node (a configfs device of
# captures holds all but three), while one process opens every subdev node
# that appears and another streams from the device's capture as soon as
# its node appears. Each `enabled=1` must fail with ENFILE and leave no
# node, and nothing may oops: the teardown stops the streams and removes
# the nodes before the media device goes (a subdev node opened, or a
# stream stopped, after media_device_unregister() would follow the NULL
# media device of its entity). Then, with minors to spare, the same
# device enables and streams.
# timeout: 900
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc

CFG=/sys/kernel/config/vimc_rs
modprobe vimc_rs vimc_device=0
grep -q ' /sys/kernel/config ' /proc/mounts || mount -t configfs none /sys/kernel/config
trap 'kill $pids 2>/dev/null || true; configfs_clear' EXIT
pids=

# The victim: one capture (a video node, made as its entity joins), three
# sensors (subdev nodes, made after the media device registers).
v=$CFG/victim
mkdir $v "$v/capture:V Raw" "$v/sensor:V S1" "$v/sensor:V S2" "$v/sensor:V S3" $v/link:a
echo "V S1:0" > $v/link:a/source; echo "V Raw:0" > $v/link:a/sink
echo enabled,immutable > $v/link:a/flags

# Fillers: all V4L2 minors (VIDEO_NUM_DEVICES, 256) but three, in devices
# of at most 64 captures.
free=$((256 - $(ls /sys/class/video4linux | wc -l)))
n=$((free - 3)) d=0
while [ $n -gt 0 ]; do
	d=$((d + 1)); k=$((n < 64 ? n : 64)); n=$((n - k))
	mkdir $CFG/fill$d
	i=0; while [ $i -lt $k ]; do i=$((i + 1)); mkdir "$CFG/fill$d/capture:F$d-$i"; done
	echo 1 > $CFG/fill$d/enabled || fail "filler $d did not enable"
done
[ "$(ls /sys/class/video4linux | wc -l)" = 253 ] || fail "fillers hold $(ls /sys/class/video4linux | wc -l) minors, not 253"
tp ok "fillers hold 253 of 256 V4L2 minors"

# The racers. The victim's capture takes the lowest free video number;
# its subdev nodes are the only ones.
i=0; while [ -e /dev/video$i ]; do i=$((i + 1)); done
cap=/dev/video$i
# (set +e: a node may go between the test and the open.)
(set +e; while :; do
	for f in /dev/v4l-subdev*; do [ -c "$f" ] && true < "$f" 2>/dev/null; done
	sleep 0.01
done) &
pids="$pids $!"
(set +e; while :; do
	if [ -c $cap ]; then
		v4l2-ctl -d $cap --stream-mmap --stream-count=2 --stream-to=/dev/null > /dev/null 2>&1
	else
		sleep 0.01
	fi
done) &
pids="$pids $!"

tries=$(count 40 400 10) i=0 enfile=0
while [ $i -lt $tries ]; do
	i=$((i + 1))
	if out=$(echo 1 2>&1 > $v/enabled); then fail "try $i: enabled=1 succeeded with three minors for four nodes"; fi
	case "$out" in *"many open files"*|*"ENFILE"*) enfile=$((enfile + 1)) ;; *) echo "try $i: $out" ;; esac
	oopsed && fail "try $i: the kernel oopsed"
	[ "$(cat $v/enabled)" = 0 ] || fail "try $i: a failed enabled=1 left it enabled"
	[ -z "$(ls /dev/v4l-subdev* 2>/dev/null)" ] || { sleep 1; [ -z "$(ls /dev/v4l-subdev* 2>/dev/null)" ] || fail "try $i: subdev nodes left: $(ls /dev/v4l-subdev*)"; }
done
kill $pids 2>/dev/null || fail "a racer died early"
wait $pids 2>/dev/null || true; pids=
echo "$tries enabled=1 failed ($enfile with ENFILE) under an opener and a streamer"
[ $enfile = $tries ] || fail "expected ENFILE every time, got it $enfile of $tries times"
tp ok "each enabled=1 failed with ENFILE and left no node"

# Minors to spare: the same device enables and streams.
echo 0 > $CFG/fill1/enabled
echo 1 > $v/enabled || fail "victim did not enable with minors to spare"
v4l2-ctl -d "$(node "V Raw")" --stream-mmap --stream-count=3 --stream-to=/tmp/f > /tmp/f.out 2>&1 ||
	{ cat /tmp/f.out; fail "victim does not stream"; }
tp ok "the same device enables and streams with minors to spare"
