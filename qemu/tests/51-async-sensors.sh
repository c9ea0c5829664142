#!/bin/sh -e
# vimc_rs through v4l2-async (issue 6): the sensors are devices of their
# own (vimc-sensor.N, with software nodes), bound to the vimc device's
# notifier. The dumps list exactly the expected subdevs and connections
# before, during and after a sensor unbinds and binds again; the graph
# comes back the same but for ids; a stream through an unbinding sensor
# stops cleanly; 100 sensor unbind/bind cycles with the dumps read in a
# loop beside them leave nothing behind.
# timeout: 1200
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc
d=/sys/kernel/debug/async_debugfs
sdrv=/sys/bus/platform/drivers/vimc-sensor
modprobe async_debugfs
modprobe vimc_rs
# Ids and node numbers aside (continuation lines are indented to the id's
# width; a minor is free again only at its release, so a rebind may get
# other numbers, as under DEBUG_KOBJECT_RELEASE).
graph() {
	media-ctl -d "$(media_of vimc.0)" -p |
		sed 's/entity [0-9]*:/entity:/; s/^  */  /; s#\(device node name /dev/.*[^0-9]\)[0-9]*$#\1N#'
}

cat $d/subdevs $d/notifiers
for n in "Sensor A" "Sensor B" "RGB/YUV Input"; do
	e=$(echo "$n" | sed 's/ /\\\\x20/g')
	grep -q "^subdev name=$e .* driver=vimc-sensor owner=vimc_rs .* bound=yes notifiers=[0-9a-f]" $d/subdevs ||
		fail "$n not listed as bound"
done
[ "$(grep -c '^conn .* state=done' $d/notifiers)" = 3 ] || fail "expected 3 done connections"
# Addresses only in the kernel's hashed form, which still ties a subdev to
# its notifier: the one notifier's id is the one every sensor names.
! grep -Eq '0x[0-9a-f]|ffff[0-9a-f]{12}' $d/subdevs $d/notifiers || fail "a raw kernel address in the dumps"
n=$(sed -En "s/^notifier n=($HASHED) owner=v4l2_dev:vimc.*/\1/p" $d/notifiers | grep -E "^$HASHED\$") ||
	fail "no hashed id for vimc's notifier"
[ "$(grep -c " notifiers=$n\$" $d/subdevs)" = 3 ] || fail "the sensors do not name notifier $n"
graph > /tmp/g0 || fail "no graph after load"
grep -c '^- entity' /tmp/g0 | grep -qx 11 || fail "graph has not 11 entities"

echo vimc-sensor.0 > $sdrv/unbind
cat $d/subdevs $d/notifiers
[ -z "$(media_of vimc.0)" ] || fail "graph still there without Sensor A"
[ "$(grep -c '^conn .* state=waiting' $d/notifiers)" = 1 ] || fail "expected 1 waiting connection"
grep -q '^subdev name=Sensor\\x20A ' $d/subdevs && fail "Sensor A still listed after its unbind"
[ "$(grep -c '^subdev .* bound=yes' $d/subdevs)" = 2 ] || fail "expected 2 bound sensors"

echo vimc-sensor.0 > $sdrv/bind
graph > /tmp/g1 || fail "no graph after rebind"
diff -u /tmp/g0 /tmp/g1 || fail "graph differs after rebind (ids aside)"
[ "$(grep -c '^conn .* state=done' $d/notifiers)" = 3 ] || fail "expected 3 done connections again"

# A stream through Sensor A while it goes.
pipeline_fmt "Sensor A" SRGGB8_1X8 64 48 - 64x48 || fail "formats"
n=$(node "Raw Capture 0"); rm -f /tmp/s.out
v4l2-ctl -d "$n" --stream-mmap --stream-count=100000 --stream-to=/dev/null > /tmp/s.out 2>&1 &
sp=$!
wait_for /tmp/s.out '<' 60 || { kill $sp; fail "stream did not start: $(cat /tmp/s.out)"; }
echo vimc-sensor.0 > $sdrv/unbind
i=0; while kill -0 $sp 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 $sp 2>/dev/null && { kill $sp; fail "stream still running 10 s after its sensor went"; }
wait $sp || true
# It ended because a buffer call failed: a pending DQBUF wakes with vb2's
# EINVAL (streaming stopped), a new one gets ENODEV (node unregistered), and
# an unbind between a DQBUF and the QBUF that follows fails the QBUF
# (v4l2-ctl: "qbuf error").
grep -Eq 'VIDIOC_DQBUF: failed: (Invalid argument|No such device)|qbuf error' /tmp/s.out ||
	fail "the stream ended without a failed DQBUF or QBUF: $(tail -c 200 /tmp/s.out)"
echo vimc-sensor.0 > $sdrv/bind

dumps_reader_start $d
i=0; r=1
while [ $i -lt 100 ]; do
	r=$(( (r * 1103515245 + 12345) % 2147483648 ))
	s=vimc-sensor.$((r % 3))
	echo $s > $sdrv/unbind || fail "unbind $s #$i"
	echo $s > $sdrv/bind || fail "bind $s #$i"
	i=$((i + 1))
done
dumps_reader_stop || fail "the read loop failed or never read the dumps"
graph > /tmp/g2 || fail "no graph after the cycles"
diff -u /tmp/g0 /tmp/g2 || fail "graph differs after the cycles"
modprobe -r vimc_rs
[ -z "$(cat $d/subdevs $d/notifiers $d/stale)" ] || fail "left after unload: $(cat $d/subdevs $d/notifiers)"
rmmod async_debugfs
echo "$i sensor unbind/bind cycles, lists empty after unload"
