/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * Forwarding demo of the mbuf extension library.
 *
 * Two software ports, 0 and 1, forward packets to each other: one lcore
 * receives on port 0 and transmits on port 1, the other receives on port 1
 * and transmits on port 0 (with one lcore, the main lcore does both).
 *
 * With net_ring ports (--vdev net_ring0 --vdev net_ring1) each port's TX
 * ring is its own RX ring, so packets really move: a packet sent on port 1
 * is received on port 1 and forwarded to port 0, and so on. The demo
 * injects --inflight packets per port at start (as testpmd --tx-first), and
 * the same mbufs circulate until the end, when they are drained and freed.
 * With net_null ports RX makes packets and TX frees them; the code is the
 * same.
 *
 * For every received packet the forwarder:
 * - checks it carries no extension (one left over would be a leak or a
 *   stale view),
 * - adds the "demo_meta" extension (RX port, RX lcore, RX TSC, sequence),
 * - every --clone-every packets makes a clone, alternately with
 *   rte_mbuf_extension_pktmbuf_clone() (the clone holds its own reference:
 *   shared block) and plain rte_pktmbuf_clone() (the clone borrows the
 *   view of the packet it pins). On a shared clone it adds the extension
 *   again, which copies the block (copy on write), and checks the original
 *   does not see the change;
 * - on the TX side checks the extension of every packet and clone, frees
 *   the clones with rte_mbuf_extension_pktmbuf_free(), then drops each
 *   packet's extension with rte_mbuf_extension_release() and transmits.
 *
 * The mbuf pool is a plain rte_pktmbuf_pool_create() pool, opted in with
 * rte_mbuf_extension_pktmbuf_pool_opt_in(): the demo promises that every
 * mbuf holding a reference is freed with rte_mbuf_extension_pktmbuf_free().
 * Why release before TX: a PMD frees the packets it has sent with plain
 * rte_pktmbuf_free() (net_null does so at once, a NIC after DMA), which
 * knows nothing of extensions: the block would leak. The clones are freed
 * first, so the packet's mbuf refcnt is 1 and the release is the
 * refcnt==1 fast path. Packets the PMD does not accept are freed with
 * rte_mbuf_extension_pktmbuf_free(). (A pool with the "mbuf_ext" mempool
 * handler, drivers/mempool/mbuf_ext, would make the release before TX
 * unnecessary.)
 *
 * With --pool handler the mbuf pool has the "mbuf_ext" mempool handler
 * instead (load it with the EAL option -d librte_mempool_mbuf_ext.so),
 * and packets leave with their extension: net_ring hands the same
 * mbuf to the other port, so a packet arrives carrying the extension its
 * previous hop added. The forwarder checks it (received on the other
 * port), deletes it and adds its own. When forwarding stops, every block
 * in use must belong to a packet waiting in a ring: the demo reads the
 * blocks in use, drains the rings and compares.
 *
 * With --pdump the demo calls rte_pdump_init(), so that dpdk-pdump (a
 * secondary process) can capture its ports; pdump copies each packet with
 * rte_pktmbuf_copy(), reference field and flag included. Once forwarding
 * stopped (after --time, or on SIGUSR1) and the rings are drained, the
 * demo waits (--linger seconds, or until SIGINT/SIGTERM) with its ports
 * up so that the capture can be stopped before the ports go.
 *
 * At the end the demo prints packets per port, Mpps, clones, the
 * extension statistics, and the blocks in use from the statistics and from
 * the block pool; it exits non-zero unless both are 0, every mbuf is back
 * in its pool, the library counted one share per library clone and one
 * copy per copy on write, no add was refused and no check failed.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include <rte_pdump.h>

#include <rte_mbuf_extension.h>

#define DEMO_NB_PORTS 2
#define DEMO_MAX_BURST 64
#define DEMO_NB_DESC 1024
#define DEMO_MBUF_CACHE 256
#define DEMO_BLOCK_CACHE 64
#define DEMO_PKT_LEN 64
#define DEMO_DRAIN_ROUNDS 1024

