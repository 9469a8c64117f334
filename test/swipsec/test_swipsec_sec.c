/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * net_swipsec as an inline-IPsec port: its security context is the
 * sw_inline provider's (rte_eth_dev_get_sec_ctx()), it offers the SECURITY
 * offloads, its bursts encrypt and decrypt when they are enabled (and
 * refuse, never send in clear, packets asking for TX security when not),
 * its rte_flow rules are those of inline IPsec, and a close with sessions
 * left is -EBUSY with the context still usable to destroy them.
 *
 * Two net_swipsec ports A and B wrap two net_ring ports joined by rings:
 * what A sends is in ring ab (the test may read and change it there),
 * which B receives. librte_ipsec frames the packets (inline crypto), as
 * in test/sw_inline.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_ethdev.h>
#include <rte_eth_ring.h>
#include <rte_flow.h>
#include <rte_ring.h>
#include <rte_security.h>

#include "sw_inline/swi_test.h"

#define SWS_N 64

/* The ports of a case, undone by its tear-down. */
static struct {
	struct rte_ring *ab, *ba;
	char back_a[RTE_ETH_NAME_MAX_LEN], back_b[RTE_ETH_NAME_MAX_LEN];
	char name_a[32], name_b[32];
	uint16_t ba_port, bb_port; /* backends */
	uint16_t pa, pb;           /* wrappers */
	bool made;
} sws;
static unsigned int sws_seq;

static int
sws_conf_start(uint16_t port, uint64_t rx_off, uint64_t tx_off)
{
	struct rte_eth_conf conf;

	memset(&conf, 0, sizeof(conf));
	conf.rxmode.offloads = rx_off;
	conf.txmode.offloads = tx_off;
	if (rte_eth_dev_configure(port, 1, 1, &conf) != 0 ||
			rte_eth_rx_queue_setup(port, 0, 512, rte_socket_id(),
				NULL, env.mp) != 0 ||
			rte_eth_tx_queue_setup(port, 0, 512, rte_socket_id(),
				NULL) != 0)
		return -1;
	return rte_eth_dev_start(port);
}

/* Ports A and B, both started with the offloads given. */
static int
sws_pair(uint64_t rx_off, uint64_t tx_off)
{
	unsigned int id = sws_seq++;
	char name[RTE_RING_NAMESIZE], args[RTE_ETH_NAME_MAX_LEN + 8];
	int p;

	memset(&sws, 0, sizeof(sws));
	sws.made = true;
	snprintf(name, sizeof(name), "sws_ab%u", id);
	sws.ab = rte_ring_create(name, 1024, rte_socket_id(), 0);
	snprintf(name, sizeof(name), "sws_ba%u", id);
	sws.ba = rte_ring_create(name, 1024, rte_socket_id(), 0);
	if (sws.ab == NULL || sws.ba == NULL)
		return -1;
	snprintf(name, sizeof(name), "swsA%u", id);
	p = rte_eth_from_rings(name, &sws.ba, 1, &sws.ab, 1, rte_socket_id());
	if (p < 0)
		return -1;
	sws.ba_port = p;
	rte_eth_dev_get_name_by_port(p, sws.back_a);
	snprintf(name, sizeof(name), "swsB%u", id);
	p = rte_eth_from_rings(name, &sws.ab, 1, &sws.ba, 1, rte_socket_id());
	if (p < 0)
		return -1;
	sws.bb_port = p;
	rte_eth_dev_get_name_by_port(p, sws.back_b);
	snprintf(sws.name_a, sizeof(sws.name_a), "net_swipsec_sa%u", id);
	snprintf(args, sizeof(args), "port=%s", sws.back_a);
	if (rte_vdev_init(sws.name_a, args) != 0 ||
			rte_eth_dev_get_port_by_name(sws.name_a, &sws.pa) != 0)
		return -1;
	snprintf(sws.name_b, sizeof(sws.name_b), "net_swipsec_sb%u", id);
	snprintf(args, sizeof(args), "port=%s", sws.back_b);
	if (rte_vdev_init(sws.name_b, args) != 0 ||
			rte_eth_dev_get_port_by_name(sws.name_b, &sws.pb) != 0)
		return -1;
	if (sws_conf_start(sws.pa, rx_off, tx_off) != 0 ||
			sws_conf_start(sws.pb, rx_off, tx_off) != 0)
		return -1;
	return 0;
}

