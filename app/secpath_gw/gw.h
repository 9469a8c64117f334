/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _GW_H_
#define _GW_H_

/*
 * secpath_gw: an IPsec gateway on the secpath, as the kernel's xfrm.
 * Shared definitions of its files:
 *   gw_main.c   command line, ports, lcores, exit checks
 *   gw_conf.c   the configuration file (gw_conf.h)
 *   gw_sa.c     SAs: secpath SA table, librte_ipsec, sessions
 *   gw_sp.c     security policies (rte_acl) and routes (rte_lpm, rte_lpm6)
 *   gw_fwd.c    the data path
 *   gw_stats.c  counters, telemetry, the summary at exit
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_acl.h>
#include <rte_ethdev.h>
#include <rte_ipsec.h>
#include <rte_lpm.h>
#include <rte_lpm6.h>
#include <rte_mbuf.h>
#include <rte_spinlock.h>

#include <rte_secpath.h>

#include "gw_conf.h"

#define GW_BURST 32
#define GW_MAX_LCORE_PORTS 16	/* (port, queue) pairs per lcore */

/* Why a packet was dropped. */
enum gw_drop {
	GW_DROP_MALFORMED = 0,	/* not IP, truncated, bad ESP */
	GW_DROP_NO_SA,		/* ESP of no inbound SA, or whose outer
				 * header is not the SA's */
	GW_DROP_AUTH,		/* ICV check failed */
	GW_DROP_REPLAY,		/* replayed or too old */
	GW_DROP_POLICY,		/* inbound policy check refused it */
	GW_DROP_NO_POLICY,	/* no SP rule matched */
	GW_DROP_DISCARD,	/* an SP rule says discard */
	GW_DROP_ESP_PROTECTED,	/* ESP arriving on a protected port */
	GW_DROP_NO_ROUTE,	/* no route, or a route to a port not used */
	GW_DROP_TX_FULL,	/* the port did not take it (full, refused) */
	GW_DROP_NOMEM,		/* no mbuf headroom, crypto op or ext block */
	GW_DROP_CRYPTO,		/* the crypto device failed (not the ICV) */
	GW_DROP_MAX,
};

/* Counters of one SA on one lcore. */
struct gw_sa_stats {
	uint64_t packets;	/* processed successfully */
	uint64_t bytes;		/* their IP bytes before processing */
	uint64_t auth_failed;
	uint64_t replay;
	uint64_t bad;		/* other failures of the ESP processing */
};

/* Counters of one SP rule on one lcore. */
struct gw_sp_stats {
	uint64_t packets;	/* matched: let through, or discarded */
	uint64_t policy_mismatch; /* inbound: secpath refused */
};

/* Counters of one lcore. Written by that lcore only. */
struct gw_lcore_stats {
	uint64_t drop[GW_DROP_MAX];
	uint64_t rx;
	uint64_t tx;
	struct gw_sa_stats *sa;		/* [nb_sa] */
	struct gw_sp_stats *sp;		/* [nb_sp] */
} __rte_cache_aligned;

/* Anti-replay window of an inbound SA, exact, up to GW_WIN_MAX. */
#define GW_WIN_MAX 4096
struct gw_replay {
	rte_spinlock_t lock;	/* with more than one worker lcore */
	uint32_t top;		/* highest sequence number accepted */
	uint64_t bits[GW_WIN_MAX / 64]; /* bit (seq % size): seen */
};

/* An SA of the gateway. */
struct gw_sa {
	const struct gw_sa_conf *conf;
	unsigned int idx;		/* in gw.sa[] */
	rte_secpath_sa_t handle;	/* secpath SA */
	struct rte_ipsec_session ss;	/* librte_ipsec session */
	struct rte_ipsec_sa *ipsa;
	void *sess;			/* crypto or security session */
	void *sec_ctx;			/* inline: the port's context */
	uint16_t out_port;		/* inline outbound: its port */
	uint8_t kind;			/* enum rte_secpath_kind */
	bool v6;			/* family it protects (inner) */
	/* inbound tunnel: the outer addresses, network order */
	rte_be32_t tun_src4, tun_dst4;
	struct gw_replay *replay;	/* inbound with a window */
};

