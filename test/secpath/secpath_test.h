/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _SECPATH_TEST_H_
#define _SECPATH_TEST_H_

/*
 * Shared by the secpath suites: an rte_security context built here (custom
 * struct rte_security_ops) whose set_pkt_metadata records every call, the
 * pools, and packet builders.
 */

#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_esp.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_security.h>
#include <rte_security_driver.h>

#include <rte_mbuf_extension.h>
#include <rte_secpath.h>

#include "test_runner.h"
#include "test_clean.h"

#define MD_CALLS_MAX 4096

/* RTE_IPV4() of 22.11 shifts an int: undefined above 127.x.x.x. */
#define TEST_IPV4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
	(uint32_t)(c) << 8 | (uint32_t)(d))

/* One recorded set_pkt_metadata call. */
struct md_call {
	struct rte_mbuf *m;
	void *sess;
};

static struct md_call md_calls[MD_CALLS_MAX];
static unsigned int nb_md_calls;
static int md_fail; /* make set_pkt_metadata fail with this (negative) */

/* Private data of a test session. */
struct test_sess_priv {
	uint64_t userdata;   /* conf->userdata, put in the dynfield on RX */
	uint32_t spi;
	int destroyed;
};

static __rte_unused unsigned int
test_sess_get_size(void *dev)
{
	RTE_SET_USED(dev);
	return sizeof(struct test_sess_priv);
}

static __rte_unused int
test_sess_create(void *dev, struct rte_security_session_conf *conf,
		struct rte_security_session *sess)
{
	struct test_sess_priv *p = SECURITY_GET_SESS_PRIV(sess);

	RTE_SET_USED(dev);
	p->userdata = (uint64_t)(uintptr_t)conf->userdata;
	p->spi = conf->ipsec.spi;
	p->destroyed = 0;
	return 0;
}

static __rte_unused int
test_sess_destroy(void *dev, struct rte_security_session *sess)
{
	struct test_sess_priv *p = SECURITY_GET_SESS_PRIV(sess);

	RTE_SET_USED(dev);
	p->destroyed = 1;
	return 0;
}

static __rte_unused int
test_set_pkt_metadata(void *dev, struct rte_security_session *sess,
		struct rte_mbuf *m, void *params)
{
	RTE_SET_USED(dev);
	RTE_SET_USED(params);
	if (md_fail != 0)
		return md_fail;
	if (nb_md_calls < MD_CALLS_MAX) {
		md_calls[nb_md_calls].m = m;
		md_calls[nb_md_calls].sess = sess;
	}
	nb_md_calls++;
	return 0;
}

static const struct rte_security_ops test_sec_ops = {
	.session_create = test_sess_create,
	.session_get_size = test_sess_get_size,
	.session_destroy = test_sess_destroy,
	.set_pkt_metadata = test_set_pkt_metadata,
};

static struct rte_security_ctx test_sec_ctx = {
	.device = NULL,
	.ops = &test_sec_ops,
	.sess_cnt = 0,
	.flags = 0,
};

static struct rte_mempool *test_sess_pool;
static struct rte_mempool *test_mbuf_pool;

/*
 * Let the mbufs of the plain test pool hold extension references. The
 * tests free every packet that may hold one with
 * rte_mbuf_extension_pktmbuf_free[_bulk](). Needs a registered extension
 * type (rte_secpath_init()).
 */
static __rte_unused int
test_mbuf_pool_opt_in(void)
{
	int ret = rte_mbuf_extension_pktmbuf_pool_opt_in(test_mbuf_pool);

	if (ret < 0)
		printf("cannot opt the mbuf pool in: %s\n",
			rte_strerror(-ret));
	return ret;
}

/*
 * Pools: mbufs, sessions. No per-lcore cache: in-use counts are exact.
 * After rte_secpath_init() the mbuf pool is opted in; before, the caller
 * calls test_mbuf_pool_opt_in() once it has run. test_clean_check()
 * watches the mbuf pool.
 */
