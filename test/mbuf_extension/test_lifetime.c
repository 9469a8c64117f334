/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * Lifetime rules of extension blocks (issue 2, rules 1 to 8) and the
 * operations around them.
 *
 * Every case ends with check_clean(): no block in use by the stats nor by
 * the block pool, and the mbuf pool full. Extension pools are not seen by
 * ASan (mempool objects are never poisoned), so use after free is
 * detected by content instead: the block pool has a per-lcore cache, which
 * gives a block just put back to the next add on this lcore (LIFO).
 * After freeing some holders of a block, a case adds an extension to a
 * fresh mbuf and writes a poison value: had the block been freed too
 * early, the remaining holders would read the zeroed or poisoned data.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include <rte_mbuf_extension.h>

#include "test_common.h"

#define NB_MBUFS 512
#define MBUF_CACHE 32
#define NB_BLOCKS 256
#define BLOCK_CACHE 16
#define POISON UINT64_C(0xdeadbeefdeadbeef)

/* Type A: a key and a value. */
struct ext_a {
	uint64_t key;
	uint64_t val;
};

static struct rte_mempool *mp;
static int id_a, id_b, id_c, id_d;

static struct rte_mempool *
block_pool(void)
{
	char name[RTE_MEMPOOL_NAMESIZE];

	snprintf(name, sizeof(name), "MBUF_EXT_%d", (int)rte_socket_id());
	return rte_mempool_lookup(name);
}

static struct rte_mbuf_extension_stats
stats(void)
{
	struct rte_mbuf_extension_stats st;

	if (rte_mbuf_extension_stats_get(&st) != 0)
		memset(&st, 0xff, sizeof(st));
	return st;
}

/*
 * What was in use when the case started: 0 unless an earlier case failed
 * and leaked. Counting from there keeps one failure from failing every
 * case after it.
 */
static struct {
	uint64_t in_use;
	unsigned int pool_in_use;
	unsigned int mbufs_in_use;
} base;

static void
snapshot(void)
{
	base.in_use = stats().in_use;
	base.pool_in_use = rte_mbuf_extension_pool_in_use();
	base.mbufs_in_use = NB_MBUFS - rte_mempool_avail_count(mp);
}

/* Blocks out of the block pool, from the start of the case. */
static unsigned int
blocks_in_use(void)
{
	return rte_mbuf_extension_pool_in_use() - base.pool_in_use;
}

/* Nothing in use anywhere: blocks and mbufs all back in their pools. */
static int
check_clean(void)
{
	struct rte_mempool *bp = block_pool();

	TEST_ASSERT(bp != NULL, "no block pool");
	TEST_ASSERT_EQ(stats().in_use - base.in_use, 0, "stats in_use");
	TEST_ASSERT_EQ(blocks_in_use(), 0, "pool_in_use");
	TEST_ASSERT_EQ(rte_mempool_avail_count(bp) + base.pool_in_use,
		bp->size, "blocks available");
	TEST_ASSERT_EQ(rte_mempool_avail_count(mp) + base.mbufs_in_use,
		NB_MBUFS, "mbufs available");
	return 0;
}

#define CHECK_CLEAN() TEST_ASSERT(check_clean() == 0, "not clean")

/* A packet with some payload. */
static struct rte_mbuf *
pkt_alloc(void)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	char *p;

	if (m == NULL)
		return NULL;
	p = rte_pktmbuf_append(m, 64);
	if (p != NULL)
		memset(p, 0x5a, 64);
	return m;
}

/* A packet with extension A set to @p key. */
static struct rte_mbuf *
pkt_with_a(uint64_t key)
{
	struct rte_mbuf *m = pkt_alloc();
	struct ext_a *a;

	if (m == NULL)
		return NULL;
	a = rte_mbuf_extension_add(m, id_a);
	if (a == NULL) {
		rte_mbuf_extension_pktmbuf_free(m);
		return NULL;
	}
	a->key = key;
	a->val = ~key;
	return m;
}

/* Key of extension A of @p m; 0 if it has none. */
static uint64_t
key_a(const struct rte_mbuf *m)
{
	const struct ext_a *a = rte_mbuf_extension_find(m, id_a);

	return a == NULL ? 0 : a->key;
}

/*
 * Take a block from the pool and poison it: with the per-lcore cache this
 * is the block freed last, if one was.
 */
static int
poison_recent_block(void)
{
	struct rte_mbuf *m = pkt_alloc();
	uint64_t *p;

	TEST_ASSERT(m != NULL, "mbuf alloc");
	p = rte_mbuf_extension_add(m, id_a);
	TEST_ASSERT(p != NULL, "add");
	p[0] = POISON;
	p[1] = POISON;
	rte_mbuf_extension_pktmbuf_free(m);
	return 0;
}

#define POISON_RECENT() TEST_ASSERT(poison_recent_block() == 0, "poison")

/*
 * Rule 1: a block is released exactly once, when its last holder is freed
 * through the helpers; not before.
 */
static int
test_rule1_release_once(void)
{
	struct rte_mbuf_extension_stats s0, s1;
	struct rte_mbuf *m, *hc, *hcp;

	m = pkt_with_a(0x1001);
	TEST_ASSERT(m != NULL, "packet");
	s0 = stats();
	hc = rte_mbuf_extension_pktmbuf_clone(m, mp);
	hcp = rte_mbuf_extension_pktmbuf_copy(m, mp, 0, UINT32_MAX);
	TEST_ASSERT(hc != NULL && hcp != NULL, "alloc");
	s1 = stats();
	TEST_ASSERT_EQ(s1.share - s0.share, 2, "shares");
	TEST_ASSERT_EQ(s1.alloc - s0.alloc, 0, "allocs");
	TEST_ASSERT_EQ(blocks_in_use(), 1, "one block");
	TEST_ASSERT(rte_mbuf_extension_find(hc, id_a) ==
		rte_mbuf_extension_find(m, id_a), "clone's block");
	TEST_ASSERT(rte_mbuf_extension_find(hcp, id_a) ==
		rte_mbuf_extension_find(m, id_a), "copy's block");

	/* The original goes first: the clone still pins it. */
	rte_mbuf_extension_pktmbuf_free(m);
	POISON_RECENT();
	TEST_ASSERT_EQ(blocks_in_use(), 1, "freed early");
	TEST_ASSERT_EQ(key_a(hc), 0x1001, "clone's data");
	TEST_ASSERT_EQ(key_a(hcp), 0x1001, "copy's data");
	rte_mbuf_extension_pktmbuf_free(hcp);
	POISON_RECENT();
	TEST_ASSERT_EQ(blocks_in_use(), 1, "freed early");
	TEST_ASSERT_EQ(key_a(hc), 0x1001, "clone's data");
	s0 = stats();
	rte_mbuf_extension_pktmbuf_free(hc);
	s1 = stats();
	/* hc's own reference, then m's when hc detached from it. */
	TEST_ASSERT_EQ(s1.release - s0.release, 2, "last releases");
	TEST_ASSERT_EQ(s1.free - s0.free, 1, "block freed once");
	CHECK_CLEAN();
	return 0;
}

/*
 * Rule 2: clones made by rte_pktmbuf_clone() and by the helper see the
 * same extensions; freeing in either order never frees early or twice.
 */
static int
clone_case(int helper, int orig_first)
{
	struct rte_mbuf_extension_stats s0, s1;
	struct rte_mbuf *m, *c;
	uint64_t *b;

	m = pkt_with_a(0x2002);
	TEST_ASSERT(m != NULL, "packet");
	b = rte_mbuf_extension_add(m, id_b);
	TEST_ASSERT(b != NULL, "add b");
	*b = 0x2b2b;
	s0 = stats();
	c = helper ? rte_mbuf_extension_pktmbuf_clone(m, mp) :
		rte_pktmbuf_clone(m, mp);
	TEST_ASSERT(c != NULL, "clone");
	s1 = stats();
	TEST_ASSERT_EQ(s1.share - s0.share, helper ? 1 : 0, "shares");
	TEST_ASSERT_EQ(s1.alloc - s0.alloc, 0, "allocs");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(c),
		rte_mbuf_extension_active_mask(m), "mask");
	TEST_ASSERT(rte_mbuf_extension_find(c, id_a) ==
		rte_mbuf_extension_find(m, id_a), "same data");
	TEST_ASSERT_EQ(key_a(c), 0x2002, "clone's A");
	TEST_ASSERT(rte_mbuf_extension_find(c, id_b) != NULL, "clone's B");
	TEST_ASSERT_EQ(*(uint64_t *)rte_mbuf_extension_find(c, id_b), 0x2b2b,
		"clone's B");
	TEST_ASSERT(!rte_mbuf_extension_exists(c, id_c), "clone's C");
	TEST_ASSERT(memcmp(rte_pktmbuf_mtod(c, void *),
		rte_pktmbuf_mtod(m, void *), 64) == 0, "payload");

	if (orig_first) {
		rte_mbuf_extension_pktmbuf_free(m);
		POISON_RECENT();
		TEST_ASSERT_EQ(key_a(c), 0x2002, "clone's A after free");
		TEST_ASSERT_EQ(blocks_in_use(), 1, "in use");
		rte_mbuf_extension_pktmbuf_free(c);
	} else {
		rte_mbuf_extension_pktmbuf_free(c);
		POISON_RECENT();
		TEST_ASSERT_EQ(key_a(m), 0x2002, "original's A after free");
		TEST_ASSERT_EQ(blocks_in_use(), 1, "in use");
		rte_mbuf_extension_pktmbuf_free(m);
	}
	s1 = stats();
	/* One more release and free: the poison block. */
	TEST_ASSERT_EQ(s1.release - s0.release, (helper ? 2 : 1) + 1,
		"releases");
	TEST_ASSERT_EQ(s1.free - s0.free, 1 + 1 /* poison */, "frees");
	CHECK_CLEAN();
	return 0;
}

