// SPDX-License-Identifier: GPL-2.0
/* membw: memcpy bandwidth of the guest, in MB/s (64 MiB blocks, ~1 s). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(void)
{
	size_t n = 64 << 20;
	char *a = malloc(n), *b = malloc(n);
	double t0, t;
	long rounds = 0;

	if (!a || !b)
		return 1;
	memset(a, 1, n);
	memset(b, 2, n);
	t0 = now();
	do {
		memcpy(rounds & 1 ? a : b, rounds & 1 ? b : a, n);
		rounds++;
		t = now() - t0;
	} while (t < 1.0);
	printf("%.0f\n", rounds * (double)n / t / 1e6);
	return a[n / 2] == 3; /* keep the copies */
}
