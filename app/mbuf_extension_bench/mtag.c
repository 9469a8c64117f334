/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * One packet tag through a clone-heavy workload: the extension library
 * against a FreeBSD m_tag-style baseline written here (issue 9, item 4:
 * the library should be at least 5x faster).
 *
 * Per burst of --burst packets (default 32), each step over the whole
 * array as a PMD and the stages after it would:
 *
 *   alloc  rte_pktmbuf_alloc_bulk() of the burst (RX)
 *   tag    a 16-byte tag {seq, port, queue, stamp} attached to each packet
 *          and written (an RX tagger)
 *   clone  one clone of each packet (a mirror port, a tap, a multicast
 *          copy): one clone per packet
 *   read   the tag found on each clone and checked
 *   free   the packets, then the clones
 *
 * in five variants, alternated in rounds in one process, the order
 * rotating from round to round:
 *
 *   no tag            alloc, rte_pktmbuf_clone(), rte_pktmbuf_free_bulk():
 *                     what the workload costs without any tag; the cost a
 *                     tag adds on this pool is taken against it
 *   no tag, handler   the same on a pool with the mbuf_ext mempool handler;
 *                     the base of "extension, handler"
 *   extension         rte_mbuf_extension_add(), _pktmbuf_clone() (the clone
 *                     shares the block), _find() on the clone, freed with
 *                     rte_mbuf_extension_pktmbuf_free_bulk(); plain pool
 *                     opted in (the application frees with the library)
 *   extension, handler
 *                     the same, packets and clones in a pool with the
 *                     mbuf_ext handler and freed by rte_pktmbuf_free_bulk()
 *                     (the transparent way: code that does not know the
 *                     library may free them)
 *   m_tag             FreeBSD's packet tags (sys/sys/mbuf.h,
 *                     sys/kern/uipc_mbuf2.c) on a plain pool: the tag
 *                     malloc()ed and put on the packet's list, the clone
 *                     deep-copying the list (m_copypacket() ->
 *                     m_dup_pkthdr() -> m_tag_copy_chain()), m_tag_locate()
 *                     on the clone, each list freed with its packet
 *                     (m_freem() -> m_tag_delete_chain())
 *
 * Each step of a burst is one timed region (the TSC read cost taken off);
 * a variant's figure for a round is the median over --passes bursts, per
 * packet; the figure of a run, the median over --rounds rounds. The ratios
 * m_tag / extension are taken round by round, on the totals and on the
 * costs added over "no tag" on the same pool measured in the same round,
 * then their median.
 *
 * This is a command, not a test: it checks that every clone read the right
 * tag, that extension clones shared the block and m_tag clones had their
 * own copy, that no block, mbuf or malloc()ed tag is left at the end, and
 * exits non-zero if not; it never fails on a figure.
 */

#include <gnu/libc-version.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_mempool.h>

#include <rte_mbuf_extension.h>
#include <rte_mempool_mbuf_ext.h>

#include "bench_util.h"

#define MTAG_MAX_BURST 512
#define MTAG_MAX_PASSES 100000
#define MTAG_WARMUP 16
#define MTAG_POOL_MBUFS 8192
#define MTAG_CACHE 256

static struct {
	unsigned int burst;
	unsigned int passes;
	unsigned int rounds;
} conf = {
	.burst = 32,
	.passes = 1001,
	.rounds = 11,
};

/* The tag an RX tagger attaches: 16 bytes. */
struct bench_tag {
	uint32_t seq;   /* packet number */
	uint16_t port;  /* RX port */
	uint16_t queue; /* RX queue */
	uint64_t stamp; /* RX time; here the burst's first packet number */
};

#define BENCH_PORT 3
#define BENCH_QUEUE 1

static __rte_always_inline void
tag_fill(struct bench_tag *t, uint32_t seq, uint32_t first)
{
	t->seq = seq;
	t->port = BENCH_PORT;
	t->queue = BENCH_QUEUE;
	t->stamp = first;
}

/* 1 if @p t is not the tag packet @p seq of the burst @p first got. */
static __rte_always_inline unsigned int
tag_wrong(const struct bench_tag *t, uint32_t seq, uint32_t first)
{
	return t == NULL || t->seq != seq || t->port != BENCH_PORT ||
		t->queue != BENCH_QUEUE || t->stamp != first;
}

