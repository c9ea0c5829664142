#!/bin/sh -e
# Parity with C vimc of the subdev API: media-ctl -p with formats and
# crops, mbus code and frame size enumeration on every pad, get/try/set of
# formats and selections with valid, clamped and invalid values, on the
# active state and on a file handle's try state; v4l2-ctl --all and the
# controls and menus of every subdev, and control writes in and out of
# range; and, while a pipeline streams, the EBUSY of active format and
# selection changes on its entities. Any difference fails; each subdev
# node's parent device is checked too (vimc_rs's sensors are devices of
# their own, bound through v4l2-async, but their nodes are vimc.0's).
# needs: c-vimc
# reference: recorded
# kernel: bench
# timeout: 900
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc
. /vimc-rs/tests/lib/compare.inc
SETS='"Sensor A":0[fmt:SBGGR10_1X10/641x33]
"Sensor B":0[fmt:YUYV8_2X8/99999x1 field:alternate colorspace:raw]
"Debayer A":0[fmt:SGRBG12_1X12/320x240]
"Debayer A":1[fmt:BGR888_1X24/100x100]
"Debayer B":0[fmt:SBGGR10_ALAW8_1X8/17x17 field:any colorspace:srgb]
"Scaler":0[fmt:ARGB8888_1X32/1000x700 crop:(13,7)/301x203]
"Scaler":0[crop:(-5,9999)/3x3]
"Scaler":1[fmt:BGR888_1X24/33x17]
"Scaler":0[fmt:SRGGB8_1X8/640x480]
"RGB/YUV Input":0[fmt:RGB888_1X24/4096x2160]'
dump() { # $1: output file
	rm -f "$1.parents"
	{
	media-ctl -d "$(media_of vimc.0)" -p
	n=0
	while [ -c /dev/v4l-subdev$n ]; do
		d=/dev/v4l-subdev$n
		echo "== $d"
		v4l2-ctl -d $d --all 2>&1
		echo "$(cat /sys/class/video4linux/${d#/dev/}/name):$(basename "$(readlink -f /sys/class/video4linux/${d#/dev/}/device)")" >> "$1.parents"
		v4l2-ctl -d $d --list-ctrls-menus 2>&1
		# Control writes, on the controls this subdev has.
		v4l2-ctl -d $d --list-ctrls > /tmp/ctrls 2>&1
		for c in brightness=300 brightness=-1 hue=-128 test_pattern=21 test_pattern=22 show_information=2 \
			horizontal_flip=1 debayer_mean_window_size=4 debayer_mean_window_size=25 focus_absolute=1024 \
			focus_absolute=7 vimc_controls=1 vertical_blanking=65536 vertical_blanking=3 vertical_blanking=100 \
			pixel_rate=1 horizontal_blanking=1; do
			grep -q "^ *${c%%=*} " /tmp/ctrls || continue
			echo "-- set $c"; v4l2-ctl -d $d --set-ctrl $c 2>&1 || echo "rc=$?"
		done
		v4l2-ctl -d $d --list-ctrls 2>&1
		# Pad 2 exists on no entity: every call on it must fail alike.
		v4l2-ctl -d $d --get-subdev-fmt 2 2>&1 || echo "rc=$?"
		v4l2-ctl -d $d --list-subdev-mbus-codes 2 2>&1 || echo "rc=$?"
		for pad in 0 1; do
			echo "== $d pad $pad"
			v4l2-ctl -d $d --list-subdev-mbus-codes $pad > /tmp/codes 2>&1 || echo "rc=$?"
			cat /tmp/codes
			# Frame sizes of the first, second and last code, and of a bad one.
			codes=$(sed -n 's/^\s*\(0x[0-9a-f]*\):.*/\1/p' /tmp/codes)
			for code in $(echo $codes | cut -d' ' -f1,2) $(echo $codes | awk '{print $NF}') 0xdead; do
				v4l2-ctl -d $d --list-subdev-framesizes pad=$pad,code=$code 2>&1 || echo "rc=$?"
			done
			v4l2-ctl -d $d --get-subdev-fmt $pad 2>&1 || echo "rc=$?"
			for t in crop crop_bounds compose; do
				v4l2-ctl -d $d --get-subdev-selection pad=$pad,target=$t 2>&1 || echo "rc=$?"
			done
			# Try calls on one subdev of each type: Sensor A, Debayer A,
			# Scaler, Lens A (same code for the others).
			case $n in 0|2|5|6) ;; *) continue ;; esac
			for spec in width=1,height=1,code=0x3001 width=99999,height=3,code=0x100d \
				width=333,height=201,code=0xdead,field=7 width=64,height=48,code=0x300f,colorspace=99; do
				echo "-- try $spec"; v4l2-ctl -d $d --try-subdev-fmt pad=$pad,$spec 2>&1 || echo "rc=$?"
			done
			for sel in left=3,top=5,width=101,height=77 left=-9,top=-9,width=1,height=1 \
				left=100000,top=100000,width=100000,height=100000; do
				echo "-- try sel $sel"
				v4l2-ctl -d $d --try-subdev-selection pad=$pad,target=crop,$sel 2>&1 || echo "rc=$?"
			done
		done
		n=$((n + 1))
	done
	echo "$SETS" | while IFS= read -r set; do
		echo "== media-ctl -V '$set'"
		media-ctl -d "$(media_of vimc.0)" -V "$set" 2>&1 || echo "rc=$?"
		media-ctl -d "$(media_of vimc.0)" -p | grep -E '^- entity|\[(stream:[0-9]+ )?fmt:|crop'
	done
	} > "$1" 2>&1
}
# While RGB/YUV Capture streams (Sensor A, Debayer A, Scaler and the
# capture), active format and selection changes on those get EBUSY and try
# ones still work; Sensor B, off the pipeline, takes its change.
busy() { # $1: output file
	local cap sp
	cap=$(node "RGB/YUV Capture")
	pipeline_fmt "Sensor A" SRGGB8_1X8 640 480 - 640x480 > /dev/null || fail "formats not set"
	v4l2-ctl -d $cap --stream-mmap --stream-count=100000 --stream-to=/dev/null > /tmp/busy.out 2>&1 &
	sp=$!
	wait_for /tmp/busy.out '<' 60 || { kill $sp 2>/dev/null; fail "stream did not start: $(cat /tmp/busy.out)"; }
	{
	for e in "Sensor A" "Debayer A" "Scaler" "Sensor B"; do
		d=$(node "$e")
		echo "== $e"
		v4l2-ctl -d $d --set-subdev-fmt pad=0,width=320,height=240 2>&1 || echo "rc=$?"
		v4l2-ctl -d $d --try-subdev-fmt pad=0,width=320,height=240 2>&1 || echo "rc=$?"
		v4l2-ctl -d $d --set-subdev-selection pad=0,target=crop,left=0,top=0,width=160,height=120 2>&1 || echo "rc=$?"
		v4l2-ctl -d $d --get-subdev-fmt 0 2>&1 | grep 'Width/Height'
	done
	echo "== RGB/YUV Capture"
	v4l2-ctl -d $cap -v width=320,height=240 2>&1 || echo "rc=$?"
	} > "$1" 2>&1
	kill $sp; wait $sp || true
}
# C vimc's side (or its record), then vimc_rs's.
c_side() {
	modprobe vimc; dump $C/d; modprobe -r vimc
	modprobe vimc; busy $C/busy; modprobe -r vimc
}
reference c_side
reference_done
modprobe vimc_rs; dump /tmp/rs; modprobe -r vimc_rs
modprobe vimc_rs; busy /tmp/rs.busy; modprobe -r vimc_rs
grep -q 'fmt:SRGGB8_1X8/640x480' $C/d || fail "C vimc's dump lacks the debayer sink format"
diff -u $C/d /tmp/rs || fail "vimc_rs differs from C vimc (diff above)"
tp ok "subdev API output identical"
# v4l2-ctl finds a node's media device through the node's parent device
# (--all above prints its media info): every node is vimc.0's on both.
for drv in $C/d /tmp/rs; do
	[ "$(wc -l < $drv.parents)" = 8 ] || fail "$drv: not 8 subdev nodes: $(cat $drv.parents)"
	grep -v ':vimc\.0$' $drv.parents && fail "$drv: a subdev node not under vimc.0"
done
tp ok "every subdev node is vimc.0's"
grep -q 'Media Driver Info:' /tmp/rs || fail "vimc_rs: v4l2-ctl --all shows no media info"
echo "identical: $(wc -l < $C/d) lines of subdev API output"

cat $C/busy
grep -q 'Device or resource busy' $C/busy || fail "C vimc: no EBUSY while streaming"
diff -u $C/busy /tmp/rs.busy || fail "vimc_rs differs from C vimc while streaming (diff above)"
tp ok "identical while streaming"
echo "identical while streaming: $(grep -c busy $C/busy) EBUSY"
