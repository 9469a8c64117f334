/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * The mbuf_ext mempool handler (drivers/mempool/mbuf_ext): extensions are
 * released whoever frees the mbuf, and the handler is a correct mempool.
 *
 * Every release case attaches extensions and frees through code that does
 * not know the library. After every case (and between the parts of some)
 * mbuf_ext_check() checks that nothing leaked: no extension block in use
 * (block pool and library counters agree) and both mbuf pools as full as
 * before the case, and audits both pools. A control case shows that a pool
 * with DPDK's default handler refuses extensions unless opted in, and that
 * the same frees then leave blocks behind. The last case frees the pools.
 *
 * Needs two lcores (-l 0-1) for the cross-lcore cases.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include <rte_mbuf_extension.h>
#include <rte_mempool_mbuf_ext.h>

#include "test_runner.h"
#include "test_clean.h"

#define NB_MBUFS 1024
#define MBUF_CACHE 32
#define NB_BLOCKS 2048
#define BURST 64
#define DATA_ROOM 1024
#define PRIV_SIZE 64

struct ext_val {
	uint64_t v;
};

static struct rte_mempool *mp;     /* served by mbuf_ext, with cache */
static struct rte_mempool *mp_nc;  /* served by mbuf_ext, no cache */
static int id_a, id_b;

static unsigned int
blocks_in_use(void)
{
	struct rte_mbuf_extension_stats st;

	if (rte_mbuf_extension_stats_get(&st) != 0)
		return UINT32_MAX;
	if (st.in_use != rte_mbuf_extension_pool_in_use())
		return UINT32_MAX - 1;
	return (unsigned int)st.in_use;
}

/*
 * Nothing leaked since the case began (test_clean_check(): blocks in use,
 * both pools' mbufs in use), the library and the block pools count the
 * same blocks, and both pools are sane (rte_mempool_audit() panics if
 * not).
 */
static int
mbuf_ext_check(void)
{
	if (test_clean_check() != TEST_SUCCESS)
		return TEST_FAILED;
	TEST_ASSERT(blocks_in_use() < UINT32_MAX - 1,
		"no statistics, or they count other blocks than the pools");
	if (mp != NULL)
		rte_mempool_audit(mp);
	if (mp_nc != NULL)
		rte_mempool_audit(mp_nc);
	return TEST_SUCCESS;
}

/* Allocate @p n mbufs and give each one or two extensions. */
static int
alloc_with_ext(struct rte_mempool *pool, struct rte_mbuf **m, unsigned int n)
{
	unsigned int i;

	TEST_ASSERT(rte_pktmbuf_alloc_bulk(pool, m, n) == 0, "alloc %u", n);
	for (i = 0; i < n; i++) {
		struct ext_val *a = rte_mbuf_extension_add(m[i], id_a);

		TEST_ASSERT(a != NULL, "add: %s", rte_strerror(rte_errno));
		a->v = i;
		if (i & 1)
			TEST_ASSERT(rte_mbuf_extension_add(m[i], id_b) != NULL,
				"add b");
	}
	TEST_ASSERT_EQ(blocks_in_use(), n, "one block per mbuf");
	return 0;
}

static uint64_t
released(struct rte_mempool *pool)
{
	struct rte_mempool_mbuf_ext_stats st;

	if (rte_mempool_mbuf_ext_stats_get(pool, &st) != 0)
		return UINT64_MAX;
	return st.released;
}

