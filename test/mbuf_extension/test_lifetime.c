/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * Lifetime rules of extension blocks, v2 contract (the invariants of
 * doc/guides/mbuf_extension.rst and rte_mbuf_extension.h; since 1b00a0a:
 * an mbuf pinned by plain clones copies its block on add and those clones
 * stop seeing it, an owner slot is taken once per block lifetime, a
 * reference taken from a borrowed view is a copy), and the regression
 * cases of issue 8 (F1 to F4, offset 0).
 *
 * The mbufs come from plain pools, without the mempool handler. "mp" is
 * opted in with rte_mbuf_extension_pktmbuf_pool_opt_in() and every mbuf
 * of it is freed with rte_mbuf_extension_pktmbuf_free[_bulk]() (except in
 * the cases that break that promise on purpose); "plain" is not opted in,
 * and the library must refuse to give its mbufs references.
 *
 * What the block pool and the blocks look like is read through the public
 * rte_mbuf_extension_pool_lookup() and rte_mbuf_extension_info_get();
 * test_dump_matches_info() checks that rte_mbuf_extension_dump() says the
 * same.
 *
 * The cases run in order. After every case the runner checks that nothing
 * leaked (test_clean_check(): no block out of the block pool, every mbuf
 * back in its pool); the cases count what they hold from what was in use
 * when they started (test_clean_blocks()), so that one failure does not
 * fail every case after it, and test_nothing_left() checks that nothing
 * at all is left. Extension pools are not seen by ASan
 * (mempool objects are never poisoned), so use after free is detected by
 * content instead: the block pool has a per-lcore cache, which gives a
 * block just put back to the next add on this lcore (LIFO). After freeing
 * some holders of a block, a case adds an extension to a fresh mbuf and
 * writes a poison value: had the block been freed too early, the
 * remaining holders would read the zeroed or poisoned data. The mbuf pools
 * have a per-lcore cache too: the mbuf freed last is the next one
 * allocated, which the address-reuse cases rely on (and check).
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include <rte_mbuf_extension.h>
#include <rte_mempool_mbuf_ext.h>

#include "test_runner.h"
#include "test_clean.h"
#include "mbext_test.h"

#define NB_MBUFS 512
#define NB_PLAIN 64
#define MBUF_CACHE 32
#define NB_BLOCKS 256
#define BLOCK_CACHE 16
#define POISON UINT64_C(0xdeadbeefdeadbeef)

/* Type A: a key and a value. */
struct ext_a {
	uint64_t key;
	uint64_t val;
};

/* Opted in, freed with the library. */
static struct rte_mempool *mp;
/* Not opted in: its mbufs may never hold a reference. */
static struct rte_mempool *plain;
static int id_a, id_b, id_c, id_d;
/* Bytes in a block, header included (the block pool's element size). */
static unsigned int block_size;

static struct rte_mbuf_extension_stats
stats(void)
{
	struct rte_mbuf_extension_stats st;

	if (rte_mbuf_extension_stats_get(&st) != 0)
		memset(&st, 0xff, sizeof(st));
	return st;
}

/*
 * @p m shows a block just taken from the pool with type A only: A right
 * after the header (A has an 8-byte alignment), the used chunks ending
 * with it. A block taken from the pool must not keep the layout of its
 * earlier lifetime.
 */
static int
fresh_block_with_a(const struct rte_mbuf *m)
{
	struct rte_mbuf_extension_info v;

	return rte_mbuf_extension_info_get(m, &v) == 0 &&
		v.active == 1u << id_a &&
		v.offset[id_a] == (int)MBEXT_TEST_HDR_SIZE &&
		v.chunks * RTE_MBUF_EXTENSION_CHUNK ==
		MBEXT_TEST_HDR_SIZE + sizeof(struct ext_a);
}

/* Owner count of the block @p m shows, 0 if none. */
static unsigned int
refcnt_of(const struct rte_mbuf *m)
{
	struct rte_mbuf_extension_info v;

	return rte_mbuf_extension_info_get(m, &v) == 0 ? v.refcnt : 0;
}

/* 1 if @p m shows a block it owns, 0 if borrowed, -1 if none. */
static int
owned_of(const struct rte_mbuf *m)
{
	struct rte_mbuf_extension_info v;

	return rte_mbuf_extension_info_get(m, &v) == 0 ? v.owned : -1;
}

/*
 * Extension data @p p starts after the header of the block @p m shows,
 * inside the block.
 */
static int
after_header(const struct rte_mbuf *m, const void *p)
{
	return mbext_test_in_block(m, p, 1, block_size);
}

/* A packet with some payload. */
static struct rte_mbuf *
pkt_alloc_from(struct rte_mempool *pool)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	char *p;

	if (m == NULL)
		return NULL;
	p = rte_pktmbuf_append(m, 64);
	if (p != NULL)
		memset(p, 0x5a, 64);
	return m;
}

static struct rte_mbuf *
pkt_alloc(void)
{
	return pkt_alloc_from(mp);
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
 * Rule 1: a block is released exactly once, when its last owner is freed
 * through the library; not before.
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
	TEST_ASSERT_EQ(s1.cow - s0.cow, 0, "copies");
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "one block");
	TEST_ASSERT_EQ(refcnt_of(m), 3, "owners");
	TEST_ASSERT_EQ(owned_of(hc), 1, "helper clone owns a slot");
	TEST_ASSERT_EQ(owned_of(hcp), 1, "helper copy owns a slot");
	TEST_ASSERT(rte_mbuf_extension_find(hc, id_a) ==
		rte_mbuf_extension_find(m, id_a), "clone's block");
	TEST_ASSERT(rte_mbuf_extension_find(hcp, id_a) ==
		rte_mbuf_extension_find(m, id_a), "copy's block");

	/* The original goes first: the clone pins it, it keeps its slot. */
	rte_mbuf_extension_pktmbuf_free(m);
	POISON_RECENT();
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "freed early");
	TEST_ASSERT_EQ(refcnt_of(hc), 3, "pinned original's slot dropped");
	TEST_ASSERT_EQ(key_a(hc), 0x1001, "clone's data");
	TEST_ASSERT_EQ(key_a(hcp), 0x1001, "copy's data");
	rte_mbuf_extension_pktmbuf_free(hcp);
	POISON_RECENT();
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "freed early");
	TEST_ASSERT_EQ(refcnt_of(hc), 2, "copy's slot kept");
	TEST_ASSERT_EQ(key_a(hc), 0x1001, "clone's data");
	/* hc's own slot, then m's when hc detaches from it. */
	rte_mbuf_extension_pktmbuf_free(hc);
	TEST_ASSERT_EQ(test_clean_blocks(), 0, "block not released");
	return 0;
}

/*
 * Rule 2: clones made by rte_pktmbuf_clone() (borrowed view) and by the
 * helper (a slot of their own) see the same extensions; freeing in either
 * order never frees early or twice.
 */
struct clone_params {
	int helper;     /* the clone is a helper clone, not a plain one */
	int orig_first; /* the original is freed before the clone */
};

static int
clone_case(const void *data)
{
	const struct clone_params *prm = data;
	struct rte_mbuf_extension_stats s0, s1;
	struct rte_mbuf *m, *c;
	uint64_t *b;

	m = pkt_with_a(0x2002);
	TEST_ASSERT(m != NULL, "packet");
	b = rte_mbuf_extension_add(m, id_b);
	TEST_ASSERT(b != NULL, "add b");
	*b = 0x2b2b;
	s0 = stats();
	c = prm->helper ? rte_mbuf_extension_pktmbuf_clone(m, mp) :
		rte_pktmbuf_clone(m, mp);
	TEST_ASSERT(c != NULL, "clone");
	s1 = stats();
	TEST_ASSERT_EQ(s1.share - s0.share, prm->helper ? 1 : 0, "shares");
	TEST_ASSERT_EQ(s1.cow - s0.cow, 0, "copies");
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "blocks");
	TEST_ASSERT_EQ(refcnt_of(m), prm->helper ? 2 : 1, "owners");
	TEST_ASSERT_EQ(owned_of(c), prm->helper ? 1 : 0, "owned or borrowed");
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

	if (prm->orig_first) {
		rte_mbuf_extension_pktmbuf_free(m);
		POISON_RECENT();
		TEST_ASSERT_EQ(key_a(c), 0x2002, "clone's A after free");
		TEST_ASSERT_EQ(test_clean_blocks(), 1, "in use");
		rte_mbuf_extension_pktmbuf_free(c);
	} else {
		rte_mbuf_extension_pktmbuf_free(c);
		POISON_RECENT();
		TEST_ASSERT_EQ(key_a(m), 0x2002, "original's A after free");
		TEST_ASSERT_EQ(test_clean_blocks(), 1, "in use");
		TEST_ASSERT_EQ(refcnt_of(m), 1, "clone's slot kept");
		rte_mbuf_extension_pktmbuf_free(m);
	}
	TEST_ASSERT_EQ(test_clean_blocks(), 0, "block not released");
	return 0;
}

/* helper, orig_first */
static const struct clone_params rule2_plain_orig_first = { 0, 1 };
static const struct clone_params rule2_plain_clone_first = { 0, 0 };
static const struct clone_params rule2_helper_orig_first = { 1, 1 };
static const struct clone_params rule2_helper_clone_first = { 1, 0 };

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
	TEST_ASSERT_EQ(refcnt_of(m), 1, "clone's old slot kept");
	TEST_ASSERT_EQ(refcnt_of(c), 1, "copy shared");
	a->key = 0x3113;
	TEST_ASSERT_EQ(key_a(m), 0x3003, "original changed");
	TEST_ASSERT_EQ(key_a(c), 0x3113, "clone's write lost");
	/* A new type on the now private block: no more copies. */
	TEST_ASSERT(rte_mbuf_extension_add(c, id_b) != NULL, "add b");
	TEST_ASSERT_EQ(stats().cow, s1.cow, "copied a private block");
	TEST_ASSERT(!rte_mbuf_extension_exists(m, id_b), "original got b");
	TEST_ASSERT_EQ(test_clean_blocks(), 2, "two blocks");
	rte_mbuf_extension_pktmbuf_free(m);
	POISON_RECENT();
	TEST_ASSERT_EQ(key_a(c), 0x3113, "clone's data");
	rte_mbuf_extension_pktmbuf_free(c);
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
	TEST_ASSERT_EQ(refcnt_of(m), 2, "owners");
	TEST_ASSERT(rte_mbuf_extension_add(m2, id_b) != NULL, "add b");
	TEST_ASSERT_EQ(stats().cow - cow0, 1, "cow");
	TEST_ASSERT(!rte_mbuf_extension_exists(m, id_b), "other holder got b");
	TEST_ASSERT_EQ(key_a(m2), 0x3223, "copy lost a");
	a = rte_mbuf_extension_find(m2, id_a);
	a->key = 1;
	TEST_ASSERT_EQ(key_a(m), 0x3223, "other holder changed");
	/* The other holder is alone again: it writes in place. */
	TEST_ASSERT_EQ(refcnt_of(m), 1, "old slot kept");
	a = rte_mbuf_extension_find(m, id_a);
	TEST_ASSERT(rte_mbuf_extension_add(m, id_a) == a, "moved");
	TEST_ASSERT_EQ(stats().cow - cow0, 1, "copied a private block");
	rte_mbuf_extension_pktmbuf_free(m2);
	rte_mbuf_extension_pktmbuf_free(m);
	return 0;
}

/*
 * Rule 3: a direct mbuf that owns its block alone adds in place while no
 * plain clone pins it. Pinned by one (which may be reading the block),
 * its add copies the block, and the clone stops seeing it: a plain clone
 * never sees a block change under it. Unpinned again, in place again.
 */
struct pinned_params {
	int orig_first; /* the direct mbuf is freed before the clone */
};

static int
pinned_case(const void *data)
{
	const struct pinned_params *prm = data;
	struct rte_mbuf *m, *c;
	struct ext_a *a, *ca;
	uint64_t cow0;
	const void *blk;

	m = pkt_with_a(0x3333);
	TEST_ASSERT(m != NULL, "packet");
	cow0 = stats().cow;
	ca = rte_mbuf_extension_find(m, id_a);
	TEST_ASSERT(rte_mbuf_extension_add(m, id_a) == ca, "not in place");
	c = rte_pktmbuf_clone(m, mp);
	TEST_ASSERT(c != NULL, "clone");
	TEST_ASSERT(rte_mbuf_extension_find(c, id_a) == ca, "clone's view");
	TEST_ASSERT_EQ(owned_of(c), 0, "clone's view not borrowed");
	blk = mbext_test_block_of(m);
	/* Pinned: a copy, even for a type it has. */
	a = rte_mbuf_extension_add(m, id_a);
	TEST_ASSERT(a != NULL && a != ca, "in place under a plain clone");
	TEST_ASSERT_EQ(a->key, 0x3333, "copy lost the data");
	TEST_ASSERT_EQ(stats().cow - cow0, 1, "cow");
	TEST_ASSERT(mbext_test_block_of(m) != blk, "same block");
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "old block kept");
	a->key = 0x3443;
	TEST_ASSERT(rte_mbuf_extension_find(c, id_a) == NULL,
		"clone still reads a block its direct left");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(c), 0, "clone's mask");
	/* Still pinned: its next add copies again. */
	blk = mbext_test_block_of(m);
	TEST_ASSERT(rte_mbuf_extension_add(m, id_b) != NULL, "add b");
	TEST_ASSERT_EQ(stats().cow - cow0, 2, "cow");
	TEST_ASSERT(mbext_test_block_of(m) != blk, "in place while pinned");
	TEST_ASSERT_EQ(key_a(m), 0x3443, "copy lost a");
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "blocks");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(c), 0, "clone's mask");
	if (prm->orig_first) {
		rte_mbuf_extension_pktmbuf_free(m);
		POISON_RECENT();
		TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(c), 0, "clone");
		TEST_ASSERT_EQ(test_clean_blocks(), 1, "freed early");
		rte_mbuf_extension_pktmbuf_free(c);
	} else {
		rte_mbuf_extension_pktmbuf_free(c);
		/* Alone again: in place. */
		blk = mbext_test_block_of(m);
		TEST_ASSERT(rte_mbuf_extension_add(m, id_c) != NULL, "add c");
		TEST_ASSERT(mbext_test_block_of(m) == blk, "copied when alone");
		TEST_ASSERT_EQ(stats().cow - cow0, 2, "cow");
		TEST_ASSERT_EQ(key_a(m), 0x3443, "lost a");
		TEST_ASSERT(rte_mbuf_extension_exists(m, id_b), "lost b");
		rte_mbuf_extension_pktmbuf_free(m);
	}
	return 0;
}