static int
test_rule2_plain_clone_orig_first(void)
{
	return clone_case(0, 1);
}

static int
test_rule2_plain_clone_clone_first(void)
{
	return clone_case(0, 0);
}

static int
test_rule2_helper_clone_orig_first(void)
{
	return clone_case(1, 1);
}

static int
test_rule2_helper_clone_clone_first(void)
{
	return clone_case(1, 0);
}

/* Rule 3: adding to a block shared with a helper clone copies it. */
static int
test_rule3_cow_helper_clone(void)
{
	struct rte_mbuf_extension_stats s0, s1;
	struct rte_mbuf *m, *c;
	struct ext_a *a;

	m = pkt_with_a(0x3003);
	TEST_ASSERT(m != NULL, "packet");
	c = rte_mbuf_extension_pktmbuf_clone(m, mp);
	TEST_ASSERT(c != NULL, "clone");
	s0 = stats();
	/* Add of a present type on a shared block: a private copy. */
	a = rte_mbuf_extension_add(c, id_a);
	TEST_ASSERT(a != NULL, "add on clone");
	s1 = stats();
	TEST_ASSERT_EQ(s1.cow - s0.cow, 1, "cow");
	TEST_ASSERT(a != rte_mbuf_extension_find(m, id_a), "not copied");
	TEST_ASSERT_EQ(a->key, 0x3003, "copy keeps the data");
	TEST_ASSERT_EQ(a->val, ~UINT64_C(0x3003), "copy keeps the data");
	a->key = 0x3113;
	TEST_ASSERT_EQ(key_a(m), 0x3003, "original changed");
	TEST_ASSERT_EQ(key_a(c), 0x3113, "clone's write lost");
	/* A new type on the now private block: no more copies. */
	TEST_ASSERT(rte_mbuf_extension_add(c, id_b) != NULL, "add b");
	TEST_ASSERT_EQ(stats().cow, s1.cow, "copied a private block");
	TEST_ASSERT(!rte_mbuf_extension_exists(m, id_b), "original got b");
	TEST_ASSERT_EQ(blocks_in_use(), 2, "two blocks");
	rte_mbuf_extension_pktmbuf_free(m);
	POISON_RECENT();
	TEST_ASSERT_EQ(key_a(c), 0x3113, "clone's data");
	rte_mbuf_extension_pktmbuf_free(c);
	CHECK_CLEAN();
	return 0;
}

/* Rule 3: the same with two direct mbufs sharing through share(). */
static int
test_rule3_cow_shared(void)
{
	struct rte_mbuf *m, *m2;
	uint64_t cow0 = stats().cow;
	struct ext_a *a;

	m = pkt_with_a(0x3223);
	m2 = pkt_alloc();
	TEST_ASSERT(m != NULL && m2 != NULL, "alloc");
	TEST_ASSERT_EQ(rte_mbuf_extension_share(m2, m), 0, "share");
	TEST_ASSERT(rte_mbuf_extension_add(m2, id_b) != NULL, "add b");
	TEST_ASSERT_EQ(stats().cow - cow0, 1, "cow");
	TEST_ASSERT(!rte_mbuf_extension_exists(m, id_b), "other holder got b");
	TEST_ASSERT_EQ(key_a(m2), 0x3223, "copy lost a");
	a = rte_mbuf_extension_find(m2, id_a);
	a->key = 1;
	TEST_ASSERT_EQ(key_a(m), 0x3223, "other holder changed");
	/* The other holder is alone again: it writes in place. */
	a = rte_mbuf_extension_find(m, id_a);
	TEST_ASSERT(rte_mbuf_extension_add(m, id_a) == a, "moved");
	TEST_ASSERT_EQ(stats().cow - cow0, 1, "copied a private block");
	rte_mbuf_extension_pktmbuf_free(m2);
	rte_mbuf_extension_pktmbuf_free(m);
	CHECK_CLEAN();
	return 0;
}

/*
 * Rule 3: adding to the ORIGINAL while a plain clone pins it and reads its
 * block: the clone's view does not change, in both free orders.
 */
static int
cow_original_case(int orig_first)
{
	struct rte_mbuf *m, *c;
	struct ext_a *a, *ca;
	uint64_t cow0;

	m = pkt_with_a(0x3333);
	TEST_ASSERT(m != NULL, "packet");
	c = rte_pktmbuf_clone(m, mp);
	TEST_ASSERT(c != NULL, "clone");
	ca = rte_mbuf_extension_find(c, id_a);
	TEST_ASSERT(ca != NULL && ca->key == 0x3333, "clone's view");
	cow0 = stats().cow;
	a = rte_mbuf_extension_add(m, id_a);
	TEST_ASSERT(a != NULL, "add on original");
	TEST_ASSERT_EQ(stats().cow - cow0, 1, "cow");
	TEST_ASSERT(a != ca, "written in place");
	TEST_ASSERT_EQ(a->key, 0x3333, "copy lost the data");
	a->key = 0x3443;
	TEST_ASSERT(rte_mbuf_extension_add(m, id_b) != NULL, "add b");
	TEST_ASSERT(rte_mbuf_extension_add(m, id_c) != NULL, "add c");
	rte_mbuf_extension_del(m, id_a);
	TEST_ASSERT(rte_mbuf_extension_find(c, id_a) == ca, "view moved");
	TEST_ASSERT_EQ(ca->key, 0x3333, "clone's view changed");
	TEST_ASSERT_EQ(ca->val, ~UINT64_C(0x3333), "clone's view changed");
	TEST_ASSERT(!rte_mbuf_extension_exists(c, id_b), "clone sees b");
	TEST_ASSERT(!rte_mbuf_extension_exists(c, id_c), "clone sees c");
	TEST_ASSERT(!rte_mbuf_extension_exists(m, id_a), "a not deleted");
	/* The clone's view lives as long as the clone. */
	if (orig_first) {
		rte_mbuf_extension_pktmbuf_free(m);
		POISON_RECENT();
		POISON_RECENT();
		TEST_ASSERT_EQ(key_a(c), 0x3333, "clone's view after free");
		rte_mbuf_extension_pktmbuf_free(c);
	} else {
		rte_mbuf_extension_pktmbuf_free(c);
		POISON_RECENT();
		TEST_ASSERT(rte_mbuf_extension_exists(m, id_b), "lost b");
		TEST_ASSERT(rte_mbuf_extension_exists(m, id_c), "lost c");
		rte_mbuf_extension_pktmbuf_free(m);
	}
	CHECK_CLEAN();
	return 0;
}

static int
test_rule3_cow_original_plain_clone_orig_first(void)
{
	return cow_original_case(1);
}

static int
test_rule3_cow_original_plain_clone_clone_first(void)
{
	return cow_original_case(0);
}

/* Rule 3: adding on a plain clone (a borrowed view) copies too. */
static int
test_rule3_cow_on_plain_clone(void)
{
	struct rte_mbuf *m, *c;
	struct ext_a *a;
	uint64_t cow0;

	m = pkt_with_a(0x3553);
	TEST_ASSERT(m != NULL, "packet");
	c = rte_pktmbuf_clone(m, mp);
	TEST_ASSERT(c != NULL, "clone");
	cow0 = stats().cow;
	a = rte_mbuf_extension_add(c, id_a);
	TEST_ASSERT(a != NULL, "add on clone");
	TEST_ASSERT_EQ(stats().cow - cow0, 1, "cow");
	TEST_ASSERT(a != rte_mbuf_extension_find(m, id_a), "in place");
	a->key = 0x3663;
	TEST_ASSERT(rte_mbuf_extension_add(c, id_b) != NULL, "add b");
	TEST_ASSERT_EQ(key_a(m), 0x3553, "original changed");
	TEST_ASSERT(!rte_mbuf_extension_exists(m, id_b), "original got b");
	TEST_ASSERT_EQ(blocks_in_use(), 2, "two blocks");
	rte_mbuf_extension_pktmbuf_free(m);
	POISON_RECENT();
	TEST_ASSERT_EQ(key_a(c), 0x3663, "clone's data");
	TEST_ASSERT_EQ(blocks_in_use(), 2, "freed early");
	rte_mbuf_extension_pktmbuf_free(c);
	CHECK_CLEAN();
	return 0;
}

/*
 * Rule 4: an mbuf freed by plain rte_pktmbuf_free() and allocated again
 * shows no extension; the leak shows in the stats and is reclaimed when the
 * library sees the mbuf again.
 */
