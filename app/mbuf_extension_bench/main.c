/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * Cost of the mbuf extension fast paths, against two floors measured in
 * the same run:
 * - a cached rte_mempool_get() + rte_mempool_put() pair on a pool of
 *   objects of the block size, with the same per-lcore cache as the block
 *   pool: the least an add + release can cost;
 * - a plain dynamic field read (RTE_MBUF_DYNFIELD of a registered uint64_t
 *   field): the least a find can cost.
 *
 * Every operation runs over an array of mbufs (256 by default), as a
 * burst would, never on one mbuf. An operation that needs a state set up
 * first (a shared block, an extension to delete) is timed one pass over
 * the array at a time, with the set-up and clean-up outside the timed
 * region; the cost of reading the TSC twice is measured and taken off.
 * Each figure is the median of several rounds; the rounds take the
 * operations in turn, so that a slow moment of the machine hits them all.
 *
 * This is a command, not a test: it checks that each operation did what it
 * should (hits hit, misses miss, blocks in use back to 0) and exits
 * non-zero if not, but it never fails on a figure.
 */

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>
#include <rte_mempool.h>

#include <rte_mbuf_extension.h>

#include "bench_util.h"

#define BENCH_MAX_MBUFS 4096
#define BENCH_CACHE 256
#define BENCH_MAX_ROUNDS 99
#define BENCH_MAX_PASSES 100000

struct bench_conf {
	unsigned int nb_mbufs;
	unsigned int passes;
	unsigned int rounds;
};

static struct bench_conf conf = {
	.nb_mbufs = 256,
	.passes = 301,
	.rounds = 11,
};

/* Passes over the array inside one timed region, for ops without set-up. */
#define BENCH_INNER 16

static struct rte_mbuf *mb[BENCH_MAX_MBUFS];  /* Packets under test. */
static struct rte_mbuf *mb2[BENCH_MAX_MBUFS]; /* Second holders. */
static struct rte_mbuf *cl[BENCH_MAX_MBUFS];  /* Third holders. */
static struct rte_mbuf *cc[BENCH_MAX_MBUFS];  /* Clones. */
static void *objs[BENCH_MAX_MBUFS];
static struct rte_mempool *mbuf_pool;
static struct rte_mempool *floor_pool;
static int dyn_off;
static uint64_t dyn_flag;
static int id_a, id_b;
static uint64_t tsc_overhead;
/* Results go here so that the compiler cannot drop the loops. */
static uint64_t sink;

/*
 * Each operation below returns the cycles of its timed regions and adds to
 * *ops the number of operations they held.
 */
typedef uint64_t (*bench_fn)(uint64_t *ops);

/* Floor: a plain dynamic field read. */
static uint64_t
op_dynfield(uint64_t *ops)
{
	unsigned int i, r, n = conf.nb_mbufs;
	uint64_t sum = 0, t0, t1;

	t0 = tsc();
	for (r = 0; r < BENCH_INNER; r++) {
		for (i = 0; i < n; i++)
			sum += *RTE_MBUF_DYNFIELD(mb[i], dyn_off, uint64_t *);
		rte_compiler_barrier();
	}
	t1 = tsc();
	sink += sum;
	*ops += (uint64_t)n * BENCH_INNER;
	return t1 - t0;
}

/* Floor: a cached mempool get + put pair, per array slot. */
static uint64_t
op_mempool_pair(uint64_t *ops)
{
	unsigned int i, r, n = conf.nb_mbufs;
	uint64_t t0, t1;
	int fail = 0;

	t0 = tsc();
	for (r = 0; r < BENCH_INNER; r++) {
		for (i = 0; i < n; i++) {
			fail |= rte_mempool_get(floor_pool, &objs[i]);
			rte_mempool_put(floor_pool, objs[i]);
		}
		rte_compiler_barrier();
	}
	t1 = tsc();
	check(fail == 0, "mempool get");
	*ops += (uint64_t)n * BENCH_INNER;
	return t1 - t0;
}