static const struct pinned_params pinned_orig_first = { .orig_first = 1 };
static const struct pinned_params pinned_clone_first = { .orig_first = 0 };

/*
 * Rule 3, v2: the direct mbuf's block is shared (a helper clone owns a
 * slot too): its add copies, and releases its old slot. A plain clone
 * borrowed that slot: the direct no longer owns that reference, the clone
 * sees nothing any more. The other owner sees no change.
 */
static int
test_rule3_direct_cow_ends_plain_clone_view(void)
{
	struct rte_mbuf *m, *h, *c;
	uint64_t cow0;
	const void *blk;

	m = pkt_with_a(0x3773);
	TEST_ASSERT(m != NULL, "packet");
	h = rte_mbuf_extension_pktmbuf_clone(m, mp);
	c = rte_pktmbuf_clone(m, mp);
	TEST_ASSERT(h != NULL && c != NULL, "clones");
	blk = mbext_test_block_of(m);
	TEST_ASSERT_EQ(key_a(c), 0x3773, "clone's view");
	cow0 = stats().cow;
	TEST_ASSERT(rte_mbuf_extension_add(m, id_b) != NULL, "add b");
	TEST_ASSERT_EQ(stats().cow - cow0, 1, "cow");
	TEST_ASSERT(mbext_test_block_of(m) != blk, "written in place");
	TEST_ASSERT_EQ(test_clean_blocks(), 2, "blocks");
	TEST_ASSERT_EQ(key_a(m), 0x3773, "copy lost a");
	TEST_ASSERT_EQ(refcnt_of(h), 1, "old slot kept");
	TEST_ASSERT_EQ(key_a(h), 0x3773, "other owner changed");
	TEST_ASSERT(!rte_mbuf_extension_exists(h, id_b), "other owner got b");
	TEST_ASSERT(rte_mbuf_extension_find(c, id_a) == NULL,
		"clone reads a slot its direct released");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(c), 0, "clone's mask");
	rte_mbuf_extension_pktmbuf_free(m);
	rte_mbuf_extension_pktmbuf_free(c);
	POISON_RECENT();
	TEST_ASSERT_EQ(key_a(h), 0x3773, "other owner's data");
	rte_mbuf_extension_pktmbuf_free(h);
	return 0;
}

/* Rule 3: adding on a plain clone (a borrowed view) copies. */
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
	TEST_ASSERT_EQ(a->key, 0x3553, "copy lost the data");
	TEST_ASSERT_EQ(owned_of(c), 1, "clone does not own its copy");
	TEST_ASSERT_EQ(refcnt_of(m), 1, "original's block shared");
	a->key = 0x3663;
	TEST_ASSERT(rte_mbuf_extension_add(c, id_b) != NULL, "add b");
	TEST_ASSERT_EQ(stats().cow - cow0, 1, "copied a private block");
	TEST_ASSERT_EQ(key_a(m), 0x3553, "original changed");
	TEST_ASSERT(!rte_mbuf_extension_exists(m, id_b), "original got b");
	TEST_ASSERT_EQ(test_clean_blocks(), 2, "two blocks");
	rte_mbuf_extension_pktmbuf_free(m);
	POISON_RECENT();
	TEST_ASSERT_EQ(key_a(c), 0x3663, "clone's data");
	TEST_ASSERT_EQ(test_clean_blocks(), 2, "freed early");
	rte_mbuf_extension_pktmbuf_free(c);
	return 0;
}

/*
 * Rule 4: an ol_flags write (an RX PMD, rte_pktmbuf_reset(), the
 * application) hides the extensions; the block stays owned. An add on it,
 * owned alone, reuses it with the active bits starting from 0.
 */
static int
test_rule4_hidden_block_reused(void)
{
	struct rte_mbuf *m;
	struct ext_a *a;
	const void *blk;

	m = pkt_with_a(0x4004);
	TEST_ASSERT(m != NULL, "packet");
	TEST_ASSERT(rte_mbuf_extension_add(m, id_b) != NULL, "add b");
	blk = mbext_test_block_of(m);
	m->ol_flags = RTE_MBUF_F_RX_IP_CKSUM_GOOD;
	TEST_ASSERT(rte_mbuf_extension_find(m, id_a) == NULL, "a visible");
	TEST_ASSERT(rte_mbuf_extension_find(m, id_b) == NULL, "b visible");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m), 0, "mask");
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "hidden block released");
	a = rte_mbuf_extension_add(m, id_a);
	TEST_ASSERT(a != NULL, "add");
	TEST_ASSERT(a->key == 0 && a->val == 0, "old data visible");
	TEST_ASSERT(!rte_mbuf_extension_exists(m, id_b), "old b visible");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m), 1u << id_a, "mask");
	TEST_ASSERT(mbext_test_block_of(m) == blk, "block not reused");
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "blocks");
	TEST_ASSERT_EQ(refcnt_of(m), 1, "owners");
	rte_mbuf_extension_pktmbuf_free(m);
	return 0;
}

/* Rule 4: hidden but shared: the add takes a new block, the old slot goes. */
static int
test_rule4_hidden_shared_block_new_block(void)
{
	struct rte_mbuf *m, *h;
	struct ext_a *a;
	int fresh;
	const void *blk;

	m = pkt_with_a(0x4224);
	TEST_ASSERT(m != NULL, "packet");
	h = rte_mbuf_extension_pktmbuf_copy(m, mp, 0, UINT32_MAX);
	TEST_ASSERT(h != NULL, "copy");
	blk = mbext_test_block_of(m);
	TEST_ASSERT_EQ(refcnt_of(h), 2, "owners");
	m->ol_flags = 0;
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m), 0, "mask");
	a = rte_mbuf_extension_add(m, id_a);
	TEST_ASSERT(a != NULL && a->key == 0 && a->val == 0, "add");
	TEST_ASSERT(after_header(m, a), "add returned a header");
	fresh = fresh_block_with_a(m);
	TEST_ASSERT(mbext_test_block_of(m) != blk, "shared block reused");
	TEST_ASSERT_EQ(test_clean_blocks(), 2, "blocks");
	TEST_ASSERT_EQ(refcnt_of(h), 1, "hidden slot kept");
	TEST_ASSERT_EQ(key_a(h), 0x4224, "other owner changed");
	rte_mbuf_extension_pktmbuf_free(h);
	rte_mbuf_extension_pktmbuf_free(m);
	TEST_ASSERT(fresh, "new block keeps the layout of its last lifetime");
	return 0;
}

/*
 * Rule 4, broken promise: rte_pktmbuf_free() of an extended mbuf of an
 * opted-in pool. The block leaks (it shows); the mbuf allocated again at
 * that address shows nothing; the library finds it again on the next add
 * (owned, hidden, refcnt 1: reused) and frees it with the mbuf.
 */
static int
test_rule4_broken_promise_plain_free(void)
{
	struct rte_mbuf *m, *m2;
	struct ext_a *a;

	m = pkt_with_a(0x4004);
	TEST_ASSERT(m != NULL, "packet");
	TEST_ASSERT(rte_mbuf_extension_add(m, id_b) != NULL, "add b");
	rte_pktmbuf_free(m);
	m2 = rte_pktmbuf_alloc(mp);
	TEST_ASSERT(m2 == m, "not the same mbuf back (%p, %p)", (void *)m,
		(void *)m2);
	TEST_ASSERT(rte_mbuf_extension_find(m2, id_a) == NULL, "stale a");
	TEST_ASSERT(rte_mbuf_extension_find(m2, id_b) == NULL, "stale b");
	TEST_ASSERT(!rte_mbuf_extension_exists(m2, id_a), "stale a");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m2), 0, "stale mask");
	/* The leak shows. */
	TEST_ASSERT_EQ(test_clean_stats_blocks(), 1,
		"leaked block not counted");
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "pool_in_use");
	/* A new extension is fresh and zeroed, in the same block. */
	a = rte_mbuf_extension_add(m2, id_a);
	TEST_ASSERT(a != NULL, "add");
	TEST_ASSERT(a->key == 0 && a->val == 0, "old data visible");
	TEST_ASSERT(!rte_mbuf_extension_exists(m2, id_b), "old b visible");
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "pool_in_use");
	rte_mbuf_extension_pktmbuf_free(m2);
	return 0;
}

/* Rule 4: the same with a raw allocation and an RX PMD's ol_flags. */
static int
test_rule4_broken_promise_rx_refill(void)
{
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
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "leak not counted");
	/* The library free releases the hidden reference. */
	rte_mbuf_extension_pktmbuf_free(m2);
	TEST_ASSERT_EQ(test_clean_blocks(), 0, "leak not reclaimed");
	return 0;
}

/*
 * Rule 5: rte_pktmbuf_copy() sees no extension and never the original's
 * block; the helper copy owns a slot and outlives the original.
 */
static int
test_rule5_copy(void)
{
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
	TEST_ASSERT_EQ(refcnt_of(m), 2, "owners");

	/* Free the original: the plain copy must not see the freed slot. */
	rte_mbuf_extension_pktmbuf_free(m);
	POISON_RECENT();
	TEST_ASSERT(rte_mbuf_extension_find(cp, id_a) == NULL, "dangling");
	TEST_ASSERT_EQ(key_a(hcp), 0x5005, "helper copy after free");
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "in use");
	/* The plain copy owns nothing: freeing it releases nothing. */
	rte_mbuf_extension_pktmbuf_free(cp);
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "plain copy released");
	TEST_ASSERT_EQ(refcnt_of(hcp), 1, "owners");
	TEST_ASSERT_EQ(key_a(hcp), 0x5005, "helper copy after free");
	/* The helper copy owns the block alone now: it adds in place. */
	a = rte_mbuf_extension_find(hcp, id_a);
	TEST_ASSERT(rte_mbuf_extension_add(hcp, id_a) == a, "moved");
	rte_mbuf_extension_pktmbuf_free(hcp);
	return 0;
}

/* Rule 5: a plain copy gets a fresh block of its own when it adds. */
static int
test_rule5_add_on_plain_copy(void)
{
	struct rte_mbuf *m, *cp;
	struct ext_a *a;
	int fresh;

	m = pkt_with_a(0x5115);
	TEST_ASSERT(m != NULL, "packet");
	cp = rte_pktmbuf_copy(m, mp, 0, UINT32_MAX);
	TEST_ASSERT(cp != NULL, "copy");
	a = rte_mbuf_extension_add(cp, id_a);
	TEST_ASSERT(a != NULL, "add");
	TEST_ASSERT(after_header(cp, a), "add returned a header");
	fresh = fresh_block_with_a(cp);
	TEST_ASSERT(a != rte_mbuf_extension_find(m, id_a), "same block");
	TEST_ASSERT(a->key == 0 && a->val == 0, "not zeroed");
	a->key = 7;
	TEST_ASSERT_EQ(key_a(m), 0x5115, "original changed");
	TEST_ASSERT_EQ(test_clean_blocks(), 2, "blocks");
	TEST_ASSERT_EQ(refcnt_of(m), 1, "original's block shared");
	rte_mbuf_extension_pktmbuf_free(m);
	TEST_ASSERT_EQ(key_a(cp), 7, "copy's data");
	rte_mbuf_extension_pktmbuf_free(cp);
	TEST_ASSERT(fresh, "new block keeps the layout of its last lifetime");
	return 0;
}

/*
 * Rule 5, second generation: a plain copy carries the original's
 * reference (block, slot, lifetime). Once the original is freed, its mbuf
 * is the next one this lcore allocates (mbuf cache, LIFO). A helper or
 * plain clone or copy of the plain copy that is given that mbuf must
 * neither see nor own the original's old slot, in a block another owner
 * still uses.
 */
struct stale_ref_params {
	int copy;     /* a copy of the plain copy, not a clone */
	int plain_op; /* made by rte_pktmbuf_*(), not by the helpers */
};

static int
stale_ref_case(const void *data)
{
	const struct stale_ref_params *prm = data;
	struct rte_mbuf *x, *h, *p, *n;
	void *xaddr;

	x = pkt_with_a(0x5225);
	TEST_ASSERT(x != NULL, "packet");
	h = rte_mbuf_extension_pktmbuf_copy(x, mp, 0, UINT32_MAX);
	p = rte_pktmbuf_copy(x, mp, 0, UINT32_MAX);
	TEST_ASSERT(h != NULL && p != NULL, "copies");
	xaddr = x;
	rte_mbuf_extension_pktmbuf_free(x);
	if (prm->plain_op)
		n = prm->copy ? rte_pktmbuf_copy(p, mp, 0, UINT32_MAX) :
			rte_pktmbuf_clone(p, mp);
	else
		n = prm->copy ? rte_mbuf_extension_pktmbuf_copy(p, mp, 0,
			UINT32_MAX) : rte_mbuf_extension_pktmbuf_clone(p, mp);
	TEST_ASSERT(n != NULL, "clone/copy");
	TEST_ASSERT((void *)n == xaddr,
		"not the freed mbuf back: case not exercised");
	TEST_ASSERT(rte_mbuf_extension_find(n, id_a) == NULL,
		"sees the freed original's extensions");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(n), 0, "mask");
	rte_mbuf_extension_reset(n);
	TEST_ASSERT_EQ(test_clean_blocks(), 1,
		"the other owner's block freed");
	TEST_ASSERT_EQ(refcnt_of(h), 1, "a slot was taken or dropped");
	POISON_RECENT();
	TEST_ASSERT_EQ(key_a(h), 0x5225, "the other owner's data");
	rte_mbuf_extension_pktmbuf_free(n);
	rte_mbuf_extension_pktmbuf_free(p);
	TEST_ASSERT_EQ(key_a(h), 0x5225, "the other owner's data");
	TEST_ASSERT_EQ(refcnt_of(h), 1, "owners");
	rte_mbuf_extension_pktmbuf_free(h);
	return 0;
}

/* copy, plain_op */
static const struct stale_ref_params stale_helper_clone = { 0, 0 };
static const struct stale_ref_params stale_helper_copy = { 1, 0 };
static const struct stale_ref_params stale_plain_clone = { 0, 1 };
static const struct stale_ref_params stale_plain_copy = { 1, 1 };

/*
 * A plain copy that reuses a freed owner's mbuf carries a stale reference
 * naming a block that still lives (another owner), with the slot the
 * freed owner had. Sharing that same block into it must leave it a real
 * owner: the new slot must not be mistaken for the stale reference.
 */
