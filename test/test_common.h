/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _TEST_COMMON_H_
#define _TEST_COMMON_H_

/*
 * A small harness shared by the test programs. Each program is one meson
 * test: it runs its cases in order, prints one line per case and exits
 * non-zero if any case failed.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_eal.h>
#include <rte_errno.h>

static int test_failures;

/* Check a condition inside a case; on failure report and return -1. */
#define TEST_ASSERT(cond, fmt, ...) do {				\
	if (!(cond)) {							\
		printf("  %s:%d: assertion `%s' failed: " fmt "\n",	\
			__FILE__, __LINE__, #cond, ##__VA_ARGS__);	\
		return -1;						\
	}								\
} while (0)

#define TEST_ASSERT_EQ(a, b, what) do {					\
	uint64_t __a = (uint64_t)(a), __b = (uint64_t)(b);		\
	if (__a != __b) {						\
		printf("  %s:%d: %s: %" PRIu64 " != %" PRIu64 "\n",	\
			__FILE__, __LINE__, what, __a, __b);		\
		return -1;						\
	}								\
} while (0)

/* Report the result r of the case named name (0: success). */
static inline void
test_report(const char *name, int r)
{
	printf("%s: %s\n", r == 0 ? "PASS" : "FAIL", name);
	if (r != 0)
		test_failures++;
}

/* Run one case: a function returning 0 on success. */
#define TEST_RUN(fn) test_report(#fn, (fn)())

/* End of main(): clean up the EAL and give the exit status. */
static inline int
test_finish(void)
{
	rte_eal_cleanup();
	printf("%s: %d case(s) failed\n", test_failures ? "FAILED" : "OK",
		test_failures);
	return test_failures ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif /* _TEST_COMMON_H_ */
