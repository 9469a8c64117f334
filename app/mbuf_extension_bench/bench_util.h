/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _BENCH_UTIL_H_
#define _BENCH_UTIL_H_

/*
 * Timing and reporting helpers shared by the executables of this folder:
 * mbuf_extension_bench, _profile and _mtag.
 */

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>

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

/* An option "--name N" of a benchmark, N from 1 to max. */
struct bench_opt {
	const char *name;
	unsigned int *value; /* Holds the default, gets N. */
	unsigned int max;
	const char *what;    /* For the usage line; may be NULL. */
};

#define BENCH_UTIL_MAX_OPTS 8u

/*
 * Parse the options of @p o (at most BENCH_UTIL_MAX_OPTS) and --help in
 * the arguments after the EAL's. 0: parsed; 1: --help, usage printed;
 * -1: bad argument, usage printed.
 */
static __rte_unused int
bench_parse_args(int argc, char **argv, const struct bench_opt *o,
		unsigned int n)
{
	struct option opts[BENCH_UTIL_MAX_OPTS + 2];
	unsigned long v;
	unsigned int i;
	char *end;
	int opt;

	n = RTE_MIN(n, BENCH_UTIL_MAX_OPTS);
	memset(opts, 0, sizeof(opts));
	for (i = 0; i < n; i++)
		opts[i] = (struct option){ o[i].name, required_argument, NULL,
			(int)i };
	opts[n] = (struct option){ "help", no_argument, NULL, 'h' };
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (opt < 0 || opt >= (int)n)
			goto usage;
		errno = 0;
		v = strtoul(optarg, &end, 0);
		if (errno != 0 || *end != '\0' || v == 0 || v > o[opt].max)
			goto usage;
		*o[opt].value = (unsigned int)v;
	}
	return 0;
usage:
	printf("Usage: %s [EAL options] --", argv[0]);
	for (i = 0; i < n; i++)
		printf(" [--%s N (%s%smax %u, default %u)]", o[i].name,
			o[i].what != NULL ? o[i].what : "",
			o[i].what != NULL ? ", " : "", o[i].max,
			*o[i].value);
	printf("\n");
	return opt == 'h' ? 1 : -1;
}

/*
 * rte_eal_init(), then the benchmark's options (see bench_parse_args()).
 * -1: go on; otherwise the exit status: 1 (EAL failed), 2 (bad
 * argument), 0 (--help).
 */
static __rte_unused int
bench_init(int argc, char **argv, const struct bench_opt *o, unsigned int n)
{
	int ret = rte_eal_init(argc, argv);

	if (ret < 0) {
		fprintf(stderr, "EAL init failed: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	ret = bench_parse_args(argc - ret, argv + ret, o, n);
	if (ret == 0)
		return -1;
	rte_eal_cleanup();
	return ret < 0 ? 2 : 0;
}

#endif /* _BENCH_UTIL_H_ */
