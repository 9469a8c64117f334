/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * Interoperability with DPDK's own software IPsec, both directions, in one
 * process:
 * - librte_ipsec INLINE_CRYPTO outbound frames the packets, the provider
 *   encrypts them on port A's TX; port B receives them and librte_ipsec
 *   with a lookaside crypto_aesni_gcm session decrypts them;
 * - librte_ipsec lookaside encrypts on B, the provider decrypts on A's RX,
 *   librte_ipsec INLINE_CRYPTO inbound strips the framing.
 * The inner packets must come out byte-identical. Tunnel (IPv4/IPv6 outer,
 * IPv4/IPv6 inner) and transport, AES-128/256, with and without ESN (with
 * the sequence numbers crossing a 2^32 boundary). After every case the
 * runner checks that no packet leaked (test_clean_check()).
 */

#include "swi_test.h"

#define NB_BURSTS 4

struct icase {
	const char *name;
	uint8_t key_len;
	bool tunnel, v6, inner_v6, esn;
	uint64_t esn_start;
};

static const struct icase cases[] = {
	{ "AES-128 tunnel v4/v4", 16, true, false, false, false, 0 },
	{ "AES-256 tunnel v6/v4", 32, true, true, false, false, 0 },
	{ "AES-128 tunnel v4/v6 ESN", 16, true, false, true, true,
		UINT64_C(0xffffffc0) },
	{ "AES-256 tunnel v6/v6 ESN", 32, true, true, true, true,
		UINT64_C(0x1ffffffd0) },
	{ "AES-256 transport v4", 32, false, false, false, false, 0 },
	{ "AES-128 transport v6 ESN", 16, false, true, false, true,
		UINT64_C(0xffffffe0) },
};

/* What the receiver of an ESP packet sets before librte_ipsec. */
static void
set_lens(struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m,
		const struct rte_ether_hdr *);

	m->l2_len = RTE_ETHER_HDR_LEN;
	if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV6)) {
		m->l3_len = sizeof(struct rte_ipv6_hdr);
	} else {
		const struct rte_ipv4_hdr *ip = (const void *)(eth + 1);

		m->l3_len = (ip->version_ihl & 0xf) * 4;
	}
}

/* Outer IPv4 checksum of a lookaside result (left 0 by librte_ipsec). */
static void
set_outer_cksum(struct rte_mbuf *m)
{
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m,
		const struct rte_ether_hdr *);

	if (eth->ether_type == RTE_BE16(RTE_ETHER_TYPE_IPV4))
		swi_fix_ip4_cksum(m, RTE_ETHER_HDR_LEN);
}

/* Expected result of inbound processing: the inner IP packet (tunnel) or
 * the whole packet (transport).
 */
static uint32_t
expected(const struct icase *c, struct rte_mbuf *m, uint8_t *buf)
{
	return swi_bytes(m, c->tunnel ? RTE_ETHER_HDR_LEN : 0, buf,
		SWI_MAX_PKT);
}

static int
check_result(const struct icase *c, struct rte_mbuf *m, const uint8_t *exp,
		uint32_t elen, unsigned int idx)
{
	uint8_t got[SWI_MAX_PKT];
	uint32_t len;

	if (!c->tunnel && !c->v6)
		swi_fix_ip4_cksum(m, RTE_ETHER_HDR_LEN);
	len = swi_bytes(m, 0, got, sizeof(got));
	if (len != elen || memcmp(got, exp, len) != 0) {
		printf("  %s: packet %u differs (%u/%u bytes)\n", c->name,
			idx, len, elen);
		return -1;
	}
	return 0;
}

static struct rte_mbuf *
make_inner(const struct icase *c, uint16_t id)
{
	bool v6 = c->tunnel ? c->inner_v6 : c->v6;
	/* random sizes up to 1400 bytes of payload, some tiny */
	uint16_t plen = (uint16_t)(rte_rand() % 4 == 0 ? rte_rand() % 8 :
		rte_rand() % 1401);

	return swi_inner_pkt(env.mp, v6, plen, id);
}