static int
test_rule4_plain_free_realloc(void)
{
	struct rte_mbuf_extension_stats s0, s1;
	struct rte_mbuf *m, *m2;
	struct ext_a *a;

	m = pkt_with_a(0x4004);
	TEST_ASSERT(m != NULL, "packet");
	TEST_ASSERT(rte_mbuf_extension_add(m, id_b) != NULL, "add b");
	s0 = stats();
	rte_pktmbuf_free(m);
	m2 = rte_pktmbuf_alloc(mp);
	TEST_ASSERT(m2 == m, "not the same mbuf back (%p, %p)", (void *)m,
		(void *)m2);
	TEST_ASSERT(rte_mbuf_extension_find(m2, id_a) == NULL, "stale a");
	TEST_ASSERT(rte_mbuf_extension_find(m2, id_b) == NULL, "stale b");
	TEST_ASSERT(!rte_mbuf_extension_exists(m2, id_a), "stale a");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m2), 0, "stale mask");
	/* The leak shows. */
	s1 = stats();
	TEST_ASSERT_EQ(s1.in_use - base.in_use, 1, "leaked block not counted");
	TEST_ASSERT_EQ(s1.release, s0.release, "released by plain free");
	TEST_ASSERT_EQ(blocks_in_use(), 1, "pool_in_use");
	/* A new extension is fresh and zeroed; the old block is reclaimed. */
	a = rte_mbuf_extension_add(m2, id_a);
	TEST_ASSERT(a != NULL, "add");
	TEST_ASSERT(a->key == 0 && a->val == 0, "old data visible");
	TEST_ASSERT(!rte_mbuf_extension_exists(m2, id_b), "old b visible");
	TEST_ASSERT_EQ(stats().free - s1.free, 1, "leak not reclaimed");
	TEST_ASSERT_EQ(blocks_in_use(), 1, "pool_in_use");
	rte_mbuf_extension_pktmbuf_free(m2);
	CHECK_CLEAN();
	return 0;
}

/* Rule 4: the same with a raw allocation and an RX PMD's ol_flags. */
static int
test_rule4_rx_refill(void)
{
	struct rte_mbuf_extension_stats s0;
	struct rte_mbuf *m, *m2;

	m = pkt_with_a(0x4114);
	TEST_ASSERT(m != NULL, "packet");
	rte_pktmbuf_free(m);
	m2 = rte_mbuf_raw_alloc(mp);
	TEST_ASSERT(m2 == m, "not the same mbuf back");
	/* What an RX burst does with a refilled mbuf. */
	rte_pktmbuf_reset_headroom(m2);
	m2->data_len = 60;
	m2->pkt_len = 60;
	m2->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_GOOD;
	TEST_ASSERT(rte_mbuf_extension_find(m2, id_a) == NULL, "stale a");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m2), 0, "stale mask");
	/* A plain clone of it sees nothing either. */
	m = rte_pktmbuf_clone(m2, mp);
	TEST_ASSERT(m != NULL, "clone");
	TEST_ASSERT(rte_mbuf_extension_find(m, id_a) == NULL, "clone: stale");
	rte_mbuf_extension_pktmbuf_free(m);
	TEST_ASSERT_EQ(stats().in_use - base.in_use, 1, "leak not counted");
	s0 = stats();
	/* The helper free reclaims the hidden reference. */
	rte_mbuf_extension_pktmbuf_free(m2);
	TEST_ASSERT_EQ(stats().free - s0.free, 1, "leak not reclaimed");
	CHECK_CLEAN();
	return 0;
}

/*
 * Rule 5: rte_pktmbuf_copy() sees no extension and never the original's
 * block; the helper copy holds its own reference and outlives the original.
 */
static int
test_rule5_copy(void)
{
	struct rte_mbuf_extension_stats s0;
	struct rte_mbuf *m, *cp, *hcp;
	struct ext_a *a;

	m = pkt_with_a(0x5005);
	TEST_ASSERT(m != NULL, "packet");
	cp = rte_pktmbuf_copy(m, mp, 0, UINT32_MAX);
	TEST_ASSERT(cp != NULL, "copy");
	TEST_ASSERT(rte_mbuf_extension_find(cp, id_a) == NULL, "plain copy");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(cp), 0, "mask");
	hcp = rte_mbuf_extension_pktmbuf_copy(m, mp, 0, UINT32_MAX);
	TEST_ASSERT(hcp != NULL, "helper copy");
	TEST_ASSERT_EQ(key_a(hcp), 0x5005, "helper copy's data");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(hcp),
		rte_mbuf_extension_active_mask(m), "mask");

	/* Free the original: the plain copy must not see the freed block. */
	rte_mbuf_extension_pktmbuf_free(m);
	POISON_RECENT();
	TEST_ASSERT(rte_mbuf_extension_find(cp, id_a) == NULL, "dangling");
	TEST_ASSERT_EQ(key_a(hcp), 0x5005, "helper copy after free");
	TEST_ASSERT_EQ(blocks_in_use(), 1, "in use");
	/* The plain copy owns nothing: freeing it releases nothing. */
	s0 = stats();
	rte_mbuf_extension_pktmbuf_free(cp);
	TEST_ASSERT_EQ(stats().release, s0.release, "plain copy released");
	TEST_ASSERT_EQ(key_a(hcp), 0x5005, "helper copy after free");
	/* The helper copy is a full holder: it adds in place. */
	a = rte_mbuf_extension_find(hcp, id_a);
	TEST_ASSERT(rte_mbuf_extension_add(hcp, id_a) == a, "moved");
	rte_mbuf_extension_pktmbuf_free(hcp);
	CHECK_CLEAN();
	return 0;
}

/* Rule 5: a plain copy gets a fresh block of its own when it adds. */
static int
test_rule5_add_on_plain_copy(void)
{
	struct rte_mbuf *m, *cp;
	struct ext_a *a;

	m = pkt_with_a(0x5115);
	TEST_ASSERT(m != NULL, "packet");
	cp = rte_pktmbuf_copy(m, mp, 0, UINT32_MAX);
	TEST_ASSERT(cp != NULL, "copy");
	a = rte_mbuf_extension_add(cp, id_a);
	TEST_ASSERT(a != NULL, "add");
	TEST_ASSERT(a != rte_mbuf_extension_find(m, id_a), "same block");
	TEST_ASSERT(a->key == 0 && a->val == 0, "not zeroed");
	a->key = 7;
	TEST_ASSERT_EQ(key_a(m), 0x5115, "original changed");
	TEST_ASSERT_EQ(blocks_in_use(), 2, "blocks");
	rte_mbuf_extension_pktmbuf_free(m);
	TEST_ASSERT_EQ(key_a(cp), 7, "copy's data");
	rte_mbuf_extension_pktmbuf_free(cp);
	CHECK_CLEAN();
	return 0;
}

/*
 * Rule 5, second generation: a plain copy carries the original's reference
 * dynfield (owner tag and block). Once the original is freed, its mbuf is
 * the next one this lcore allocates (mbuf cache, LIFO). A helper clone or
 * copy of the plain copy that is given that mbuf must neither see nor own
 * the original's old block, which another holder still uses.
 * The same with a plain rte_pktmbuf_clone()/rte_pktmbuf_copy() of the plain
 * copy (plain != 0): code that does not know the library.
 */
static int
stale_ref_case(int copy, int plain)
{
	struct rte_mbuf *x, *h, *p, *n;
	uint64_t rel;
	void *xaddr;

	x = pkt_with_a(0x5225);
	TEST_ASSERT(x != NULL, "packet");
	h = rte_mbuf_extension_pktmbuf_copy(x, mp, 0, UINT32_MAX);
	p = rte_pktmbuf_copy(x, mp, 0, UINT32_MAX);
	TEST_ASSERT(h != NULL && p != NULL, "copies");
	xaddr = x;
	rte_mbuf_extension_pktmbuf_free(x);
	if (plain)
		n = copy ? rte_pktmbuf_copy(p, mp, 0, UINT32_MAX) :
			rte_pktmbuf_clone(p, mp);
	else
		n = copy ? rte_mbuf_extension_pktmbuf_copy(p, mp, 0,
			UINT32_MAX) : rte_mbuf_extension_pktmbuf_clone(p, mp);
	TEST_ASSERT(n != NULL, "clone/copy");
	TEST_ASSERT((void *)n == xaddr,
		"not the freed mbuf back: case not exercised");
	TEST_ASSERT(rte_mbuf_extension_find(n, id_a) == NULL,
		"sees the freed original's extensions");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(n), 0, "mask");
	rel = stats().release;
	rte_mbuf_extension_reset(n);
	TEST_ASSERT_EQ(stats().release, rel,
		"dropped a reference it never took");
	TEST_ASSERT_EQ(blocks_in_use(), 1, "the other holder's block freed");
	POISON_RECENT();
	TEST_ASSERT_EQ(key_a(h), 0x5225, "the other holder's data");
	rte_mbuf_extension_pktmbuf_free(n);
	rte_mbuf_extension_pktmbuf_free(p);
	TEST_ASSERT_EQ(key_a(h), 0x5225, "the other holder's data");
	rte_mbuf_extension_pktmbuf_free(h);
	CHECK_CLEAN();
	return 0;
}

