#!/bin/sh -e
# Parity with C vimc, as far as vimc_rs goes so far: the media graph
# (entities, ids, functions, pads, links and their flags, device nodes),
# and on every capture node QUERYCAP, G_FMT, ENUM_FMT, ENUM_FRAMESIZES and
# TRY/S_FMT with valid, clamped and invalid values. Subdev pad formats are
# not compared yet ([fmt:...] and crop lines are left out of media-ctl -p).
# needs: c-vimc
# reference: recorded
# kernel: bench
# timeout: 600
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/v4l2.inc
. /vimc-rs/tests/lib/compare.inc
dump() { # $1: output file
	media-ctl -d "$(media_of vimc.0)" -p | grep -Ev '\[(stream:[0-9]+ )?fmt:|crop\.bounds|crop:\(' > "$1.graph"
	for v in /dev/video0 /dev/video1 /dev/video2; do
		echo "== $v"
		v4l2-ctl -d $v --all
		v4l2-ctl -d $v --list-formats-ext
		v4l2-ctl -d $v --list-formats --list-formats-ext
		for spec in width=1,height=1 width=99999,height=99999 width=641,height=479,pixelformat=BA81 \
			pixelformat=XXXX width=320,height=240,pixelformat=RG10 width=17,height=17,pixelformat=BA24; do
			echo "-- try $spec"; v4l2-ctl -d $v --try-fmt-video $spec || echo "rc=$?"
		done
		echo "-- set"; v4l2-ctl -d $v --set-fmt-video width=322,height=242,pixelformat=BA10 && v4l2-ctl -d $v --get-fmt-video
	done > "$1.nodes" 2>&1
}
dump_both dump
reference_done
grep -c '^- entity' $C/d.graph | grep -qx 11 || fail "C vimc graph has not 11 entities"
ok=1
diff -u $C/d.graph /tmp/rs.graph || { ok=0; echo "media-ctl -p differs (above)"; }
diff -u $C/d.nodes /tmp/rs.nodes || { ok=0; echo "capture nodes differ (above)"; }
[ $ok = 1 ] || fail "vimc_rs differs from C vimc"
tp ok "media-ctl -p identical"
tp ok "capture nodes identical"
echo "graph and capture nodes identical: $(wc -l < $C/d.graph) + $(wc -l < $C/d.nodes) lines"