static int
test_rule5_share_into_stale_same_block(void)
{
	struct rte_mbuf *x, *h, *y, *n;
	void *xaddr;

	x = pkt_with_a(0x5a5a);
	TEST_ASSERT(x != NULL, "packet");
	h = rte_mbuf_extension_pktmbuf_copy(x, mp, 0, UINT32_MAX);
	y = rte_pktmbuf_copy(x, mp, 0, UINT32_MAX);
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
	TEST_ASSERT_EQ(owned_of(n), 1, "not owned");
	TEST_ASSERT_EQ(refcnt_of(n), 2, "owners");
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "one block");
	rte_mbuf_extension_pktmbuf_free(h);
	POISON_RECENT();
	TEST_ASSERT_EQ(key_a(n), 0x5a5a, "block freed under its owner");
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "n still owns it");
	rte_mbuf_extension_pktmbuf_free(n);
	rte_mbuf_extension_pktmbuf_free(y);
	return 0;
}

/*
 * A plain clone of an mbuf that had no visible extension sees nothing,
 * even after the direct mbuf adds: no reference, a hidden one, or one
 * released by the last del.
 */
static int
test_plain_clone_of_mbuf_without_extension(void)
{
	struct rte_mbuf *m, *c;
	int how;

	for (how = 0; how < 3; how++) {
		if (how == 0) {
			m = pkt_alloc();
		} else {
			m = pkt_with_a(0x6a6a);
			TEST_ASSERT(m != NULL, "packet");
			if (how == 1)
				m->ol_flags = 0;
			else
				rte_mbuf_extension_del(m, id_a);
		}
		TEST_ASSERT(m != NULL, "packet");
		TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m), 0, "mask");
		c = rte_pktmbuf_clone(m, mp);
		TEST_ASSERT(c != NULL, "clone");
		TEST_ASSERT(rte_mbuf_extension_add(m, id_a) != NULL, "add");
		TEST_ASSERT(rte_mbuf_extension_add(m, id_b) != NULL, "add");
		TEST_ASSERT(rte_mbuf_extension_find(c, id_a) == NULL,
			"case %d: clone sees the later a", how);
		TEST_ASSERT(rte_mbuf_extension_find(c, id_b) == NULL,
			"case %d: clone sees the later b", how);
		TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(c), 0, "mask");
		rte_mbuf_extension_pktmbuf_free(m);
		rte_mbuf_extension_pktmbuf_free(c);
		TEST_ASSERT(test_clean_check() == TEST_SUCCESS,
			"case %d not clean", how);
	}
	return 0;
}

/* rte_pktmbuf_attach(): a borrowed view, released through the direct. */
static int
test_attach_borrows(void)
{
	struct rte_mbuf *m, *mi;

	m = pkt_with_a(0x6b6b);
	mi = rte_pktmbuf_alloc(mp);
	TEST_ASSERT(m != NULL && mi != NULL, "alloc");
	rte_pktmbuf_attach(mi, m);
	TEST_ASSERT(rte_mbuf_extension_find(mi, id_a) ==
		rte_mbuf_extension_find(m, id_a), "attached view");
	TEST_ASSERT_EQ(owned_of(mi), 0, "owns");
	TEST_ASSERT_EQ(refcnt_of(m), 1, "a slot was taken");
	rte_mbuf_extension_pktmbuf_free(m);
	POISON_RECENT();
	TEST_ASSERT_EQ(key_a(mi), 0x6b6b, "view after the direct's free");
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "freed early");
	rte_mbuf_extension_pktmbuf_free(mi);
	return 0;
}

/*
 * Rule 6: extensions belong to the first segment; chaining through the
 * helper drops the tail's, clones and copies of a chain see the head's.
 */
static int
test_rule6_chain(void)
{
	struct rte_mbuf *head, *tail, *t2, *c, *cp;
	uint16_t segs;

	head = pkt_with_a(0x6006);
	tail = pkt_with_a(0x6116);
	t2 = pkt_alloc();
	TEST_ASSERT(head != NULL && tail != NULL && t2 != NULL, "alloc");
	TEST_ASSERT(rte_mbuf_extension_add(tail, id_b) != NULL, "add b");
	TEST_ASSERT_EQ(test_clean_blocks(), 2, "blocks");

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

	TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_chain(head, tail), 0,
		"chain");
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "tail's block not dropped");
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

	/* Freeing the chain releases the head's slot once, all segments. */
	rte_mbuf_extension_pktmbuf_free(head);
	TEST_ASSERT_EQ(key_a(c), 0x6006, "clone after head's free");
	rte_mbuf_extension_pktmbuf_free(c);
	TEST_ASSERT_EQ(key_a(cp), 0x6006, "copy after head's free");
	TEST_ASSERT_EQ(refcnt_of(cp), 1, "head's slot kept");
	rte_mbuf_extension_pktmbuf_free(cp);
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
	return 0;
}

/*
 * A block has RTE_MBUF_EXTENSION_MAX_OWNERS (4) owner slots; one more
 * owner (helper clone, helper copy, share) gets a copy of its own.
 */
static int
test_owner_slots(void)
{
	struct rte_mbuf_extension_stats s0, s1;
	struct rte_mbuf *m, *h[RTE_MBUF_EXTENSION_MAX_OWNERS], *x, *s;
	const void *blk;
	int i;

	TEST_ASSERT_EQ(RTE_MBUF_EXTENSION_MAX_OWNERS, 4, "slots");
	m = pkt_with_a(0x7a7a);
	TEST_ASSERT(m != NULL, "packet");
	blk = mbext_test_block_of(m);
	s0 = stats();
	for (i = 0; i < RTE_MBUF_EXTENSION_MAX_OWNERS - 1; i++) {
		h[i] = rte_mbuf_extension_pktmbuf_clone(m, mp);
		TEST_ASSERT(h[i] != NULL, "clone %d", i);
		TEST_ASSERT(mbext_test_block_of(h[i]) == blk,
			"clone %d: a copy", i);
	}
	s1 = stats();
	TEST_ASSERT_EQ(s1.share - s0.share, RTE_MBUF_EXTENSION_MAX_OWNERS - 1,
		"shares");
	TEST_ASSERT_EQ(s1.cow - s0.cow, 0, "copies");
	TEST_ASSERT_EQ(refcnt_of(m), RTE_MBUF_EXTENSION_MAX_OWNERS, "owners");
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "blocks");

	/* Fifth owner: a copy. */
	x = rte_mbuf_extension_pktmbuf_copy(m, mp, 0, UINT32_MAX);
	TEST_ASSERT(x != NULL, "fifth owner");
	TEST_ASSERT(mbext_test_block_of(x) != blk, "fifth slot");
	TEST_ASSERT_EQ(owned_of(x), 1, "copy not owned");
	TEST_ASSERT_EQ(refcnt_of(x), 1, "copy shared");
	TEST_ASSERT_EQ(key_a(x), 0x7a7a, "copy's data");
	TEST_ASSERT_EQ(stats().cow - s1.cow, 1, "copies");
	TEST_ASSERT_EQ(stats().share, s1.share, "shares");
	TEST_ASSERT_EQ(test_clean_blocks(), 2, "blocks");
	s = pkt_alloc();
	TEST_ASSERT(s != NULL, "mbuf");
	TEST_ASSERT_EQ(rte_mbuf_extension_share(s, m), 0, "share");
	TEST_ASSERT(mbext_test_block_of(s) != blk &&
		mbext_test_block_of(s) != mbext_test_block_of(x),
		"share to a fifth owner");
	TEST_ASSERT_EQ(test_clean_blocks(), 3, "blocks");
	TEST_ASSERT_EQ(refcnt_of(m), RTE_MBUF_EXTENSION_MAX_OWNERS, "owners");

	/*
	 * A released slot is taken again (with a new take count): at most
	 * 4 owners at a time, not 4 references per lifetime.
	 */
	rte_mbuf_extension_pktmbuf_free(h[0]);
	TEST_ASSERT_EQ(refcnt_of(m), RTE_MBUF_EXTENSION_MAX_OWNERS - 1,
		"owners");
	s1 = stats();
	h[0] = rte_mbuf_extension_pktmbuf_clone(m, mp);
	TEST_ASSERT(h[0] != NULL && mbext_test_block_of(h[0]) == blk,
		"released slot not taken again");
	TEST_ASSERT_EQ(stats().cow - s1.cow, 0, "copies");
	TEST_ASSERT_EQ(stats().share - s1.share, 1, "shares");
	TEST_ASSERT_EQ(key_a(h[0]), 0x7a7a, "data");
	TEST_ASSERT_EQ(refcnt_of(m), RTE_MBUF_EXTENSION_MAX_OWNERS, "owners");
	TEST_ASSERT_EQ(test_clean_blocks(), 3, "blocks");

	rte_mbuf_extension_pktmbuf_free(m);
	for (i = 0; i < RTE_MBUF_EXTENSION_MAX_OWNERS - 1; i++) {
		TEST_ASSERT_EQ(key_a(h[i]), 0x7a7a, "clone's data");
		rte_mbuf_extension_pktmbuf_free(h[i]);
	}
	TEST_ASSERT_EQ(test_clean_blocks(), 2, "blocks");
	rte_mbuf_extension_pktmbuf_free(x);
	rte_mbuf_extension_pktmbuf_free(s);
	return 0;
}

/*
 * A slot taken RTE_MBUF_EXTENSION_SEQ_MAX times in one lifetime rests
 * until the next one: its take count never wraps, so a take number is
 * never given twice in a lifetime. Clone-and-free cycles use slots 1 to 3
 * in turn, then copy.
 */
static int
test_slot_take_count_rests(void)
{
	const unsigned int takes = 3u * RTE_MBUF_EXTENSION_SEQ_MAX;
	struct rte_mbuf_extension_stats s0;
	struct rte_mbuf_extension_info v;
	struct rte_mbuf *m, *c;
	const void *blk;
	unsigned int i;

	m = pkt_with_a(0x5e9);
	TEST_ASSERT(m != NULL, "packet");
	blk = mbext_test_block_of(m);
	s0 = stats();
	for (i = 0; i < takes; i++) {
		c = rte_mbuf_extension_pktmbuf_clone(m, mp);
		TEST_ASSERT(c != NULL, "clone %u", i);
		TEST_ASSERT(mbext_test_block_of(c) == blk, "clone %u: a copy",
			i);
		rte_mbuf_extension_pktmbuf_free(c);
	}
	TEST_ASSERT_EQ(stats().cow, s0.cow, "copies");
	TEST_ASSERT(rte_mbuf_extension_info_get(m, &v) == 0 && v.block == blk,
		"m's block");
	TEST_ASSERT_EQ(v.takes[1], RTE_MBUF_EXTENSION_SEQ_MAX, "slot 1");
	TEST_ASSERT_EQ(v.takes[2], RTE_MBUF_EXTENSION_SEQ_MAX, "slot 2");
	TEST_ASSERT_EQ(v.takes[3], RTE_MBUF_EXTENSION_SEQ_MAX, "slot 3");
	c = rte_mbuf_extension_pktmbuf_clone(m, mp);
	TEST_ASSERT(c != NULL && mbext_test_block_of(c) != blk,
		"a rested slot taken");
	TEST_ASSERT_EQ(stats().cow - s0.cow, 1, "copies");
	TEST_ASSERT_EQ(key_a(c), 0x5e9, "copy's data");
	TEST_ASSERT(rte_mbuf_extension_info_get(m, &v) == 0 && v.block == blk,
		"m's block");
	TEST_ASSERT_EQ(v.takes[1], RTE_MBUF_EXTENSION_SEQ_MAX, "wrapped");
	rte_mbuf_extension_pktmbuf_free(c);
	rte_mbuf_extension_pktmbuf_free(m);
	return 0;
}

/*
 * The pool contract: an mbuf of a pool neither served by the "mbuf_ext"
 * handler nor opted in may not take a reference. add, share into it and
 * the clone and copy helpers into it fail with ENOTSUP, count refused and
 * change nothing. What gives it no reference still works.
 */
