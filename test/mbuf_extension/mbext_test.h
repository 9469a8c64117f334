/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _MBEXT_TEST_H_
#define _MBEXT_TEST_H_

/* Helpers shared by the tests of lib/mbuf_extension. */

#include <stdio.h>
#include <string.h>

#include <rte_mbuf.h>

#include <rte_mbuf_extension.h>

/* An extension type a test registers. */
struct mbext_test_type {
	const char *name;
	size_t size;
	size_t align;
};

/* The registration parameters of a type. */
static inline struct rte_mbuf_extension_params
mbext_test_params(const char *name, size_t size, size_t align)
{
	struct rte_mbuf_extension_params p;

	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "%s", name);
	p.size = size;
	p.align = align;
	return p;
}

/* Register a type: rte_mbuf_extension_register()'s result. */
static inline int
mbext_test_register(const char *name, size_t size, size_t align)
{
	struct rte_mbuf_extension_params p =
		mbext_test_params(name, size, align);

	return rte_mbuf_extension_register(&p);
}

/*
 * The block pool of a suite, @p n blocks with @p cache per lcore, and the
 * mbufs of @p mp opted in: the size of a block in bytes (header included,
 * from rte_mbuf_extension_pool_lookup()), or 0 with rte_errno set.
 */
static inline unsigned int
mbext_test_block_pool(unsigned int n, unsigned int cache,
		struct rte_mempool *mp)
{
	struct rte_mempool *bp;

	if (rte_mbuf_extension_pool_create(n, cache, SOCKET_ID_ANY) != 0 ||
			rte_mbuf_extension_pktmbuf_pool_opt_in(mp) != 0)
		return 0;
	bp = rte_mbuf_extension_pool_lookup(SOCKET_ID_ANY);
	return bp != NULL ? bp->elt_size : 0;
}

/*
 * Bytes of a block's header, before any extension data. Only the size of
 * the library's internal header is used, never its fields.
 */
#define MBEXT_TEST_HDR_SIZE \
	(RTE_MBUF_EXTENSION_HDR_CHUNKS * RTE_MBUF_EXTENSION_CHUNK)

/* The block @p m shows, NULL if none (rte_mbuf_extension_info_get()). */
static inline const void *
mbext_test_block_of(const struct rte_mbuf *m)
{
	struct rte_mbuf_extension_info info;

	return rte_mbuf_extension_info_get(m, &info) == 0 ? info.block : NULL;
}

/*
 * 1 if the @p size bytes at @p p lie in the block @p m shows, after its
 * header and within its @p block_size bytes (the block pool's element
 * size); 0 if not, or if @p m shows no block.
 */
static inline int
mbext_test_in_block(const struct rte_mbuf *m, const void *p, size_t size,
		size_t block_size)
{
	const char *blk = mbext_test_block_of(m);
	const char *d = p;

	return blk != NULL && d >= blk + MBEXT_TEST_HDR_SIZE &&
		d + size <= blk + block_size;
}

#endif /* _MBEXT_TEST_H_ */