static __rte_unused int
test_pools_create(unsigned int nb_mbufs)
{
	test_mbuf_pool = rte_pktmbuf_pool_create("secpath_mbufs", nb_mbufs,
		0, 0, RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (test_mbuf_pool == NULL || test_clean_watch(test_mbuf_pool) != 0)
		return -1;
	if (rte_secpath_ext_id() >= 0 && test_mbuf_pool_opt_in() < 0)
		return -1;
	test_sess_pool = rte_mempool_create("secpath_sess", 64,
		sizeof(struct rte_security_session) +
		sizeof(struct test_sess_priv), 0, 0, NULL, NULL, NULL, NULL,
		SOCKET_ID_ANY, 0);
	return test_sess_pool == NULL ? -1 : 0;
}

/* End of a suite: free the pools of test_pools_create(), the block pool. */
static __rte_unused void
test_pools_free(void)
{
	test_clean_unwatch_all();
	rte_mempool_free(test_mbuf_pool);
	rte_mempool_free(test_sess_pool);
	test_mbuf_pool = NULL;
	test_sess_pool = NULL;
	rte_mbuf_extension_pool_free();
}

/* An inline session of the test context. */
static __rte_unused void *
test_session(uint32_t spi, enum rte_security_session_action_type type,
		enum rte_security_ipsec_sa_direction dir, uint64_t userdata)
{
	struct rte_security_session_conf conf;

	memset(&conf, 0, sizeof(conf));
	conf.action_type = type;
	conf.protocol = RTE_SECURITY_PROTOCOL_IPSEC;
	conf.ipsec.spi = spi;
	conf.ipsec.direction = dir;
	conf.ipsec.proto = RTE_SECURITY_IPSEC_SA_PROTO_ESP;
	conf.ipsec.mode = RTE_SECURITY_IPSEC_SA_MODE_TUNNEL;
	conf.userdata = (void *)(uintptr_t)userdata;
	return rte_security_session_create(&test_sec_ctx, &conf,
		test_sess_pool);
}

/* Userdata the session gives back in the dynfield on RX. */
static __rte_unused uint64_t
test_session_userdata(void *sess)
{
	const struct test_sess_priv *p = SECURITY_GET_SESS_PRIV(sess);

	return p->userdata;
}

/* A secpath SA with default values. */
static __rte_unused int
test_sa_add(uint32_t spi, uint8_t dir, uint8_t mode, uint8_t kind,
		uint32_t flags, void *sess, uint64_t userdata,
		rte_secpath_sa_t *sa)
{
	struct rte_secpath_sa_params p;

	memset(&p, 0, sizeof(p));
	p.spi = spi;
	p.dir = dir;
	p.mode = mode;
	p.kind = kind;
	p.flags = flags;
	p.ctx = sess != NULL ? &test_sec_ctx : NULL;
	p.sess = sess;
	p.userdata = userdata;
	return rte_secpath_sa_add(&p, sa);
}

/* Packet layouts for the inline crypto RX tests. */
enum test_pkt_kind {
	PKT_ESP4,      /* Ethernet, IPv4, ESP */
	PKT_ESP4_VLAN, /* Ethernet, VLAN, IPv4, ESP */
	PKT_ESP6,      /* Ethernet, IPv6, ESP */
	PKT_UDP4,      /* Ethernet, IPv4, UDP: not ESP */
	PKT_ESP4_L2L3, /* as PKT_ESP4 with l2_len/l3_len set */
};

/* Build a received packet carrying an ESP header with @p spi. */
static __rte_unused struct rte_mbuf *
test_pkt(enum test_pkt_kind kind, uint32_t spi, uint64_t ol_flags)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(test_mbuf_pool);
	struct rte_ether_hdr *eth;
	uint16_t off, len = 128;
	uint8_t *p;

	if (m == NULL)
		return NULL;
	p = (uint8_t *)rte_pktmbuf_append(m, len);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memset(p, 0xab, len);
	eth = (struct rte_ether_hdr *)p;
	off = sizeof(*eth);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	if (kind == PKT_ESP4_VLAN) {
		struct rte_vlan_hdr *vh = (struct rte_vlan_hdr *)(p + off);

		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
		vh->vlan_tci = rte_cpu_to_be_16(7);
		vh->eth_proto = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
		off += sizeof(*vh);
	}
	if (kind == PKT_ESP6) {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(p + off);

		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);
		memset(ip6, 0, sizeof(*ip6));
		ip6->vtc_flow = rte_cpu_to_be_32(6u << 28);
		ip6->proto = IPPROTO_ESP;
		ip6->payload_len = rte_cpu_to_be_16(len - off - sizeof(*ip6));
		off += sizeof(*ip6);
	} else {
		struct rte_ipv4_hdr *ip4 = (struct rte_ipv4_hdr *)(p + off);

		memset(ip4, 0, sizeof(*ip4));
		ip4->version_ihl = RTE_IPV4_VHL_DEF;
		ip4->next_proto_id = kind == PKT_UDP4 ? IPPROTO_UDP :
			IPPROTO_ESP;
		ip4->total_length = rte_cpu_to_be_16(len - off);
		ip4->src_addr = rte_cpu_to_be_32(TEST_IPV4(192, 0, 2, 1));
		ip4->dst_addr = rte_cpu_to_be_32(TEST_IPV4(192, 0, 2, 2));
		off += sizeof(*ip4);
	}
	((struct rte_esp_hdr *)(p + off))->spi = rte_cpu_to_be_32(spi);
	((struct rte_esp_hdr *)(p + off))->seq = rte_cpu_to_be_32(1);
	if (kind == PKT_ESP4_L2L3) {
		m->l2_len = sizeof(*eth);
		m->l3_len = sizeof(struct rte_ipv4_hdr);
	}
	m->ol_flags = ol_flags;
	return m;
}

/* An inner IPv4/UDP packet, without L2, as librte_ipsec outbound wants. */
static __rte_unused struct rte_mbuf *
test_inner_pkt(uint16_t payload)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(test_mbuf_pool);
	struct rte_ipv4_hdr *ip4;
	uint16_t len = sizeof(*ip4) + 8 + payload;

	if (m == NULL)
		return NULL;
	ip4 = (struct rte_ipv4_hdr *)rte_pktmbuf_append(m, len);
	if (ip4 == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memset(ip4, 0x5a, len);
	memset(ip4, 0, sizeof(*ip4));
	ip4->version_ihl = RTE_IPV4_VHL_DEF;
	ip4->time_to_live = 64;
	ip4->next_proto_id = IPPROTO_UDP;
	ip4->total_length = rte_cpu_to_be_16(len);
	ip4->src_addr = rte_cpu_to_be_32(TEST_IPV4(10, 0, 0, 1));
	ip4->dst_addr = rte_cpu_to_be_32(TEST_IPV4(10, 0, 0, 2));
	ip4->hdr_checksum = rte_ipv4_cksum(ip4);
	m->l2_len = 0;
	m->l3_len = sizeof(*ip4);
	return m;
}

/* Number of recorded metadata calls for @p m with @p sess. */
static __rte_unused unsigned int
md_calls_for(const struct rte_mbuf *m, const void *sess, unsigned int *other)
{
	unsigned int i, n = 0, o = 0;

	for (i = 0; i < nb_md_calls && i < MD_CALLS_MAX; i++) {
		if (md_calls[i].m != m)
			continue;
		if (md_calls[i].sess == sess)
			n++;
		else
			o++;
	}
	if (other != NULL)
		*other = o;
	return n;
}

#endif /* _SECPATH_TEST_H_ */