static int
test_pool_not_opted_in_refused(void)
{
	struct rte_mbuf_extension_stats s0;
	struct rte_mbuf *src, *m, *pc, *n, *none;
	unsigned int mbufs;
	uint8_t mask;

	src = pkt_with_a(0x8a8a);
	TEST_ASSERT(src != NULL, "packet");
	TEST_ASSERT(rte_mbuf_extension_add(src, id_b) != NULL, "add b");
	mask = rte_mbuf_extension_active_mask(src);
	m = pkt_alloc_from(plain);
	TEST_ASSERT(m != NULL, "plain mbuf");
	s0 = stats();

	rte_errno = 0;
	TEST_ASSERT(rte_mbuf_extension_add(m, id_a) == NULL, "add");
	TEST_ASSERT_EQ(rte_errno, ENOTSUP, "add rte_errno");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m), 0, "add: mask");
	rte_errno = 0;
	TEST_ASSERT_EQ(rte_mbuf_extension_share(m, src), -ENOTSUP, "share");
	TEST_ASSERT_EQ(rte_errno, ENOTSUP, "share rte_errno");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m), 0, "share: mask");
	mbufs = rte_mempool_in_use_count(plain);
	rte_errno = 0;
	TEST_ASSERT(rte_mbuf_extension_pktmbuf_clone(src, plain) == NULL,
		"helper clone");
	TEST_ASSERT_EQ(rte_errno, ENOTSUP, "clone rte_errno");
	rte_errno = 0;
	TEST_ASSERT(rte_mbuf_extension_pktmbuf_copy(src, plain, 0,
		UINT32_MAX) == NULL, "helper copy");
	TEST_ASSERT_EQ(rte_errno, ENOTSUP, "copy rte_errno");
	TEST_ASSERT_EQ(rte_mempool_in_use_count(plain), mbufs,
		"failed clone or copy not freed");
	TEST_ASSERT_EQ(rte_mbuf_refcnt_read(src), 1, "source still pinned");
	TEST_ASSERT_EQ(stats().refused - s0.refused, 4, "refused");
	TEST_ASSERT_EQ(stats().share, s0.share, "shares");
	TEST_ASSERT_EQ(stats().cow, s0.cow, "copies");
	/* The source did not change. */
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(src), mask, "mask");
	TEST_ASSERT_EQ(key_a(src), 0x8a8a, "source's a");
	TEST_ASSERT_EQ(refcnt_of(src), 1, "owners");
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "blocks");

	/*
	 * A plain clone in that pool borrows (it takes no reference); it
	 * cannot take one: its add and share fail and leave it as it was.
	 */
	pc = rte_pktmbuf_clone(src, plain);
	TEST_ASSERT(pc != NULL, "plain clone");
	TEST_ASSERT_EQ(key_a(pc), 0x8a8a, "borrowed view");
	s0 = stats();
	rte_errno = 0;
	TEST_ASSERT(rte_mbuf_extension_add(pc, id_c) == NULL, "add new type");
	TEST_ASSERT_EQ(rte_errno, ENOTSUP, "rte_errno");
	rte_errno = 0;
	TEST_ASSERT(rte_mbuf_extension_add(pc, id_a) == NULL, "add present");
	TEST_ASSERT_EQ(rte_errno, ENOTSUP, "rte_errno");
	n = pkt_with_a(0x8b8b);
	TEST_ASSERT(n != NULL, "packet");
	rte_errno = 0;
	TEST_ASSERT_EQ(rte_mbuf_extension_share(pc, n), -ENOTSUP, "share");
	TEST_ASSERT_EQ(rte_errno, ENOTSUP, "rte_errno");
	TEST_ASSERT_EQ(stats().refused - s0.refused, 3, "refused");
	TEST_ASSERT_EQ(key_a(pc), 0x8a8a, "clone's a changed");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(pc), mask, "mask");
	TEST_ASSERT_EQ(owned_of(pc), 0, "clone owns");
	TEST_ASSERT_EQ(test_clean_blocks(), 2, "blocks");
	/* Delete never fails. */
	rte_mbuf_extension_del(pc, id_b);
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(pc), 1u << id_a, "del");

	/* Nothing to share: no reference is taken, nothing refused. */
	none = pkt_alloc();
	TEST_ASSERT(none != NULL, "mbuf");
	s0 = stats();
	TEST_ASSERT_EQ(rte_mbuf_extension_share(m, none), 0, "share nothing");
	n->ol_flags = 0; /* n's extensions hidden */
	TEST_ASSERT_EQ(rte_mbuf_extension_share(m, n), 0, "share hidden");
	rte_mbuf_extension_pktmbuf_free(none);
	none = rte_mbuf_extension_pktmbuf_clone(m, plain);
	TEST_ASSERT(none != NULL, "helper clone without extensions");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(none), 0, "mask");
	TEST_ASSERT_EQ(stats().refused, s0.refused, "refused");

	rte_mbuf_extension_pktmbuf_free(none);
	rte_mbuf_extension_pktmbuf_free(pc);
	rte_mbuf_extension_pktmbuf_free(m);
	rte_mbuf_extension_pktmbuf_free(n);
	TEST_ASSERT_EQ(key_a(src), 0x8a8a, "source's a");
	rte_mbuf_extension_pktmbuf_free(src);
	return 0;
}

/*
 * Issue 8, F1, translated to v2 (opted-in pool, library frees only):
 *   z = alloc; add(z, A)              z owns B, slot 0, lifetime g
 *   y = rte_pktmbuf_copy(z)           y carries (B, 0, g): sees nothing
 *   library free(z)                   B back in the block pool
 *   x = rte_pktmbuf_copy(y)           x is z's old mbuf: sees nothing
 *   c = rte_pktmbuf_clone(x)          carries (B, 0, g), pins x
 *   x takes slot 0 of B again, in a new lifetime:
 *     add(x, another type) or add(x, A) (the block cache gives B back),
 *     or share(x, h2) while slot 0 of B is free again.
 * c must see nothing (never B's header, never x's data), and its own add
 * gets a block of its own. Both address reuses are checked.
 */
struct f1_params {
	int how; /* x takes B by 0: add(x, b), 1: add(x, A), 2: share */
};

static int
f1_case(const void *data)
{
	const struct f1_params *prm = data;
	struct rte_mbuf *z, *y, *x, *c, *h = NULL, *h2 = NULL;
	struct rte_mbuf_extension_info v;
	struct ext_a *a, *ca;
	const void *blk;
	void *zaddr;
	int fresh;

	z = pkt_with_a(0xf1f1);
	TEST_ASSERT(z != NULL, "packet");
	blk = mbext_test_block_of(z);
	y = rte_pktmbuf_copy(z, mp, 0, UINT32_MAX);
	TEST_ASSERT(y != NULL, "copy");
	TEST_ASSERT(rte_mbuf_extension_find(y, id_a) == NULL, "y sees B");
	zaddr = z;
	rte_mbuf_extension_pktmbuf_free(z);
	TEST_ASSERT_EQ(test_clean_blocks(), 0, "B not back in its pool");
	x = rte_pktmbuf_copy(y, mp, 0, UINT32_MAX);
	TEST_ASSERT(x != NULL, "copy");
	TEST_ASSERT((void *)x == zaddr,
		"x is not z's old mbuf: case not exercised");
	TEST_ASSERT(rte_mbuf_extension_find(x, id_a) == NULL, "x sees B");
	c = rte_pktmbuf_clone(x, mp);
	TEST_ASSERT(c != NULL, "clone");
	TEST_ASSERT(rte_mbuf_extension_find(c, id_a) == NULL, "c sees B");

	switch (prm->how) {
	case 0:
		TEST_ASSERT(rte_mbuf_extension_add(x, id_b) != NULL, "add");
		break;
	case 1:
		a = rte_mbuf_extension_add(x, id_a);
		TEST_ASSERT(a != NULL && a->key == 0, "add");
		a->key = 0x1f1f;
		a->val = 0x2f2f;
		break;
	default:
		/*
		 * h takes B (slot 0), h2 slot 1, h goes; x takes a slot
		 * of B in this new lifetime (slots are taken once per
		 * lifetime: slot 2; were they reused, slot 0, the one c's
		 * stale word names, which the lifetime check covers).
		 */
		h = pkt_alloc();
		h2 = pkt_alloc();
		TEST_ASSERT(h != NULL && h2 != NULL, "mbufs");
		TEST_ASSERT(rte_mbuf_extension_add(h, id_b) != NULL, "add");
		TEST_ASSERT_EQ(rte_mbuf_extension_share(h2, h), 0, "share");
		rte_mbuf_extension_pktmbuf_free(h);
		TEST_ASSERT_EQ(rte_mbuf_extension_share(x, h2), 0, "share");
		break;
	}
	/* Slot 0 after an add; after the share, a free slot. */
	TEST_ASSERT(rte_mbuf_extension_info_get(x, &v) == 0 &&
		v.block == blk && v.owned && (prm->how == 2 || v.slot == 0),
		"x does not own a slot of B: case not exercised");
	TEST_ASSERT_EQ(v.refcnt, prm->how == 2 ? 2 : 1, "B's refcnt");

	TEST_ASSERT(rte_mbuf_extension_find(c, id_a) == NULL,
		"c sees B (header or x's data)");
	TEST_ASSERT(rte_mbuf_extension_find(c, id_b) == NULL, "c sees b");
	TEST_ASSERT(!rte_mbuf_extension_exists(c, id_a), "exists");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(c), 0, "c's mask");
	/* c's add: a block of its own, zeroed data, never a header. */
	ca = rte_mbuf_extension_add(c, id_a);
	TEST_ASSERT(ca != NULL && ca->key == 0 && ca->val == 0, "c's add");
	TEST_ASSERT(mbext_test_block_of(c) != blk, "c's add in B");
	TEST_ASSERT(after_header(c, ca), "c's add returned a header");
	fresh = fresh_block_with_a(c);
	ca->key = 0xc1c1;
	TEST_ASSERT(rte_mbuf_extension_info_get(x, &v) == 0 &&
		v.block == blk, "x's view changed");
	TEST_ASSERT_EQ(v.refcnt, prm->how == 2 ? 2 : 1, "B's refcnt changed");
	if (prm->how == 1) {
		TEST_ASSERT_EQ(key_a(x), 0x1f1f, "x's a");
		a = rte_mbuf_extension_find(x, id_a);
		TEST_ASSERT_EQ(a->val, 0x2f2f, "x's a");
	}
	TEST_ASSERT_EQ(key_a(c), 0xc1c1, "c's a");
	rte_mbuf_extension_pktmbuf_free(c);
	rte_mbuf_extension_pktmbuf_free(x);
	rte_mbuf_extension_pktmbuf_free(y);
	rte_mbuf_extension_pktmbuf_free(h2);
	TEST_ASSERT(fresh, "c's new block keeps the layout of its last life");
	return 0;
}

static const struct f1_params f1_add_other_type = { .how = 0 };
static const struct f1_params f1_add_same_type = { .how = 1 };
static const struct f1_params f1_share = { .how = 2 };

/*
 * Issue 8, F2, pool not opted in:
 *   x = alloc(D); add(x, A); y = rte_pktmbuf_copy(x); rte_pktmbuf_free(x)
 *   z = rte_pktmbuf_copy(y, D) or rte_pktmbuf_clone(y, D)
 * The add is refused (ENOTSUP): nothing to leak or revive.
 */
static int
test_issue8_f2_refused_pool(void)
{
	struct rte_mbuf_extension_stats s0;
	struct rte_mbuf *x, *y, *z;
	void *xaddr;
	int how;

	for (how = 0; how < 2; how++) {
		x = pkt_alloc_from(plain);
		TEST_ASSERT(x != NULL, "mbuf");
		s0 = stats();
		rte_errno = 0;
		TEST_ASSERT(rte_mbuf_extension_add(x, id_a) == NULL, "add");
		TEST_ASSERT_EQ(rte_errno, ENOTSUP, "rte_errno");
		TEST_ASSERT_EQ(stats().refused - s0.refused, 1, "refused");
		TEST_ASSERT_EQ(test_clean_blocks(), 0, "a block was taken");
		y = rte_pktmbuf_copy(x, mp, 0, UINT32_MAX);
		TEST_ASSERT(y != NULL, "copy");
		xaddr = x;
		rte_pktmbuf_free(x); /* it holds nothing */
		z = how ? rte_pktmbuf_clone(y, plain) :
			rte_pktmbuf_copy(y, plain, 0, UINT32_MAX);
		TEST_ASSERT(z != NULL, "clone or copy");
		TEST_ASSERT((void *)z == xaddr,
			"not x's mbuf back: case not exercised");
		TEST_ASSERT(rte_mbuf_extension_find(z, id_a) == NULL, "sees");
		TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(z), 0, "mask");
		TEST_ASSERT_EQ(rte_mbuf_extension_release(z), 0, "released");
		rte_mbuf_extension_pktmbuf_free(z);
		rte_mbuf_extension_pktmbuf_free(y);
		TEST_ASSERT(test_clean_check() == TEST_SUCCESS,
			"case %d not clean", how);
	}
	return 0;
}

/*
 * Issue 8, F2, opted-in pool freed with the library: the same sequence
 * (y a plain copy into either pool; z a plain copy or clone of y given
 * x's old mbuf): z sees nothing, releases nothing; no block left.
 */
static int
test_issue8_f2_opted_in_library_free(void)
{
	struct rte_mbuf *x, *y, *z;
	void *xaddr;
	int how;

	for (how = 0; how < 4; how++) {
		x = pkt_with_a(0xf2f2);
		TEST_ASSERT(x != NULL, "packet");
		y = rte_pktmbuf_copy(x, how & 2 ? plain : mp, 0, UINT32_MAX);
		TEST_ASSERT(y != NULL, "copy");
		TEST_ASSERT(rte_mbuf_extension_find(y, id_a) == NULL, "y sees");
		xaddr = x;
		rte_mbuf_extension_pktmbuf_free(x);
		TEST_ASSERT_EQ(test_clean_blocks(), 0, "x's block kept");
		z = how & 1 ? rte_pktmbuf_clone(y, mp) :
			rte_pktmbuf_copy(y, mp, 0, UINT32_MAX);
		TEST_ASSERT(z != NULL, "clone or copy");
		TEST_ASSERT((void *)z == xaddr,
			"not x's mbuf back: case not exercised");
		TEST_ASSERT(rte_mbuf_extension_find(z, id_a) == NULL,
			"case %d: x's extension revived", how);
		TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(z), 0, "mask");
		TEST_ASSERT_EQ(rte_mbuf_extension_release(z), 0, "released");
		TEST_ASSERT_EQ(test_clean_blocks(), 0, "blocks");
		/* z may take extensions of its own. */
		TEST_ASSERT(rte_mbuf_extension_add(z, id_b) != NULL, "add");
		TEST_ASSERT(rte_mbuf_extension_find(z, id_a) == NULL, "a");
		rte_mbuf_extension_pktmbuf_free(z);
		rte_mbuf_extension_pktmbuf_free(y);
		TEST_ASSERT(test_clean_check() == TEST_SUCCESS,
			"case %d not clean", how);
	}
	return 0;
}

/*
 * F3 targets, given x's old mbuf: 6 ways to get an mbuf from @p src (the
 * issue's 5, and the attach helper, which returns its status in @p err).
 */
enum f3_target {
	F3_HELPER_CLONE, F3_HELPER_COPY, F3_HELPER_ATTACH, F3_PLAIN_CLONE,
	F3_PLAIN_COPY, F3_ATTACH, F3_MAX
};

static struct rte_mbuf *
f3_target(int how, struct rte_mbuf *src, struct rte_mempool *pool,
		int *err)
{
	struct rte_mbuf *n;

	*err = 0;
	switch (how) {
	case F3_HELPER_CLONE:
		return rte_mbuf_extension_pktmbuf_clone(src, pool);
	case F3_HELPER_COPY:
		return rte_mbuf_extension_pktmbuf_copy(src, pool, 0,
			UINT32_MAX);
	case F3_PLAIN_CLONE:
		return rte_pktmbuf_clone(src, pool);
	case F3_PLAIN_COPY:
		return rte_pktmbuf_copy(src, pool, 0, UINT32_MAX);
	case F3_HELPER_ATTACH:
		n = rte_pktmbuf_alloc(pool);
		if (n != NULL)
			*err = rte_mbuf_extension_pktmbuf_attach(n, src);
		return n;
	default:
		n = rte_pktmbuf_alloc(pool);
		if (n != NULL)
			rte_pktmbuf_attach(n, src);
		return n;
	}
}

/*
 * Issue 8, F3, pool not opted in:
 *   x = alloc(D); add(x, A); rte_pktmbuf_free(x)
 *   n = <helper clone, helper copy, helper attach, plain clone, plain
 *       copy, attach> of src into D, given x's old mbuf
 * The add is refused; the helpers are refused too (src has extensions;
 * the attach helper leaves n attached, without extensions); the plain
 * ones take no reference. Nothing leaks.
 */
