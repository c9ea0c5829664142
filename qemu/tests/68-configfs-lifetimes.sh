#!/bin/sh -e
# Lifetimes on graphs built in configfs (issue 16): `enabled=0` while a
# capture streams (buffers mmapped, DQBUF waiting between frames) and a
# subdev node is held open; `enabled` flipping while streams start;
# create/enable/stream/disable/remove cycles; and failslab through
# `enabled=1` (the k-th slab allocation of the write fails, k = 1, 1 +
# step, ... until a write no longer reaches k): each failed write returns
# an error and leaves no node behind, each that succeeds anyway works; and
# failslab through mkdir of a long-named entity (qemu/tools/failnth). The
# runner fails the scenario on any kernel report or kmemleak finding.
# timeout: 1800
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc

CFG=/sys/kernel/config/vimc_rs
modprobe vimc_rs vimc_device=0
grep -q ' /sys/kernel/config ' /proc/mounts || mount -t configfs none /sys/kernel/config
trap configfs_clear EXIT
dev=$CFG/life

# make_device: sensor -> debayer -> capture, and the sensor's raw capture.
make_device() {
	mkdir $dev "$dev/sensor:Life Sensor" "$dev/debayer:Life Debayer" \
		"$dev/capture:Life Raw" "$dev/capture:Life RGB" $dev/link:a $dev/link:b $dev/link:c
	echo "Life Sensor:0" > $dev/link:a/source; echo "Life Raw:0" > $dev/link:a/sink
	echo "Life Sensor:0" > $dev/link:b/source; echo "Life Debayer:0" > $dev/link:b/sink
	echo "Life Debayer:1" > $dev/link:c/source; echo "Life RGB:0" > $dev/link:c/sink
	for l in a b c; do echo enabled,immutable > $dev/link:$l/flags; done
}
# nodes: how many media, video and subdev nodes exist.
nodes() {
	ls /dev/media* /dev/video* /dev/v4l-subdev* 2>/dev/null | wc -l
}
# stream_setup: formats for a stream from Life Raw (64x48; the RGB capture
# too, since a stream validates every enabled link of the graph).
stream_setup() {
	media-ctl -d "$(ls /dev/media* | head -1)" \
		-V '"Life Sensor":0[fmt:SRGGB8_1X8/64x48], "Life Debayer":0[fmt:SRGGB8_1X8/64x48]' &&
	v4l2-ctl -d "$(node "Life Raw")" -v width=64,height=48,pixelformat=RGGB &&
	v4l2-ctl -d "$(node "Life RGB")" -v width=64,height=48,pixelformat=RGB3
}

make_device
[ "$(nodes)" = 0 ] || fail "nodes before enabling"

