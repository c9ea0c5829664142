#!/bin/sh -e
# Bad configurations in configfs (issue 16) get a clean error, a log line
# naming the problem where the error comes at `enabled`, and leave nothing
# registered; the device then enables once the configuration is mended.
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc

CFG=/sys/kernel/config/vimc_rs
modprobe vimc_rs
grep -q ' /sys/kernel/config ' /proc/mounts || mount -t configfs none /sys/kernel/config
# Whatever happens, leave no directory behind (they pin the module).
trap configfs_clear EXIT
dev=$CFG/bad
mkdir $dev
medias() { ls /dev/media* | wc -l; }
before=$(medias)

# mkdir: unknown kind, no kind, empty or over-long name, a name taken by an
# entity of another kind.
expect_fail mkdir "$dev/camera:X"
expect_fail mkdir "$dev/noKind"
expect_fail mkdir "$dev/sensor:"
expect_fail mkdir "$dev/sensor:$(printf '%032d' 0)"
mkdir "$dev/sensor:$(printf '%031d' 0)" || fail "31-byte name refused"
rmdir "$dev/sensor:$(printf '%031d' 0)"
mkdir "$dev/sensor:S" "$dev/debayer:D" "$dev/capture:C" "$dev/scaler:X"
expect_fail mkdir "$dev/capture:S"

# An empty device does not enable.
mkdir $CFG/empty
expect_fail sh -c "echo 1 > $CFG/empty/enabled"
rmdir $CFG/empty

# Attribute values that do not parse.
mkdir "$dev/link:l"
for v in "S" "S:x" "S:-1" "S:70000" ":0"; do
	expect_fail sh -c "echo '$v' > '$dev/link:l/source'"
done
expect_fail sh -c "echo sideways > '$dev/link:l/flags'"
expect_fail sh -c "echo maybe > '$dev/enabled'"
# Initial formats no entity of the kind takes: odd, too small or large,
# not a number; a code the kind does not take (Bayer into the scaler, RGB
# into the debayer's sink), an unknown pixel format.
for v in 15 4098 33 abc -2 0x ""; do
	expect_fail sh -c "echo '$v' > '$dev/sensor:S/width'"
done
expect_fail sh -c "echo 2162 > '$dev/capture:C/height'"
expect_fail sh -c "echo 0x1234 > '$dev/sensor:S/code'"
expect_fail sh -c "echo 0x3014 > '$dev/scaler:X/code'"
expect_fail sh -c "echo 0x100a > '$dev/debayer:D/code'"
expect_fail sh -c "echo XXXX > '$dev/capture:C/pixelformat'"
expect_fail sh -c "echo RGB > '$dev/capture:C/pixelformat'"
got="$(cat "$dev/sensor:S/width") $(cat "$dev/capture:C/height") $(cat "$dev/scaler:X/code")"
[ "$got" = "640 480 0x100a" ] || fail "refused writes changed the formats: '$got'"
# A name another entity has, an over-long one.
expect_fail sh -c "echo D > '$dev/sensor:S/name'"
expect_fail sh -c "echo $(printf '%032d' 0) > '$dev/sensor:S/name'"
[ "$(cat "$dev/sensor:S/name")" = S ] || fail "refused names changed it: $(cat "$dev/sensor:S/name")"

# enabled_fails WHAT LOGLINE: `enabled=1` fails with LOGLINE in the log,
# and no media device appears.
enabled_fails() {
	dmesg -c > /dev/null
	expect_fail sh -c "echo 1 > $dev/enabled"
	dmesg | grep -F -- "$2" || fail "$1: no log line '$2'"
	[ "$(cat $dev/enabled)" = 0 ] || fail "$1: enabled anyway"
	[ "$(medias)" = "$before" ] || fail "$1: a media device was left"
	echo "$1: refused"
}
# set_link NAME SOURCE SINK FLAGS
set_link() {
	[ -d "$dev/link:$1" ] || mkdir "$dev/link:$1"
	echo "$2" > "$dev/link:$1/source" && echo "$3" > "$dev/link:$1/sink" &&
		echo "$4" > "$dev/link:$1/flags"
}

# A link with only a source.
echo "S:0" > "$dev/link:l/source"
enabled_fails "incomplete link" 'link:l: no sink set'
set_link l "Nobody:0" "D:0" enabled
enabled_fails "missing entity" 'link:l: source "Nobody": no such entity'
set_link l "S:1" "D:0" enabled
enabled_fails "missing pad" 'link:l: "S":1 -> "D":0: the source has no such pad'
set_link l "D:0" "C:0" enabled
enabled_fails "wrong direction" 'link:l: "D":0 -> "C":0: not a source pad'
set_link l "X:1" "X:0" 0
enabled_fails "self link" 'link:l: "X":1 -> "X":0: an entity linked to itself'
set_link l "S:0" "D:0" enabled
set_link m "D:1" "X:0" enabled
set_link n "X:1" "D:0" 0
enabled_fails "cycle" 'link:n: "X":1 -> "D":0: it closes a cycle'
rmdir "$dev/link:n"
set_link n "S:0" "D:0" 0
enabled_fails "duplicate" 'link:n: "S":0 -> "D":0: those pads are already linked'
mkdir "$dev/sensor:T"
set_link n "T:0" "D:0" enabled
enabled_fails "two enabled links into a sink" 'link:n: "T":0 -> "D":0: another enabled link enters that sink pad'
echo 0 > "$dev/link:n/flags"
mkdir "$dev/lens:L" "$dev/ancillary:a"
echo S > "$dev/ancillary:a/primary"; echo D > "$dev/ancillary:a/ancillary"
enabled_fails "ancillary with pads" 'ancillary link "S" -> "D": the ancillary entity must be another one, without pads'
echo L > "$dev/ancillary:a/ancillary"
[ ! -e "$dev/lens:L/width" ] || fail "a lens has a format"

# Mended: it enables; while enabled, mkdir and attribute writes are busy.
echo 1 > $dev/enabled || fail "mended configuration does not enable"
[ "$(medias)" = $((before + 1)) ] || fail "no media device"
expect_fail mkdir "$dev/sensor:Late"
expect_fail sh -c "echo 'S:0' > '$dev/link:n/source'"
[ "$(cat "$dev/link:n/source")" = "T:0" ] || fail "a refused write changed the link"
expect_fail sh -c "echo 320 > '$dev/sensor:S/width'"
expect_fail sh -c "echo Renamed > '$dev/sensor:S/name'"
echo 0 > $dev/enabled
[ "$(medias)" = "$before" ] || fail "media device left after enabled=0"

# rmdir everything; the module then unloads.
configfs_remove $dev || fail "rmdir $dev"
modprobe -r vimc_rs || { ls -R $CFG; cat /sys/module/vimc_rs/refcnt; fail "unload"; }