static int
test_issue8_f3_refused_pool(void)
{
	struct rte_mbuf_extension_stats s0;
	struct rte_mbuf *src, *x, *n;
	void *xaddr;
	int how, err;

	src = pkt_with_a(0xf3f3);
	TEST_ASSERT(src != NULL, "packet");
	for (how = 0; how < F3_MAX; how++) {
		x = pkt_alloc_from(plain);
		TEST_ASSERT(x != NULL, "mbuf");
		s0 = stats();
		rte_errno = 0;
		TEST_ASSERT(rte_mbuf_extension_add(x, id_a) == NULL, "add");
		TEST_ASSERT_EQ(rte_errno, ENOTSUP, "rte_errno");
		xaddr = x;
		rte_pktmbuf_free(x); /* it holds nothing */
		rte_errno = 0;
		n = f3_target(how, src, plain, &err);
		if (how == F3_HELPER_CLONE || how == F3_HELPER_COPY) {
			TEST_ASSERT(n == NULL, "case %d: not refused", how);
			TEST_ASSERT_EQ(rte_errno, ENOTSUP, "rte_errno");
			TEST_ASSERT_EQ(stats().refused - s0.refused, 2,
				"refused");
		} else if (how == F3_HELPER_ATTACH) {
			TEST_ASSERT(n != NULL && (void *)n == xaddr,
				"not x's mbuf back");
			TEST_ASSERT_EQ(err, -ENOTSUP, "attach not refused");
			TEST_ASSERT_EQ(rte_errno, ENOTSUP, "rte_errno");
			TEST_ASSERT_EQ(stats().refused - s0.refused, 2,
				"refused");
			TEST_ASSERT(RTE_MBUF_CLONED(n), "not attached");
			TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(n), 0,
				"attached with extensions");
			rte_mbuf_extension_pktmbuf_free(n);
		} else {
			TEST_ASSERT(n != NULL, "case %d", how);
			TEST_ASSERT((void *)n == xaddr,
				"case %d: not x's mbuf back", how);
			TEST_ASSERT_EQ(stats().refused - s0.refused, 1,
				"refused");
			if (how == F3_PLAIN_COPY) {
				TEST_ASSERT_EQ(key_a(n), 0, "plain copy sees");
			} else {
				TEST_ASSERT_EQ(key_a(n), 0xf3f3, "view");
				TEST_ASSERT_EQ(owned_of(n), 0, "owned");
			}
			rte_mbuf_extension_pktmbuf_free(n);
		}
		TEST_ASSERT_EQ(key_a(src), 0xf3f3, "source changed");
		TEST_ASSERT_EQ(refcnt_of(src), 1, "owners");
		TEST_ASSERT_EQ(test_clean_blocks(), 1, "blocks");
		TEST_ASSERT_EQ(test_clean_pool_in_use(plain), 0,
			"plain mbufs in use");
	}
	rte_mbuf_extension_pktmbuf_free(src);
	return 0;
}

/*
 * Issue 8, F3, opted-in pool freed with the library: x's block goes back
 * with x; each of the targets given x's old mbuf holds what it should and
 * no block is left when all is freed.
 */
static int
test_issue8_f3_opted_in_library_free(void)
{
	struct rte_mbuf *src, *x, *n;
	void *xaddr;
	int how, err;

	src = pkt_with_a(0x3f3f);
	TEST_ASSERT(src != NULL, "packet");
	TEST_ASSERT(rte_mbuf_extension_add(src, id_b) != NULL, "add b");
	for (how = 0; how < F3_MAX; how++) {
		x = pkt_with_a(0xf3f3);
		TEST_ASSERT(x != NULL, "packet");
		TEST_ASSERT_EQ(test_clean_blocks(), 2, "blocks");
		xaddr = x;
		rte_mbuf_extension_pktmbuf_free(x);
		TEST_ASSERT_EQ(test_clean_blocks(), 1, "x's block kept");
		n = f3_target(how, src, mp, &err);
		TEST_ASSERT(n != NULL && err == 0, "case %d", how);
		TEST_ASSERT((void *)n == xaddr,
			"case %d: not x's mbuf back", how);
		if (how == F3_PLAIN_COPY) {
			TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(n), 0,
				"plain copy sees");
		} else {
			TEST_ASSERT_EQ(key_a(n), 0x3f3f, "source's a");
			TEST_ASSERT(rte_mbuf_extension_exists(n, id_b), "b");
			TEST_ASSERT_EQ(owned_of(n), how <= F3_HELPER_ATTACH,
				"owned");
		}
		TEST_ASSERT_EQ(refcnt_of(src), how <= F3_HELPER_ATTACH ? 2 : 1,
			"owners");
		TEST_ASSERT_EQ(test_clean_blocks(), 1, "blocks");
		rte_mbuf_extension_pktmbuf_free(n);
		TEST_ASSERT_EQ(test_clean_blocks(), 1, "blocks after free");
		TEST_ASSERT_EQ(refcnt_of(src), 1, "owners");
		TEST_ASSERT_EQ(test_clean_pool_in_use(mp), 1,
			"mbufs");
	}
	rte_mbuf_extension_pktmbuf_free(src);
	return 0;
}

/*
 * Issue 8, F4: p1 = [fresh, c1], p2 = c2, c1 and c2 plain clones of an
 * mbuf d that had an extension and was freed with the library. Freed one
 * by one or in bulk, in either order: what is left in use is the same,
 * and nothing.
 */
static int
f4_case(int bulk, int reverse, int fresh_ext, unsigned int *left)
{
	struct rte_mbuf *d, *c1, *c2, *fresh, *v[2];

	d = pkt_with_a(0xf4f4);
	TEST_ASSERT(d != NULL, "packet");
	c1 = rte_pktmbuf_clone(d, mp);
	c2 = rte_pktmbuf_clone(d, mp);
	fresh = fresh_ext ? pkt_with_a(0xf5f5) : pkt_alloc();
	TEST_ASSERT(c1 != NULL && c2 != NULL && fresh != NULL, "alloc");
	rte_mbuf_extension_pktmbuf_free(d);
	TEST_ASSERT_EQ(key_a(c1), 0xf4f4, "c1's view");
	TEST_ASSERT_EQ(key_a(c2), 0xf4f4, "c2's view");
	TEST_ASSERT_EQ(rte_pktmbuf_chain(fresh, c1), 0, "chain");
	TEST_ASSERT_EQ(test_clean_blocks(), fresh_ext ? 2 : 1, "blocks");
	v[reverse] = fresh;
	v[!reverse] = c2;
	if (bulk) {
		rte_mbuf_extension_pktmbuf_free_bulk(v, 2);
	} else {
		rte_mbuf_extension_pktmbuf_free(v[0]);
		rte_mbuf_extension_pktmbuf_free(v[1]);
	}
	*left = test_clean_blocks();
	return 0;
}

static int
test_issue8_f4_bulk_free_equals_single_free(void)
{
	unsigned int single, bulk;
	int reverse, ext;

	for (ext = 0; ext < 2; ext++) {
		for (reverse = 0; reverse < 2; reverse++) {
			TEST_ASSERT(f4_case(0, reverse, ext, &single) == 0,
				"single");
			TEST_ASSERT(f4_case(1, reverse, ext, &bulk) == 0,
				"bulk");
			TEST_ASSERT_EQ(bulk, single, "bulk != single");
			TEST_ASSERT_EQ(single, 0, "blocks left");
			TEST_ASSERT(test_clean_check() == TEST_SUCCESS,
				"ext %d reverse %d not clean", ext,
				reverse);
		}
	}
	return 0;
}

/*
 * Issue 8, offset 0: find() and add() never return the block header, for
 * an mbuf that owns a word with an active bit for a type its block has
 * no room for. y = rte_pktmbuf_copy(m1) keeps m1's word (B, slot 0, types
 * a and b); m1 is freed with the library; m2, given m1's old mbuf, takes
 * B again (slot 0, a new lifetime, type c only). y's word written into m2
 * makes m2 own (B, slot 0) with active bits a and b, for which B has no
 * room in this lifetime. rte_pktmbuf_attach(m2, y) writes it so (with y's
 * lifetime number), a misuse on an mbuf that holds a reference, which the
 * guide forbids; no correct sequence of calls reaches this state any more
 * (a word owned in a lifetime only carries bits of types placed in it).
 * The case writes the word alone, m2 keeping its own lifetime number, so
 * that it does not depend on whether owning reads the lifetime. With
 * @p cow, B is shared first (the add copies it, slow path).
 */
struct offset0_params {
	int cow; /* B is shared when m2's word is written */
};

static int
offset0_case(const void *data)
{
	const struct offset0_params *prm = data;
	struct rte_mbuf *m1, *m2, *y, *q = NULL;
	struct rte_mbuf_extension_info v;
	struct ext_a *a;
	uint64_t cow0;
	const void *blk;
	void *addr;

	m1 = pkt_with_a(0x0f0f);
	TEST_ASSERT(m1 != NULL, "packet");
	TEST_ASSERT(rte_mbuf_extension_add(m1, id_b) != NULL, "add b");
	blk = mbext_test_block_of(m1);
	y = rte_pktmbuf_copy(m1, mp, 0, UINT32_MAX);
	TEST_ASSERT(y != NULL, "copy");
	addr = m1;
	rte_mbuf_extension_pktmbuf_free(m1);
	m2 = pkt_alloc();
	TEST_ASSERT(m2 != NULL && (void *)m2 == addr,
		"not m1's mbuf back: case not exercised");
	TEST_ASSERT(rte_mbuf_extension_add(m2, id_c) != NULL, "add c");
	TEST_ASSERT(mbext_test_block_of(m2) == blk,
		"B not back: case not exercised");
	if (prm->cow) {
		q = pkt_alloc();
		TEST_ASSERT(q != NULL, "mbuf");
		TEST_ASSERT_EQ(rte_mbuf_extension_share(q, m2), 0, "share");
	}
	/*
	 * The one write into the library's reference field: y's word alone,
	 * m2 keeping its own lifetime number (see above). Copying y's whole
	 * dynfield (rte_mbuf_dynfield_lookup() and memcpy(), as DPDK's
	 * attach does) would copy y's lifetime number too.
	 */
	__rte_mbuf_extension_ref(m2)->word = __rte_mbuf_extension_ref(y)->word;
	TEST_ASSERT(rte_mbuf_extension_info_get(m2, &v) == 0 && v.owned &&
		v.block == blk && v.slot == 0 && (v.active & (1u << id_a)) &&
		(v.active & (1u << id_b)),
		"m2 does not own y's word: case not exercised");

	TEST_ASSERT(rte_mbuf_extension_find(m2, id_a) == NULL,
		"find returned %p, block %p",
		rte_mbuf_extension_find(m2, id_a), blk);
	TEST_ASSERT(rte_mbuf_extension_find(m2, id_b) == NULL,
		"find returned %p, block %p",
		rte_mbuf_extension_find(m2, id_b), blk);
	TEST_ASSERT(!rte_mbuf_extension_exists(m2, id_a), "exists a");
	TEST_ASSERT(!rte_mbuf_extension_exists(m2, id_b), "exists b");

	cow0 = stats().cow;
	a = rte_mbuf_extension_add(m2, id_a);
	TEST_ASSERT(a != NULL, "add");
	TEST_ASSERT(after_header(m2, a), "add returned a header (%p)",
		(void *)a);
	TEST_ASSERT(a->key == 0 && a->val == 0, "not zeroed");
	TEST_ASSERT_EQ(stats().cow - cow0, prm->cow ? 1 : 0, "copies");
	TEST_ASSERT(prm->cow ? mbext_test_block_of(m2) != blk :
		mbext_test_block_of(m2) == blk, "block");
	a->key = 0x0ff0;
	TEST_ASSERT_EQ(key_a(m2), 0x0ff0, "a");
	TEST_ASSERT(rte_mbuf_extension_find(m2, id_b) == NULL, "b");
	a = rte_mbuf_extension_add(m2, id_b);
	TEST_ASSERT(a != NULL && after_header(m2, a), "add b");
	TEST_ASSERT_EQ(key_a(m2), 0x0ff0, "add b overwrote a");
	if (prm->cow) {
		TEST_ASSERT(rte_mbuf_extension_exists(q, id_c), "q's c");
		TEST_ASSERT(!rte_mbuf_extension_exists(q, id_a), "q's a");
		TEST_ASSERT_EQ(refcnt_of(q), 1, "m2's old slot kept");
	}
	TEST_ASSERT_EQ(test_clean_blocks(), prm->cow ? 2 : 1, "blocks");
	rte_mbuf_extension_pktmbuf_free(m2);
	rte_mbuf_extension_pktmbuf_free(q);
	rte_mbuf_extension_pktmbuf_free(y);
	return 0;
}

static const struct offset0_params offset0_in_place = { .cow = 0 };
static const struct offset0_params offset0_cow = { .cow = 1 };

/*
 * Rule 7 and COW failures: all blocks but TINY_BLOCKS are taken by filler
 * packets, the case takes the rest. (No pool switch: the case does not
 * depend on rte_mbuf_extension_pool_free(), tested in test_registry.) The
 * fillers are the case's set-up and go in its tear-down, whatever
 * happens, not to fail the cases after.
 */
#define TINY_BLOCKS 4

static struct rte_mbuf *fillers[NB_BLOCKS];

static int
fill_block_pool(void)
{
	unsigned int i, n;

	n = NB_BLOCKS - TINY_BLOCKS - rte_mbuf_extension_pool_in_use();
	for (i = 0; i < n; i++) {
		fillers[i] = pkt_alloc();
		TEST_ASSERT(fillers[i] != NULL, "filler mbuf %u", i);
		TEST_ASSERT(rte_mbuf_extension_add(fillers[i], id_b) != NULL,
			"filler %u", i);
	}
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_in_use(),
		NB_BLOCKS - TINY_BLOCKS, "fillers");
	return 0;
}

static void
drain_block_pool(void)
{
	rte_mbuf_extension_pktmbuf_free_bulk(fillers, NB_BLOCKS);
	memset(fillers, 0, sizeof(fillers));
}

/* A failed set-up is undone by the tear-down, drain_block_pool(). */
static int
rule7_setup(void)
{
	return fill_block_pool() == 0 ? TEST_SUCCESS : TEST_FAILED;
}

/*
 * Rule 7: with the block pool empty, add fails with ENOMEM and the packet
 * and its extensions are unchanged; so does a copy on write, and a fifth
 * owner that needs a copy; delete still works. Each of the 7 refused
 * operations (add x, add c and a on hc, add c on m[0], add b on pc, a
 * fifth owner by clone and by share) failed one allocation.
 */
