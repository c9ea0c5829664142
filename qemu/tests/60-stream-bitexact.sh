#!/bin/sh -e
# Streaming parity: for each configuration, C vimc (or its record) and
# vimc_rs are loaded in turn, configured the same way, and every listed
# capture node streams 3 frames (mmap); the per-frame md5 sums must be
# equal. OSD text is off (Show Information = None) so frames carry no time.
# One configuration runs twice on C vimc, with a reload between, to check
# that its output is deterministic (what makes a record of it valid). The 1920x1440 configuration goes through debayer and
# scaler, the slow path of C vimc under KASAN (several seconds per frame).
# Then, on vimc_rs alone, that every byte of a frame is written whatever
# its buffer held (the end of this file).
# needs: c-vimc
# reference: recorded
# kernel: bench
# timeout: 1500
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc
. /vimc-rs/tests/lib/compare.inc

FRAMES=3

# stream NODE W H PIX BPP OUT: sets the format of NODE and streams 3
# frames, their sums appended to OUT.
stream() {
	rm -f /tmp/frames
	v4l2-ctl -d "$(node "$1")" -v width=$2,height=$3,pixelformat=$4 \
		--stream-mmap=4 --stream-count=$FRAMES --stream-to=/tmp/frames > /dev/null || return 1
	sz=$(( $2 * $3 * $5 ))
	[ "$(wc -c < /tmp/frames)" -eq $((sz * FRAMES)) ] || { echo "$1: wrong length $(wc -c < /tmp/frames)"; return 1; }
	echo "$1 $2x$3 $4" >> "$6"
	frame_sums /tmp/frames $sz >> "$6"
}

# run_config DRIVER OUT SENSOR CODE W H PATTERN HFLIP VFLIP WIN CROP OUTW OUTH NODES
# CROP is l,t,w,h or "-"; NODES is a comma list of raw,rgb.
run_config() {
	drv=$1 out=$2 sensor=$3 code=$4 w=$5 h=$6 pat=$7 hf=$8 vf=$9; shift 9
	win=$1 crop=$2 ow=$3 oh=$4 nodes=$5
	modprobe $drv || return 1
	case $sensor in
	"Sensor A") deb="Debayer A" raw="Raw Capture 0" ;;
	"Sensor B") deb="Debayer B" raw="Raw Capture 1" ;;
	esac
	set -- $(pix_of $code); pix=$1 bpp=$2
	if [ "$sensor" = "Sensor B" ]; then
		media-ctl -d "$(media_of vimc.0)" -l '"Debayer A":1->"Scaler":0[0], "Debayer B":1->"Scaler":0[1]' || return 1
	fi
	pipeline_fmt "$sensor" $code $w $h $crop ${ow}x$oh || return 1
	ctrl "$sensor" show_information=2,test_pattern=$pat,horizontal_flip=$hf,vertical_flip=$vf &&
	ctrl "$deb" debayer_mean_window_size=$win || return 1
	case $nodes in *raw*) stream "$raw" $w $h $pix $bpp $out || return 1 ;; esac
	case $nodes in *rgb*) stream "RGB/YUV Capture" $ow $oh RGB3 3 $out || return 1 ;; esac
	modprobe -r $drv
}

# sensor code WxH pattern hflip vflip window crop outWxH nodes
CONFIGS='
Sensor A|SRGGB8_1X8|64|48|0|0|0|3|-|64|48|raw,rgb
Sensor A|SBGGR8_1X8|64|48|0|0|0|1|-|64|48|raw,rgb
Sensor A|SGRBG8_1X8|64|48|1|0|0|5|-|64|48|raw,rgb
Sensor A|SGBRG8_1X8|48|32|0|1|0|3|-|48|32|raw,rgb
Sensor A|SRGGB10_1X10|64|48|0|0|0|3|-|64|48|raw,rgb
Sensor A|SBGGR10_1X10|64|48|1|0|1|5|-|64|48|raw,rgb
Sensor A|SGRBG10_1X10|32|32|4|1|1|1|-|32|32|raw,rgb
Sensor A|SRGGB8_1X8|64|48|0|0|0|3|3,5,33,17|64|48|rgb
Sensor A|SBGGR8_1X8|64|48|1|0|0|3|1,1,40,30|80|60|rgb
Sensor A|SRGGB12_1X12|64|48|0|0|1|5|7,3,21,35|22|16|raw,rgb
Sensor B|SGBRG10_1X10|64|48|0|1|0|3|-|64|48|raw,rgb
Sensor B|SBGGR8_1X8|40|24|4|0|0|5|5,1,19,17|38|34|raw,rgb
Sensor A|SRGGB8_1X8|1920|1440|0|0|0|3|-|1920|1440|raw,rgb
'

