/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * mbext-test: every test suite of the project in one executable, with one
 * EAL set-up. See test_runner.h.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "test_runner.h"

#define MAX_SUITES 32

static struct unit_test_suite *suites[MAX_SUITES];
static unsigned int nb_suites;

int test_runner_argc;
char **test_runner_argv;

void
test_runner_register(struct unit_test_suite *suite)
{
	if (nb_suites == MAX_SUITES) {
		fprintf(stderr, "test runner: more than %d suites\n",
			MAX_SUITES);
		abort();
	}
	suites[nb_suites++] = suite;
}

static struct unit_test_suite *
suite_lookup(const char *name)
{
	unsigned int i;

	for (i = 0; i < nb_suites; i++)
		if (strcmp(suites[i]->name, name) == 0)
			return suites[i];
	return NULL;
}

static void
usage(const char *prog)
{
	unsigned int i;

	printf("usage: %s <EAL arguments> -- <suite> [suite arguments]\n"
		"suites:", prog);
	for (i = 0; i < nb_suites; i++)
		printf(" %s", suites[i]->name);
	printf("\n");
}

struct tally {
	unsigned int passed, failed, skipped;
};

static void
report(struct tally *t, const char *name, int r)
{
	const char *what;

	if (r == TEST_SUCCESS) {
		t->passed++;
		what = "PASS";
	} else if (r == TEST_SKIPPED) {
		t->skipped++;
		what = "SKIP";
	} else {
		t->failed++;
		what = "FAIL";
	}
	printf("%s: %s\n", what, name);
}

/* Run one case with its set-up, tear-down and the suite's check. */
static int
run_case(const struct unit_test_suite *s, const struct unit_test_case *c)
{
	int r = TEST_SUCCESS;

	if (s->snapshot != NULL)
		s->snapshot();
	if (c->setup != NULL && c->setup() != TEST_SUCCESS) {
		/* What the set-up did before failing is the tear-down's. */
		printf("  case set-up failed\n");
		r = TEST_FAILED;
	} else if (c->testcase != NULL) {
		r = c->testcase();
	} else {
		r = c->testcase_with_data(c->data);
	}
	if (c->teardown != NULL)
		c->teardown();
	if (s->check != NULL && s->check() != TEST_SUCCESS) {
		printf("  the suite's check failed after the case\n");
		r = TEST_FAILED;
	}
	return r;
}

int
main(int argc, char **argv)
{
	struct unit_test_suite *s = NULL;
	const struct unit_test_case *c;
	struct tally t = { 0, 0, 0 };
	int i, ret, r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* The suite is named after "--", which the EAL leaves alone. */
	for (i = 1; i < argc - 1; i++) {
		if (strcmp(argv[i], "--") == 0) {
			s = suite_lookup(argv[i + 1]);
			if (s == NULL)
				printf("unknown suite %s\n", argv[i + 1]);
			break;
		}
	}
	if (s == NULL) {
		usage(argv[0]);
		return EXIT_FAILURE;
	}
	printf(" + suite %s\n", s->name);
	if (s->pre_eal.name != NULL)
		report(&t, s->pre_eal.name, s->pre_eal.testcase());

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		printf("rte_eal_init failed: %s\n", rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	/*
	 * The EAL put the program name where "--" was, at argv[ret]: the
	 * suite's name and arguments follow.
	 */
	test_runner_argc = argc - ret - 1;
	test_runner_argv = argv + ret + 1;

	r = s->setup != NULL ? s->setup() : TEST_SUCCESS;
	for (c = s->cases; c->name != NULL; c++) {
		if (r != TEST_SUCCESS) {
			/* The suite's set-up failed or skips every case. */
			report(&t, c->name, r == TEST_SKIPPED ?
				TEST_SKIPPED : TEST_FAILED);
			continue;
		}
		report(&t, c->name, run_case(s, c));
	}
	if (r == TEST_SUCCESS && s->teardown != NULL)
		s->teardown();
	rte_eal_cleanup();

	printf(" + suite %s: %u passed, %u failed, %u skipped\n", s->name,
		t.passed, t.failed, t.skipped);
	if (t.failed != 0)
		return EXIT_FAILURE;
	if (t.passed == 0 && t.skipped == 0) {
		printf("suite %s has no case\n", s->name);
		return EXIT_FAILURE;
	}
	if (t.passed == 0 && t.skipped != 0)
		return TEST_SKIPPED;
	return EXIT_SUCCESS;
}