static int
test_rule7_exhaustion(void)
{
	struct rte_mbuf_extension_stats s0;
	struct rte_mbuf *m[TINY_BLOCKS], *x, *hc, *pc, *h[3], *s;
	unsigned int mbufs;
	uint64_t alloc_fail;
	uint8_t mask, cmask;
	uint64_t *b;
	int i;

	for (i = 0; i < TINY_BLOCKS; i++) {
		m[i] = pkt_with_a(0x7000 + i);
		TEST_ASSERT(m[i] != NULL, "packet %d", i);
	}
	b = rte_mbuf_extension_add(m[0], id_b);
	TEST_ASSERT(b != NULL, "add b in place needs no block");
	*b = 0x7b7b;
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_in_use(), NB_BLOCKS,
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
	TEST_ASSERT_EQ(refcnt_of(m[0]), 2, "owners");
	/* The block is shared with the clone: the original's add copies. */
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
	TEST_ASSERT_EQ(owned_of(pc), 0, "plain clone's view");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(pc),
		rte_mbuf_extension_active_mask(m[1]), "plain clone's mask");

	/* A fifth owner needs a copy: helper clone and share fail. */
	for (i = 0; i < 3; i++) {
		h[i] = rte_mbuf_extension_pktmbuf_clone(m[2], mp);
		TEST_ASSERT(h[i] != NULL, "owner %d", i);
	}
	TEST_ASSERT_EQ(refcnt_of(m[2]), RTE_MBUF_EXTENSION_MAX_OWNERS,
		"owners");
	mbufs = rte_mempool_in_use_count(mp);
	rte_errno = 0;
	TEST_ASSERT(rte_mbuf_extension_pktmbuf_clone(m[2], mp) == NULL,
		"fifth owner");
	TEST_ASSERT_EQ(rte_errno, ENOMEM, "rte_errno");
	TEST_ASSERT_EQ(rte_mempool_in_use_count(mp), mbufs, "clone kept");
	TEST_ASSERT_EQ(rte_mbuf_refcnt_read(m[2]), 4, "m[2] still pinned");
	s = pkt_alloc();
	TEST_ASSERT(s != NULL, "mbuf");
	rte_errno = 0;
	TEST_ASSERT_EQ(rte_mbuf_extension_share(s, m[2]), -ENOMEM, "share");
	TEST_ASSERT_EQ(rte_errno, ENOMEM, "rte_errno");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(s), 0, "share's mask");
	TEST_ASSERT_EQ(refcnt_of(m[2]), RTE_MBUF_EXTENSION_MAX_OWNERS,
		"owners");
	TEST_ASSERT_EQ(key_a(m[2]), 0x7002, "owner's a");

	/* Delete never allocates: it works on a full pool. */
	cmask = rte_mbuf_extension_active_mask(hc);
	rte_mbuf_extension_del(hc, id_a);
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(hc),
		cmask & ~(1u << id_a), "delete on a full pool");
	TEST_ASSERT_EQ(key_a(m[0]), 0x7000, "other owner lost a");
	TEST_ASSERT(stats().cow == s0.cow, "a copy was made");

	/* A block back in the pool makes add work again. */
	rte_mbuf_extension_pktmbuf_free(m[3]);
	TEST_ASSERT(rte_mbuf_extension_add(x, id_a) != NULL, "add after free");
	alloc_fail = stats().alloc_fail - s0.alloc_fail;

	for (i = 0; i < 3; i++)
		rte_mbuf_extension_pktmbuf_free(h[i]);
	rte_mbuf_extension_pktmbuf_free(s);
	rte_mbuf_extension_pktmbuf_free(pc);
	rte_mbuf_extension_pktmbuf_free(hc);
	for (i = 0; i < 3; i++)
		rte_mbuf_extension_pktmbuf_free(m[i]);
	rte_mbuf_extension_pktmbuf_free(x);
	TEST_ASSERT_EQ(alloc_fail, 7, "alloc_fail");
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
	rte_errno = 0;
	TEST_ASSERT(rte_mbuf_extension_pktmbuf_clone(NULL, mp) == NULL,
		"clone NULL");
	TEST_ASSERT_EQ(rte_errno, EINVAL, "clone NULL");
	rte_errno = 0;
	TEST_ASSERT(rte_mbuf_extension_pktmbuf_copy(m, NULL, 0, 1) == NULL,
		"copy to NULL pool");
	TEST_ASSERT_EQ(rte_errno, EINVAL, "copy to NULL pool");
	rte_errno = 0;
	TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_pool_opt_in(NULL), -EINVAL,
		"opt in NULL");
	TEST_ASSERT_EQ(rte_errno, EINVAL, "opt in NULL");
	TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_pool_opt_in(mp), 0,
		"opt in again");
	TEST_ASSERT_EQ(rte_mbuf_extension_stats_get(NULL), -EINVAL, "stats");

	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m), mask, "changed");
	TEST_ASSERT_EQ(key_a(m), 0x8008, "changed");
	rte_mbuf_extension_pktmbuf_free(m);
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
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "delete allocated");
	TEST_ASSERT_EQ(s1.cow, s0.cow, "delete copied");
	TEST_ASSERT(!rte_mbuf_extension_exists(hc, id_a), "hc has a");
	TEST_ASSERT(rte_mbuf_extension_exists(hc, id_b), "hc lost b");
	TEST_ASSERT(rte_mbuf_extension_exists(pc, id_a), "pc lost a");
	TEST_ASSERT(!rte_mbuf_extension_exists(pc, id_b), "pc has b");
	TEST_ASSERT(rte_mbuf_extension_exists(m, id_a), "m lost a");
	TEST_ASSERT(rte_mbuf_extension_exists(m, id_b), "m lost b");
	TEST_ASSERT_EQ(key_a(m), 0x9009, "m's a");
	/* Last extension of the helper clone: its slot is dropped. */
	TEST_ASSERT_EQ(refcnt_of(m), 2, "owners");
	rte_mbuf_extension_del(hc, id_b);
	TEST_ASSERT_EQ(refcnt_of(m), 1, "reference kept");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(hc), 0, "hc's mask");
	TEST_ASSERT(rte_mbuf_extension_exists(m, id_b), "m lost b");
	/* Last extension of the original while a plain clone reads it. */
	rte_mbuf_extension_del(m, id_a);
	rte_mbuf_extension_del(m, id_b);
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m), 0, "m's mask");
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "pinned block released");
	POISON_RECENT();
	TEST_ASSERT_EQ(key_a(pc), 0x9009, "plain clone lost its view");
	rte_mbuf_extension_pktmbuf_free(m);
	rte_mbuf_extension_pktmbuf_free(hc);
	POISON_RECENT();
	TEST_ASSERT_EQ(key_a(pc), 0x9009, "plain clone lost its view");
	rte_mbuf_extension_pktmbuf_free(pc);
	return 0;
}

/* Delete of the last extension drops the reference; re-add is zeroed. */
static int
test_del_last_and_readd(void)
{
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
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "block dropped");
	b = rte_mbuf_extension_add(m, id_b);
	TEST_ASSERT(b != NULL && *b == 0, "re-added b not zeroed");
	TEST_ASSERT_EQ(key_a(m), 0xa00a, "a changed");
	/* Add of a present type returns it unchanged. */
	*b = 0xbcbc;
	TEST_ASSERT(rte_mbuf_extension_add(m, id_b) == b, "other data");
	TEST_ASSERT_EQ(*b, 0xbcbc, "present data zeroed");

	rte_mbuf_extension_del(m, id_a);
	rte_mbuf_extension_del(m, id_a); /* absent: nothing */
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "released early");
	rte_mbuf_extension_del(m, id_b);
	TEST_ASSERT_EQ(test_clean_blocks(), 0, "block kept");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m), 0, "mask");
	TEST_ASSERT_EQ(rte_mbuf_extension_release(m), 0, "released twice");
	POISON_RECENT();
	a = rte_mbuf_extension_add(m, id_a);
	TEST_ASSERT(a != NULL && a->key == 0 && a->val == 0, "not zeroed");
	rte_mbuf_extension_pktmbuf_free(m);
	return 0;
}

/*
 * Reset drops the mbuf's reference; on an mbuf a plain clone pins it only
 * hides it (the clone keeps its view). An add on the pinned mbuf does not
 * write into that block: it takes a new one, and the clone's view ends.
 */
static int
test_reset(void)
{
	struct rte_mbuf *m, *pc;
	struct ext_a *a, *pa;

	m = pkt_with_a(0xb00b);
	TEST_ASSERT(m != NULL, "packet");
	TEST_ASSERT(rte_mbuf_extension_add(m, id_b) != NULL, "add b");
	rte_mbuf_extension_reset(m);
	TEST_ASSERT_EQ(test_clean_blocks(), 0, "not released");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m), 0, "mask");
	rte_mbuf_extension_reset(m);
	TEST_ASSERT_EQ(rte_mbuf_extension_release(m), 0, "released twice");

	a = rte_mbuf_extension_add(m, id_a);
	TEST_ASSERT(a != NULL && a->key == 0, "add after reset");
	a->key = 0xb11b;
	pc = rte_pktmbuf_clone(m, mp);
	TEST_ASSERT(pc != NULL, "clone");
	pa = rte_mbuf_extension_find(pc, id_a);
	TEST_ASSERT(pa == a, "clone's view");
	rte_mbuf_extension_reset(m);
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m), 0, "hidden");
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "pinned block released");
	POISON_RECENT();
	TEST_ASSERT_EQ(key_a(pc), 0xb11b, "clone's view");
	a = rte_mbuf_extension_add(m, id_a);
	TEST_ASSERT(a != NULL && a != pa, "hidden block written under a clone");
	TEST_ASSERT(a->key == 0 && a->val == 0, "add after hidden reset");
	TEST_ASSERT_EQ(pa->key, 0xb11b, "clone's block changed");
	a->key = 0xb22b;
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(pc), 0,
		"clone reads a block its direct left");
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "hidden block kept");
	rte_mbuf_extension_pktmbuf_free(m);
	POISON_RECENT();
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(pc), 0, "clone's view");
	rte_mbuf_extension_pktmbuf_free(pc);
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
	TEST_ASSERT_EQ(test_clean_blocks(), 2, "blocks");

	/* dst's own block is dropped, it sees src's. */
	s0 = stats();
	TEST_ASSERT_EQ(rte_mbuf_extension_share(dst, src), 0, "share");
	s1 = stats();
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "dst's block kept");
	TEST_ASSERT_EQ(s1.share - s0.share, 1, "shares");
	TEST_ASSERT_EQ(refcnt_of(src), 2, "owners");
	TEST_ASSERT_EQ(key_a(dst), 0xc00c, "dst's a");
	TEST_ASSERT(!rte_mbuf_extension_exists(dst, id_b), "dst's b");
	TEST_ASSERT(rte_mbuf_extension_find(dst, id_a) ==
		rte_mbuf_extension_find(src, id_a), "not shared");
	/* Sharing again, and with oneself, changes nothing. */
	TEST_ASSERT_EQ(rte_mbuf_extension_share(dst, src), 0, "share again");
	TEST_ASSERT_EQ(rte_mbuf_extension_share(src, src), 0, "self");
	TEST_ASSERT_EQ(stats().share, s1.share, "shares");
	TEST_ASSERT_EQ(refcnt_of(src), 2, "owners");
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "blocks");
	TEST_ASSERT_EQ(key_a(src), 0xc00c, "self share");
	/* From an mbuf without extensions: dst's are dropped. */
	TEST_ASSERT_EQ(rte_mbuf_extension_share(dst, none), 0, "share none");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(dst), 0, "dst's mask");
	TEST_ASSERT_EQ(refcnt_of(src), 1, "dst's slot kept");
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "blocks");
	/* From a plain clone's borrowed view: a copy. */
	pc = rte_pktmbuf_clone(src, mp);
	TEST_ASSERT(pc != NULL, "clone");
	s0 = stats();
	TEST_ASSERT_EQ(rte_mbuf_extension_share(none, pc), 0, "share");
	TEST_ASSERT_EQ(key_a(none), 0xc00c, "shared from a clone");
	TEST_ASSERT_EQ(owned_of(none), 1, "not owned");
	TEST_ASSERT(mbext_test_block_of(none) != mbext_test_block_of(src),
		"slot from a borrower");
	TEST_ASSERT_EQ(stats().cow - s0.cow, 1, "copies");
	TEST_ASSERT_EQ(refcnt_of(src), 1, "owners");
	TEST_ASSERT_EQ(test_clean_blocks(), 2, "blocks");
	/* To a pinned mbuf that owns a block: refused, nothing changes. */
	s0 = stats();
	TEST_ASSERT(rte_mbuf_extension_add(dst, id_b) != NULL, "add b");
	rte_errno = 0;
	TEST_ASSERT_EQ(rte_mbuf_extension_share(src, dst), -EBUSY, "busy");
	TEST_ASSERT_EQ(rte_errno, EBUSY, "rte_errno");
	TEST_ASSERT_EQ(key_a(src), 0xc00c, "busy dst changed");
	TEST_ASSERT(!rte_mbuf_extension_exists(src, id_b), "busy dst got b");
	TEST_ASSERT_EQ(stats().share, s0.share, "busy share counted");
	TEST_ASSERT_EQ(test_clean_blocks(), 3, "blocks");

	rte_mbuf_extension_pktmbuf_free(src);
	rte_mbuf_extension_pktmbuf_free(pc);
	POISON_RECENT();
	TEST_ASSERT_EQ(key_a(none), 0xc00c, "sharer's view");
	rte_mbuf_extension_pktmbuf_free(none);
	rte_mbuf_extension_pktmbuf_free(dst);
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
	/* A plain clone owns nothing; its bit copy is cleared. */
	TEST_ASSERT_EQ(rte_mbuf_extension_release(pc), 0, "clone released");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(pc), 0, "clone's mask");
	TEST_ASSERT_EQ(key_a(m), 0xd00d, "original lost a");
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "blocks");
	rte_mbuf_extension_pktmbuf_free(pc);
	/* Hidden by an ol_flags assignment: still released. */
	m->ol_flags = 0;
	TEST_ASSERT_EQ(rte_mbuf_extension_release(m), 1, "not released");
	TEST_ASSERT_EQ(test_clean_blocks(), 0, "block kept");
	TEST_ASSERT_EQ(rte_mbuf_extension_release(m), 0, "released twice");
	TEST_ASSERT(rte_mbuf_extension_add(m, id_a) != NULL, "add");
	TEST_ASSERT_EQ(rte_mbuf_extension_release(m), 1, "not released");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m), 0, "mask");
	rte_mbuf_extension_pktmbuf_free(m);
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

