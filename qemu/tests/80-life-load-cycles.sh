#!/bin/sh -e
# modprobe/rmmod cycles (issue 5, test 1): vimc_rs (make stress: C vimc
# first; async_debugfs:
# 83-life-async-debugfs-cycles). Probe builds the graph, remove tears it down, and every
# object is freed by its release callback (KASAN during, kmemleak after each
# driver). 3 cycles in make check (a second and third load find what the
# first unload left), 1000 on each driver in make stress.
# timeout: 5400
. /vimc-rs/tests/lib/harness.inc
. /vimc-rs/tests/lib/compare.inc
. /vimc-rs/tests/lib/v4l2.inc

scenario() { # DRIVER
	local i=0 n m s
	n=$(count 3 1000 1)
	while [ $i -lt $n ]; do
		modprobe $1 || fail "modprobe #$i"
		m=$(media_of vimc.0) && [ -c $m ] || fail "no media device after load #$i"
		s=$(node "Sensor A") && [ -c $s ] || fail "no Sensor A node after load #$i"
		[ -e /sys/bus/platform/drivers/vimc/vimc.0 ] || fail "platform device not bound #$i"
		modprobe -r $1 || fail "modprobe -r #$i"
		[ ! -e $m ] || fail "$m left after unload #$i"
		[ ! -e $s ] || fail "$s left after unload #$i"
		[ ! -e /sys/bus/platform/devices/vimc.0 ] || fail "platform device left after unload #$i"
		i=$((i + 1))
	done
	echo "$1: $i load/unload cycles"
}
on_both scenario

