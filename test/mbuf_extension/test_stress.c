/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * Two-lcore stress of the extension blocks.
 *
 * Packets go from lcore 0 to lcore 1 over one rte_ring and back over
 * another. Each lcore takes a burst, applies random operations to every
 * packet (add, find, delete, plain and helper clone, plain and helper
 * copy, share, reset, free one by one or in bulk) and sends the survivors
 * and the new clones and copies to the other lcore.
 *
 * Each mbuf carries in its private area what it should see: the mask of
 * its extensions, the id their keys derive from and the version last
 * written to each. Every extension holds its key (from that id and the
 * type), the version, and a filler derived from the version over its whole
 * size, so a wrong, stale, freed or half copied block is detected. A
 * packet's payload starts with its own id, checked too.
 *
 * Two plain mbuf pools (no mempool handler): "st_mbufs", opted in, where
 * every packet starts, and "st_refused", not opted in, which clones and
 * copies go to one time in four. An mbuf of the refused pool may never
 * take a reference: add, the clone and copy helpers into it and share
 * into it fail with ENOTSUP (counted, and compared with stats.refused at
 * the end); plain clones in it borrow like any other. Every mbuf is freed
 * with the library.
 *
 * A plain clone reads its direct mbuf's block while the direct mbuf owns
 * it. An add by a direct mbuf that plain clones pin (refcnt > 1) changes
 * what those clones see (a copy ends their view), and they may be on the
 * other lcore, where the model cannot follow: add and share into such an
 * mbuf are skipped here (test_lifetime covers them). Only the holder of
 * an mbuf or of one of its clones can make a clone, so refcnt 1 stays 1
 * meanwhile.
 *
 * The run ends with every block and every mbuf back in its pools (the
 * runner's test_clean_check() after the case).
 *
 * Plain copies, and plain clones of helper clones, carry a reference
 * dynfield that names an owner they do not pin; once that owner is freed,
 * a plain clone or copy of them is often given the owner's old mbuf (the
 * per-lcore cache returns it first). Such a stale field must neither see
 * nor own anything: this run makes them by the thousand.
 */

#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include <rte_mbuf_extension.h>

#include "test_runner.h"
#include "test_clean.h"
#include "mbext_test.h"

#define NB_TYPES 4
#define NB_MBUFS 16383
#define NB_REFUSED 4095
#define MBUF_CACHE 128
#define NB_BLOCKS 32767
#define BLOCK_CACHE 64
#define RING_SIZE 16384
#define BURST 32
#define TARGET_LIVE 1024
#define PAYLOAD 64
#define OPS_PER_LCORE 1500000

static const struct mbext_test_type types[NB_TYPES] = {
	{ "st_16", 16, 8 },
	{ "st_24", 24, 8 },
	{ "st_40", 40, 16 },
	{ "st_64", 64, 64 },
};
static int type_id[NB_TYPES];

/* What an mbuf should see; in its private area. */
struct pkt_state {
	uint64_t pay_id;         /* Id at the start of the payload. */
	uint64_t ext_id;         /* Id the extension keys derive from. */
	uint64_t ver[NB_TYPES];  /* Version last written, per type. */
	uint8_t mask;            /* Extensions present (bit: type index). */
	uint8_t owned;           /* Holds its own reference (not borrowed). */
	uint8_t nhist;           /* Debug: operations applied, last ones. */
	uint8_t hist[22];
};

/* Extension data: key, version, then filler. */
struct ext_data {
	uint64_t key;
	uint64_t ver;
	uint8_t fill[];
};

enum op {
	OP_ADD, OP_FIND, OP_DEL, OP_CLONE, OP_HCLONE, OP_COPY, OP_HCOPY,
	OP_SHARE_NEW, OP_SHARE, OP_RESET, OP_FREE, OP_FREE_BULK, OP_MAX
};

static const char * const op_names[OP_MAX] = {
	"add", "find", "del", "clone", "helper_clone", "copy", "helper_copy",
	"share_new", "share", "reset", "free", "free_bulk",
};

struct lcore_ctx {
	struct rte_ring *in;
	struct rte_ring *out;
	uint64_t rnd;
	uint64_t next_id;
	uint64_t ops;
	uint64_t count[OP_MAX];
	uint64_t enomem;
	uint64_t refused;        /* ENOTSUP expected and seen */
	uint64_t skipped;        /* adds skipped: plain clones may read */
	uint64_t bursts;
	int failed;
	int done;
	enum op cur_op;
	struct rte_mbuf *cur_m;
	char msg[256];
	/* Survivors and new packets to send. */
	struct rte_mbuf *tx[RING_SIZE];
	unsigned int nb_tx;
	/* Packets to free in bulk at the end of the burst. */
	struct rte_mbuf *bulk[4 * BURST];
	unsigned int nb_bulk;
};