/* The extension every packet gets on RX. */
struct demo_meta {
	uint64_t rx_tsc;   /* TSC when the burst was received. */
	uint64_t seq;      /* Sequence number on the forwarding lcore. */
	uint16_t rx_port;  /* Port it was received on. */
	uint16_t rx_lcore; /* Lcore that received it. */
	uint32_t mark;     /* 0; set on copies to check copy on write. */
};

/* Counters of one forwarding direction (RX port). */
struct demo_fwd_stats {
	uint64_t rx;           /* Packets received. */
	uint64_t tx;           /* Packets the TX port accepted. */
	uint64_t tx_drop;      /* Packets the TX port refused, freed. */
	uint64_t clone_ext;    /* Clones by rte_mbuf_extension_pktmbuf_clone. */
	uint64_t clone_plain;  /* Clones by rte_pktmbuf_clone. */
	uint64_t clone_fail;   /* Clones that could not be made. */
	uint64_t cow;          /* Adds on a shared clone (copy on write). */
	uint64_t no_ext;       /* Packets whose add failed (pool empty). */
	uint64_t stale;        /* Packets received with an extension. */
	uint64_t carried;      /* Handler pool: extension of the last hop. */
	uint64_t bad;          /* Extension checks that failed. */
} __rte_cache_aligned;

struct demo_conf {
	double time_s;           /* Run time limit, seconds. */
	uint64_t max_packets;    /* Stop when a port forwarded this many. */
	unsigned int inflight;   /* Packets injected per port. */
	unsigned int burst;      /* RX burst size. */
	unsigned int clone_every; /* Clone one packet in this many; 0: none. */
	bool handler;            /* Pool with the mbuf_ext handler. */
	bool pdump;              /* rte_pdump_init(). */
	double linger_s;         /* Wait with the ports up at the end. */
};

static struct demo_conf conf = {
	.time_s = 5.0,
	.max_packets = 0,
	.inflight = 256,
	.burst = 32,
	.clone_every = 8,
};

static uint16_t ports[DEMO_NB_PORTS];
static struct rte_mempool *mbuf_pool;
static int meta_id;
static struct demo_fwd_stats fwd_stats[DEMO_NB_PORTS];
static uint32_t stop;
static uint32_t stop_linger;
static uint64_t deadline_tsc;

/* Per forwarding direction state kept by its lcore. */
struct demo_fwd {
	unsigned int rx_idx; /* Index in ports[] of the RX port. */
	uint64_t seq;
};

static void
signal_handler(int signum)
{
	/* SIGUSR1 stops forwarding only; the demo still lingers. */
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	if (signum != SIGUSR1)
		__atomic_store_n(&stop_linger, 1, __ATOMIC_RELAXED);
}

static int
check_meta(const struct demo_meta *meta, const struct demo_fwd *f,
		uint64_t seq, uint64_t tsc)
{
	return meta != NULL && meta->seq == seq && meta->rx_tsc == tsc &&
		meta->rx_port == ports[f->rx_idx] &&
		meta->rx_lcore == rte_lcore_id() && meta->mark == 0;
}

/*
 * Make a clone of @p m, alternately with the library helper and with plain
 * rte_pktmbuf_clone(), and on a helper clone add the extension again
 * (copy on write). Returns the clone or NULL.
 */
