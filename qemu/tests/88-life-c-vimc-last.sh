#!/bin/sh -e
# make stress only. C vimc's runs of the lifetime scenarios that oops it (81 at times under
# full preemption, 84, 86), recorded
# for the table, after every vimc_rs run: an oops kills its task with locks
# held, and what runs after it cannot be trusted: once one of them oopsed,
# the next is recorded as not run. Nothing here fails the scenario but a
# report outside C vimc's runs.
# runs: last
# lane: stress
# needs: c-vimc
# timeout: 3600
. /vimc-rs/tests/lib/harness.inc
LIFE_C=1
for f in 81-life-unbind-streaming 84-life-ioctl-stress 86-life-failslab-probe; do
	LIFE_NAME=$f
	. /vimc-rs/tests/$f.sh
done
# What C vimc's oopses leave behind shows up late (buffers of the killed
# tasks become unreferenced once they are reaped): record it here, or the
# runner would pin it on this scenario's end or on the next one.
sleep 5
kmemleak_scan_since "$(uptime_s)"
echo "late, after C vimc's runs (recorded): $(grep -c '^unreferenced object' $KMEMLEAK) kmemleak objects, $(dmesg | grep -Ec "$REPORT") kernel reports"
echo clear > $KMEMLEAK; dmesg -c > /dev/null