static struct rte_mempool *mp;     /* opted in */
static struct rte_mempool *rp;     /* not opted in: refused */
static struct rte_ring *r01, *r10; /* lcore 0 to 1, 1 to 0 */
static struct lcore_ctx ctx[2];
static unsigned int block_size; /* bytes, header included */
static int64_t live; /* packets allocated and not freed */
static volatile int stop;
static int nb_done; /* lcores done with their operations */

#define FAIL(c, fmt, ...) do {						\
	if (!(c)->failed)						\
		snprintf((c)->msg, sizeof((c)->msg), "%s:%d: op %s: " fmt, \
			__func__, __LINE__, op_names[(c)->cur_op],	\
			##__VA_ARGS__);					\
	(c)->failed = 1;						\
	stop = 1;							\
	return -1;							\
} while (0)

static inline uint64_t
rnd(struct lcore_ctx *c)
{
	c->rnd ^= c->rnd << 13;
	c->rnd ^= c->rnd >> 7;
	c->rnd ^= c->rnd << 17;
	return c->rnd;
}

static inline struct pkt_state *
state(struct rte_mbuf *m)
{
	return rte_mbuf_to_priv(m);
}

static inline uint64_t
ext_key(uint64_t ext_id, int t)
{
	return ext_id * NB_TYPES + t + 1;
}

static void
ext_write(struct ext_data *d, int t, uint64_t ext_id, uint64_t ver)
{
	size_t j;

	d->key = ext_key(ext_id, t);
	d->ver = ver;
	for (j = 0; j < types[t].size - sizeof(*d); j++)
		d->fill[j] = (uint8_t)(ver + j);
}

static int
ext_check(struct lcore_ctx *c, const struct ext_data *d, int t,
		uint64_t ext_id, uint64_t ver)
{
	size_t j;

	if (((uintptr_t)d & (types[t].align - 1)) != 0)
		FAIL(c, "type %d misaligned %p", t, (const void *)d);
	if (d->key != ext_key(ext_id, t) || d->ver != ver)
		FAIL(c, "type %d: key %" PRIx64 " ver %" PRIx64
			", expected %" PRIx64 " %" PRIx64, t, d->key, d->ver,
			ext_key(ext_id, t), ver);
	for (j = 0; j < types[t].size - sizeof(*d); j++)
		if (d->fill[j] != (uint8_t)(ver + j))
			FAIL(c, "type %d: filler byte %zu", t, j);
	return 0;
}

/*
 * Data of type @p t of @p m lies in the block @p m shows, after the
 * header, and ends inside the block.
 */
static int
in_block(struct lcore_ctx *c, const struct rte_mbuf *m, const void *p,
		int t)
{
	if (!mbext_test_in_block(m, p, types[t].size, block_size))
		FAIL(c, "type %d at %p: not inside block %p (%u bytes) after"
			" its header", t, p, mbext_test_block_of(m),
			block_size);
	return 0;
}

static int
ext_check_zero(struct lcore_ctx *c, const void *p, int t)
{
	const uint8_t *b = p;
	size_t j;

	for (j = 0; j < types[t].size; j++)
		if (b[j] != 0)
			FAIL(c, "new type %d not zeroed at %zu", t, j);
	return 0;
}

/* Everything @p m should see, and nothing else. */
static int
verify(struct lcore_ctx *c, struct rte_mbuf *m)
{
	struct pkt_state *s = state(m);
	int t;

	if (*rte_pktmbuf_mtod(m, uint64_t *) != s->pay_id)
		FAIL(c, "payload id %" PRIx64 " != %" PRIx64,
			*rte_pktmbuf_mtod(m, uint64_t *), s->pay_id);
	if (rte_mbuf_extension_active_mask(m) != s->mask)
		FAIL(c, "mask %#x != %#x", rte_mbuf_extension_active_mask(m),
			s->mask);
	for (t = 0; t < NB_TYPES; t++) {
		const struct ext_data *d = rte_mbuf_extension_find(m,
			type_id[t]);

		if (!(s->mask & (1u << t))) {
			if (d != NULL)
				FAIL(c, "type %d present", t);
			continue;
		}
		if (d == NULL)
			FAIL(c, "type %d missing", t);
		if (in_block(c, m, d, t) < 0 ||
				ext_check(c, d, t, s->ext_id, s->ver[t]) < 0)
			return -1;
	}
	return 0;
}