static struct rte_mbuf *pkt[MTAG_MAX_BURST]; /* The burst. */
static struct rte_mbuf *cln[MTAG_MAX_BURST]; /* One clone of each. */
static struct rte_mempool *plain_pool;   /* Opted in: library frees. */
static struct rte_mempool *handler_pool; /* mbuf_ext mempool handler. */
static int ext_id;
static uint64_t sink;

/*
 * The m_tag baseline: FreeBSD's packet tags, as in sys/sys/mbuf.h and
 * sys/kern/uipc_mbuf2.c, on DPDK.
 *
 * - struct m_tag and the SLIST of tags per packet are FreeBSD's. The
 *   list head, which FreeBSD keeps in m_pkthdr, is a dynamic field here
 *   (rte_mbuf_dynfield_register()); rte_pktmbuf_clone() copies it as the
 *   struct copy of m_pkthdr in m_dup_pkthdr() does, and the clone then
 *   starts an empty list of its own, as m_dup_pkthdr() does.
 * - malloc(9) is glibc's malloc(): its per-thread cache (tcache) is the
 *   analogue of the per-CPU caches of the UMA zones behind FreeBSD's
 *   malloc(9), though shallower by default (7 chunks per size; a burst of
 *   32 has 64 tags out; GLIBC_TUNABLES=glibc.malloc.tcache_count=N makes
 *   it deeper). FreeBSD's per-CPU statistics of the malloc type are the
 *   two counters below (they also tell that every tag was freed).
 * - The functions of uipc_mbuf2.c are functions (never inlined); those of
 *   mbuf.h are inline, as there.
 * - The mbufs of the baseline are freed by mtag_pktmbuf_free_bulk() (the
 *   m_freem() of this model): DPDK's own free knows nothing of the list.
 *   An mbuf goes back to its pool with an empty list, so that the next
 *   packet at that address starts with one (FreeBSD's mbuf constructor
 *   initialises the list instead).
 */
struct m_tag {
	SLIST_ENTRY(m_tag) m_tag_link;       /* List of packet tags */
	uint16_t m_tag_id;                   /* Tag ID */
	uint16_t m_tag_len;                  /* Length of data */
	uint32_t m_tag_cookie;               /* ABI/Module ID */
	void (*m_tag_free)(struct m_tag *);
};

SLIST_HEAD(packet_tags, m_tag);

#define MTAG_COOKIE 0x6d746167 /* the module's ABI cookie */
#define MTAG_RXINFO 1          /* the tag's type in the module */

static int mtag_off;           /* dynamic field: struct packet_tags */
static uint64_t mtag_mallocs;  /* tags malloc()ed */
static uint64_t mtag_frees;    /* tags freed */

static __rte_always_inline struct packet_tags *
m_tags(const struct rte_mbuf *m)
{
	return RTE_MBUF_DYNFIELD(m, mtag_off, struct packet_tags *);
}

static void
m_tag_free_default(struct m_tag *t)
{
	mtag_frees++;
	free(t);
}

/* m_tag_alloc(): one malloc() for the header and the data. */
static __rte_noinline struct m_tag *
m_tag_alloc(uint32_t cookie, uint16_t type, uint16_t len)
{
	struct m_tag *t = malloc(sizeof(*t) + len);

	if (t == NULL)
		return NULL;
	mtag_mallocs++;
	/* m_tag_setup() */
	t->m_tag_id = type;
	t->m_tag_len = len;
	t->m_tag_cookie = cookie;
	t->m_tag_free = m_tag_free_default;
	return t;
}

static __rte_always_inline void
m_tag_prepend(struct rte_mbuf *m, struct m_tag *t)
{
	SLIST_INSERT_HEAD(m_tags(m), t, m_tag_link);
}

static __rte_always_inline void
m_tag_unlink(struct rte_mbuf *m, struct m_tag *t)
{
	SLIST_REMOVE(m_tags(m), t, m_tag, m_tag_link);
}

static __rte_always_inline void
m_tag_free(struct m_tag *t)
{
	(*t->m_tag_free)(t);
}

static __rte_noinline void
m_tag_delete(struct rte_mbuf *m, struct m_tag *t)
{
	m_tag_unlink(m, t);
	m_tag_free(t);
}