static void
sws_case_teardown(void)
{
	if (!sws.made)
		return;
	if (sws.name_a[0] != '\0')
		rte_vdev_uninit(sws.name_a);
	if (sws.name_b[0] != '\0')
		rte_vdev_uninit(sws.name_b);
	if (sws.back_a[0] != '\0')
		rte_vdev_uninit(sws.back_a);
	if (sws.back_b[0] != '\0')
		rte_vdev_uninit(sws.back_b);
	test_clean_ring_free(sws.ab);
	test_clean_ring_free(sws.ba);
	memset(&sws, 0, sizeof(sws));
}

static int
sws_pair_both(void)
{
	return sws_pair(RTE_ETH_RX_OFFLOAD_SECURITY,
		RTE_ETH_TX_OFFLOAD_SECURITY) == 0 ? TEST_SUCCESS : TEST_FAILED;
}

/* Cases. */

static int
test_sec_ctx(void)
{
	struct rte_security_ctx *a, *b, *bound;
	const struct rte_security_capability *cap;
	bool in = false, out = false, same;
	struct rte_ring *r;
	int p;

	a = rte_eth_dev_get_sec_ctx(sws.pa);
	b = rte_eth_dev_get_sec_ctx(sws.pb);
	TEST_ASSERT(a != NULL && b != NULL && a != b, "port contexts");
	TEST_ASSERT(rte_security_sw_inline_ctx_get(sws.pa) == a,
		"not the provider's context of the port");
	TEST_ASSERT(rte_eth_dev_get_sec_ctx(sws.ba_port) == NULL,
		"the backend has a context");
	/* the capabilities are the provider's: those of a bound port */
	r = rte_ring_create("sws_loop", 64, rte_socket_id(), 0);
	TEST_ASSERT(r != NULL, "ring");
	p = rte_eth_from_rings("sws_bound", &r, 1, &r, 1, rte_socket_id());
	TEST_ASSERT(p >= 0, "ring port");
	bound = rte_security_sw_inline_bind(p, NULL);
	if (bound == NULL) {
		rte_eth_dev_close(p);
		rte_ring_free(r);
		TEST_ASSERT(false, "bind: %s", rte_strerror(rte_errno));
	}
	cap = rte_security_capabilities_get(a);
	same = cap == rte_security_capabilities_get(bound) &&
		rte_security_session_get_size(a) ==
		rte_security_session_get_size(bound);
	rte_security_sw_inline_unbind(p);
	rte_eth_dev_stop(p);
	rte_eth_dev_close(p);
	rte_ring_free(r);
	TEST_ASSERT(same, "capabilities or session size differ from a bound"
		" port's");
	for (; cap != NULL && cap->action != RTE_SECURITY_ACTION_TYPE_NONE;
			cap++) {
		if (cap->action != RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO ||
				cap->protocol != RTE_SECURITY_PROTOCOL_IPSEC ||
				cap->ipsec.mode !=
				RTE_SECURITY_IPSEC_SA_MODE_TUNNEL)
			continue;
		in |= cap->ipsec.direction ==
			RTE_SECURITY_IPSEC_SA_DIR_INGRESS;
		out |= cap->ipsec.direction ==
			RTE_SECURITY_IPSEC_SA_DIR_EGRESS;
	}
	TEST_ASSERT(in && out, "no inline-crypto ESP tunnel capabilities");
	/* the port's context is its driver's */
	TEST_ASSERT_EQ(rte_security_sw_inline_unbind(sws.pa), -EINVAL,
		"unbind of a net_swipsec port");
	TEST_ASSERT(rte_security_sw_inline_bind(sws.pa, NULL) == NULL &&
		rte_errno == EEXIST, "bind on a net_swipsec port");
	return TEST_SUCCESS;
}

