/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * secpath_gw: an IPsec security gateway on the secpath, with the command
 * line and configuration file of DPDK's ipsec-secgw where it applies:
 *
 *   secpath_gw <EAL> -- -p PORTMASK -u UNPROTECTED_PORTMASK
 *       --config "(port,queue,lcore)[,...]" -f FILE [-P] [-w WINDOW] [-l]
 *       [--no-secpath] [--pool handler|opt-in]
 *
 * -p        the ports used (hex mask)
 * -u        those of them on the unprotected (ESP) side (hex mask)
 * -P        promiscuous mode on every port
 * -f        the configuration file (sp, sa, rt, neigh: see gw_conf.h)
 * -w        anti-replay window of inbound SAs, 0 (off) to 4096, default
 *           64; exact: every replayed number inside it is dropped
 * -l        accepted for ipsec-secgw's command lines (librte_ipsec is
 *           always used)
 * --config  which lcore polls which RX queue of which port
 * --no-secpath  inbound policies checked as ipsec-secgw does (the SA of
 *           this burst), no secpath: the benchmark's baseline
 * --pool handler  the mbuf pool has the "mbuf_ext" mempool handler
 *           instead of being a plain pool opted in
 *
 * The secpath of a packet lives from RX to its forwarding: the gateway
 * releases it before TX (and frees dropped packets with the library), so
 * that no packet leaves holding a reference and the mbuf pool can be a
 * plain one, opted in with rte_mbuf_extension_pktmbuf_pool_opt_in(). On
 * SIGINT or SIGTERM it stops, prints per-SA and
 * per-policy counters and drops by reason ("gw ..." lines) and the
 * extension blocks still in use, and exits 0 only if no block and no mbuf
 * is left.
 */

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mbuf_extension.h>
#include <rte_mempool_mbuf_ext.h>

#include "gw.h"

#define GW_NB_MBUF 16383
#define GW_MBUF_CACHE 256
#define GW_NB_RXD 1024
#define GW_NB_TXD 1024

struct gw gw;
volatile bool gw_quit;

static const char *cfg_file;
static bool pool_handler;

static void
usage(const char *prg)
{
	fprintf(stderr, "usage: %s <EAL options> -- -p PORTMASK"
		" -u UNPROTECTED_PORTMASK --config \"(port,queue,lcore)[,...]\""
		" -f CONFIG_FILE [-P] [-w REPLAY_WINDOW] [-l] [--no-secpath]"
		" [--pool handler|opt-in]\n",
		prg);
}

static void
on_signal(int sig __rte_unused)
{
	gw_quit = true;
}

/* "(port,queue,lcore),..." */
static int
parse_config(const char *s)
{
	while (*s != '\0') {
		unsigned long v[3];
		struct gw_lcore *lc;
		char *end;
		int i;

		while (*s == ' ' || *s == ',')
			s++;
		if (*s == '\0')
			break;
		if (*s++ != '(')
			return -EINVAL;
		for (i = 0; i < 3; i++) {
			errno = 0;
			v[i] = strtoul(s, &end, 0);
			if (errno != 0 || end == s)
				return -EINVAL;
			s = end;
			if (*s++ != (i < 2 ? ',' : ')'))
				return -EINVAL;
		}
		if (v[0] >= RTE_MAX_ETHPORTS || v[1] >= 64 ||
				v[2] >= RTE_MAX_LCORE) {
			fprintf(stderr, "secpath_gw: --config: (%lu,%lu,%lu)"
				" out of range\n", v[0], v[1], v[2]);
			return -EINVAL;
		}
		if (!rte_lcore_is_enabled(v[2])) {
			fprintf(stderr, "secpath_gw: --config: lcore %lu is"
				" not enabled (EAL -l)\n", v[2]);
			return -EINVAL;
		}
		lc = gw.lcore[v[2]];
		if (lc == NULL) {
			lc = rte_zmalloc("gw_lcore", sizeof(*lc),
				RTE_CACHE_LINE_SIZE);
			if (lc == NULL)
				return -ENOMEM;
			lc->lcore_id = v[2];
			gw.lcore[v[2]] = lc;
			gw.nb_workers++;
		}
		if (lc->nb_rxq == GW_MAX_LCORE_PORTS)
			return -ENOSPC;
		lc->rxq[lc->nb_rxq].port = v[0];
		lc->rxq[lc->nb_rxq].queue = v[1];
		lc->nb_rxq++;
		if (gw.port[v[0]].nb_rxq < v[1] + 1)
			gw.port[v[0]].nb_rxq = v[1] + 1;
	}
	return gw.nb_workers > 0 ? 0 : -EINVAL;
}