static __rte_noinline void
m_tag_delete_chain(struct rte_mbuf *m, struct m_tag *t)
{
	struct m_tag *p, *q;

	p = t != NULL ? t : SLIST_FIRST(m_tags(m));
	if (p == NULL)
		return;
	while ((q = SLIST_NEXT(p, m_tag_link)) != NULL)
		m_tag_delete(m, q);
	m_tag_delete(m, p);
}

/* m_tag_locate(): walk the list from @p t (NULL: the first tag). */
static __rte_noinline struct m_tag *
m_tag_locate(const struct rte_mbuf *m, uint32_t cookie, uint16_t type,
		struct m_tag *t)
{
	struct m_tag *p;

	p = t == NULL ? SLIST_FIRST(m_tags(m)) : SLIST_NEXT(t, m_tag_link);
	for (; p != NULL; p = SLIST_NEXT(p, m_tag_link))
		if (p->m_tag_cookie == cookie && p->m_tag_id == type)
			return p;
	return NULL;
}

/* m_tag_copy(): a new tag, the data copied. */
static __rte_noinline struct m_tag *
m_tag_copy(const struct m_tag *t)
{
	struct m_tag *p;

	p = m_tag_alloc(t->m_tag_cookie, t->m_tag_id, t->m_tag_len);
	if (p == NULL)
		return NULL;
	memcpy(p + 1, t + 1, t->m_tag_len);
	return p;
}

/* m_tag_copy_chain(): 1, or 0 and @p to without tags. */
static __rte_noinline int
m_tag_copy_chain(struct rte_mbuf *to, const struct rte_mbuf *from)
{
	struct m_tag *p, *t, *tprev = NULL;

	m_tag_delete_chain(to, NULL);
	SLIST_FOREACH(p, m_tags(from), m_tag_link) {
		t = m_tag_copy(p);
		if (t == NULL) {
			m_tag_delete_chain(to, NULL);
			return 0;
		}
		if (tprev == NULL)
			SLIST_INSERT_HEAD(m_tags(to), t, m_tag_link);
		else
			SLIST_INSERT_AFTER(tprev, t, m_tag_link);
		tprev = t;
	}
	return 1;
}

/*
 * m_copypacket(): the clone shares the data (rte_pktmbuf_clone(), as
 * mb_dupcl() shares the cluster) and gets a deep copy of the tag list
 * (m_dup_pkthdr()).
 */
static __rte_always_inline struct rte_mbuf *
mtag_pktmbuf_clone(struct rte_mbuf *md, struct rte_mempool *mp)
{
	struct rte_mbuf *c = rte_pktmbuf_clone(md, mp);

	if (c == NULL)
		return NULL;
	/* The header copy took md's list head: start an empty list. */
	SLIST_INIT(m_tags(c));
	if (!m_tag_copy_chain(c, md)) {
		rte_pktmbuf_free(c);
		return NULL;
	}
	return c;
}

/* m_freem() of each packet: mb_dtor_mbuf() deletes the tag list. */
static __rte_always_inline void
mtag_pktmbuf_free_bulk(struct rte_mbuf **m, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (m[i] != NULL && !SLIST_EMPTY(m_tags(m[i])))
			m_tag_delete_chain(m[i], NULL);
	rte_pktmbuf_free_bulk(m, n);
}

/*
 * The steps of each variant, over the burst. seq is the number of the
 * burst's first packet; packet i is seq + i.
 */

static void
tag_ext(unsigned int n, uint32_t seq)
{
	unsigned int i, fail = 0;

	for (i = 0; i < n; i++) {
		struct bench_tag *t = rte_mbuf_extension_add(pkt[i], ext_id);

		if (unlikely(t == NULL)) {
			fail++;
			continue;
		}
		tag_fill(t, seq + i, seq);
	}
	check(fail == 0, "rte_mbuf_extension_add");
}

static void
tag_mtag(unsigned int n, uint32_t seq)
{
	unsigned int i, fail = 0;

	for (i = 0; i < n; i++) {
		struct m_tag *t = m_tag_alloc(MTAG_COOKIE, MTAG_RXINFO,
			sizeof(struct bench_tag));

		if (unlikely(t == NULL)) {
			fail++;
			continue;
		}
		tag_fill((struct bench_tag *)(t + 1), seq + i, seq);
		m_tag_prepend(pkt[i], t);
	}
	check(fail == 0, "m_tag_alloc");
}

static void
clone_plain(struct rte_mempool *mp, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		cln[i] = rte_pktmbuf_clone(pkt[i], mp);
}