static struct rte_mbuf *
demo_clone(struct rte_mbuf *m, const struct demo_meta *meta,
		uint64_t nb_clones, struct demo_fwd_stats *st)
{
	struct demo_meta *copy;
	struct rte_mbuf *c;

	if (nb_clones & 1) {
		/* Plain DPDK clone: it pins m and reads m's block. */
		c = rte_pktmbuf_clone(m, mbuf_pool);
		if (c == NULL)
			goto fail;
		st->clone_plain++;
		if (rte_mbuf_extension_find(c, meta_id) != meta)
			st->bad++;
		return c;
	}
	/* Library clone: holds a reference to the same block. */
	c = rte_mbuf_extension_pktmbuf_clone(m, mbuf_pool);
	if (c == NULL)
		goto fail;
	st->clone_ext++;
	if (rte_mbuf_extension_find(c, meta_id) != meta)
		st->bad++;
	/* Adding to the shared block copies it first. */
	copy = rte_mbuf_extension_add(c, meta_id);
	if (copy == NULL) {
		st->no_ext++;
		return c;
	}
	st->cow++;
	if (copy == meta || copy->seq != meta->seq)
		st->bad++;
	copy->mark = 1;
	if (meta->mark != 0 ||
			rte_mbuf_extension_find(c, meta_id) != copy)
		st->bad++;
	return c;
fail:
	st->clone_fail++;
	return NULL;
}

/* One burst from ports[f->rx_idx] to the other port. */
static unsigned int
demo_fwd_burst(struct demo_fwd *f)
{
	struct demo_fwd_stats *st = &fwd_stats[f->rx_idx];
	uint16_t rx_port = ports[f->rx_idx];
	uint16_t tx_port = ports[f->rx_idx ^ 1];
	struct rte_mbuf *pkts[DEMO_MAX_BURST];
	struct rte_mbuf *clones[DEMO_MAX_BURST];
	struct demo_meta *meta[DEMO_MAX_BURST];
	unsigned int clone_of[DEMO_MAX_BURST];
	unsigned int nb_clones = 0;
	uint16_t nb_rx, nb_tx, i;
	uint64_t seq0, tsc;

	nb_rx = rte_eth_rx_burst(rx_port, 0, pkts, conf.burst);
	if (nb_rx == 0)
		return 0;
	tsc = rte_rdtsc();
	seq0 = f->seq;
	st->rx += nb_rx;

	/* RX side: attach the extension, clone some packets. */
	for (i = 0; i < nb_rx; i++) {
		struct rte_mbuf *m = pkts[i];
		uint64_t seq = f->seq++;

		meta[i] = rte_mbuf_extension_find(m, meta_id);
		if (meta[i] != NULL && !conf.handler) {
			st->stale++;
		} else if (meta[i] != NULL) {
			/* Added by the previous hop, on the other port. */
			if (meta[i]->rx_port != ports[f->rx_idx ^ 1] ||
					meta[i]->mark != 0)
				st->bad++;
			st->carried++;
			rte_mbuf_extension_del(m, meta_id);
			if (rte_mbuf_extension_find(m, meta_id) != NULL)
				st->bad++;
		}
		meta[i] = rte_mbuf_extension_add(m, meta_id);
		if (meta[i] == NULL) {
			st->no_ext++;
			continue;
		}
		meta[i]->rx_tsc = tsc;
		meta[i]->seq = seq;
		meta[i]->rx_port = rx_port;
		meta[i]->rx_lcore = (uint16_t)rte_lcore_id();
		if (conf.clone_every != 0 && seq % conf.clone_every == 0) {
			struct rte_mbuf *c = demo_clone(m, meta[i],
				st->clone_ext + st->clone_plain, st);

			if (c != NULL) {
				clones[nb_clones] = c;
				clone_of[nb_clones++] = i;
			}
		}
	}

	/* TX side: check and free the clones, check the packets. */
	for (i = 0; i < nb_clones; i++) {
		struct demo_meta *cm = rte_mbuf_extension_find(clones[i],
			meta_id);
		unsigned int k = clone_of[i];

		if (cm == NULL || cm->seq != seq0 + k ||
				cm->rx_port != rx_port)
			st->bad++;
		rte_mbuf_extension_pktmbuf_free(clones[i]);
	}
	for (i = 0; i < nb_rx; i++) {
		struct rte_mbuf *m = pkts[i];

		if (meta[i] == NULL)
			continue;
		if (rte_mbuf_extension_find(m, meta_id) != meta[i] ||
				!check_meta(meta[i], f, seq0 + i, tsc))
			st->bad++;
		/* The handler releases the block when the mbuf is freed. */
		if (conf.handler)
			continue;
		/*
		 * The PMD frees sent packets with plain rte_pktmbuf_free():
		 * drop the extension now. The clones are gone, so m's refcnt
		 * is 1 as rte_mbuf_extension_release() requires.
		 */
		if (rte_mbuf_refcnt_read(m) != 1 ||
				rte_mbuf_extension_release(m) != 1)
			st->bad++;
	}

	nb_tx = rte_eth_tx_burst(tx_port, 0, pkts, nb_rx);
	st->tx += nb_tx;
	if (unlikely(nb_tx < nb_rx)) {
		st->tx_drop += nb_rx - nb_tx;
		rte_mbuf_extension_pktmbuf_free_bulk(&pkts[nb_tx],
			nb_rx - nb_tx);
	}
	return nb_rx;
}