/* Provider encrypts (inline outbound on A), lookaside decrypts on B. */
static int
run_outbound(const struct icase *c, const struct swi_sa *sa)
{
	static uint8_t exp[SWI_BURST][SWI_MAX_PKT];
	uint32_t elen[SWI_BURST];
	struct rte_mbuf *mb[SWI_BURST], *rx[SWI_BURST];
	struct swi_ips out, in;
	struct rte_security_stats st;
	uint16_t i, k, n, r, b;
	unsigned int total = 0;
	int ret = -1;

	memset(&out, 0, sizeof(out));
	memset(&in, 0, sizeof(in));
	if (swi_ips_init(&env, &out, sa, true, ctx) != 0 ||
			swi_ips_init(&env, &in, sa, false, NULL) != 0) {
		printf("  %s: session setup failed\n", c->name);
		goto out;
	}
	for (b = 0; b < NB_BURSTS; b++) {
		for (i = 0; i < SWI_BURST; i++) {
			mb[i] = make_inner(c, b * SWI_BURST + i);
			if (mb[i] == NULL)
				goto out;
			elen[i] = expected(c, mb[i], exp[i]);
		}
		k = rte_ipsec_pkt_process(&out.ss, mb, SWI_BURST);
		if (k != SWI_BURST) {
			printf("  %s: inline outbound %u/%u\n", c->name, k,
				SWI_BURST);
			rte_pktmbuf_free_bulk(mb, SWI_BURST);
			goto out;
		}
		for (i = 0; i < k; i++)
			if (!(mb[i]->ol_flags & RTE_MBUF_F_TX_SEC_OFFLOAD))
				goto out;
		n = swi_xfer(env.pa, env.pb, 0, mb, k, rx);
		if (n != k) {
			printf("  %s: %u/%u received\n", c->name, n, k);
			rte_pktmbuf_free_bulk(rx, n);
			goto out;
		}
		for (i = 0; i < n; i++)
			set_lens(rx[i]);
		r = swi_lookaside(&env, &in, rx, n);
		if (r != n) {
			printf("  %s: lookaside inbound %u/%u (rte_errno %d)\n",
				c->name, r, n, rte_errno);
			rte_pktmbuf_free_bulk(rx, r);
			goto out;
		}
		for (i = 0; i < r; i++) {
			if (check_result(c, rx[i], exp[i], elen[i],
					b * SWI_BURST + i) != 0) {
				rte_pktmbuf_free_bulk(rx, r);
				goto out;
			}
		}
		total += r;
		rte_pktmbuf_free_bulk(rx, r);
	}
	if (rte_security_session_stats_get(ctx, out.sess, &st) != 0 ||
			st.ipsec.opackets != total || st.ipsec.oerrors != 0) {
		printf("  %s: session counted %" PRIu64 "/%u\n", c->name,
			st.ipsec.opackets, total);
		goto out;
	}
	ret = 0;
out:
	swi_ips_fini(&out);
	swi_ips_fini(&in);
	return ret;
}