/*
 * Floor: the same pair, the object passing through the mbuf as any
 * reference must: stored in a dynamic field with a dynamic flag set, read
 * back, cleared, then put. What no design that finds its block from the
 * mbuf can avoid.
 */
static uint64_t
op_mempool_pair_mbuf(uint64_t *ops)
{
	unsigned int i, r, n = conf.nb_mbufs;
	uint64_t t0, t1;
	int fail = 0;

	t0 = tsc();
	for (r = 0; r < BENCH_INNER; r++) {
		for (i = 0; i < n; i++) {
			struct rte_mbuf *m = mb2[i];
			uint64_t *f = RTE_MBUF_DYNFIELD(m, dyn_off,
				uint64_t *);
			void *o;

			fail |= rte_mempool_get(floor_pool, &o);
			*f = (uintptr_t)o;
			m->ol_flags |= dyn_flag;
			o = (void *)(uintptr_t)*f;
			*f = 0;
			m->ol_flags &= ~dyn_flag;
			rte_mempool_put(floor_pool, o);
		}
		rte_compiler_barrier();
	}
	t1 = tsc();
	check(fail == 0, "mempool get via mbuf");
	*ops += (uint64_t)n * BENCH_INNER;
	return t1 - t0;
}

/* Give every mbuf of @p a a fresh extension of type @p id. */
static void
add_all(struct rte_mbuf **a, int id)
{
	unsigned int i;

	for (i = 0; i < conf.nb_mbufs; i++)
		check(rte_mbuf_extension_add(a[i], id) != NULL, "add");
}

static void
release_all(struct rte_mbuf **a)
{
	unsigned int i;

	for (i = 0; i < conf.nb_mbufs; i++)
		rte_mbuf_extension_release(a[i]);
}

/* Same access pattern as op_dynfield: find a type the mbufs have. */
static uint64_t
op_find_hit(uint64_t *ops)
{
	unsigned int i, r, n = conf.nb_mbufs;
	uint64_t sum = 0, t0, t1;

	t0 = tsc();
	for (r = 0; r < BENCH_INNER; r++) {
		for (i = 0; i < n; i++)
			sum += (uintptr_t)rte_mbuf_extension_find(mb[i], id_a);
		rte_compiler_barrier();
	}
	t1 = tsc();
	check(sum != 0, "find hit");
	sink += sum;
	*ops += (uint64_t)n * BENCH_INNER;
	return t1 - t0;
}

/* Find a type the mbufs do not have, while they have another one. */
static uint64_t
op_find_miss(uint64_t *ops)
{
	unsigned int i, r, n = conf.nb_mbufs;
	uint64_t sum = 0, t0, t1;

	t0 = tsc();
	for (r = 0; r < BENCH_INNER; r++) {
		for (i = 0; i < n; i++)
			sum += (uintptr_t)rte_mbuf_extension_find(mb[i], id_b);
		rte_compiler_barrier();
	}
	t1 = tsc();
	check(sum == 0, "find miss");
	sink += sum;
	*ops += (uint64_t)n * BENCH_INNER;
	return t1 - t0;
}

/* Find on mbufs without any extension. */
static uint64_t
op_find_none(uint64_t *ops)
{
	unsigned int i, r, n = conf.nb_mbufs;
	uint64_t sum = 0, t0, t1;

	t0 = tsc();
	for (r = 0; r < BENCH_INNER; r++) {
		for (i = 0; i < n; i++)
			sum += (uintptr_t)rte_mbuf_extension_find(mb2[i],
				id_a);
		rte_compiler_barrier();
	}
	t1 = tsc();
	check(sum == 0, "find none");
	sink += sum;
	*ops += (uint64_t)n * BENCH_INNER;
	return t1 - t0;
}