/* Pool correctness: counts, private data, cache, audit, get/put. */
static int
test_pool_basics(void)
{
	struct rte_mempool_mbuf_ext_stats st;
	void *objs[NB_MBUFS];
	unsigned int i;

	TEST_ASSERT(strcmp(rte_mempool_get_ops(mp->ops_index)->name,
		RTE_MEMPOOL_MBUF_EXT_OPS_NAME) == 0, "ops name");
	TEST_ASSERT_EQ(mp->size, NB_MBUFS, "size");
	TEST_ASSERT_EQ(mp->populated_size, NB_MBUFS, "populated");
	/* The mempool cache is off, the handler keeps its own. */
	TEST_ASSERT_EQ(mp->cache_size, 0, "mempool cache size");
	TEST_ASSERT(rte_mempool_default_cache(mp, rte_lcore_id()) == NULL,
		"no mempool cache");
	TEST_ASSERT(rte_mempool_mbuf_ext_stats_get(mp, &st) == 0, "stats");
	TEST_ASSERT_EQ(st.cache_size, MBUF_CACHE, "handler cache size");
	/* The private data moved with the cache: the mbuf layout holds. */
	TEST_ASSERT_EQ(rte_pktmbuf_data_room_size(mp), DATA_ROOM, "data room");
	TEST_ASSERT_EQ(rte_pktmbuf_priv_size(mp), PRIV_SIZE, "priv size");
	TEST_ASSERT_EQ(rte_mempool_avail_count(mp), NB_MBUFS, "avail");
	TEST_ASSERT_EQ(rte_mempool_in_use_count(mp), 0, "in use");
	TEST_ASSERT(rte_mempool_full(mp), "full");

	/* One object: it goes to the lcore cache and is still counted. */
	TEST_ASSERT(rte_mempool_get(mp, &objs[0]) == 0, "get");
	TEST_ASSERT_EQ(rte_mempool_in_use_count(mp), 1, "in use 1");
	rte_mempool_put(mp, objs[0]);
	TEST_ASSERT(rte_mempool_mbuf_ext_stats_get(mp, &st) == 0, "stats");
	TEST_ASSERT(st.cached > 0, "object in the handler cache");
	TEST_ASSERT_EQ(st.cached + st.ring, NB_MBUFS, "cached + ring");
	TEST_ASSERT_EQ(rte_mempool_avail_count(mp), NB_MBUFS, "avail");

	/* Everything, then one more: all or nothing, ENOENT. */
	for (i = 0; i < NB_MBUFS; i += 16)
		TEST_ASSERT(rte_mempool_get_bulk(mp, &objs[i], 16) == 0,
			"get bulk at %u", i);
	TEST_ASSERT_EQ(rte_mempool_avail_count(mp), 0, "empty");
	TEST_ASSERT(rte_mempool_empty(mp), "empty");
	TEST_ASSERT(rte_mempool_get(mp, (void **)&st) < 0, "get from empty");
	for (i = 0; i < NB_MBUFS; i++)
		for (unsigned int j = i + 1; j < i + 8 && j < NB_MBUFS; j++)
			TEST_ASSERT(objs[i] != objs[j], "object twice");
	for (i = 0; i < NB_MBUFS; i++)
		TEST_ASSERT(rte_mempool_from_obj(objs[i]) == mp, "pool");
	/* Bulk sizes that bypass the cache both ways. */
	rte_mempool_put_bulk(mp, objs, 600);
	rte_mempool_put_bulk(mp, &objs[600], NB_MBUFS - 600);
	TEST_ASSERT_EQ(rte_mempool_avail_count(mp), NB_MBUFS, "all back");
	TEST_ASSERT(rte_mempool_get_bulk(mp, objs, 600) == 0, "get 600");
	TEST_ASSERT_EQ(rte_mempool_in_use_count(mp), 600, "600 in use");
	rte_mempool_put_bulk(mp, objs, 600);
	rte_mempool_audit(mp);
	return TEST_SUCCESS;
}

/* The three ways of creating a pool, and what is not an mbuf pool. */
static int
test_pool_create_free(void)
{
	struct rte_mempool *p;
	struct rte_mbuf *m;
	int ret;

	/* 2: by ops name. */
	p = rte_pktmbuf_pool_create_by_ops("mbx_byops", 256, 16, 0, 512,
		SOCKET_ID_ANY, RTE_MEMPOOL_MBUF_EXT_OPS_NAME);
	TEST_ASSERT(p != NULL, "by ops: %s", rte_strerror(rte_errno));
	TEST_ASSERT_EQ(rte_pktmbuf_data_room_size(p), 512, "data room");
	m = rte_pktmbuf_alloc(p);
	TEST_ASSERT(m != NULL && m->buf_len == 512, "mbuf");
	TEST_ASSERT(rte_mbuf_extension_add(m, id_a) != NULL, "add");
	rte_pktmbuf_free(m);
	TEST_ASSERT_EQ(released(p), 1, "released");
	TEST_ASSERT_EQ(blocks_in_use(), 0, "blocks");
	rte_mempool_free(p);
	TEST_ASSERT(rte_mempool_lookup("mbx_byops") == NULL, "freed");

	/* By hand: create_empty, set ops, pool init, populate. */
	p = rte_mempool_create_empty("mbx_empty", 128,
		sizeof(struct rte_mbuf) + 256, 8,
		sizeof(struct rte_pktmbuf_pool_private), SOCKET_ID_ANY, 0);
	TEST_ASSERT(p != NULL, "create empty");
	TEST_ASSERT(rte_mempool_set_ops_byname(p,
		RTE_MEMPOOL_MBUF_EXT_OPS_NAME, NULL) == 0, "set ops");
	rte_pktmbuf_pool_init(p, NULL);
	ret = rte_mempool_populate_default(p);
	TEST_ASSERT_EQ(ret, 128, "populate");
	rte_mempool_obj_iter(p, rte_pktmbuf_init, NULL);
	TEST_ASSERT_EQ(rte_pktmbuf_data_room_size(p), 256, "data room");
	TEST_ASSERT_EQ(rte_mempool_avail_count(p), 128, "avail");
	m = rte_pktmbuf_alloc(p);
	TEST_ASSERT(m != NULL, "alloc");
	TEST_ASSERT_EQ(rte_mempool_in_use_count(p), 1, "in use");
	rte_pktmbuf_free(m);
	rte_mempool_audit(p);
	rte_mempool_free(p);

	/* Objects smaller than an mbuf: refused at populate. */
	p = rte_mempool_create_empty("mbx_small", 64, 32, 0, 0,
		SOCKET_ID_ANY, 0);
	TEST_ASSERT(p != NULL, "create empty small");
	TEST_ASSERT(rte_mempool_set_ops_byname(p,
		RTE_MEMPOOL_MBUF_EXT_OPS_NAME, NULL) == 0, "set ops");
	ret = rte_mempool_populate_default(p);
	TEST_ASSERT_EQ(ret, -EINVAL, "populate of non-mbufs");
	rte_mempool_free(p);

	/* The stats of a pool of another handler: EINVAL. */
	p = rte_pktmbuf_pool_create("mbx_ring", 64, 0, 0, 256, SOCKET_ID_ANY);
	TEST_ASSERT(p != NULL, "ring pool");
	rte_errno = 0;
	TEST_ASSERT(released(p) == UINT64_MAX && rte_errno == EINVAL,
		"stats of a ring pool");
	rte_mempool_free(p);
	return TEST_SUCCESS;
}