static int
test_rule5_helper_clone_of_copy_reusing_mbuf(void)
{
	return stale_ref_case(0, 0);
}

static int
test_rule5_helper_copy_of_copy_reusing_mbuf(void)
{
	return stale_ref_case(1, 0);
}

static int
test_rule5_plain_clone_of_copy_reusing_mbuf(void)
{
	return stale_ref_case(0, 1);
}

static int
test_rule5_plain_copy_of_copy_reusing_mbuf(void)
{
	return stale_ref_case(1, 1);
}

/*
 * A block copied on write while its owner was pinned by a plain clone
 * keeps the old block as parent, held under the owner's tag. If the new
 * block outlives the owner (a helper copy holds it), the owner's address
 * may be reused by a plain copy of a plain copy carrying a reference to
 * the parent: that mbuf must neither see nor own the parent.
 */
static int
test_rule5_stale_ref_to_parent(void)
{
	struct rte_mbuf *m, *y, *c, *h, *n;
	uint64_t *b, rel;
	void *maddr;

	m = pkt_with_a(0x9119);
	TEST_ASSERT(m != NULL, "packet");
	y = rte_pktmbuf_copy(m, mp, 0, UINT32_MAX);  /* carries (P, m) */
	c = rte_pktmbuf_clone(m, mp);                /* pins m */
	TEST_ASSERT(y != NULL && c != NULL, "copy, clone");
	b = rte_mbuf_extension_add(m, id_b);         /* COW: Q, parent P */
	TEST_ASSERT(b != NULL, "add on pinned");
	*b = 0xb0b0;
	TEST_ASSERT_EQ(blocks_in_use(), 2, "P and Q");
	TEST_ASSERT_EQ(key_a(c), 0x9119, "clone reads P");
	h = rte_mbuf_extension_pktmbuf_copy(m, mp, 0, UINT32_MAX); /* Q */
	TEST_ASSERT(h != NULL, "helper copy");
	rte_pktmbuf_free(c);                         /* unpins m */
	maddr = m;
	rte_mbuf_extension_pktmbuf_free(m);          /* Q and P live on */
	TEST_ASSERT_EQ(blocks_in_use(), 2, "h holds Q, Q holds P");
	n = rte_pktmbuf_copy(y, mp, 0, UINT32_MAX);
	TEST_ASSERT(n != NULL, "copy of copy");
	TEST_ASSERT((void *)n == maddr,
		"not the freed mbuf back: case not exercised");
	TEST_ASSERT(rte_mbuf_extension_find(n, id_a) == NULL,
		"sees the parent block of the freed owner");
	rel = stats().release;
	rte_mbuf_extension_pktmbuf_free(n);
	TEST_ASSERT_EQ(stats().release, rel,
		"dropped a reference it never took");
	TEST_ASSERT_EQ(blocks_in_use(), 2, "P released by a stranger");
	TEST_ASSERT_EQ(key_a(h), 0x9119, "helper copy's A");
	TEST_ASSERT(rte_mbuf_extension_find(h, id_b) != NULL &&
		*(uint64_t *)rte_mbuf_extension_find(h, id_b) == 0xb0b0,
		"helper copy's B");
	rte_mbuf_extension_pktmbuf_free(y);
	rte_mbuf_extension_pktmbuf_free(h);          /* frees Q, then P */
	CHECK_CLEAN();
	return 0;
}

/*
 * A plain copy that reuses a freed owner's mbuf carries a stale reference
 * naming a block that still lives (another holder), with its own tag.
 * Sharing that same block into it must leave it a real owner: the new
 * owner slot must not be mistaken for the stale reference and dropped.
 */
static int
test_rule5_share_into_stale_same_block(void)
{
	struct rte_mbuf *x, *h, *y, *n;
	void *xaddr;

	x = pkt_with_a(0x5a5a);
	TEST_ASSERT(x != NULL, "packet");
	h = rte_mbuf_extension_pktmbuf_copy(x, mp, 0, UINT32_MAX); /* B */
	y = rte_pktmbuf_copy(x, mp, 0, UINT32_MAX);  /* carries (B, x) */
	TEST_ASSERT(h != NULL && y != NULL, "copies");
	xaddr = x;
	rte_mbuf_extension_pktmbuf_free(x);
	n = rte_pktmbuf_copy(y, mp, 0, UINT32_MAX);
	TEST_ASSERT(n != NULL, "copy of copy");
	TEST_ASSERT((void *)n == xaddr,
		"not the freed mbuf back: case not exercised");
	TEST_ASSERT(rte_mbuf_extension_find(n, id_a) == NULL, "stale view");
	TEST_ASSERT_EQ(rte_mbuf_extension_share(n, h), 0, "share");
	TEST_ASSERT_EQ(key_a(n), 0x5a5a, "shared data seen");
	TEST_ASSERT_EQ(blocks_in_use(), 1, "one block");
	rte_mbuf_extension_pktmbuf_free(h);
	POISON_RECENT();
	TEST_ASSERT_EQ(key_a(n), 0x5a5a, "block freed under its holder");
	TEST_ASSERT_EQ(blocks_in_use(), 1, "n still holds it");
	rte_mbuf_extension_pktmbuf_free(n);
	rte_mbuf_extension_pktmbuf_free(y);
	CHECK_CLEAN();
	return 0;
}

/*
 * Rule 6: extensions belong to the first segment; chaining through the
 * helper drops the tail's, clones and copies of a chain see the head's.
 */
static int
test_rule6_chain(void)
{
	struct rte_mbuf_extension_stats s0, s1;
	struct rte_mbuf *head, *tail, *t2, *c, *cp;
	uint16_t segs;

	head = pkt_with_a(0x6006);
	tail = pkt_with_a(0x6116);
	t2 = pkt_alloc();
	TEST_ASSERT(head != NULL && tail != NULL && t2 != NULL, "alloc");
	TEST_ASSERT(rte_mbuf_extension_add(tail, id_b) != NULL, "add b");
	TEST_ASSERT_EQ(blocks_in_use(), 2, "blocks");

	/* Refused chain: nothing changes. */
	segs = head->nb_segs;
	head->nb_segs = RTE_MBUF_MAX_NB_SEGS;
	TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_chain(head, tail),
		-EOVERFLOW, "overflow");
	head->nb_segs = segs;
	TEST_ASSERT_EQ(key_a(tail), 0x6116, "tail changed by a failed chain");
	TEST_ASSERT(head->next == NULL, "chained anyway");
	TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_chain(NULL, tail), -EINVAL,
		"NULL head");
	TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_chain(head, NULL), -EINVAL,
		"NULL tail");

	s0 = stats();
	TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_chain(head, tail), 0,
		"chain");
	s1 = stats();
	TEST_ASSERT_EQ(s1.free - s0.free, 1, "tail's block not dropped");
	TEST_ASSERT_EQ(blocks_in_use(), 1, "blocks");
	TEST_ASSERT_EQ(head->nb_segs, 2, "segments");
	TEST_ASSERT(rte_mbuf_extension_find(tail, id_a) == NULL, "tail's a");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(tail), 0, "tail's mask");
	TEST_ASSERT_EQ(key_a(head), 0x6006, "head's a");
	/* A tail without extensions chains too. */
	TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_chain(head, t2), 0, "chain");
	TEST_ASSERT_EQ(head->nb_segs, 3, "segments");

	c = rte_pktmbuf_clone(head, mp);
	TEST_ASSERT(c != NULL, "plain clone");
	TEST_ASSERT_EQ(key_a(c), 0x6006, "plain clone of a chain");
	TEST_ASSERT(rte_mbuf_extension_find(c->next, id_a) == NULL,
		"clone's second segment");
	cp = rte_mbuf_extension_pktmbuf_copy(head, mp, 0, UINT32_MAX);
	TEST_ASSERT(cp != NULL, "helper copy");
	TEST_ASSERT_EQ(key_a(cp), 0x6006, "helper copy of a chain");
	TEST_ASSERT_EQ(rte_pktmbuf_pkt_len(cp), rte_pktmbuf_pkt_len(head),
		"copy's length");

	/* Freeing the chain releases the head's block once, all segments. */
	rte_mbuf_extension_pktmbuf_free(head);
	TEST_ASSERT_EQ(key_a(c), 0x6006, "clone after head's free");
	rte_mbuf_extension_pktmbuf_free(c);
	TEST_ASSERT_EQ(key_a(cp), 0x6006, "copy after head's free");
	rte_mbuf_extension_pktmbuf_free(cp);
	CHECK_CLEAN();
	return 0;
}

/* Rule 6: a helper clone of a chain holds the reference for the chain. */
static int
test_rule6_chain_helper_clone(void)
{
	struct rte_mbuf *head, *tail, *c;

	head = pkt_with_a(0x6226);
	tail = pkt_alloc();
	TEST_ASSERT(head != NULL && tail != NULL, "alloc");
	TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_chain(head, tail), 0,
		"chain");
	c = rte_mbuf_extension_pktmbuf_clone(head, mp);
	TEST_ASSERT(c != NULL, "clone");
	TEST_ASSERT_EQ(c->nb_segs, 2, "clone's segments");
	rte_mbuf_extension_pktmbuf_free(head);
	POISON_RECENT();
	TEST_ASSERT_EQ(key_a(c), 0x6226, "clone's data");
	rte_mbuf_extension_pktmbuf_free(c);
	CHECK_CLEAN();
	return 0;
}