/*
 * mbufs with an external buffer: a plain clone attaches to the external
 * buffer, not to the mbuf (no RTE_MBUF_F_INDIRECT): it pins nothing and
 * sees nothing. Helper clones own a slot.
 */
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
		TEST_ASSERT(!RTE_MBUF_CLONED(pc), "test assumption");
		TEST_ASSERT_EQ(key_a(hc), 0xe00e, "helper clone's a");
		TEST_ASSERT_EQ(refcnt_of(m), 2, "owners");
		TEST_ASSERT_EQ(key_a(pc), 0, "extbuf clone sees");
		TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(pc), 0, "mask");
		hc2 = rte_mbuf_extension_pktmbuf_clone(pc, mp);
		TEST_ASSERT(hc2 != NULL, "clone of clone");
		TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(hc2), 0,
			"clone of clone");
		TEST_ASSERT_EQ(refcnt_of(m), 2, "owners");
		if (i == 0) {
			rte_mbuf_extension_pktmbuf_free(m);
			rte_mbuf_extension_pktmbuf_free(hc);
			POISON_RECENT();
			TEST_ASSERT(key_a(pc) == 0, "dangling view");
			TEST_ASSERT_EQ(test_clean_blocks(), 0, "block leaked");
			rte_mbuf_extension_pktmbuf_free(pc);
			rte_mbuf_extension_pktmbuf_free(hc2);
		} else {
			rte_mbuf_extension_pktmbuf_free(pc);
			rte_mbuf_extension_pktmbuf_free(hc2);
			TEST_ASSERT_EQ(refcnt_of(m), 2, "owners");
			rte_mbuf_extension_pktmbuf_free(m);
			POISON_RECENT();
			TEST_ASSERT_EQ(key_a(hc), 0xe00e, "helper clone's a");
			rte_mbuf_extension_pktmbuf_free(hc);
		}
		TEST_ASSERT_EQ(extbuf_freed, i + 1, "external buffer frees");
		TEST_ASSERT(test_clean_check() == TEST_SUCCESS,
			"round %d not clean", i);
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
	TEST_ASSERT_EQ(owned_of(p2), 0, "plain of plain: owned");
	/* From a borrowed view: a copy. */
	hp = rte_mbuf_extension_pktmbuf_clone(p1, mp);
	TEST_ASSERT(hp != NULL, "helper clone of a plain clone");
	TEST_ASSERT_EQ(key_a(hp), 0xf00f, "helper of plain");
	TEST_ASSERT_EQ(owned_of(hp), 1, "helper of plain: borrowed");
	TEST_ASSERT(mbext_test_block_of(hp) != mbext_test_block_of(m),
		"slot from a borrower");
	h1 = rte_mbuf_extension_pktmbuf_clone(m, mp);
	TEST_ASSERT(h1 != NULL, "helper clone");
	h2 = rte_mbuf_extension_pktmbuf_clone(h1, mp);
	TEST_ASSERT(h2 != NULL, "helper clone of a helper clone");
	TEST_ASSERT_EQ(key_a(h2), 0xf00f, "helper of helper");
	TEST_ASSERT_EQ(refcnt_of(m), 3, "owners: m, h1, h2");
	/*
	 * h1 copies (the block is shared). A plain clone of h1 pins m, not
	 * h1, and m does not own h1's block: it sees nothing.
	 */
	a = rte_mbuf_extension_add(h1, id_a);
	TEST_ASSERT(a != NULL, "cow");
	a->key = 0xf11f;
	TEST_ASSERT_EQ(refcnt_of(m), 2, "h1's old slot kept");
	ph = rte_pktmbuf_clone(h1, mp);
	TEST_ASSERT(ph != NULL, "plain clone of a helper clone");
	TEST_ASSERT_EQ(key_a(ph), 0, "plain of helper sees h1's block");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(ph), 0, "mask");

	rte_mbuf_extension_pktmbuf_free(m);
	rte_mbuf_extension_pktmbuf_free(h1);
	POISON_RECENT();
	TEST_ASSERT_EQ(key_a(ph), 0, "dangling view");
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
	return 0;
}

/*
 * Many owners of one packet's extensions (helper clones, helper copies,
 * shares, clones of those; a copy once the 4 slots are taken), freed in
 * a mixed order; a write by one owner is seen by no other.
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
		TEST_ASSERT_EQ(owned_of(h[i]), 1, "holder owns");
		TEST_ASSERT(refcnt_of(h[i]) <= RTE_MBUF_EXTENSION_MAX_OWNERS,
			"holder %d: refcnt %u", i, refcnt_of(h[i]));
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
	return 0;
}

/* Bulk free of a mix: direct, clones, refcnt > 1, extbuf, NULL. */
#define BULK_EXTRA 70

static int
test_free_bulk(void)
{
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
	TEST_ASSERT_EQ(test_clean_blocks(), 4 + BULK_EXTRA, "blocks");
	rte_mbuf_extension_pktmbuf_free_bulk(v, n);
	TEST_ASSERT_EQ(test_clean_blocks(), 0, "blocks left");
	TEST_ASSERT_EQ(extbuf_freed, 1, "external buffer frees");
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
	return 0;
}

/*
 * Regressions of library findings (notes/core_findings_A.md), fixed in
 * 1b00a0a.
 */

/*
 * "A clone of an mbuf that had no visible extension sees nothing, even
 * after the direct later adds": here the direct m is a plain copy given a
 * freed owner's mbuf; its stale word names a slot of a block that still
 * lives (h owns another slot). A plain clone c of m carries that word.
 * share(m, h) gives m that same free slot in the same lifetime: c must
 * still see nothing (here, not even type b, which h deleted and m does
 * not have).
 */
static int
test_plain_clone_of_stale_direct_after_share(void)
{
	struct rte_mbuf *x, *h, *y, *m, *c;
	int seen_a, seen_b;
	void *xaddr;

	x = pkt_with_a(0x1111);
	TEST_ASSERT(x != NULL, "packet");
	TEST_ASSERT(rte_mbuf_extension_add(x, id_b) != NULL, "add b");
	h = rte_mbuf_extension_pktmbuf_copy(x, mp, 0, UINT32_MAX);
	y = rte_pktmbuf_copy(x, mp, 0, UINT32_MAX);
	TEST_ASSERT(h != NULL && y != NULL, "copies");
	rte_mbuf_extension_del(h, id_b);
	xaddr = x;
	rte_mbuf_extension_pktmbuf_free(x);
	m = rte_pktmbuf_copy(y, mp, 0, UINT32_MAX);
	TEST_ASSERT(m != NULL && (void *)m == xaddr,
		"not x's mbuf back: case not exercised");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m), 0, "m sees");
	c = rte_pktmbuf_clone(m, mp);
	TEST_ASSERT(c != NULL, "clone");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(c), 0, "c sees");
	TEST_ASSERT_EQ(rte_mbuf_extension_share(m, h), 0, "share");
	TEST_ASSERT_EQ(rte_mbuf_extension_active_mask(m), 1u << id_a,
		"m's mask");
	seen_a = rte_mbuf_extension_exists(c, id_a);
	seen_b = rte_mbuf_extension_exists(c, id_b);
	rte_mbuf_extension_pktmbuf_free(c);
	rte_mbuf_extension_pktmbuf_free(m);
	rte_mbuf_extension_pktmbuf_free(h);
	rte_mbuf_extension_pktmbuf_free(y);
	TEST_ASSERT(!seen_a, "clone made before the share sees a");
	TEST_ASSERT(!seen_b, "clone sees b, which no owner has");
	return 0;
}

/*
 * rte_mbuf_extension_pktmbuf_attach(), the attach for an mbuf that may
 * hold extensions (plain rte_pktmbuf_attach() onto an owner overwrites its
 * reference: the block leaks, and a plain copy made earlier could show it
 * again at that address; the guide forbids it). x owns B, a plain copy y
 * carries x's word; x is attached to o, which has extensions: B is
 * released first, x then owns a reference to o's. Once all is freed with
 * the library nothing is in use, and a plain copy of y given x's old mbuf
 * sees nothing and releases nothing.
 */
static int
test_helper_attach(void)
{
	struct rte_mbuf *x, *y, *o, *c, *n;
	void *xaddr;

	x = pkt_with_a(0x2222);
	o = pkt_with_a(0x2323);
	TEST_ASSERT(x != NULL && o != NULL, "alloc");
	TEST_ASSERT(rte_mbuf_extension_add(o, id_b) != NULL, "add b");
	y = rte_pktmbuf_copy(x, mp, 0, UINT32_MAX);
	c = rte_pktmbuf_clone(o, mp);
	TEST_ASSERT(y != NULL && c != NULL, "copy, clone");
	TEST_ASSERT_EQ(test_clean_blocks(), 2, "blocks");
	/* Bad input: nothing changes. */
	rte_errno = 0;
	TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_attach(NULL, o), -EINVAL,
		"NULL mi");
	TEST_ASSERT_EQ(rte_errno, EINVAL, "rte_errno");
	TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_attach(x, NULL), -EINVAL,
		"NULL m");
	TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_attach(x, x), -EINVAL,
		"itself");
	TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_attach(c, o), -EINVAL,
		"indirect mi");
	rte_mbuf_refcnt_update(x, 1);
	TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_attach(x, o), -EINVAL,
		"shared mi");
	rte_mbuf_refcnt_update(x, -1);
	TEST_ASSERT_EQ(key_a(x), 0x2222, "x changed");
	TEST_ASSERT(RTE_MBUF_DIRECT(x), "x attached");
	TEST_ASSERT_EQ(test_clean_blocks(), 2, "blocks");

	TEST_ASSERT_EQ(rte_mbuf_extension_pktmbuf_attach(x, o), 0, "attach");
	TEST_ASSERT(RTE_MBUF_CLONED(x), "not attached");
	TEST_ASSERT_EQ(test_clean_blocks(), 1, "x's block not released");
	TEST_ASSERT_EQ(key_a(x), 0x2323, "o's a");
	TEST_ASSERT(rte_mbuf_extension_exists(x, id_b), "o's b");
	TEST_ASSERT_EQ(owned_of(x), 1, "x owns no reference");
	TEST_ASSERT(mbext_test_block_of(x) == mbext_test_block_of(o),
		"not a slot of o's block");
	TEST_ASSERT_EQ(refcnt_of(o), 2, "owners");
	rte_mbuf_extension_pktmbuf_free(c);
	rte_mbuf_extension_pktmbuf_free(o);
	POISON_RECENT();
	TEST_ASSERT_EQ(key_a(x), 0x2323, "x's view after o's free");
	xaddr = x;
	rte_mbuf_extension_pktmbuf_free(x);
	TEST_ASSERT_EQ(test_clean_blocks(), 0, "block left in use");
	n = rte_pktmbuf_copy(y, mp, 0, UINT32_MAX);
	TEST_ASSERT(n != NULL && (void *)n == xaddr,
		"not x's mbuf back: case not exercised");
	TEST_ASSERT(rte_mbuf_extension_find(n, id_a) == NULL,
		"plain copy sees x's old extensions");
	TEST_ASSERT_EQ(rte_mbuf_extension_release(n), 0,
		"plain copy released a reference");
	rte_mbuf_extension_pktmbuf_free(n);
	rte_mbuf_extension_pktmbuf_free(y);
	return 0;
}

/*
 * Issue 8, offset 0, on the common path: add on a plain copy (a word it
 * does not own) takes a block from the pool in the slow path. Each type
 * must land after the header and inside the block, where it would in a
 * new block, whatever the block's earlier lifetime left in its header (a
 * block never used before: the header itself). Run last: a header handed
 * out, or data past the block's end, corrupts blocks for good.
 */
#define NB_COPIES 24

static int
test_issue8_offset0_add_on_plain_copy(void)
{
	struct rte_mbuf *x, *y[NB_COPIES];
	const int sizes[] = { sizeof(struct ext_a), 24, 40 };
	int ids[3], i, t, bad = 0, fresh = 1;
	const void *blk;
	void *p;

	ids[0] = id_a;
	ids[1] = id_c;
	ids[2] = id_d;
	x = pkt_with_a(0x0ee0);
	TEST_ASSERT(x != NULL, "packet");
	for (i = 0; i < NB_COPIES; i++) {
		y[i] = rte_pktmbuf_copy(x, mp, 0, UINT32_MAX);
		TEST_ASSERT(y[i] != NULL, "copy");
	}
	for (i = 0; i < NB_COPIES * 3; i++) {
		t = i % 3;
		p = rte_mbuf_extension_add(y[i / 3], ids[t]);
		blk = mbext_test_block_of(y[i / 3]);
		if (p == NULL || !mbext_test_in_block(y[i / 3], p, sizes[t],
				block_size)) {
			if (!bad)
				printf("  copy %d type %d: data %p, block %p"
					" of %u bytes\n", i / 3, ids[t], p,
					blk, block_size);
			bad = 1;
		}
		if (t == 0 && !fresh_block_with_a(y[i / 3]))
			fresh = 0;
	}
	for (i = 0; i < NB_COPIES; i++)
		rte_mbuf_extension_pktmbuf_free(y[i]);
	rte_mbuf_extension_pktmbuf_free(x);
	TEST_ASSERT(!bad, "add returned a header or data past the block");
	TEST_ASSERT(fresh, "new block keeps the layout of its last lifetime");
	return 0;
}

/*
 * 1 if rte_mbuf_extension_dump() of @p m says what
 * rte_mbuf_extension_info_get() does, line for line; 0 (printed) if not.
 */