static int
test_free_single(void)
{
	struct rte_mbuf *m[BURST];
	uint64_t r0 = released(mp);
	unsigned int i;

	if (alloc_with_ext(mp, m, BURST) != 0)
		return -1;
	for (i = 0; i < BURST; i++)
		rte_pktmbuf_free(m[i]);
	TEST_ASSERT_EQ(released(mp) - r0, BURST, "released by the handler");
	return TEST_SUCCESS;
}

static int
test_free_bulk(void)
{
	struct rte_mbuf *m[BURST];

	if (alloc_with_ext(mp, m, BURST) != 0)
		return -1;
	rte_pktmbuf_free_bulk(m, BURST);
	if (mbuf_ext_check() != TEST_SUCCESS)
		return TEST_FAILED;
	/* Without a cache too: every put goes to the ring. */
	if (alloc_with_ext(mp_nc, m, BURST) != 0)
		return -1;
	rte_pktmbuf_free_bulk(m, BURST);
	return TEST_SUCCESS;
}

/* Raw mempool puts, with the dynflag cleared (as a PMD RX would do). */
static int
test_raw_put(void)
{
	struct rte_mbuf *m[BURST];
	unsigned int i;

	if (alloc_with_ext(mp, m, BURST) != 0)
		return -1;
	for (i = 0; i < BURST; i++)
		if (i % 3 == 0)
			m[i]->ol_flags = 0; /* hidden but still owned */
	rte_mempool_put_bulk(mp, (void **)m, BURST);
	if (mbuf_ext_check() != TEST_SUCCESS)
		return TEST_FAILED;
	/* One by one, bypassing rte_pktmbuf_free. */
	if (alloc_with_ext(mp, m, BURST) != 0)
		return -1;
	for (i = 0; i < BURST; i++)
		rte_mbuf_raw_free(m[i]);
	return TEST_SUCCESS;
}

/*
 * No stale extension survives into the next life of an mbuf, even when
 * the application forges the valid flag and the old reference (the public
 * dynamic flag and field) into the mbuf that comes back.
 */
static int
test_next_life(void)
{
	struct rte_mbuf_dynfield field;
	struct rte_mbuf *m, *m2;
	struct ext_val *a;
	uint8_t old_ref[64];
	uint64_t valid;
	int bit, off;

	bit = rte_mbuf_dynflag_lookup(RTE_MBUF_EXTENSION_DYNFLAG_NAME, NULL);
	off = rte_mbuf_dynfield_lookup(RTE_MBUF_EXTENSION_DYNFIELD_NAME,
		&field);
	TEST_ASSERT(bit >= 0 && off >= 0 && field.size <= sizeof(old_ref),
		"dynamic flag and field");
	valid = UINT64_C(1) << bit;
	m = rte_pktmbuf_alloc(mp);
	TEST_ASSERT(m != NULL, "alloc");
	a = rte_mbuf_extension_add(m, id_a);
	TEST_ASSERT(a != NULL, "add");
	a->v = 42;
	TEST_ASSERT(m->ol_flags & valid, "flag set by add");
	memcpy(old_ref, RTE_MBUF_DYNFIELD(m, off, void *), field.size);
	m->ol_flags = 0;
	rte_pktmbuf_free(m);
	TEST_ASSERT_EQ(blocks_in_use(), 0, "released");
	/* The lcore cache is LIFO: the same mbuf comes back. */
	m2 = rte_pktmbuf_alloc(mp);
	TEST_ASSERT(m2 == m, "same mbuf");
	TEST_ASSERT(rte_mbuf_extension_find(m2, id_a) == NULL, "no stale");
	m2->ol_flags |= valid; /* forged */
	TEST_ASSERT(rte_mbuf_extension_find(m2, id_a) == NULL,
		"no stale even with the flag");
	/* The old reference too: its block went back, m2 owns no slot. */
	memcpy(RTE_MBUF_DYNFIELD(m2, off, void *), old_ref, field.size);
	TEST_ASSERT(rte_mbuf_extension_find(m2, id_a) == NULL,
		"no stale even with the old reference");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m2), 0, "active mask");
	m2->ol_flags = 0;
	a = rte_mbuf_extension_add(m2, id_a);
	TEST_ASSERT(a != NULL && a->v == 0, "fresh extension");
	TEST_ASSERT_EQ(blocks_in_use(), 1, "one block");
	rte_pktmbuf_free(m2);
	return TEST_SUCCESS;
}

