/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * Model-based random test of the public API of lib/mbuf_extension.
 *
 * A shadow model mirrors every mbuf of three mbuf pools and every
 * extension block, and predicts what rte_mbuf_extension_find(),
 * rte_mbuf_extension_exists() and rte_mbuf_extension_active_mask() return
 * for each mbuf and each registered type, including the data:
 *
 * - a block (struct mblk) is one lifetime of a real block: its owners
 *   (mbuf, reference id) pairs, at most RTE_MBUF_EXTENSION_MAX_OWNERS,
 *   the types it has room for, and per type the pattern its data holds
 *   (0: zeroed). Each add that succeeds writes a new unique pattern;
 * - an mbuf (struct mobj) holds the bit pattern of its reference field as
 *   (block lifetime, reference id, active mask), the valid dynflag of its
 *   ol_flags, its mbuf refcnt, the mbuf it is attached to (INDIRECT), its
 *   external buffer and its next segment. rte_pktmbuf_clone(), _attach()
 *   and _copy() copy that pattern, as DPDK copies the dynfield.
 *
 * Each reference taken (a block allocated for an mbuf, an owner slot
 * taken) gets a new id. The rules of the contract (the guide's invariant
 * list, as changed by 1b00a0a) then read:
 *   OWNS(m)     := m's word names a live block that lists (m, its id)
 *                  (the lifetime is checked on the owner path too)
 *   BORROWED(m) := !OWNS(m) && m is INDIRECT, attached to d, and the live
 *                  block its word names lists (d, the id of the word):
 *                  "while the direct mbuf still owns that exact reference
 *                  in the same block lifetime"
 *   VISIBLE(m)  := dynflag && (OWNS(m) || BORROWED(m))
 *   find(m, t)  := VISIBLE(m) && bit t of m's word && the block has room
 *                  for t ? the block's data of t : NULL
 * and every operation updates the model as the contract says (see the
 * model_*() functions), in particular:
 * - add changes a block in place only if the mbuf sees it, owns it, the
 *   block has one owner and the mbuf refcnt is 1 (no plain clone pins
 *   it); a hidden block is reused under the same two counts; otherwise
 *   the block is copied (or a fresh one taken) and the mbuf's old slot
 *   released, so plain clones of a pinned writer lose their view;
 * - at most RTE_MBUF_EXTENSION_MAX_OWNERS references to a block are held
 *   at a time: then share and the clone/copy/attach helpers give a copy
 *   (cow counter); a released slot is taken again with a new take count,
 *   so a reference is never confused with an earlier one of the slot;
 * - turning a borrowed view into a reference (share from a plain clone,
 *   the helpers on one, add on one) copies the block, never takes a slot
 *   in it (the view cannot vanish meanwhile here: one lcore runs the
 *   operations at a time, and the concurrent phases only free);
 * - reset, and del of the last type, on an mbuf whose refcnt is above 1
 *   only hide: the reference is kept until the mbuf is freed;
 * - rte_mbuf_extension_pktmbuf_attach() is reset + plain attach + a
 *   reference of its own; plain rte_pktmbuf_attach() is only given mbufs
 *   that hold no reference (its precondition).
 * No rule of the model depends on an address: the
 * library must give the same answers whatever address a block or an mbuf
 * comes back at (ABA), which the small pools with per-lcore caches make
 * happen all the time; the run counts it and fails if it never happened.
 * (Addresses are only checked: one data address per block and type.)
 *
 * Pools: H has the mbuf_ext mempool handler (freed by any path: plain
 * free, bulk free, raw mempool put, release then raw put, library free);
 * O is a plain pool opted in (a packet that would return to O an mbuf
 * owning a block, and every clone of an O mbuf, is freed with the library
 * only; rte_pktmbuf_detach() is never used); P is a plain pool not
 * opted in: adds fail with ENOTSUP, so do library clones, copies and
 * shares into it of visible extensions, and none of its direct mbufs ever
 * sees an extension (its plain clones of an H or O mbuf borrow, as any).
 *
 * Two lcores hold packets and exchange them over rte_rings. They run in
 * turns, a burst of random operations each (one model, deterministic for
 * a seed), so blocks are shared by mbufs held on both lcores, allocated
 * from one lcore's cache and freed into the other's. Periodically both
 * lcores free packets at the same time (real concurrent releases of
 * shared blocks) and check the packets they keep; the model applies those
 * frees afterwards: its result does not depend on their order.
 *
 * After each operation, every mbuf whose model state may have changed is
 * checked by the lcore holding it (at once, or at the start of its next
 * turn), and the number of live blocks in the model must equal
 * rte_mbuf_extension_pool_in_use(): with the other lcore idle the count
 * is exact, since mempool counts (rte_mempool_avail_count() and the
 * handler's get_count) include the per-lcore caches. mbuf pool counts,
 * external buffers and the slow-path statistics are compared too. The run
 * ends with everything freed and every count 0.
 *
 * Options, after the suite's name (mbext-test <EAL arguments> --
 * mbuf_extension_model [options]), or in the environment: --seed N
 * (MBEXT_MODEL_SEED), --ops N (MBEXT_MODEL_OPS, default 2000000),
 * --no-phase (MBEXT_MODEL_PHASES=0: no concurrent phase, fully
 * reproducible). The arguments win over the environment.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_pause.h>
#include <rte_ring.h>
#include <rte_spinlock.h>

#include <rte_mbuf_extension.h>
#include <rte_mempool_mbuf_ext.h>

#include <sched.h>

#include "test_runner.h"
#include "test_clean.h"
#include "mbext_test.h"

#define NB_TYPES 4
#define NB_LC 2
#define MAX_HANDLES 16          /* packets held by an lcore at most */
#define MAX_SEGS 6              /* segments of a packet at most */
#define SEG_DATA 24             /* data bytes of a segment at most */
#define DATA_ROOM (RTE_PKTMBUF_HEADROOM + 256)
#define POOL_CACHE 8
#define POOL_CAP 48             /* mbufs out of one pool at most */
/* Room for the objects another lcore's cache may keep out of reach. */
#define POOL_SIZE (POOL_CAP + 4 * POOL_CACHE + 8)
#define NB_POOLS 3
#define NB_MO (NB_POOLS * POOL_SIZE)
#define BLK_CACHE 8
/* Each live block has an owner in H or O; one more while copying. */
#define NB_BLOCKS (2 * POOL_CAP + 4 * BLK_CACHE + 8)
#define NB_MB (NB_BLOCKS + NB_MO + 16)
#define NB_EXT 48
#define EXT_LEN 192
#define RING_SIZE 64
#define HIST_LEN 16
#define LOG_LEN 48
#define PTR_HASH 4096
#define MO_HASH 2048
#define HOLD_NONE 2
#define DEFAULT_OPS 2000000
#define EXT_DETACH 255          /* op_extbuf's log argument: a detach */

enum { POOL_H, POOL_O, POOL_P };
static const char * const pool_names[NB_POOLS] = { "H", "O", "P" };

static const struct mbext_test_type types[NB_TYPES] = {
	{ "model_8", 8, 8 },
	{ "model_24", 24, 8 },
	{ "model_100", 100, 32 },
	{ "model_3", 3, 1 },
};
static int tid[NB_TYPES];
static size_t tsize[RTE_MBUF_EXTENSION_MAX];

enum op {
	OP_ALLOC, OP_ADD, OP_CHECK, OP_CHECK_ALL, OP_DEL, OP_RESET,
	OP_SHARE, OP_LIB_CLONE, OP_LIB_COPY, OP_CLONE, OP_COPY, OP_ATTACH,
	OP_LIB_ATTACH, OP_EXTBUF, OP_LIB_CHAIN, OP_CHAIN, OP_FREE, OP_OLFLAGS,
	OP_MOVE, OP_RESTORE,
	OP_MAX,
	/* In histories only. */
	OP_RECV = OP_MAX, OP_PHASE, OP_ALL
};

static const struct {
	const char *name;
	unsigned int weight;
} ops[OP_ALL] = {
	[OP_ALLOC] = { "alloc", 9 },
	[OP_ADD] = { "add", 16 },
	[OP_CHECK] = { "check", 4 },
	[OP_CHECK_ALL] = { "check_all", 1 },
	[OP_DEL] = { "del", 5 },
	[OP_RESET] = { "reset", 3 },
	[OP_SHARE] = { "share", 7 },
	[OP_LIB_CLONE] = { "lib_clone", 4 },
	[OP_LIB_COPY] = { "lib_copy", 3 },
	[OP_CLONE] = { "pktmbuf_clone", 5 },
	[OP_COPY] = { "pktmbuf_copy", 3 },
	[OP_ATTACH] = { "pktmbuf_attach", 3 },
	[OP_LIB_ATTACH] = { "lib_attach", 3 },
	[OP_EXTBUF] = { "attach_extbuf", 2 },
	[OP_LIB_CHAIN] = { "lib_chain", 2 },
	[OP_CHAIN] = { "pktmbuf_chain", 2 },
	[OP_FREE] = { "free", 14 },
	[OP_OLFLAGS] = { "ol_flags=0", 2 },
	[OP_MOVE] = { "move", 6 },
	[OP_RESTORE] = { "restore", 2 },
	[OP_RECV] = { "recv", 0 },
	[OP_PHASE] = { "phase_free", 0 },
};

enum free_path {
	FREE_PLAIN, FREE_PLAIN_BULK, FREE_RAW, FREE_REL_RAW, FREE_LIB,
	FREE_LIB_BULK, FREE_MAX
};
static const char * const free_names[FREE_MAX] = {
	"rte_pktmbuf_free", "rte_pktmbuf_free_bulk", "rte_mempool_put",
	"release+raw_free", "lib_free", "lib_free_bulk",
};
static const unsigned int free_weight[FREE_MAX] = { 3, 2, 2, 1, 3, 2 };

/* Roles in an mbuf's history. */
enum role {
	R_SUBJ, R_ALLOC, R_SRC, R_NEW, R_DST, R_TAIL, R_FREE, R_POOL,
	R_ZOMBIE, R_REL, R_MOVE, R_SEG, R_MAX
};
static const char * const role_names[R_MAX] = {
	"", "alloc", "src", "new", "dst", "tail", "free", "to_pool",
	"unpinned", "released", "moved", "seg",
};

enum { ADD_ENOTSUP, ADD_ZERO, ADD_EXIST };

/* Cases met, to show what a run covered. */
enum ev {
	EV_SEE_OWNED, EV_SEE_BORROWED, EV_HIDDEN_OWNED, EV_STALE, EV_NONE,
	EV_ADD_INPLACE, EV_ADD_REUSE_HIDDEN, EV_ADD_COW, EV_ADD_FRESH,
	EV_ADD_FRESH_STALE, EV_TAKE_SAME, EV_TAKE_SLOT, EV_TAKE_FULL,
	EV_TAKE_SAME_LIFE, EV_TAKE_BORROWED, EV_TAKE_REUSED,
	EV_ADD_COW_PINNED, EV_ADD_FRESH_PINNED, EV_VIEW_LOST,
	EV_RESET_HIDE, EV_RESET_DROP, EV_SHARE_EBUSY,
	EV_SHARE_ENOTSUP, EV_SHARE_NONE, EV_SHARE_GUIDED, EV_CLONE_ENOTSUP,
	EV_LATTACH, EV_LATTACH_OWNER, EV_LATTACH_EINVAL, EV_LATTACH_ENOTSUP,
	EV_ATTACH_EXISTING, EV_EXT_DETACH,
	EV_UNPIN_RELEASE, EV_PUT_XLC, EV_FREE_XLC, EV_PHASE_XLC, EV_MAX
};
static const char * const ev_names[EV_MAX] = {
	"see-owned", "see-borrowed", "hidden-owned", "stale-word",
	"no-word", "add-in-place", "add-reuse-hidden", "add-cow",
	"add-fresh", "add-fresh-over-stale-word", "take-same-block",
	"take-slot", "take-full-copy", "take-into-named-lifetime",
	"take-from-borrowed-copy", "take-released-slot",
	"add-cow-pinned-alone", "add-fresh-pinned-hidden",
	"borrowed-view-lost-by-direct-add", "reset-hide", "reset-drop",
	"share-EBUSY", "share-ENOTSUP", "share-from-nothing", "share-guided",
	"lib-clone/copy-ENOTSUP", "lib-attach", "lib-attach-onto-owner",
	"lib-attach-EINVAL", "lib-attach-ENOTSUP",
	"plain-attach-onto-held-mbuf", "detach-extbuf",
	"direct-released-by-clone-free",
	"ref-dropped-while-other-lcore-owns",
	"block-freed-on-other-lcore-than-allocated",
	"both-lcore-block-freed-in-concurrent-phase",
};

