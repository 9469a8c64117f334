/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _BENCH_UTIL_H_
#define _BENCH_UTIL_H_

/*
 * Timing and reporting helpers shared by the executables of this folder:
 * mbuf_extension_bench, _profile and _mtag.
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_cycles.h>

/* The TSC, with the compiler kept from moving code across the read. */
static __rte_always_inline uint64_t
tsc(void)
{
	uint64_t t;

	rte_compiler_barrier();
	t = rte_rdtsc();
	rte_compiler_barrier();
	return t;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Median of @p n values (sorts them). */
static __rte_unused double
median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Checks that failed while measuring; a benchmark exits non-zero if any. */
static uint64_t bench_errors;

static __rte_unused void
check(bool ok, const char *what)
{
	if (unlikely(!ok)) {
		if (bench_errors++ < 10)
			fprintf(stderr, "check failed: %s\n", what);
	}
}

#define BENCH_UTIL_MAX_ROUNDS 99u

/*
 * The cost of reading the TSC twice around nothing, to take off each
 * timed region: per round the least of 1000 empty regions, the median of
 * @p rounds (at most BENCH_UTIL_MAX_ROUNDS) rounds.
 */
static __rte_unused uint64_t
tsc_read_cost(unsigned int rounds)
{
	double v[BENCH_UTIL_MAX_ROUNDS];
	unsigned int r, p;

	rounds = RTE_MAX(1u, RTE_MIN(rounds, BENCH_UTIL_MAX_ROUNDS));
	for (r = 0; r < rounds; r++) {
		uint64_t best = UINT64_MAX, t0;

		for (p = 0; p < 1000; p++) {
			t0 = tsc();
			best = RTE_MIN(best, tsc() - t0);
		}
		v[r] = (double)best;
	}
	return (uint64_t)median(v, rounds);
}

/* The CPU model, from lscpu; "unknown" if it cannot be had. */
static __rte_unused void
machine_name(char *buf, size_t len)
{
	char line[256];
	FILE *f;

	snprintf(buf, len, "unknown");
	f = popen("lscpu 2>/dev/null", "r");
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		char *v;

		if (strncmp(line, "Model name:", 11) != 0)
			continue;
		v = line + 11;
		v += strspn(v, " \t");
		v[strcspn(v, "\n")] = '\0';
		snprintf(buf, len, "%s", v);
		break;
	}
	pclose(f);
}

/*
 * The 1-minute load average (other processes on the machine change the
 * figures: a benchmark says how busy it was); "unknown" if unreadable.
 */
static __rte_unused void
load_average(char *buf, size_t len)
{
	FILE *f = fopen("/proc/loadavg", "r");

	if (f == NULL || fgets(buf, (int)len, f) == NULL)
		snprintf(buf, len, "unknown");
	buf[strcspn(buf, " ")] = '\0';
	if (f != NULL)
		fclose(f);
}

#endif /* _BENCH_UTIL_H_ */
