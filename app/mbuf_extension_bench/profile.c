/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * Where the cycles of "add fresh + release" go: the loop of
 * mbuf_extension_bench (256 mbufs, add then release on each), built up
 * step by step from the library's own inline pieces, each step timed in
 * the same round as the others. Step N does everything step N - 1 does,
 * plus one piece:
 *
 *   0  rte_mempool_get() + rte_mempool_put() of a block (the floor)
 *   1  + the block's pointer stored in the mbuf's reference and read back
 *   2  + the pool check of the mbuf (handler or opted in)
 *   3  + the block header set up on get, the owner slot released on put
 *   4  + the owner check on release, the dynamic flag set and cleared
 *   5  + the type placed and its data zeroed
 *   6  rte_mbuf_extension_add() + rte_mbuf_extension_release() (adds the
 *      argument checks and the branches of the real functions)
 *
 * and the same for a find that hits, against a read of the reference word:
 *
 *   0  the reference word read (the floor of the benchmark reads a
 *      dynamic field the same way)
 *   1  + the dynamic flag tested (the mbuf's first cache line)
 *   2  + the type's active bit tested
 *   3  + the owner check (the block's header line)
 *   4  + the data offset read, never the header
 *   5  rte_mbuf_extension_find() as shipped (adds the argument checks)
 *
 * A measurement tool for the guide, not a test and not an API example: it
 * uses the internal helpers of rte_mbuf_extension_core.h.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include <rte_mbuf_extension.h>

#include "bench_util.h"

#define NB 256
#define INNER 16
#define REGIONS 301
#define ROUNDS 11
#define STEPS 7

static struct rte_mbuf *mb[NB];
static int id;
static uint64_t sink;

/* One add + release of step @p step on @p m. */
static __rte_always_inline void
step_op(struct rte_mbuf *m, int step)
{
	struct rte_mbuf_extension_ref *ref = __rte_mbuf_extension_ref(m);
	struct rte_mbuf_extension_block *blk;
	uint64_t word;
	void *obj;

	if (step == 6) {
		sink += (uintptr_t)rte_mbuf_extension_add(m, id);
		rte_mbuf_extension_release(m);
		return;
	}
	if (step >= 2 && !__rte_mbuf_extension_pool_ok(m))
		return;
	if (rte_mempool_get(rte_mbuf_extension_fp.alloc_pool, &obj) < 0)
		return;
	blk = obj;
	if (step >= 3)
		__rte_mbuf_extension_block_init(blk, m,
			RTE_MBUF_EXTENSION_HDR_CHUNKS, 0);
	if (step >= 1) {
		ref->gen = blk->gen;
		__atomic_store_n(&ref->word, (uintptr_t)blk |
			UINT64_C(1) << (id + RTE_MBUF_EXTENSION_ACTIVE_SHIFT),
			__ATOMIC_RELAXED);
	}
	if (step >= 4)
		m->ol_flags |= rte_mbuf_extension_fp.valid_flag;
	if (step >= 5)
		sink += (uintptr_t)__rte_mbuf_extension_place_first(blk, id);
	/* release */
	if (step >= 1) {
		word = ref->word;
		ref->word = 0;
		blk = __rte_mbuf_extension_word_block(word);
	}
	if (step >= 4) {
		m->ol_flags &= ~rte_mbuf_extension_fp.valid_flag;
		if (!__rte_mbuf_extension_owns(m, word))
			return;
	}
	if (step >= 3)
		__rte_mbuf_extension_block_put(blk, 0);
	else
		rte_mempool_put(rte_mbuf_extension_fp.alloc_pool, blk);
}

/* One find of step @p step on @p m; returns what it found (or 0). */
static __rte_always_inline uintptr_t
find_op(const struct rte_mbuf *m, int step)
{
	const struct rte_mbuf_extension_ref *ref = __rte_mbuf_extension_ref(m);
	const struct rte_mbuf_extension_block *blk;
	uint64_t word;

	if (step == 5)
		return (uintptr_t)rte_mbuf_extension_find(m, id);
	if (step >= 1 && !(m->ol_flags & rte_mbuf_extension_fp.valid_flag))
		return 0;
	word = ref->word;
	blk = __rte_mbuf_extension_word_block(word);
	if (step <= 1)
		return (uintptr_t)blk;
	if (!(word & (UINT64_C(1) << (id + RTE_MBUF_EXTENSION_ACTIVE_SHIFT))))
		return 0;
	if (step == 2)
		return (uintptr_t)blk;
	if (!__rte_mbuf_extension_owns(m, word))
		return 0;
	if (step == 3)
		return (uintptr_t)blk;
	if (blk->offset[id] == 0)
		return 0;
	return (uintptr_t)__rte_mbuf_extension_at(blk, blk->offset[id]);
}

#define FIND_FN(n)						\
static uint64_t							\
find_##n(void)							\
{								\
	uint64_t t0 = tsc(), sum = 0;				\
	unsigned int i, r;					\
	int i_d = id;						\
								\
	RTE_SET_USED(i_d);					\
	for (r = 0; r < INNER; r++) {				\
		for (i = 0; i < NB; i++)			\
			sum += find_op(mb[i], n);		\
		rte_compiler_barrier();				\
	}							\
	sink += sum;						\
	return tsc() - t0;					\
}
FIND_FN(0)
FIND_FN(1)
FIND_FN(2)
FIND_FN(3)
FIND_FN(4)
FIND_FN(5)

#define FSTEPS 6

static uint64_t (* const fsteps[FSTEPS])(void) = {
	find_0, find_1, find_2, find_3, find_4, find_5,
};

static const char * const fnames[FSTEPS] = {
	"reference word read (floor)",
	"+ dynamic flag",
	"+ active bit",
	"+ owner check",
	"+ data offset",
	"find() as shipped",
};

#define STEP_FN(n)						\
static uint64_t							\
step_##n(void)							\
{								\
	uint64_t t0 = tsc();					\
	unsigned int i, r;					\
								\
	for (r = 0; r < INNER; r++) {				\
		for (i = 0; i < NB; i++)			\
			step_op(mb[i], n);			\
		rte_compiler_barrier();				\
	}							\
	return tsc() - t0;					\
}
STEP_FN(0)
STEP_FN(1)
STEP_FN(2)
STEP_FN(3)
STEP_FN(4)
STEP_FN(5)
STEP_FN(6)

static uint64_t (* const steps[STEPS])(void) = {
	step_0, step_1, step_2, step_3, step_4, step_5, step_6,
};

static const char * const names[STEPS] = {
	"mempool get+put of a block (floor)",
	"+ block pointer through the mbuf",
	"+ pool check",
	"+ header set-up, slot release",
	"+ owner check, dynamic flag",
	"+ type placed, data zeroed",
	"add() + release() as shipped",
};

int
main(int argc, char **argv)
{
	static const struct rte_mbuf_extension_params p = {
		.name = "profile_a", .size = 16, .align = 8,
	};
	static double cyc[STEPS][ROUNDS], fcyc[FSTEPS][ROUNDS], reg[REGIONS];
	struct rte_mempool *mp;
	unsigned int s, r, k;

	if (rte_eal_init(argc, argv) < 0)
		return 1;
	id = rte_mbuf_extension_register(&p);
	mp = rte_pktmbuf_pool_create("profile_mbufs", 4 * NB, 256, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (id < 0 || mp == NULL ||
			rte_mbuf_extension_pool_create(4 * NB, 256,
				SOCKET_ID_ANY) < 0 ||
			rte_mbuf_extension_pktmbuf_pool_opt_in(mp) < 0 ||
			rte_pktmbuf_alloc_bulk(mp, mb, NB) != 0) {
		fprintf(stderr, "set-up failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	for (r = 0; r < ROUNDS; r++) {
		for (s = 0; s < STEPS; s++) {
			steps[s]();
			for (k = 0; k < REGIONS; k++)
				reg[k] = (double)steps[s]() / (NB * INNER);
			cyc[s][r] = median(reg, REGIONS);
		}
	}
	printf("add fresh + release, built up step by step (cycles per"
		" op, median of %u rounds, lcore %u)\n", ROUNDS,
		rte_lcore_id());
	for (s = 0; s < STEPS; s++) {
		double prev = s == 0 ? 0 : median(cyc[s - 1], ROUNDS);
		double cur = median(cyc[s], ROUNDS);

		printf("%u  %-36s %7.2f  %+6.2f\n", s, names[s], cur,
			cur - prev);
	}
	for (k = 0; k < NB; k++)
		if (rte_mbuf_extension_add(mb[k], id) == NULL)
			return 1;
	for (r = 0; r < ROUNDS; r++) {
		for (s = 0; s < FSTEPS; s++) {
			fsteps[s]();
			for (k = 0; k < REGIONS; k++)
				reg[k] = (double)fsteps[s]() / (NB * INNER);
			fcyc[s][r] = median(reg, REGIONS);
		}
	}
	printf("find hit, built up step by step\n");
	for (s = 0; s < FSTEPS; s++) {
		double prev = s == 0 ? 0 : median(fcyc[s - 1], ROUNDS);
		double cur = median(fcyc[s], ROUNDS);

		printf("%u  %-36s %7.2f  %+6.2f\n", s, fnames[s], cur,
			cur - prev);
	}
	for (k = 0; k < NB; k++)
		rte_mbuf_extension_release(mb[k]);
	rte_pktmbuf_free_bulk(mb, NB);
	if (rte_mbuf_extension_pool_in_use() != 0 || sink == 42) {
		fprintf(stderr, "blocks left in use: %u\n",
			rte_mbuf_extension_pool_in_use());
		return 1;
	}
	rte_eal_cleanup();
	return 0;
}