/* Cases every run of at least COVER_OPS operations must meet. */
#define COVER_OPS 200000
static const enum ev cover_evs[] = {
	EV_SEE_BORROWED, EV_ADD_INPLACE, EV_ADD_REUSE_HIDDEN, EV_ADD_COW,
	EV_TAKE_SLOT, EV_TAKE_FULL, EV_TAKE_BORROWED, EV_TAKE_REUSED,
	EV_ADD_COW_PINNED, EV_ADD_FRESH_PINNED, EV_VIEW_LOST, EV_RESET_HIDE,
	EV_SHARE_EBUSY, EV_LATTACH, EV_LATTACH_OWNER, EV_LATTACH_EINVAL,
	EV_LATTACH_ENOTSUP, EV_ATTACH_EXISTING, EV_EXT_DETACH,
	EV_UNPIN_RELEASE,
};

struct hent {
	uint32_t opno;
	uint8_t op;
	uint8_t lc;
	uint8_t role;
	uint8_t arg;
};

/* An mbuf of one of the pools. */
struct mobj {
	struct rte_mbuf *m;
	uint8_t pool;
	uint8_t in_use;
	uint8_t flag;           /* valid dynflag set in ol_flags */
	uint8_t holder;         /* lcore holding it; HOLD_NONE */
	uint8_t dirty;          /* queued for a check, bit per lcore */
	uint8_t had_ref;        /* owned a block, in this or an earlier life */
	uint8_t wactive;        /* active mask of its reference word */
	uint8_t hpos;
	uint16_t refcnt;
	int16_t direct;         /* mbuf it is attached to, or -1 */
	int16_t ext;            /* external buffer, or -1 */
	int16_t next;           /* next segment, or -1 */
	int16_t wblk;           /* block lifetime its word names, or -1 */
	int16_t rprev, rnext;   /* other mbufs whose word names wblk */
	uint32_t wref;          /* reference id its word carries */
	uint32_t life;          /* allocations of this mbuf */
	struct hent hist[HIST_LEN];
};

/* One lifetime of an extension block. */
struct mblk {
	uint32_t serial;
	uint8_t alive;
	uint8_t nown;
	uint8_t ntake;          /* owner slot takes in this lifetime */
	uint8_t ever;           /* slots taken at least once in it */
	uint8_t room;           /* type ids with room */
	uint8_t alloc_lc;       /* lcore that allocated it */
	uint8_t phase_lcs;      /* lcores holding owners, phase start */
	int16_t own_mo[RTE_MBUF_EXTENSION_MAX_OWNERS];
	uint32_t own_ref[RTE_MBUF_EXTENSION_MAX_OWNERS];
	uint32_t content[RTE_MBUF_EXTENSION_MAX];
	void *ptr[RTE_MBUF_EXTENSION_MAX];
	int16_t rhead;          /* mbufs whose word names it */
	int16_t next_free;
};

struct extbuf {
	void *buf;
	rte_iova_t iova;
	uint16_t len;
	struct rte_mbuf_ext_shared_info *shinfo;
	uint32_t freed;         /* set by the free callback */
	uint32_t double_free;
	int ref;                /* model */
};

/* What an lcore holds. */
struct lcs {
	int16_t h[MAX_HANDLES]; /* first segments of its packets */
	unsigned int nh;
	unsigned int nin;       /* packets in flight to it */
	int16_t fifo[RING_SIZE];
	unsigned int fhead, ftail;
	unsigned int nd;
	int16_t dirty[NB_MO];   /* mbufs to check */
	int16_t inv[8];         /* mbufs of the current operation */
	unsigned int ninv;
	uint8_t op;
};

struct logent {
	uint64_t opno;
	uint8_t lc;
	uint8_t op;
	uint8_t arg;
	int16_t a, b;
};

struct plan_ent {
	int16_t mo;
	uint8_t path;
	uint8_t exp_rel;
};

struct plan {
	unsigned int n;
	struct plan_ent e[MAX_HANDLES];
	unsigned int nkeep;
	int16_t keep[MAX_HANDLES];  /* packets kept */
	unsigned int nret;
	int16_t ret[NB_MO];         /* their segments, to check */
};

struct ptrent {
	void *p;
	int16_t mb;
	uint32_t serial;
};

static struct model {
	uint64_t seed;
	uint64_t rng;
	uint64_t opno;
	uint64_t nb_ops;
	int phases;
	volatile int failed;
	struct mobj mo[NB_MO];
	struct mblk mb[NB_MB];
	int free_mb;
	uint32_t serial;
	uint32_t refid;
	uint32_t pattern;
	uint32_t live_blocks;
	uint32_t pool_used[NB_POOLS];
	struct lcs lc[NB_LC];
	struct extbuf ext[NB_EXT];
	int16_t ext_check[8];
	unsigned int next_check;
	struct plan plan[NB_LC];
	struct logent log[LOG_LEN];
	unsigned int logpos;
	int16_t mo_hash[MO_HASH];
	struct ptrent ptrs[PTR_HASH];
	/* Expected slow-path counters. */
	uint64_t exp_share, exp_cow, exp_refused;
	/* Figures. */
	uint64_t count[OP_ALL];
	uint64_t fcount[FREE_MAX];
	uint64_t aba_mbuf, aba_blk, skipped, checks, nb_phases;
	uint64_t add_kind[3], share_fail;
	uint64_t ev[EV_MAX];
	int cur_lc;             /* lcore of the model update */
	unsigned int op_total;
} M;

static struct rte_mempool *pools[NB_POOLS];
static struct rte_ring *ring_to[NB_LC];
static rte_spinlock_t print_lock = RTE_SPINLOCK_INITIALIZER;

/* Main lcore to worker commands. */
enum { CMD_TURN, CMD_PHASE, CMD_STOP };
static uint32_t cmd_seq, cmd_kind, cmd_arg, done_seq;

/* PRNG (splitmix64): one stream, used by one lcore at a time. */
static uint64_t
rnd64(void)
{
	uint64_t z = (M.rng += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

static uint32_t
rnd(uint32_t n)
{
	return (uint32_t)(((rnd64() >> 32) * n) >> 32);
}

/* Data pattern of extension data: word i of pattern v; 0 is all zero. */
static inline uint32_t
pat_word(uint32_t v, unsigned int i)
{
	uint32_t x = v * 0x9e3779b1u + i * 0x85ebca77u;

	x ^= x >> 15;
	x *= 0x2c1b3c6du;
	x ^= x >> 12;
	return x;
}

static void
pat_fill(uint8_t *d, size_t n, uint32_t v)
{
	size_t i;

	for (i = 0; i < n; i++)
		d[i] = (uint8_t)(pat_word(v, i / 4) >> (8 * (i % 4)));
}

/* Offset of the first wrong byte, or -1. */
static long
pat_diff(const uint8_t *d, size_t n, uint32_t v)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint8_t e = v == 0 ? 0 :
			(uint8_t)(pat_word(v, i / 4) >> (8 * (i % 4)));

		if (d[i] != e)
			return (long)i;
	}
	return -1;
}

/* mbuf address to model index. */
static unsigned int
mo_hash_of(const void *p)
{
	return (unsigned int)(((uintptr_t)p >> 6) * 0x9e3779b1u) %
		MO_HASH;
}

static int
mo_find(const struct rte_mbuf *m)
{
	unsigned int h = mo_hash_of(m);

	while (M.mo_hash[h] >= 0) {
		if (M.mo[M.mo_hash[h]].m == m)
			return M.mo_hash[h];
		h = (h + 1) % MO_HASH;
	}
	return -1;
}

static unsigned int nb_mo;

static void
mo_register(struct rte_mempool *mp, void *opaque, void *obj,
		unsigned int idx)
{
	unsigned int h = mo_hash_of(obj);
	struct mobj *o = &M.mo[nb_mo];

	RTE_SET_USED(mp);
	RTE_SET_USED(idx);
	o->m = obj;
	o->pool = (uint8_t)(uintptr_t)opaque;
	o->holder = HOLD_NONE;
	o->direct = o->ext = o->next = o->wblk = -1;
	o->rprev = o->rnext = -1;
	while (M.mo_hash[h] >= 0)
		h = (h + 1) % MO_HASH;
	M.mo_hash[h] = (int16_t)nb_mo;
	nb_mo++;
}

/* Failure reports */

static void
hist(int i, int lc, int role, int arg)
{
	struct mobj *o = &M.mo[i];
	struct hent *e = &o->hist[o->hpos++ % HIST_LEN];

	e->opno = (uint32_t)M.opno;
	e->op = M.lc[lc].op;
	e->lc = (uint8_t)lc;
	e->role = (uint8_t)role;
	e->arg = (uint8_t)arg;
}

static void
log_op(int lc, int op, int a, int b, int arg)
{
	struct logent *e = &M.log[M.logpos++ % LOG_LEN];

	e->opno = M.opno;
	e->lc = (uint8_t)lc;
	e->op = (uint8_t)op;
	e->a = (int16_t)a;
	e->b = (int16_t)b;
	e->arg = (uint8_t)arg;
	M.lc[lc].op = (uint8_t)op;
}

static void
involve(int lc, int i)
{
	struct lcs *l = &M.lc[lc];
	unsigned int k;

	for (k = 0; k < l->ninv; k++)
		if (l->inv[k] == i)
			return;
	if (l->ninv < RTE_DIM(l->inv))
		l->inv[l->ninv++] = (int16_t)i;
}

static int blk_lists(const struct mblk *b, int mo, uint32_t ref);

static int
model_owns(int i)
{
	const struct mobj *o = &M.mo[i];

	return o->wblk >= 0 && M.mb[o->wblk].alive &&
		blk_lists(&M.mb[o->wblk], i, o->wref);
}

static int
model_borrows(int i)
{
	const struct mobj *o = &M.mo[i];

	return o->wblk >= 0 && o->direct >= 0 && M.mb[o->wblk].alive &&
		!model_owns(i) &&
		blk_lists(&M.mb[o->wblk], o->direct, o->wref);
}

/* Block lifetime m sees, or -1. */
static int
model_view(int i)
{
	const struct mobj *o = &M.mo[i];

	if (!o->flag || o->wblk < 0)
		return -1;
	if (model_owns(i) || model_borrows(i))
		return o->wblk;
	return -1;
}

static void
dump_blk(int b)
{
	const struct mblk *k = &M.mb[b];
	unsigned int s, id;

	printf("    block B%u: %s, %u owner(s), %u slot(s) taken:", k->serial,
		k->alive ? "live" : "freed", k->nown, k->ntake);
	for (s = 0; s < RTE_MBUF_EXTENSION_MAX_OWNERS; s++)
		if (k->own_mo[s] >= 0)
			printf(" #%d/r%u", k->own_mo[s], k->own_ref[s]);
	printf("; data (pattern, 0: zero):");
	for (id = 0; id < RTE_MBUF_EXTENSION_MAX; id++)
		if (k->room & (1u << id))
			printf(" t%u=%x@%p", id, k->content[id],
				k->ptr[id]);
	printf("\n");
}

static void
dump_mo(int i)
{
	const struct mobj *o = &M.mo[i];
	unsigned int k, n;

	printf("  mbuf #%d %p pool %s life %u %s refcnt %u flag %u", i,
		(void *)o->m, pool_names[o->pool], o->life,
		o->in_use ? (o->holder == HOLD_NONE ? "unpinned-direct" :
			(o->holder ? "lcore1" : "lcore0")) : "free",
		o->refcnt, o->flag);
	if (o->direct >= 0)
		printf(" attached-to #%d", o->direct);
	if (o->ext >= 0)
		printf(" extbuf %d", o->ext);
	if (o->next >= 0)
		printf(" next #%d", o->next);
	if (o->wblk < 0)
		printf(" word 0");
	else
		printf(" word B%u r%u active 0x%02x (%s)",
			M.mb[o->wblk].serial, o->wref, o->wactive,
			model_owns(i) ? "owns" : model_borrows(i) ?
			"borrows" : "stale");
	printf("\n    real: ol_flags 0x%" PRIx64 " refcnt %u; history:",
		o->m->ol_flags, rte_mbuf_refcnt_read(o->m));
	n = RTE_MIN((unsigned int)o->hpos, (unsigned int)HIST_LEN);
	for (k = o->hpos - n; k != o->hpos; k++) {
		const struct hent *e = &o->hist[k % HIST_LEN];

		printf(" %u:%s%s%s@%u", e->opno, ops[e->op].name,
			e->role ? "/" : "", role_names[e->role], e->lc);
		if (e->arg)
			printf("(%u)", e->arg);
	}
	printf("\n");
	rte_mbuf_extension_dump(stdout, o->m);
	if (o->wblk >= 0)
		dump_blk(o->wblk);
}