/* Add to mbufs without extension (takes a block), then release it. */
static uint64_t
op_add_release(uint64_t *ops)
{
	unsigned int i, r, n = conf.nb_mbufs;
	uint64_t sum = 0, t0, t1;

	t0 = tsc();
	for (r = 0; r < BENCH_INNER; r++) {
		for (i = 0; i < n; i++) {
			sum += (uintptr_t)rte_mbuf_extension_add(mb2[i], id_a);
			rte_mbuf_extension_release(mb2[i]);
		}
		rte_compiler_barrier();
	}
	t1 = tsc();
	check(sum != 0, "add + release");
	sink += sum;
	*ops += (uint64_t)n * BENCH_INNER;
	return t1 - t0;
}

/* Add alone, to mbufs without extension. */
static uint64_t
op_add_fresh(uint64_t *ops)
{
	unsigned int i, n = conf.nb_mbufs;
	uint64_t sum = 0, t0, t1;

	t0 = tsc();
	for (i = 0; i < n; i++)
		sum += (uintptr_t)rte_mbuf_extension_add(mb2[i], id_a);
	t1 = tsc();
	check(sum != 0, "add fresh");
	sink += sum;
	release_all(mb2);
	*ops += n;
	return t1 - t0;
}

/* Release alone, of the only reference (block refcnt 1). */
static uint64_t
op_release_1(uint64_t *ops)
{
	unsigned int i, n = conf.nb_mbufs;
	uint64_t sum = 0, t0, t1;

	add_all(mb2, id_a);
	t0 = tsc();
	for (i = 0; i < n; i++)
		sum += rte_mbuf_extension_release(mb2[i]);
	t1 = tsc();
	check(sum == n, "release 1");
	*ops += n;
	return t1 - t0;
}

/* Release of one of two references (block refcnt 2). */
static uint64_t
op_release_2(uint64_t *ops)
{
	unsigned int i, n = conf.nb_mbufs;
	uint64_t sum = 0, t0, t1;

	add_all(mb2, id_a);
	for (i = 0; i < n; i++)
		rte_mbuf_extension_share(cl[i], mb2[i]);
	t0 = tsc();
	for (i = 0; i < n; i++)
		sum += rte_mbuf_extension_release(mb2[i]);
	t1 = tsc();
	check(sum == n, "release 2");
	release_all(cl);
	*ops += n;
	return t1 - t0;
}

/* Add to an mbuf whose block is shared: copy on write. */
static uint64_t
op_add_cow(uint64_t *ops)
{
	unsigned int i, n = conf.nb_mbufs;
	uint64_t sum = 0, t0, t1;
	void *shared = NULL;

	add_all(mb2, id_a);
	for (i = 0; i < n; i++)
		rte_mbuf_extension_share(cl[i], mb2[i]);
	shared = rte_mbuf_extension_find(mb2[0], id_a);
	t0 = tsc();
	for (i = 0; i < n; i++)
		sum += (uintptr_t)rte_mbuf_extension_add(mb2[i], id_a);
	t1 = tsc();
	check(sum != 0 && rte_mbuf_extension_find(mb2[0], id_a) != shared,
		"add cow");
	release_all(mb2);
	release_all(cl);
	*ops += n;
	return t1 - t0;
}

/* rte_mbuf_extension_share() into mbufs without extension. */
static uint64_t
op_share(uint64_t *ops)
{
	unsigned int i, n = conf.nb_mbufs;
	uint64_t t0, t1;
	int ret = 0;

	t0 = tsc();
	for (i = 0; i < n; i++)
		ret |= rte_mbuf_extension_share(cl[i], mb[i]);
	t1 = tsc();
	check(ret == 0 && rte_mbuf_extension_find(cl[0], id_a) != NULL,
		"share");
	release_all(cl);
	*ops += n;
	return t1 - t0;
}

/* Delete one of two extensions (no release). */
static uint64_t
op_delete(uint64_t *ops)
{
	unsigned int i, n = conf.nb_mbufs;
	uint64_t t0, t1;

	for (i = 0; i < n; i++)
		check(rte_mbuf_extension_add(mb[i], id_b) != NULL, "add b");
	t0 = tsc();
	for (i = 0; i < n; i++)
		rte_mbuf_extension_del(mb[i], id_b);
	t1 = tsc();
	check(rte_mbuf_extension_find(mb[0], id_b) == NULL &&
		rte_mbuf_extension_find(mb[0], id_a) != NULL, "delete");
	*ops += n;
	return t1 - t0;
}

