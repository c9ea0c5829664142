#!/bin/sh -e
# The hostile tests on graphs built in configfs (issue 16, item 4): C vimc's
# graph built in configfs and a small sensor -> capture device, beside the
# module's own vimc.0. Four vstress processes make random calls on random
# nodes of all three for 30 s (make stress: 60) while a fifth process flips `enabled` on the
# configfs devices, writes their attributes and adds entities (EBUSY while
# enabled, else accepted), and unbinds and binds vimc.0, all at random. No call may hang, nothing may crash or leak; afterwards every
# device streams from the formats its configfs attributes give. Last, the
# small device's directories are removed, the device directory too, while a
# process streams from it blocked in DQBUF: the call fails (with the
# removal, not after it: never before the rmdir began), the mappings stay readable, the nodes go. On the way: STREAMON on a capture
# whose pad is in another capture's started pipeline is EINVAL, and no
# kernel warning (the media core's WARN_ON, which C vimc reaches).
# timeout: 900
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc

CFG=/sys/kernel/config/vimc_rs
drv=/sys/bus/platform/drivers/vimc
modprobe vimc_rs
grep -q ' /sys/kernel/config ' /proc/mounts || mount -t configfs none /sys/kernel/config
trap configfs_clear EXIT
big=$CFG/big small=$CFG/small
configfs_c_vimc $big "H " || fail "C vimc's graph in configfs"
mkdir $small "$small/sensor:S Sensor" "$small/capture:S Capture" $small/link:a
echo "S Sensor:0" > $small/link:a/source; echo "S Capture:0" > $small/link:a/sink
echo enabled,immutable > $small/link:a/flags
# 64x48 Bayer from each sensor into its raw capture and, debayered, into
# the RGB capture: each graph streams as enabled.
for f in $big/*/width $small/*/width; do echo 64 > "$f"; done
for f in $big/*/height $small/*/height; do echo 48 > "$f"; done
for f in $big/sensor:*/code $small/sensor:*/code; do echo 0x3014 > "$f"; done
for c in "$big/capture:H Raw Capture 0" "$big/capture:H Raw Capture 1" "$small/capture:S Capture"; do
	echo RGGB > "$c/pixelformat"
done
echo 1 > $big/enabled && echo 1 > $small/enabled || fail "enable"

# busy CMD...: CMD fails as busy (the device is enabled).
busy() {
	! "$@" 2>/tmp/busy.err || fail "'$*' worked on an enabled device"
	grep -q "busy" /tmp/busy.err || { cat /tmp/busy.err; fail "'$*' failed other than busy"; }
}

secs=$(count 30 60 30) acts=0 pids= r=7
for k in 1 2 3 4; do
	vstress $secs $((k * 6947)) > /tmp/vs$k.out 2>&1 &
	pids="$pids $!"
done
end=$(( $(cut -d. -f1 /proc/uptime) + secs ))
while [ $(cut -d. -f1 /proc/uptime) -lt $end ]; do
	r=$(( (r * 1103515245 + 12345) % 2147483648 ))
	sleep 0.$((r % 5))
	case $((r / 8 % 5)) in
	0) echo vimc.0 > $drv/unbind && sleep 0.$((r / 64 % 3)) && echo vimc.0 > $drv/bind ||
		fail "unbind/bind vimc.0 #$acts" ;;
	1) echo 0 > $big/enabled && echo 1 > $big/enabled || fail "flip $big #$acts" ;;
	2) echo 0 > $small/enabled && echo 1 > $small/enabled || fail "flip $small #$acts" ;;
	3) busy sh -c "echo 32 > '$small/sensor:S Sensor/width'"
	   echo 0 > $small/enabled && echo 64 > "$small/sensor:S Sensor/width" &&
		echo 1 > $small/enabled || fail "write while disabled #$acts" ;;
	4) busy mkdir "$big/lens:H Extra"
	   busy sh -c "echo 0 > '$big/link:5/flags'" ;;
	esac
	acts=$((acts + 1))
done
vstress_done $pids
echo "$acts configfs writes and vimc.0 unbinds under 4 x vstress for $secs s"