static void
dump_related(int i, int *done, unsigned int *nd)
{
	unsigned int k;

	if (i < 0)
		return;
	for (k = 0; k < *nd; k++)
		if (done[k] == i)
			return;
	if (*nd == 32)
		return;
	done[(*nd)++] = i;
	dump_mo(i);
}

static int
fail_at(int line, int lc, int i, const char *fmt, ...)
{
	int done[32];
	unsigned int nd = 0, k, s, n;
	va_list ap;

	rte_spinlock_lock(&print_lock);
	if (M.failed) {
		rte_spinlock_unlock(&print_lock);
		return -1;
	}
	M.failed = 1;
	printf("MISMATCH at test_model.c:%d, seed %" PRIu64 ", operation %"
		PRIu64 " (%s) on lcore %d: ", line, M.seed, M.opno,
		ops[M.lc[lc].op].name, lc);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\nmbufs involved (model state after the operation):\n");
	dump_related(i, done, &nd);
	for (k = 0; k < M.lc[lc].ninv; k++)
		dump_related(M.lc[lc].inv[k], done, &nd);
	for (k = 0; k < nd; k++) {
		const struct mobj *o = &M.mo[done[k]];

		dump_related(o->direct, done, &nd);
		if (o->wblk >= 0)
			for (s = 0; s < RTE_MBUF_EXTENSION_MAX_OWNERS; s++)
				dump_related(M.mb[o->wblk].own_mo[s], done,
					&nd);
	}
	printf("last operations:\n");
	n = RTE_MIN(M.logpos, (unsigned int)LOG_LEN);
	for (k = M.logpos - n; k != M.logpos; k++) {
		const struct logent *e = &M.log[k % LOG_LEN];

		printf("  %" PRIu64 ": lcore %u %s #%d #%d %u\n", e->opno,
			e->lc, ops[e->op].name, e->a, e->b, e->arg);
	}
	printf("reproduce: MBEXT_MODEL_SEED=%" PRIu64 " (%" PRIu64
		" concurrent phases before: with 0 the same seed gives the same"
		" run; else also try MBEXT_MODEL_PHASES=0)\n", M.seed,
		M.nb_phases);
	fflush(stdout);
	rte_spinlock_unlock(&print_lock);
	return -1;
}

#define CHECK(cond, lc, i, fmt, ...) do {				\
	if (unlikely(!(cond)))						\
		return fail_at(__LINE__, lc, i, "`%s': " fmt, #cond,	\
			##__VA_ARGS__);					\
} while (0)

/* Model primitives */

static int
blk_lists(const struct mblk *b, int mo, uint32_t ref)
{
	unsigned int s;

	for (s = 0; s < RTE_MBUF_EXTENSION_MAX_OWNERS; s++)
		if (b->own_mo[s] == mo && b->own_ref[s] == ref)
			return 1;
	return 0;
}

static void
mark_dirty(int i)
{
	struct mobj *o = &M.mo[i];
	struct lcs *l;

	if (!o->in_use || o->holder == HOLD_NONE ||
			(o->dirty & (1u << o->holder)))
		return;
	o->dirty |= 1u << o->holder;
	l = &M.lc[o->holder];
	l->dirty[l->nd++] = (int16_t)i;
}

static void
blk_changed(int b)
{
	int r;

	for (r = M.mb[b].rhead; r >= 0; r = M.mo[r].rnext)
		mark_dirty(r);
}

static void
blk_recycle(int b)
{
	struct mblk *k = &M.mb[b];

	if (k->alive || k->rhead >= 0)
		return;
	k->next_free = (int16_t)M.free_mb;
	M.free_mb = b;
}

/* Make the word of mbuf i name block b (or none), reference ref. */
static void
word_set(int i, int b, uint32_t ref, uint8_t active)
{
	struct mobj *o = &M.mo[i];
	int old = o->wblk;

	if (old != b) {
		if (old >= 0) {
			if (o->rprev >= 0)
				M.mo[o->rprev].rnext = o->rnext;
			else
				M.mb[old].rhead = o->rnext;
			if (o->rnext >= 0)
				M.mo[o->rnext].rprev = o->rprev;
			o->rprev = o->rnext = -1;
		}
		o->wblk = (int16_t)b;
		if (b >= 0) {
			o->rnext = M.mb[b].rhead;
			if (o->rnext >= 0)
				M.mo[o->rnext].rprev = (int16_t)i;
			M.mb[b].rhead = (int16_t)i;
		}
		if (old >= 0)
			blk_recycle(old);
	}
	o->wref = b >= 0 ? ref : 0;
	o->wactive = b >= 0 ? active : 0;
	mark_dirty(i);
}

static uint32_t
blk_ref_of(int b, int i)
{
	unsigned int s;

	for (s = 0; s < RTE_MBUF_EXTENSION_MAX_OWNERS; s++)
		if (M.mb[b].own_mo[s] == i)
			return M.mb[b].own_ref[s];
	return 0;
}

/* A new block lifetime owned by mbuf i. */
static int
blk_new(int i)
{
	struct mblk *k;
	unsigned int s;
	int b = M.free_mb;

	if (b < 0) {
		printf("model: out of block objects\n");
		abort();
	}
	k = &M.mb[b];
	M.free_mb = k->next_free;
	memset(k, 0, sizeof(*k));
	k->serial = ++M.serial;
	k->alive = 1;
	k->nown = 1;
	k->ntake = 1;
	k->ever = 1;
	for (s = 0; s < RTE_MBUF_EXTENSION_MAX_OWNERS; s++)
		k->own_mo[s] = -1;
	k->own_mo[0] = (int16_t)i;
	k->own_ref[0] = ++M.refid;
	k->rhead = -1;
	k->alloc_lc = (uint8_t)M.cur_lc;
	M.live_blocks++;
	M.mo[i].had_ref = 1;
	return b;
}

/* A copy of block src owned by mbuf i: the whole data, every type. */
static int
blk_copy(int src, int i)
{
	int b = blk_new(i);

	M.mb[b].room = M.mb[src].room;
	memcpy(M.mb[b].content, M.mb[src].content,
		sizeof(M.mb[b].content));
	M.exp_cow++;
	return b;
}

/*
 * Take an owner slot of b for mbuf i: its reference id, or 0 if all the
 * slots are held (a released slot is taken again, with a new take count:
 * a reference id is never reused).
 */
static uint32_t
blk_take(int b, int i)
{
	struct mblk *k = &M.mb[b];
	unsigned int s;

	for (s = 0; s < RTE_MBUF_EXTENSION_MAX_OWNERS; s++)
		if (k->own_mo[s] < 0)
			break;
	if (s == RTE_MBUF_EXTENSION_MAX_OWNERS) {
		M.ev[EV_TAKE_FULL]++;
		return 0;
	}
	if (k->ever & (1u << s))
		M.ev[EV_TAKE_REUSED]++;
	k->ever |= (uint8_t)(1u << s);
	if (k->ntake < UINT8_MAX)
		k->ntake++;
	k->own_mo[s] = (int16_t)i;
	k->own_ref[s] = ++M.refid;
	k->nown++;
	M.exp_share++;
	M.mo[i].had_ref = 1;
	blk_changed(b);
	return k->own_ref[s];
}

/* Drop the reference (i, ref) of block b. */
static void
blk_put(int b, int i, uint32_t ref)
{
	struct mblk *k = &M.mb[b];
	unsigned int s;

	for (s = 0; s < RTE_MBUF_EXTENSION_MAX_OWNERS; s++)
		if (k->own_mo[s] == i && k->own_ref[s] == ref)
			break;
	if (s == RTE_MBUF_EXTENSION_MAX_OWNERS) {
		printf("model: put of a reference not listed\n");
		abort();
	}
	k->own_mo[s] = -1;
	k->own_ref[s] = 0;
	for (s = 0; s < RTE_MBUF_EXTENSION_MAX_OWNERS; s++)
		if (k->own_mo[s] >= 0 &&
				M.mo[k->own_mo[s]].holder == 1 - M.cur_lc) {
			M.ev[EV_PUT_XLC]++;
			break;
		}
	if (--k->nown == 0) {
		k->alive = 0;
		M.live_blocks--;
		if (k->alloc_lc != M.cur_lc)
			M.ev[EV_FREE_XLC]++;
		if (k->phase_lcs == 3)
			M.ev[EV_PHASE_XLC]++;
	}
	blk_changed(b);
	blk_recycle(b);
}

/* rte_mbuf_extension_release(): drops what i owns, zeroes its word. */
static int
model_release(int i)
{
	struct mobj *o = &M.mo[i];
	int b = o->wblk, owned = model_owns(i);
	uint32_t ref = o->wref;

	o->flag = 0;
	if (b < 0)
		return 0;
	word_set(i, -1, 0, 0);
	if (owned)
		blk_put(b, i, ref);
	return owned;
}

/* rte_mbuf_extension_reset() */
static void
model_reset(int i)
{
	struct mobj *o = &M.mo[i];

	if (model_owns(i) && o->refcnt != 1) {
		/*
		 * Plain clones may read through it: hidden, with no type
		 * active (nothing for rte_mbuf_extension_restore() to show).
		 */
		word_set(i, o->wblk, o->wref, 0);
		o->flag = 0;
		mark_dirty(i);
		M.ev[EV_RESET_HIDE]++;
		return;
	}
	M.ev[EV_RESET_DROP] += model_release(i);
	mark_dirty(i);
}

/* rte_mbuf_extension_del() */
static void
model_del(int i, int id)
{
	struct mobj *o = &M.mo[i];

	/* The mbuf's own word, shown or hidden (ol_flags overwritten). */
	if (o->wblk < 0 || !(o->wactive & (1u << id)))
		return;
	word_set(i, o->wblk, o->wref, o->wactive & ~(1u << id));
	if (o->wactive == 0)
		model_reset(i);
}

/*
 * rte_mbuf_extension_restore(): 1 if i shows extensions afterwards. A
 * hidden reference is shown again if i borrows it, or owns it in a handler
 * pool, with a type active.
 */
static int
model_restore(int i)
{
	struct mobj *o = &M.mo[i];

	if (o->flag)
		return model_view(i) >= 0 && o->wactive != 0;
	if (o->wblk < 0 || o->wactive == 0)
		return 0;
	if (model_owns(i)) {
		if (o->pool != POOL_H)
			return 0;
	} else if (!model_borrows(i)) {
		return 0;
	}
	o->flag = 1;
	mark_dirty(i);
	return 1;
}

/* Plain clones of mbuf d (in use) that read block b through d. */
static unsigned int
nb_borrowers(int b, int d)
{
	unsigned int n = 0;
	int r;

	for (r = M.mb[b].rhead; r >= 0; r = M.mo[r].rnext)
		if (M.mo[r].in_use && M.mo[r].direct == d &&
				model_borrows(r))
			n++;
	return n;
}

/* Type id gets room in block b (owned alone) and zeroed data. */
static void
blk_place(int b, int id)
{
	M.mb[b].room |= 1u << id;
	M.mb[b].content[id] = 0;
	blk_changed(b);
}

/*
 * rte_mbuf_extension_add(): the block the data is in (*pb) and whether
 * it is new (zeroed) data or the data already there (*pat).
 */
static int
model_add(int i, int id, int *pb, uint32_t *pat)
{
	struct mobj *o = &M.mo[i];
	uint8_t bit = 1u << id, active;
	int v, old, b;

	if (o->pool == POOL_P) {
		M.exp_refused++;
		return ADD_ENOTSUP;
	}
	v = model_view(i);
	old = model_owns(i) ? o->wblk : -1;
	if (v >= 0 && v == old && M.mb[v].nown == 1 && o->refcnt == 1) {
		/* Visible, owned alone, no plain clone pins it: in place. */
		b = v;
		active = o->wactive;
		M.ev[EV_ADD_INPLACE]++;
	} else if (v < 0 && old >= 0 && M.mb[old].nown == 1 &&
			o->refcnt == 1) {
		/* Hidden by ol_flags or reset, owned alone: reused. */
		b = old;
		active = 0;
		M.ev[EV_ADD_REUSE_HIDDEN]++;
	} else {
		/*
		 * Shared, pinned by plain clones, borrowed, stale or none: a
		 * copy or a new block; the old slot is released (plain
		 * clones reading it lose their view).
		 */
		uint32_t oref = o->wref;

		if (v >= 0) {
			/* Borrowed (v != old) or owned: a copy of the view. */
			b = blk_copy(v, i);
			active = o->wactive;
			M.ev[v == old && M.mb[v].nown == 1 ?
				EV_ADD_COW_PINNED : EV_ADD_COW]++;
		} else {
			M.ev[old >= 0 ? EV_ADD_FRESH_PINNED :
				o->wblk >= 0 ? EV_ADD_FRESH_STALE :
				EV_ADD_FRESH]++;
			b = blk_new(i);
			active = 0;
		}
		if (old >= 0) {
			M.ev[EV_VIEW_LOST] += nb_borrowers(old, i);
			blk_put(old, i, oref);
		}
		word_set(i, b, blk_ref_of(b, i), active);
	}
	o->flag = 1;
	*pb = b;
	if ((active & bit) && (M.mb[b].room & bit)) {
		word_set(i, b, o->wref, active);
		*pat = M.mb[b].content[id];
		return ADD_EXIST;
	}
	blk_place(b, id);
	word_set(i, b, o->wref, active | bit);
	*pat = 0;
	return ADD_ZERO;
}

