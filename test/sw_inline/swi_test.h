/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _SWI_TEST_H_
#define _SWI_TEST_H_

/*
 * Helpers shared by the sw_inline suites: two ethdev ports joined by rings
 * (port A is the one the provider binds to, port B its peer), packet
 * builders, librte_ipsec SAs of the inline and lookaside kinds, and the
 * set-up, tear-down and last case of a suite.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_cryptodev.h>
#include <rte_ethdev.h>
#include <rte_eth_ring.h>
#include <rte_ip.h>
#include <rte_ipsec.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_random.h>
#include <rte_ring.h>
#include <rte_security.h>
#include <rte_security_driver.h>
#include <rte_udp.h>

#include "test_runner.h"
#include "test_clean.h"
#include "rte_security_sw_inline.h"

/*
 * A test whose packets carry mbuf extensions (the secpath) defines
 * SWI_MBUF_EXT_POOL before including this file and links the mbuf_ext
 * mempool handler (drivers/mempool/mbuf_ext): its packets then come from
 * a pool with that handler, which releases their extension references
 * whoever frees them (the helpers below, librte_ipsec, a PMD). Without
 * it, the pool is a plain one whose mbufs cannot take references.
 */
#ifdef SWI_MBUF_EXT_POOL
#include <rte_mempool_mbuf_ext.h>
#endif

#define SWI_NB_MBUF 4095
#define SWI_BURST 32
#define SWI_MAX_PKT 1600

/* The ports and pools of a test. */
struct swi_env {
	struct rte_mempool *mp;       /* packets */
	struct rte_mempool *sess_mp;  /* rte_security sessions */
	struct rte_mempool *cs_mp;    /* cryptodev sessions */
	struct rte_mempool *cop_mp;   /* crypto ops */
	struct rte_ring *ab[2], *ba[2];
	uint16_t pa, pb;              /* ports A (provider) and B */
	uint16_t nb_q;
	int cdev;                     /* cryptodev id, -1: none */
};

/* Create a port from rings. */
static inline int
swi_port(const char *name, struct rte_ring **rx, struct rte_ring **tx,
		uint16_t nq, struct rte_mempool *mp)
{
	struct rte_eth_conf conf;
	uint16_t q;
	int p;

	p = rte_eth_from_rings(name, rx, nq, tx, nq, rte_socket_id());
	if (p < 0)
		return -1;
	memset(&conf, 0, sizeof(conf));
	if (rte_eth_dev_configure(p, nq, nq, &conf) != 0)
		return -1;
	for (q = 0; q < nq; q++) {
		if (rte_eth_rx_queue_setup(p, q, 1024, rte_socket_id(), NULL,
				mp) != 0 ||
				rte_eth_tx_queue_setup(p, q, 1024,
					rte_socket_id(), NULL) != 0)
			return -1;
	}
	if (rte_eth_dev_start(p) != 0)
		return -1;
	return p;
}

/* Set up pools, ports A and B with nq queues each, and, if crypto, a
 * crypto_aesni_gcm device (given in the EAL arguments) for lookaside.
 * -ENODEV if that device does not exist, -1 on other failures.
 */