static void
clone_ext(struct rte_mempool *mp, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		cln[i] = rte_mbuf_extension_pktmbuf_clone(pkt[i], mp);
}

static void
clone_mtag(struct rte_mempool *mp, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		cln[i] = mtag_pktmbuf_clone(pkt[i], mp);
}

/* The read steps return how many clones had a wrong tag, or none. */
static unsigned int
read_ext(unsigned int n, uint32_t seq)
{
	unsigned int i, wrong = 0;

	for (i = 0; i < n; i++) {
		const struct bench_tag *t =
			rte_mbuf_extension_find(cln[i], ext_id);

		wrong += tag_wrong(t, seq + i, seq);
		sink += t != NULL ? t->seq : 0;
	}
	return wrong;
}

static unsigned int
read_mtag(unsigned int n, uint32_t seq)
{
	unsigned int i, wrong = 0;

	for (i = 0; i < n; i++) {
		const struct m_tag *mt = m_tag_locate(cln[i], MTAG_COOKIE,
			MTAG_RXINFO, NULL);
		const struct bench_tag *t = mt != NULL ?
			(const struct bench_tag *)(mt + 1) : NULL;

		wrong += tag_wrong(t, seq + i, seq);
		sink += t != NULL ? t->seq : 0;
	}
	return wrong;
}

static void
free_plain(unsigned int n)
{
	rte_pktmbuf_free_bulk(pkt, n);
	rte_pktmbuf_free_bulk(cln, n);
}

static void
free_ext(unsigned int n)
{
	rte_mbuf_extension_pktmbuf_free_bulk(pkt, n);
	rte_mbuf_extension_pktmbuf_free_bulk(cln, n);
}

static void
free_mtag(unsigned int n)
{
	mtag_pktmbuf_free_bulk(pkt, n);
	mtag_pktmbuf_free_bulk(cln, n);
}

/* Where the tag of @p m is, outside the timed regions. */
static const void *
where_ext(struct rte_mbuf *m)
{
	return rte_mbuf_extension_find(m, ext_id);
}

static const void *
where_mtag(struct rte_mbuf *m)
{
	return m_tag_locate(m, MTAG_COOKIE, MTAG_RXINFO, NULL);
}

enum { ST_ALLOC, ST_TAG, ST_CLONE, ST_READ, ST_FREE, ST_MAX };

static const char * const stage_names[ST_MAX] = {
	"alloc", "tag", "clone", "read", "free",
};

struct variant {
	const char *name;
	struct rte_mempool **pool;
	/* NULL: no tag, no read. */
	void (*tag)(unsigned int n, uint32_t seq);
	void (*clone)(struct rte_mempool *mp, unsigned int n);
	unsigned int (*read)(unsigned int n, uint32_t seq);
	void (*free)(unsigned int n);
	const void *(*where)(struct rte_mbuf *m);
	bool shared;       /* The clone's tag is the packet's (else a copy). */
	unsigned int base; /* The variant its added cost is taken over. */
	uint64_t bursts;   /* Bursts run, warm-up included. */
};

enum { V_NONE, V_NONE_HANDLER, V_EXT, V_EXT_HANDLER, V_MTAG, V_MAX };

/*
 * A tagged variant's added cost is taken over "no tag" on the same pool,
 * so that it is the tag's alone; the handler pool's own cost is "no tag,
 * handler pool" over "no tag".
 */
static struct variant variants[V_MAX] = {
	[V_NONE] = { "no tag", &plain_pool, NULL, clone_plain, NULL,
		free_plain, NULL, false, V_NONE, 0 },
	[V_NONE_HANDLER] = { "no tag, handler pool", &handler_pool, NULL,
		clone_plain, NULL, free_plain, NULL, false, V_NONE, 0 },
	[V_EXT] = { "extension, library free", &plain_pool, tag_ext,
		clone_ext, read_ext, free_ext, where_ext, true, V_NONE, 0 },
	[V_EXT_HANDLER] = { "extension, handler pool", &handler_pool,
		tag_ext, clone_ext, read_ext, free_plain, where_ext, true,
		V_NONE_HANDLER, 0 },
	[V_MTAG] = { "m_tag (malloc, deep copy)", &plain_pool, tag_mtag,
		clone_mtag, read_mtag, free_mtag, where_mtag, false, V_NONE,
		0 },
};

