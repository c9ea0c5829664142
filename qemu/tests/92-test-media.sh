#!/bin/sh -e
# v4l-utils' own regression script, contrib/test/test-media of the 1.30.1
# release (the guest's v4l-utils), in its vimc mode with its kmemleak check:
# vivid loaded as the DMABUF exporter, v4l2-compliance -m platform:vimc -s10
# -P -a, unbind, rebind, unbind while a node streams and others are open,
# rmmod, a kmemleak scan. The script runs as shipped on C vimc (its record)
# and on vimc_rs; modprobe and rmmod wrappers ahead in PATH wait for the
# guest's /dev/char links as udev would have them, and for vimc_rs load
# vimc_rs where it says vimc (it registers the same platform driver, device
# and bus_info, so everything else reaches it unchanged). Its whole output
# must be the same on both drivers, but for the dates, uname and the random
# sleeps it prints; its kmemleak results empty for vimc_rs.
# On the kobject lane's kernel (make check-kobject SUITES=1: C vimc cannot
# survive it) vimc_rs runs alone: test-media there lengthens its waits, as
# it does on a kernel with CONFIG_DEBUG_KOBJECT_RELEASE; it must fail
# nothing, and its kmemleak check stays empty.
# lane: suites
# reference: recorded
# source: v4l-utils-1.30.1.tar.xz b5061f5bf38dfc7748a0e22b5418d1f4708a99c89dea19de6d46d422c51f9ffb contrib/test/test-media git archive --prefix=v4l-utils-1.30.1/ v4l-utils-1.30.1 (the release tag of https://git.linuxtv.org/v4l-utils.git) | xz > v4l-utils-1.30.1.tar.xz
# timeout: 1500
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/compare.inc

TM=/vimc-rs/tests/ext/test-media
if [ ! -f $TM ]; then
	tp skip "test-media: $(cat $TM.missing 2>/dev/null || echo "not extracted by qemu/test")"
	exit 0
fi