static inline int
swi_env_init(struct swi_env *e, uint16_t nq, bool crypto)
{
	char name[32];
	uint16_t q;
	int p;

	memset(e, 0, sizeof(*e));
	e->cdev = -1;
	e->nb_q = nq;
#ifdef SWI_MBUF_EXT_POOL
	e->mp = rte_mbuf_extension_pktmbuf_pool_create("swi_mp", SWI_NB_MBUF,
		64, 0, RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
#else
	e->mp = rte_pktmbuf_pool_create("swi_mp", SWI_NB_MBUF, 64, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
#endif
	if (e->mp == NULL)
		return -1;
	for (q = 0; q < nq; q++) {
		snprintf(name, sizeof(name), "swi_ab%u", q);
		e->ab[q] = rte_ring_create(name, 1024, rte_socket_id(), 0);
		snprintf(name, sizeof(name), "swi_ba%u", q);
		e->ba[q] = rte_ring_create(name, 1024, rte_socket_id(), 0);
		if (e->ab[q] == NULL || e->ba[q] == NULL)
			return -1;
	}
	p = swi_port("swi_a", e->ba, e->ab, nq, e->mp);
	if (p < 0)
		return -1;
	e->pa = (uint16_t)p;
	p = swi_port("swi_b", e->ab, e->ba, nq, e->mp);
	if (p < 0)
		return -1;
	e->pb = (uint16_t)p;
	if (crypto) {
		struct rte_cryptodev_config cc = {
			.socket_id = rte_socket_id(),
			.nb_queue_pairs = 1,
		};
		struct rte_cryptodev_qp_conf qc = {
			.nb_descriptors = 2048,
		};
		unsigned int sz;

		e->cdev = rte_cryptodev_get_dev_id("crypto_aesni_gcm0");
		if (e->cdev < 0)
			return -ENODEV;
		sz = rte_cryptodev_sym_get_private_session_size(e->cdev);
		e->cs_mp = rte_cryptodev_sym_session_pool_create("swi_cs", 64,
			sz, 0, 0, rte_socket_id());
		e->cop_mp = rte_crypto_op_pool_create("swi_cop",
			RTE_CRYPTO_OP_TYPE_SYMMETRIC, 1024, 0, 16,
			rte_socket_id());
		if (e->cs_mp == NULL || e->cop_mp == NULL)
			return -1;
		qc.mp_session = e->cs_mp;
		if (rte_cryptodev_configure(e->cdev, &cc) != 0 ||
				rte_cryptodev_queue_pair_setup(e->cdev, 0, &qc,
					rte_socket_id()) != 0 ||
				rte_cryptodev_start(e->cdev) != 0)
			return -1;
	}
	return 0;
}

/* Create the rte_security session pool once the context exists. */
static inline int
swi_env_sess_pool(struct swi_env *e, struct rte_security_ctx *ctx)
{
	unsigned int sz = sizeof(struct rte_security_session) +
		rte_security_session_get_size(ctx);

	if (e->sess_mp != NULL)
		return 0;
	e->sess_mp = rte_mempool_create("swi_sess", 63, sz, 0, 0, NULL, NULL,
		NULL, NULL, rte_socket_id(), 0);
	return e->sess_mp == NULL ? -1 : 0;
}

static inline void
swi_env_fini(struct swi_env *e)
{
	uint16_t q;

	if (e->cdev >= 0)
		rte_cryptodev_stop(e->cdev);
	rte_eth_dev_stop(e->pa);
	rte_eth_dev_stop(e->pb);
	rte_eth_dev_close(e->pa);
	rte_eth_dev_close(e->pb);
	for (q = 0; q < e->nb_q; q++) {
		rte_ring_free(e->ab[q]);
		rte_ring_free(e->ba[q]);
	}
	rte_mempool_free(e->sess_mp);
	rte_mempool_free(e->cs_mp);
	rte_mempool_free(e->cop_mp);
	rte_mempool_free(e->mp);
}

/* Number of packets of the pool in use. */
static inline unsigned int
swi_in_use(const struct swi_env *e)
{
	return rte_mempool_in_use_count(e->mp);
}

/*
 * The suite of each file: its environment, and port A's provider context
 * while the suite binds it.
 */
static struct swi_env env;
static struct rte_security_ctx *ctx __rte_unused;

/*
 * Set-up of a suite: swi_env_init() with the packet pool watched by
 * test_clean_check(), then, if bind, port A bound to the provider (ctx)
 * and its session pool. Without the cryptodev, TEST_SKIPPED saying so.
 */
static inline int
swi_suite_setup(uint16_t nq, bool crypto, bool bind)
{
	int ret = swi_env_init(&env, nq, crypto);

	if (ret == -ENODEV)
		TEST_SKIP("no cryptodev crypto_aesni_gcm0 (EAL argument "
			"--vdev crypto_aesni_gcm0, intel-ipsec-mb)");
	TEST_ASSERT(ret == 0, "pools, ports or cryptodev: %s",
		rte_strerror(rte_errno));
	TEST_ASSERT(test_clean_watch(env.mp) == 0, "watch");
	if (!bind)
		return TEST_SUCCESS;
	ctx = rte_security_sw_inline_bind(env.pa, NULL);
	TEST_ASSERT(ctx != NULL && swi_env_sess_pool(&env, ctx) == 0,
		"bind: %s", rte_strerror(rte_errno));
	return TEST_SUCCESS;
}

/* Tear-down of a suite: port A unbound if it still is, and swi_env_fini. */
static inline void
swi_suite_teardown(void)
{
	test_clean_unwatch_all();
	if (rte_security_sw_inline_ctx_get(env.pa) != NULL)
		rte_security_sw_inline_unbind(env.pa);
	swi_env_fini(&env);
}

/*
 * The last case of a suite that binds port A: with every session gone,
 * the port unbinds. Its counters first.
 */
static inline int
test_unbind(void)
{
	struct rte_security_sw_inline_stats ps;

	if (rte_security_sw_inline_stats_get(env.pa, &ps) == 0)
		printf("  port A: rx_decrypted %" PRIu64 " rx_auth_failed %"
			PRIu64 " tx_encrypted %" PRIu64 "\n", ps.rx_decrypted,
			ps.rx_auth_failed, ps.tx_encrypted);
	TEST_ASSERT_EQ(rte_security_sw_inline_unbind(env.pa), 0, "unbind");
	return TEST_SUCCESS;
}

/*
 * SA description shared by both ends.
 */
struct swi_sa {
	uint32_t spi;
	uint8_t key[32];
	uint8_t key_len;     /* 16 or 32 */
	uint8_t salt[4];
	bool tunnel;
	bool v6;             /* outer (tunnel) or packet (transport) IPv6 */
	bool inner_v6;       /* tunnel: inner packets are IPv6 */
	bool esn;
	uint64_t esn_start;  /* initial sequence number */
	uint32_t win;        /* replay window */
	uint64_t ipsec_flags; /* RTE_IPSEC_SAFLAG_* of the librte_ipsec SA */
	uint8_t src[16], dst[16]; /* tunnel endpoints */
};

static inline void
swi_sa_default(struct swi_sa *sa, uint32_t spi, uint8_t key_len, bool tunnel,
		bool v6)
{
	unsigned int i;

	memset(sa, 0, sizeof(*sa));
	sa->spi = spi;
	sa->key_len = key_len;
	for (i = 0; i < sizeof(sa->key); i++)
		sa->key[i] = (uint8_t)(rte_rand() | 1);
	for (i = 0; i < 4; i++)
		sa->salt[i] = (uint8_t)rte_rand();
	sa->tunnel = tunnel;
	sa->v6 = v6;
	sa->win = 128;
	if (v6) {
		sa->src[0] = 0x20; sa->src[1] = 0x01; sa->src[15] = 1;
		sa->dst[0] = 0x20; sa->dst[1] = 0x01; sa->dst[15] = 2;
	} else {
		sa->src[0] = 10; sa->src[3] = 1;
		sa->dst[0] = 10; sa->dst[3] = 2;
	}
}

/* A librte_ipsec session and what it owns. */
struct swi_ips {
	struct rte_ipsec_session ss;
	struct rte_crypto_sym_xform xf;
	uint8_t hdr[64];
	struct rte_security_ctx *ctx; /* inline: the context */
	void *sess;                   /* rte_security or cryptodev session */
	int cdev;
};

#define SWI_IV_OFS (sizeof(struct rte_crypto_op) + \
	sizeof(struct rte_crypto_sym_op))

static inline void
swi_ipsec_xform(const struct swi_sa *sa, bool egress,
		struct rte_security_ipsec_xform *x)
{
	memset(x, 0, sizeof(*x));
	x->spi = sa->spi;
	memcpy(&x->salt, sa->salt, 4);
	x->options.esn = sa->esn;
	x->direction = egress ? RTE_SECURITY_IPSEC_SA_DIR_EGRESS :
		RTE_SECURITY_IPSEC_SA_DIR_INGRESS;
	x->proto = RTE_SECURITY_IPSEC_SA_PROTO_ESP;
	x->mode = sa->tunnel ? RTE_SECURITY_IPSEC_SA_MODE_TUNNEL :
		RTE_SECURITY_IPSEC_SA_MODE_TRANSPORT;
	x->replay_win_sz = sa->win;
	x->esn.value = sa->esn_start;
	if (sa->tunnel && sa->v6) {
		x->tunnel.type = RTE_SECURITY_IPSEC_TUNNEL_IPV6;
		memcpy(&x->tunnel.ipv6.src_addr, sa->src, 16);
		memcpy(&x->tunnel.ipv6.dst_addr, sa->dst, 16);
		x->tunnel.ipv6.hlimit = 64;
	} else if (sa->tunnel) {
		x->tunnel.type = RTE_SECURITY_IPSEC_TUNNEL_IPV4;
		memcpy(&x->tunnel.ipv4.src_ip, sa->src, 4);
		memcpy(&x->tunnel.ipv4.dst_ip, sa->dst, 4);
		x->tunnel.ipv4.ttl = 64;
	}
}

/* Outer header template (Ethernet + IP) of a tunnel SA. */
static inline uint8_t
swi_tun_hdr(const struct swi_sa *sa, uint8_t *h)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)h;

	memset(h, 0, 64);
	memset(&eth->dst_addr, 0x02, 6);
	memset(&eth->src_addr, 0x04, 6);
	if (sa->v6) {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(eth + 1);

		eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
		ip6->vtc_flow = RTE_BE32(6u << 28);
		ip6->proto = IPPROTO_ESP;
		ip6->hop_limits = 64;
		memcpy(&ip6->src_addr, sa->src, 16);
		memcpy(&ip6->dst_addr, sa->dst, 16);
		return sizeof(*eth) + sizeof(*ip6);
	} else {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);

		eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->time_to_live = 64;
		ip->next_proto_id = IPPROTO_ESP;
		memcpy(&ip->src_addr, sa->src, 4);
		memcpy(&ip->dst_addr, sa->dst, 4);
		return sizeof(*eth) + sizeof(*ip);
	}
}

