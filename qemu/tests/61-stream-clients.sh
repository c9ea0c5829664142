#!/bin/sh -e
# Streaming clients on every capture node, C vimc (or its record) then
# vimc_rs: v4l2-ctl --stream-mmap, --stream-user and --stream-dmabuf (buffers
# exported by another capture node), 100 frames each, with sequence numbers
# checked; GStreamer's v4l2src, 30 buffers, with caps of the configured
# format (v4l2src otherwise asks for the largest size, which fails link
# validation); libcamera's cam -l and a 10-frame capture, and 30 buffers
# from GStreamer's libcamerasrc; STREAMON with a
# mismatched link fails with EPIPE and the node streams once the format is
# fixed. What fails with both drivers is reported; what works with C vimc
# must work with vimc_rs.
# needs: c-vimc
# reference: recorded
# timeout: 1200
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc
. /vimc-rs/tests/lib/compare.inc

W=64 H=48 COUNT=100
# Each client gets LIMIT seconds (about 10 times what it needs): one that
# hangs is a failed check of its own, not the scenario's timeout.
LIMIT=120
rm -f /tmp/crashes

# client LOG CMD...: CMD, its output in LOG, for at most LIMIT seconds. A
# client that crashes (killed by a signal other than the limit's TERM) runs
# again, twice at most, and the crash is printed and counted: GStreamer's
# libcamerasrc (libcamera 0.7.1, GStreamer 1.26) segfaults at times here,
# with C vimc as with vimc_rs, after a few buffers. (gst-launch runs with
# -f: its own handler would spin forever after a crash, holding the node.)
client() {
	local log=$1 try=1 rc
	shift
	while :; do
		rc=0; timeout $LIMIT "$@" > "$log" 2>&1 || rc=$?
		[ $rc -gt 128 ] && [ $rc != 143 ] && [ $try -lt 3 ] || return $rc
		echo "client crash: $1 died of signal $((rc - 128)) (try $try): $(tail -2 "$log" | tr '\n' ' ')" |
			tee -a /tmp/crashes >&2
		try=$((try + 1))
	done
}

# A consistent small configuration of both sensor pipelines.
setup() {
	pipeline_fmt "Sensor A" SRGGB8_1X8 $W $H - ${W}x$H &&
	pipeline_fmt "Sensor B" SRGGB8_1X8 $W $H - ${W}x$H
}

# check_stream LOG: COUNT frames dequeued, sequence numbers without gaps.
check_stream() {
	got=$(grep -c '^cap dqbuf' "$1")
	[ "$got" -eq $COUNT ] || { echo "$got of $COUNT frames"; return 1; }
	# "cap dqbuf: <index> seq: <n> ..." : sequence must be 0..COUNT-1 in order.
	seqs=$(sed -n 's/^cap dqbuf: *[0-9]* seq: *\([0-9]*\).*/\1/p' "$1" | tr '\n' ' ')
	want=$(seq 0 $((COUNT - 1)) | tr '\n' ' ')
	[ "$seqs" = "$want" ] || { echo "sequence numbers: $seqs"; return 1; }
}