/*
 * Give mbuf i a reference of its own to block b (ref_take), which mbuf
 * src shows with active mask active: a slot in b if src owns it, a copy
 * when b's slots were all taken in this lifetime or when src only borrows
 * b (a plain clone's view never becomes a slot).
 */
static void
model_ref_take(int i, int src, int b, uint8_t active)
{
	struct mobj *o = &M.mo[i];
	int old = model_owns(i) ? o->wblk : -1, src_owns = model_owns(src);
	uint32_t oref = o->wref, ref = 0;

	o->flag = 1;
	if (old == b && src_owns) {
		M.ev[EV_TAKE_SAME]++;
		word_set(i, b, oref, active);
		return;
	}
	if (o->wblk == b)
		M.ev[EV_TAKE_SAME_LIFE]++;
	if (src_owns)
		ref = blk_take(b, i);
	else
		M.ev[EV_TAKE_BORROWED]++;
	if (ref == 0) {
		b = blk_copy(b, i);
		ref = blk_ref_of(b, i);
	} else {
		M.ev[EV_TAKE_SLOT]++;
	}
	if (old >= 0)
		blk_put(old, i, oref);
	word_set(i, b, ref, active);
}

/* rte_mbuf_extension_share(): the expected return value. */
static int
model_share(int dst, int src)
{
	int v;

	if (dst == src)
		return 0;
	if (model_owns(dst) && M.mo[dst].refcnt != 1) {
		M.ev[EV_SHARE_EBUSY]++;
		return -EBUSY;
	}
	v = model_view(src);
	if (v < 0) {
		M.ev[EV_SHARE_NONE]++;
		model_reset(dst);
		return 0;
	}
	if (M.mo[dst].pool == POOL_P) {
		M.ev[EV_SHARE_ENOTSUP]++;
		M.exp_refused++;
		return -ENOTSUP;
	}
	model_ref_take(dst, src, v, M.mo[src].wactive);
	return 0;
}

/*
 * After a library clone, copy or attach: mc gets a reference of its own
 * to what src shows. Returns -ENOTSUP if mc's pool may not hold one (mc
 * is left without extension), else 0.
 */
static int
model_adopt(int mc, int src)
{
	int v = model_view(src);

	M.mo[mc].flag = 0;
	word_set(mc, -1, 0, 0);
	if (v < 0)
		return 0;
	if (M.mo[mc].pool == POOL_P) {
		M.exp_refused++;
		return -ENOTSUP;
	}
	model_ref_take(mc, src, v, M.mo[src].wactive);
	return 0;
}

static void
ext_put(int e)
{
	unsigned int k;

	if (--M.ext[e].ref != 0)
		return;
	for (k = 0; k < RTE_DIM(M.ext_check); k++) {
		if (M.ext_check[k] < 0) {
			M.ext_check[k] = (int16_t)e;
			return;
		}
	}
}

/* An mbuf goes back to its pool. */
static int
mo_pool_put(int lc, int i)
{
	struct mobj *o = &M.mo[i];

	if (o->pool == POOL_H) {
		if (model_release(i))
			hist(i, lc, R_REL, 0);
	}
	CHECK(o->pool != POOL_O || !model_owns(i), lc, i,
		"test error: opted-in mbuf owning a block freed plainly");
	/* What an mbuf in a pool carries is never seen (see mo_alloc). */
	word_set(i, -1, 0, 0);
	o->flag = 0;
	o->in_use = 0;
	o->refcnt = 0;
	o->holder = HOLD_NONE;
	o->next = o->direct = o->ext = -1;
	M.pool_used[o->pool]--;
	hist(i, lc, R_POOL, 0);
	return 0;
}

/*
 * One segment freed by rte_pktmbuf_free_seg() (lib == 0) or by the
 * library free (lib == 1).
 */
static int
model_free_seg(int lc, int i, int lib)
{
	struct mobj *o = &M.mo[i];
	int d;

	hist(i, lc, R_FREE, lib);
	if (o->refcnt > 1) {
		/* A direct mbuf pinned by clones: it stays. */
		o->refcnt--;
		o->holder = HOLD_NONE;
		o->next = -1;
		hist(i, lc, R_ZOMBIE, o->refcnt);
		return 0;
	}
	if (lib && model_release(i))
		hist(i, lc, R_REL, 0);
	if (o->direct >= 0) {
		d = o->direct;
		o->direct = -1;
		o->flag = 0;
		if (--M.mo[d].refcnt == 0) {
			if (lib && model_release(d)) {
				hist(d, lc, R_REL, 1);
				M.ev[EV_UNPIN_RELEASE]++;
			}
			if (mo_pool_put(lc, d) < 0)
				return -1;
		}
	} else if (o->ext >= 0) {
		ext_put(o->ext);
		o->ext = -1;
		o->flag = 0;
	}
	return mo_pool_put(lc, i);
}

static int
model_free_pkt(int lc, int head, int lib)
{
	int i, next;

	for (i = head; i >= 0; i = next) {
		next = M.mo[i].next;
		if (model_free_seg(lc, i, lib) < 0)
			return -1;
	}
	return 0;
}

/* An mbuf returned by an allocation. */
static int
mo_alloc(int lc, struct rte_mbuf *m, int pool)
{
	int i = m == NULL ? -1 : mo_find(m);
	struct mobj *o;

	CHECK(m != NULL, lc, -1, "allocation from pool %s failed (%s)",
		pool_names[pool], rte_strerror(rte_errno));
	CHECK(i >= 0, lc, -1, "allocation returned %p, not an mbuf",
		(void *)m);
	o = &M.mo[i];
	CHECK(!o->in_use, lc, i, "allocation returned an mbuf in use");
	CHECK(o->pool == pool, lc, i, "mbuf from pool %s, not %s",
		pool_names[o->pool], pool_names[pool]);
	if (o->had_ref)
		M.aba_mbuf++;
	o->in_use = 1;
	o->life++;
	o->refcnt = 1;
	/*
	 * rte_pktmbuf_alloc() clears ol_flags: whatever the reference
	 * field still holds (a plain pool keeps it) can never be seen, and
	 * behaves as no reference (add, share, reset, release: same
	 * outcome).
	 */
	o->flag = 0;
	o->direct = o->ext = o->next = -1;
	o->holder = (uint8_t)lc;
	word_set(i, -1, 0, 0);
	M.pool_used[pool]++;
	hist(i, lc, R_ALLOC, pool);
	involve(lc, i);
	return i;
}

/* mbuf i becomes an attached copy of segment s (rte_pktmbuf_attach()). */
static void
model_attach(int i, int s)
{
	struct mobj *o = &M.mo[i], *so = &M.mo[s];
	int d;

	word_set(i, so->wblk, so->wref, so->wactive);
	o->flag = so->flag;
	if (so->ext >= 0) {
		/* No INDIRECT, no pin: shares the external buffer. */
		o->ext = so->ext;
		M.ext[so->ext].ref++;
	} else {
		d = so->direct >= 0 ? so->direct : s;
		o->direct = (int16_t)d;
		M.mo[d].refcnt++;
	}
}

/* Checks */

static int
check_mo(int lc, int i, int ro)
{
	struct mobj *o = &M.mo[i];
	struct rte_mbuf *m = o->m;
	unsigned int t;
	uint8_t exp_mask, got;
	int v = model_view(i);

	M.checks++;
	if (!ro)
		M.ev[v >= 0 ? (model_owns(i) ? EV_SEE_OWNED :
			EV_SEE_BORROWED) : model_owns(i) ? EV_HIDDEN_OWNED :
			o->wblk >= 0 ? EV_STALE : EV_NONE]++;
	/* A direct mbuf of the plain pool never sees an extension. */
	CHECK(!(o->pool == POOL_P && o->direct < 0 && v >= 0), lc, i,
		"model: a direct mbuf of pool P sees an extension");
	exp_mask = v >= 0 ? o->wactive : 0;
	got = rte_mbuf_extension_active_mask(m);
	CHECK(got == exp_mask, lc, i, "active_mask 0x%02x, model 0x%02x",
		got, exp_mask);
	for (t = 0; t < NB_TYPES; t++) {
		int id = tid[t];
		uint8_t bit = 1u << id;
		int exp = v >= 0 && (o->wactive & bit) &&
			(M.mb[v].room & bit);
		uint8_t *p = rte_mbuf_extension_find(m, id);
		long off;

		CHECK((p != NULL) == exp, lc, i, "find(t%d) %p, model: %s",
			id, (void *)p, exp ? "present" : "absent");
		CHECK(rte_mbuf_extension_exists(m, id) == exp, lc, i,
			"exists(t%d) != %d", id, exp);
		if (p == NULL)
			continue;
		if (M.mb[v].ptr[id] != NULL)
			CHECK(p == M.mb[v].ptr[id], lc, i,
				"find(t%d) %p, block B%u has it at %p", id,
				(void *)p, M.mb[v].serial, M.mb[v].ptr[id]);
		else if (!ro)
			M.mb[v].ptr[id] = p;
		off = pat_diff(p, tsize[id], M.mb[v].content[id]);
		CHECK(off < 0, lc, i,
			"t%d data wrong at byte %ld: 0x%02x, model pattern %x"
			" (0: zero) of B%u", id, off, p[off],
			M.mb[v].content[id], M.mb[v].serial);
	}
	return 0;
}

/* Check the mbufs queued for lcore lc. */
static int
check_dirty(int lc)
{
	struct lcs *l = &M.lc[lc];
	int i;

	while (l->nd > 0) {
		i = l->dirty[--l->nd];
		M.mo[i].dirty &= ~(1u << lc);
		if (!M.mo[i].in_use || M.mo[i].holder == HOLD_NONE)
			continue;
		if (M.mo[i].holder != lc) {
			/* Moved: its new holder checks it. */
			mark_dirty(i);
			continue;
		}
		if (check_mo(lc, i, 0) < 0)
			return -1;
	}
	return 0;
}

static int
check_pkt(int lc, int head)
{
	int i;

	for (i = head; i >= 0; i = M.mo[i].next)
		if (check_mo(lc, i, 0) < 0)
			return -1;
	return 0;
}

/* Counts, exact while the other lcore is idle. */
static int
check_counts(int lc, int full)
{
	struct rte_mbuf_extension_stats st;
	unsigned int n = rte_mbuf_extension_pool_in_use(), p, e;

	CHECK(n == M.live_blocks, lc, -1,
		"%u blocks in use, model %u", n, M.live_blocks);
	for (e = 0; e < RTE_DIM(M.ext_check); e++) {
		int x = M.ext_check[e];

		if (x < 0)
			continue;
		M.ext_check[e] = -1;
		CHECK(__atomic_load_n(&M.ext[x].freed, __ATOMIC_ACQUIRE),
			lc, -1, "external buffer %d not freed", x);
	}
	if (!full)
		return 0;
	for (p = 0; p < NB_POOLS; p++) {
		n = rte_mempool_in_use_count(pools[p]);
		CHECK(n == M.pool_used[p], lc, -1,
			"pool %s: %u mbufs in use, model %u", pool_names[p],
			n, M.pool_used[p]);
	}
	for (e = 0; e < NB_EXT; e++) {
		CHECK(M.ext[e].freed == (M.ext[e].ref == 0), lc, -1,
			"external buffer %u: freed %u, model refcnt %d", e,
			M.ext[e].freed, M.ext[e].ref);
		CHECK(!M.ext[e].double_free, lc, -1,
			"external buffer %u freed twice", e);
	}
	CHECK(rte_mbuf_extension_stats_get(&st) == 0, lc, -1, "stats");
	CHECK(st.in_use == M.live_blocks, lc, -1, "stats.in_use %" PRIu64,
		st.in_use);
	CHECK(st.share == M.exp_share, lc, -1,
		"stats.share %" PRIu64 ", model %" PRIu64, st.share,
		M.exp_share);
	CHECK(st.cow == M.exp_cow, lc, -1,
		"stats.cow %" PRIu64 ", model %" PRIu64, st.cow, M.exp_cow);
	CHECK(st.refused == M.exp_refused, lc, -1,
		"stats.refused %" PRIu64 ", model %" PRIu64, st.refused,
		M.exp_refused);
	CHECK(st.alloc_fail == 0, lc, -1, "stats.alloc_fail %" PRIu64,
		st.alloc_fail);
	return 0;
}

