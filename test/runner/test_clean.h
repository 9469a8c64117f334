/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _TEST_CLEAN_H_
#define _TEST_CLEAN_H_

/**
 * @file
 * The check most suites make after every case: nothing leaked. No
 * extension block in use and every watched mempool as full as before the
 * case. A suite sets
 *
 *   .snapshot = test_clean_snapshot,
 *   .check = test_clean_check,
 *
 * and watches its pools in its set-up with test_clean_watch().
 */

#include <rte_mempool.h>
#include <rte_ring.h>

/** Pools one suite may watch. */
#define TEST_CLEAN_MAX_POOLS 8

/**
 * Watch a mempool: after every case as many of its objects are in use as
 * before it. 0, or -ENOSPC (too many pools), -EINVAL (NULL).
 */
int test_clean_watch(struct rte_mempool *mp);

/** Stop watching every pool (for a suite that frees its pools). */
void test_clean_unwatch_all(void);

/** Record what is in use now: the baseline of test_clean_check(). */
void test_clean_snapshot(void);

/**
 * TEST_SUCCESS if blocks in use (as the block pools and the library's
 * statistics count them) and each watched pool's objects in use are what
 * they were at the last snapshot; TEST_FAILED, saying what differs.
 */
int test_clean_check(void);

/*
 * What the running case holds: counts now less those at the last snapshot,
 * for a case that checks them as it goes (test_clean_check() checks them
 * all at the end).
 */

/** Blocks in use, as the block pools count them, since the snapshot. */
unsigned int test_clean_blocks(void);

/** The library's in_use statistic since the snapshot. */
uint64_t test_clean_stats_blocks(void);

/**
 * Objects of the watched pool @p mp in use since the snapshot; UINT_MAX if
 * @p mp is not watched.
 */
unsigned int test_clean_pool_in_use(const struct rte_mempool *mp);

/**
 * Free the mbufs left in ring @p r, then the ring (NULL: nothing), as a
 * test's tear-down does with the rings of its ring ports.
 */
void test_clean_ring_free(struct rte_ring *r);

#endif /* _TEST_CLEAN_H_ */