/* Rule 7 and COW failures run on a pool of a few blocks. */
#define TINY_BLOCKS 4

static int
switch_block_pool(unsigned int n, unsigned int cache)
{
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_free(), 0, "pool_free");
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_create(n, cache,
		SOCKET_ID_ANY), 0, "pool_create");
	return 0;
}

/*
 * Rule 7: with the block pool empty, add fails with ENOMEM and the packet
 * and its extensions are unchanged; so does a copy on write; delete still
 * works.
 */
static int
test_rule7_exhaustion(void)
{
	struct rte_mbuf_extension_stats s0;
	struct rte_mbuf *m[TINY_BLOCKS], *x, *hc, *pc;
	uint8_t mask, cmask;
	uint64_t *b;
	int i;

	TEST_ASSERT(switch_block_pool(TINY_BLOCKS, 0) == 0, "tiny pool");
	for (i = 0; i < TINY_BLOCKS; i++) {
		m[i] = pkt_with_a(0x7000 + i);
		TEST_ASSERT(m[i] != NULL, "packet %d", i);
	}
	b = rte_mbuf_extension_add(m[0], id_b);
	TEST_ASSERT(b != NULL, "add b in place needs no block");
	*b = 0x7b7b;
	TEST_ASSERT_EQ(blocks_in_use(), TINY_BLOCKS,
		"pool not full");

	/* A fresh mbuf. */
	x = pkt_alloc();
	TEST_ASSERT(x != NULL, "mbuf");
	s0 = stats();
	rte_errno = 0;
	TEST_ASSERT(rte_mbuf_extension_add(x, id_a) == NULL, "add succeeded");
	TEST_ASSERT_EQ(rte_errno, ENOMEM, "rte_errno");
	TEST_ASSERT_EQ(stats().alloc_fail - s0.alloc_fail, 1, "alloc_fail");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(x), 0, "mask");

	/* Copy on write of a shared block: helper clone. */
	hc = rte_mbuf_extension_pktmbuf_clone(m[0], mp);
	TEST_ASSERT(hc != NULL, "clone");
	mask = rte_mbuf_extension_active_mask(m[0]);
	rte_errno = 0;
	TEST_ASSERT(rte_mbuf_extension_add(hc, id_c) == NULL, "cow added");
	TEST_ASSERT_EQ(rte_errno, ENOMEM, "rte_errno");
	rte_errno = 0;
	TEST_ASSERT(rte_mbuf_extension_add(hc, id_a) == NULL, "cow of a");
	TEST_ASSERT_EQ(rte_errno, ENOMEM, "rte_errno");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(hc), mask, "clone mask");
	TEST_ASSERT(rte_mbuf_extension_find(hc, id_a) ==
		rte_mbuf_extension_find(m[0], id_a), "clone's block changed");
	TEST_ASSERT_EQ(key_a(hc), 0x7000, "clone's a");
	TEST_ASSERT_EQ(*(uint64_t *)rte_mbuf_extension_find(hc, id_b), 0x7b7b,
		"clone's b");
	/* The original is pinned by the clone: its add copies, and fails. */
	rte_errno = 0;
	TEST_ASSERT(rte_mbuf_extension_add(m[0], id_c) == NULL, "cow added");
	TEST_ASSERT_EQ(rte_errno, ENOMEM, "rte_errno");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m[0]), mask, "mask");
	TEST_ASSERT_EQ(key_a(m[0]), 0x7000, "original's a");
	TEST_ASSERT_EQ(*b, 0x7b7b, "original's b");

	/* A plain clone's borrowed view: same. */
	pc = rte_pktmbuf_clone(m[1], mp);
	TEST_ASSERT(pc != NULL, "plain clone");
	rte_errno = 0;
	TEST_ASSERT(rte_mbuf_extension_add(pc, id_b) == NULL, "cow added");
	TEST_ASSERT_EQ(rte_errno, ENOMEM, "rte_errno");
	TEST_ASSERT_EQ(key_a(pc), 0x7001, "plain clone's a");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(pc),
		rte_mbuf_extension_active_mask(m[1]), "plain clone's mask");

	/* Delete never allocates: it works on a full pool. */
	cmask = rte_mbuf_extension_active_mask(hc);
	rte_mbuf_extension_del(hc, id_a);
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(hc),
		cmask & ~(1u << id_a), "delete on a full pool");
	TEST_ASSERT_EQ(key_a(m[0]), 0x7000, "other holder lost a");
	TEST_ASSERT(stats().cow == s0.cow, "a copy was made");

	/* A block back in the pool makes add work again. */
	rte_mbuf_extension_pktmbuf_free(m[3]);
	TEST_ASSERT(rte_mbuf_extension_add(x, id_a) != NULL, "add after free");
	TEST_ASSERT_EQ(stats().alloc_fail - s0.alloc_fail, 5, "alloc_fail");

	rte_mbuf_extension_pktmbuf_free(pc);
	rte_mbuf_extension_pktmbuf_free(hc);
	for (i = 0; i < 3; i++)
		rte_mbuf_extension_pktmbuf_free(m[i]);
	rte_mbuf_extension_pktmbuf_free(x);
	CHECK_CLEAN();
	TEST_ASSERT(switch_block_pool(NB_BLOCKS, BLOCK_CACHE) == 0, "pool");
	return 0;
}

/* Rule 8: bad input gives a clear error and changes nothing. */
static int
test_rule8_bad_input(void)
{
	struct rte_mbuf *m;
	int unregistered = RTE_MBUF_EXTENSION_MAX - 1;
	uint8_t mask;

	TEST_ASSERT(rte_mbuf_extension_lookup("lt_unused", NULL) < 0,
		"test assumption");
	TEST_ASSERT(id_d < unregistered, "test assumption");
	m = pkt_with_a(0x8008);
	TEST_ASSERT(m != NULL, "packet");
	mask = rte_mbuf_extension_active_mask(m);

	rte_errno = 0;
	TEST_ASSERT(rte_mbuf_extension_add(NULL, id_a) == NULL, "add NULL");
	TEST_ASSERT_EQ(rte_errno, EINVAL, "add NULL");
	rte_errno = 0;
	TEST_ASSERT(rte_mbuf_extension_add(m, -1) == NULL, "add -1");
	TEST_ASSERT_EQ(rte_errno, EINVAL, "add -1");
	rte_errno = 0;
	TEST_ASSERT(rte_mbuf_extension_add(m, RTE_MBUF_EXTENSION_MAX) == NULL,
		"add 8");
	TEST_ASSERT_EQ(rte_errno, EINVAL, "add 8");
	rte_errno = 0;
	TEST_ASSERT(rte_mbuf_extension_add(m, unregistered) == NULL,
		"add unregistered");
	TEST_ASSERT_EQ(rte_errno, EINVAL, "add unregistered");

	rte_errno = 0;
	TEST_ASSERT(rte_mbuf_extension_find(NULL, id_a) == NULL, "find NULL");
	TEST_ASSERT_EQ(rte_errno, EINVAL, "find NULL");
	rte_errno = 0;
	TEST_ASSERT(rte_mbuf_extension_find(m, -1) == NULL, "find -1");
	TEST_ASSERT_EQ(rte_errno, EINVAL, "find -1");
	rte_errno = 0;
	TEST_ASSERT(rte_mbuf_extension_find(m, RTE_MBUF_EXTENSION_MAX) ==
		NULL, "find 8");
	TEST_ASSERT_EQ(rte_errno, EINVAL, "find 8");
	TEST_ASSERT(rte_mbuf_extension_find(m, unregistered) == NULL,
		"find unregistered");
	TEST_ASSERT(!rte_mbuf_extension_exists(NULL, id_a), "exists NULL");
	TEST_ASSERT(!rte_mbuf_extension_exists(m, -1), "exists -1");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(NULL), 0, "mask NULL");

	/* Ignored. */
	rte_mbuf_extension_del(NULL, id_a);
	rte_mbuf_extension_del(m, -1);
	rte_mbuf_extension_del(m, RTE_MBUF_EXTENSION_MAX);
	rte_mbuf_extension_del(m, unregistered);
	rte_mbuf_extension_reset(NULL);
	rte_mbuf_extension_pktmbuf_free(NULL);
	rte_mbuf_extension_pktmbuf_free_bulk(NULL, 4);

	rte_errno = 0;
	TEST_ASSERT_EQ(rte_mbuf_extension_share(NULL, m), -EINVAL,
		"share to NULL");
	TEST_ASSERT_EQ(rte_errno, EINVAL, "share to NULL");
	rte_errno = 0;
	TEST_ASSERT_EQ(rte_mbuf_extension_share(m, NULL), -EINVAL,
		"share from NULL");
	TEST_ASSERT_EQ(rte_errno, EINVAL, "share from NULL");

	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m), mask, "changed");
	TEST_ASSERT_EQ(key_a(m), 0x8008, "changed");
	rte_mbuf_extension_pktmbuf_free(m);
	CHECK_CLEAN();
	return 0;
}