/* Record the data address of type id in block b; counts block reuse. */
static int
ptr_record(int lc, int i, int b, int id, void *p)
{
	unsigned int h = (unsigned int)(((uintptr_t)p >> 3) * 0x9e3779b1u) %
		PTR_HASH;
	struct ptrent *e;

	if (M.mb[b].ptr[id] != NULL) {
		CHECK(p == M.mb[b].ptr[id], lc, i,
			"add(t%d) returned %p, block B%u has it at %p", id,
			p, M.mb[b].serial, M.mb[b].ptr[id]);
		return 0;
	}
	M.mb[b].ptr[id] = p;
	for (;;) {
		e = &M.ptrs[h];
		if (e->p == NULL || e->p == p)
			break;
		h = (h + 1) % PTR_HASH;
	}
	if (e->p == p) {
		struct mblk *k = &M.mb[e->mb];

		CHECK(!(k->alive && k->serial == e->serial && e->mb != b),
			lc, i, "t%d data %p of B%u is in live block B%u too",
			id, p, M.mb[b].serial, k->serial);
		M.aba_blk++;
	}
	e->p = p;
	e->mb = (int16_t)b;
	e->serial = M.mb[b].serial;
	return 0;
}

/* Handles */

static void
handle_add(int lc, int i)
{
	struct lcs *l = &M.lc[lc];

	l->h[l->nh++] = (int16_t)i;
}

static void
handle_del(int lc, unsigned int k)
{
	struct lcs *l = &M.lc[lc];

	l->h[k] = l->h[--l->nh];
}

static unsigned int
nb_segs(int head)
{
	unsigned int n = 0;
	int i;

	for (i = head; i >= 0; i = M.mo[i].next)
		n++;
	return n;
}

static int
seg_at(int head, unsigned int k)
{
	while (k-- > 0)
		head = M.mo[head].next;
	return head;
}

static int
room_for(int pool, unsigned int n)
{
	return M.pool_used[pool] + n <= POOL_CAP;
}

/* Whether lcore l may not take a new packet of n mbufs from pool p. */
static int
no_room(const struct lcs *l, int p, unsigned int n)
{
	return l->nh + l->nin >= MAX_HANDLES || !room_for(p, n);
}

static int
pick_pool(void)
{
	uint32_t r = rnd(20);

	return r < 9 ? POOL_H : r < 16 ? POOL_O : POOL_P;
}

/*
 * A packet may go through a plain free: it returns no O owner, and holds
 * no clone of an O mbuf (the opt-in promise covers every clone of the
 * pool's mbufs: a clone's free may be the one that returns the direct).
 */
static int
plain_ok(int head)
{
	int i, d;

	for (i = head; i >= 0; i = M.mo[i].next) {
		if (M.mo[i].pool == POOL_O && model_owns(i))
			return 0;
		d = M.mo[i].direct;
		if (d >= 0 && M.mo[d].pool == POOL_O)
			return 0;
	}
	return 1;
}

/* A packet may go back by a raw put. */
static int
raw_ok(int head, int release)
{
	const struct mobj *o = &M.mo[head];

	return o->next < 0 && o->direct < 0 && o->ext < 0 &&
		o->refcnt == 1 &&
		(release || o->pool != POOL_O || !model_owns(head));
}

static int
path_ok(int head, int path)
{
	switch (path) {
	case FREE_PLAIN:
	case FREE_PLAIN_BULK:
		return plain_ok(head);
	case FREE_RAW:
		return raw_ok(head, 0);
	case FREE_REL_RAW:
		return raw_ok(head, 1);
	default:
		return 1;
	}
}

static int
pick_free_path(void)
{
	unsigned int total = 0, p;
	uint32_t r;

	for (p = 0; p < FREE_MAX; p++)
		total += free_weight[p];
	r = rnd(total);
	for (p = 0; r >= free_weight[p]; p++)
		r -= free_weight[p];
	return (int)p;
}

/* External buffers */

static void
ext_free_cb(void *addr, void *opaque)
{
	struct extbuf *e = opaque;

	RTE_SET_USED(addr);
	if (__atomic_exchange_n(&e->freed, 1, __ATOMIC_ACQ_REL) != 0)
		e->double_free = 1;
}

static int
ext_setup(void)
{
	unsigned int e;
	uint16_t len;

	for (e = 0; e < NB_EXT; e++) {
		struct extbuf *x = &M.ext[e];

		x->buf = rte_malloc("model_ext", EXT_LEN, RTE_CACHE_LINE_SIZE);
		if (x->buf == NULL)
			return -1;
		x->iova = rte_malloc_virt2iova(x->buf);
		len = EXT_LEN;
		x->shinfo = rte_pktmbuf_ext_shinfo_init_helper(x->buf, &len,
			ext_free_cb, x);
		if (x->shinfo == NULL)
			return -1;
		x->len = len;
		x->freed = 1;
	}
	return 0;
}

/* Operations. Each returns 0, or -1 after a failure report. */

static int op_free(int lc);

/* Append 1 to SEG_DATA bytes: rte_pktmbuf_copy() needs pkt_len > 0. */
static void
put_data(struct rte_mbuf *m)
{
	uint16_t n = (uint16_t)(1 + rnd(SEG_DATA));
	char *p = rte_pktmbuf_append(m, n);

	if (p != NULL)
		memset(p, (int)n, n);
}

static int
op_alloc(int lc)
{
	struct lcs *l = &M.lc[lc];
	int p = pick_pool(), i;
	struct rte_mbuf *m;

	if (no_room(l, p, 1))
		return op_free(lc);
	log_op(lc, OP_ALLOC, -1, -1, p);
	m = rte_pktmbuf_alloc(pools[p]);
	i = mo_alloc(lc, m, p);
	if (i < 0)
		return -1;
	put_data(m);
	handle_add(lc, i);
	mark_dirty(i);
	return 0;
}

static int
op_add(int lc)
{
	struct lcs *l = &M.lc[lc];
	int i = l->h[rnd(l->nh)], t = rnd(NB_TYPES), id = tid[t], kind, b;
	struct rte_mbuf *m = M.mo[i].m;
	uint32_t pat = 0, v;
	uint8_t *p;
	long off;

	b = -1;
	log_op(lc, OP_ADD, i, -1, id);
	hist(i, lc, R_SUBJ, id);
	involve(lc, i);
	kind = model_add(i, id, &b, &pat);
	M.add_kind[kind]++;
	rte_errno = 0;
	p = rte_mbuf_extension_add(m, id);
	mark_dirty(i);
	if (kind == ADD_ENOTSUP) {
		CHECK(p == NULL && rte_errno == ENOTSUP, lc, i,
			"add(t%d) to pool P gave %p, rte_errno %d", id,
			(void *)p, rte_errno);
		return 0;
	}
	CHECK(p != NULL, lc, i, "add(t%d) failed: %s", id,
		rte_strerror(rte_errno));
	if (ptr_record(lc, i, b, id, p) < 0)
		return -1;
	off = pat_diff(p, tsize[id], pat);
	CHECK(off < 0, lc, i,
		"add(t%d) %s data wrong at byte %ld (0x%02x), model %x of B%u"
		" (0: zero)",
		id, kind == ADD_ZERO ? "new" : "existing", off, p[off], pat,
		M.mb[b].serial);
	v = ++M.pattern;
	pat_fill(p, tsize[id], v);
	M.mb[b].content[id] = v;
	blk_changed(b);
	return 0;
}

static int
bad_args(int lc, int i)
{
	struct rte_mbuf *m = M.mo[i].m;

	rte_errno = 0;
	CHECK(rte_mbuf_extension_find(m, -1) == NULL && rte_errno == EINVAL,
		lc, i, "find(-1)");
	rte_errno = 0;
	CHECK(rte_mbuf_extension_find(m, RTE_MBUF_EXTENSION_MAX) == NULL &&
		rte_errno == EINVAL, lc, i, "find(MAX)");
	rte_errno = 0;
	CHECK(rte_mbuf_extension_add(m, RTE_MBUF_EXTENSION_MAX - 1) ==
		NULL && rte_errno == EINVAL, lc, i, "add(unregistered)");
	CHECK(rte_mbuf_extension_share(NULL, m) == -EINVAL, lc, i,
		"share(NULL)");
	CHECK(rte_mbuf_extension_active_mask(NULL) == 0, lc, i, "mask");
	rte_mbuf_extension_del(NULL, 0);
	rte_mbuf_extension_del(m, -1);
	rte_mbuf_extension_del(m, RTE_MBUF_EXTENSION_MAX);
	rte_mbuf_extension_reset(NULL);
	rte_mbuf_extension_pktmbuf_free(NULL);
	return check_mo(lc, i, 0);
}

static int
op_check(int lc)
{
	struct lcs *l = &M.lc[lc];
	int i = l->h[rnd(l->nh)];

	log_op(lc, OP_CHECK, i, -1, 0);
	involve(lc, i);
	if (rnd(16) == 0 && bad_args(lc, i) < 0)
		return -1;
	return check_pkt(lc, i);
}

static int
op_check_all(int lc)
{
	struct lcs *l = &M.lc[lc];
	unsigned int k;

	log_op(lc, OP_CHECK_ALL, -1, -1, l->nh);
	for (k = 0; k < l->nh; k++)
		if (check_pkt(lc, l->h[k]) < 0)
			return -1;
	return 0;
}

static int
op_del(int lc)
{
	struct lcs *l = &M.lc[lc];
	int i = l->h[rnd(l->nh)], id = tid[rnd(NB_TYPES)];

	log_op(lc, OP_DEL, i, -1, id);
	hist(i, lc, R_SUBJ, id);
	involve(lc, i);
	model_del(i, id);
	rte_mbuf_extension_del(M.mo[i].m, id);
	mark_dirty(i);
	return 0;
}

static int
op_reset(int lc)
{
	struct lcs *l = &M.lc[lc];
	int i = l->h[rnd(l->nh)];

	log_op(lc, OP_RESET, i, -1, 0);
	hist(i, lc, R_SUBJ, 0);
	involve(lc, i);
	model_reset(i);
	rte_mbuf_extension_reset(M.mo[i].m);
	return 0;
}

static int
op_share(int lc)
{
	struct lcs *l = &M.lc[lc];
	int dst = l->h[rnd(l->nh)], src = l->h[rnd(l->nh)], exp, rc;
	unsigned int a, b;

	if (rnd(2) == 0) {
		/*
		 * Guided: a dst whose word names the block lifetime src
		 * sees without owning it (a bit copy of that block's
		 * reference): dst then takes a reference in the lifetime
		 * its stale word, and its clones' words, name.
		 */
		for (a = 0; a < l->nh; a++) {
			int d = l->h[(a + dst) % l->nh];

			if (M.mo[d].wblk < 0 || model_owns(d))
				continue;
			for (b = 0; b < l->nh; b++) {
				int sv = l->h[b];

				if (sv != d &&
				    model_view(sv) == M.mo[d].wblk)
					break;
			}
			if (b < l->nh) {
				dst = d;
				src = l->h[b];
				M.ev[EV_SHARE_GUIDED]++;
				break;
			}
		}
	}
	log_op(lc, OP_SHARE, dst, src, 0);
	hist(dst, lc, R_DST, 0);
	hist(src, lc, R_SRC, 0);
	involve(lc, dst);
	involve(lc, src);
	exp = model_share(dst, src);
	rte_errno = 0;
	rc = rte_mbuf_extension_share(M.mo[dst].m, M.mo[src].m);
	mark_dirty(dst);
	mark_dirty(src);
	if (exp < 0)
		M.share_fail++;
	CHECK(rc == exp, lc, dst, "share() %d, model %d", rc, exp);
	CHECK(rc == 0 || rte_errno == -rc, lc, dst, "rte_errno %d",
		rte_errno);
	return 0;
}

/* Log op of lcore lc on source segment s (b, arg: as log_op()). */
static void
op_src(int lc, int op, int s, int b, int arg, int p)
{
	log_op(lc, op, s, b, arg);
	hist(s, lc, R_SRC, p);
	involve(lc, s);
}

/*
 * Check what a clone or copy (what) of packet src into pool p gave, mc:
 * NULL with ENOTSUP if exp_fail, else a packet of n segments. 1 if it was
 * refused as expected, 0 if mc is to be taken in, -1 on a failure.
 */