static inline void
swi_aead_xform(const struct swi_sa *sa, bool egress,
		struct rte_crypto_sym_xform *xf)
{
	memset(xf, 0, sizeof(*xf));
	xf->type = RTE_CRYPTO_SYM_XFORM_AEAD;
	xf->aead.algo = RTE_CRYPTO_AEAD_AES_GCM;
	xf->aead.op = egress ? RTE_CRYPTO_AEAD_OP_ENCRYPT :
		RTE_CRYPTO_AEAD_OP_DECRYPT;
	xf->aead.key.data = sa->key;
	xf->aead.key.length = sa->key_len;
	xf->aead.iv.offset = SWI_IV_OFS;
	xf->aead.iv.length = 12;
	xf->aead.digest_length = 16;
	xf->aead.aad_length = sa->esn ? 12 : 8;
}

/*
 * Set up a librte_ipsec session for sa: inline crypto on ctx if ctx is not
 * NULL, else lookaside on the cryptodev of e.
 */
static inline int
swi_ips_init(struct swi_env *e, struct swi_ips *ips, const struct swi_sa *sa,
		bool egress, struct rte_security_ctx *ctx)
{
	struct rte_ipsec_sa_prm prm;
	struct rte_ipsec_sa *isa;
	int sz;

	memset(ips, 0, sizeof(*ips));
	memset(&prm, 0, sizeof(prm));
	swi_aead_xform(sa, egress, &ips->xf);
	swi_ipsec_xform(sa, egress, &prm.ipsec_xform);
	prm.crypto_xform = &ips->xf;
	prm.flags = sa->ipsec_flags;
	if (sa->tunnel) {
		prm.tun.hdr_len = swi_tun_hdr(sa, ips->hdr);
		prm.tun.hdr_l3_off = RTE_ETHER_HDR_LEN;
		prm.tun.next_proto = sa->inner_v6 ? IPPROTO_IPV6 :
			IPPROTO_IPIP;
		prm.tun.hdr = ips->hdr;
	} else {
		/* the IP version of the packets */
		prm.trs.proto = sa->v6 ? IPPROTO_IPV6 : IPPROTO_IPIP;
	}
	sz = rte_ipsec_sa_size(&prm);
	if (sz < 0)
		return -1;
	isa = rte_zmalloc("swi_isa", sz, RTE_CACHE_LINE_SIZE);
	if (isa == NULL)
		return -1;
	if (rte_ipsec_sa_init(isa, &prm, sz) < 0) {
		rte_free(isa);
		return -1;
	}
	ips->ss.sa = isa;
	if (ctx != NULL) {
		struct rte_security_session_conf sc;

		memset(&sc, 0, sizeof(sc));
		sc.action_type = RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO;
		sc.protocol = RTE_SECURITY_PROTOCOL_IPSEC;
		sc.ipsec = prm.ipsec_xform;
		sc.crypto_xform = &ips->xf;
		sc.userdata = ips;
		if (swi_env_sess_pool(e, ctx) != 0)
			return -1;
		ips->sess = rte_security_session_create(ctx, &sc, e->sess_mp);
		if (ips->sess == NULL)
			return -1;
		ips->ctx = ctx;
		ips->ss.type = RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO;
		ips->ss.security.ses = ips->sess;
		ips->ss.security.ctx = ctx;
		ips->ss.security.ol_flags = egress ?
			RTE_SECURITY_TX_OLOAD_NEED_MDATA : 0;
	} else {
		ips->sess = rte_cryptodev_sym_session_create(e->cdev, &ips->xf,
			e->cs_mp);
		if (ips->sess == NULL)
			return -1;
		ips->cdev = e->cdev;
		ips->ss.type = RTE_SECURITY_ACTION_TYPE_NONE;
		ips->ss.crypto.ses = ips->sess;
		ips->ss.crypto.dev_id = e->cdev;
	}
	return rte_ipsec_session_prepare(&ips->ss);
}