/* One (port, queue) an lcore polls. */
struct gw_rxq {
	uint16_t port;
	uint16_t queue;
	bool unprotected;
	bool inline_rx;		/* the port decrypts inline */
};

/* TX buffer of one port on one lcore. */
struct gw_txb {
	uint16_t n;
	struct rte_mbuf *m[GW_BURST * 2];
};

/* What one worker lcore owns. */
struct gw_lcore {
	unsigned int lcore_id;
	uint16_t nb_rxq;
	uint16_t txq;			/* its TX queue on every port */
	uint16_t cdev_qp;		/* its crypto queue pair */
	struct gw_rxq rxq[GW_MAX_LCORE_PORTS];
	struct gw_txb *txb;		/* [RTE_MAX_ETHPORTS] */
	struct gw_lcore_stats stats;
};

/* Per port. */
struct gw_port {
	bool used;
	bool unprotected;
	bool inline_rx, inline_tx;	/* SECURITY offloads enabled */
	uint16_t nb_rxq, nb_txq;
	struct rte_ether_addr mac;	/* source of what it sends */
	struct rte_ether_addr dst;	/* neigh, or broadcast */
};

/* The gateway. */
struct gw {
	struct gw_conf conf;
	bool secpath;			/* false: --no-secpath */
	bool promisc;
	uint32_t window;		/* replay window, 0: off */
	uint32_t portmask, unprot_mask;
	struct gw_port port[RTE_MAX_ETHPORTS];
	struct gw_lcore *lcore[RTE_MAX_LCORE];
	unsigned int nb_workers;
	struct rte_mempool *mbuf_pool;
	/* crypto */
	int cdev;			/* -1: none */
	struct rte_mempool *cop_pool;
	struct rte_mempool *cs_pool;	/* crypto sessions */
	struct rte_mempool *ss_pool;	/* security sessions */
	/* SAs */
	struct gw_sa *sa;		/* [conf.nb_sa] */
	unsigned int nb_sa;
	/* policies: per family and direction */
	struct rte_acl_ctx *acl[2][2];	/* [v6][dir] */
	unsigned int nb_rules[2][2];
	struct rte_secpath_policy *pol;	/* [conf.nb_sp], inbound */
	struct gw_sa **sp_sa;		/* [conf.nb_sp]: a protect rule's SA */
	/* routes */
	struct rte_lpm *lpm4;
	struct rte_lpm6 *lpm6;
};

extern struct gw gw;
extern volatile bool gw_quit;

/* gw_sa.c */
int gw_crypto_init(unsigned int nb_qp);
void gw_crypto_fini(void);
int gw_sa_init(void);
void gw_sa_fini(void);
struct gw_sa *gw_sa_by_spi(uint8_t dir, uint32_t spi);
/* Replay window: check before, update after the ICV check. */
int gw_replay_check(struct gw_sa *sa, uint32_t seq);
int gw_replay_update(struct gw_sa *sa, uint32_t seq);

/* gw_sp.c */
int gw_sp_init(void);
void gw_sp_fini(void);
/* Classify n packets (l2 stripped, l3_len set) of one family and
 * direction; proto[i]: the upper-layer protocol (after IPv6 extension
 * headers); noports[i]: a fragment but the first (ports read as 0).
 * res[i] is the rule index + 1, or 0 for no match. */
void gw_sp_classify(bool v6, uint8_t dir, struct rte_mbuf **m,
		const uint8_t *proto, const uint8_t *noports, uint32_t *res,
		uint16_t n);
int gw_rt_init(void);
void gw_rt_fini(void);
int gw_route(const struct rte_mbuf *m, bool v6);

/* gw_fwd.c */
int gw_worker(void *arg);

/* gw_stats.c */
int gw_stats_init(void);
void gw_stats_summary(FILE *f);
void gw_stats_sum(struct gw_lcore_stats *sum);
void gw_stats_fini(void);
extern const char * const gw_drop_name[GW_DROP_MAX];

#endif /* _GW_H_ */