static struct rte_mbuf *
pkt_new(struct lcore_ctx *c)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	struct pkt_state *s;
	uint8_t *p;

	if (m == NULL)
		return NULL;
	p = (uint8_t *)rte_pktmbuf_append(m, PAYLOAD);
	s = state(m);
	memset(s, 0, sizeof(*s));
	s->pay_id = c->next_id++;
	s->ext_id = s->pay_id;
	*(uint64_t *)p = s->pay_id;
	memset(p + 8, (int)(s->pay_id & 0xff), PAYLOAD - 8);
	__atomic_add_fetch(&live, 1, __ATOMIC_RELAXED);
	if (!RTE_MBUF_DIRECT(m) || rte_mbuf_extension_active_mask(m) != 0) {
		c->failed = 1;
		snprintf(c->msg, sizeof(c->msg), "fresh mbuf has extensions");
		stop = 1;
	}
	return m;
}

/*
 * A direct mbuf pinned by clones: plain clones may read its block, and
 * its add changes what they see (see the top of the file).
 */
static inline int
readers_may_exist(struct rte_mbuf *m)
{
	return RTE_MBUF_DIRECT(m) && rte_mbuf_refcnt_read(m) != 1;
}

static int
op_add(struct lcore_ctx *c, struct rte_mbuf *m, int t)
{
	struct pkt_state *s = state(m);
	struct ext_data *d;
	uint8_t before = rte_mbuf_extension_active_mask(m);
	int refused = m->pool == rp;

	if (readers_may_exist(m)) {
		c->skipped++;
		return verify(c, m);
	}
	rte_errno = 0;
	d = rte_mbuf_extension_add(m, type_id[t]);
	if (refused && d != NULL)
		FAIL(c, "add in the refused pool");
	if (d == NULL) {
		if (rte_errno != (refused ? ENOTSUP : ENOMEM))
			FAIL(c, "add: %s", rte_strerror(rte_errno));
		if (refused)
			c->refused++;
		else
			c->enomem++;
		if (rte_mbuf_extension_active_mask(m) != before)
			FAIL(c, "failed add changed the mask");
		return verify(c, m);
	}
	if (in_block(c, m, d, t) < 0)
		return -1;
	if (s->mask & (1u << t)) {
		if (ext_check(c, d, t, s->ext_id, s->ver[t]) < 0)
			return -1;
	} else if (ext_check_zero(c, d, t) < 0) {
		return -1;
	}
	s->mask |= 1u << t;
	s->owned = 1;
	s->ver[t] = rnd(c) | 1;
	ext_write(d, t, s->ext_id, s->ver[t]);
	return 0;
}

static int
op_find(struct lcore_ctx *c, struct rte_mbuf *m, int t)
{
	struct pkt_state *s = state(m);
	const struct ext_data *d = rte_mbuf_extension_find(m, type_id[t]);

	if (rte_mbuf_extension_exists(m, type_id[t]) != (d != NULL))
		FAIL(c, "exists and find disagree");
	if (!(s->mask & (1u << t))) {
		if (d != NULL)
			FAIL(c, "type %d present", t);
		return 0;
	}
	if (d == NULL)
		FAIL(c, "type %d missing", t);
	return ext_check(c, d, t, s->ext_id, s->ver[t]);
}

/* New mbuf @p n made from @p m: set its expected state. */
static void
inherit(struct rte_mbuf *n, const struct rte_mbuf *m, int visible,
		int owned)
{
	struct pkt_state *s = state(n);

	*s = *state((struct rte_mbuf *)(uintptr_t)m);
	if (!visible || s->mask == 0) {
		s->mask = 0;
		s->owned = 0;
	} else {
		s->owned = owned;
	}
	__atomic_add_fetch(&live, 1, __ATOMIC_RELAXED);
}