static int
test_sec_offloads(void)
{
	struct rte_eth_dev_info info, binfo;
	struct rte_eth_conf bconf;

	TEST_ASSERT_EQ(rte_eth_dev_info_get(sws.pa, &info), 0, "info");
	TEST_ASSERT_EQ(rte_eth_dev_info_get(sws.ba_port, &binfo), 0, "info");
	TEST_ASSERT(!(binfo.rx_offload_capa & RTE_ETH_RX_OFFLOAD_SECURITY) &&
		!(binfo.tx_offload_capa & RTE_ETH_TX_OFFLOAD_SECURITY),
		"net_ring has SECURITY offloads");
	TEST_ASSERT_EQ(info.rx_offload_capa, binfo.rx_offload_capa |
		RTE_ETH_RX_OFFLOAD_SECURITY, "rx capa");
	/* and MBUF_FAST_FREE, the application's promise, always */
	TEST_ASSERT_EQ(info.tx_offload_capa, binfo.tx_offload_capa |
		RTE_ETH_TX_OFFLOAD_SECURITY |
		RTE_ETH_TX_OFFLOAD_MBUF_FAST_FREE, "tx capa");
	/* configured with them (sws_pair), the backend without */
	TEST_ASSERT_EQ(rte_eth_dev_conf_get(sws.ba_port, &bconf), 0, "conf");
	TEST_ASSERT(!(bconf.rxmode.offloads & RTE_ETH_RX_OFFLOAD_SECURITY) &&
		!(bconf.txmode.offloads & RTE_ETH_TX_OFFLOAD_SECURITY),
		"SECURITY offloads passed to the backend");
	return TEST_SUCCESS;
}

/* Egress SA on A, ingress on B, librte_ipsec around them. */
static int
sws_sas(struct swi_sa *sa, struct swi_ips *out, struct swi_ips *in,
	uint8_t key_len)
{
	swi_sa_default(sa, 0x100 + key_len, key_len, true, false);
	if (swi_ips_init(&env, out, sa, true, rte_eth_dev_get_sec_ctx(sws.pa))
			!= 0)
		return -1;
	return swi_ips_init(&env, in, sa, false,
		rte_eth_dev_get_sec_ctx(sws.pb));
}