static inline void
swi_ips_fini(struct swi_ips *ips)
{
	if (ips->sess != NULL) {
		if (ips->ctx != NULL)
			rte_security_session_destroy(ips->ctx, ips->sess);
		else
			rte_cryptodev_sym_session_free(ips->cdev, ips->sess);
	}
	if (ips->ss.sa != NULL) {
		rte_ipsec_sa_fini(ips->ss.sa);
		rte_free(ips->ss.sa);
	}
	memset(ips, 0, sizeof(*ips));
}

/*
 * Lookaside processing of a burst: prepare, crypto, process. Returns the
 * number of good packets, first in mb; the others are freed.
 */
static inline uint16_t
swi_lookaside(struct swi_env *e, struct swi_ips *ips, struct rte_mbuf **mb,
		uint16_t n)
{
	struct rte_crypto_op *cop[SWI_BURST];
	struct rte_mbuf *good[SWI_BURST];
	uint16_t k, i, d = 0, ng = 0, nbad = 0, r;
	struct rte_mbuf *bad[SWI_BURST];

	if (n > SWI_BURST)
		return 0;
	if (rte_crypto_op_bulk_alloc(e->cop_mp, RTE_CRYPTO_OP_TYPE_SYMMETRIC,
			cop, n) == 0)
		return 0;
	k = rte_ipsec_pkt_crypto_prepare(&ips->ss, mb, cop, n);
	for (i = k; i < n; i++)
		bad[nbad++] = mb[i];
	rte_mempool_put_bulk(e->cop_mp, (void **)&cop[k], n - k);
	i = 0;
	while (i < k) {
		i += rte_cryptodev_enqueue_burst(e->cdev, 0, cop + i, k - i);
		d += rte_cryptodev_dequeue_burst(e->cdev, 0, cop + d, k - d);
	}
	while (d < k)
		d += rte_cryptodev_dequeue_burst(e->cdev, 0, cop + d, k - d);
	for (i = 0; i < k; i++) {
		struct rte_mbuf *m = cop[i]->sym->m_src;

		if (cop[i]->status == RTE_CRYPTO_OP_STATUS_SUCCESS)
			good[ng++] = m;
		else
			bad[nbad++] = m;
		rte_crypto_op_free(cop[i]);
	}
	r = ng == 0 ? 0 : rte_ipsec_pkt_process(&ips->ss, good, ng);
	for (i = r; i < ng; i++)
		bad[nbad++] = good[i];
	for (i = 0; i < nbad; i++)
		rte_pktmbuf_free(bad[i]);
	memcpy(mb, good, r * sizeof(mb[0]));
	return r;
}

