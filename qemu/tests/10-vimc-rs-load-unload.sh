# 50 load/unload cycles of vimc_rs: probe builds the graph, remove tears it
# down, and every object is freed by its release callback (kmemleak and
# KASAN check that after the scenario).
# timeout: 900
. /vimc-rs/tests/lib.inc
i=0
while [ $i -lt 50 ]; do
	modprobe vimc_rs || fail "modprobe #$i"
	[ -c /dev/media0 ] || fail "no /dev/media0 after load #$i"
	[ -c /dev/v4l-subdev0 ] || fail "no /dev/v4l-subdev0 after load #$i"
	[ -e /sys/bus/platform/drivers/vimc/vimc.0 ] || fail "platform device not bound #$i"
	modprobe -r vimc_rs || fail "modprobe -r #$i"
	[ ! -e /dev/media0 ] || fail "/dev/media0 left after unload #$i"
	[ ! -e /sys/bus/platform/devices/vimc.0 ] || fail "platform device left after unload #$i"
	i=$((i + 1))
done
echo "$i load/unload cycles"