static int
sws_round_trip(uint8_t key_len)
{
	static uint8_t plain[SWS_N][SWI_MAX_PKT];
	struct rte_mbuf *mb[SWS_N], *rx[SWS_N];
	uint32_t plen[SWS_N];
	struct rte_security_sw_inline_stats sa_st, sb_st;
	struct swi_ips out, in;
	struct swi_sa sa;
	uint16_t i, n, k, bad = 5;
	int ret = TEST_FAILED;

	memset(&out, 0, sizeof(out));
	memset(&in, 0, sizeof(in));
	rte_security_sw_inline_stats_reset(sws.pa);
	rte_security_sw_inline_stats_reset(sws.pb);
	if (sws_sas(&sa, &out, &in, key_len) != 0) {
		printf("  sessions: %s\n", rte_strerror(rte_errno));
		goto out;
	}
	for (i = 0; i < SWS_N; i++) {
		mb[i] = swi_inner_pkt(env.mp, false, 40 + 17 * i, i);
		if (mb[i] == NULL) {
			rte_pktmbuf_free_bulk(mb, i);
			goto out;
		}
		plen[i] = swi_bytes(mb[i], RTE_ETHER_HDR_LEN, plain[i],
			SWI_MAX_PKT);
	}
	if (rte_ipsec_pkt_process(&out.ss, mb, SWS_N) != SWS_N) {
		rte_pktmbuf_free_bulk(mb, SWS_N);
		goto out;
	}
	n = rte_eth_tx_burst(sws.pa, 0, mb, SWS_N);
	if (n != SWS_N) {
		printf("  tx: %u of %u\n", n, SWS_N);
		rte_pktmbuf_free_bulk(mb + n, SWS_N - n);
		goto out;
	}
	/* on the wire: encrypted, flag cleared; one ICV tampered with */
	n = rte_ring_dequeue_burst(sws.ab, (void **)rx, SWS_N, NULL);
	if (n != SWS_N)
		goto out_rx;
	for (i = 0; i < n; i++) {
		uint8_t wire[SWI_MAX_PKT];
		uint32_t wl = swi_bytes(rx[i], 0, wire, sizeof(wire));
		/* inner IP header and payload after Eth + IP + ESP + IV */
		uint32_t off = RTE_ETHER_HDR_LEN + 20 + 8 + 8;

		if (wl < off + plen[i] ||
				memcmp(wire + off, plain[i], plen[i]) == 0 ||
				(rx[i]->ol_flags & RTE_MBUF_F_TX_SEC_OFFLOAD)) {
			printf("  packet %u not encrypted on the wire\n", i);
			goto out_rx;
		}
	}
	*rte_pktmbuf_mtod_offset(rx[bad], uint8_t *,
		rx[bad]->data_len - 1) ^= 0x20;
	if (rte_ring_enqueue_burst(sws.ab, (void **)rx, n, NULL) != n)
		goto out_rx;
	n = rte_eth_rx_burst(sws.pb, 0, rx, SWS_N);
	if (n != SWS_N) {
		printf("  rx: %u of %u\n", n, SWS_N);
		goto out_rx;
	}
	for (i = 0; i < n; i++) {
		uint64_t f = rx[i]->ol_flags;

		if (!(f & RTE_MBUF_F_RX_SEC_OFFLOAD) ||
				!!(f & RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED) !=
				(i == bad)) {
			printf("  packet %u: flags 0x%" PRIx64 "\n", i, f);
			goto out_rx;
		}
	}
	/* librte_ipsec drops the failed one and strips the others */
	k = rte_ipsec_pkt_process(&in.ss, rx, n);
	if (k != n - 1) {
		printf("  inbound: %u of %u\n", k, n);
		rte_pktmbuf_free_bulk(rx, n);
		goto out;
	}
	rte_pktmbuf_free(rx[k]); /* the failed one, moved to the end */
	for (i = 0; i < k; i++) {
		uint8_t got[SWI_MAX_PKT];
		uint16_t j = i < bad ? i : i + 1;
		uint32_t gl = swi_bytes(rx[i], 0, got, sizeof(got));

		if (gl != plen[j] || memcmp(got, plain[j], gl) != 0) {
			printf("  packet %u differs after the round trip\n", j);
			rte_pktmbuf_free_bulk(rx, k);
			goto out;
		}
	}
	rte_pktmbuf_free_bulk(rx, k);
	if (rte_security_sw_inline_stats_get(sws.pa, &sa_st) != 0 ||
			rte_security_sw_inline_stats_get(sws.pb, &sb_st) != 0)
		goto out;
	if (sa_st.tx_encrypted != SWS_N || sb_st.rx_decrypted != SWS_N - 1 ||
			sb_st.rx_auth_failed != 1) {
		printf("  counters: tx_encrypted %" PRIu64 " rx_decrypted %"
			PRIu64 " rx_auth_failed %" PRIu64 "\n",
			sa_st.tx_encrypted, sb_st.rx_decrypted,
			sb_st.rx_auth_failed);
		goto out;
	}
	ret = TEST_SUCCESS;
	goto out;
out_rx:
	rte_pktmbuf_free_bulk(rx, n);
out:
	swi_ips_fini(&out);
	swi_ips_fini(&in);
	return ret;
}

static int
test_sec_round_trip_128(void)
{
	return sws_round_trip(16);
}

static int
test_sec_round_trip_256(void)
{
	return sws_round_trip(32);
}

/* A packet asking for TX security with no valid session metadata. */
static struct rte_mbuf *
sws_bad_flagged(uint16_t id)
{
	struct rte_mbuf *m = swi_inner_pkt(env.mp, false, 80, id);

	if (m == NULL)
		return NULL;
	m->ol_flags |= RTE_MBUF_F_TX_SEC_OFFLOAD;
	*rte_security_dynfield(m) = UINT64_MAX;
	return m;
}