/* Process with librte_ipsec (inline session); free the refused ones. */
static inline uint16_t
swi_inline_process(struct swi_ips *ips, struct rte_mbuf **mb, uint16_t n)
{
	uint16_t k = rte_ipsec_pkt_process(&ips->ss, mb, n), i;

	for (i = k; i < n; i++)
		rte_pktmbuf_free(mb[i]);
	return k;
}

/*
 * Packets.
 */

/* Inner packet: Ethernet + IPv4 (v6 false) or IPv6 + UDP + payload of
 * plen random bytes. l2_len/l3_len set as librte_ipsec expects.
 */
static inline struct rte_mbuf *
swi_inner_pkt(struct rte_mempool *mp, bool v6, uint16_t plen, uint16_t id)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	struct rte_ether_hdr *eth;
	struct rte_udp_hdr *udp;
	uint8_t *p;
	uint16_t l3, i;

	if (m == NULL)
		return NULL;
	l3 = v6 ? sizeof(struct rte_ipv6_hdr) : sizeof(struct rte_ipv4_hdr);
	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m,
		sizeof(*eth) + l3 + sizeof(*udp) + plen);
	if (eth == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memset(&eth->dst_addr, 0x02, 6);
	memset(&eth->src_addr, 0x04, 6);
	if (v6) {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(eth + 1);
		uint8_t *src6, *dst6;

		eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV6);
		memset(ip6, 0, sizeof(*ip6));
		ip6->vtc_flow = RTE_BE32(6u << 28);
		ip6->payload_len = rte_cpu_to_be_16(sizeof(*udp) + plen);
		ip6->proto = IPPROTO_UDP;
		ip6->hop_limits = 64;
		/* 2001::1 to 2001::2; byte access as the address type
		 * differs (uint8_t[16], struct rte_ipv6_addr in 24.11)
		 */
		src6 = (uint8_t *)&ip6->src_addr;
		dst6 = (uint8_t *)&ip6->dst_addr;
		src6[0] = 0x20; src6[1] = 0x01; src6[15] = 1;
		dst6[0] = 0x20; dst6[1] = 0x01; dst6[15] = 2;
		udp = (struct rte_udp_hdr *)(ip6 + 1);
	} else {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);

		eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
		memset(ip, 0, sizeof(*ip));
		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->total_length = rte_cpu_to_be_16(l3 + sizeof(*udp) + plen);
		ip->packet_id = rte_cpu_to_be_16(id);
		ip->time_to_live = 64;
		ip->next_proto_id = IPPROTO_UDP;
		ip->src_addr = RTE_BE32(0xc0a80001);
		ip->dst_addr = RTE_BE32(0xc0a80002);
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		udp = (struct rte_udp_hdr *)(ip + 1);
	}
	udp->src_port = RTE_BE16(1000);
	udp->dst_port = rte_cpu_to_be_16(id);
	udp->dgram_len = rte_cpu_to_be_16(sizeof(*udp) + plen);
	udp->dgram_cksum = 0;
	p = (uint8_t *)(udp + 1);
	for (i = 0; i < plen; i++)
		p[i] = (uint8_t)rte_rand();
	m->l2_len = sizeof(*eth);
	m->l3_len = l3;
	return m;
}

