#!/bin/sh -e
# Hostile values (issue 5, test 6): vhostile on every node of C vimc (or
# its record), then of vimc_rs: zero, huge and odd sizes, unknown pixel and bus codes, bad
# pad, buffer and entity indexes, bad selection rectangles, out-of-range
# controls, bad pointers, unknown ioctls. Every call gets a clean error or
# a valid adjusted value, and vimc_rs answers each case exactly as C vimc
# does (the outputs are diffed). Afterwards the device still streams.
# reference: recorded
# timeout: 900
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc
. /vimc-rs/tests/lib/compare.inc

scenario() { # DRIVER
	local f n kind
	modprobe $1
	: > /tmp/hostile.$1
	for f in /sys/bus/media/devices/* /sys/class/video4linux/*; do
		n=/dev/${f##*/}
		case $n in
		*media*) kind=media ;; *subdev*) kind=subdev ;; *) kind=video ;;
		esac
		echo "== $kind $(cat $f/name 2>/dev/null || echo media)" >> /tmp/hostile.$1
		vhostile $kind $n >> /tmp/hostile.$1 || { grep UNCLEAN /tmp/hostile.$1; fail "$n: unclean error"; }
	done
	echo "$1: $(grep -c ': ' /tmp/hostile.$1) hostile calls, $(grep -c 'errno=' /tmp/hostile.$1) refused"
	pipeline_fmt "Sensor A" SRGGB8_1X8 64 48 - 64x48 || fail "formats after the hostile calls"
	v4l2-ctl -d "$(node "RGB/YUV Capture")" --stream-mmap --stream-count=3 --stream-to=/tmp/f > /tmp/f.out 2>&1
	[ "$(wc -c < /tmp/f)" = $((3 * 64 * 48 * 3)) ] || fail "no frames after the hostile calls: $(cat /tmp/f.out)"
	modprobe -r $1
}
# C vimc's answers (or their record); then vimc_rs's run.
c_side() { LIFE_C=1; on_both scenario; LIFE_C=; cp /tmp/hostile.vimc $C/; }
no_c_vimc || reference c_side
reference_done
LIFE_RS=1; on_both scenario; LIFE_RS=
! grep ' code 0: ok -> .* code 0 ' /tmp/hostile.vimc_rs || fail "vimc_rs kept bus code 0"
if no_c_vimc; then
	echo "no C vimc in this boot: its answers are compared in make check"
	exit 0
fi
cp $C/hostile.vimc /tmp/hostile.vimc
# One deliberate difference: C vimc takes bus code 0 as valid and keeps it
# (its table lookup also matches the zero padding after single-code
# entries); vimc_rs replaces it like any unknown code.
grep -v ' code 0: ' /tmp/hostile.vimc > /tmp/h.c
grep -v ' code 0: ' /tmp/hostile.vimc_rs > /tmp/h.rs
diff /tmp/h.c /tmp/h.rs || fail "vimc_rs answers hostile calls unlike C vimc (diff above: < C, > vimc_rs)"
tp ok "$(grep -c ': ' /tmp/h.rs) hostile calls answered as C vimc answers them"
echo "vimc_rs answers $(grep -c ': ' /tmp/h.rs) cases as C vimc; $(grep -c ' code 0: ok -> .* code 0 ' /tmp/hostile.vimc) where C vimc keeps bus code 0 it replaces with the default"
