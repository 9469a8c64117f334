/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _BENCH_UTIL_H_
#define _BENCH_UTIL_H_

/* Timing helpers shared by mbuf_extension_bench and _profile. */

#include <stdint.h>
#include <stdlib.h>

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

#endif /* _BENCH_UTIL_H_ */
