#!/bin/sh -e
# vimc_rs through v4l2-async (issue 6): load/unload cycles of vimc_rs with
# async_debugfs's three files read in a loop beside them. In each cycle a
# sensor unbinds and binds again while the graph is up, and the dumps must
# say exactly that at each step; after each unload the three files are
# empty (no subdev, notifier or stale entry left behind).
# timeout: 2400
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc
d=/sys/kernel/debug/async_debugfs
sdrv=/sys/bus/platform/drivers/vimc-sensor
modprobe async_debugfs

# expect BOUND DONE WAITING: the dumps hold BOUND bound vimc_rs sensors, one
# notifier owned by vimc's v4l2_device, DONE done and WAITING waiting
# connections, and nothing stale.
expect() {
	cat $d/subdevs $d/notifiers > /tmp/dump
	[ "$(grep -c '^subdev .* driver=vimc-sensor owner=vimc_rs .* bound=yes notifiers=[0-9a-f]' /tmp/dump)" = $1 ] &&
	[ "$(grep -c '^subdev ' /tmp/dump)" = $1 ] &&
	[ "$(grep -c '^notifier .* owner=v4l2_dev:vimc.x20vimc.0$' /tmp/dump)" = 1 ] &&
	[ "$(grep -c '^conn .* state=done subdev=' /tmp/dump)" = $2 ] &&
	[ "$(grep -c '^conn .* state=waiting subdev=none$' /tmp/dump)" = $3 ] &&
	[ -z "$(cat $d/stale)" ] || { cat /tmp/dump $d/stale; return 1; }
}

dumps_reader_start $d
# make check: six cycles, each sensor unbound twice; make stress: 100.
n=$(count 6 100 6)
i=0; r=7
while [ $i -lt $n ]; do
	modprobe vimc_rs || fail "load #$i"
	expect 3 3 0 || fail "after load #$i"
	r=$(( (r * 1103515245 + 12345) % 2147483648 ))
	# The first three unbind each sensor once, then at random.
	if [ $i -lt 3 ]; then s=vimc-sensor.$i; else s=vimc-sensor.$((r % 3)); fi
	echo $s > $sdrv/unbind || fail "unbind $s #$i"
	expect 2 2 1 || fail "after unbind $s #$i"
	[ -z "$(media_of vimc.0)" ] || fail "graph still there without $s #$i"
	echo $s > $sdrv/bind || fail "bind $s #$i"
	expect 3 3 0 || fail "after bind $s #$i"
	[ -n "$(media_of vimc.0)" ] || fail "no graph after bind $s #$i"
	modprobe -r vimc_rs || fail "unload #$i"
	[ -z "$(cat $d/subdevs $d/notifiers $d/stale)" ] || fail "left after unload #$i: $(cat $d/subdevs $d/notifiers $d/stale)"
	i=$((i + 1))
done
dumps_reader_stop || fail "the read loop failed or never read the dumps"
rmmod async_debugfs
echo "$i load/unload cycles with a sensor unbind/bind each, dumps as expected, lists empty after each unload"