/*
 * TX: refused packets are the application's (the count returned leaves
 * them to it), never sent; the others go, in order.
 */
static int
test_sec_tx_refused(void)
{
	struct rte_mbuf *mb[4], *wire[8];
	struct rte_security_sw_inline_stats st;
	uint16_t n, w;

	mb[0] = swi_inner_pkt(env.mp, false, 60, 1);
	mb[1] = sws_bad_flagged(2);
	mb[2] = swi_inner_pkt(env.mp, false, 61, 3);
	mb[3] = sws_bad_flagged(4);
	TEST_ASSERT(mb[0] && mb[1] && mb[2] && mb[3], "packets");
	{
		struct rte_mbuf *p0 = mb[0], *p1 = mb[1], *p2 = mb[2],
			*p3 = mb[3];

		n = rte_eth_tx_burst(sws.pa, 0, mb, 4);
		w = rte_ring_dequeue_burst(sws.ab, (void **)wire, 8, NULL);
		rte_pktmbuf_free_bulk(wire, w);
		rte_pktmbuf_free_bulk(mb + n, 4 - n);
		TEST_ASSERT_EQ(n, 2, "sent");
		TEST_ASSERT_EQ(w, 2, "on the wire");
		TEST_ASSERT(wire[0] == p0 && wire[1] == p2,
			"the plain packets, in order, went");
		TEST_ASSERT(mb[2] == p1 && mb[3] == p3,
			"the refused ones are left at the end, in order");
	}
	TEST_ASSERT_EQ(rte_security_sw_inline_stats_get(sws.pa, &st), 0,
		"stats");
	TEST_ASSERT_EQ(st.tx_no_sa, 2, "tx_no_sa");
	return TEST_SUCCESS;
}

/*
 * Without the SECURITY offloads (as on an inline-IPsec NIC): RX leaves
 * ESP alone; TX refuses packets asking for security rather than sending
 * them in clear.
 */