/* Delete clears this mbuf's bit only, even on a shared block. */
static int
test_del_shared(void)
{
	struct rte_mbuf_extension_stats s0, s1;
	struct rte_mbuf *m, *hc, *pc;

	m = pkt_with_a(0x9009);
	TEST_ASSERT(m != NULL, "packet");
	TEST_ASSERT(rte_mbuf_extension_add(m, id_b) != NULL, "add b");
	hc = rte_mbuf_extension_pktmbuf_clone(m, mp);
	pc = rte_pktmbuf_clone(m, mp);
	TEST_ASSERT(hc != NULL && pc != NULL, "clones");
	s0 = stats();
	rte_mbuf_extension_del(hc, id_a);
	rte_mbuf_extension_del(pc, id_b);
	s1 = stats();
	TEST_ASSERT_EQ(s1.alloc, s0.alloc, "delete allocated");
	TEST_ASSERT_EQ(s1.cow, s0.cow, "delete copied");
	TEST_ASSERT(!rte_mbuf_extension_exists(hc, id_a), "hc has a");
	TEST_ASSERT(rte_mbuf_extension_exists(hc, id_b), "hc lost b");
	TEST_ASSERT(rte_mbuf_extension_exists(pc, id_a), "pc lost a");
	TEST_ASSERT(!rte_mbuf_extension_exists(pc, id_b), "pc has b");
	TEST_ASSERT(rte_mbuf_extension_exists(m, id_a), "m lost a");
	TEST_ASSERT(rte_mbuf_extension_exists(m, id_b), "m lost b");
	TEST_ASSERT_EQ(key_a(m), 0x9009, "m's a");
	/* Last extension of the helper clone: its reference is dropped. */
	rte_mbuf_extension_del(hc, id_b);
	s1 = stats();
	TEST_ASSERT_EQ(s1.release - s0.release, 1, "reference kept");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(hc), 0, "hc's mask");
	TEST_ASSERT(rte_mbuf_extension_exists(m, id_b), "m lost b");
	/* Last extension of the original while a plain clone reads it. */
	rte_mbuf_extension_del(m, id_a);
	rte_mbuf_extension_del(m, id_b);
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m), 0, "m's mask");
	POISON_RECENT();
	TEST_ASSERT_EQ(key_a(pc), 0x9009, "plain clone lost its view");
	rte_mbuf_extension_pktmbuf_free(m);
	rte_mbuf_extension_pktmbuf_free(hc);
	POISON_RECENT();
	TEST_ASSERT_EQ(key_a(pc), 0x9009, "plain clone lost its view");
	rte_mbuf_extension_pktmbuf_free(pc);
	CHECK_CLEAN();
	return 0;
}

/* Delete of the last extension drops the reference; re-add is zeroed. */
static int
test_del_last_and_readd(void)
{
	struct rte_mbuf_extension_stats s0, s1;
	struct rte_mbuf *m;
	struct ext_a *a;
	uint64_t *b;

	m = pkt_with_a(0xa00a);
	TEST_ASSERT(m != NULL, "packet");
	b = rte_mbuf_extension_add(m, id_b);
	TEST_ASSERT(b != NULL, "add b");
	*b = 0xbbbb;
	/* Not the last one: the block stays, a re-add is zeroed. */
	rte_mbuf_extension_del(m, id_b);
	TEST_ASSERT(!rte_mbuf_extension_exists(m, id_b), "b not deleted");
	TEST_ASSERT_EQ(blocks_in_use(), 1, "block dropped");
	b = rte_mbuf_extension_add(m, id_b);
	TEST_ASSERT(b != NULL && *b == 0, "re-added b not zeroed");
	TEST_ASSERT_EQ(key_a(m), 0xa00a, "a changed");
	/* Add of a present type returns it unchanged. */
	*b = 0xbcbc;
	TEST_ASSERT(rte_mbuf_extension_add(m, id_b) == b, "other data");
	TEST_ASSERT_EQ(*b, 0xbcbc, "present data zeroed");

	s0 = stats();
	rte_mbuf_extension_del(m, id_a);
	rte_mbuf_extension_del(m, id_a); /* absent: nothing */
	rte_mbuf_extension_del(m, id_b);
	s1 = stats();
	TEST_ASSERT_EQ(s1.release - s0.release, 1, "releases");
	TEST_ASSERT_EQ(s1.free - s0.free, 1, "frees");
	TEST_ASSERT_EQ(blocks_in_use(), 0, "block kept");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m), 0, "mask");
	POISON_RECENT();
	a = rte_mbuf_extension_add(m, id_a);
	TEST_ASSERT(a != NULL && a->key == 0 && a->val == 0, "not zeroed");
	rte_mbuf_extension_pktmbuf_free(m);
	CHECK_CLEAN();
	return 0;
}

/* Reset drops the mbuf's reference; on a pinned mbuf it only hides. */
static int
test_reset(void)
{
	struct rte_mbuf_extension_stats s0, s1;
	struct rte_mbuf *m, *pc;
	struct ext_a *a;

	m = pkt_with_a(0xb00b);
	TEST_ASSERT(m != NULL, "packet");
	TEST_ASSERT(rte_mbuf_extension_add(m, id_b) != NULL, "add b");
	s0 = stats();
	rte_mbuf_extension_reset(m);
	s1 = stats();
	TEST_ASSERT_EQ(s1.release - s0.release, 1, "releases");
	TEST_ASSERT_EQ(s1.free - s0.free, 1, "frees");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m), 0, "mask");
	rte_mbuf_extension_reset(m);
	TEST_ASSERT_EQ(stats().release, s1.release, "second reset released");

	a = rte_mbuf_extension_add(m, id_a);
	TEST_ASSERT(a != NULL && a->key == 0, "add after reset");
	a->key = 0xb11b;
	pc = rte_pktmbuf_clone(m, mp);
	TEST_ASSERT(pc != NULL, "clone");
	rte_mbuf_extension_reset(m);
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m), 0, "hidden");
	POISON_RECENT();
	TEST_ASSERT_EQ(key_a(pc), 0xb11b, "clone's view");
	/* A new add on the hidden mbuf does not touch the clone's view. */
	a = rte_mbuf_extension_add(m, id_a);
	TEST_ASSERT(a != NULL && a->key == 0, "add after hidden reset");
	a->key = 0xb22b;
	TEST_ASSERT_EQ(key_a(pc), 0xb11b, "clone's view");
	rte_mbuf_extension_pktmbuf_free(m);
	POISON_RECENT();
	TEST_ASSERT_EQ(key_a(pc), 0xb11b, "clone's view");
	rte_mbuf_extension_pktmbuf_free(pc);
	CHECK_CLEAN();
	return 0;
}

static int
test_share(void)
{
	struct rte_mbuf_extension_stats s0, s1;
	struct rte_mbuf *src, *dst, *none, *pc;

	src = pkt_with_a(0xc00c);
	dst = pkt_with_a(0xc11c);
	none = pkt_alloc();
	TEST_ASSERT(src != NULL && dst != NULL && none != NULL, "alloc");
	TEST_ASSERT(rte_mbuf_extension_add(dst, id_b) != NULL, "add b");

	/* dst's own block is dropped, it sees src's. */
	s0 = stats();
	TEST_ASSERT_EQ(rte_mbuf_extension_share(dst, src), 0, "share");
	s1 = stats();
	TEST_ASSERT_EQ(s1.free - s0.free, 1, "dst's block kept");
	TEST_ASSERT_EQ(s1.share - s0.share, 1, "shares");
	TEST_ASSERT_EQ(key_a(dst), 0xc00c, "dst's a");
	TEST_ASSERT(!rte_mbuf_extension_exists(dst, id_b), "dst's b");
	TEST_ASSERT(rte_mbuf_extension_find(dst, id_a) ==
		rte_mbuf_extension_find(src, id_a), "not shared");
	/* Sharing again, and with oneself, changes nothing. */
	TEST_ASSERT_EQ(rte_mbuf_extension_share(dst, src), 0, "share again");
	TEST_ASSERT_EQ(rte_mbuf_extension_share(src, src), 0, "self");
	TEST_ASSERT_EQ(blocks_in_use(), 1, "blocks");
	TEST_ASSERT_EQ(key_a(src), 0xc00c, "self share");
	/* From an mbuf without extensions: dst's are dropped. */
	TEST_ASSERT_EQ(rte_mbuf_extension_share(dst, none), 0, "share none");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(dst), 0, "dst's mask");
	TEST_ASSERT_EQ(blocks_in_use(), 1, "blocks");
	/* From a plain clone's borrowed view. */
	pc = rte_pktmbuf_clone(src, mp);
	TEST_ASSERT(pc != NULL, "clone");
	TEST_ASSERT_EQ(rte_mbuf_extension_share(none, pc), 0, "share");
	TEST_ASSERT_EQ(key_a(none), 0xc00c, "shared from a clone");
	/* To a pinned mbuf that owns a block: refused, nothing changes. */
	s0 = stats();
	rte_errno = 0;
	TEST_ASSERT_EQ(rte_mbuf_extension_share(src, dst), -EBUSY, "busy");
	TEST_ASSERT_EQ(rte_errno, EBUSY, "rte_errno");
	TEST_ASSERT_EQ(key_a(src), 0xc00c, "busy dst changed");
	TEST_ASSERT_EQ(stats().share, s0.share, "busy share counted");

	rte_mbuf_extension_pktmbuf_free(src);
	rte_mbuf_extension_pktmbuf_free(pc);
	POISON_RECENT();
	TEST_ASSERT_EQ(key_a(none), 0xc00c, "sharer's view");
	rte_mbuf_extension_pktmbuf_free(none);
	rte_mbuf_extension_pktmbuf_free(dst);
	CHECK_CLEAN();
	return 0;
}