# C vimc's sums of every configuration, $C/N.sums.
c_side() {
	local n=0
	echo "$CONFIGS" | while IFS='|' read s code w h pat hf vf win crop ow oh nodes; do
		[ -n "$s" ] || continue
		n=$((n + 1))
		rm -f $C/$n.sums
		run_config vimc $C/$n.sums "$s" $code $w $h $pat $hf $vf $win $crop $ow $oh $nodes ||
			fail "config $n on C vimc: $s $code ${w}x$h"
		if [ $n = 1 ]; then
			rm -f /tmp/c2.sums
			run_config vimc /tmp/c2.sums "$s" $code $w $h $pat $hf $vf $win $crop $ow $oh $nodes ||
				fail "config 1 again on C vimc"
			cmp -s $C/1.sums /tmp/c2.sums || fail "C vimc is not deterministic across reloads"
			echo "C vimc deterministic across a reload (config 1)"
		fi
	done
}
reference c_side
reference_done

n=0
echo "$CONFIGS" | while IFS='|' read s code w h pat hf vf win crop ow oh nodes; do
	[ -n "$s" ] || continue
	n=$((n + 1))
	rm -f /tmp/rs.sums
	what="config $n: $s $code ${w}x$h pattern $pat flip $hf/$vf window $win crop $crop -> ${ow}x$oh"
	run_config vimc_rs /tmp/rs.sums "$s" $code $w $h $pat $hf $vf $win $crop $ow $oh $nodes ||
		fail "$what: vimc_rs did not stream"
	[ -s $C/$n.sums ] || fail "$what: no C vimc sums"
	diff -u $C/$n.sums /tmp/rs.sums || fail "$what: frames differ"
	tp ok "$what"
	echo "$what: identical ($(grep -c '^[0-9a-f]\{32\}$' $C/$n.sums) frames)"
done

# Every byte of a frame is the driver's: the last stage (the sensor for raw,
# the scaler for RGB) writes the capture buffer itself, so a frame must not
# depend on what its buffer held before. vfill streams with every byte of
# the buffers set to 0xaa, then to 0x55, before each QBUF, over MMAP and
# USERPTR; the frames must hash the same. A TOP field fills half of the
# sensor's lines: the rest must be written too (zeros).
modprobe vimc_rs
ctrl "Sensor A" show_information=2
for cfg in "none - 64x48" "top - 64x48" "none 3,5,33,17 40x30"; do
	set -- $cfg
	pipeline_fmt "Sensor A" SRGGB8_1X8 64 48 $2 $3 || fail "pipeline format $cfg"
	media-ctl -d "$(media_of vimc.0)" -V "\"Sensor A\":0[fmt:SRGGB8_1X8/64x48 field:$1]" ||
		fail "sensor field $1"
	for n in "Raw Capture 0" "RGB/YUV Capture"; do
		# A TOP field streams raw only (the debayer takes no field).
		[ $1 = none ] || [ "$n" = "Raw Capture 0" ] || continue
		for mem in mmap userptr; do
			a=$(vfill "$(node "$n")" 3 0xaa $mem) || fail "$n field $1 $mem: vfill failed"
			b=$(vfill "$(node "$n")" 3 0x55 $mem) || fail "$n field $1 $mem: vfill failed"
			[ "$a" = "$b" ] || fail "$n, field $1, crop $2 -> $3, $mem: frames depend on the buffers' old bytes"
			tp ok "$n, field $1, crop $2 -> $3, $mem: every byte written"
		done
	done
done
unload vimc_rs