# 1. failslab through enabled=1 (sleeping allocations included, quietly).
fs=/sys/kernel/debug/failslab
echo N > $fs/ignore-gfp-wait
echo 0 > $fs/verbose
k=1 step=$(count 8 1 8) failed=0 tolerated=0
while [ $k -lt 20000 ]; do
	out=$(sh -c "exec 3<>/proc/self/fail-nth; echo $k >&3
		if echo 1 > $dev/enabled; then r=ok; else r=failed; fi
		read left <&3; echo 0 >&3; echo \$r \${left:-0}" 2>/dev/null) || out="failed 0"
	oopsed && fail "k=$k: the kernel oopsed"
	r=${out%% *} left=${out#* }
	if [ $r = failed ]; then
		failed=$((failed + 1))
		[ "$(cat $dev/enabled)" = 0 ] || fail "k=$k: a failed enabled=1 left it enabled"
		[ "$(nodes)" = 0 ] || { ls /dev; fail "k=$k: a failed enabled=1 left nodes"; }
	else
		[ "$(cat $dev/enabled)" = 1 ] && [ "$(nodes)" != 0 ] || fail "k=$k: enabled=1 succeeded without nodes"
		echo 0 > $dev/enabled
		[ "$(nodes)" = 0 ] || fail "k=$k: enabled=0 left nodes"
		# The k-th allocation never came: this write needs fewer.
		[ "$left" != 0 ] && break
		tolerated=$((tolerated + 1))
	fi
	k=$((k + step))
done
echo Y > $fs/ignore-gfp-wait
[ $failed -gt 0 ] || fail "no allocation failure reached enabled=1"
echo "failslab: $failed failed enabled=1 writes, $tolerated that survived their failed allocation (k up to $k), each clean"

# 2. enabled=0 while streaming, with a subdev node open.
echo 1 > $dev/enabled
stream_setup || fail "formats"
exec 3< "$(node "Life Sensor")"
rm -f /tmp/s.out
v4l2-ctl -d "$(node "Life Raw")" --stream-mmap=4 --stream-count=100000 --stream-to=/dev/null > /tmp/s.out 2>&1 &
s=$!
wait_for /tmp/s.out '<' 60 || { kill $s; cat /tmp/s.out; fail "the stream did not start"; }
echo 0 > $dev/enabled
gone_within 20 $s || fail "the stream outlived enabled=0"
wait $s || true
# Ended by a failed DQBUF or QBUF, as on an unbind (81), not otherwise.
grep -Eq 'VIDIOC_DQBUF: failed: (Invalid argument|No such device)|qbuf error' /tmp/s.out ||
	fail "the stream ended without a failed DQBUF or QBUF: $(tail -c 200 /tmp/s.out)"
exec 3<&-
[ "$(nodes)" = 0 ] || fail "nodes after enabled=0"
echo "enabled=0 while streaming: the stream ended on a failed DQBUF/QBUF, nothing left"

# 3. enabled flipping while streams start.
( i=0; while [ $i -lt $(count 6 100) ]; do
	echo 1 > $dev/enabled 2>/dev/null; sleep 0.2; echo 0 > $dev/enabled 2>/dev/null; i=$((i + 1)); done ) &
f=$!
while kill -0 $f 2>/dev/null; do
	{ stream_setup && v4l2-ctl -d "$(node "Life Raw")" --stream-mmap=2 --stream-count=2 --stream-to=/dev/null; } \
		> /dev/null 2>&1 || true
done
wait $f
echo 0 > $dev/enabled
[ "$(nodes)" = 0 ] || fail "nodes after the flips"
echo "enabled flipped $(count 6 100) times under stream starts"

# 4. Whole cycles.
n=$(count 3 100) i=0
configfs_remove $dev || fail "rmdir $dev"
while [ $i -lt $n ]; do
	make_device
	echo 1 > $dev/enabled
	stream_setup || fail "cycle $i: formats"
	v4l2-ctl -d "$(node "Life Raw")" --stream-mmap=2 --stream-count=2 --stream-to=/dev/null ||
		fail "cycle $i: stream"
	echo 0 > $dev/enabled
	configfs_remove $dev || fail "cycle $i: rmdir"
	i=$((i + 1))
done
echo "$n create/enable/stream/disable/remove cycles"
tp ok "create/enable/stream/disable/remove cycles"

# 5. failslab through mkdir of an entity whose directory name takes 20
# bytes or more, which configfs allocates (7.x's Group::new ignored that
# allocation's failure: a NULL name, and rmdir then read it). Each mkdir
# either fails and leaves nothing (no directory, no entity in the graph
# enabled later) or works and its rmdir too.
make_device
long="sensor:Life Long-named Sensor"
echo N > $fs/ignore-gfp-wait
k=1 failed=0
while [ $k -lt 2000 ]; do
	# failnth (qemu/tools): the mkdir call itself, in the task whose
	# allocations fail; a shell would run mkdir in a child.
	set -- $(failnth $k mkdir "$dev/$long")
	oopsed && fail "mkdir k=$k: the kernel oopsed"
	if [ "$1" = failed ]; then
		failed=$((failed + 1))
		[ ! -e "$dev/$long" ] || fail "mkdir k=$k: failed ($2), but the directory is there"
		[ "$3" = 0 ] || fail "mkdir k=$k: failed ($2) without reaching its k-th allocation"
	else
		[ "$1" = ok ] || fail "mkdir k=$k: failnth said '$*'"
		rmdir "$dev/$long" || fail "mkdir k=$k: rmdir after it"
		[ "$2" != 0 ] && break
	fi
	k=$((k + 1))
done
echo Y > $fs/ignore-gfp-wait
[ $failed -gt 0 ] || fail "no allocation failure reached mkdir"
echo 1 > $dev/enabled
# Refused while enabled (EBUSY), its allocated name freed (kmemleak).
expect_fail mkdir "$dev/$long"
media-ctl -d "$(ls /dev/media* | head -1)" -p | grep '^- entity' > /tmp/ents
grep -q 'Long-named' /tmp/ents && fail "a failed mkdir left its entity in the graph: $(cat /tmp/ents)"
[ "$(wc -l < /tmp/ents)" = 4 ] || fail "not the device's 4 entities: $(cat /tmp/ents)"
echo 0 > $dev/enabled
configfs_remove $dev || fail "rmdir $dev"
tp ok "mkdir of a long name under failslab: $failed failed cleanly, up to k=$k"
modprobe -r vimc_rs || fail "unload"