/* Delete the last extension: the block is released. */
static uint64_t
op_delete_last(uint64_t *ops)
{
	unsigned int i, n = conf.nb_mbufs;
	uint64_t t0, t1;

	add_all(mb2, id_a);
	t0 = tsc();
	for (i = 0; i < n; i++)
		rte_mbuf_extension_del(mb2[i], id_a);
	t1 = tsc();
	check(rte_mbuf_extension_find(mb2[0], id_a) == NULL, "delete last");
	*ops += n;
	return t1 - t0;
}

/* Plain rte_pktmbuf_clone() of packets with an extension. */
static uint64_t
op_clone_plain(uint64_t *ops)
{
	unsigned int i, n = conf.nb_mbufs;
	uint64_t t0, t1;

	t0 = tsc();
	for (i = 0; i < n; i++)
		cc[i] = rte_pktmbuf_clone(mb[i], mbuf_pool);
	t1 = tsc();
	for (i = 0; i < n; i++) {
		check(cc[i] != NULL, "clone");
		rte_mbuf_extension_pktmbuf_free(cc[i]);
		cc[i] = NULL;
	}
	*ops += n;
	return t1 - t0;
}

/* rte_mbuf_extension_pktmbuf_clone(): the clone shares the block. */
static uint64_t
op_clone_ext(uint64_t *ops)
{
	unsigned int i, n = conf.nb_mbufs;
	uint64_t t0, t1;

	t0 = tsc();
	for (i = 0; i < n; i++)
		cc[i] = rte_mbuf_extension_pktmbuf_clone(mb[i], mbuf_pool);
	t1 = tsc();
	for (i = 0; i < n; i++) {
		check(cc[i] != NULL, "ext clone");
		rte_mbuf_extension_pktmbuf_free(cc[i]);
		cc[i] = NULL;
	}
	*ops += n;
	return t1 - t0;
}

enum {
	OP_DYNFIELD, OP_MEMPOOL, OP_MEMPOOL_MBUF, OP_FIND_HIT, OP_FIND_MISS, OP_FIND_NONE,
	OP_ADD_RELEASE, OP_ADD_FRESH, OP_RELEASE_1, OP_ADD_COW, OP_SHARE,
	OP_CLONE_PLAIN, OP_CLONE_EXT, OP_RELEASE_2, OP_DELETE,
	OP_DELETE_LAST, OP_MAX,
};

struct bench_op {
	const char *name;
	bench_fn fn;
	int floor;       /* Index of its floor, -1 for a floor. */
	double cycles[BENCH_MAX_ROUNDS];
	double median;
	double ratio;
};

static struct bench_op ops[OP_MAX] = {
	[OP_DYNFIELD] = { "dynfield read (floor)", op_dynfield, -1 },
	[OP_MEMPOOL] = { "mempool get+put (floor)", op_mempool_pair, -1 },
	[OP_MEMPOOL_MBUF] = { "get+put via the mbuf (floor)",
		op_mempool_pair_mbuf, -1 },
	[OP_FIND_HIT] = { "find hit", op_find_hit, OP_DYNFIELD },
	[OP_FIND_MISS] = { "find miss (other type)", op_find_miss,
		OP_DYNFIELD },
	[OP_FIND_NONE] = { "find miss (no extension)", op_find_none,
		OP_DYNFIELD },
	[OP_ADD_RELEASE] = { "add fresh + release", op_add_release,
		OP_MEMPOOL },
	[OP_ADD_FRESH] = { "add fresh (alone)", op_add_fresh, OP_MEMPOOL },
	[OP_RELEASE_1] = { "release, refcnt 1", op_release_1, OP_MEMPOOL },
	[OP_ADD_COW] = { "add with COW", op_add_cow, OP_MEMPOOL },
	[OP_SHARE] = { "share (rte_mbuf_extension_share)", op_share,
		OP_MEMPOOL },
	[OP_CLONE_PLAIN] = { "rte_pktmbuf_clone (plain)", op_clone_plain,
		OP_MEMPOOL },
	[OP_CLONE_EXT] = { "rte_mbuf_extension_pktmbuf_clone",
		op_clone_ext, OP_MEMPOOL },
	[OP_RELEASE_2] = { "release, refcnt > 1", op_release_2, OP_MEMPOOL },
	[OP_DELETE] = { "delete (other type left)", op_delete, OP_DYNFIELD },
	[OP_DELETE_LAST] = { "delete last (releases)", op_delete_last,
		OP_MEMPOOL },
};