# Fresh graphs (vstress changed formats and links): each streams from its
# configfs formats, no media-ctl -V.
echo 0 > $big/enabled; echo 1 > $big/enabled
echo 0 > $small/enabled; echo 1 > $small/enabled
for n in "H Raw Capture 0" "H Raw Capture 1" "H RGB/YUV Capture" "S Capture"; do
	rm -f /tmp/f
	v4l2-ctl -d "$(node "$n")" --stream-mmap --stream-count=3 --stream-to=/tmp/f > /tmp/f.out 2>&1
	bpp=1; [ "$n" = "H RGB/YUV Capture" ] && bpp=3
	[ "$(wc -c < /tmp/f)" = $((3 * 64 * 48 * bpp)) ] || fail "$n: no frames after the stress: $(cat /tmp/f.out)"
done
echo "every configfs capture streams after the stress"

# A capture whose pad is in another capture's started pipeline (RGB/YUV
# Capture is downstream of Sensor A, whose raw capture streams): STREAMON
# fails with EINVAL as in C vimc, but without the media core's WARN_ON,
# which the runner would report.
v4l2-ctl -d "$(node "H Raw Capture 0")" --stream-mmap --stream-count=100000 --stream-to=/dev/null \
	> /tmp/s0.out 2>&1 &
s0=$!
wait_for /tmp/s0.out '<' 60 || { kill $s0; cat /tmp/s0.out; fail "H Raw Capture 0 did not stream"; }
# (v4l2-ctl exits 0 after a failed STREAMON: its output tells.)
v4l2-ctl -d "$(node "H RGB/YUV Capture")" --stream-mmap --stream-count=1 --stream-to=/dev/null \
	> /tmp/s1.out 2>&1 || true
grep -q "VIDIOC_STREAMON returned -1 (Invalid argument)" /tmp/s1.out ||
	{ cat /tmp/s1.out; fail "STREAMON over a started pipeline: not EINVAL"; }
kill $s0; wait $s0 || true
echo "STREAMON on a node of a started pipeline: EINVAL"

# The small device's directory removed under a stream blocked in DQBUF.
n=$(node "S Capture")
rm -f /tmp/h /tmp/h.out; mkfifo /tmp/h
vhold dqbuf $n < /tmp/h > /tmp/h.out 2>&1 &
h=$!
exec 5>/tmp/h
wait_for /tmp/h.out '^(ready|BAD)' 60 || { cat /tmp/h.out; fail "vhold not ready"; }
grep -q '^ready' /tmp/h.out || { cat /tmp/h.out; fail "vhold could not start"; }
t0=$(cut -d' ' -f1 /proc/uptime)
# Enabled as it is: its entries go (the registered graph is a copy), then
# the directory, which unregisters the device as an unbind does.
configfs_remove $small || fail "rmdir $small while streaming"
t1=$(cut -d' ' -f1 /proc/uptime)
# Woken by the removal: not before it began, and no hang after it (30 s is
# a hang bound, not a speed test: under TCG, beside another guest, the
# waiter may wait its turn on the CPU for seconds).
wait_for /tmp/h.out '^read ' 30 || { cat /tmp/h.out; fail "vhold did not finish its checks"; }
awk -v t0=$t0 -v t1=$t1 '/^pending/ { sub(/^at /, "", $NF); print "woke " $NF - t0 " s after the removal began (it took " t1 - t0 " s)"; exit !($NF >= t0) }' \
	/tmp/h.out || { cat /tmp/h.out; fail "pending DQBUF failed before the rmdir"; }
grep -q '^pending dqbuf ret=-1 ' /tmp/h.out || { cat /tmp/h.out; fail "pending DQBUF did not fail"; }
echo close >&5; exec 5>&-
wait $h || true
grep -q '^OK' /tmp/h.out || { cat /tmp/h.out; fail "vhold: a check failed"; }
[ ! -e $n ] || fail "$n outlived its device directory"
echo 0 > $big/enabled
configfs_remove $big || fail "rmdir $big"
modprobe -r vimc_rs || { ls -R $CFG; fail "unload"; }