static int
dump_matches_info(const struct rte_mbuf *m)
{
	struct rte_mbuf_extension_info v;
	char *buf = NULL, exp[512];
	size_t len = 0, n;
	unsigned int i;
	FILE *f;
	int ok;

	f = open_memstream(&buf, &len);
	if (f == NULL)
		return 0;
	rte_mbuf_extension_dump(f, m);
	fclose(f);
	if (rte_mbuf_extension_info_get(m, &v) != 0) {
		snprintf(exp, sizeof(exp), "mbuf %p: no extension\n",
			(const void *)m);
	} else {
		n = snprintf(exp, sizeof(exp), "mbuf %p: active 0x%02x block"
			" %p gen %" PRIu64 " slot %u refcnt %u %s chunks %u\n",
			(const void *)m, v.active, v.block, v.ref_gen, v.slot,
			v.refcnt, v.owned ? "owned" : "borrowed", v.chunks);
		for (i = 0; i < RTE_MBUF_EXTENSION_MAX; i++)
			if ((v.active & (1u << i)) && n < sizeof(exp))
				n += snprintf(exp + n, sizeof(exp) - n,
					"  type %u at chunk %u\n", i,
					v.offset[i] / RTE_MBUF_EXTENSION_CHUNK);
	}
	ok = buf != NULL && strcmp(buf, exp) == 0;
	if (!ok)
		printf("  dump:\n%s  info_get:\n%s", buf, exp);
	free(buf);
	return ok;
}

/*
 * rte_mbuf_extension_dump() (which the cases used to read the views by)
 * agrees with rte_mbuf_extension_info_get(): an owned view, a borrowed
 * one, none.
 */
static int
test_dump_matches_info(void)
{
	struct rte_mbuf *m, *pc, *n;

	m = pkt_with_a(0xd0d0);
	n = pkt_alloc();
	TEST_ASSERT(m != NULL && n != NULL, "alloc");
	TEST_ASSERT(rte_mbuf_extension_add(m, id_c) != NULL, "add c");
	pc = rte_pktmbuf_clone(m, mp);
	TEST_ASSERT(pc != NULL, "clone");
	TEST_ASSERT_EQ(owned_of(m), 1, "owned");
	TEST_ASSERT_EQ(owned_of(pc), 0, "borrowed");
	TEST_ASSERT(dump_matches_info(m), "owned view");
	TEST_ASSERT(dump_matches_info(pc), "borrowed view");
	TEST_ASSERT(dump_matches_info(n), "no view");
	rte_mbuf_extension_pktmbuf_free(pc);
	rte_mbuf_extension_pktmbuf_free(m);
	rte_mbuf_extension_pktmbuf_free(n);
	return 0;
}

/* Nothing at all in use, whatever the cases before did. */
static int
test_nothing_left(void)
{
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_in_use(), 0, "blocks in use");
	TEST_ASSERT_EQ(stats().in_use, 0, "stats in_use");
	TEST_ASSERT_EQ(rte_mempool_in_use_count(mp), 0, "mbufs in use");
	TEST_ASSERT_EQ(rte_mempool_in_use_count(plain), 0,
		"plain mbufs in use");
	return 0;
}

static int
lifetime_setup(void)
{
	id_b = mbext_test_register("lt_b", 8, 8);
	id_a = mbext_test_register("lt_a", sizeof(struct ext_a), 8);
	id_c = mbext_test_register("lt_c", 24, 16);
	id_d = mbext_test_register("lt_d", 40, 64);
	TEST_ASSERT(id_a >= 0 && id_b >= 0 && id_c >= 0 && id_d >= 0,
		"register: %s", rte_strerror(rte_errno));
	mp = rte_pktmbuf_pool_create("lt_mbufs", NB_MBUFS, MBUF_CACHE, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	plain = rte_pktmbuf_pool_create("lt_plain", NB_PLAIN, MBUF_CACHE, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	TEST_ASSERT(mp != NULL && plain != NULL, "mbuf pools: %s",
		rte_strerror(rte_errno));
	block_size = mbext_test_block_pool(NB_BLOCKS, BLOCK_CACHE, mp);
	TEST_ASSERT(block_size != 0, "block pool: %s",
		rte_strerror(rte_errno));
	TEST_ASSERT(test_clean_watch(mp) == 0 &&
		test_clean_watch(plain) == 0, "watch");
	return TEST_SUCCESS;
}

/*
 * ol_flags assigned by the application (as testpmd's mac engine does) hide
 * the extensions; rte_mbuf_extension_restore() shows them again when the
 * mbuf borrows its direct mbuf's reference, or owns its reference in a
 * handler pool. It never brings back what del or reset removed (shown or
 * hidden), nor a bit copy, nor an opted-in mbuf's own reference (which a
 * broken promise could have left from a previous packet).
 */
static int
test_restore(void)
{
	struct rte_mbuf *m, *c, *y, *z, *o, *oc;
	struct rte_mempool *hp;
	const struct ext_a *a;
	struct ext_a *za;

	rte_errno = 0;
	TEST_ASSERT_EQ(rte_mbuf_extension_restore(NULL), -EINVAL, "NULL");
	TEST_ASSERT_EQ(rte_errno, EINVAL, "rte_errno");
	hp = rte_mbuf_extension_pktmbuf_pool_create("lt_restore", 63, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	TEST_ASSERT(hp != NULL, "handler pool: %s", rte_strerror(rte_errno));

	m = pkt_alloc_from(hp);
	TEST_ASSERT(m != NULL, "packet");
	za = rte_mbuf_extension_add(m, id_a);
	TEST_ASSERT(za != NULL, "add");
	za->key = 0x7e57;
	a = za;
	TEST_ASSERT_EQ(rte_mbuf_extension_restore(m), 1, "visible already");
	m->ol_flags = 0;
	TEST_ASSERT(rte_mbuf_extension_find(m, id_a) == NULL, "hidden");
	TEST_ASSERT_EQ(rte_mbuf_extension_restore(m), 1, "restored");
	TEST_ASSERT(rte_mbuf_extension_find(m, id_a) == a && a->key == 0x7e57,
		"same data after restore");

	/* A plain clone borrows m's block; its flags overwritten too. */
	c = rte_pktmbuf_clone(m, hp);
	TEST_ASSERT(c != NULL, "clone");
	c->ol_flags &= RTE_MBUF_F_INDIRECT | RTE_MBUF_F_EXTERNAL;
	TEST_ASSERT(rte_mbuf_extension_find(c, id_a) == NULL, "clone hidden");
	TEST_ASSERT_EQ(rte_mbuf_extension_restore(c), 1, "clone restored");
	TEST_ASSERT(rte_mbuf_extension_find(c, id_a) == a, "clone sees m's");

	/* A bit copy shows nothing and cannot be restored. */
	y = rte_pktmbuf_copy(m, hp, 0, UINT32_MAX);
	TEST_ASSERT(y != NULL, "copy");
	TEST_ASSERT(rte_mbuf_extension_find(y, id_a) == NULL, "copy sees");
	y->ol_flags = 0;
	TEST_ASSERT_EQ(rte_mbuf_extension_restore(y), 0, "copy restored");
	TEST_ASSERT(rte_mbuf_extension_find(y, id_a) == NULL, "copy sees");

	/* Reset while the clone pins m: kept for the clone, gone for m. */
	rte_mbuf_extension_reset(m);
	TEST_ASSERT(rte_mbuf_extension_find(m, id_a) == NULL, "reset");
	TEST_ASSERT_EQ(rte_mbuf_extension_restore(m), 0, "reset restored");
	TEST_ASSERT(rte_mbuf_extension_find(m, id_a) == NULL, "reset");
	TEST_ASSERT(rte_mbuf_extension_find(c, id_a) == a, "clone keeps it");
	rte_pktmbuf_free(c);
	rte_pktmbuf_free(y);
	rte_pktmbuf_free(m);

	/* A type deleted while hidden stays deleted; another one stays. */
	z = pkt_alloc_from(hp);
	TEST_ASSERT(z != NULL, "packet");
	TEST_ASSERT(rte_mbuf_extension_add(z, id_a) != NULL &&
		rte_mbuf_extension_add(z, id_b) != NULL, "add");
	z->ol_flags = 0;
	rte_mbuf_extension_del(z, id_a);
	TEST_ASSERT_EQ(rte_mbuf_extension_restore(z), 1, "b restored");
	TEST_ASSERT(rte_mbuf_extension_find(z, id_a) == NULL, "a deleted");
	TEST_ASSERT(rte_mbuf_extension_find(z, id_b) != NULL, "b kept");
	/* The last one deleted while hidden: nothing left to restore. */
	z->ol_flags = 0;
	rte_mbuf_extension_del(z, id_b);
	TEST_ASSERT_EQ(rte_mbuf_extension_restore(z), 0, "deleted restored");
	TEST_ASSERT(rte_mbuf_extension_find(z, id_b) == NULL, "b deleted");
	rte_pktmbuf_free(z);
	TEST_ASSERT_EQ(rte_mempool_in_use_count(hp), 0, "handler pool");
	rte_mempool_free(hp);

	/*
	 * Opted-in pool: an mbuf's own reference is not restored (it could
	 * be a previous packet's, left by a free without the library); a
	 * plain clone's borrowed view is.
	 */
	o = pkt_with_a(0x7e58);
	TEST_ASSERT(o != NULL, "packet");
	oc = rte_pktmbuf_clone(o, mp);
	TEST_ASSERT(oc != NULL, "clone");
	o->ol_flags = 0;
	oc->ol_flags &= RTE_MBUF_F_INDIRECT | RTE_MBUF_F_EXTERNAL;
	TEST_ASSERT_EQ(rte_mbuf_extension_restore(o), 0, "opted-in own");
	TEST_ASSERT(rte_mbuf_extension_find(o, id_a) == NULL, "hidden");
	TEST_ASSERT_EQ(rte_mbuf_extension_restore(oc), 1, "opted-in clone");
	a = rte_mbuf_extension_find(oc, id_a);
	TEST_ASSERT(a != NULL && a->key == 0x7e58, "clone sees o's");
	rte_mbuf_extension_pktmbuf_free(oc);
	rte_mbuf_extension_pktmbuf_free(o);
	return TEST_SUCCESS;
}

static struct unit_test_suite lifetime_suite = {
	.name = "mbuf_extension_lifetime",
	.setup = lifetime_setup,
	.snapshot = test_clean_snapshot,
	.check = test_clean_check,
	.cases = {
		TEST_CASE(test_rule1_release_once),
		TEST_CASE_NAMED_WITH_DATA("test_rule2_plain_clone_orig_first",
			clone_case, &rule2_plain_orig_first),
		TEST_CASE_NAMED_WITH_DATA("test_rule2_plain_clone_clone_first",
			clone_case, &rule2_plain_clone_first),
		TEST_CASE_NAMED_WITH_DATA("test_rule2_helper_clone_orig_first",
			clone_case, &rule2_helper_orig_first),
		TEST_CASE_NAMED_WITH_DATA(
			"test_rule2_helper_clone_clone_first",
			clone_case, &rule2_helper_clone_first),
		TEST_CASE(test_rule3_cow_helper_clone),
		TEST_CASE(test_rule3_cow_shared),
		TEST_CASE_NAMED_WITH_DATA(
			"test_rule3_pinned_direct_copies_orig_first",
			pinned_case, &pinned_orig_first),
		TEST_CASE_NAMED_WITH_DATA(
			"test_rule3_pinned_direct_copies_clone_first",
			pinned_case, &pinned_clone_first),
		TEST_CASE(test_rule3_direct_cow_ends_plain_clone_view),
		TEST_CASE(test_rule3_cow_on_plain_clone),
		TEST_CASE(test_rule4_hidden_block_reused),
		TEST_CASE(test_rule4_hidden_shared_block_new_block),
		TEST_CASE(test_rule4_broken_promise_plain_free),
		TEST_CASE(test_rule4_broken_promise_rx_refill),
		TEST_CASE(test_rule5_copy),
		TEST_CASE(test_rule5_add_on_plain_copy),
		TEST_CASE_NAMED_WITH_DATA(
			"test_rule5_helper_clone_of_copy_reusing_mbuf",
			stale_ref_case, &stale_helper_clone),
		TEST_CASE_NAMED_WITH_DATA(
			"test_rule5_helper_copy_of_copy_reusing_mbuf",
			stale_ref_case, &stale_helper_copy),
		TEST_CASE_NAMED_WITH_DATA(
			"test_rule5_plain_clone_of_copy_reusing_mbuf",
			stale_ref_case, &stale_plain_clone),
		TEST_CASE_NAMED_WITH_DATA(
			"test_rule5_plain_copy_of_copy_reusing_mbuf",
			stale_ref_case, &stale_plain_copy),
		TEST_CASE(test_rule5_share_into_stale_same_block),
		TEST_CASE(test_plain_clone_of_mbuf_without_extension),
		TEST_CASE(test_attach_borrows),
		TEST_CASE(test_rule6_chain),
		TEST_CASE(test_rule6_chain_helper_clone),
		TEST_CASE(test_owner_slots),
		TEST_CASE(test_slot_take_count_rests),
		TEST_CASE(test_pool_not_opted_in_refused),
		TEST_CASE_NAMED_WITH_DATA("test_issue8_f1_add_other_type",
			f1_case, &f1_add_other_type),
		TEST_CASE_NAMED_WITH_DATA("test_issue8_f1_add_same_type",
			f1_case, &f1_add_same_type),
		TEST_CASE_NAMED_WITH_DATA("test_issue8_f1_share",
			f1_case, &f1_share),
		TEST_CASE(test_issue8_f2_refused_pool),
		TEST_CASE(test_issue8_f2_opted_in_library_free),
		TEST_CASE(test_issue8_f3_refused_pool),
		TEST_CASE(test_issue8_f3_opted_in_library_free),
		TEST_CASE(test_issue8_f4_bulk_free_equals_single_free),
		TEST_CASE_NAMED_WITH_DATA("test_issue8_offset0_add_in_place",
			offset0_case, &offset0_in_place),
		TEST_CASE_NAMED_WITH_DATA("test_issue8_offset0_add_cow",
			offset0_case, &offset0_cow),
		TEST_CASE_ST(rule7_setup, drain_block_pool,
			test_rule7_exhaustion),
		TEST_CASE(test_rule8_bad_input),
		TEST_CASE(test_del_shared),
		TEST_CASE(test_del_last_and_readd),
		TEST_CASE(test_reset),
		TEST_CASE(test_share),
		TEST_CASE(test_release),
		TEST_CASE(test_extbuf),
		TEST_CASE(test_clone_of_clone),
		TEST_CASE(test_many_holders),
		TEST_CASE(test_free_bulk),
		TEST_CASE(test_alignment),
		TEST_CASE(test_plain_clone_of_stale_direct_after_share),
		TEST_CASE(test_helper_attach),
		TEST_CASE(test_dump_matches_info),
		TEST_CASE(test_restore),
		TEST_CASE(test_nothing_left),
		/* Last: on failure it leaves blocks corrupted. */
		TEST_CASE(test_issue8_offset0_add_on_plain_copy),
		TEST_CASES_END()
	}
};

REGISTER_TEST_SUITE(lifetime_suite);