/* Clones (plain and helper), freed before and after their original. */
static int
test_clones(void)
{
	struct rte_mbuf *md, *c1, *c2, *c3;
	struct ext_val *a;
	int order;

	for (order = 0; order < 4; order++) {
		md = rte_pktmbuf_alloc(mp);
		TEST_ASSERT(md != NULL, "alloc");
		a = rte_mbuf_extension_add(md, id_a);
		TEST_ASSERT(a != NULL, "add");
		a->v = 7;
		/* c1 borrows md's block, c2 and c3 hold their own refs. */
		c1 = rte_pktmbuf_clone(md, mp);
		c2 = rte_mbuf_extension_pktmbuf_clone(md, mp);
		c3 = rte_mbuf_extension_pktmbuf_clone(md, mp_nc);
		TEST_ASSERT(c1 != NULL && c2 != NULL && c3 != NULL, "clones");
		a = rte_mbuf_extension_find(c1, id_a);
		TEST_ASSERT(a != NULL && a->v == 7, "borrowed view");
		TEST_ASSERT_EQ(blocks_in_use(), 1, "one shared block");
		switch (order) {
		case 0: /* clones first */
			rte_pktmbuf_free(c1);
			rte_pktmbuf_free(c2);
			rte_pktmbuf_free(c3);
			TEST_ASSERT_EQ(blocks_in_use(), 1, "md holds it");
			a = rte_mbuf_extension_find(md, id_a);
			TEST_ASSERT(a != NULL && a->v == 7, "md intact");
			rte_pktmbuf_free(md);
			break;
		case 1: /* original first */
			rte_pktmbuf_free(md);
			/* md is pinned by the clones: the block lives. */
			TEST_ASSERT_EQ(blocks_in_use(), 1, "pinned");
			a = rte_mbuf_extension_find(c1, id_a);
			TEST_ASSERT(a != NULL && a->v == 7, "c1 view");
			a = rte_mbuf_extension_find(c2, id_a);
			TEST_ASSERT(a != NULL && a->v == 7, "c2 view");
			rte_pktmbuf_free(c2);
			rte_pktmbuf_free(c1);
			a = rte_mbuf_extension_find(c3, id_a);
			TEST_ASSERT(a != NULL && a->v == 7, "c3 view");
			rte_pktmbuf_free(c3);
			break;
		case 2: /* bulk, mixed */
		{
			struct rte_mbuf *all[4] = { c2, md, c1, c3 };

			rte_pktmbuf_free_bulk(all, 4);
			break;
		}
		default: /* copy on write in a clone, then free all */
			a = rte_mbuf_extension_add(c2, id_a);
			TEST_ASSERT(a != NULL && a->v == 7, "cow copy");
			a->v = 8;
			TEST_ASSERT_EQ(blocks_in_use(), 2, "copied");
			a = rte_mbuf_extension_find(md, id_a);
			TEST_ASSERT(a != NULL && a->v == 7, "md unchanged");
			rte_pktmbuf_free(md);
			rte_pktmbuf_free(c3);
			rte_pktmbuf_free(c1);
			rte_pktmbuf_free(c2);
			break;
		}
		if (mbuf_ext_check() != TEST_SUCCESS) {
			printf("  order %d\n", order);
			return TEST_FAILED;
		}
	}
	return 0;
}

static int ext_buf_freed;

static void
ext_buf_free_cb(void *addr, void *opaque)
{
	RTE_SET_USED(opaque);
	rte_free(addr);
	ext_buf_freed++;
}

/* An mbuf with an external buffer and an extension. */
static int
test_extbuf(void)
{
	struct rte_mbuf_ext_shared_info *shinfo;
	struct rte_mbuf *m;
	uint16_t len = 512;
	void *buf;

	m = rte_pktmbuf_alloc(mp);
	TEST_ASSERT(m != NULL, "alloc");
	buf = rte_malloc(NULL, len, 0);
	TEST_ASSERT(buf != NULL, "malloc");
	shinfo = rte_pktmbuf_ext_shinfo_init_helper(buf, &len,
		ext_buf_free_cb, NULL);
	TEST_ASSERT(shinfo != NULL, "shinfo");
	rte_pktmbuf_attach_extbuf(m, buf, rte_malloc_virt2iova(buf), len,
		shinfo);
	TEST_ASSERT(rte_mbuf_extension_add(m, id_a) != NULL, "add");
	ext_buf_freed = 0;
	rte_pktmbuf_free(m);
	TEST_ASSERT_EQ(ext_buf_freed, 1, "external buffer freed");
	return TEST_SUCCESS;
}

