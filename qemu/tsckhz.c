// SPDX-License-Identifier: GPL-2.0
/*
 * tsckhz: the host's TSC rate in kHz, measured against CLOCK_MONOTONIC_RAW
 * over 200 ms. At each end the TSC is read between two clock reads, and of
 * 20 tries the one with the closest pair counts, so that being preempted
 * there does not skew the rate. Under TCG the guest's TSC is the host's (QEMU's rdtsc reads
 * the host's), so qemu/run hands the guest kernel this rate. Exits 1 if the
 * TSC is not constant and nonstop, or the rate is implausible.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <x86intrin.h>

static uint64_t ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* A TSC reading and the clock at that moment. */
static void sample(uint64_t *tsc, uint64_t *at)
{
	uint64_t best = UINT64_MAX;
	int i;

	for (i = 0; i < 20; i++) {
		uint64_t a = ns(), c = __rdtsc(), b = ns();

		if (b - a < best) {
			best = b - a;
			*tsc = c;
			*at = a + (b - a) / 2;
		}
	}
}

int main(void)
{
	struct timespec d = { 0, 200000000 };
	char line[4096];
	int constant = 0, nonstop = 0;
	uint64_t t0, c0, t1, c1, khz;
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "flags", 5)) {
			constant = !!strstr(line, " constant_tsc");
			nonstop = !!strstr(line, " nonstop_tsc");
			break;
		}
	if (f)
		fclose(f);
	if (!constant || !nonstop) {
		fprintf(stderr, "tsckhz: the host's TSC is not constant and nonstop\n");
		return 1;
	}
	sample(&c0, &t0);
	nanosleep(&d, NULL);
	sample(&c1, &t1);
	khz = (c1 - c0) * 1000000 / (t1 - t0);
	if (khz < 100000 || khz > 10000000) {
		fprintf(stderr, "tsckhz: implausible rate %llu kHz\n", (unsigned long long)khz);
		return 1;
	}
	printf("%llu\n", (unsigned long long)khz);
	return 0;
}
