/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * Benchmark command (not a test): cost of the mbuf_ext mempool handler
 * against DPDK's ring_mp_mc with and without its per-lcore cache, in the
 * pattern of a forwarding core: allocate a burst of 32 mbufs as an RX PMD
 * does (rte_pktmbuf_alloc_bulk), then free them one by one as a TX PMD
 * does (rte_pktmbuf_free), or as one bulk put (rte_pktmbuf_free_bulk).
 * With "ext", every packet also gets one extension on "RX": with the
 * default handler the pool is opted in
 * (rte_mbuf_extension_pktmbuf_pool_opt_in()) and the application must
 * free with rte_mbuf_extension_pktmbuf_free(); with mbuf_ext plain
 * rte_pktmbuf_free() releases it.
 *
 * Usage: bench_mbuf_ext [EAL args] -- [rounds] [bursts per run]
 * Cycles are TSC cycles of the thread's CPU time (descheduled time is
 * not counted); each configuration keeps its best round.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include <rte_mbuf_extension.h>
#include <rte_mempool_mbuf_ext.h>

#define BURST 32
#define NB_MBUF 16384
#define CACHE 250

enum free_mode { FREE_ONE, FREE_BULK };

struct config {
	const char *label;
	const char *ops;
	unsigned int cache;
	enum free_mode mode;
	int ext;
	struct rte_mempool *mp;
	double best; /* cycles per packet, lowest over the rounds */
};

static int ext_id = -1;

/* CPU time of the calling thread, ns: time spent descheduled by other
 * processes on a shared machine is not counted.
 */
static uint64_t
thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec;
}

/* One run; returns the thread's CPU time in ns. */
static uint64_t
run(struct config *cfg, unsigned int bursts)
{
	struct rte_mbuf *pkts[BURST];
	uint64_t start;
	unsigned int b, i;

	start = thread_cpu_ns();
	for (b = 0; b < bursts; b++) {
		if (rte_pktmbuf_alloc_bulk(cfg->mp, pkts, BURST) != 0)
			rte_exit(EXIT_FAILURE, "pool %s empty\n", cfg->label);
		if (cfg->ext) {
			for (i = 0; i < BURST; i++) {
				uint64_t *v = rte_mbuf_extension_add(pkts[i],
					ext_id);

				if (v == NULL)
					rte_exit(EXIT_FAILURE, "add failed\n");
				*v = b;
			}
		}
		if (cfg->ext && strcmp(cfg->ops, "mbuf_ext") != 0) {
			/* The default handler needs the explicit free. */
			if (cfg->mode == FREE_BULK)
				rte_mbuf_extension_pktmbuf_free_bulk(pkts,
					BURST);
			else
				for (i = 0; i < BURST; i++)
					rte_mbuf_extension_pktmbuf_free(
						pkts[i]);
		} else if (cfg->mode == FREE_BULK) {
			rte_pktmbuf_free_bulk(pkts, BURST);
		} else {
			for (i = 0; i < BURST; i++)
				rte_pktmbuf_free(pkts[i]);
		}
	}
	return thread_cpu_ns() - start;
}