/* A real PMD's TX path: net_null frees what it transmits. */
static int
test_pmd_tx(void)
{
	struct rte_eth_conf conf;
	struct rte_mbuf *m[BURST];
	uint16_t port, n, i;
	unsigned int round;
	uint64_t r0;

	memset(&conf, 0, sizeof(conf));
	TEST_ASSERT(rte_vdev_init("net_null_mbx", NULL) == 0,
		"vdev: net_null plugin missing?");
	TEST_ASSERT(rte_eth_dev_get_port_by_name("net_null_mbx", &port) == 0,
		"port");
	TEST_ASSERT(rte_eth_dev_configure(port, 1, 1, &conf) == 0,
		"configure");
	TEST_ASSERT(rte_eth_rx_queue_setup(port, 0, 64, SOCKET_ID_ANY, NULL,
		mp) == 0, "rx queue");
	TEST_ASSERT(rte_eth_tx_queue_setup(port, 0, 64, SOCKET_ID_ANY,
		NULL) == 0, "tx queue");
	TEST_ASSERT(rte_eth_dev_start(port) == 0, "start");

	r0 = released(mp);
	for (round = 0; round < 8; round++) {
		/* Packets built by the application. */
		if (alloc_with_ext(mp, m, BURST) != 0)
			return -1;
		n = rte_eth_tx_burst(port, 0, m, BURST);
		TEST_ASSERT_EQ(n, BURST, "transmitted");
		TEST_ASSERT_EQ(blocks_in_use(), 0, "released on TX");
		/* Packets received from the PMD (allocated by it). */
		n = rte_eth_rx_burst(port, 0, m, 32);
		TEST_ASSERT(n > 0, "received");
		for (i = 0; i < n; i++)
			TEST_ASSERT(rte_mbuf_extension_add(m[i], id_b) != NULL,
				"add on rx");
		TEST_ASSERT_EQ(blocks_in_use(), n, "blocks");
		TEST_ASSERT_EQ(rte_eth_tx_burst(port, 0, m, n), n, "forward");
		TEST_ASSERT_EQ(blocks_in_use(), 0, "released on TX");
	}
	TEST_ASSERT(released(mp) - r0 >= 8 * BURST, "released by the handler");
	TEST_ASSERT(rte_eth_dev_stop(port) == 0, "stop");
	TEST_ASSERT(rte_eth_dev_close(port) == 0, "close");
	TEST_ASSERT(rte_vdev_uninit("net_null_mbx") == 0, "uninit");
	return TEST_SUCCESS;
}

/*
 * Packets cross lcores on rings: each side allocates packets with an
 * extension from its pool and sends them, and frees what the other side
 * sends, with rte_pktmbuf_free().
 */
#define XFER_PKTS 20000
#define XFER_BURST 16

struct xfer_side {
	struct rte_mempool *pool;
	struct rte_ring *out;
	struct rte_ring *in;
	int id;
	unsigned int errors;
};

static int
xfer_loop(void *arg)
{
	struct xfer_side *s = arg;
	struct rte_mbuf *m[XFER_BURST], *r[XFER_BURST];
	unsigned int sent = 0, got = 0, pend = 0, i, n;
	uint64_t t0 = rte_get_timer_cycles();

	while (sent < XFER_PKTS || got < XFER_PKTS) {
		if (sent < XFER_PKTS && pend == 0 &&
				rte_pktmbuf_alloc_bulk(s->pool, m,
					XFER_BURST) == 0) {
			for (i = 0; i < XFER_BURST; i++) {
				struct ext_val *a = rte_mbuf_extension_add(
					m[i], s->id);

				if (a == NULL)
					s->errors++;
				else
					a->v = sent + i;
			}
			pend = XFER_BURST;
		}
		if (pend != 0 && rte_ring_enqueue_bulk(s->out, (void **)m,
				XFER_BURST, NULL) == XFER_BURST) {
			sent += XFER_BURST;
			pend = 0;
		}
		n = rte_ring_dequeue_burst(s->in, (void **)r, XFER_BURST,
			NULL);
		for (i = 0; i < n; i++) {
			if (rte_mbuf_extension_find(r[i], s->id ^ id_a ^
					id_b) == NULL)
				s->errors++;
			rte_pktmbuf_free(r[i]);
		}
		got += n;
		/* A hang guard, not a timing assertion. */
		if (rte_get_timer_cycles() - t0 > 60 * rte_get_timer_hz()) {
			s->errors++;
			break;
		}
	}
	return 0;
}

static int
test_cross_lcore(void)
{
	struct rte_ring *a2b, *b2a;
	struct xfer_side side_main, side_worker;
	unsigned int worker;

	worker = rte_get_next_lcore(rte_lcore_id(), 1, 0);
	TEST_ASSERT(worker < RTE_MAX_LCORE, "needs a worker lcore (-l 0-1)");
	a2b = rte_ring_create("mbx_a2b", 1024, SOCKET_ID_ANY,
		RING_F_SP_ENQ | RING_F_SC_DEQ);
	b2a = rte_ring_create("mbx_b2a", 1024, SOCKET_ID_ANY,
		RING_F_SP_ENQ | RING_F_SC_DEQ);
	TEST_ASSERT(a2b != NULL && b2a != NULL, "rings");
	side_main = (struct xfer_side){ mp_nc, a2b, b2a, id_a, 0 };
	side_worker = (struct xfer_side){ mp, b2a, a2b, id_b, 0 };
	TEST_ASSERT(rte_eal_remote_launch(xfer_loop, &side_worker,
		worker) == 0, "launch");
	xfer_loop(&side_main);
	rte_eal_wait_lcore(worker);
	TEST_ASSERT_EQ(rte_ring_count(a2b) + rte_ring_count(b2a), 0,
		"rings drained");
	rte_ring_free(a2b);
	rte_ring_free(b2a);
	TEST_ASSERT_EQ(side_main.errors, 0, "main errors");
	TEST_ASSERT_EQ(side_worker.errors, 0, "worker errors");
	/* Objects in the worker's handler cache count as available. */
	return TEST_SUCCESS;
}

