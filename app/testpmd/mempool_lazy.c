/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * "mbuf_ext_lazy": a measurement-only mempool handler for
 * bench_testpmd.sh, design (a) of doc/guides/mempool_handler.rst. It is
 * DPDK's ring handler (ring_mp_mc) with the mempool cache left on, plus
 * rte_mbuf_extension_release_bulk() on every enqueue, so extensions are
 * released only when a cache is flushed to the ring. Not exact: free mbufs
 * parked in a mempool cache keep their blocks. It shows what the exact
 * handler (drivers/mempool/mbuf_ext) costs over releasing lazily.
 *
 * Load with -d librte_mempool_mbuf_ext_lazy.so (next to DPDK's
 * mempool_ring driver, which EAL loads from its plugin directory) and
 * --mbuf-pool-ops-name mbuf_ext_lazy.
 */

#include <errno.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include <rte_mbuf_extension.h>

/* The ring handler's ops, found at the first pool's creation. */
static struct rte_mempool_ops *ring_ops;

static struct rte_mempool_ops *
ops_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < rte_mempool_ops_table.num_ops; i++)
		if (strcmp(rte_mempool_ops_table.ops[i].name, name) == 0)
			return &rte_mempool_ops_table.ops[i];
	return NULL;
}

static int
lazy_alloc(struct rte_mempool *mp)
{
	if (ring_ops == NULL)
		ring_ops = ops_find("ring_mp_mc");
	if (ring_ops == NULL) {
		rte_errno = ENOTSUP;
		return -ENOTSUP;
	}
	return ring_ops->alloc(mp);
}

static void
lazy_free(struct rte_mempool *mp)
{
	/* Also called for a pool whose alloc never ran or failed. */
	if (ring_ops != NULL && mp->pool_data != NULL)
		ring_ops->free(mp);
}

static int
lazy_enqueue(struct rte_mempool *mp, void * const *obj_table, unsigned int n)
{
	rte_mbuf_extension_release_bulk(obj_table, n);
	return ring_ops->enqueue(mp, obj_table, n);
}

static int
lazy_dequeue(struct rte_mempool *mp, void **obj_table, unsigned int n)
{
	return ring_ops->dequeue(mp, obj_table, n);
}

static unsigned int
lazy_get_count(const struct rte_mempool *mp)
{
	return ring_ops->get_count(mp);
}

static struct rte_mempool_ops lazy_ops = {
	.name = "mbuf_ext_lazy",
	.alloc = lazy_alloc,
	.free = lazy_free,
	.enqueue = lazy_enqueue,
	.dequeue = lazy_dequeue,
	.get_count = lazy_get_count,
	/* Mbuf headers zeroed before they are enqueued. */
	.populate = rte_mbuf_extension_mempool_populate,
};

RTE_MEMPOOL_REGISTER_OPS(lazy_ops);
