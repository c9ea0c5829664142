#!/bin/sh -e
# A graph whose building fails after its media device registered: the
# V4L2 minors run out at its third subdev node (a configfs device of
# captures holds all but three), while one process opens every subdev node
# that appears and another starts streams on the device's capture as soon
# as its node appears. Each `enabled=1` must fail with ENFILE and leave no
# node, and nothing may oops: the teardown removes the nodes before the
# media device goes (a subdev node opened after media_device_unregister()
# would follow the NULL media device of its entity). No stream may start:
# a capture node exists (and takes STREAMON) from the moment its entity
# joins the graph, before the links after it, which the core adds without
# a lock while a pipeline start walks them; a stream starts only once the
# graph is complete (ENOLINK before), and this one never is.
# Then, with minors to spare, the same device enables and streams, and
# flips enabled under the same racers: streams start once it is complete.
# timeout: 900
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc

CFG=/sys/kernel/config/vimc_rs
modprobe vimc_rs vimc_device=0
grep -q ' /sys/kernel/config ' /proc/mounts || mount -t configfs none /sys/kernel/config
trap 'kill $pids $streamer 2>/dev/null || true; configfs_clear' EXIT
pids= streamer=

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

# The racers. The victim's subdev nodes are the only ones.
# (set +e: a node may go between the test and the open.)
(set +e; while :; do
	for f in /dev/v4l-subdev*; do [ -c "$f" ] && true < "$f" 2>/dev/null; done
	sleep 0.01
done) &
pids="$pids $!"
rm -f /tmp/stop
vstreamon "V Raw" 3600 /tmp/stop > /tmp/streamon.out &
streamer=$!

# More tries than the count until a STREAMON has met a graph being built
# (ENOLINK; an ENODEV met a node already gone, which proves nothing), up to
# five times the count.
tries=$(count 20 400 10) i=0 enfile=0
while [ $i -lt $tries ] || { ! grep -q '^ENOLINK ' /tmp/streamon.out && [ $i -lt $((tries * 5)) ]; }; do
	i=$((i + 1))
	if out=$(echo 1 2>&1 > $v/enabled); then fail "try $i: enabled=1 succeeded with three minors for four nodes"; fi
	case "$out" in *"many open files"*|*"ENFILE"*) enfile=$((enfile + 1)) ;; *) echo "try $i: $out" ;; esac
	oopsed && fail "try $i: the kernel oopsed"
	[ "$(cat $v/enabled)" = 0 ] || fail "try $i: a failed enabled=1 left it enabled"
	[ -z "$(ls /dev/v4l-subdev* 2>/dev/null)" ] || { sleep 1; [ -z "$(ls /dev/v4l-subdev* 2>/dev/null)" ] || fail "try $i: subdev nodes left: $(ls /dev/v4l-subdev*)"; }
done
touch /tmp/stop
wait $streamer || fail "vstreamon failed (status $?: 1 is a kernel-internal error code in userspace)"
streamer=
kill $pids 2>/dev/null || fail "a racer died early"
wait $pids 2>/dev/null || true; pids=
echo "$i enabled=1 failed ($enfile with ENFILE) under an opener and a streamer"
[ $enfile = $i ] || fail "expected ENFILE every time, got it $enfile of $i times"
tp ok "each enabled=1 failed with ENFILE and left no node"
outcomes() { echo "STREAMON outcomes: $(cut -d' ' -f1 /tmp/streamon.out | grep -v '^done$' | sort | uniq -c | tr -s ' \n' ' ')"; }
outcomes
n=$(grep -c '^ENOLINK ' /tmp/streamon.out || true)
[ "$n" -gt 0 ] || fail "no STREAMON met a graph being built ($i tries)"
! grep -q '^ok ' /tmp/streamon.out || fail "a stream started on a graph that was never complete"
bad=$(grep -vE '^(ENOLINK|ENODEV) |^done$' /tmp/streamon.out || true)
[ -z "$bad" ] || fail "STREAMON failed other than with ENOLINK or ENODEV: $bad"
tp ok "no stream started on the incomplete graph: $n STREAMONs met it (ENOLINK)"

# Minors to spare: the same device enables and streams.
echo 0 > $CFG/fill1/enabled
echo 1 > $v/enabled || fail "victim did not enable with minors to spare"
v4l2-ctl -d "$(node "V Raw")" --stream-mmap --stream-count=3 --stream-to=/tmp/f > /tmp/f.out 2>&1 ||
	{ cat /tmp/f.out; fail "victim does not stream"; }
tp ok "the same device enables and streams with minors to spare"

# Flips: each enable builds the graph while a streamer tries, each disable
# tears it down under a stream. Each complete graph streams; every STREAMON
# before fails cleanly.
echo 0 > $v/enabled
rm -f /tmp/stop
vstreamon "V Raw" 3600 /tmp/stop > /tmp/streamon.out &
streamer=$!
flips=$(count 10 200 5) i=0
while [ $i -lt $flips ]; do
	i=$((i + 1))
	echo 1 > $v/enabled || fail "flip $i: enabled=1 failed"
	# A stream on this graph: one whose STREAMON began once it was complete
	# (the previous graph was gone by then). 60 s bounds a hang; it is no
	# speed test: beside other guests the streamer can wait seconds for a
	# CPU (10 s was too short once).
	t0=$(uptime_s)
	until awk -v t0=$t0 '$1 == "ok" && $2 > t0 { f = 1 } END { exit !f }' /tmp/streamon.out; do
		awk -v t0=$t0 -v t=$(uptime_s) 'BEGIN { exit !(t - t0 < 60) }' ||
			fail "flip $i: no stream started within 60 s of enabled=1"
		sleep 0.1
	done
	echo 0 > $v/enabled || fail "flip $i: enabled=0 failed"
	oopsed && fail "flip $i: the kernel oopsed"
done
touch /tmp/stop
wait $streamer || fail "vstreamon failed (status $?: 1 is a kernel-internal error code in userspace)"
streamer=
outcomes
bad=$(grep -vE '^(ok|ENOLINK|ENODEV) |^done$' /tmp/streamon.out || true)
[ -z "$bad" ] || fail "STREAMON failed other than with ENOLINK or ENODEV: $bad"
tp ok "$flips enable/disable flips under a streamer: each graph streamed once complete, every other STREAMON failed with ENOLINK or ENODEV"
