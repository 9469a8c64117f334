/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _TEST_RUNNER_H_
#define _TEST_RUNNER_H_

/**
 * @file
 * The test runner of the project, after DPDK's unit_test_suite_runner
 * (app/test/test.h): every test file declares one suite of cases and
 * registers it with REGISTER_TEST_SUITE(). All suites are linked into one
 * executable, mbext-test, which sets up the EAL once and runs the suite
 * named after "--" on its command line:
 *
 *   mbext-test <EAL arguments> -- <suite> [suite arguments]
 *
 * Each meson test runs one suite in its own process. Per suite, the runner
 * calls:
 *
 *   pre_eal case                   before rte_eal_init(), if the suite has one
 *   setup()                        once; TEST_SKIPPED skips every case
 *   for each case:
 *     snapshot()                   the suite's record of what is in use
 *     case setup(), case, case teardown()  (the tear-down runs even
 *                                  when the set-up failed: it must undo a
 *                                  partial set-up)
 *     check()                      the suite's invariant after every case
 *                                  (nothing leaked): a failure fails the case
 *   teardown()                     once
 *
 * A case returns TEST_SUCCESS, TEST_FAILED or TEST_SKIPPED. The runner
 * prints "PASS: name", "FAIL: name" or "SKIP: name" per case and a summary,
 * and exits with 0 when no case failed, 77 (meson's skip) when every case
 * was skipped, 1 otherwise.
 */

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_common.h>
#include <rte_errno.h>

#define TEST_SUCCESS 0
#define TEST_FAILED (-1)
/** A case that cannot run here (meson's skip exit code). */
#define TEST_SKIPPED 77

/** Check a condition inside a case; on failure report and fail the case. */
#define TEST_ASSERT(cond, fmt, ...) do {				\
	if (!(cond)) {							\
		printf("  %s:%d: assertion `%s' failed: " fmt "\n",	\
			__FILE__, __LINE__, #cond, ##__VA_ARGS__);	\
		return TEST_FAILED;					\
	}								\
} while (0)

/** Check that two integers are equal; on failure print both. */
#define TEST_ASSERT_EQ(a, b, what) do {					\
	uint64_t __a = (uint64_t)(a), __b = (uint64_t)(b);		\
	if (__a != __b) {						\
		printf("  %s:%d: %s: %" PRIu64 " != %" PRIu64 "\n",	\
			__FILE__, __LINE__, what, __a, __b);		\
		return TEST_FAILED;					\
	}								\
} while (0)

/** Skip the case, saying why. */
#define TEST_SKIP(fmt, ...) do {					\
	printf("  skipped: " fmt "\n", ##__VA_ARGS__);			\
	return TEST_SKIPPED;						\
} while (0)

/** One case of a suite. */
struct unit_test_case {
	const char *name;
	/** Optional, before the case; its failure fails the case. */
	int (*setup)(void);
	/** Optional, after the case, whatever its result. */
	void (*teardown)(void);
	/** The case, or NULL when testcase_with_data is set. */
	int (*testcase)(void);
	/** The case as a function of data. */
	int (*testcase_with_data)(const void *data);
	const void *data;
};

/** A case without set-up or tear-down. */
#define TEST_CASE(fn) { #fn, NULL, NULL, fn, NULL, NULL }
/** A case with its own set-up and tear-down. */
#define TEST_CASE_ST(setup, teardown, fn)				\
	{ #fn, setup, teardown, fn, NULL, NULL }
/** A case named name that runs fn(data). */
#define TEST_CASE_NAMED_WITH_DATA(name, fn, data)			\
	{ name, NULL, NULL, NULL, fn, data }
/** The end of a suite's case list. */
#define TEST_CASES_END() { NULL, NULL, NULL, NULL, NULL, NULL }

/** A suite: the cases of one test file, run in order. */
struct unit_test_suite {
	/** The name given on the command line (and meson's test name). */
	const char *name;
	/** Optional case run before rte_eal_init(); no set-up or check. */
	struct unit_test_case pre_eal;
	/** Optional, once before the cases. */
	int (*setup)(void);
	/** Optional, once after the cases. */
	void (*teardown)(void);
	/** Optional, before every case (before its set-up). */
	void (*snapshot)(void);
	/** Optional, after every case: what must hold between cases. */
	int (*check)(void);
	/** The cases, ended by TEST_CASES_END(). */
	struct unit_test_case cases[];
};

/** Add a suite to the runner (at start-up, from a constructor). */
void test_runner_register(struct unit_test_suite *suite);

/** Register suite s with the runner. */
#define REGISTER_TEST_SUITE(s)						\
RTE_INIT(test_register_##s)						\
{									\
	test_runner_register(&s);					\
}

/**
 * The suite's own arguments (after its name): test_runner_argv[0] is the
 * suite name. Valid from the suite's setup() on.
 */
extern int test_runner_argc;
extern char **test_runner_argv;

#endif /* _TEST_RUNNER_H_ */