static uint64_t tsc_overhead;
static uint32_t next_seq;

static __rte_always_inline double
region(uint64_t t0, uint64_t t1)
{
	uint64_t c = t1 - t0;

	return c > tsc_overhead ? (double)(c - tsc_overhead) : 0;
}

/*
 * One burst of variant @p v; the cycles of each step in @p cyc. false if
 * the burst could not be run (the run stops).
 */
static bool
run_burst(struct variant *v, double cyc[ST_MAX])
{
	struct rte_mempool *mp = *v->pool;
	unsigned int i, n = conf.burst, wrong = 0;
	uint32_t seq = next_seq;
	uint64_t t0, t1;
	int ret;

	next_seq += n;
	v->bursts++;
	memset(cyc, 0, sizeof(double) * ST_MAX);
	t0 = tsc();
	ret = rte_pktmbuf_alloc_bulk(mp, pkt, n);
	t1 = tsc();
	cyc[ST_ALLOC] = region(t0, t1);
	if (ret != 0) {
		check(false, "packet alloc");
		return false;
	}
	if (v->tag != NULL) {
		t0 = tsc();
		v->tag(n, seq);
		t1 = tsc();
		cyc[ST_TAG] = region(t0, t1);
	}
	t0 = tsc();
	v->clone(mp, n);
	t1 = tsc();
	cyc[ST_CLONE] = region(t0, t1);
	for (i = 0; i < n; i++)
		if (cln[i] == NULL) {
			check(false, "clone");
			v->free(n);
			return false;
		}
	if (v->read != NULL) {
		t0 = tsc();
		wrong = v->read(n, seq);
		t1 = tsc();
		cyc[ST_READ] = region(t0, t1);
		check(wrong == 0, "tag read on the clone");
		/* Shared block, or a copy of its own. */
		check((v->where(cln[0]) == v->where(pkt[0])) == v->shared,
			v->shared ? "clone shares the block" :
			"clone has its own tag");
	}
	t0 = tsc();
	v->free(n);
	t1 = tsc();
	cyc[ST_FREE] = region(t0, t1);
	return true;
}

/* Per round, per variant, per step (ST_MAX: total), cycles per packet. */
static double res[V_MAX][ST_MAX + 1][BENCH_UTIL_MAX_ROUNDS];

/* One round of variant @p v: the median of its bursts, per packet. */
static bool
run_round(struct variant *v, double out[ST_MAX + 1])
{
	static double reg[ST_MAX + 1][MTAG_MAX_PASSES];
	double cyc[ST_MAX];
	unsigned int p, s;

	for (p = 0; p < MTAG_WARMUP; p++)
		if (!run_burst(v, cyc))
			return false;
	for (p = 0; p < conf.passes; p++) {
		if (!run_burst(v, cyc))
			return false;
		reg[ST_MAX][p] = 0;
		for (s = 0; s < ST_MAX; s++) {
			reg[s][p] = cyc[s] / conf.burst;
			reg[ST_MAX][p] += reg[s][p];
		}
	}
	for (s = 0; s <= ST_MAX; s++)
		out[s] = median(reg[s], conf.passes);
	return true;
}

/* Median over the rounds of f(round) (the per-round arrays are kept). */
static double
over_rounds(double (*f)(unsigned int r, const void *arg), const void *arg)
{
	double tmp[BENCH_UTIL_MAX_ROUNDS];
	unsigned int r;

	for (r = 0; r < conf.rounds; r++)
		tmp[r] = f(r, arg);
	return median(tmp, conf.rounds);
}

struct cell {
	unsigned int v, s;
};

static double
f_cell(unsigned int r, const void *arg)
{
	const struct cell *c = arg;

	return res[c->v][c->s][r];
}

/* What variant v adds over its base in the same round. */
static double
f_added(unsigned int r, const void *arg)
{
	const struct cell *c = arg;

	return res[c->v][c->s][r] - res[variants[c->v].base][c->s][r];
}

/* m_tag / variant v, on the totals. */
static double
f_ratio_total(unsigned int r, const void *arg)
{
	const struct cell *c = arg;

	return res[V_MTAG][ST_MAX][r] / res[c->v][ST_MAX][r];
}

