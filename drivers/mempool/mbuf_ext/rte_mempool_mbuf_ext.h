/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _RTE_MEMPOOL_MBUF_EXT_H_
#define _RTE_MEMPOOL_MBUF_EXT_H_

/**
 * @file
 * mbuf_ext mempool handler
 *
 * A mempool handler (mempool driver) for mbuf pools that releases the
 * extension reference an mbuf owns (rte_mbuf_extension_release()) every
 * time the mbuf returns to its pool, whoever frees it: a PMD's TX path,
 * rte_pktmbuf_free() called by a library that does not know extensions,
 * a raw rte_mempool_put_bulk().
 *
 * So that every put reaches the handler, the handler turns off the
 * mempool's own per-lcore cache (the pool reports cache_size 0) and keeps
 * an equivalent per-lcore object cache of its own, of the size the pool was
 * created with. Objects live in an rte_ring behind that cache.
 *
 * The handler is selected:
 * - with rte_mbuf_extension_pktmbuf_pool_create();
 * - with rte_pktmbuf_pool_create_by_ops(..., RTE_MEMPOOL_MBUF_EXT_OPS_NAME);
 * - in an unmodified application, with the EAL options
 *   "-d librte_mempool_mbuf_ext.so --mbuf-pool-ops-name mbuf_ext".
 *
 * Secondary processes: DPDK requires the same mempool ops, registered in
 * the same order, in every process. A secondary links this driver or
 * loads it with the same "-d librte_mempool_mbuf_ext.so" as the primary
 * (at the same place among the -d options that load mempool drivers).
 * A secondary that frees mbufs of a handler pool without ever calling the
 * library attaches to the primary's registry on its first put
 * (__rte_mbuf_extension_secondary_attach()), then releases as the primary
 * does.
 *
 * Only pools of mbufs may use it (objects of at least
 * sizeof(struct rte_mbuf) bytes, initialised by rte_pktmbuf_init()).
 * Objects put through a user-owned cache (rte_mempool_generic_put() with a
 * cache from rte_mempool_cache_create()) reach the handler only when that
 * cache is flushed.
 */

#include <stdint.h>

#include <rte_compat.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Name of the mempool ops, for rte_pktmbuf_pool_create_by_ops(). */
#define RTE_MEMPOOL_MBUF_EXT_OPS_NAME "mbuf_ext"

/**
 * Statistics of a pool served by the handler.
 */
struct rte_mempool_mbuf_ext_stats {
	/** Extension references the handler dropped, all lcores. */
	uint64_t released;
	/** Objects in the handler's per-lcore caches. */
	uint32_t cached;
	/** Objects in the ring behind the caches. */
	uint32_t ring;
	/** Per-lcore cache size (the cache_size the pool was created with). */
	uint32_t cache_size;
};

/**
 * Create an mbuf pool served by the mbuf_ext handler.
 *
 * Same as rte_pktmbuf_pool_create() with the ops name
 * RTE_MEMPOOL_MBUF_EXT_OPS_NAME: mbufs freed by any code drop the
 * extension reference they own.
 *
 * @param name
 *   The pool name.
 * @param n
 *   Number of mbufs.
 * @param cache_size
 *   Per-lcore cache size, kept by the handler (the pool itself reports 0).
 * @param priv_size
 *   Application private area size after each mbuf (multiple of
 *   RTE_MBUF_PRIV_ALIGN).
 * @param data_room_size
 *   Data buffer size of each mbuf, headroom included.
 * @param socket_id
 *   The socket, or SOCKET_ID_ANY.
 * @return
 *   The pool, or NULL with rte_errno set (as rte_pktmbuf_pool_create()).
 */
__rte_experimental
struct rte_mempool *
rte_mbuf_extension_pktmbuf_pool_create(const char *name, unsigned int n,
		unsigned int cache_size, uint16_t priv_size,
		uint16_t data_room_size, int socket_id);

/**
 * Read the handler's statistics of a pool.
 *
 * @param mp
 *   A pool served by the handler.
 * @param stats
 *   Filled on success.
 * @return
 *   0, or -EINVAL (NULL argument, or @p mp is not served by the handler or
 *   not populated yet); rte_errno is set too.
 */
__rte_experimental
int rte_mempool_mbuf_ext_stats_get(const struct rte_mempool *mp,
		struct rte_mempool_mbuf_ext_stats *stats);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_MEMPOOL_MBUF_EXT_H_ */