/*
 * Control: a pool with DPDK's default handler. Its mbufs may not take
 * references (ENOTSUP) unless the application opts the pool in and frees
 * them with the library; mbufs of an opted-in pool freed by code that does
 * not know the library keep their blocks (this is what the handler fixes).
 */
static int
test_control_default_handler(void)
{
	struct rte_mbuf *m[BURST * 2], *c;
	struct rte_mbuf_extension_stats s0, s1;
	struct rte_mempool *ring_mp;
	unsigned int i;

	ring_mp = rte_pktmbuf_pool_create_by_ops("mbx_ctrl", BURST * 2,
		MBUF_CACHE, 0, 256, SOCKET_ID_ANY, "ring_mp_mc");
	TEST_ASSERT(ring_mp != NULL, "ring pool");

	/* Not opted in: refused, nothing taken, counted. */
	TEST_ASSERT(rte_mbuf_extension_stats_get(&s0) == 0, "stats");
	m[0] = rte_pktmbuf_alloc(ring_mp);
	TEST_ASSERT(m[0] != NULL, "alloc");
	rte_errno = 0;
	TEST_ASSERT(rte_mbuf_extension_add(m[0], id_a) == NULL &&
		rte_errno == ENOTSUP, "add in a plain pool: %s",
		rte_strerror(rte_errno));
	TEST_ASSERT(rte_mbuf_extension_find(m[0], id_a) == NULL, "no ext");
	/* Nor through a clone of a handler pool's mbuf into it. */
	m[1] = rte_pktmbuf_alloc(mp);
	TEST_ASSERT(m[1] != NULL, "alloc");
	TEST_ASSERT(rte_mbuf_extension_add(m[1], id_a) != NULL, "add");
	rte_errno = 0;
	c = rte_mbuf_extension_pktmbuf_clone(m[1], ring_mp);
	TEST_ASSERT(c == NULL && rte_errno == ENOTSUP,
		"library clone into a plain pool");
	TEST_ASSERT_EQ(rte_mbuf_extension_share(m[0], m[1]), -ENOTSUP,
		"share into a plain pool");
	TEST_ASSERT(rte_mbuf_extension_find(m[0], id_a) == NULL, "no ext");
	TEST_ASSERT(rte_mbuf_extension_stats_get(&s1) == 0, "stats");
	TEST_ASSERT_EQ(s1.refused - s0.refused, 3, "refused");
	TEST_ASSERT_EQ(blocks_in_use(), 1, "only the handler pool's block");
	rte_pktmbuf_free(m[0]);
	rte_pktmbuf_free(m[1]);
	TEST_ASSERT_EQ(rte_mempool_in_use_count(ring_mp), 0, "ring pool");
	if (mbuf_ext_check() != TEST_SUCCESS)
		return TEST_FAILED;

	/* Opted in, freed with the library: nothing kept. */
	TEST_ASSERT(rte_mbuf_extension_pktmbuf_pool_opt_in(ring_mp) == 0,
		"opt in");
	if (alloc_with_ext(ring_mp, m, BURST) != 0)
		return -1;
	rte_mbuf_extension_pktmbuf_free_bulk(m, BURST);
	TEST_ASSERT_EQ(blocks_in_use(), 0, "released by the library free");

	/* Opted in, freed by plain rte_pktmbuf_free(): blocks kept. */
	if (alloc_with_ext(ring_mp, m, BURST) != 0)
		return -1;
	for (i = 0; i < BURST; i++)
		rte_pktmbuf_free(m[i]);
	TEST_ASSERT_EQ(blocks_in_use(), BURST, "blocks kept by free mbufs");
	/* Clean up by hand: take every mbuf and drop what it owns. */
	TEST_ASSERT(rte_mempool_get_bulk(ring_mp, (void **)m, BURST * 2) == 0,
		"get");
	for (i = 0; i < BURST * 2; i++)
		rte_mbuf_extension_release(m[i]);
	rte_mempool_put_bulk(ring_mp, (void **)m, BURST * 2);
	TEST_ASSERT_EQ(blocks_in_use(), 0, "released by hand");
	rte_mempool_free(ring_mp);
	return TEST_SUCCESS;
}

/*
 * Two lcores take and release owner slots of one block as fast as they
 * can, each sharing from its own owner, until the slots rest. A share
 * that succeeds always yields a take count of at least 1: a count of 0
 * is a count that wrapped, a take number given twice in one lifetime
 * (third review of the design: tested before the slot was ours, the rest
 * limit raced with the other lcore's take and release).
 */
#define TAKE_RACE_ROUNDS 24

struct take_race {
	struct rte_mbuf *owner;            /* The worker's owner. */
	const void *block;
	volatile unsigned int go, stop, idle;
	uint64_t takes, wraps;
};

/* The block @p m shows, NULL if none. */
static const void *
shown_block(const struct rte_mbuf *m)
{
	struct rte_mbuf_extension_info info;

	return rte_mbuf_extension_info_get(m, &info) == 0 ? info.block : NULL;
}

/*
 * One share from @p owner into a fresh mbuf; counts takes and wraps. The
 * take count of the slot the fresh mbuf owns is the one its reference
 * names: nobody else takes that slot while the mbuf holds it.
 */