static bool
demo_should_stop(const struct demo_fwd *fwd, unsigned int n)
{
	unsigned int i;

	if (__atomic_load_n(&stop, __ATOMIC_RELAXED))
		return true;
	if (rte_rdtsc() >= deadline_tsc)
		goto stop;
	for (i = 0; i < n && conf.max_packets != 0; i++)
		if (fwd_stats[fwd[i].rx_idx].tx >= conf.max_packets)
			goto stop;
	return false;
stop:
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	return true;
}

/* Forwarding loop of the lcore, over @p n directions. */
static int
demo_fwd_loop(struct demo_fwd *fwd, unsigned int n)
{
	unsigned int i;

	while (!demo_should_stop(fwd, n))
		for (i = 0; i < n; i++)
			demo_fwd_burst(&fwd[i]);
	return 0;
}

static int
demo_worker(void *arg)
{
	return demo_fwd_loop(arg, 1);
}

static int
port_init(uint16_t port)
{
	struct rte_eth_conf port_conf;
	int ret;

	memset(&port_conf, 0, sizeof(port_conf));
	ret = rte_eth_dev_configure(port, 1, 1, &port_conf);
	if (ret < 0)
		return ret;
	ret = rte_eth_rx_queue_setup(port, 0, DEMO_NB_DESC,
		rte_eth_dev_socket_id(port), NULL, mbuf_pool);
	if (ret < 0)
		return ret;
	ret = rte_eth_tx_queue_setup(port, 0, DEMO_NB_DESC,
		rte_eth_dev_socket_id(port), NULL);
	if (ret < 0)
		return ret;
	return rte_eth_dev_start(port);
}

/* Send conf.inflight new packets, without extensions, on @p port. */
static int
inject(uint16_t port)
{
	struct rte_mbuf *pkts[DEMO_MAX_BURST];
	unsigned int left = conf.inflight;

	while (left != 0) {
		unsigned int n = RTE_MIN(left, RTE_DIM(pkts));
		uint16_t i, sent;

		if (rte_pktmbuf_alloc_bulk(mbuf_pool, pkts, n) != 0)
			return -ENOMEM;
		for (i = 0; i < n; i++) {
			char *d = rte_pktmbuf_append(pkts[i], DEMO_PKT_LEN);

			if (d != NULL)
				memset(d, 0, DEMO_PKT_LEN);
		}
		sent = rte_eth_tx_burst(port, 0, pkts, n);
		if (sent < n)
			rte_pktmbuf_free_bulk(&pkts[sent], n - sent);
		left -= n;
	}
	return 0;
}

/*
 * Receive and free what is left in the ports; returns packets freed.
 * Counts in @p with_ext those carrying the extension.
 */