static int
test_sec_offloads_off(void)
{
	struct rte_security_sw_inline_stats st;
	struct rte_mbuf *mb[2], *rx[4];
	struct swi_ips out, in;
	struct swi_sa sa;
	uint16_t n;
	int ret = TEST_FAILED;

	TEST_ASSERT_EQ(sws_pair(0, 0), 0, "ports without offloads");
	memset(&out, 0, sizeof(out));
	memset(&in, 0, sizeof(in));
	if (sws_sas(&sa, &out, &in, 16) != 0)
		goto out;
	mb[0] = swi_inner_pkt(env.mp, false, 100, 1);
	mb[1] = swi_inner_pkt(env.mp, false, 100, 2);
	if (mb[0] == NULL || mb[1] == NULL ||
			rte_ipsec_pkt_process(&out.ss, mb, 2) != 2) {
		rte_pktmbuf_free(mb[0]);
		rte_pktmbuf_free(mb[1]);
		goto out;
	}
	n = rte_eth_tx_burst(sws.pa, 0, mb, 2);
	if (n != 0 || rte_ring_count(sws.ab) != 0) {
		printf("  sent %u flagged packets without the offload\n", n);
		rte_pktmbuf_free_bulk(mb + n, 2 - n);
		goto out;
	}
	/* framed but not encrypted: what an ESP packet is to B's RX */
	mb[0]->ol_flags = 0;
	mb[1]->ol_flags = 0;
	if (rte_ring_enqueue_burst(sws.ab, (void **)mb, 2, NULL) != 2) {
		rte_pktmbuf_free_bulk(mb, 2);
		goto out;
	}
	n = rte_eth_rx_burst(sws.pb, 0, rx, 4);
	rte_pktmbuf_free_bulk(rx, n);
	if (n != 2 || (rx[0]->ol_flags & RTE_MBUF_F_RX_SEC_OFFLOAD) ||
			rte_security_sw_inline_stats_get(sws.pb, &st) != 0 ||
			st.rx_decrypted + st.rx_auth_failed + st.rx_other +
			st.rx_no_sa + st.rx_malformed != 0) {
		printf("  RX processed ESP without the offload\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	swi_ips_fini(&out);
	swi_ips_fini(&in);
	return ret;
}

/* rte_flow: a rule and what the port answers. */
struct sws_rule {
	struct rte_flow_attr attr;
	struct rte_flow_item item[5];
	struct rte_flow_action act[3];
	struct rte_flow_item_ipv4 ip;
	struct rte_flow_item_esp esp;
	struct rte_flow_item_udp udp;
	struct rte_flow_action_queue queue;
};

/* ETH / IPV4 dst / ESP spi / END, SECURITY sess / END (ipsec-secgw's). */
static void
sws_rule_sa(struct sws_rule *r, bool egress, const uint8_t *src,
	const uint8_t *dst, uint32_t spi, void *sess)
{
	memset(r, 0, sizeof(*r));
	r->attr.ingress = !egress;
	r->attr.egress = egress;
	memcpy(&r->ip.hdr.src_addr, src, 4);
	memcpy(&r->ip.hdr.dst_addr, dst, 4);
	r->esp.hdr.spi = rte_cpu_to_be_32(spi);
	r->item[0].type = RTE_FLOW_ITEM_TYPE_ETH;
	r->item[1].type = RTE_FLOW_ITEM_TYPE_IPV4;
	r->item[1].spec = &r->ip;
	r->item[1].mask = &rte_flow_item_ipv4_mask;
	r->item[2].type = RTE_FLOW_ITEM_TYPE_ESP;
	r->item[2].spec = &r->esp;
	r->item[2].mask = &rte_flow_item_esp_mask;
	r->item[3].type = RTE_FLOW_ITEM_TYPE_END;
	r->act[0].type = RTE_FLOW_ACTION_TYPE_SECURITY;
	r->act[0].conf = sess;
	r->act[1].type = RTE_FLOW_ACTION_TYPE_END;
}

/* ESP / END, SECURITY NULL / END (the default rule of both users). */
static void
sws_rule_default(struct sws_rule *r)
{
	memset(r, 0, sizeof(*r));
	r->attr.ingress = 1;
	r->item[0].type = RTE_FLOW_ITEM_TYPE_ESP;
	r->item[1].type = RTE_FLOW_ITEM_TYPE_END;
	r->act[0].type = RTE_FLOW_ACTION_TYPE_SECURITY;
	r->act[1].type = RTE_FLOW_ACTION_TYPE_END;
}

/* validate's answer; a refusal must say why. */
static int
sws_validate(uint16_t port, const struct sws_rule *r)
{
	struct rte_flow_error err;
	int ret;

	memset(&err, 0, sizeof(err));
	ret = rte_flow_validate(port, &r->attr, r->item, r->act, &err);
	if (ret != 0) {
		printf("  refused (%s): %s\n", rte_strerror(-ret),
			err.message != NULL ? err.message : "NO MESSAGE");
		if (err.message == NULL || err.type ==
				RTE_FLOW_ERROR_TYPE_NONE)
			return -EFAULT;
	}
	return ret;
}

static int
test_sec_flow(void)
{
	struct rte_flow *f_in, *f_out, *f_def;
	struct rte_flow_error err;
	struct swi_ips out, in, other;
	struct sws_rule r;
	struct swi_sa sa;
	uint8_t wrong[4] = { 10, 9, 9, 9 };
	int ret = TEST_FAILED;

	memset(&out, 0, sizeof(out));
	memset(&in, 0, sizeof(in));
	memset(&other, 0, sizeof(other));
	/* A: egress and ingress sessions; B: one of another port */
	swi_sa_default(&sa, 0x300, 16, true, false);
	if (swi_ips_init(&env, &out, &sa, true,
			rte_eth_dev_get_sec_ctx(sws.pa)) != 0 ||
			swi_ips_init(&env, &in, &sa, false,
			rte_eth_dev_get_sec_ctx(sws.pa)) != 0 ||
			swi_ips_init(&env, &other, &sa, false,
			rte_eth_dev_get_sec_ctx(sws.pb)) != 0)
		goto out;

	/* accepted: what ipsec-secgw and inline_ipsec_autotest make */
	sws_rule_sa(&r, false, sa.src, sa.dst, sa.spi, in.sess);
	if (sws_validate(sws.pa, &r) != 0)
		goto out;
	f_in = rte_flow_create(sws.pa, &r.attr, r.item, r.act, &err);
	sws_rule_sa(&r, true, sa.src, sa.dst, sa.spi, out.sess);
	if (sws_validate(sws.pa, &r) != 0)
		goto out;
	f_out = rte_flow_create(sws.pa, &r.attr, r.item, r.act, &err);
	sws_rule_default(&r);
	if (sws_validate(sws.pa, &r) != 0)
		goto out;
	f_def = rte_flow_create(sws.pa, &r.attr, r.item, r.act, &err);
	if (f_in == NULL || f_out == NULL || f_def == NULL) {
		printf("  create failed\n");
		goto out;
	}

	/* refused, each with its reason */
#define SWS_REFUSED(what, code) do {					\
	if (sws_validate(sws.pa, &r) != -(code) ||			\
			rte_flow_create(sws.pa, &r.attr, r.item, r.act,	\
				&err) != NULL) {			\
		printf("  not refused with %s: %s\n", #code, what);	\
		goto out;						\
	}								\
} while (0)
	sws_rule_sa(&r, false, sa.src, sa.dst, sa.spi + 1, in.sess);
	SWS_REFUSED("SPI not the session's", EINVAL);
	sws_rule_sa(&r, false, sa.src, wrong, sa.spi, in.sess);
	SWS_REFUSED("destination not the session's", EINVAL);
	sws_rule_sa(&r, true, sa.src, sa.dst, sa.spi, in.sess);
	SWS_REFUSED("egress rule of an ingress session", EINVAL);
	sws_rule_sa(&r, false, sa.src, sa.dst, sa.spi, other.sess);
	SWS_REFUSED("session of another port", EINVAL);
	sws_rule_sa(&r, false, sa.src, sa.dst, sa.spi, &r);
	SWS_REFUSED("not a session at all", EINVAL);
	sws_rule_sa(&r, false, sa.src, sa.dst, sa.spi, in.sess);
	r.item[3] = r.item[2];
	r.item[2].type = RTE_FLOW_ITEM_TYPE_UDP;
	r.item[2].spec = NULL;
	r.item[2].mask = NULL;
	r.item[4].type = RTE_FLOW_ITEM_TYPE_END;
	SWS_REFUSED("UDP-encapsulated ESP", ENOTSUP);
	sws_rule_sa(&r, false, sa.src, sa.dst, sa.spi, in.sess);
	r.act[1].type = RTE_FLOW_ACTION_TYPE_QUEUE;
	r.act[1].conf = &r.queue;
	r.act[2].type = RTE_FLOW_ACTION_TYPE_END;
	SWS_REFUSED("QUEUE action", ENOTSUP);
	sws_rule_sa(&r, false, sa.src, sa.dst, sa.spi, in.sess);
	r.item[2].type = RTE_FLOW_ITEM_TYPE_END;
	SWS_REFUSED("no ESP item", ENOTSUP);
	sws_rule_sa(&r, false, sa.src, sa.dst, sa.spi, in.sess);
	r.act[0].type = RTE_FLOW_ACTION_TYPE_DROP;
	SWS_REFUSED("DROP action", ENOTSUP);
	sws_rule_sa(&r, false, sa.src, sa.dst, sa.spi, in.sess);
	r.attr.ingress = 0;
	r.attr.transfer = 1;
	SWS_REFUSED("transfer rule", ENOTSUP);
	sws_rule_default(&r);
	r.attr.ingress = 0;
	r.attr.egress = 1;
	SWS_REFUSED("egress default rule", EINVAL);
	sws_rule_default(&r);
	r.item[0].spec = &r.esp;
	r.esp.hdr.spi = RTE_BE32(0x300);
	SWS_REFUSED("default rule with an SPI", EINVAL);
#undef SWS_REFUSED

	if (rte_flow_destroy(sws.pa, f_in, &err) != 0 ||
			rte_flow_destroy(sws.pa, f_in, &err) == 0 ||
			rte_flow_destroy(sws.pb, f_out, &err) == 0) {
		printf("  destroy\n");
		goto out;
	}
	if (rte_flow_flush(sws.pa, &err) != 0 ||
			rte_flow_destroy(sws.pa, f_out, &err) == 0) {
		printf("  flush\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	swi_ips_fini(&out);
	swi_ips_fini(&in);
	swi_ips_fini(&other);
	return ret;
}

/*
 * Close with a session left: -EBUSY (ethdev releases the port all the
 * same); the context stays valid to destroy it. Without: 0.
 */
static int
test_sec_close(void)
{
	struct rte_security_ctx *ctx_a = rte_eth_dev_get_sec_ctx(sws.pa);
	struct swi_ips out, in;
	struct swi_sa sa;
	struct rte_eth_dev_owner owner;

	memset(&out, 0, sizeof(out));
	memset(&in, 0, sizeof(in));
	TEST_ASSERT(sws_sas(&sa, &out, &in, 16) == 0, "sessions");
	TEST_ASSERT_EQ(rte_eth_dev_stop(sws.pa), 0, "stop");
	TEST_ASSERT_EQ(rte_eth_dev_close(sws.pa), -EBUSY,
		"close with a session");
	sws.name_a[0] = '\0';
	TEST_ASSERT(rte_security_sw_inline_ctx_get(sws.pa) == NULL,
		"the port still has its context");
	TEST_ASSERT_EQ(rte_eth_dev_owner_get(sws.ba_port, &owner), 0, "owner");
	TEST_ASSERT_EQ(owner.id, RTE_ETH_DEV_NO_OWNER, "backend kept");
	TEST_ASSERT(out.ctx == ctx_a, "context");
	swi_ips_fini(&out); /* rte_security_session_destroy() on ctx_a */
	TEST_ASSERT(out.sess == NULL, "fini");
	TEST_ASSERT_EQ(ctx_a->sess_cnt, 0, "session not destroyed");
	swi_ips_fini(&in);
	TEST_ASSERT_EQ(rte_eth_dev_stop(sws.pb), 0, "stop");
	TEST_ASSERT_EQ(rte_eth_dev_close(sws.pb), 0, "close without");
	sws.name_b[0] = '\0';
	return TEST_SUCCESS;
}

static int
sws_setup(void)
{
	memset(&env, 0, sizeof(env));
	env.cdev = -1;
	env.mp = rte_pktmbuf_pool_create("sws_mp", SWI_NB_MBUF, 64, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (env.mp == NULL)
		return TEST_FAILED;
	return test_clean_watch(env.mp) == 0 ? TEST_SUCCESS : TEST_FAILED;
}

static void
sws_teardown(void)
{
	test_clean_unwatch_all();
	rte_mempool_free(env.sess_mp);
	rte_mempool_free(env.mp);
	memset(&env, 0, sizeof(env));
}

static struct unit_test_suite swipsec_sec_suite = {
	.name = "swipsec_sec",
	.setup = sws_setup,
	.teardown = sws_teardown,
	.snapshot = test_clean_snapshot,
	.check = test_clean_check,
	.cases = {
		TEST_CASE_ST(sws_pair_both, sws_case_teardown, test_sec_ctx),
		TEST_CASE_ST(sws_pair_both, sws_case_teardown,
			test_sec_offloads),
		TEST_CASE_ST(sws_pair_both, sws_case_teardown,
			test_sec_round_trip_128),
		TEST_CASE_ST(sws_pair_both, sws_case_teardown,
			test_sec_round_trip_256),
		TEST_CASE_ST(sws_pair_both, sws_case_teardown,
			test_sec_tx_refused),
		TEST_CASE_ST(NULL, sws_case_teardown, test_sec_offloads_off),
		TEST_CASE_ST(sws_pair_both, sws_case_teardown, test_sec_flow),
		TEST_CASE_ST(sws_pair_both, sws_case_teardown, test_sec_close),
		TEST_CASES_END()
	}
};

REGISTER_TEST_SUITE(swipsec_sec_suite);