int
main(int argc, char **argv)
{
	static struct config cfgs[] = {
		{ "ring_mp_mc cache 250, free one", "ring_mp_mc", CACHE,
			FREE_ONE, 0, NULL, 0 },
		{ "mbuf_ext   cache 250, free one", "mbuf_ext", CACHE,
			FREE_ONE, 0, NULL, 0 },
		{ "ring_mp_mc no cache,  free one", "ring_mp_mc", 0,
			FREE_ONE, 0, NULL, 0 },
		{ "ring_mp_mc cache 250, free bulk", "ring_mp_mc", CACHE,
			FREE_BULK, 0, NULL, 0 },
		{ "mbuf_ext   cache 250, free bulk", "mbuf_ext", CACHE,
			FREE_BULK, 0, NULL, 0 },
		{ "ring_mp_mc cache 250, ext, explicit free one", "ring_mp_mc",
			CACHE, FREE_ONE, 1, NULL, 0 },
		{ "mbuf_ext   cache 250, ext, plain free one", "mbuf_ext",
			CACHE, FREE_ONE, 1, NULL, 0 },
	};
	struct rte_mbuf_extension_params params = {
		.name = "bench_u64", .size = 8, .align = 8,
	};
	unsigned int rounds = 20, bursts = 20000, r, i;
	double hz;
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		rte_exit(EXIT_FAILURE, "EAL init failed\n");
	argc -= ret;
	argv += ret;
	if (argc > 1)
		rounds = (unsigned int)atoi(argv[1]);
	if (argc > 2)
		bursts = (unsigned int)atoi(argv[2]);
	if (rounds == 0 || bursts == 0)
		rte_exit(EXIT_FAILURE, "usage: -- [rounds] [bursts]\n");

	ext_id = rte_mbuf_extension_register(&params);
	if (ext_id < 0 || rte_mbuf_extension_pool_create(4096, 256,
			SOCKET_ID_ANY) != 0)
		rte_exit(EXIT_FAILURE, "extension setup failed\n");

	for (i = 0; i < RTE_DIM(cfgs); i++) {
		char name[RTE_MEMPOOL_NAMESIZE];

		snprintf(name, sizeof(name), "bench%u", i);
		if (strcmp(cfgs[i].ops, RTE_MEMPOOL_MBUF_EXT_OPS_NAME) == 0)
			cfgs[i].mp = rte_mbuf_extension_pktmbuf_pool_create(
				name, NB_MBUF, cfgs[i].cache, 0,
				RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
		else
			cfgs[i].mp = rte_pktmbuf_pool_create_by_ops(name,
				NB_MBUF, cfgs[i].cache, 0,
				RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY,
				cfgs[i].ops);
		if (cfgs[i].mp == NULL)
			rte_exit(EXIT_FAILURE, "cannot create %s\n", name);
		/* The default handler's pool with extensions: opted in,
		 * freed with the library (see run()).
		 */
		if (cfgs[i].ext && strcmp(cfgs[i].ops,
				RTE_MEMPOOL_MBUF_EXT_OPS_NAME) != 0 &&
				rte_mbuf_extension_pktmbuf_pool_opt_in(
					cfgs[i].mp) != 0)
			rte_exit(EXIT_FAILURE, "cannot opt %s in\n", name);
		cfgs[i].best = 1e30;
	}
	hz = (double)rte_get_tsc_hz();

	/* Alternate the configurations in every round; keep the best. */
	for (r = 0; r < rounds; r++) {
		for (i = 0; i < RTE_DIM(cfgs); i++) {
			/* TSC cycles per packet of CPU time. */
			double c = (double)run(&cfgs[i], bursts) * hz / 1e9 /
				((double)bursts * BURST);

			if (c < cfgs[i].best)
				cfgs[i].best = c;
		}
	}

	printf("mempool handler benchmark: alloc bulk %d, free, %u rounds of %u bursts, best round\n",
		BURST, rounds, bursts);
	printf("cycles: TSC cycles (%.2f GHz) of thread CPU time per packet\n",
		hz / 1e9);
	for (i = 0; i < RTE_DIM(cfgs); i++)
		printf("  %-46s %7.2f cycles/pkt %6.2f ns/pkt %7.2f Mpps\n",
			cfgs[i].label, cfgs[i].best,
			cfgs[i].best * 1e9 / hz, hz / cfgs[i].best / 1e6);
	printf("ratio mbuf_ext / ring_mp_mc cache, free one:  %.1f%%\n",
		100.0 * cfgs[0].best / cfgs[1].best);
	printf("ratio no cache / ring_mp_mc cache, free one:  %.1f%%\n",
		100.0 * cfgs[0].best / cfgs[2].best);
	printf("ratio mbuf_ext / ring_mp_mc cache, free bulk: %.1f%%\n",
		100.0 * cfgs[3].best / cfgs[4].best);
	printf("ratio mbuf_ext plain free / explicit free, with extension: %.1f%%\n",
		100.0 * cfgs[5].best / cfgs[6].best);

	for (i = 0; i < RTE_DIM(cfgs); i++)
		rte_mempool_free(cfgs[i].mp);
	rte_mbuf_extension_pool_free();
	rte_eal_cleanup();
	return 0;
}