static int
op_new_from(struct lcore_ctx *c, struct rte_mbuf *m, enum op op)
{
	struct pkt_state *s = state(m);
	struct rte_mempool *pool = rnd(c) % 4 == 0 ? rp : mp;
	struct rte_mbuf *n;
	int visible, owned;

	switch (op) {
	case OP_CLONE:
		n = rte_pktmbuf_clone(m, pool);
		/*
		 * A plain clone pins the direct mbuf: it sees what it
		 * holds. The extensions of a helper clone (or a clone that
		 * copied its block) are its own, not the direct mbuf's:
		 * a plain clone of it sees none.
		 */
		visible = RTE_MBUF_DIRECT(m) || !s->owned;
		owned = 0;
		break;
	case OP_HCLONE:
		rte_errno = 0;
		n = rte_mbuf_extension_pktmbuf_clone(m, pool);
		visible = owned = 1;
		break;
	case OP_COPY:
		n = rte_pktmbuf_copy(m, pool, 0, UINT32_MAX);
		visible = owned = 0;
		break;
	default:
		rte_errno = 0;
		n = rte_mbuf_extension_pktmbuf_copy(m, pool, 0, UINT32_MAX);
		visible = owned = 1;
		break;
	}
	/* A helper into the refused pool: refused if there is something. */
	if ((op == OP_HCLONE || op == OP_HCOPY) && pool == rp &&
			s->mask != 0) {
		if (n != NULL)
			FAIL(c, "%s into the refused pool", op_names[op]);
		if (rte_errno != ENOTSUP)
			FAIL(c, "%s: %s", op_names[op],
				rte_strerror(rte_errno));
		c->refused++;
		return verify(c, m);
	}
	if (n == NULL && (op == OP_HCLONE || op == OP_HCOPY) &&
			rte_errno == ENOMEM) {
		/* Five owners: the copy found no block. */
		c->enomem++;
		return verify(c, m);
	}
	if (n == NULL)
		FAIL(c, "%s: no mbuf", op_names[op]);
	inherit(n, m, visible, owned);
	c->tx[c->nb_tx++] = n;
	return verify(c, n);
}

static int
op_share_new(struct lcore_ctx *c, struct rte_mbuf *m)
{
	struct rte_mbuf *n = pkt_new(c);
	struct pkt_state *s;
	uint64_t pay_id;

	if (n == NULL)
		FAIL(c, "share: no mbuf");
	if (rte_mbuf_extension_share(n, m) != 0)
		FAIL(c, "share to a fresh mbuf: %s", rte_strerror(rte_errno));
	s = state(n);
	pay_id = s->pay_id;
	*s = *state(m);
	s->pay_id = pay_id;
	if (s->mask != 0)
		s->owned = 1;
	c->tx[c->nb_tx++] = n;
	return verify(c, n);
}

/* Share @p src's extensions onto @p dst, another packet we hold. */
static int
op_share(struct lcore_ctx *c, struct rte_mbuf *dst, struct rte_mbuf *src)
{
	struct pkt_state *d = state(dst), *s = state(src);
	uint64_t pay_id = d->pay_id;
	int ret;

	/* Only the holder of dst can raise its refcnt: 1 stays 1. */
	if (rte_mbuf_refcnt_read(dst) != 1)
		return 0;
	ret = rte_mbuf_extension_share(dst, src);
	if (dst->pool == rp && s->mask != 0) {
		if (ret != -ENOTSUP || rte_errno != ENOTSUP)
			FAIL(c, "share into the refused pool: %d", ret);
		c->refused++;
		if (verify(c, dst) < 0 || verify(c, src) < 0)
			return -1;
		return 0;
	}
	if (ret == -ENOMEM) {
		/* Five owners: the copy found no block. */
		c->enomem++;
		if (verify(c, dst) < 0 || verify(c, src) < 0)
			return -1;
		return 0;
	}
	if (ret != 0)
		FAIL(c, "share: %s", rte_strerror(rte_errno));
	*d = *s;
	d->pay_id = pay_id;
	if (d->mask != 0)
		d->owned = 1;
	if (verify(c, dst) < 0 || verify(c, src) < 0)
		return -1;
	return 0;
}

static int
op_free(struct lcore_ctx *c, struct rte_mbuf *m, int bulk)
{
	if (verify(c, m) < 0)
		return -1;
	__atomic_sub_fetch(&live, 1, __ATOMIC_RELAXED);
	if (bulk) {
		c->bulk[c->nb_bulk++] = m;
		if (c->nb_bulk == RTE_DIM(c->bulk)) {
			rte_mbuf_extension_pktmbuf_free_bulk(c->bulk,
				c->nb_bulk);
			c->nb_bulk = 0;
		}
	} else {
		rte_mbuf_extension_pktmbuf_free(m);
	}
	return 0;
}