static int
parse_args(int argc, char **argv)
{
	static const struct option lopt[] = {
		{ "config", required_argument, NULL, 'C' },
		{ "no-secpath", no_argument, NULL, 'N' },
		{ "pool", required_argument, NULL, 'O' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int opt;

	gw.secpath = true;
	gw.window = 64;
	while ((opt = getopt_long(argc, argv, "p:u:f:w:Pl", lopt,
			NULL)) != -1) {
		switch (opt) {
		case 'p':
			gw.portmask = strtoul(optarg, &end, 16);
			if (*end != '\0' || gw.portmask == 0)
				goto bad;
			break;
		case 'u':
			gw.unprot_mask = strtoul(optarg, &end, 16);
			if (*end != '\0')
				goto bad;
			break;
		case 'f':
			cfg_file = optarg;
			break;
		case 'w':
			gw.window = strtoul(optarg, &end, 0);
			if (*end != '\0' || gw.window > GW_WIN_MAX) {
				fprintf(stderr, "secpath_gw: -w: 0 to %u\n",
					GW_WIN_MAX);
				return -EINVAL;
			}
			break;
		case 'P':
			gw.promisc = true;
			break;
		case 'l':
			break;
		case 'C':
			if (parse_config(optarg) != 0) {
				fprintf(stderr, "secpath_gw: bad --config"
					" \"%s\"\n", optarg);
				return -EINVAL;
			}
			break;
		case 'N':
			gw.secpath = false;
			break;
		case 'O':
			if (strcmp(optarg, "handler") == 0)
				pool_handler = true;
			else if (strcmp(optarg, "opt-in") == 0)
				pool_handler = false;
			else
				goto bad;
			break;
		default:
			goto bad;
		}
	}
	if (gw.portmask == 0 || cfg_file == NULL || gw.nb_workers == 0)
		goto bad;
	if (gw.unprot_mask & ~gw.portmask) {
		fprintf(stderr, "secpath_gw: -u 0x%x: not all in -p 0x%x\n",
			gw.unprot_mask, gw.portmask);
		return -EINVAL;
	}
	return 0;
bad:
	usage(argv[0]);
	return -EINVAL;
}

/* Check the ports against the configuration; mark inline ports. */
static int
ports_check(void)
{
	unsigned int p, i, l;

	for (p = 0; p < RTE_MAX_ETHPORTS && p < 32; p++) {
		if (!(gw.portmask & (1u << p)))
			continue;
		if (!rte_eth_dev_is_valid_port(p)) {
			fprintf(stderr, "secpath_gw: -p: no port %u\n", p);
			return -ENODEV;
		}
		gw.port[p].used = true;
		gw.port[p].unprotected = !!(gw.unprot_mask & (1u << p));
		memset(&gw.port[p].dst, 0xff, sizeof(gw.port[p].dst));
	}
	for (l = 0; l < RTE_MAX_LCORE; l++) {
		struct gw_lcore *lc = gw.lcore[l];

		if (lc == NULL)
			continue;
		for (i = 0; i < lc->nb_rxq; i++)
			if (!gw.port[lc->rxq[i].port].used) {
				fprintf(stderr, "secpath_gw: --config: port %u"
					" not in -p\n", lc->rxq[i].port);
				return -EINVAL;
			}
	}
	for (i = 0; i < gw.conf.nb_sa; i++) {
		const struct gw_sa_conf *c = &gw.conf.sa[i];

		if (c->type != GW_SA_INLINE_CRYPTO)
			continue;
		if (c->port_id >= RTE_MAX_ETHPORTS ||
				!gw.port[c->port_id].used ||
				!gw.port[c->port_id].unprotected) {
			fprintf(stderr, "secpath_gw: line %u: port_id %u: an"
				" inline SA's port must be in -p and in -u\n",
				c->line, c->port_id);
			return -EINVAL;
		}
		if (c->dir == GW_DIR_IN)
			gw.port[c->port_id].inline_rx = true;
		else
			gw.port[c->port_id].inline_tx = true;
	}
	for (i = 0; i < gw.conf.nb_neigh; i++) {
		const struct gw_neigh_conf *n = &gw.conf.neigh[i];

		if (n->port < RTE_MAX_ETHPORTS)
			gw.port[n->port].dst = n->mac;
	}
	return 0;
}

static int
port_init(uint16_t p)
{
	struct gw_port *gp = &gw.port[p];
	struct rte_eth_conf conf;
	struct rte_eth_dev_info info;
	uint16_t q, nrxd = GW_NB_RXD, ntxd = GW_NB_TXD;
	int ret;

	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_info_get(p, &info);
	if (ret != 0)
		return ret;
	if (gp->nb_rxq == 0)
		gp->nb_rxq = 1;
	gp->nb_txq = gw.nb_workers;
	if (gp->nb_rxq > info.max_rx_queues ||
			gp->nb_txq > info.max_tx_queues) {
		fprintf(stderr, "secpath_gw: port %u: %u RX and %u TX queues"
			" wanted, it has %u and %u\n", p, gp->nb_rxq,
			gp->nb_txq, info.max_rx_queues, info.max_tx_queues);
		return -ENOSPC;
	}
	if (gp->nb_rxq > 1 && info.flow_type_rss_offloads != 0) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP &
			info.flow_type_rss_offloads;
	}
	if (gp->inline_rx) {
		if (!(info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_SECURITY)) {
			fprintf(stderr, "secpath_gw: port %u: no RX security"
				" offload for its inline SAs\n", p);
			return -ENOTSUP;
		}
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_SECURITY;
	}
	if (gp->inline_tx) {
		if (!(info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_SECURITY)) {
			fprintf(stderr, "secpath_gw: port %u: no TX security"
				" offload for its inline SAs\n", p);
			return -ENOTSUP;
		}
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_SECURITY;
	}
	ret = rte_eth_dev_configure(p, gp->nb_rxq, gp->nb_txq, &conf);
	if (ret == 0)
		ret = rte_eth_dev_adjust_nb_rx_tx_desc(p, &nrxd, &ntxd);
	for (q = 0; ret == 0 && q < gp->nb_rxq; q++)
		ret = rte_eth_rx_queue_setup(p, q, nrxd,
			rte_eth_dev_socket_id(p), NULL, gw.mbuf_pool);
	for (q = 0; ret == 0 && q < gp->nb_txq; q++)
		ret = rte_eth_tx_queue_setup(p, q, ntxd,
			rte_eth_dev_socket_id(p), NULL);
	if (ret == 0)
		ret = rte_eth_macaddr_get(p, &gp->mac);
	if (ret == 0)
		ret = rte_eth_dev_start(p);
	if (ret == 0 && gw.promisc)
		ret = rte_eth_promiscuous_enable(p);
	if (ret != 0) {
		fprintf(stderr, "secpath_gw: port %u set-up: %s\n", p,
			strerror(-ret));
		return ret;
	}
	printf("secpath_gw: port %u %s, %u RX queue(s)%s%s\n", p,
		gp->unprotected ? "unprotected" : "protected", gp->nb_rxq,
		gp->inline_rx ? ", inline RX" : "",
		gp->inline_tx ? ", inline TX" : "");
	return 0;
}

static int
lcores_init(void)
{
	unsigned int l, i, n = 0;

	for (l = 0; l < RTE_MAX_LCORE; l++) {
		struct gw_lcore *lc = gw.lcore[l];

		if (lc == NULL)
			continue;
		lc->txq = n;
		lc->cdev_qp = n;
		n++;
		lc->txb = rte_zmalloc("gw_txb",
			RTE_MAX_ETHPORTS * sizeof(*lc->txb), 0);
		lc->stats.sa = rte_zmalloc("gw_sa_st",
			(gw.conf.nb_sa + 1) * sizeof(*lc->stats.sa), 0);
		lc->stats.sp = rte_zmalloc("gw_sp_st",
			(gw.conf.nb_sp + 1) * sizeof(*lc->stats.sp), 0);
		if (lc->txb == NULL || lc->stats.sa == NULL ||
				lc->stats.sp == NULL)
			return -ENOMEM;
		for (i = 0; i < lc->nb_rxq; i++) {
			struct gw_rxq *q = &lc->rxq[i];

			q->unprotected = gw.port[q->port].unprotected;
			q->inline_rx = gw.port[q->port].inline_rx;
		}
	}
	return 0;
}

static void
lcores_free(void)
{
	unsigned int l;

	for (l = 0; l < RTE_MAX_LCORE; l++) {
		struct gw_lcore *lc = gw.lcore[l];

		if (lc == NULL)
			continue;
		rte_free(lc->txb);
		rte_free(lc->stats.sa);
		rte_free(lc->stats.sp);
		rte_free(lc);
		gw.lcore[l] = NULL;
	}
}

static int
run(void)
{
	unsigned int l, main_lcore = rte_get_main_lcore();
	uint64_t start, hz = rte_get_tsc_hz();
	struct gw_lcore_stats s;
	double secs;

	printf("secpath_gw: forwarding on %u lcore(s), secpath %s,"
		" replay window %u\n", gw.nb_workers,
		gw.secpath ? "on" : "off", gw.window);
	fflush(stdout);
	start = rte_get_tsc_cycles();
	RTE_LCORE_FOREACH_WORKER(l)
		if (gw.lcore[l] != NULL)
			rte_eal_remote_launch(gw_worker, gw.lcore[l], l);
	if (gw.lcore[main_lcore] != NULL)
		gw_worker(gw.lcore[main_lcore]);
	else
		while (!gw_quit)
			usleep(10000);
	rte_eal_mp_wait_lcore();
	secs = (double)(rte_get_tsc_cycles() - start) / hz;
	s.sa = NULL;
	s.sp = NULL;
	gw_stats_sum(&s);
	printf("secpath_gw: stopped after %.1f s: %" PRIu64 " packets"
		" received, %" PRIu64 " sent, %.3f Mpps sent\n", secs, s.rx,
		s.tx, secs > 0 ? s.tx / secs / 1e6 : 0.0);
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned int in_use_mbufs, in_use_blocks, p;
	struct rte_secpath_conf spc = { 0 };
	char err[512];
	int ret, rc = EXIT_FAILURE;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "secpath_gw: EAL: %s\n",
			rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	argc -= ret;
	argv += ret;
	gw.cdev = -1;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (parse_args(argc, argv) != 0)
		goto out_eal;
	ret = gw_conf_parse_file(cfg_file, &gw.conf, err, sizeof(err));
	if (ret != 0) {
		fprintf(stderr, "secpath_gw: %s\n", err);
		goto out_eal;
	}
	printf("secpath_gw: %s: %u SAs, %u policies, %u routes, %u"
		" neighbours\n", cfg_file, gw.conf.nb_sa, gw.conf.nb_sp,
		gw.conf.nb_rt, gw.conf.nb_neigh);
	if (ports_check() != 0)
		goto out_conf;
	if (lcores_init() != 0) {
		fprintf(stderr, "secpath_gw: no memory for the lcores\n");
		goto out_conf;
	}

	/* The secpath first: it registers the extension type the block
	 * pool is sized for. */
	spc.max_sa = gw.conf.nb_sa + 1;
	spc.socket_id = SOCKET_ID_ANY;
	ret = rte_secpath_init(&spc);
	if (ret != 0) {
		fprintf(stderr, "secpath_gw: rte_secpath_init: %s\n",
			strerror(-ret));
		goto out_conf;
	}
	ret = rte_mbuf_extension_pool_create(GW_NB_MBUF + 1024,
		GW_MBUF_CACHE, SOCKET_ID_ANY);
	if (ret == 0 && pool_handler) {
		gw.mbuf_pool = rte_mbuf_extension_pktmbuf_pool_create(
			"gw_mbufs", GW_NB_MBUF, GW_MBUF_CACHE, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
		if (gw.mbuf_pool == NULL)
			ret = -rte_errno;
	} else if (ret == 0) {
		gw.mbuf_pool = rte_pktmbuf_pool_create("gw_mbufs", GW_NB_MBUF,
			GW_MBUF_CACHE, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
			SOCKET_ID_ANY);
		if (gw.mbuf_pool == NULL)
			ret = -rte_errno;
		else
			ret = rte_mbuf_extension_pktmbuf_pool_opt_in(
				gw.mbuf_pool);
	}
	if (ret != 0) {
		fprintf(stderr, "secpath_gw: pools: %s\n", strerror(-ret));
		goto out_secpath;
	}
	if (gw_crypto_init(gw.nb_workers) != 0)
		goto out_crypto;
	for (p = 0; p < RTE_MAX_ETHPORTS; p++)
		if (gw.port[p].used && port_init(p) != 0)
			goto out_ports;
	ret = gw_sa_init();
	if (ret == 0 && (ret = gw_sp_init()) != 0)
		fprintf(stderr, "secpath_gw: policies: %s\n", strerror(-ret));
	if (ret == 0 && (ret = gw_rt_init()) != 0)
		fprintf(stderr, "secpath_gw: routes: %s\n", strerror(-ret));
	if (ret == 0)
		ret = gw_stats_init();
	if (ret != 0)
		goto out_all;

	run();
	rc = EXIT_SUCCESS;

out_all:
	gw_stats_summary(stdout);
	gw_stats_fini();
out_ports:
	for (p = 0; p < RTE_MAX_ETHPORTS; p++)
		if (gw.port[p].used)
			rte_eth_dev_stop(p);
	gw_rt_fini();
	gw_sp_fini();
	/* The sessions go before their ports close. */
	gw_sa_fini();
	for (p = 0; p < RTE_MAX_ETHPORTS; p++)
		if (gw.port[p].used)
			rte_eth_dev_close(p);
	/* Then the ports others own (net_swipsec's backends), which hold
	 * mbufs of the pool in their RX rings. */
	for (p = 0; p < RTE_MAX_ETHPORTS; p++)
		if (rte_eth_dev_is_valid_port(p)) {
			rte_eth_dev_stop(p);
			rte_eth_dev_close(p);
		}
out_crypto:
	gw_crypto_fini();
	in_use_blocks = rte_mbuf_extension_pool_in_use();
	in_use_mbufs = gw.mbuf_pool != NULL ?
		rte_mempool_in_use_count(gw.mbuf_pool) : 0;
	printf("mbufs in use: %u\n", in_use_mbufs);
	printf("blocks in use: %u\n", in_use_blocks);
	if (in_use_blocks != 0 || in_use_mbufs != 0) {
		printf("FAIL: extension blocks or mbufs leaked\n");
		rc = EXIT_FAILURE;
	}
	rte_mempool_free(gw.mbuf_pool);
	rte_mempool_free(gw.cop_pool);
	rte_mempool_free(gw.cs_pool);
	rte_mempool_free(gw.ss_pool);
	rte_mbuf_extension_pool_free();
out_secpath:
	rte_secpath_fini();
out_conf:
	lcores_free();
	gw_conf_free(&gw.conf);
out_eal:
	rte_eal_cleanup();
	return rc;
}