/*
 * Cycles per operation of one round of @p fn: the median over its timed
 * regions, TSC read cost taken off. The median, not the sum, so that a
 * region in which the thread was preempted (the machine is shared) does
 * not count.
 */
static double
run_round(bench_fn fn)
{
	static double per_op[BENCH_MAX_PASSES];
	uint64_t nops = 0, c;
	unsigned int p;

	/* One untimed pass: warm caches and the mempool caches. */
	fn(&nops);
	for (p = 0; p < conf.passes; p++) {
		nops = 0;
		c = fn(&nops);
		c = c > tsc_overhead ? c - tsc_overhead : 0;
		per_op[p] = (double)c / (double)nops;
	}
	return median(per_op, conf.passes);
}

/* Memory chunk search of ext_block_size(). */
struct block_search {
	uintptr_t addr;             /* An address inside a block. */
	const struct rte_mempool *found;
};

static void
block_search_chunk(struct rte_mempool *mp, void *opaque,
		struct rte_mempool_memhdr *memhdr, unsigned int mem_idx)
{
	struct block_search *bs = opaque;
	uintptr_t start = (uintptr_t)memhdr->addr;

	RTE_SET_USED(mem_idx);
	if (bs->addr >= start && bs->addr < start + memhdr->len)
		bs->found = mp;
}

static void
block_search_pool(struct rte_mempool *mp, void *opaque)
{
	rte_mempool_mem_iter(mp, block_search_chunk, opaque);
}

/*
 * Object size of the extension block pool, with the public API only: the
 * size of the objects of the mempool holding the data of an extension
 * added to an mbuf of @p mp (opted in). 64 if not found.
 */
static unsigned int
ext_block_size(struct rte_mempool *mp)
{
	struct block_search bs = { 0, NULL };
	struct rte_mbuf *m;
	void *data;

	m = rte_pktmbuf_alloc(mp);
	if (m == NULL)
		return 64;
	data = rte_mbuf_extension_add(m, id_a);
	if (data != NULL) {
		bs.addr = (uintptr_t)data;
		rte_mempool_walk(block_search_pool, &bs);
	}
	rte_mbuf_extension_pktmbuf_free(m);
	return bs.found != NULL ? bs.found->elt_size : 64;
}

static void
print_target(const char *what, double ratio, double target)
{
	printf("target: %-38s %6.3fx (<= %.1fx) %s\n", what, ratio, target,
		ratio <= target ? "met" : "NOT MET");
}