/* m_tag / variant v, on the costs added over their bases. */
static double
f_ratio_added(unsigned int r, const void *arg)
{
	const struct cell *c = arg;
	struct cell m = { V_MTAG, ST_MAX };
	double ext = f_added(r, c);

	return ext > 0 ? f_added(r, &m) / ext : INFINITY;
}

static int
setup(void)
{
	static const struct rte_mbuf_dynfield tags_desc = {
		.name = "mbuf_extension_mtag_tags",
		.size = sizeof(struct packet_tags),
		.align = __alignof__(struct packet_tags),
	};
	static const struct rte_mbuf_extension_params p = {
		.name = "mtag_bench_rxinfo",
		.size = sizeof(struct bench_tag),
		.align = __alignof__(struct bench_tag),
	};

	mtag_off = rte_mbuf_dynfield_register(&tags_desc);
	ext_id = rte_mbuf_extension_register(&p);
	if (mtag_off < 0 || ext_id < 0)
		return -1;
	if (rte_mbuf_extension_pool_create(MTAG_POOL_MBUFS, MTAG_CACHE,
			SOCKET_ID_ANY) < 0)
		return -1;
	/*
	 * rte_pktmbuf_init() zeroes the mbufs: every list starts empty, and
	 * the baseline frees every mbuf with an empty one.
	 */
	plain_pool = rte_pktmbuf_pool_create("mtag_plain", MTAG_POOL_MBUFS,
		MTAG_CACHE, 0, RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	/* The extension variant frees every mbuf of it with the library. */
	if (plain_pool == NULL ||
			rte_mbuf_extension_pktmbuf_pool_opt_in(plain_pool) < 0)
		return -1;
	handler_pool = rte_mbuf_extension_pktmbuf_pool_create("mtag_handler",
		MTAG_POOL_MBUFS, MTAG_CACHE, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
		rte_socket_id());
	return handler_pool == NULL ? -1 : 0;
}

static void
print_table(const char *title, double (*f)(unsigned int, const void *),
		bool with_none)
{
	unsigned int v, s;

	printf("%-28s", title);
	for (s = 0; s < ST_MAX; s++)
		printf(" %7s", stage_names[s]);
	printf(" %8s\n", "total");
	for (v = 0; v < V_MAX; v++) {
		if (v == V_NONE && !with_none)
			continue;
		printf("%-28s", variants[v].name);
		for (s = 0; s <= ST_MAX; s++) {
			struct cell c = { v, s };

			printf(s == ST_MAX ? " %8.2f" : " %7.2f",
				over_rounds(f, &c));
		}
		printf("\n");
	}
}

static void
print_ratio(const char *what, unsigned int v, double *added)
{
	struct cell c = { v, ST_MAX };
	double total = over_rounds(f_ratio_total, &c);

	*added = over_rounds(f_ratio_added, &c);
	printf("ratio: m_tag / %-24s total %6.3fx  added %6.3fx\n", what,
		total, *added);
}

/* Everything back: 0 if so. */
static int
final_checks(void)
{
	struct rte_mempool_mbuf_ext_stats hs;
	struct rte_mbuf_extension_stats es;
	uint64_t ext_clones, ext_handler_pkts, mtag_pkts;
	unsigned int plain_use, handler_use;
	int rc = 0;

	ext_clones = (variants[V_EXT].bursts + variants[V_EXT_HANDLER].bursts) *
		conf.burst;
	ext_handler_pkts = variants[V_EXT_HANDLER].bursts * conf.burst;
	mtag_pkts = variants[V_MTAG].bursts * conf.burst;
	if (rte_mbuf_extension_stats_get(&es) < 0)
		es.in_use = UINT64_MAX;
	if (rte_mempool_mbuf_ext_stats_get(handler_pool, &hs) < 0)
		hs.released = UINT64_MAX;
	plain_use = rte_mempool_in_use_count(plain_pool);
	handler_use = rte_mempool_in_use_count(handler_pool);
	printf("blocks in use at the end: %" PRIu64 " (stats), %u (pool);"
		" shared %" PRIu64 " for %" PRIu64 " extension clones, %" PRIu64
		" copied\n", es.in_use, rte_mbuf_extension_pool_in_use(),
		es.share, ext_clones, es.cow);
	printf("handler pool: %" PRIu64 " references released for %" PRIu64
		" packets + clones\n", hs.released, 2 * ext_handler_pkts);
	printf("mbufs in use at the end: %u (plain pool), %u (handler pool)\n",
		plain_use, handler_use);
	printf("m_tag: %" PRIu64 " malloc()ed, %" PRIu64 " freed, for %"
		PRIu64 " packets + clones\n", mtag_mallocs, mtag_frees,
		2 * mtag_pkts);
	printf("%" PRIu64 " check(s) failed\n", bench_errors);
	if (es.in_use != 0 || rte_mbuf_extension_pool_in_use() != 0 ||
			es.share != ext_clones || es.cow != 0 ||
			hs.released != 2 * ext_handler_pkts ||
			plain_use != 0 || handler_use != 0 ||
			mtag_mallocs != mtag_frees ||
			mtag_mallocs != 2 * mtag_pkts || bench_errors != 0)
		rc = 1;
	if (rc != 0)
		printf("FAILED: something was wrong or left behind\n");
	return rc;
}

int
main(int argc, char **argv)
{
	const struct bench_opt opts[] = {
		{ "burst", &conf.burst, MTAG_MAX_BURST, NULL },
		{ "passes", &conf.passes, MTAG_MAX_PASSES,
			"bursts per round and variant" },
		{ "rounds", &conf.rounds, BENCH_UTIL_MAX_ROUNDS, NULL },
	};
	const char *tunables = getenv("GLIBC_TUNABLES");
	char model[128], loadavg[64];
	unsigned int r, k;
	double added_lib, added_handler;
	int ret, rc = 0;

	ret = bench_init(argc, argv, opts, RTE_DIM(opts));
	if (ret >= 0)
		return ret;
	if (setup() < 0) {
		fprintf(stderr, "set-up failed: %s\n", rte_strerror(rte_errno));
		rte_eal_cleanup();
		return 1;
	}
	machine_name(model, sizeof(model));
	load_average(loadavg, sizeof(loadavg));
	tsc_overhead = tsc_read_cost(conf.rounds);

	/* Variants in turn, the first one rotating from round to round. */
	for (r = 0; r < conf.rounds && rc == 0; r++) {
		for (k = 0; k < V_MAX; k++) {
			unsigned int v = (r + k) % V_MAX, s;
			double out[ST_MAX + 1];

			if (!run_round(&variants[v], out)) {
				rc = 1;
				break;
			}
			for (s = 0; s <= ST_MAX; s++)
				res[v][s][r] = out[s];
		}
	}

	printf("mbuf_extension_mtag: one 16-byte tag per packet, one clone"
		" per packet\n");
	printf("machine: %s, %ld CPU(s), TSC %" PRIu64 " Hz; load average %s;"
		" lcore %u\n", model, sysconf(_SC_NPROCESSORS_ONLN),
		rte_get_tsc_hz(), loadavg, rte_lcore_id());
	printf("burst %u packets; per round and variant, the median of %u"
		" bursts (after %u untimed); median of %u rounds, variants"
		" in turn, the order rotating; TSC read cost %" PRIu64
		" cycles taken off each step\n", conf.burst, conf.passes,
		MTAG_WARMUP, conf.rounds, tsc_overhead);
	printf("m_tag: glibc %s malloc(), GLIBC_TUNABLES=%s\n",
		gnu_get_libc_version(), tunables != NULL ? tunables :
		"(unset: tcache of 7 chunks per size)");
#if !defined(__OPTIMIZE__) || defined(__SANITIZE_ADDRESS__)
	printf("WARNING: not an optimised build (debug or sanitizer):"
		" these figures do not tell the library's cost\n");
#endif
	if (rc == 0) {
		printf("\n");
		print_table("cycles per packet", f_cell, true);
		printf("\n");
		print_table("added over no tag, same pool", f_added, false);
		printf("(\"no tag, handler pool\": over \"no tag\", what the"
			" handler pool costs by itself)\n");
		printf("\n");
		print_ratio("extension, library free:", V_EXT, &added_lib);
		print_ratio("extension, handler pool:", V_EXT_HANDLER,
			&added_handler);
		printf("goal: m_tag's added cost >= 5x the extension's:"
			" library free %s, handler pool %s\n",
			added_lib >= 5 ? "met" : "NOT MET",
			added_handler >= 5 ? "met" : "NOT MET");
	}
	printf("\n");
	if (final_checks() != 0)
		rc = 1;
	if (sink == 42)
		printf("\n"); /* Keeps sink alive. */
	rte_eal_cleanup();
	return rc;
}