/* Random operations on one packet; returns 1 if it was freed. */
static int
work_one(struct lcore_ctx *c, struct rte_mbuf *m, struct rte_mbuf *other)
{
	int64_t nb_live = __atomic_load_n(&live, __ATOMIC_RELAXED);
	unsigned int n = 1 + rnd(c) % 4, i;

	for (i = 0; i < n; i++) {
		uint64_t r = rnd(c);
		unsigned int pct = r % 100;
		int t = (r >> 8) % NB_TYPES;
		enum op op;

		/* Keep the population near TARGET_LIVE. */
		if (nb_live > TARGET_LIVE && pct < 20)
			op = (r >> 16) & 1 ? OP_FREE : OP_FREE_BULK;
		else if (pct < 30)
			op = OP_ADD;
		else if (pct < 55)
			op = OP_FIND;
		else if (pct < 66)
			op = OP_DEL;
		else if (pct < 70)
			op = OP_CLONE;
		else if (pct < 74)
			op = OP_HCLONE;
		else if (pct < 76)
			op = OP_COPY;
		else if (pct < 78)
			op = OP_HCOPY;
		else if (pct < 80)
			op = OP_SHARE_NEW;
		else if (pct < 83)
			op = OP_SHARE;
		else if (pct < 85)
			op = OP_RESET;
		else if (pct < 93)
			op = OP_FREE;
		else
			op = OP_FREE_BULK;
		if (nb_live < TARGET_LIVE / 2 && (op == OP_FREE ||
				op == OP_FREE_BULK))
			op = OP_FIND;
		if (c->nb_tx + 2 >= RTE_DIM(c->tx) && op >= OP_CLONE &&
				op <= OP_SHARE_NEW)
			op = OP_FIND;
		c->ops++;
		c->count[op]++;
		c->cur_op = op;
		c->cur_m = m;
		state(m)->hist[state(m)->nhist++ % 22] = op | (t << 4) |
			(RTE_MBUF_DIRECT(m) ? 0 : 0x80);
		switch (op) {
		case OP_ADD:
			if (op_add(c, m, t) < 0)
				return -1;
			break;
		case OP_FIND:
			if (op_find(c, m, t) < 0)
				return -1;
			break;
		case OP_DEL:
			rte_mbuf_extension_del(m, type_id[t]);
			state(m)->mask &= ~(1u << t);
			if (verify(c, m) < 0)
				return -1;
			break;
		case OP_CLONE:
		case OP_HCLONE:
		case OP_COPY:
		case OP_HCOPY:
			if (op_new_from(c, m, op) < 0)
				return -1;
			break;
		case OP_SHARE_NEW:
			if (op_share_new(c, m) < 0)
				return -1;
			break;
		case OP_SHARE:
			if (other == NULL || other == m) {
				c->count[op]--;
				c->ops--;
				break;
			}
			if ((r >> 16) & 1) {
				if (op_share(c, m, other) < 0)
					return -1;
			} else if (op_share(c, other, m) < 0) {
				return -1;
			}
			break;
		case OP_RESET:
			rte_mbuf_extension_reset(m);
			state(m)->mask = 0;
			if (verify(c, m) < 0)
				return -1;
			break;
		case OP_FREE:
		case OP_FREE_BULK:
			if (op_free(c, m, op == OP_FREE_BULK) < 0)
				return -1;
			return 1;
		default:
			break;
		}
	}
	return 0;
}