/* Lookaside encrypts on B, provider decrypts on A, inline inbound. */
static int
run_inbound(const struct icase *c, const struct swi_sa *sa)
{
	static uint8_t exp[SWI_BURST][SWI_MAX_PKT];
	uint32_t elen[SWI_BURST];
	struct rte_mbuf *mb[SWI_BURST], *rx[SWI_BURST];
	struct swi_ips out, in;
	struct rte_security_stats st;
	uint16_t i, k, n, r, b;
	unsigned int total = 0;
	int ret = -1;

	memset(&out, 0, sizeof(out));
	memset(&in, 0, sizeof(in));
	if (swi_ips_init(&env, &out, sa, true, NULL) != 0 ||
			swi_ips_init(&env, &in, sa, false, ctx) != 0) {
		printf("  %s: session setup failed\n", c->name);
		goto out;
	}
	for (b = 0; b < NB_BURSTS; b++) {
		for (i = 0; i < SWI_BURST; i++) {
			mb[i] = make_inner(c, b * SWI_BURST + i);
			if (mb[i] == NULL)
				goto out;
			elen[i] = expected(c, mb[i], exp[i]);
		}
		k = swi_lookaside(&env, &out, mb, SWI_BURST);
		if (k != SWI_BURST) {
			printf("  %s: lookaside outbound %u\n", c->name, k);
			rte_pktmbuf_free_bulk(mb, k);
			goto out;
		}
		for (i = 0; i < k; i++) {
			set_outer_cksum(mb[i]);
			/* what the wire does not carry */
			mb[i]->ol_flags = 0;
			mb[i]->l2_len = 0;
			mb[i]->l3_len = 0;
		}
		n = swi_xfer(env.pb, env.pa, 0, mb, k, rx);
		if (n != k) {
			rte_pktmbuf_free_bulk(rx, n);
			goto out;
		}
		for (i = 0; i < n; i++) {
			if ((rx[i]->ol_flags & (RTE_MBUF_F_RX_SEC_OFFLOAD |
					RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED)) !=
					RTE_MBUF_F_RX_SEC_OFFLOAD) {
				printf("  %s: packet %u not decrypted\n",
					c->name, b * SWI_BURST + i);
				rte_pktmbuf_free_bulk(rx, n);
				goto out;
			}
		}
		r = swi_inline_process(&in, rx, n);
		if (r != n) {
			printf("  %s: inline inbound %u/%u (rte_errno %d)\n",
				c->name, r, n, rte_errno);
			rte_pktmbuf_free_bulk(rx, r);
			goto out;
		}
		for (i = 0; i < r; i++) {
			if (check_result(c, rx[i], exp[i], elen[i],
					b * SWI_BURST + i) != 0) {
				rte_pktmbuf_free_bulk(rx, r);
				goto out;
			}
		}
		total += r;
		rte_pktmbuf_free_bulk(rx, r);
	}
	if (rte_security_session_stats_get(ctx, in.sess, &st) != 0 ||
			st.ipsec.ipackets != total || st.ipsec.ierrors != 0) {
		printf("  %s: session counted %" PRIu64 "/%u\n", c->name,
			st.ipsec.ipackets, total);
		goto out;
	}
	ret = 0;
out:
	swi_ips_fini(&out);
	swi_ips_fini(&in);
	return ret;
}

static void
case_sa(const struct icase *c, struct swi_sa *sa, uint32_t spi)
{
	swi_sa_default(sa, spi, c->key_len, c->tunnel, c->v6);
	sa->inner_v6 = c->inner_v6;
	sa->esn = c->esn;
	sa->esn_start = c->esn_start;
}

static int
test_provider_to_lookaside(void)
{
	struct swi_sa sa;
	unsigned int i;

	for (i = 0; i < RTE_DIM(cases); i++) {
		case_sa(&cases[i], &sa, 0x1000 + i);
		TEST_ASSERT(run_outbound(&cases[i], &sa) == 0, "%s",
			cases[i].name);
	}
	TEST_ASSERT_EQ(swi_in_use(&env), 0, "mbufs in use");
	return 0;
}

static int
test_lookaside_to_provider(void)
{
	struct swi_sa sa;
	unsigned int i;

	for (i = 0; i < RTE_DIM(cases); i++) {
		case_sa(&cases[i], &sa, 0x2000 + i);
		TEST_ASSERT(run_inbound(&cases[i], &sa) == 0, "%s",
			cases[i].name);
	}
	TEST_ASSERT_EQ(swi_in_use(&env), 0, "mbufs in use");
	return 0;
}

static int
interop_setup(void)
{
	return swi_suite_setup(1, true, true);
}

static struct unit_test_suite interop_suite = {
	.name = "sw_inline_interop",
	.setup = interop_setup,
	.teardown = swi_suite_teardown,
	.snapshot = test_clean_snapshot,
	.check = test_clean_check,
	.cases = {
		TEST_CASE(test_provider_to_lookaside),
		TEST_CASE(test_lookaside_to_provider),
		TEST_CASE(test_unbind),
		TEST_CASES_END()
	}
};

REGISTER_TEST_SUITE(interop_suite);