static void
take_once(struct rte_mbuf *owner, const void *block, uint64_t *takes,
		uint64_t *wraps, unsigned int *copies)
{
	struct rte_mbuf *c = rte_pktmbuf_alloc(mp);
	struct rte_mbuf_extension_info info;

	if (c == NULL)
		return;
	if (rte_mbuf_extension_share(c, owner) == 0 &&
			rte_mbuf_extension_info_get(c, &info) == 0 &&
			info.block == block) {
		(*takes)++;
		if (info.takes[info.slot] == 0)
			(*wraps)++;
		*copies = 0;
	} else {
		(*copies)++;
	}
	rte_pktmbuf_free(c);
}

static int
take_race_worker(void *arg)
{
	struct take_race *t = arg;
	unsigned int round = 0, copies;

	while (round < TAKE_RACE_ROUNDS) {
		while (t->go == round)
			rte_pause();
		round = t->go;
		while (!t->stop)
			take_once(t->owner, t->block, &t->takes, &t->wraps,
				&copies);
		__atomic_store_n(&t->idle, round, __ATOMIC_RELEASE);
	}
	return 0;
}

static int
test_slot_take_race(void)
{
	static struct take_race t;
	uint64_t takes = 0, wraps = 0;
	unsigned int worker, round, copies;
	struct rte_mbuf *x;

	worker = rte_get_next_lcore(rte_lcore_id(), 1, 0);
	TEST_ASSERT(worker < RTE_MAX_LCORE, "needs a worker lcore (-l 0-1)");
	memset(&t, 0, sizeof(t));
	TEST_ASSERT(rte_eal_remote_launch(take_race_worker, &t, worker) == 0,
		"launch");
	for (round = 1; round <= TAKE_RACE_ROUNDS; round++) {
		x = rte_pktmbuf_alloc(mp);
		TEST_ASSERT(x != NULL && rte_mbuf_extension_add(x, id_a) !=
			NULL, "packet");
		t.owner = rte_pktmbuf_alloc(mp);
		TEST_ASSERT(t.owner != NULL &&
			rte_mbuf_extension_share(t.owner, x) == 0, "owner");
		t.block = shown_block(x);
		t.stop = 0;
		__atomic_store_n(&t.go, round, __ATOMIC_RELEASE);
		/* Until the two free slots rest: 1000 copies in a row. */
		for (copies = 0; copies < 1000; )
			take_once(x, t.block, &takes, &wraps, &copies);
		t.stop = 1;
		while (__atomic_load_n(&t.idle, __ATOMIC_ACQUIRE) != round)
			rte_pause();
		rte_pktmbuf_free(t.owner);
		rte_pktmbuf_free(x);
	}
	rte_eal_wait_lcore(worker);
	printf("  %" PRIu64 " + %" PRIu64 " takes on 2 lcores, %u rounds\n",
		takes, t.takes, TAKE_RACE_ROUNDS);
	TEST_ASSERT(takes > 0 && t.takes > 0, "both lcores took slots");
	TEST_ASSERT_EQ(wraps + t.wraps, 0, "take counts wrapped");
	return TEST_SUCCESS;
}

/*
 * Issue 8, F1, exactly as reported, in a handler pool freed by the
 * library only: a reference copied before its block was freed must stay
 * dead when the block comes back to the same mbuf address.
 */