# run DRIVER: one line per check, "name ok" or "name FAIL".
run() {
	modprobe $1
	setup || echo "setup FAIL"
	for n in "Raw Capture 0" "Raw Capture 1" "RGB/YUV Capture"; do
		d=$(node "$n")
		# The exporting node's buffers must hold this node's frames.
		case "$n" in
		"Raw Capture 1") exp=$(node "Raw Capture 0") ;;
		"RGB/YUV Capture") exp=$(node "Raw Capture 1")
			v4l2-ctl -d $exp -v width=$W,height=$H,pixelformat=RGB3 ;;
		*) exp=$(node "Raw Capture 1") ;;
		esac
		for mode in mmap user dmabuf; do
			extra=; [ $mode = dmabuf ] && extra="--export-device $exp"
			if timeout $LIMIT v4l2-ctl -d $d --stream-$mode --stream-count=$COUNT --verbose $extra > /tmp/s.log 2>&1 &&
				check_stream /tmp/s.log >> /tmp/s.log; then
				echo "$n $mode ok"
			else
				echo "$n $mode FAIL"; tail -5 /tmp/s.log | sed 's/^/    /' >&2
			fi
		done
	done
	export GST_PLUGIN_SYSTEM_PATH=/usr/lib/x86_64-linux-gnu/gstreamer-1.0 GST_REGISTRY=/tmp/gst.reg
	for n in "Raw Capture 0" "Raw Capture 1" "RGB/YUV Capture"; do
		case "$n" in
		RGB*) caps="video/x-raw,format=RGB,width=$W,height=$H" ;;
		*) caps="video/x-bayer,format=rggb,width=$W,height=$H" ;;
		esac
		[ "$n" = "Raw Capture 1" ] && v4l2-ctl -d "$(node "$n")" -v width=$W,height=$H,pixelformat=RGGB
		if client /tmp/g.log gst-launch-1.0 -q -f v4l2src device=$(node "$n") num-buffers=30 ! "$caps" ! fakesink; then
			echo "$n gstreamer ok"
		else
			echo "$n gstreamer FAIL"; tail -5 /tmp/g.log >&2
		fi
	done
	# libcamera's vimc pipeline handler configures the graph itself. It
	# names a camera after its sensor node's device: vimc.0 on both (the
	# id libcamera's tests open).
	udev_db
	if client /tmp/cam.log cam -l && grep -q "'Sensor B' (platform/vimc.0 Sensor B)" /tmp/cam.log; then
		echo "cam list ok"
	else
		echo "cam list FAIL"; cat /tmp/cam.log >&2
	fi
	if client /tmp/cam.log cam -c 1 --capture=10 -s width=160,height=120 &&
		[ "$(grep -c 'cam0-stream0 seq:' /tmp/cam.log)" = 10 ]; then
		echo "cam capture ok"
	else
		echo "cam capture FAIL"; tail -5 /tmp/cam.log >&2
	fi
	# GStreamer's libcamerasrc on that camera: 30 buffers of 160x120 RGB
	# reach the sink, their offsets (frame sequence numbers) 0..29.
	# (identity's EOS takes the place of buffer number eos-after.)
	if client /tmp/g.log gst-launch-1.0 -v -f libcamerasrc camera-name='platform/vimc.0 Sensor B' ! \
		video/x-raw,width=160,height=120 ! identity eos-after=31 ! fakesink silent=false &&
		[ "$(sed -n 's/.*chain .*(fakesink0:sink) (57600 bytes, .* offset: \([0-9]*\),.*/\1/p' /tmp/g.log | tr '\n' ' ')" = \
		  "$(seq 0 29 | tr '\n' ' ')" ]; then
		echo "libcamerasrc ok"
	else
		echo "libcamerasrc FAIL"; tail -5 /tmp/g.log >&2
	fi
	setup || echo "setup FAIL"
	# A link that does not match: EPIPE, then fixed, then streaming works.
	# (v4l2-ctl exits 0 when STREAMON fails: read what it printed.)
	d=$(node "Raw Capture 0")
	v4l2-ctl -d $d -v width=$((W + 2)),height=$H,pixelformat=RGGB
	timeout $LIMIT v4l2-ctl -d $d --stream-mmap --stream-count=3 --verbose > /tmp/e.log 2>&1
	if grep -q 'VIDIOC_STREAMON returned -1 (Broken pipe)' /tmp/e.log; then
		v4l2-ctl -d $d -v width=$W,height=$H,pixelformat=RGGB
		timeout $LIMIT v4l2-ctl -d $d --stream-mmap --stream-count=3 --verbose > /tmp/e.log 2>&1
		if [ "$(grep -c '^cap dqbuf' /tmp/e.log)" = 3 ]; then
			echo "epipe ok"
		else
			echo "epipe FAIL (not usable after)"; tail -5 /tmp/e.log >&2
		fi
	else
		echo "epipe FAIL (no EPIPE)"; tail -5 /tmp/e.log >&2
	fi
	modprobe -r $1
}

# Each check's line as it happens (the log shows how far a run got).
set -o pipefail
c_side() { echo "== C vimc"; run vimc | tee $C/res; [ ! -s /tmp/crashes ] || cp /tmp/crashes $C/crashes; }
reference c_side
reference_done
rm -f /tmp/crashes
echo "== vimc_rs"; run vimc_rs | tee /tmp/rs.res
bad=0
while read -r line; do
	name=${line% *}
	case "$line" in
	*" ok") if grep -qxF "$name ok" /tmp/rs.res; then tp ok "$name"; else
		echo "works with C vimc, not with vimc_rs: $name"; tp not-ok "$name"; bad=1; fi ;;
	*FAIL*) echo "fails with C vimc: $line"
		if grep -qxF "$name ok" /tmp/rs.res; then tp ok "$name (fails on C vimc)"; else tp not-ok "$name"; fi ;;
	esac
done < $C/res
grep -q FAIL /tmp/rs.res && grep FAIL /tmp/rs.res | sed 's/^/vimc_rs: /'
[ ! -s $C/crashes ] || { echo "C vimc's run: client crashes (run again):"; cat $C/crashes; }
[ ! -s /tmp/crashes ] || { echo "client crashes (run again):"; cat /tmp/crashes; }
[ $bad = 0 ] || fail "vimc_rs fails where C vimc works"
! grep -q FAIL /tmp/rs.res || fail "vimc_rs failed a check"
echo "all $(wc -l < /tmp/rs.res) client checks pass on vimc_rs"