static int
check_dup(int lc, int src, int p, struct rte_mbuf *mc, unsigned int n,
	int exp_fail, const char *what)
{
	if (exp_fail) {
		M.exp_refused++;
		M.ev[EV_CLONE_ENOTSUP]++;
		CHECK(mc == NULL && rte_errno == ENOTSUP, lc, src,
			"library %s into P gave %p, rte_errno %d", what,
			(void *)mc, rte_errno);
		return check_pkt(lc, src) < 0 ? -1 : 1;
	}
	CHECK(mc != NULL && mc->nb_segs == n, lc, src,
		"%s into pool %s: %p, %u segments, rte_errno %d", what,
		pool_names[p], (void *)mc, mc != NULL ? mc->nb_segs : 0,
		rte_errno);
	return 0;
}

/* Plain or library clone (lib), into a random pool. */
static int
do_clone(int lc, int lib)
{
	struct lcs *l = &M.lc[lc];
	int src = l->h[rnd(l->nh)], p = pick_pool(), s, i, prev = -1, rc;
	unsigned int n = nb_segs(src);
	int exp_fail = lib && p == POOL_P && model_view(src) >= 0;
	struct rte_mbuf *mc, *mi;

	if (no_room(l, p, n))
		return op_free(lc);
	op_src(lc, lib ? OP_LIB_CLONE : OP_CLONE, src, -1, p, p);
	rte_errno = 0;
	if (lib)
		mc = rte_mbuf_extension_pktmbuf_clone(M.mo[src].m, pools[p]);
	else
		mc = rte_pktmbuf_clone(M.mo[src].m, pools[p]);
	rc = check_dup(lc, src, p, mc, n, exp_fail, "clone");
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	for (s = src, mi = mc; s >= 0; s = M.mo[s].next, mi = mi->next) {
		i = mo_alloc(lc, mi, p);
		if (i < 0)
			return -1;
		model_attach(i, s);
		hist(i, lc, prev < 0 ? R_NEW : R_SEG, 0);
		if (prev >= 0)
			M.mo[prev].next = (int16_t)i;
		else
			handle_add(lc, i);
		prev = i;
	}
	i = l->h[l->nh - 1];
	if (lib)
		model_adopt(i, src);
	mark_dirty(src);
	return 0;
}

/* Plain or library copy (lib), into a random pool. */
static int
do_copy(int lc, int lib)
{
	struct lcs *l = &M.lc[lc];
	int src = l->h[rnd(l->nh)], p = pick_pool(), i, rc;
	int exp_fail = lib && p == POOL_P && model_view(src) >= 0;
	struct rte_mbuf *mc;

	if (no_room(l, p, 1))
		return op_free(lc);
	op_src(lc, lib ? OP_LIB_COPY : OP_COPY, src, -1, p, p);
	rte_errno = 0;
	if (lib)
		mc = rte_mbuf_extension_pktmbuf_copy(M.mo[src].m, pools[p],
			0, UINT32_MAX);
	else
		mc = rte_pktmbuf_copy(M.mo[src].m, pools[p], 0, UINT32_MAX);
	rc = check_dup(lc, src, p, mc, 1, exp_fail, "copy");
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	i = mo_alloc(lc, mc, p);
	if (i < 0)
		return -1;
	hist(i, lc, R_NEW, 0);
	word_set(i, M.mo[src].wblk, M.mo[src].wref, M.mo[src].wactive);
	M.mo[i].flag = M.mo[src].flag;
	if (lib)
		model_adopt(i, src);
	handle_add(lc, i);
	return 0;
}

/*
 * A held packet that may be attached (rte_pktmbuf_attach()'s conditions:
 * direct, refcnt 1; and one segment, not s itself); with no_ref, also
 * holding no reference (plain attach's precondition). Handle index or -1.
 */
static int
pick_attachable(int lc, int s, int no_ref)
{
	struct lcs *l = &M.lc[lc];
	unsigned int k = rnd(l->nh), a;

	for (a = 0; a < l->nh; a++) {
		int i = l->h[(k + a) % l->nh];
		const struct mobj *o = &M.mo[i];

		if (i != s && o->direct < 0 && o->ext < 0 && o->next < 0 &&
				o->refcnt == 1 && (!no_ref || !model_owns(i)))
			return (int)((k + a) % l->nh);
	}
	return -1;
}

/*
 * The mbuf an attach op of lcore lc attaches: its handle k or, if k < 0,
 * a new one from pool p (history argument arg). Model index or -1; *mi
 * the mbuf.
 */
static int
attach_dst(int lc, int k, int p, int arg, struct rte_mbuf **mi)
{
	int i;

	if (k < 0) {
		*mi = rte_pktmbuf_alloc(pools[p]);
		i = mo_alloc(lc, *mi, p);
		if (i < 0)
			return -1;
		hist(i, lc, R_NEW, 0);
		handle_add(lc, i);
	} else {
		i = M.lc[lc].h[k];
		*mi = M.mo[i].m;
		hist(i, lc, R_DST, arg);
		involve(lc, i);
	}
	return i;
}

/* Plain rte_pktmbuf_attach() of a new or held mbuf holding no reference. */
static int
op_attach(int lc)
{
	struct lcs *l = &M.lc[lc];
	int h = l->h[rnd(l->nh)], p = pick_pool(), s, i, k = -1;
	struct rte_mbuf *mi;

	s = seg_at(h, rnd(nb_segs(h)));
	if (rnd(2) == 0)
		k = pick_attachable(lc, s, 1);
	if (k < 0 && no_room(l, p, 1))
		return op_free(lc);
	op_src(lc, OP_ATTACH, s, k < 0 ? -1 : l->h[k], p, p);
	i = attach_dst(lc, k, p, 0, &mi);
	if (i < 0)
		return -1;
	if (k >= 0)
		M.ev[EV_ATTACH_EXISTING]++;
	/* The precondition: mi holds no reference. */
	CHECK(!model_owns(i), lc, i, "test error: plain attach onto an owner");
	rte_pktmbuf_attach(mi, M.mo[s].m);
	model_attach(i, s);
	mark_dirty(i);
	mark_dirty(s);
	return 0;
}

/*
 * rte_mbuf_extension_pktmbuf_attach(mi, s): a new mbuf, a held one
 * (possibly owning extensions, which are dropped), or one the call must
 * refuse with EINVAL (not direct, pinned, or s itself).
 */
static int
op_lib_attach(int lc)
{
	struct lcs *l = &M.lc[lc];
	int h = l->h[rnd(l->nh)], p = pick_pool(), s, i, k = -1, bad = 0;
	int exp, rc;
	uint32_t r = rnd(8);
	struct rte_mbuf *mi;

	s = seg_at(h, rnd(nb_segs(h)));
	if (r < 3) {
		k = pick_attachable(lc, s, 0);
	} else if (r == 3) {
		/* Something refused: an attached, extbuf or pinned mbuf. */
		k = (int)rnd(l->nh);
		i = l->h[k];
		if (i != s && M.mo[i].direct < 0 && M.mo[i].ext < 0 &&
				M.mo[i].refcnt == 1)
			k = -1;
		else
			bad = 1;
	}
	if (k < 0 && no_room(l, p, 1))
		return op_free(lc);
	op_src(lc, OP_LIB_ATTACH, s, k < 0 ? -1 : l->h[k], bad, p);
	i = attach_dst(lc, k, p, bad, &mi);
	if (i < 0)
		return -1;
	rte_errno = 0;
	rc = rte_mbuf_extension_pktmbuf_attach(mi, M.mo[s].m);
	mark_dirty(i);
	mark_dirty(s);
	if (bad) {
		M.ev[EV_LATTACH_EINVAL]++;
		CHECK(rc == -EINVAL && rte_errno == EINVAL, lc, i,
			"lib attach of a non-direct/pinned mbuf: %d, rte_errno"
			" %d", rc, rte_errno);
		return 0;
	}
	M.ev[EV_LATTACH]++;
	if (model_owns(i))
		M.ev[EV_LATTACH_OWNER]++;
	/* reset(mi), plain attach, then a reference of its own. */
	model_reset(i);
	model_attach(i, s);
	exp = model_adopt(i, s);
	if (exp < 0)
		M.ev[EV_LATTACH_ENOTSUP]++;
	CHECK(rc == exp, lc, i, "lib attach %d, model %d (rte_errno %d)", rc,
		exp, rte_errno);
	CHECK(rc == 0 || rte_errno == -rc, lc, i, "rte_errno %d", rte_errno);
	return 0;
}

static int
op_extbuf(int lc)
{
	struct lcs *l = &M.lc[lc];
	int i = -1, p, e;
	unsigned int k;
	struct rte_mbuf *m;
	struct extbuf *x;

	if (rnd(4) == 0 && l->nh > 0) {
		/*
		 * rte_pktmbuf_detach_extbuf() of a one-segment packet: it
		 * clears ol_flags, which hides the extensions like any
		 * ol_flags write (the next add starts from empty).
		 */
		k = rnd(l->nh);
		i = l->h[k];
		if (M.mo[i].ext >= 0 && M.mo[i].next < 0 &&
				M.mo[i].refcnt == 1) {
			e = M.mo[i].ext;
			log_op(lc, OP_EXTBUF, i, -1, EXT_DETACH);
			hist(i, lc, R_SUBJ, EXT_DETACH);
			involve(lc, i);
			m = M.mo[i].m;
			rte_pktmbuf_detach_extbuf(m);
			m->pkt_len = 0;
			put_data(m);
			M.mo[i].ext = -1;
			M.mo[i].flag = 0;
			ext_put(e);
			M.ev[EV_EXT_DETACH]++;
			mark_dirty(i);
			return 0;
		}
		i = -1;
	}
	for (e = 0; e < NB_EXT; e++)
		if (M.ext[e].ref == 0)
			break;
	if (e == NB_EXT)
		return op_free(lc);
	x = &M.ext[e];
	CHECK(__atomic_load_n(&x->freed, __ATOMIC_ACQUIRE), lc, -1,
		"external buffer %d not freed", e);
	if (rnd(2) == 0) {
		/* A single-segment direct packet, extensions kept. */
		k = rnd(l->nh);
		i = l->h[k];
		if (!raw_ok(i, 1))
			i = -1;
	}
	if (i < 0) {
		p = pick_pool();
		if (no_room(l, p, 1))
			return op_free(lc);
		log_op(lc, OP_EXTBUF, -1, -1, e);
		i = mo_alloc(lc, rte_pktmbuf_alloc(pools[p]), p);
		if (i < 0)
			return -1;
		handle_add(lc, i);
	} else {
		log_op(lc, OP_EXTBUF, i, -1, e);
	}
	hist(i, lc, R_SUBJ, e);
	involve(lc, i);
	m = M.mo[i].m;
	x->freed = 0;
	rte_mbuf_ext_refcnt_set(x->shinfo, 1);
	rte_pktmbuf_attach_extbuf(m, x->buf, x->iova, x->len, x->shinfo);
	m->pkt_len = 0;
	put_data(m);
	M.mo[i].ext = (int16_t)e;
	x->ref = 1;
	mark_dirty(i);
	return 0;
}

static int
do_chain(int lc, int lib)
{
	struct lcs *l = &M.lc[lc];
	unsigned int kh, kt;
	int head, tail, last, rc;

	if (l->nh < 2)
		return 0;
	kh = rnd(l->nh);
	kt = rnd(l->nh - 1);
	if (kt >= kh)
		kt++;
	head = l->h[kh];
	tail = l->h[kt];
	/* A copy of the packet must fit in one segment. */
	if (nb_segs(head) + nb_segs(tail) > MAX_SEGS ||
			M.mo[head].m->pkt_len + M.mo[tail].m->pkt_len >
			DATA_ROOM - RTE_PKTMBUF_HEADROOM) {
		M.skipped++;
		return 0;
	}
	log_op(lc, lib ? OP_LIB_CHAIN : OP_CHAIN, head, tail, 0);
	hist(head, lc, R_SUBJ, 0);
	hist(tail, lc, R_TAIL, 0);
	involve(lc, head);
	involve(lc, tail);
	if (lib) {
		model_reset(tail);
		rc = rte_mbuf_extension_pktmbuf_chain(M.mo[head].m,
			M.mo[tail].m);
	} else {
		rc = rte_pktmbuf_chain(M.mo[head].m, M.mo[tail].m);
	}
	CHECK(rc == 0, lc, head, "chain: %d", rc);
	for (last = head; M.mo[last].next >= 0; last = M.mo[last].next)
		;
	M.mo[last].next = (int16_t)tail;
	handle_del(lc, kt);
	mark_dirty(tail);
	return 0;
}