static int
test_issue8_f1_handler_pool(void)
{
	struct rte_mbuf *z, *y, *x, *c, *z_addr;
	struct rte_mbuf_extension_info zi, ci;
	struct ext_val *v;

	z = rte_pktmbuf_alloc(mp);
	TEST_ASSERT(z != NULL && rte_pktmbuf_append(z, 64) != NULL,
		"alloc z");
	v = rte_mbuf_extension_add(z, id_a);           /* z owns block B */
	TEST_ASSERT(v != NULL, "add z");
	v->v = 0xf1;
	/* B, and where the data of id_a lies in a block that holds it first */
	TEST_ASSERT(rte_mbuf_extension_info_get(z, &zi) == 0, "info z");
	TEST_ASSERT((const char *)v ==
		(const char *)zi.block + zi.offset[id_a] && zi.offset[id_a] > 0,
		"z's data is not where its block says");
	y = rte_pktmbuf_copy(z, mp, 0, UINT32_MAX);    /* carries (B, z) */
	TEST_ASSERT(y != NULL, "copy y");
	TEST_ASSERT(rte_mbuf_extension_find(y, id_a) == NULL, "y sees B");
	z_addr = z;
	rte_mbuf_extension_pktmbuf_free(z);            /* B back */
	TEST_ASSERT_EQ(blocks_in_use(), 0, "B released");
	x = rte_pktmbuf_copy(y, mp, 0, UINT32_MAX);    /* z's old mbuf */
	TEST_ASSERT(x != NULL, "copy x");
	TEST_ASSERT(x == z_addr, "x did not get z's address: proves nothing");
	TEST_ASSERT(rte_mbuf_extension_find(x, id_a) == NULL, "x sees B");
	c = rte_pktmbuf_clone(x, mp);
	TEST_ASSERT(c != NULL, "clone c");
	TEST_ASSERT(rte_mbuf_extension_find(c, id_a) == NULL, "c sees B");
	/* The block cache hands B back to x: another type, then the same. */
	TEST_ASSERT(rte_mbuf_extension_add(x, id_b) != NULL, "add x b");
	TEST_ASSERT(shown_block(x) == zi.block,
		"B did not come back to x: proves nothing");
	TEST_ASSERT(rte_mbuf_extension_find(c, id_a) == NULL,
		"c sees x's block as its old type");
	TEST_ASSERT(rte_mbuf_extension_find(c, id_b) == NULL,
		"c sees x's later type");
	v = rte_mbuf_extension_add(x, id_a);
	TEST_ASSERT(v != NULL, "add x a");
	v->v = 0x5a5a;
	TEST_ASSERT(rte_mbuf_extension_find(c, id_a) == NULL,
		"c sees x's later data of its old type");
	TEST_ASSERT(rte_mbuf_extension_find(y, id_a) == NULL, "y revived");
	/* An add on c takes a block of its own: never the header. */
	v = rte_mbuf_extension_add(c, id_a);
	TEST_ASSERT(v != NULL && v->v == 0, "add on c");
	TEST_ASSERT(rte_mbuf_extension_info_get(c, &ci) == 0 && ci.owned &&
		ci.block != shown_block(x), "c has no block of its own");
	TEST_ASSERT((const char *)v ==
		(const char *)ci.block + ci.offset[id_a] &&
		ci.offset[id_a] == zi.offset[id_a],
		"add on c returned a block header");
	TEST_ASSERT(rte_mbuf_extension_find(x, id_a) != NULL &&
		((struct ext_val *)rte_mbuf_extension_find(x, id_a))->v ==
		0x5a5a, "x's data changed by c");
	/* share() from y's dead copy of B gives x nothing (resets it). */
	rte_pktmbuf_free(c);
	TEST_ASSERT(rte_mbuf_extension_share(x, y) == 0, "share(x, y)");
	TEST_ASSERT(rte_mbuf_extension_find(x, id_a) == NULL,
		"share revived B through y");
	TEST_ASSERT_EQ(blocks_in_use(), 0, "blocks after share");
	rte_pktmbuf_free(x);
	rte_pktmbuf_free(y);
	return TEST_SUCCESS;
}

/*
 * Last, and the suite's tear-down: with both mbuf pools freed, the block
 * pool can be freed, which it refuses while any block is in use.
 */
static int
test_pools_free(void)
{
	test_clean_unwatch_all();
	rte_mempool_free(mp);
	rte_mempool_free(mp_nc);
	mp = NULL;
	mp_nc = NULL;
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_free(), 0, "block pool free");
	return TEST_SUCCESS;
}

static int
mbuf_ext_setup(void)
{
	struct rte_mbuf_extension_params pa = {
		.name = "test_mbx_a", .size = sizeof(struct ext_val),
		.align = 8,
	};
	struct rte_mbuf_extension_params pb = {
		.name = "test_mbx_b", .size = 100, .align = 16,
	};

	id_a = rte_mbuf_extension_register(&pa);
	id_b = rte_mbuf_extension_register(&pb);
	TEST_ASSERT(id_a >= 0 && id_b >= 0 &&
		rte_mbuf_extension_pool_create(NB_BLOCKS, 16,
			SOCKET_ID_ANY) == 0,
		"extension setup: %s", rte_strerror(rte_errno));
	/* 1: the library's helper. */
	mp = rte_mbuf_extension_pktmbuf_pool_create("mbx_pool", NB_MBUFS,
		MBUF_CACHE, PRIV_SIZE, DATA_ROOM, SOCKET_ID_ANY);
	mp_nc = rte_mbuf_extension_pktmbuf_pool_create("mbx_pool_nc",
		NB_MBUFS, 0, 0, DATA_ROOM, SOCKET_ID_ANY);
	TEST_ASSERT(mp != NULL && mp_nc != NULL, "mbuf pools: %s",
		rte_strerror(rte_errno));
	TEST_ASSERT(test_clean_watch(mp) == 0 && test_clean_watch(mp_nc) == 0,
		"watch");
	return TEST_SUCCESS;
}

static struct unit_test_suite mbuf_ext_suite = {
	.name = "mempool_mbuf_ext",
	.setup = mbuf_ext_setup,
	.snapshot = test_clean_snapshot,
	.check = mbuf_ext_check,
	.cases = {
		TEST_CASE(test_pool_basics),
		TEST_CASE(test_pool_create_free),
		TEST_CASE(test_free_single),
		TEST_CASE(test_free_bulk),
		TEST_CASE(test_raw_put),
		TEST_CASE(test_next_life),
		TEST_CASE(test_clones),
		TEST_CASE(test_extbuf),
		TEST_CASE(test_pmd_tx),
		TEST_CASE(test_cross_lcore),
		TEST_CASE(test_control_default_handler),
		TEST_CASE(test_issue8_f1_handler_pool),
		TEST_CASE(test_slot_take_race),
		TEST_CASE(test_pools_free),
		TEST_CASES_END()
	}
};

REGISTER_TEST_SUITE(mbuf_ext_suite);
