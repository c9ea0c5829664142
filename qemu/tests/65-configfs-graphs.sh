#!/bin/sh -e
# Graphs built at runtime in configfs (issue 16): a device with two sensors,
# a sensor feeding two captures, and the chain sensor -> debayer -> scaler ->
# scaler -> capture, its two raw captures streaming at once. Each capture's
# frames must equal C vimc's from the pipeline of the same entity kinds and
# formats (its Raw Capture 0, its RGB/YUV Capture: a 1:1 scaler copies).
# A second device gets its formats only from its entities' configfs
# attributes. Then the device goes and comes back, and its directories go.
# needs: c-vimc
# reference: recorded
# kernel: bench
# timeout: 600
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc
. /vimc-rs/tests/lib/compare.inc

FRAMES=3 W=64 H=48 CODE=SRGGB8_1X8 PIX=RGGB
CFG=/sys/kernel/config/vimc_rs

# grab NODE PIX BPP OUT: 3 frames of NODE (WxH PIX), their sums into OUT.
grab() {
	v4l2-ctl -d "$(node "$1")" -v width=$W,height=$H,pixelformat=$2 \
		--stream-mmap=4 --stream-count=$FRAMES --stream-to=/tmp/$4.raw > /dev/null || return 1
	[ "$(wc -c < /tmp/$4.raw)" -eq $((W * H * $3 * FRAMES)) ] || { echo "$1: wrong length"; return 1; }
	frame_sums /tmp/$4.raw $((W * H * $3)) > /tmp/$4
}

# The reference: C vimc's Sensor A, raw and through debayer and scaler
# (or its record).
c_side() {
	modprobe vimc
	pipeline_fmt "Sensor A" $CODE $W $H - ${W}x$H || fail "C vimc: formats"
	ctrl "Sensor A" show_information=2 || fail "C vimc: controls"
	grab "Raw Capture 0" $PIX 1 c.raw || fail "C vimc: raw capture"
	grab "RGB/YUV Capture" RGB3 3 c.rgb || fail "C vimc: RGB capture"
	modprobe -r vimc
	cp /tmp/c.raw /tmp/c.rgb $C/
}
reference c_side
reference_done
cp $C/c.raw $C/c.rgb /tmp/

modprobe vimc_rs
grep -q ' /sys/kernel/config ' /proc/mounts || mount -t configfs none /sys/kernel/config
# Whatever happens, leave no directory behind (they pin the module).
trap configfs_clear EXIT
[ -d $CFG ] || fail "no $CFG"
dev=$CFG/cam
mkdir $dev
for e in "sensor:Cam Sensor A" "sensor:Cam Sensor B" "debayer:Cam Debayer" \
	"scaler:Cam Scaler 1" "scaler:Cam Scaler 2" "capture:Cam Raw A" "capture:Cam Raw B" \
	"capture:Cam RGB"; do
	mkdir "$dev/$e" || fail "mkdir $e"
done
# link NAME SOURCE SINK FLAGS
link() {
	mkdir "$dev/link:$1" && echo "$2" > "$dev/link:$1/source" &&
		echo "$3" > "$dev/link:$1/sink" && echo "$4" > "$dev/link:$1/flags"
}
link a "Cam Sensor A:0" "Cam Raw A:0" enabled,immutable
link b "Cam Sensor A:0" "Cam Debayer:0" enabled,immutable
link c "Cam Debayer:1" "Cam Scaler 1:0" enabled
link d "Cam Scaler 1:1" "Cam Scaler 2:0" enabled
link e "Cam Scaler 2:1" "Cam RGB:0" enabled,immutable
link f "Cam Sensor B:0" "Cam Raw B:0" enabled
[ "$(cat "$dev/link:c/source")" = "Cam Debayer:1" ] || fail "source reads back as '$(cat "$dev/link:c/source")'"
[ "$(cat "$dev/link:a/flags")" = "enabled,immutable" ] || fail "flags read back as '$(cat "$dev/link:a/flags")'"
[ "$(cat $dev/enabled)" = 0 ] || fail "enabled before enabling"
# Initial sizes from configfs: the debayer's source and the scaler's crop
# follow their sinks'.
for e in "debayer:Cam Debayer" "scaler:Cam Scaler 1"; do
	echo $W > "$dev/$e/width" && echo $H > "$dev/$e/height" || fail "$e: size"
done

echo 1 > $dev/enabled || fail "enabled=1"
[ "$(cat $dev/enabled)" = 1 ] || fail "enabled reads $(cat $dev/enabled)"
m=$(media_of vimc_rs.1) || fail "no media device of vimc_rs.1"
media-ctl -d $m -p > /tmp/graph
cat /tmp/graph
for want in 'driver          vimc' 'bus info        platform:vimc_rs.1' \
	'- entity 1: Cam Sensor A (1 pad, 2 links' \
	'-> "Cam Raw A":0 [ENABLED,IMMUTABLE]' '-> "Cam Scaler 2":0 [ENABLED]' \
	': Cam RGB (1 pad, 1 link'; do
	grep -qF -- "$want" /tmp/graph || fail "media-ctl -p lacks '$want'"