/* Send a burst on a port and receive it on the other; return how many
 * arrived (in rx).
 */
static inline uint16_t
swi_xfer(uint16_t tx_port, uint16_t rx_port, uint16_t q,
		struct rte_mbuf **tx, uint16_t n, struct rte_mbuf **rx)
{
	uint16_t s = rte_eth_tx_burst(tx_port, q, tx, n);
	uint16_t r = 0, i;

	for (i = s; i < n; i++)
		rte_pktmbuf_free(tx[i]);
	for (i = 0; i < 4 && r < s; i++)
		r += rte_eth_rx_burst(rx_port, q, rx + r, SWI_BURST - r);
	return r;
}

/* Copy of a packet's bytes, from offset off. */
static inline uint32_t
swi_bytes(const struct rte_mbuf *m, uint32_t off, uint8_t *buf, uint32_t max)
{
	uint32_t len;
	const void *p;

	if (off > m->pkt_len)
		return 0;
	len = RTE_MIN(m->pkt_len - off, max);
	p = rte_pktmbuf_read(m, off, len, buf);
	if (p != buf)
		memcpy(buf, p, len);
	return len;
}

/* Recompute the IPv4 header checksum of a transport-mode result (an
 * application's job after librte_ipsec inbound transport processing).
 */
static inline void
swi_fix_ip4_cksum(struct rte_mbuf *m, uint32_t l2)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m,
		struct rte_ipv4_hdr *, l2);

	if ((ip->version_ihl >> 4) == 4) {
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	}
}