/* release(): drop the owned reference whatever ol_flags say. */
static int
test_release(void)
{
	struct rte_mbuf *m, *pc;

	m = pkt_with_a(0xd00d);
	TEST_ASSERT(m != NULL, "packet");
	pc = rte_pktmbuf_clone(m, mp);
	TEST_ASSERT(pc != NULL, "clone");
	/* A plain clone owns nothing. */
	TEST_ASSERT_EQ(rte_mbuf_extension_release(pc), 0, "clone released");
	TEST_ASSERT_EQ(key_a(m), 0xd00d, "original lost a");
	rte_mbuf_extension_pktmbuf_free(pc);
	/* Hidden by an ol_flags assignment: still released. */
	m->ol_flags = 0;
	TEST_ASSERT_EQ(rte_mbuf_extension_release(m), 1, "not released");
	TEST_ASSERT_EQ(blocks_in_use(), 0, "block kept");
	TEST_ASSERT_EQ(rte_mbuf_extension_release(m), 0, "released twice");
	TEST_ASSERT(rte_mbuf_extension_add(m, id_a) != NULL, "add");
	TEST_ASSERT_EQ(rte_mbuf_extension_release(m), 1, "not released");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m), 0, "mask");
	rte_pktmbuf_free(m); /* nothing left to release */
	CHECK_CLEAN();
	return 0;
}

/* External buffers for the extbuf cases. */
static int extbuf_freed;

static void
extbuf_free_cb(void *addr, void *opaque)
{
	RTE_SET_USED(opaque);
	extbuf_freed++;
	rte_free(addr);
}

static struct rte_mbuf *
pkt_extbuf(void)
{
	struct rte_mbuf_ext_shared_info *shinfo;
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	uint16_t len = 512;
	void *buf;

	if (m == NULL)
		return NULL;
	buf = rte_malloc(NULL, len, 0);
	if (buf == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	shinfo = rte_pktmbuf_ext_shinfo_init_helper(buf, &len,
		extbuf_free_cb, NULL);
	rte_pktmbuf_attach_extbuf(m, buf, rte_malloc_virt2iova(buf), len,
		shinfo);
	rte_pktmbuf_reset_headroom(m);
	memset(rte_pktmbuf_append(m, 64), 0x3c, 64);
	return m;
}

/* mbufs with an external buffer, with plain and helper clones. */
static int
test_extbuf(void)
{
	struct rte_mbuf *m, *pc, *hc, *hc2;
	struct ext_a *a;
	int i;

	extbuf_freed = 0;
	for (i = 0; i < 2; i++) {
		m = pkt_extbuf();
		TEST_ASSERT(m != NULL && RTE_MBUF_HAS_EXTBUF(m), "extbuf");
		a = rte_mbuf_extension_add(m, id_a);
		TEST_ASSERT(a != NULL, "add");
		a->key = 0xe00e;
		pc = rte_pktmbuf_clone(m, mp);
		hc = rte_mbuf_extension_pktmbuf_clone(m, mp);
		TEST_ASSERT(pc != NULL && hc != NULL, "clones");
		TEST_ASSERT_EQ(key_a(hc), 0xe00e, "helper clone's a");
		/* A plain clone of an extbuf mbuf does not pin it. */
		TEST_ASSERT(key_a(pc) == 0 || key_a(pc) == 0xe00e,
			"plain clone sees garbage");
		hc2 = rte_mbuf_extension_pktmbuf_clone(pc, mp);
		TEST_ASSERT(hc2 != NULL, "clone of clone");
		TEST_ASSERT_EQ(key_a(hc2), key_a(pc), "clone of clone");
		if (i == 0) {
			rte_mbuf_extension_pktmbuf_free(m);
			rte_mbuf_extension_pktmbuf_free(hc);
			POISON_RECENT();
			/* No holder left: nothing visible. */
			TEST_ASSERT(key_a(pc) == 0, "dangling view");
			TEST_ASSERT_EQ(blocks_in_use(), 0,
				"block leaked");
			rte_mbuf_extension_pktmbuf_free(pc);
			rte_mbuf_extension_pktmbuf_free(hc2);
		} else {
			rte_mbuf_extension_pktmbuf_free(pc);
			rte_mbuf_extension_pktmbuf_free(hc2);
			rte_mbuf_extension_pktmbuf_free(m);
			POISON_RECENT();
			TEST_ASSERT_EQ(key_a(hc), 0xe00e, "helper clone's a");
			rte_mbuf_extension_pktmbuf_free(hc);
		}
		TEST_ASSERT_EQ(extbuf_freed, i + 1, "external buffer frees");
		CHECK_CLEAN();
	}
	return 0;
}

/* Clones of clones, plain and helper, in all four combinations. */
static int
test_clone_of_clone(void)
{
	struct rte_mbuf *m, *p1, *p2, *h1, *h2, *hp, *ph;
	struct ext_a *a;

	m = pkt_with_a(0xf00f);
	TEST_ASSERT(m != NULL, "packet");
	p1 = rte_pktmbuf_clone(m, mp);
	TEST_ASSERT(p1 != NULL, "plain clone");
	p2 = rte_pktmbuf_clone(p1, mp);
	TEST_ASSERT(p2 != NULL, "plain clone of a plain clone");
	TEST_ASSERT_EQ(key_a(p2), 0xf00f, "plain of plain");
	hp = rte_mbuf_extension_pktmbuf_clone(p1, mp);
	TEST_ASSERT(hp != NULL, "helper clone of a plain clone");
	TEST_ASSERT_EQ(key_a(hp), 0xf00f, "helper of plain");
	h1 = rte_mbuf_extension_pktmbuf_clone(m, mp);
	TEST_ASSERT(h1 != NULL, "helper clone");
	h2 = rte_mbuf_extension_pktmbuf_clone(h1, mp);
	TEST_ASSERT(h2 != NULL, "helper clone of a helper clone");
	TEST_ASSERT_EQ(key_a(h2), 0xf00f, "helper of helper");
	/* h1 gets its own block; a plain clone of it pins m, not h1. */
	a = rte_mbuf_extension_add(h1, id_a);
	TEST_ASSERT(a != NULL, "cow");
	a->key = 0xf11f;
	ph = rte_pktmbuf_clone(h1, mp);
	TEST_ASSERT(ph != NULL, "plain clone of a helper clone");
	TEST_ASSERT(key_a(ph) == 0 || key_a(ph) == 0xf11f, "plain of helper");

	rte_mbuf_extension_pktmbuf_free(m);
	rte_mbuf_extension_pktmbuf_free(h1);
	POISON_RECENT();
	/* h1's block is gone: ph must not read it. */
	TEST_ASSERT(key_a(ph) == 0 || key_a(ph) == 0xf11f, "dangling view");
	TEST_ASSERT_EQ(key_a(p2), 0xf00f, "plain of plain");
	TEST_ASSERT_EQ(key_a(h2), 0xf00f, "helper of helper");
	rte_mbuf_extension_pktmbuf_free(p1);
	rte_mbuf_extension_pktmbuf_free(ph);
	rte_mbuf_extension_pktmbuf_free(h2);
	POISON_RECENT();
	TEST_ASSERT_EQ(key_a(p2), 0xf00f, "plain of plain");
	TEST_ASSERT_EQ(key_a(hp), 0xf00f, "helper of plain");
	rte_mbuf_extension_pktmbuf_free(p2);
	rte_mbuf_extension_pktmbuf_free(hp);
	CHECK_CLEAN();
	return 0;
}

/*
 * Many holders of one packet's extensions (helper clones, helper copies,
 * shares, clones of those), freed in a mixed order; a write by one holder
 * is seen by no other.
 */
#define NB_HOLDERS 12

static int
test_many_holders(void)
{
	struct rte_mbuf *m, *h[NB_HOLDERS];
	struct ext_a *a;
	uint64_t *b;
	int i;

	m = pkt_with_a(0x1234);
	TEST_ASSERT(m != NULL, "packet");
	b = rte_mbuf_extension_add(m, id_b);
	TEST_ASSERT(b != NULL, "add b");
	*b = 0xb0b0;
	for (i = 0; i < NB_HOLDERS; i++) {
		switch (i % 4) {
		case 0:
			h[i] = rte_mbuf_extension_pktmbuf_clone(m, mp);
			break;
		case 1:
			h[i] = rte_mbuf_extension_pktmbuf_copy(m, mp, 0,
				UINT32_MAX);
			break;
		case 2:
			h[i] = pkt_alloc();
			TEST_ASSERT(h[i] != NULL, "mbuf");
			TEST_ASSERT_EQ(rte_mbuf_extension_share(h[i], m), 0,
				"share");
			break;
		default:
			h[i] = rte_mbuf_extension_pktmbuf_clone(h[i - 1], mp);
			break;
		}
		TEST_ASSERT(h[i] != NULL, "holder %d", i);
		TEST_ASSERT_EQ(key_a(h[i]), 0x1234, "holder's a");
		TEST_ASSERT_EQ(*(uint64_t *)rte_mbuf_extension_find(h[i],
			id_b), 0xb0b0, "holder's b");
	}
	rte_mbuf_extension_pktmbuf_free(m);
	for (i = 0; i < NB_HOLDERS; i += 2)
		rte_mbuf_extension_pktmbuf_free(h[i]);
	POISON_RECENT();
	POISON_RECENT();
	a = rte_mbuf_extension_add(h[1], id_a);
	TEST_ASSERT(a != NULL && a->key == 0x1234, "add on a holder");
	a->key = 0x4321;
	for (i = 1; i < NB_HOLDERS; i += 2) {
		TEST_ASSERT(key_a(h[i]) == (i == 1 ? 0x4321u : 0x1234u),
			"holder %d's a: %" PRIx64, i, key_a(h[i]));
		TEST_ASSERT_EQ(*(uint64_t *)rte_mbuf_extension_find(h[i],
			id_b), 0xb0b0, "holder's b");
	}
	for (i = NB_HOLDERS - 1; i > 0; i -= 2)
		rte_mbuf_extension_pktmbuf_free(h[i]);
	CHECK_CLEAN();
	return 0;
}

/* Bulk free of a mix: direct, clones, refcnt > 1, extbuf, NULL. */
#define BULK_EXTRA 70

static int
test_free_bulk(void)
{
	struct rte_mbuf_extension_stats s0, s1;
	struct rte_mbuf *v[11 + BULK_EXTRA];
	struct rte_mbuf *d1, *d2, *d3, *hc, *pc, *r, *e, *ec, *epc;
	unsigned int n = 0, i;

	extbuf_freed = 0;
	d1 = pkt_with_a(1);
	d2 = pkt_alloc();
	d3 = pkt_with_a(3);
	r = pkt_with_a(4);
	e = pkt_extbuf();
	TEST_ASSERT(d1 && d2 && d3 && r && e, "alloc");
	TEST_ASSERT(rte_mbuf_extension_add(e, id_a) != NULL, "add");
	hc = rte_mbuf_extension_pktmbuf_clone(d3, mp);
	pc = rte_pktmbuf_clone(d3, mp);
	ec = rte_mbuf_extension_pktmbuf_clone(e, mp);
	epc = rte_pktmbuf_clone(e, mp);
	TEST_ASSERT(hc && pc && ec && epc, "clones");
	rte_mbuf_refcnt_update(r, 1);
	v[n++] = d1;
	v[n++] = d2;
	v[n++] = NULL;
	v[n++] = pc;
	v[n++] = d3;
	v[n++] = hc;
	v[n++] = r;
	v[n++] = r;
	v[n++] = e;
	v[n++] = epc;
	v[n++] = ec;
	for (i = 0; i < BULK_EXTRA; i++) {
		v[n] = pkt_alloc();
		TEST_ASSERT(v[n] != NULL, "alloc");
		TEST_ASSERT(rte_mbuf_extension_add(v[n], id_b) != NULL, "add");
		n++;
	}
	TEST_ASSERT_EQ(blocks_in_use(), 4 + BULK_EXTRA,
		"blocks");
	s0 = stats();
	rte_mbuf_extension_pktmbuf_free_bulk(v, n);
	s1 = stats();
	/* d1, d3 + hc, r once, e + ec, and the extra ones. */
	TEST_ASSERT_EQ(s1.release - s0.release, 6 + BULK_EXTRA, "releases");
	TEST_ASSERT_EQ(s1.free - s0.free, 4 + BULK_EXTRA, "frees");
	TEST_ASSERT_EQ(extbuf_freed, 1, "external buffer frees");
	CHECK_CLEAN();
	return 0;
}

/* The data of each type is aligned as registered, also after a copy. */
static int
test_alignment(void)
{
	struct rte_mbuf *m, *hc;
	void *p;
	int round;

	for (round = 0; round < 2; round++) {
		m = pkt_alloc();
		TEST_ASSERT(m != NULL, "mbuf");
		/* Misalign the layout: a 1-chunk type first. */
		TEST_ASSERT(rte_mbuf_extension_add(m, id_b) != NULL, "add b");
		if (round == 1)
			TEST_ASSERT(rte_mbuf_extension_add(m, id_a) != NULL,
				"add a");
		p = rte_mbuf_extension_add(m, id_c);
		TEST_ASSERT(p != NULL && ((uintptr_t)p & 15) == 0,
			"c (align 16) at %p", p);
		memset(p, 0xcc, 24);
		p = rte_mbuf_extension_add(m, id_d);
		TEST_ASSERT(p != NULL && ((uintptr_t)p & 63) == 0,
			"d (align 64) at %p", p);
		memset(p, 0xdd, 40);
		/* A copy of the block keeps the alignment. */
		hc = rte_mbuf_extension_pktmbuf_clone(m, mp);
		TEST_ASSERT(hc != NULL, "clone");
		p = rte_mbuf_extension_add(hc, id_d);
		TEST_ASSERT(p != NULL && ((uintptr_t)p & 63) == 0,
			"d after cow at %p", p);
		TEST_ASSERT(p != rte_mbuf_extension_find(m, id_d), "no cow");
		TEST_ASSERT(((uint8_t *)p)[39] == 0xdd, "d not copied");
		p = rte_mbuf_extension_find(hc, id_c);
		TEST_ASSERT(p != NULL && ((uintptr_t)p & 15) == 0,
			"c after cow at %p", p);
		TEST_ASSERT(((uint8_t *)p)[23] == 0xcc, "c not copied");
		rte_mbuf_extension_pktmbuf_free(m);
		rte_mbuf_extension_pktmbuf_free(hc);
	}
	CHECK_CLEAN();
	return 0;
}

static int
register_type(const char *name, size_t size, size_t align)
{
	struct rte_mbuf_extension_params p;

	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "%s", name);
	p.size = size;
	p.align = align;
	return rte_mbuf_extension_register(&p);
}