/* One burst: receive, work, send. Returns -1 on a failed check. */
static int
lcore_iter(struct lcore_ctx *c)
{
	struct rte_mbuf *rx[BURST];
	unsigned int n, i, sent;

	if (!c->done && c->ops >= OPS_PER_LCORE) {
		c->done = 1;
		__atomic_add_fetch(&nb_done, 1, __ATOMIC_RELEASE);
	}
	n = rte_ring_dequeue_burst(c->in, (void **)rx, BURST, NULL);
	/* Top up the population with new packets. */
	while (n < BURST && __atomic_load_n(&live, __ATOMIC_RELAXED) <
			TARGET_LIVE) {
		rx[n] = pkt_new(c);
		if (rx[n] == NULL)
			break;
		/* For the failure report. */
		c->cur_op = OP_ADD;
		c->cur_m = rx[n];
		if (op_add(c, rx[n], rnd(c) % NB_TYPES) < 0)
			return -1;
		n++;
	}
	if (n == 0) {
		/* The other lcore may be preempted: give it the CPU. */
		sched_yield();
		return 0;
	}
	c->nb_tx = 0;
	for (i = 0; i < n; i++) {
		int r;

		if (stop)
			return -1;
		/* The next packet is not processed yet: alive. */
		r = work_one(c, rx[i], i + 1 < n ? rx[i + 1] : NULL);
		if (r < 0)
			return -1;
		if (r == 0)
			c->tx[c->nb_tx++] = rx[i];
	}
	if (c->nb_bulk != 0) {
		rte_mbuf_extension_pktmbuf_free_bulk(c->bulk, c->nb_bulk);
		c->nb_bulk = 0;
	}
	sent = rte_ring_enqueue_burst(c->out, (void **)c->tx, c->nb_tx, NULL);
	for (i = sent; i < c->nb_tx; i++)
		if (op_free(c, c->tx[i], 0) < 0)
			return -1;
	c->bursts++;
	return 0;
}

/*
 * Run until both lcores have done their share, so that neither starves
 * the other of packets.
 */
static int
lcore_loop(void *arg)
{
	struct lcore_ctx *c = arg;

	while (!stop && __atomic_load_n(&nb_done, __ATOMIC_ACQUIRE) < 2)
		if (lcore_iter(c) < 0)
			return -1;
	return c->failed ? -1 : 0;
}

/* Both roles in turn on one lcore (for debugging, with -l 0). */
static int
single_loop(void)
{
	while (!stop && __atomic_load_n(&nb_done, __ATOMIC_ACQUIRE) < 2)
		if (lcore_iter(&ctx[0]) < 0 || lcore_iter(&ctx[1]) < 0)
			return -1;
	return 0;
}

static int
drain(struct lcore_ctx *c, struct rte_ring *r)
{
	struct rte_mbuf *m = NULL;

	c->cur_op = OP_FREE;
	while (rte_ring_dequeue(r, (void **)&m) == 0)
		if (op_free(c, m, 0) < 0)
			return -1;
	return 0;
}

static int
test_stress(void)
{
	struct rte_mbuf_extension_stats st;
	unsigned int worker, i;
	uint64_t t0, total = 0, refused = 0, cnt[OP_MAX] = { 0 };
	int ret;

	worker = rte_get_next_lcore(rte_lcore_id(), 1, 0);
	if (worker >= RTE_MAX_LCORE)
		printf("  one lcore: both sides run in turn on it\n");
	ctx[0].in = r10;
	ctx[0].out = r01;
	ctx[0].rnd = 0x9e3779b97f4a7c15ULL;
	ctx[0].next_id = 1;
	ctx[1].in = r01;
	ctx[1].out = r10;
	ctx[1].rnd = 0xd1b54a32d192ed03ULL;
	ctx[1].next_id = UINT64_C(1) << 48;

	t0 = rte_get_timer_cycles();
	if (worker < RTE_MAX_LCORE) {
		TEST_ASSERT_EQ(rte_eal_remote_launch(lcore_loop, &ctx[1],
			worker), 0, "launch");
		lcore_loop(&ctx[0]);
		ret = rte_eal_wait_lcore(worker);
	} else {
		ret = single_loop();
	}
	for (i = 0; i < 2; i++) {
		if (ctx[i].failed) {
			struct pkt_state *s = state(ctx[i].cur_m);
			unsigned int h;

			printf("  lcore %u: %s\n", i, ctx[i].msg);
			printf("  mbuf %p direct %d refcnt %u mask %#x "
				"owned %d history:",
				(void *)ctx[i].cur_m,
				RTE_MBUF_DIRECT(ctx[i].cur_m),
				rte_mbuf_refcnt_read(ctx[i].cur_m), s->mask,
				s->owned);
			for (h = s->nhist > 22 ? s->nhist - 22 : 0;
					h < s->nhist; h++)
				printf(" %s%s/%d", s->hist[h % 22] & 0x80 ?
					"i:" : "",
					op_names[s->hist[h % 22] & 0xf],
					(s->hist[h % 22] >> 4) & 7);
			printf("\n");
			rte_mbuf_extension_dump(stdout, ctx[i].cur_m);
		}
	}
	TEST_ASSERT(!ctx[0].failed && !ctx[1].failed && ret == 0,
		"a check failed");

	printf("  left: %" PRId64 " packets, %u + %u in the rings\n",
		__atomic_load_n(&live, __ATOMIC_RELAXED), rte_ring_count(r01),
		rte_ring_count(r10));
	/* What is left in the rings, with the same checks. */
	TEST_ASSERT(drain(&ctx[0], r01) == 0, "%s", ctx[0].msg);
	TEST_ASSERT(drain(&ctx[0], r10) == 0, "%s", ctx[0].msg);
	printf("  %.2f s\n", (double)(rte_get_timer_cycles() - t0) /
		rte_get_timer_hz());

	for (i = 0; i < 2; i++) {
		unsigned int o;

		total += ctx[i].ops;
		for (o = 0; o < OP_MAX; o++)
			cnt[o] += ctx[i].count[o];
		printf("  lcore %u: %" PRIu64 " ops, %" PRIu64
			" bursts, %" PRIu64 " ENOMEM, %" PRIu64 " ENOTSUP, %"
			PRIu64 " adds skipped\n", i, ctx[i].ops,
			ctx[i].bursts, ctx[i].enomem, ctx[i].refused,
			ctx[i].skipped);
		refused += ctx[i].refused;
	}
	printf("  ops:");
	for (i = 0; i < OP_MAX; i++)
		printf(" %s %" PRIu64, op_names[i], cnt[i]);
	printf("\n");
	TEST_ASSERT_EQ(rte_mbuf_extension_stats_get(&st), 0, "stats");
	printf("  stats: in_use %" PRIu64 " share %" PRIu64 " cow %" PRIu64
		" alloc_fail %" PRIu64 " refused %" PRIu64 "\n", st.in_use,
		st.share, st.cow, st.alloc_fail, st.refused);

	TEST_ASSERT(total >= 1000000, "only %" PRIu64 " operations", total);
	TEST_ASSERT_EQ(__atomic_load_n(&live, __ATOMIC_RELAXED), 0,
		"packets not freed");
	TEST_ASSERT(refused > 0 && cnt[OP_ADD] > 0, "nothing refused");
	TEST_ASSERT_EQ(st.refused, refused, "refusals");
	TEST_ASSERT(st.share > 0 && st.cow > 0, "nothing shared or copied");
	return 0;
}