# test_media DRIVER LOG [SCRIPT]: the script (test-media by default) in a
# directory of its own (it reads ./.config), with the console log level it
# changes put back after.
test_media() {
	local drv=$1 log=$2 script=${3:-$TM} lvl dir=/tmp/test-media-$1
	# Debian's tools ahead of busybox's applets, as on the systems it
	# is written for (util-linux's dmesg takes level names).
	local path=/usr/sbin:/usr/bin:/sbin:/bin
	lvl=$(cut -f1 /proc/sys/kernel/printk)
	rm -rf $dir; mkdir -p $dir/bin
	# test-media reads the kernel's config from /proc/config.gz, else from
	# ./.config (the guest kernel has no IKCONFIG): a kobject release
	# delayed by CONFIG_DEBUG_KOBJECT_RELEASE shows in kallsyms.
	local keep=
	if grep -q ' kobject_delayed_cleanup$' /proc/kallsyms; then
		echo CONFIG_DEBUG_KOBJECT_RELEASE=y > $dir/.config
		# There vivid (the DMABUF exporter, not under test) stays
		# loaded: its platform device is a static object of its module
		# (vivid-core.c's vivid_pdev), whose release the kernel delays
		# past the unload, and each rmmod gets ODEBUG's "free active
		# object" and a kmemleak report of the device's name, the
		# kernel's own (C vimc's static device the same: why the lane
		# runs without it). test-media's modprobe of it is then a no-op.
		keep=vivid
	fi
	# modprobe and rmmod wrappers, ahead in PATH: for vimc_rs, vimc_rs
	# where the script says vimc; for both drivers, a wait until the
	# guest's /dev/char links match /sys/dev/char again, as udev has them
	# by the time a real system's modprobe returns (init's uevent handler
	# makes them one event after the other: vivid's nodes can take longer
	# than the script's 3 s sleep under TCG). 60 s at most.
	for t in modprobe rmmod; do
		cat > $dir/bin/$t <<-XEOF
		#!/bin/sh
		a=
		for x; do [ $drv = vimc_rs ] && [ "\$x" = vimc ] && x=vimc_rs; a="\$a \$x"; done
		# (Its "rmmod vivid 2&>/dev/null" passes vivid and 2.)
		[ $t = rmmod ] && [ -n "$keep" ] && case "\$a " in *" $keep "*) exit 0 ;; esac
		/sbin/$t \$a; rc=\$?
		i=0
		while [ \$i -lt 600 ]; do
			ok=1
			for d in /sys/dev/char/*:*; do grep -q '^DEVNAME=' \$d/uevent 2>/dev/null || continue; [ -L /dev/char/\${d##*/} ] || { ok=0; break; }; done
			for l in /dev/char/*:*; do [ -L \$l ] || continue; [ -e /sys/dev/char/\${l##*/} ] || { ok=0; break; }; done
			[ \$ok = 1 ] && break
			sleep 0.1; i=\$((i + 1))
		done
		exit \$rc
		XEOF
		chmod +x $dir/bin/$t
	done
	path=$dir/bin:$path
	# test-media clears kmemleak's list first: what earlier scenarios
	# leaked must be reported before that, here.
	if [ -e $KMEMLEAK ]; then
		kmemleak_scan_since "$(uptime_s)"
		cat $KMEMLEAK > /tmp/tm-prior.leaks
		[ ! -s /tmp/tm-prior.leaks ] || { head -40 /tmp/tm-prior.leaks; fail "kmemleak: leaks from before test-media"; }
	fi
	(cd $dir && PATH=$path bash $script -kmemleak vimc) > $log 2>&1 || true
	dmesg -n $lvl
	grep -q '^Final Summary: ' $log || fail "$drv: test-media did not finish: $(tail -5 $log)"
}
# Since 6.18 vimc's media bus_info is platform:vimc.0, and test-media 1.30.1
# finds the driver by platform:vimc (-z, media-ctl -d, -m): on 7.3 it stops
# at "the vimc module failed to load", on C vimc as on vimc_rs. Then a copy
# that says platform:vimc.0 (the only change) runs the rest.
TM0=/tmp/test-media-vimc0
sed 's/platform:vimc\([^.]\|$\)/platform:vimc.0\1/g' $TM > $TM0
both() { # DRIVER DIR: the run as shipped (DIR/shipped.log) and the one compared (DIR/test-media.log)
	test_media $1 $2/shipped.log
	if grep -q '^FAIL: the vimc module failed to load' $2/shipped.log; then
		test_media $1 $2/test-media.log $TM0
		echo "$1: as shipped, test-media found no platform:vimc; with platform:vimc.0: $(grep '^Final Summary' $2/test-media.log)"
	else
		cp $2/shipped.log $2/test-media.log
	fi
}
# leaks LOG: the objects test-media's own kmemleak check listed.
leaks() { sed -n '/^kmemleak results for vimc:/,/^end of kmemleak results/p' "$1" | grep -c '^unreferenced object' || true; }
rm -rf /tmp/rs-tm; mkdir /tmp/rs-tm
rs=/tmp/rs-tm/test-media.log
if no_c_vimc; then
	both vimc_rs /tmp/rs-tm
	grep -q '^Detected CONFIG_DEBUG_KOBJECT_RELEASE=y' $rs || echo "(test-media saw no CONFIG_DEBUG_KOBJECT_RELEASE: its usual waits)"
	echo "vimc_rs alone: $(grep '^Grand Total for vimc' $rs | tail -1); $(grep '^Final Summary' $rs)"
	grep -q '^Grand Total for vimc device' $rs || fail "test-media ran no v4l2-compliance on vimc_rs: $(grep '^FAIL' $rs)"
	check "test-media fails nothing on vimc_rs alone" grep -q '^Final Summary: .*, Failed: 0,' $rs
	check "test-media: its kmemleak check finds nothing after vimc_rs" [ "$(leaks $rs)" = 0 ]
	exit 0
fi
c_side() { both vimc $C; }
reference c_side
reference_done
both vimc_rs /tmp/rs-tm
check "test-media as shipped: the same Final Summary ($(grep '^Final Summary' /tmp/rs-tm/shipped.log))" \
	[ "$(grep '^Final Summary' $C/shipped.log)" = "$(grep '^Final Summary' /tmp/rs-tm/shipped.log)" ]