static int
op_olflags(int lc)
{
	struct lcs *l = &M.lc[lc];
	int h = l->h[rnd(l->nh)], s = seg_at(h, rnd(nb_segs(h)));
	struct rte_mbuf *m = M.mo[s].m;

	log_op(lc, OP_OLFLAGS, s, -1, 0);
	hist(s, lc, R_SUBJ, 0);
	involve(lc, s);
	/* As an RX PMD or an application does; an attached mbuf stays so. */
	m->ol_flags &= RTE_MBUF_F_INDIRECT | RTE_MBUF_F_EXTERNAL;
	M.mo[s].flag = 0;
	mark_dirty(s);
	return 0;
}

/* ol_flags overwritten earlier, shown again. */
static int
op_restore(int lc)
{
	struct lcs *l = &M.lc[lc];
	int h = l->h[rnd(l->nh)], s = seg_at(h, rnd(nb_segs(h)));
	int r, want;

	log_op(lc, OP_RESTORE, s, -1, 0);
	hist(s, lc, R_SUBJ, 0);
	involve(lc, s);
	want = model_restore(s);
	r = rte_mbuf_extension_restore(M.mo[s].m);
	CHECK(r == want, lc, s, "restore %d, model %d", r, want);
	mark_dirty(s);
	return 0;
}

static int
op_move(int lc)
{
	struct lcs *l = &M.lc[lc], *o = &M.lc[1 - lc];
	unsigned int k = rnd(l->nh), a, s;
	int h, i;

	if (rnd(2) == 0) {
		/*
		 * Guided: a packet owning a block another mbuf of this
		 * lcore owns too, so that the block gets owners on both.
		 */
		for (a = 0; a < l->nh; a++) {
			const struct mblk *b;

			i = l->h[(k + a) % l->nh];
			if (!model_owns(i))
				continue;
			b = &M.mb[M.mo[i].wblk];
			for (s = 0; s < RTE_MBUF_EXTENSION_MAX_OWNERS; s++)
				if (b->own_mo[s] >= 0 && b->own_mo[s] != i &&
				    M.mo[b->own_mo[s]].holder == lc)
					break;
			if (s < RTE_MBUF_EXTENSION_MAX_OWNERS) {
				k = (k + a) % l->nh;
				break;
			}
		}
	}
	h = l->h[k];
	if (o->nh + o->nin >= MAX_HANDLES) {
		M.skipped++;
		return 0;
	}
	log_op(lc, OP_MOVE, h, -1, 1 - lc);
	CHECK(rte_ring_sp_enqueue(ring_to[1 - lc], M.mo[h].m) == 0, lc, h,
		"ring full");
	o->fifo[o->ftail++ % RING_SIZE] = (int16_t)h;
	o->nin++;
	for (i = h; i >= 0; i = M.mo[i].next) {
		M.mo[i].holder = (uint8_t)(1 - lc);
		hist(i, lc, R_MOVE, 1 - lc);
	}
	handle_del(lc, k);
	return 0;
}

/* Packets the other lcore sent. */
static int
recv_pkts(int lc)
{
	struct lcs *l = &M.lc[lc];
	void *objs[RING_SIZE];
	unsigned int n, k;
	int h;

	n = rte_ring_sc_dequeue_burst(ring_to[lc], objs, RING_SIZE, NULL);
	if (n == 0 && l->nin == 0)
		return 0;
	log_op(lc, OP_RECV, -1, -1, n);
	CHECK(n == l->nin, lc, -1, "received %u packets, model %u", n,
		l->nin);
	for (k = 0; k < n; k++) {
		h = l->fifo[l->fhead++ % RING_SIZE];
		CHECK(objs[k] == M.mo[h].m, lc, h, "received %p", objs[k]);
		handle_add(lc, h);
	}
	l->nin = 0;
	return 0;
}

/* Pick up to n handles for one free path; the first is handle k. */
static unsigned int
pick_bulk(int lc, unsigned int k, int path, unsigned int n,
		unsigned int *ks)
{
	struct lcs *l = &M.lc[lc];
	unsigned int nb = 0, j, a, tries;

	ks[nb++] = k;
	for (tries = 0; nb < n && tries < 8; tries++) {
		a = rnd(l->nh);
		for (j = 0; j < nb; j++)
			if (ks[j] == a)
				break;
		if (j == nb && path_ok(l->h[a], path))
			ks[nb++] = a;
	}
	return nb;
}

/* Apply to the model lcore lc's free of packet i by a free path. */
static int
model_free_path(int lc, int i, int path)
{
	if (path == FREE_RAW || path == FREE_REL_RAW) {
		hist(i, lc, R_FREE, path);
		if (path == FREE_REL_RAW)
			model_release(i);
		return mo_pool_put(lc, i) < 0 ? -1 : 0;
	}
	return model_free_pkt(lc, i, path == FREE_LIB ||
		path == FREE_LIB_BULK) < 0 ? -1 : 0;
}

static int
op_free(int lc)
{
	struct lcs *l = &M.lc[lc];
	struct rte_mbuf *arr[8];	/* 4 packets, NULLs between */
	unsigned int ks[4], n = 1, k, j, na = 0;
	int path = pick_free_path(), h, exp, r;

	if (l->nh == 0)
		return 0;
	k = rnd(l->nh);
	h = l->h[k];
	if (!path_ok(h, path))
		path = rnd(2) ? FREE_LIB : FREE_LIB_BULK;
	if (path == FREE_PLAIN_BULK || path == FREE_LIB_BULK)
		n = pick_bulk(lc, k, path, 1 + rnd(4), ks);
	else
		ks[0] = k;
	M.fcount[path]++;
	log_op(lc, OP_FREE, h, n > 1 ? l->h[ks[1]] : -1, path);
	for (j = 0; j < n; j++) {
		int i = l->h[ks[j]];

		involve(lc, i);
		if (path == FREE_LIB_BULK && rnd(4) == 0)
			arr[na++] = NULL;
		arr[na++] = M.mo[i].m;
	}
	switch (path) {
	case FREE_PLAIN:
		rte_pktmbuf_free(arr[0]);
		break;
	case FREE_PLAIN_BULK:
		rte_pktmbuf_free_bulk(arr, na);
		break;
	case FREE_RAW:
		rte_mempool_put(arr[0]->pool, arr[0]);
		break;
	case FREE_REL_RAW:
		exp = model_owns(h);
		r = rte_mbuf_extension_release(arr[0]);
		CHECK(r == exp, lc, h, "release() %d, model %d", r, exp);
		rte_mbuf_raw_free(arr[0]);
		break;
	case FREE_LIB:
		rte_mbuf_extension_pktmbuf_free(arr[0]);
		break;
	default:
		rte_mbuf_extension_pktmbuf_free_bulk(arr, na);
		break;
	}
	/* The model, in the same order; then drop the handles. */
	for (j = 0; j < n; j++) {
		int i = l->h[ks[j]];

		if (model_free_path(lc, i, path) < 0)
			return -1;
	}
	/* Delete from the highest index so that the others stay put. */
	for (j = 0; j < n; j++) {
		unsigned int a, hi = 0;

		for (a = 1; a < n - j; a++)
			if (ks[a] > ks[hi])
				hi = a;
		handle_del(lc, ks[hi]);
		ks[hi] = ks[n - j - 1];
	}
	return 0;
}

static int
pick_op(const struct lcs *l)
{
	unsigned int o;
	uint32_t r;

	if (l->nh == 0)
		return OP_ALLOC;
	r = rnd(M.op_total);
	for (o = 0; r >= ops[o].weight; o++)
		r -= ops[o].weight;
	return (int)o;
}

/* What do_op() runs for an operation: fn(lc), or fn_lib(lc, lib). */
static const struct {
	int (*fn)(int lc);
	int (*fn_lib)(int lc, int lib);
	int lib;
} op_fns[OP_MAX] = {
	[OP_ALLOC] = { .fn = op_alloc },
	[OP_ADD] = { .fn = op_add },
	[OP_CHECK] = { .fn = op_check },
	[OP_CHECK_ALL] = { .fn = op_check_all },
	[OP_DEL] = { .fn = op_del },
	[OP_RESET] = { .fn = op_reset },
	[OP_SHARE] = { .fn = op_share },
	[OP_LIB_CLONE] = { .fn_lib = do_clone, .lib = 1 },
	[OP_LIB_COPY] = { .fn_lib = do_copy, .lib = 1 },
	[OP_CLONE] = { .fn_lib = do_clone, .lib = 0 },
	[OP_COPY] = { .fn_lib = do_copy, .lib = 0 },
	[OP_ATTACH] = { .fn = op_attach },
	[OP_LIB_ATTACH] = { .fn = op_lib_attach },
	[OP_EXTBUF] = { .fn = op_extbuf },
	[OP_LIB_CHAIN] = { .fn_lib = do_chain, .lib = 1 },
	[OP_CHAIN] = { .fn_lib = do_chain, .lib = 0 },
	[OP_FREE] = { .fn = op_free },
	[OP_OLFLAGS] = { .fn = op_olflags },
	[OP_RESTORE] = { .fn = op_restore },
	[OP_MOVE] = { .fn = op_move },
};

static int
do_op(int lc)
{
	struct lcs *l = &M.lc[lc];
	int op = pick_op(l), rc;

	l->ninv = 0;
	M.cur_lc = lc;
	M.count[op]++;
	if (op_fns[op].fn != NULL)
		rc = op_fns[op].fn(lc);
	else
		rc = op_fns[op].fn_lib(lc, op_fns[op].lib);
	if (rc < 0 || check_dirty(lc) < 0)
		return -1;
	return check_counts(lc, (M.opno & 7) == 0);
}

/* A turn of lcore lc: what it received, its queued checks, k ops. */
static int
run_turn(int lc, unsigned int k)
{
	M.lc[lc].ninv = 0;
	if (recv_pkts(lc) < 0 || check_dirty(lc) < 0)
		return -1;
	while (k-- > 0 && M.opno < M.nb_ops && !M.failed) {
		if (do_op(lc) < 0)
			return -1;
		M.opno++;
	}
	return 0;
}

/* Concurrent phase: both lcores free packets and check the others. */

static void
plan_phase(int all)
{
	unsigned int lc, k, b, s;

	/* Blocks with owners held on both lcores. */
	for (b = 0; b < NB_MB; b++) {
		struct mblk *x = &M.mb[b];

		x->phase_lcs = 0;
		if (!x->alive)
			continue;
		for (s = 0; s < RTE_MBUF_EXTENSION_MAX_OWNERS; s++)
			if (x->own_mo[s] >= 0 &&
			    M.mo[x->own_mo[s]].holder < NB_LC)
				x->phase_lcs |=
					1u << M.mo[x->own_mo[s]].holder;
	}
	for (lc = 0; lc < NB_LC; lc++) {
		struct lcs *l = &M.lc[lc];
		struct plan *p = &M.plan[lc];

		p->n = 0;
		p->nkeep = 0;
		p->nret = 0;
		for (k = 0; k < l->nh; k++) {
			int h = l->h[k], path, i, both = 0;

			/* Free both sides of blocks owned on both lcores. */
			for (i = h; i >= 0; i = M.mo[i].next)
				if (model_owns(i) &&
				    M.mb[M.mo[i].wblk].phase_lcs == 3)
					both = 1;
			if (all || rnd(both ? 8 : 2)) {
				path = pick_free_path();
				if (!path_ok(h, path))
					path = rnd(2) ? FREE_LIB :
						FREE_LIB_BULK;
				p->e[p->n].mo = (int16_t)h;
				p->e[p->n].path = (uint8_t)path;
				p->e[p->n].exp_rel = (uint8_t)model_owns(h);
				p->n++;
				continue;
			}
			p->keep[p->nkeep++] = (int16_t)h;
			for (i = h; i >= 0; i = M.mo[i].next)
				p->ret[p->nret++] = (int16_t)i;
		}
	}
}

static int
exec_phase(int lc)
{
	struct plan *p = &M.plan[lc];
	struct rte_mbuf *pb[MAX_HANDLES], *lb[MAX_HANDLES], *m;
	unsigned int k, npb = 0, nlb = 0;
	int r;

	M.lc[lc].op = OP_PHASE;
	for (k = 0; k < p->n; k++) {
		m = M.mo[p->e[k].mo].m;
		switch (p->e[k].path) {
		case FREE_PLAIN:
			rte_pktmbuf_free(m);
			break;
		case FREE_PLAIN_BULK:
			pb[npb++] = m;
			break;
		case FREE_RAW:
			rte_mempool_put(m->pool, m);
			break;
		case FREE_REL_RAW:
			r = rte_mbuf_extension_release(m);
			CHECK(r == p->e[k].exp_rel, lc, p->e[k].mo,
				"release() %d, model %d", r,
				p->e[k].exp_rel);
			rte_mbuf_raw_free(m);
			break;
		case FREE_LIB:
			rte_mbuf_extension_pktmbuf_free(m);
			break;
		default:
			lb[nlb++] = m;
			break;
		}
	}
	rte_pktmbuf_free_bulk(pb, npb);
	rte_mbuf_extension_pktmbuf_free_bulk(lb, nlb);
	/* What the other lcore frees meanwhile changes none of these. */
	for (k = 0; k < p->nret; k++)
		if (check_mo(lc, p->ret[k], 1) < 0)
			return -1;
	return 0;
}