static int
stress_setup(void)
{
	int t;

	for (t = 0; t < NB_TYPES; t++) {
		type_id[t] = mbext_test_register(types[t].name,
			types[t].size, types[t].align);
		TEST_ASSERT(type_id[t] >= 0, "register: %s",
			rte_strerror(rte_errno));
	}
	mp = rte_pktmbuf_pool_create("st_mbufs", NB_MBUFS, MBUF_CACHE,
		RTE_ALIGN(sizeof(struct pkt_state), RTE_MBUF_PRIV_ALIGN),
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	rp = rte_pktmbuf_pool_create("st_refused", NB_REFUSED, MBUF_CACHE,
		RTE_ALIGN(sizeof(struct pkt_state), RTE_MBUF_PRIV_ALIGN),
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	TEST_ASSERT(mp != NULL && rp != NULL, "mbuf pools: %s",
		rte_strerror(rte_errno));
	block_size = mbext_test_block_pool(NB_BLOCKS, BLOCK_CACHE, mp);
	TEST_ASSERT(block_size != 0, "block pool: %s",
		rte_strerror(rte_errno));
	r01 = rte_ring_create("st_r01", RING_SIZE, SOCKET_ID_ANY,
		RING_F_SP_ENQ | RING_F_SC_DEQ);
	r10 = rte_ring_create("st_r10", RING_SIZE, SOCKET_ID_ANY,
		RING_F_SP_ENQ | RING_F_SC_DEQ);
	TEST_ASSERT(r01 != NULL && r10 != NULL, "rings");
	TEST_ASSERT(test_clean_watch(mp) == 0 && test_clean_watch(rp) == 0,
		"watch");
	return TEST_SUCCESS;
}

static void
stress_teardown(void)
{
	rte_ring_free(r01);
	rte_ring_free(r10);
}

static struct unit_test_suite stress_suite = {
	.name = "mbuf_extension_stress",
	.setup = stress_setup,
	.teardown = stress_teardown,
	.snapshot = test_clean_snapshot,
	.check = test_clean_check,
	.cases = {
		TEST_CASE(test_stress),
		TEST_CASES_END()
	}
};

REGISTER_TEST_SUITE(stress_suite);