# The run compared below tested vimc: on C vimc too, or the comparison
# would prove nothing.
for f in $C/test-media.log $rs; do
	grep -q '^Grand Total for vimc device' $f || fail "test-media ran no v4l2-compliance on vimc ($f): $(grep '^FAIL' $f)"
done

# What differs from run to run: the dates, uname, the random sleeps of the
# second unbind, how many frames the client streamed before it (one '<'
# each), and how the client learns of that unbind. That is a race on both
# drivers: blocked in DQBUF it gets EINVAL when the queue is released;
# between a DQBUF and its QBUF, the QBUF gets ENODEV ("qbuf error"). Eight
# unbinds on 7.3 gave C vimc 2 of each, vimc_rs 1 EINVAL and 3 ENODEV.
norm() {
	sed -E -e '/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) /d' -e '/^Linux /d' \
		-e 's/^(\/dev\/[a-z0-9-]+): sleep [0-9]+s$/\1: sleep Ns/' -e 's/^<+/<.../' \
		-e 's/^<\.\.\.(do_handle_cap: qbuf error|VIDIOC_DQBUF: failed: Invalid argument)$/<...(qbuf ENODEV or DQBUF EINVAL)/' "$1"
}
c=$C/test-media.log
echo "C vimc:  $(grep '^Grand Total for vimc' $c | tail -1)"
echo "vimc_rs: $(grep '^Grand Total for vimc' $rs | tail -1)"
total() { grep '^Grand Total for vimc' "$1" | tail -1 | sed 's/.*: \([0-9]*\), Succeeded.*/\1/'; }
[ -n "$(total $rs)" ] || fail "vimc_rs: no Grand Total for vimc"
check "test-media: v4l2-compliance ran the same $(total $rs) tests" [ "$(total $c)" = "$(total $rs)" ]
# The failures, by node and test.
failures() {
	awk '/^Compliance test for .* device / { dev = $NF }
	     /: FAIL *$/ { t = $0; sub(/^[ \t]*(test )?/, "", t); sub(/: FAIL *$/, "", t); print dev " " t }' "$1" | sort
}
failures $c > /tmp/tm-c.fail
failures $rs > /tmp/tm-rs.fail
if [ -s /tmp/tm-c.fail ]; then echo "C vimc fails:"; sed 's/^/    /' /tmp/tm-c.fail; fi
if ! cmp -s /tmp/tm-c.fail /tmp/tm-rs.fail; then
	diff -u /tmp/tm-c.fail /tmp/tm-rs.fail || true
	fail "test-media: v4l2-compliance fails other tests on vimc_rs (- C vimc, + vimc_rs)"
fi
tp ok "test-media: the same $(grep -c . /tmp/tm-rs.fail) v4l2-compliance failures"
check "test-media: the same Final Summary" [ "$(grep '^Final Summary' $c)" = "$(grep '^Final Summary' $rs)" ]
# Its own kmemleak check: nothing between its markers.
[ "$(leaks $c)" = 0 ] || echo "C vimc: test-media's kmemleak check found $(leaks $c) objects"
check "test-media: its kmemleak check finds nothing after vimc_rs" [ "$(leaks $rs)" = 0 ]
# Everything else it printed: media-ctl and v4l2-ctl after the rebind, the
# streaming client at the unbind, ...
norm $c > /tmp/tm-c.norm
norm $rs > /tmp/tm-rs.norm
echo "the streaming client at the unbind: C vimc '$(grep -E '^<+' $c | tr -d '<')', vimc_rs '$(grep -E '^<+' $rs | tr -d '<')'"
if ! diff -u /tmp/tm-c.norm /tmp/tm-rs.norm > /tmp/tm.diff; then
	head -80 /tmp/tm.diff
	fail "test-media: output differs (- C vimc, + vimc_rs)"
fi
tp ok "test-media: the whole output identical ($(wc -l < /tmp/tm-rs.norm) lines)"
