/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#include <errno.h>
#include <limits.h>

#include <rte_mbuf_extension.h>

#include "test_runner.h"
#include "test_clean.h"

static struct {
	struct rte_mempool *mp;
	unsigned int base;
} watched[TEST_CLEAN_MAX_POOLS];
static unsigned int nb_watched;
static unsigned int base_blocks;
static uint64_t base_stats;

int
test_clean_watch(struct rte_mempool *mp)
{
	if (mp == NULL)
		return -EINVAL;
	if (nb_watched == TEST_CLEAN_MAX_POOLS)
		return -ENOSPC;
	watched[nb_watched].mp = mp;
	watched[nb_watched].base = rte_mempool_in_use_count(mp);
	nb_watched++;
	return 0;
}

void
test_clean_unwatch_all(void)
{
	nb_watched = 0;
}

/* The library's count of blocks in use; 0 before it is set up. */
static uint64_t
stats_in_use(void)
{
	struct rte_mbuf_extension_stats st;

	return rte_mbuf_extension_stats_get(&st) == 0 ? st.in_use : 0;
}

void
test_clean_snapshot(void)
{
	unsigned int i;

	base_blocks = rte_mbuf_extension_pool_in_use();
	base_stats = stats_in_use();
	for (i = 0; i < nb_watched; i++)
		watched[i].base = rte_mempool_in_use_count(watched[i].mp);
}

int
test_clean_check(void)
{
	unsigned int i;

	TEST_ASSERT_EQ(rte_mbuf_extension_pool_in_use(), base_blocks,
		"blocks in use");
	TEST_ASSERT_EQ(stats_in_use(), base_stats, "statistics in_use");
	for (i = 0; i < nb_watched; i++)
		TEST_ASSERT_EQ(rte_mempool_in_use_count(watched[i].mp),
			watched[i].base, watched[i].mp->name);
	return TEST_SUCCESS;
}

unsigned int
test_clean_blocks(void)
{
	return rte_mbuf_extension_pool_in_use() - base_blocks;
}

uint64_t
test_clean_stats_blocks(void)
{
	return stats_in_use() - base_stats;
}

unsigned int
test_clean_pool_in_use(const struct rte_mempool *mp)
{
	unsigned int i;

	for (i = 0; i < nb_watched; i++)
		if (watched[i].mp == mp)
			return rte_mempool_in_use_count(mp) - watched[i].base;
	return UINT_MAX;
}

void
test_clean_ring_free(struct rte_ring *r)
{
	struct rte_mbuf *m;

	if (r == NULL)
		return;
	while (rte_ring_dequeue(r, (void **)&m) == 0)
		rte_pktmbuf_free(m);
	rte_ring_free(r);
}