int
main(int argc, char **argv)
{
	static const struct rte_mbuf_dynfield dyn_desc = {
		.name = "mbuf_extension_bench_dynfield",
		.size = sizeof(uint64_t),
		.align = __alignof__(uint64_t),
	};
	static const struct rte_mbuf_dynflag flag_desc = {
		.name = "mbuf_extension_bench_dynflag",
	};
	static const struct rte_mbuf_extension_params pa = {
		.name = "bench_a", .size = 16, .align = 8,
	};
	static const struct rte_mbuf_extension_params pb = {
		.name = "bench_b", .size = 16, .align = 8,
	};
	struct rte_mbuf_extension_stats es;
	double hz, tmp[BENCH_MAX_ROUNDS];
	double share_clone, share_clone_ratio;
	unsigned int i, r, block_size;
	const struct bench_opt opts[] = {
		{ "mbufs", &conf.nb_mbufs, BENCH_MAX_MBUFS, NULL },
		{ "passes", &conf.passes, BENCH_MAX_PASSES, NULL },
		{ "rounds", &conf.rounds, BENCH_MAX_ROUNDS, NULL },
	};
	char model[128], loadavg[64];
	int ret, rc = 0;

	ret = bench_init(argc, argv, opts, RTE_DIM(opts));
	if (ret >= 0)
		return ret;

	dyn_off = rte_mbuf_dynfield_register(&dyn_desc);
	ret = rte_mbuf_dynflag_register(&flag_desc);
	dyn_flag = ret < 0 ? 0 : UINT64_C(1) << ret;
	id_a = rte_mbuf_extension_register(&pa);
	id_b = rte_mbuf_extension_register(&pb);
	if (dyn_off < 0 || dyn_flag == 0 || id_a < 0 || id_b < 0) {
		fprintf(stderr, "registration failed: %s\n",
			rte_strerror(rte_errno));
		rte_eal_cleanup();
		return 1;
	}
	ret = rte_mbuf_extension_pool_create(4 * BENCH_MAX_MBUFS, BENCH_CACHE,
		SOCKET_ID_ANY);
	if (ret < 0) {
		fprintf(stderr, "block pool: %s\n", rte_strerror(-ret));
		rte_eal_cleanup();
		return 1;
	}
	mbuf_pool = rte_pktmbuf_pool_create("bench_mbufs",
		4 * BENCH_MAX_MBUFS, BENCH_CACHE, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
		rte_socket_id());
	/* Every mbuf of the pool is freed with the library below. */
	if (mbuf_pool == NULL ||
			rte_mbuf_extension_pktmbuf_pool_opt_in(mbuf_pool) < 0) {
		fprintf(stderr, "mbuf pool: %s\n", rte_strerror(rte_errno));
		rte_eal_cleanup();
		return 1;
	}
	block_size = ext_block_size(mbuf_pool);
	floor_pool = rte_mempool_create("bench_floor", 4 * BENCH_MAX_MBUFS,
		block_size, BENCH_CACHE, 0, NULL, NULL, NULL, NULL,
		rte_socket_id(), 0);
	if (floor_pool == NULL ||
			rte_pktmbuf_alloc_bulk(mbuf_pool, mb,
				conf.nb_mbufs) != 0 ||
			rte_pktmbuf_alloc_bulk(mbuf_pool, mb2,
				conf.nb_mbufs) != 0 ||
			rte_pktmbuf_alloc_bulk(mbuf_pool, cl,
				conf.nb_mbufs) != 0) {
		fprintf(stderr, "pools: %s\n", rte_strerror(rte_errno));
		rte_eal_cleanup();
		return 1;
	}
	for (i = 0; i < conf.nb_mbufs; i++) {
		*RTE_MBUF_DYNFIELD(mb[i], dyn_off, uint64_t *) = i + 1;
		rte_pktmbuf_append(mb[i], 64);
	}
	/* mb[]: type a, for finds, clones, shares. mb2[], cl[]: none. */
	add_all(mb, id_a);

	hz = (double)rte_get_tsc_hz();
	machine_name(model, sizeof(model));
	load_average(loadavg, sizeof(loadavg));

	/* The TSC read cost, taken off every timed region. */
	tsc_overhead = tsc_read_cost(conf.rounds);

	for (r = 0; r < conf.rounds; r++)
		for (i = 0; i < OP_MAX; i++)
			ops[i].cycles[r] = run_round(ops[i].fn);
	/* Ratios per round, op and floor measured moments apart. */
	for (i = 0; i < OP_MAX; i++) {
		const double *f = ops[i].floor < 0 ? ops[i].cycles :
			ops[ops[i].floor].cycles;

		for (r = 0; r < conf.rounds; r++)
			tmp[r] = ops[i].cycles[r] / f[r];
		ops[i].ratio = median(tmp, conf.rounds);
	}
	for (r = 0; r < conf.rounds; r++)
		tmp[r] = ops[OP_CLONE_EXT].cycles[r] -
			ops[OP_CLONE_PLAIN].cycles[r];
	share_clone = median(tmp, conf.rounds);
	for (r = 0; r < conf.rounds; r++)
		tmp[r] = (ops[OP_CLONE_EXT].cycles[r] -
			ops[OP_CLONE_PLAIN].cycles[r]) /
			ops[OP_MEMPOOL].cycles[r];
	share_clone_ratio = median(tmp, conf.rounds);
	for (i = 0; i < OP_MAX; i++)
		ops[i].median = median(ops[i].cycles, conf.rounds);

	printf("mbuf_extension_bench\n");
	printf("machine: %s, %ld CPU(s), TSC %.0f Hz; load average %s;"
		" benchmark on lcore %u\n", model,
		sysconf(_SC_NPROCESSORS_ONLN), hz, loadavg, rte_lcore_id());
	printf("%u mbufs per pass; per round, the median of %u timed regions"
		" (%u passes each for ops without set-up, else 1); median of"
		" %u rounds; TSC read cost %" PRIu64 " cycles taken off;"
		" block %u bytes, cache %u\n", conf.nb_mbufs, conf.passes,
		BENCH_INNER, conf.rounds, tsc_overhead, block_size,
		BENCH_CACHE);
	printf("ratio: median over the rounds of op / floor in the same"
		" round\n");
#if !defined(__OPTIMIZE__) || defined(__SANITIZE_ADDRESS__)
	printf("WARNING: not an optimised build (debug or sanitizer):"
		" these figures do not tell the library's cost\n");
#endif
	printf("\n");
	printf("%-34s %8s %8s %9s  %-16s %7s\n", "operation", "cycles", "ns",
		"Mops/s", "floor", "ratio");
	for (i = 0; i < OP_MAX; i++) {
		const struct bench_op *o = &ops[i];

		printf("%-34s %8.2f %8.2f %9.1f  %-16s %6.2fx\n", o->name,
			o->median, o->median * 1e9 / hz,
			hz / o->median / 1e6,
			o->floor < 0 ? "-" : o->floor == OP_DYNFIELD ?
			"dynfield read" : "mempool pair", o->ratio);
	}
	printf("%-34s %8.2f %8.2f %9s  %-16s %6.2fx\n",
		"share on clone (ext - plain)", share_clone,
		share_clone * 1e9 / hz, "-", "mempool pair",
		share_clone_ratio);
	printf("\n");
	print_target("find hit / dynfield read", ops[OP_FIND_HIT].ratio, 1.5);
	print_target("(add fresh + release) / mempool pair",
		ops[OP_ADD_RELEASE].ratio, 1.3);
	for (r = 0; r < conf.rounds; r++)
		tmp[r] = ops[OP_ADD_RELEASE].cycles[r] /
			ops[OP_MEMPOOL_MBUF].cycles[r];
	printf("(add fresh + release) / get+put via the mbuf: %.3fx"
		" (no goal: what the library adds to any reference)\n",
		median(tmp, conf.rounds));

	/* Everything back: no block may be left in use. */
	rte_mbuf_extension_pktmbuf_free_bulk(mb, conf.nb_mbufs);
	rte_mbuf_extension_pktmbuf_free_bulk(mb2, conf.nb_mbufs);
	rte_mbuf_extension_pktmbuf_free_bulk(cl, conf.nb_mbufs);
	if (rte_mbuf_extension_stats_get(&es) < 0)
		es.in_use = UINT64_MAX;
	printf("\nblocks in use at the end: %" PRIu64 " (stats), %u (pool);"
		" %" PRIu64 " check(s) failed\n", es.in_use,
		rte_mbuf_extension_pool_in_use(), bench_errors);
	if (es.in_use != 0 || rte_mbuf_extension_pool_in_use() != 0 ||
			bench_errors != 0)
		rc = 1;
	if (sink == 42)
		printf("\n"); /* Keeps sink alive. */
	rte_mempool_free(floor_pool);
	rte_eal_cleanup();
	return rc;
}