/* Apply lcore lc's planned frees to the model, in the order made. */
static int
apply_phase(int lc)
{
	struct plan *p = &M.plan[lc];
	struct lcs *l = &M.lc[lc];
	unsigned int k, pass;

	M.cur_lc = lc;
	for (pass = 0; pass < 3; pass++) {
		for (k = 0; k < p->n; k++) {
			int i = p->e[k].mo, path = p->e[k].path;
			unsigned int when = path == FREE_PLAIN_BULK ? 1 :
				path == FREE_LIB_BULK ? 2 : 0;

			if (when != pass)
				continue;
			M.fcount[path]++;
			if (model_free_path(lc, i, path) < 0)
				return -1;
		}
	}
	l->nh = 0;
	for (k = 0; k < p->nkeep; k++)
		handle_add(lc, p->keep[k]);
	return 0;
}

static void
post_cmd(uint32_t kind, uint32_t arg)
{
	cmd_kind = kind;
	cmd_arg = arg;
	__atomic_store_n(&cmd_seq, cmd_seq + 1, __ATOMIC_RELEASE);
}

/*
 * Wait: spin a little, then let the other thread have the CPU (the two
 * lcores may share a core with other tests run in parallel).
 */
static void
wait_pause(unsigned int *spins)
{
	if (++*spins < 2000)
		rte_pause();
	else
		sched_yield();
}

static void
wait_worker(void)
{
	unsigned int spins = 0;

	while (__atomic_load_n(&done_seq, __ATOMIC_ACQUIRE) !=
			__atomic_load_n(&cmd_seq, __ATOMIC_RELAXED))
		wait_pause(&spins);
}

static int
worker_main(void *arg)
{
	uint32_t seen = 0, s;
	unsigned int spins;

	RTE_SET_USED(arg);
	for (;;) {
		spins = 0;
		while ((s = __atomic_load_n(&cmd_seq, __ATOMIC_ACQUIRE)) ==
				seen)
			wait_pause(&spins);
		seen = s;
		if (cmd_kind == CMD_TURN)
			run_turn(1, cmd_arg);
		else if (cmd_kind == CMD_PHASE)
			exec_phase(1);
		__atomic_store_n(&done_seq, s, __ATOMIC_RELEASE);
		if (cmd_kind == CMD_STOP)
			return 0;
	}
}

static int
phase(int all)
{
	unsigned int lc, k;

	/* Both lcores take what is in flight to them first. */
	if (run_turn(0, 0) < 0)
		return -1;
	post_cmd(CMD_TURN, 0);
	wait_worker();
	if (M.failed)
		return -1;
	M.nb_phases++;
	plan_phase(all);
	log_op(0, OP_PHASE, M.plan[0].n, M.plan[1].n, all);
	for (lc = 0; lc < NB_LC; lc++)
		for (k = 0; k < M.plan[lc].n; k++)
			involve(lc, M.plan[lc].e[k].mo);
	post_cmd(CMD_PHASE, 0);
	exec_phase(0);
	wait_worker();
	if (M.failed)
		return -1;
	for (lc = 0; lc < NB_LC; lc++)
		if (apply_phase(lc) < 0)
			return -1;
	for (k = 0; k < NB_MB; k++)
		M.mb[k].phase_lcs = 0;
	/* Quiescent: the exact counts, and every packet left. */
	if (check_counts(0, 1) < 0)
		return -1;
	for (lc = 0; lc < NB_LC; lc++)
		for (k = 0; k < M.lc[lc].nh; k++)
			if (check_pkt(0, M.lc[lc].h[k]) < 0)
				return -1;
	return 0;
}

static uint64_t
env_u64(const char *name, uint64_t def)
{
	const char *s = getenv(name);

	return s != NULL && *s != '\0' ? strtoull(s, NULL, 0) : def;
}

/* The options (see the top of the file): environment, then arguments. */
static void
model_options(void)
{
	int a;

	M.seed = env_u64("MBEXT_MODEL_SEED",
		rte_get_timer_cycles() ^ ((uint64_t)getpid() << 32));
	M.nb_ops = env_u64("MBEXT_MODEL_OPS", DEFAULT_OPS);
	M.phases = (int)env_u64("MBEXT_MODEL_PHASES", 1);
	/* test_runner_argv[0] is the suite's name. */
	for (a = 1; a < test_runner_argc; a++) {
		if (strcmp(test_runner_argv[a], "--seed") == 0 &&
				a + 1 < test_runner_argc)
			M.seed = strtoull(test_runner_argv[++a], NULL, 0);
		else if (strcmp(test_runner_argv[a], "--ops") == 0 &&
				a + 1 < test_runner_argc)
			M.nb_ops = strtoull(test_runner_argv[++a], NULL, 0);
		else if (strcmp(test_runner_argv[a], "--no-phase") == 0)
			M.phases = 0;
		else
			printf("unknown argument %s\n", test_runner_argv[a]);
	}
}

static int
model_setup(void)
{
	unsigned int t, p, i;

	model_options();
	TEST_ASSERT(rte_lcore_count() >= 2, "needs 2 lcores (-l 0-1)");
	memset(M.mo_hash, 0xff, sizeof(M.mo_hash));
	for (t = 0; t < OP_MAX; t++)
		M.op_total += ops[t].weight;
	for (t = 0; t < NB_TYPES; t++) {
		tid[t] = mbext_test_register(types[t].name, types[t].size,
			types[t].align);
		TEST_ASSERT(tid[t] >= 0, "register: %s",
			rte_strerror(rte_errno));
		tsize[tid[t]] = types[t].size;
	}
	TEST_ASSERT(rte_mbuf_extension_pool_create(NB_BLOCKS, BLK_CACHE,
		SOCKET_ID_ANY) == 0, "block pool: %s",
		rte_strerror(rte_errno));
	pools[POOL_H] = rte_mbuf_extension_pktmbuf_pool_create("model_h",
		POOL_SIZE, POOL_CACHE, 0, DATA_ROOM, SOCKET_ID_ANY);
	pools[POOL_O] = rte_pktmbuf_pool_create("model_o", POOL_SIZE,
		POOL_CACHE, 0, DATA_ROOM, SOCKET_ID_ANY);
	pools[POOL_P] = rte_pktmbuf_pool_create("model_p", POOL_SIZE,
		POOL_CACHE, 0, DATA_ROOM, SOCKET_ID_ANY);
	for (p = 0; p < NB_POOLS; p++)
		TEST_ASSERT(pools[p] != NULL, "pool %s: %s", pool_names[p],
			rte_strerror(rte_errno));
	TEST_ASSERT(rte_mbuf_extension_pktmbuf_pool_opt_in(pools[POOL_O]) ==
		0, "opt in");
	for (p = 0; p < NB_POOLS; p++)
		rte_mempool_obj_iter(pools[p], mo_register,
			(void *)(uintptr_t)p);
	TEST_ASSERT(nb_mo == NB_MO, "%u mbufs", nb_mo);
	for (i = 0; i < NB_LC; i++) {
		char name[RTE_RING_NAMESIZE];

		snprintf(name, sizeof(name), "model_ring%u", i);
		ring_to[i] = rte_ring_create(name, RING_SIZE, SOCKET_ID_ANY,
			RING_F_SP_ENQ | RING_F_SC_DEQ);
		TEST_ASSERT(ring_to[i] != NULL, "ring");
	}
	TEST_ASSERT(ext_setup() == 0, "external buffers");
	M.free_mb = -1;
	for (i = NB_MB; i-- > 0;) {
		M.mb[i].next_free = (int16_t)M.free_mb;
		M.free_mb = (int)i;
	}
	memset(M.ext_check, 0xff, sizeof(M.ext_check));
	TEST_ASSERT(rte_mbuf_extension_pool_in_use() == 0, "blocks in use");
	for (p = 0; p < NB_POOLS; p++)
		TEST_ASSERT(test_clean_watch(pools[p]) == 0, "watch");
	return TEST_SUCCESS;
}

static int
test_model(void)
{
	unsigned int worker, lc, o;
	uint64_t start, next_phase, k;
	double secs;
	int rc = 0;

	M.rng = M.seed;
	printf("model: seed %" PRIu64 ", %" PRIu64 " operations%s\n",
		M.seed, M.nb_ops, M.phases ? "" : ", no concurrent phase");
	fflush(stdout);
	worker = rte_get_next_lcore(-1, 1, 0);
	TEST_ASSERT(rte_eal_remote_launch(worker_main, NULL, worker) == 0,
		"launch");
	start = rte_get_timer_cycles();
	next_phase = 500 + rnd(4000);
	while (M.opno < M.nb_ops && !M.failed) {
		lc = rnd(NB_LC);
		k = 1 + rnd(64);
		if (lc == 0) {
			if (run_turn(0, k) < 0)
				break;
		} else {
			post_cmd(CMD_TURN, k);
			wait_worker();
		}
		if (M.phases && M.opno >= next_phase && !M.failed) {
			if (phase(0) < 0)
				break;
			next_phase = M.opno + 500 + rnd(4000);
		}
	}
	if (!M.failed)
		phase(1);
	post_cmd(CMD_STOP, 0);
	wait_worker();
	rte_eal_wait_lcore(worker);
	secs = (double)(rte_get_timer_cycles() - start) / rte_get_timer_hz();
	if (M.failed)
		return -1;

	printf("model: %" PRIu64 " operations in %.1f s (%.0f op/s), seed %"
		PRIu64 "\n", M.opno, secs, M.opno / secs, M.seed);
	printf("model: ops:");
	for (o = 0; o < OP_MAX; o++)
		printf(" %s %" PRIu64, ops[o].name, M.count[o]);
	printf("\nmodel: frees:");
	for (o = 0; o < FREE_MAX; o++)
		printf(" %s %" PRIu64, free_names[o], M.fcount[o]);
	printf("\nmodel: adds: ENOTSUP %" PRIu64 " new %" PRIu64
		" existing %" PRIu64 "; shares refused %" PRIu64
		"; copies (cow) %" PRIu64 ", slots taken %" PRIu64 "\n",
		M.add_kind[ADD_ENOTSUP], M.add_kind[ADD_ZERO],
		M.add_kind[ADD_EXIST], M.share_fail, M.exp_cow, M.exp_share);
	printf("model: cases:");
	for (o = 0; o < EV_MAX; o++)
		printf(" %s %" PRIu64, ev_names[o], M.ev[o]);
	printf("\n");
	printf("model: %" PRIu64 " mbuf checks, %" PRIu64
		" concurrent phases, %" PRIu64 " skipped\n", M.checks,
		M.nb_phases, M.skipped);
	printf("model: ABA: %" PRIu64
		" allocations returned an mbuf that owned a block before; %"
		PRIu64 " new blocks at the data address of a freed one\n",
		M.aba_mbuf, M.aba_blk);
	TEST_ASSERT(M.aba_mbuf > 0 && M.aba_blk > 0, "no address reuse");
	/* The rules of the contract a long enough run must have met. */
	if (M.nb_ops >= COVER_OPS)
		for (o = 0; o < RTE_DIM(cover_evs); o++)
			TEST_ASSERT(M.ev[cover_evs[o]] > 0,
				"case %s never met", ev_names[cover_evs[o]]);
	TEST_ASSERT(M.live_blocks == 0, "model: %u blocks", M.live_blocks);
	TEST_ASSERT_EQ(rte_mbuf_extension_pool_in_use(), 0, "blocks in use");
	for (o = 0; o < NB_POOLS; o++) {
		TEST_ASSERT_EQ(M.pool_used[o], 0, "model pool use");
		TEST_ASSERT_EQ(rte_mempool_in_use_count(pools[o]), 0,
			pool_names[o]);
	}
	for (o = 0; o < NB_EXT; o++)
		TEST_ASSERT(M.ext[o].freed && !M.ext[o].double_free,
			"external buffer %u", o);
	return rc;
}

static struct unit_test_suite model_suite = {
	.name = "mbuf_extension_model",
	.setup = model_setup,
	.snapshot = test_clean_snapshot,
	.check = test_clean_check,
	.cases = {
		TEST_CASE(test_model),
		TEST_CASES_END()
	}
};

REGISTER_TEST_SUITE(model_suite);