done
get_fmt() { media-ctl -d $m --get-v4l2 "\"$1\":$2"; }
get_fmt "Cam Debayer" 1 | grep -qF "fmt:RGB888_1X24/${W}x$H" || fail "debayer source: $(get_fmt "Cam Debayer" 1)"
get_fmt "Cam Scaler 1" 0 | grep -qF "crop:(0,0)/${W}x$H" || fail "scaler crop: $(get_fmt "Cam Scaler 1" 0)"
get_fmt "Cam Scaler 2" 1 | grep -qF "fmt:RGB888_1X24/640x480" || fail "scaler 2: $(get_fmt "Cam Scaler 2" 1)"
# C vimc's device is there too, untouched.
[ -n "$(media_of vimc.0)" ] || fail "C vimc's topology is gone"

f="\"Cam Sensor A\":0[fmt:$CODE/${W}x$H], \"Cam Debayer\":0[fmt:$CODE/${W}x$H]"
f="$f, \"Cam Scaler 1\":0[fmt:RGB888_1X24/${W}x$H], \"Cam Scaler 1\":1[fmt:RGB888_1X24/${W}x$H]"
f="$f, \"Cam Scaler 2\":0[fmt:RGB888_1X24/${W}x$H], \"Cam Scaler 2\":1[fmt:RGB888_1X24/${W}x$H]"
f="$f, \"Cam Sensor B\":0[fmt:$CODE/${W}x$H]"
media-ctl -d $m -V "$f" || fail "formats"
ctrl "Cam Sensor A" show_information=2 && ctrl "Cam Sensor B" show_information=2 || fail "controls"
# A stream validates every enabled link of its graph, the other captures'
# too: all capture formats first.
for n in "Cam Raw A:$PIX" "Cam Raw B:$PIX" "Cam RGB:RGB3"; do
	v4l2-ctl -d "$(node "${n%:*}")" -v width=$W,height=$H,pixelformat=${n##*:} || fail "format of ${n%:*}"
done
# Both raw captures at once, then the RGB one.
grab "Cam Raw A" $PIX 1 rs.rawa & a=$!
grab "Cam Raw B" $PIX 1 rs.rawb & b=$!
wait $a || fail "Cam Raw A"
wait $b || fail "Cam Raw B"
grab "Cam RGB" RGB3 3 rs.rgb || fail "Cam RGB"
for p in "c.raw rs.rawa" "c.raw rs.rawb" "c.rgb rs.rgb"; do
	set -- $p
	diff -u /tmp/$1 /tmp/$2 || fail "$2 differs from C vimc's $1"
	echo "$2: $(wc -l < /tmp/$2) frames identical to C vimc's $1"
done

# Off and on again: the same graph, a new media device.
echo 0 > $dev/enabled || fail "enabled=0"
[ -z "$(media_of vimc_rs.1)" ] || fail "media device left after enabled=0"
echo 1 > $dev/enabled || fail "enabled=1 again"
m=$(media_of vimc_rs.1) || fail "no media device after enabling again"

# A second device beside it, with its own bus info, streaming too, its
# formats set in configfs alone.
dev2=$CFG/cam2
mkdir $dev2 "$dev2/sensor:Two Sensor" "$dev2/capture:Two Raw" $dev2/link:a
echo "Two Sensor:0" > $dev2/link:a/source && echo "Two Raw:0" > $dev2/link:a/sink &&
	echo enabled,immutable > $dev2/link:a/flags
s2="$dev2/sensor:Two Sensor" c2="$dev2/capture:Two Raw"
got="$(cat "$s2/width") $(cat "$s2/height") $(cat "$s2/code") $(cat "$c2/pixelformat")"
[ "$got" = "640 480 0x100a RGB3" ] || fail "C vimc's initial formats read as '$got'"
echo $W > "$s2/width" && echo $H > "$s2/height" && echo 0x3014 > "$s2/code" &&
	echo $W > "$c2/width" && echo $H > "$c2/height" && echo $PIX > "$c2/pixelformat" ||
	fail "second device: initial formats"
echo 1 > $dev2/enabled || fail "second device"
m2=$(media_of vimc_rs.2) || fail "no media device of vimc_rs.2"
[ "$m2" != "$m" ] || fail "vimc_rs.2 has no media device of its own"
media-ctl -d $m2 -p | grep -q 'bus info *platform:vimc_rs.2$' || fail "second device: bus info"
media-ctl -d $m2 --get-v4l2 '"Two Sensor":0' | grep -qF "fmt:$CODE/${W}x$H" ||
	fail "second device: sensor format $(media-ctl -d $m2 --get-v4l2 '"Two Sensor":0')"
v4l2-ctl -d "$(node "Two Raw")" --get-fmt-video > /tmp/fmt2
grep -q "Width/Height *: $W/$H" /tmp/fmt2 && grep -q "Pixel Format *: '$PIX'" /tmp/fmt2 ||
	{ cat /tmp/fmt2; fail "second device: capture format"; }
ctrl "Two Sensor" show_information=2 || fail "second device: controls"
grab "Two Raw" $PIX 1 rs.two || fail "second device: stream"
diff -u /tmp/c.raw /tmp/rs.two || fail "second device's frames differ from C vimc's"
echo "rs.two: $(wc -l < /tmp/rs.two) frames identical to C vimc's c.raw (second device)"
echo 0 > $dev2/enabled
configfs_remove $dev2 || fail "rmdir $dev2"
echo 0 > $dev/enabled

# Directories go; then the module.
configfs_remove $dev || fail "rmdir $dev"
modprobe -r vimc_rs || { ls -R $CFG; cat /sys/module/vimc_rs/refcnt; fail "unload"; }