static uint64_t
drain(uint64_t *with_ext)
{
	struct rte_mbuf *pkts[DEMO_MAX_BURST];
	uint64_t total = 0;
	unsigned int round, p;
	uint16_t n, i;
	bool again = true;

	/* Bounded: a net_null port never runs dry. */
	for (round = 0; again && round < DEMO_DRAIN_ROUNDS; round++) {
		again = false;
		for (p = 0; p < DEMO_NB_PORTS; p++) {
			n = rte_eth_rx_burst(ports[p], 0, pkts,
				DEMO_MAX_BURST);
			for (i = 0; i < n; i++)
				if (rte_mbuf_extension_find(pkts[i],
						meta_id) != NULL)
					(*with_ext)++;
			rte_mbuf_extension_pktmbuf_free_bulk(pkts, n);
			total += n;
			if (n != 0)
				again = true;
		}
	}
	return total;
}

static void
usage(const char *prog)
{
	printf("Usage: %s [EAL options] -- [options]\n"
		"  --time SEC         run time limit (default %.1f)\n"
		"  --packets N        stop when a port forwarded N packets\n"
		"  --inflight N       packets injected per port (default %u)\n"
		"  --burst N          RX burst, 1 to %u (default %u)\n"
		"  --clone-every N    clone one packet in N, 0: none"
		" (default %u)\n"
		"  --pool KIND        opt-in (default): plain pool, extension"
		" released\n"
		"                     before TX; handler: mbuf_ext handler,"
		" packets leave\n"
		"                     with their extension\n"
		"  --pdump            rte_pdump_init(): dpdk-pdump may capture\n"
		"  --linger SEC       at the end, wait with the ports up"
		" (default 0)\n"
		"SIGINT or SIGTERM stops forwarding and lingering, SIGUSR1"
		" forwarding only.\n"
		"Needs two ports, e.g. --vdev net_ring0 --vdev net_ring1.\n",
		prog, conf.time_s, conf.inflight, DEMO_MAX_BURST, conf.burst,
		conf.clone_every);
}

static int
parse_args(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "time", required_argument, NULL, 't' },
		{ "packets", required_argument, NULL, 'p' },
		{ "inflight", required_argument, NULL, 'i' },
		{ "burst", required_argument, NULL, 'b' },
		{ "clone-every", required_argument, NULL, 'c' },
		{ "pool", required_argument, NULL, 'P' },
		{ "pdump", no_argument, NULL, 'd' },
		{ "linger", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int opt;

	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		unsigned long long v = 0;

		if (opt != 'h' && opt != '?' && opt != 't' && opt != 'P' &&
				opt != 'd' && opt != 'l') {
			errno = 0;
			v = strtoull(optarg, &end, 0);
			if (errno != 0 || *end != '\0' || end == optarg)
				goto bad;
		}
		switch (opt) {
		case 't':
			conf.time_s = strtod(optarg, &end);
			if (*end != '\0' || !(conf.time_s > 0))
				goto bad;
			break;
		case 'p':
			conf.max_packets = v;
			break;
		case 'i':
			if (v == 0 || v > 65536)
				goto bad;
			conf.inflight = (unsigned int)v;
			break;
		case 'b':
			if (v == 0 || v > DEMO_MAX_BURST)
				goto bad;
			conf.burst = (unsigned int)v;
			break;
		case 'c':
			if (v > UINT32_MAX)
				goto bad;
			conf.clone_every = (unsigned int)v;
			break;
		case 'P':
			if (strcmp(optarg, "handler") == 0)
				conf.handler = true;
			else if (strcmp(optarg, "opt-in") == 0)
				conf.handler = false;
			else
				goto bad;
			break;
		case 'd':
			conf.pdump = true;
			break;
		case 'l':
			conf.linger_s = strtod(optarg, &end);
			if (*end != '\0' || !(conf.linger_s >= 0))
				goto bad;
			break;
		case 'h':
			usage(argv[0]);
			exit(0);
		default:
			goto bad;
		}
	}
	return 0;
bad:
	usage(argv[0]);
	return -1;
}