#define RUN(fn) do {						\
	snapshot();							\
	TEST_RUN(fn);							\
} while (0)

int
main(int argc, char **argv)
{
	if (rte_eal_init(argc, argv) < 0) {
		printf("rte_eal_init failed: %s\n", rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	id_b = register_type("lt_b", 8, 8);
	id_a = register_type("lt_a", sizeof(struct ext_a), 8);
	id_c = register_type("lt_c", 24, 16);
	id_d = register_type("lt_d", 40, 64);
	if (id_a < 0 || id_b < 0 || id_c < 0 || id_d < 0) {
		printf("register: %s\n", rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	mp = rte_pktmbuf_pool_create("lt_mbufs", NB_MBUFS, MBUF_CACHE, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (mp == NULL || rte_mbuf_extension_pool_create(NB_BLOCKS,
			BLOCK_CACHE, SOCKET_ID_ANY) != 0) {
		printf("pools: %s\n", rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}

	RUN(test_rule1_release_once);
	RUN(test_rule2_plain_clone_orig_first);
	RUN(test_rule2_plain_clone_clone_first);
	RUN(test_rule2_helper_clone_orig_first);
	RUN(test_rule2_helper_clone_clone_first);
	RUN(test_rule3_cow_helper_clone);
	RUN(test_rule3_cow_shared);
	RUN(test_rule3_cow_original_plain_clone_orig_first);
	RUN(test_rule3_cow_original_plain_clone_clone_first);
	RUN(test_rule3_cow_on_plain_clone);
	RUN(test_rule4_plain_free_realloc);
	RUN(test_rule4_rx_refill);
	RUN(test_rule5_copy);
	RUN(test_rule5_add_on_plain_copy);
	RUN(test_rule5_helper_clone_of_copy_reusing_mbuf);
	RUN(test_rule5_helper_copy_of_copy_reusing_mbuf);
	RUN(test_rule5_plain_clone_of_copy_reusing_mbuf);
	RUN(test_rule5_plain_copy_of_copy_reusing_mbuf);
	RUN(test_rule5_stale_ref_to_parent);
	RUN(test_rule5_share_into_stale_same_block);
	RUN(test_rule6_chain);
	RUN(test_rule6_chain_helper_clone);
	RUN(test_rule7_exhaustion);
	RUN(test_rule8_bad_input);
	RUN(test_del_shared);
	RUN(test_del_last_and_readd);
	RUN(test_reset);
	RUN(test_share);
	RUN(test_release);
	RUN(test_extbuf);
	RUN(test_clone_of_clone);
	RUN(test_many_holders);
	RUN(test_free_bulk);
	RUN(test_alignment);
	return test_finish();
}