/* Encrypted packets as a peer would send them: inner packets of plen
 * payload bytes (random if plen < 0) through lookaside outbound, outer
 * IPv4 checksum set, no offload flags. Returns the number made.
 */
static inline uint16_t
swi_esp_pkts(struct swi_env *e, struct swi_ips *out, const struct swi_sa *sa,
		struct rte_mbuf **mb, uint16_t n, int plen)
{
	bool v6 = sa->tunnel ? sa->inner_v6 : sa->v6;
	uint16_t i, k;

	for (i = 0; i < n; i++) {
		mb[i] = swi_inner_pkt(e->mp, v6, plen >= 0 ? (uint16_t)plen :
			(uint16_t)(rte_rand() % 1401), i);
		if (mb[i] == NULL) {
			rte_pktmbuf_free_bulk(mb, i);
			return 0;
		}
	}
	k = swi_lookaside(e, out, mb, n);
	for (i = 0; i < k; i++) {
		struct rte_ether_hdr *eth = rte_pktmbuf_mtod(mb[i],
			struct rte_ether_hdr *);

		if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4))
			swi_fix_ip4_cksum(mb[i], RTE_ETHER_HDR_LEN);
		mb[i]->ol_flags = 0;
		mb[i]->l2_len = 0;
		mb[i]->l3_len = 0;
		mb[i]->packet_type = 0;
	}
	return k;
}

#endif /* _SWI_TEST_H_ */