int
main(int argc, char **argv)
{
	static const struct rte_mbuf_extension_params meta_params = {
		.name = "demo_meta",
		.size = sizeof(struct demo_meta),
		.align = __alignof__(struct demo_meta),
	};
	struct demo_fwd fwd[DEMO_NB_PORTS] = {
		{ .rx_idx = 0 }, { .rx_idx = 1 },
	};
	struct rte_mbuf_extension_stats es;
	uint64_t start_tsc, end_tsc, drained, stale = 0, bad = 0;
	uint64_t with_ext = 0, carried = 0, in_use_stopped;
	uint64_t clone_ext = 0, cow = 0;
	unsigned int nb_mbufs, worker, pool_in_use, mbufs_out, p;
	double secs;
	uint16_t port;
	int ret, rc = 0;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "EAL init failed: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	argc -= ret;
	argv += ret;
	if (parse_args(argc, argv) < 0) {
		rte_eal_cleanup();
		return 2;
	}
	signal(SIGINT, signal_handler);
	signal(SIGTERM, signal_handler);
	signal(SIGUSR1, signal_handler);

	p = 0;
	RTE_ETH_FOREACH_DEV(port) {
		if (p < DEMO_NB_PORTS)
			ports[p] = port;
		p++;
	}
	if (p < DEMO_NB_PORTS) {
		fprintf(stderr, "need 2 ports, found %u: pass e.g. "
			"--vdev net_ring0 --vdev net_ring1\n", p);
		rte_eal_cleanup();
		return 2;
	}

	/* Extension type first, then its block pool (sized by the types). */
	meta_id = rte_mbuf_extension_register(&meta_params);
	if (meta_id < 0) {
		fprintf(stderr, "cannot register demo_meta: %s\n",
			rte_strerror(rte_errno));
		rte_eal_cleanup();
		return 1;
	}
	/* Room for the packets of a burst per lcore, their clones, caches. */
	ret = rte_mbuf_extension_pool_create(4096, DEMO_BLOCK_CACHE,
		SOCKET_ID_ANY);
	if (ret < 0) {
		fprintf(stderr, "cannot create the block pool: %s\n",
			rte_strerror(-ret));
		rte_eal_cleanup();
		return 1;
	}

	/* In flight: injected packets, RX rings, bursts, clones, caches. */
	nb_mbufs = 2 * conf.inflight + 2 * DEMO_NB_DESC +
		4 * DEMO_MAX_BURST + 2 * DEMO_MBUF_CACHE * rte_lcore_count() +
		1024;
	if (conf.handler)
		/*
		 * The handler releases what any code frees. It is loaded
		 * with -d, as other processes of the file prefix (dpdk-pdump)
		 * load it: DPDK needs the same mempool ops in the same order
		 * in every process.
		 */
		mbuf_pool = rte_pktmbuf_pool_create_by_ops("demo_mbufs",
			nb_mbufs, DEMO_MBUF_CACHE, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id(),
			"mbuf_ext");
	else
		mbuf_pool = rte_pktmbuf_pool_create("demo_mbufs", nb_mbufs,
			DEMO_MBUF_CACHE, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
			rte_socket_id());
	if (mbuf_pool == NULL) {
		fprintf(stderr, "cannot create the mbuf pool: %s%s\n",
			rte_strerror(rte_errno), conf.handler ?
			" (is the handler loaded: -d librte_mempool_mbuf_ext.so?)"
			: "");
		rte_eal_cleanup();
		return 1;
	}
	/*
	 * A pool without the "mbuf_ext" handler: its mbufs may take
	 * references only once opted in (add fails with ENOTSUP otherwise).
	 */
	ret = conf.handler ? 0 : rte_mbuf_extension_pktmbuf_pool_opt_in(
		mbuf_pool);
	if (ret < 0) {
		fprintf(stderr, "cannot opt the mbuf pool in: %s\n",
			rte_strerror(-ret));
		rte_eal_cleanup();
		return 1;
	}
	for (p = 0; p < DEMO_NB_PORTS; p++) {
		ret = port_init(ports[p]);
		if (ret < 0) {
			fprintf(stderr, "cannot start port %u: %s\n",
				ports[p], rte_strerror(-ret));
			rte_eal_cleanup();
			return 1;
		}
	}
	if (conf.pdump && rte_pdump_init() < 0) {
		fprintf(stderr, "cannot initialise pdump: %s\n",
			rte_strerror(rte_errno));
		rte_eal_cleanup();
		return 1;
	}
	for (p = 0; p < DEMO_NB_PORTS; p++) {
		if (inject(ports[p]) < 0) {
			fprintf(stderr, "cannot inject packets\n");
			rte_eal_cleanup();
			return 1;
		}
	}

	printf("mbuf_extension_demo: ports %u and %u, %u lcore(s), %u packets"
		" injected per port, clone 1 in %u, %s pool%s, %.1f s",
		ports[0], ports[1], RTE_MIN(rte_lcore_count(), 2u),
		conf.inflight, conf.clone_every,
		conf.handler ? "handler" : "opted-in",
		conf.pdump ? ", pdump enabled" : "", conf.time_s);
	if (conf.max_packets != 0)
		printf(" or %" PRIu64 " packets per port", conf.max_packets);
	printf("\n");
	fflush(stdout);

	start_tsc = rte_rdtsc();
	deadline_tsc = start_tsc + (uint64_t)(conf.time_s *
		(double)rte_get_tsc_hz());
	worker = rte_get_next_lcore(-1, 1, 0);
	if (worker < RTE_MAX_LCORE) {
		/* Port 1 -> port 0 on the worker, 0 -> 1 on the main lcore. */
		rte_eal_remote_launch(demo_worker, &fwd[1], worker);
		demo_fwd_loop(&fwd[0], 1);
		rte_eal_mp_wait_lcore();
	} else {
		demo_fwd_loop(fwd, DEMO_NB_PORTS);
	}
	end_tsc = rte_rdtsc();
	secs = (double)(end_tsc - start_tsc) / (double)rte_get_tsc_hz();

	/*
	 * Forwarding stopped: every block in use is a packet's that waits in
	 * a ring (with the handler pool; none otherwise).
	 */
	in_use_stopped = rte_mbuf_extension_pool_in_use();
	drained = drain(&with_ext);
	if (!conf.handler)
		stale += with_ext;
	if (conf.linger_s > 0) {
		uint64_t until = rte_rdtsc() + (uint64_t)(conf.linger_s *
			(double)rte_get_tsc_hz());

		printf("lingering %.1f s with the ports up (SIGINT ends it)\n",
			conf.linger_s);
		fflush(stdout);
		while (!__atomic_load_n(&stop_linger, __ATOMIC_RELAXED) &&
				rte_rdtsc() < until)
			rte_delay_us_sleep(10000);
	}
	if (conf.pdump)
		rte_pdump_uninit();
	for (p = 0; p < DEMO_NB_PORTS; p++) {
		rte_eth_dev_stop(ports[p]);
		rte_eth_dev_close(ports[p]);
	}

	printf("\n%-6s %14s %14s %10s %10s %10s %8s\n", "port", "received",
		"forwarded", "Mpps", "tx_drop", "clones", "cow");
	for (p = 0; p < DEMO_NB_PORTS; p++) {
		struct demo_fwd_stats *st = &fwd_stats[p];

		printf("%u->%-3u %14" PRIu64 " %14" PRIu64 " %10.2f %10"
			PRIu64 " %10" PRIu64 " %8" PRIu64 "\n",
			ports[p], ports[p ^ 1], st->rx, st->tx,
			(double)st->tx / secs / 1e6, st->tx_drop,
			st->clone_ext + st->clone_plain, st->cow);
		stale += st->stale;
		carried += st->carried;
		bad += st->bad;
		clone_ext += st->clone_ext;
		cow += st->cow;
		if (st->no_ext != 0 || st->clone_fail != 0)
			printf("  port %u: %" PRIu64 " packets without"
				" extension (block pool empty), %" PRIu64
				" clones failed\n", ports[p], st->no_ext,
				st->clone_fail);
	}
	printf("total forwarded: %" PRIu64 " packets in %.2f s, %.2f Mpps\n",
		fwd_stats[0].tx + fwd_stats[1].tx, secs,
		(double)(fwd_stats[0].tx + fwd_stats[1].tx) / secs / 1e6);
	printf("clones: %" PRIu64 " rte_mbuf_extension_pktmbuf_clone, %"
		PRIu64 " rte_pktmbuf_clone\n",
		fwd_stats[0].clone_ext + fwd_stats[1].clone_ext,
		fwd_stats[0].clone_plain + fwd_stats[1].clone_plain);
	printf("drained at the end: %" PRIu64 " packets, %" PRIu64
		" with the extension; %" PRIu64 " blocks in use when"
		" forwarding stopped\n", drained, with_ext, in_use_stopped);
	if (conf.handler)
		printf("handler pool: %" PRIu64 " packets arrived with the"
			" previous hop's extension\n", carried);

	if (rte_mbuf_extension_stats_get(&es) < 0) {
		fprintf(stderr, "cannot read the extension stats\n");
		memset(&es, 0xff, sizeof(es));
		rc = 1;
	}
	printf("extension stats: in_use %" PRIu64 " share %" PRIu64 " cow %"
		PRIu64 " alloc_fail %" PRIu64 " refused %" PRIu64 "\n",
		es.in_use, es.share, es.cow, es.alloc_fail, es.refused);
	pool_in_use = rte_mbuf_extension_pool_in_use();
	mbufs_out = rte_mempool_in_use_count(mbuf_pool);
	printf("checks: %" PRIu64 " failed, %" PRIu64 " stale extensions"
		" seen on RX\n", bad, stale);
	printf("mbufs in use: %u\n", mbufs_out);
	printf("blocks in use: %" PRIu64 " (stats in_use %" PRIu64
		", rte_mbuf_extension_pool_in_use %u)\n",
		RTE_MAX(es.in_use, (uint64_t)pool_in_use), es.in_use,
		pool_in_use);

	/*
	 * Each library clone took one slot of its packet's block (share),
	 * each add on such a clone copied the block once (cow), and the
	 * opted-in pool never refused an add.
	 */
	if (es.share != clone_ext || es.cow != cow || es.refused != 0) {
		printf("FAIL: share %" PRIu64 " for %" PRIu64 " library clones,"
			" cow %" PRIu64 " for %" PRIu64 " adds on a clone,"
			" refused %" PRIu64 "\n", es.share, clone_ext,
			es.cow, cow, es.refused);
		rc = 1;
	}
	/* What waited in the rings held exactly the blocks in use. */
	if (in_use_stopped != (conf.handler ? with_ext : 0)) {
		printf("FAIL: %" PRIu64 " blocks in use when forwarding"
			" stopped, %" PRIu64 " packets waiting with one\n",
			in_use_stopped, with_ext);
		rc = 1;
	}
	if (conf.handler && carried == 0) {
		printf("FAIL: no packet came back with its extension\n");
		rc = 1;
	}
	if (es.in_use != 0 || pool_in_use != 0 || mbufs_out != 0 ||
			bad != 0 || stale != 0) {
		printf("FAIL: blocks or mbufs left in use, or checks failed\n");
		rc = 1;
	}
	if (fwd_stats[0].tx + fwd_stats[1].tx == 0) {
		printf("FAIL: no packet forwarded\n");
		rc = 1;
	}
	if (rc == 0 && rte_mbuf_extension_pool_free() < 0) {
		printf("FAIL: block pool busy\n");
		rc = 1;
	}
	printf("%s\n", rc == 0 ? "PASS" : "FAIL");
	rte_mempool_free(mbuf_pool);
	rte_eal_cleanup();
	return rc;
}
