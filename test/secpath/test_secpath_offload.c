/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * Secpath and rte_security: RX import (inline protocol via the dynfield,
 * inline crypto via SPI lookup), failed offloads, the provider API, TX
 * metadata, librte_ipsec outbound inline crypto followed by the TX helper,
 * and burst forms against single-packet forms. After every case the runner
 * checks that nothing leaked (test_clean_check(): no block in use, the
 * mbuf pool as full as before); the last case finishes the library and
 * checks that no session is left.
 */

#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_ipsec.h>

#include "secpath_test.h"

#define NB_BLOCKS 1024
#define NB_MBUFS 2047

/* Inbound inline protocol SA and session. */
static rte_secpath_sa_t sa_ip;
static void *sess_ip;
/* Inbound inline crypto SA and session. */
static rte_secpath_sa_t sa_ic;
static void *sess_ic;
/* Outbound inline crypto (metadata), inline protocol (metadata), inline
 * crypto (no metadata) SAs.
 */
static rte_secpath_sa_t sa_oa, sa_ob, sa_oc;
static void *sess_oa, *sess_ob, *sess_oc;

#define SPI_IP 0x5001
#define SPI_IC 0x1001
#define SPI_OA 0x7001
#define SPI_OB 0x7002
#define SPI_OC 0x7003
#define SPI_UNKNOWN 0xdead

static int
setup_sas(void)
{
	/* Inline protocol: SA first, then the session whose userdata is
	 * the SA handle, then the SA gets its session.
	 */
	if (test_sa_add(SPI_IP, RTE_SECPATH_DIR_IN, RTE_SECPATH_MODE_TUNNEL,
			RTE_SECPATH_KIND_INLINE_PROTOCOL, 0, NULL, 11, &sa_ip))
		return -1;
	sess_ip = test_session(SPI_IP,
		RTE_SECURITY_ACTION_TYPE_INLINE_PROTOCOL,
		RTE_SECURITY_IPSEC_SA_DIR_INGRESS, sa_ip);
	if (sess_ip == NULL ||
			rte_secpath_sa_set_session(sa_ip, &test_sec_ctx,
				sess_ip) < 0)
		return -1;
	sess_ic = test_session(SPI_IC, RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO,
		RTE_SECURITY_IPSEC_SA_DIR_INGRESS, 0);
	if (sess_ic == NULL || test_sa_add(SPI_IC, RTE_SECPATH_DIR_IN,
			RTE_SECPATH_MODE_TUNNEL,
			RTE_SECPATH_KIND_INLINE_CRYPTO, 0, sess_ic, 12, &sa_ic))
		return -1;
	sess_oa = test_session(SPI_OA, RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO,
		RTE_SECURITY_IPSEC_SA_DIR_EGRESS, 0);
	sess_ob = test_session(SPI_OB,
		RTE_SECURITY_ACTION_TYPE_INLINE_PROTOCOL,
		RTE_SECURITY_IPSEC_SA_DIR_EGRESS, 0);
	sess_oc = test_session(SPI_OC, RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO,
		RTE_SECURITY_IPSEC_SA_DIR_EGRESS, 0);
	if (sess_oa == NULL || sess_ob == NULL || sess_oc == NULL)
		return -1;
	if (test_sa_add(SPI_OA, RTE_SECPATH_DIR_OUT, RTE_SECPATH_MODE_TUNNEL,
			RTE_SECPATH_KIND_INLINE_CRYPTO,
			RTE_SECPATH_SA_F_NEED_MDATA, sess_oa, 21, &sa_oa) ||
			test_sa_add(SPI_OB, RTE_SECPATH_DIR_OUT,
			RTE_SECPATH_MODE_TUNNEL,
			RTE_SECPATH_KIND_INLINE_PROTOCOL,
			RTE_SECPATH_SA_F_NEED_MDATA, sess_ob, 22, &sa_ob) ||
			test_sa_add(SPI_OC, RTE_SECPATH_DIR_OUT,
			RTE_SECPATH_MODE_TRANSPORT,
			RTE_SECPATH_KIND_INLINE_CRYPTO, 0, sess_oc, 23,
			&sa_oc))
		return -1;
	return 0;
}

static struct rte_secpath_policy
policy_sa(rte_secpath_sa_t sa)
{
	struct rte_secpath_policy pol;

	memset(&pol, 0, sizeof(pol));
	pol.nb_tmpl = 1;
	pol.tmpl[0].flags = RTE_SECPATH_TMPL_F_SA | RTE_SECPATH_TMPL_F_MODE;
	pol.tmpl[0].sa = sa;
	pol.tmpl[0].mode = RTE_SECPATH_MODE_TUNNEL;
	return pol;
}

static int
test_rx_inline_protocol(void)
{
	struct rte_secpath_policy pol = policy_sa(sa_ip);
	const struct rte_secpath_entry *e;
	struct rte_secpath_stats s0, s1;
	struct rte_mbuf *m, *n, *g;

	rte_secpath_stats_get(&s0);
	/* What an inline protocol PMD delivers: decrypted packet, offload
	 * flag, the session's userdata in the security dynfield.
	 */
	m = test_pkt(PKT_UDP4, 0, RTE_MBUF_F_RX_SEC_OFFLOAD);
	TEST_ASSERT(m != NULL, "alloc");
	TEST_ASSERT_EQ(test_session_userdata(sess_ip), sa_ip,
		"session userdata");
	*rte_security_dynfield(m) = test_session_userdata(sess_ip);
	TEST_ASSERT_EQ(rte_secpath_rx_import(m, RTE_SECPATH_RX_USERDATA), 1,
		"import");
	TEST_ASSERT_EQ(rte_secpath_len(m), 1, "len");
	e = &rte_secpath_get(m)->entry[0];
	TEST_ASSERT_EQ(e->spi, SPI_IP, "spi");
	TEST_ASSERT_EQ(e->dir, RTE_SECPATH_DIR_IN, "dir");
	TEST_ASSERT_EQ(e->mode, RTE_SECPATH_MODE_TUNNEL, "mode");
	TEST_ASSERT_EQ(e->kind, RTE_SECPATH_KIND_INLINE_PROTOCOL, "kind");
	TEST_ASSERT_EQ(e->result, RTE_SECPATH_RESULT_OK, "result");
	TEST_ASSERT_EQ(e->sa, sa_ip, "sa");
	TEST_ASSERT(e->sess == sess_ip, "session");
	TEST_ASSERT_EQ(rte_secpath_policy_check(m, &pol), RTE_SECPATH_PASS,
		"policy");

	/* No offload flag: no secpath, whatever the dynfield holds. */
	n = test_pkt(PKT_UDP4, 0, 0);
	TEST_ASSERT(n != NULL, "alloc");
	*rte_security_dynfield(n) = sa_ip;
	TEST_ASSERT_EQ(rte_secpath_rx_import(n, RTE_SECPATH_RX_USERDATA), 0,
		"import without flag");
	TEST_ASSERT(rte_secpath_get(n) == NULL, "secpath without flag");
	TEST_ASSERT_EQ(rte_secpath_policy_check(n, &pol),
		RTE_SECPATH_NO_SECPATH, "policy without secpath");

	/* Userdata that is no SA handle: a failed entry. */
	g = test_pkt(PKT_UDP4, 0, RTE_MBUF_F_RX_SEC_OFFLOAD);
	TEST_ASSERT(g != NULL, "alloc");
	*rte_security_dynfield(g) = 0x1234;
	TEST_ASSERT_EQ(rte_secpath_rx_import(g, RTE_SECPATH_RX_USERDATA), 1,
		"import garbage");
	TEST_ASSERT_EQ(rte_secpath_get(g)->entry[0].result,
		RTE_SECPATH_RESULT_FAILED, "garbage result");
	TEST_ASSERT_EQ(rte_secpath_policy_check(g, &pol),
		RTE_SECPATH_FAILED_ENTRY, "garbage policy");

	rte_secpath_stats_get(&s1);
	TEST_ASSERT_EQ(s1.rx_ok - s0.rx_ok, 1, "rx_ok");
	TEST_ASSERT_EQ(s1.rx_failed - s0.rx_failed, 1, "rx_failed");
	TEST_ASSERT_EQ(s1.rx_no_sa - s0.rx_no_sa, 1, "rx_no_sa");
	rte_mbuf_extension_pktmbuf_free(m);
	rte_mbuf_extension_pktmbuf_free(n);
	rte_mbuf_extension_pktmbuf_free(g);
	return TEST_SUCCESS;
}

static int
test_rx_inline_crypto(void)
{
	static const enum test_pkt_kind kinds[] = {
		PKT_ESP4, PKT_ESP4_VLAN, PKT_ESP6, PKT_ESP4_L2L3,
	};
	struct rte_secpath_policy pol = policy_sa(sa_ic);
	const struct rte_secpath_entry *e;
	struct rte_mbuf *m;
	unsigned int i;

	TEST_ASSERT_EQ(rte_secpath_sa_lookup_spi(SPI_IC), sa_ic, "lookup");
	TEST_ASSERT_EQ(rte_secpath_sa_lookup_spi(SPI_UNKNOWN),
		RTE_SECPATH_SA_NONE, "lookup unknown");
	/* Outbound SAs are not indexed for RX. */
	TEST_ASSERT_EQ(rte_secpath_sa_lookup_spi(SPI_OA),
		RTE_SECPATH_SA_NONE, "lookup outbound");
	for (i = 0; i < RTE_DIM(kinds); i++) {
		/* ixgbe style: decrypted in place, ESP header still there. */
		m = test_pkt(kinds[i], SPI_IC, RTE_MBUF_F_RX_SEC_OFFLOAD);
		TEST_ASSERT(m != NULL, "alloc");
		TEST_ASSERT_EQ(rte_secpath_rx_import(m, RTE_SECPATH_RX_SPI), 1,
			"import");
		e = &rte_secpath_get(m)->entry[0];
		TEST_ASSERT_EQ(e->spi, SPI_IC, "spi");
		TEST_ASSERT_EQ(e->sa, sa_ic, "sa");
		TEST_ASSERT_EQ(e->kind, RTE_SECPATH_KIND_INLINE_CRYPTO, "kind");
		TEST_ASSERT_EQ(e->result, RTE_SECPATH_RESULT_OK, "result");
		TEST_ASSERT(e->sess == sess_ic, "session");
		TEST_ASSERT_EQ(rte_secpath_policy_check(m, &pol),
			RTE_SECPATH_PASS, "policy");
		rte_mbuf_extension_pktmbuf_free(m);
	}
	/* Unknown SPI: failed entry naming no SA. */
	m = test_pkt(PKT_ESP4, SPI_UNKNOWN, RTE_MBUF_F_RX_SEC_OFFLOAD);
	TEST_ASSERT(m != NULL, "alloc");
	TEST_ASSERT_EQ(rte_secpath_rx_import(m, RTE_SECPATH_RX_SPI), 1,
		"import unknown");
	e = &rte_secpath_get(m)->entry[0];
	TEST_ASSERT_EQ(e->spi, SPI_UNKNOWN, "spi");
	TEST_ASSERT_EQ(e->sa, RTE_SECPATH_SA_NONE, "sa");
	TEST_ASSERT_EQ(e->result, RTE_SECPATH_RESULT_FAILED, "result");
	TEST_ASSERT_EQ(rte_secpath_policy_check(m, &pol),
		RTE_SECPATH_FAILED_ENTRY, "policy");
	rte_mbuf_extension_pktmbuf_free(m);
	/* Not ESP but flagged: failed entry. */
	m = test_pkt(PKT_UDP4, SPI_IC, RTE_MBUF_F_RX_SEC_OFFLOAD);
	TEST_ASSERT(m != NULL, "alloc");
	TEST_ASSERT_EQ(rte_secpath_rx_import(m, RTE_SECPATH_RX_SPI), 1,
		"import non-ESP");
	TEST_ASSERT_EQ(rte_secpath_get(m)->entry[0].result,
		RTE_SECPATH_RESULT_FAILED, "non-ESP result");
	rte_mbuf_extension_pktmbuf_free(m);
	/* ESP without the offload flag: nothing. */
	m = test_pkt(PKT_ESP4, SPI_IC, 0);
	TEST_ASSERT(m != NULL, "alloc");
	TEST_ASSERT_EQ(rte_secpath_rx_import(m, RTE_SECPATH_RX_SPI), 0,
		"import without flag");
	TEST_ASSERT(rte_secpath_get(m) == NULL, "secpath without flag");
	rte_mbuf_extension_pktmbuf_free(m);
	return TEST_SUCCESS;
}

/*
 * Lengths left in the mbuf by its previous user (a PMD's RX does not reset
 * them): an IPv4 ESP packet of an unknown SA in an mbuf that last carried
 * an IPv6 packet (l3_len 40). Its SPI is the one in its ESP header, not
 * whatever the sender put 20 bytes into the ESP payload (here SPI_IC): the
 * entry names no SA and the packet fails sa_ic's policy.
 */
static int
test_rx_stale_l3_len(void)
{
	struct rte_secpath_policy pol = policy_sa(sa_ic);
	const struct rte_secpath_entry *e;
	struct rte_mbuf *m;
	rte_be32_t forged = rte_cpu_to_be_32(SPI_IC);

	m = test_pkt(PKT_ESP4, SPI_UNKNOWN, RTE_MBUF_F_RX_SEC_OFFLOAD);
	TEST_ASSERT(m != NULL, "alloc");
	m->l2_len = 14;
	m->l3_len = 40;
	memcpy(rte_pktmbuf_mtod_offset(m, uint8_t *, 14 + 40), &forged, 4);
	TEST_ASSERT_EQ(rte_secpath_rx_import(m, RTE_SECPATH_RX_SPI), 1,
		"import");
	e = &rte_secpath_get(m)->entry[0];
	TEST_ASSERT_EQ(e->spi, SPI_UNKNOWN, "SPI read");
	TEST_ASSERT(e->sa == RTE_SECPATH_SA_NONE &&
		e->result == RTE_SECPATH_RESULT_FAILED, "entry of no SA");
	TEST_ASSERT(rte_secpath_policy_check(m, &pol) != RTE_SECPATH_PASS,
		"policy of sa_ic passed");
	rte_mbuf_extension_pktmbuf_free(m);
	return TEST_SUCCESS;
}

/* Failed offload: recorded and rejected by the policy check. */
static int
test_rx_failed(void)
{
	struct rte_secpath_policy pol = policy_sa(sa_ic), none;
	const struct rte_secpath_entry *e;
	struct rte_secpath_stats s0, s1;
	struct rte_mbuf *m, *p;

	memset(&none, 0, sizeof(none));
	rte_secpath_stats_get(&s0);
	m = test_pkt(PKT_ESP4, SPI_IC, RTE_MBUF_F_RX_SEC_OFFLOAD |
		RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED);
	TEST_ASSERT(m != NULL, "alloc");
	TEST_ASSERT_EQ(rte_secpath_rx_import(m, RTE_SECPATH_RX_SPI), 1,
		"import");
	e = &rte_secpath_get(m)->entry[0];
	TEST_ASSERT_EQ(e->sa, sa_ic, "the SA is known");
	TEST_ASSERT_EQ(e->result, RTE_SECPATH_RESULT_FAILED, "result");
	TEST_ASSERT_EQ(rte_secpath_policy_check(m, &pol),
		RTE_SECPATH_FAILED_ENTRY, "policy");
	TEST_ASSERT_EQ(rte_secpath_policy_check(m, &none),
		RTE_SECPATH_FAILED_ENTRY, "no-protection policy");
	/* Inline protocol failure too. */
	p = test_pkt(PKT_UDP4, 0, RTE_MBUF_F_RX_SEC_OFFLOAD |
		RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED);
	TEST_ASSERT(p != NULL, "alloc");
	*rte_security_dynfield(p) = test_session_userdata(sess_ip);
	TEST_ASSERT_EQ(rte_secpath_rx_import(p, RTE_SECPATH_RX_USERDATA), 1,
		"import");
	TEST_ASSERT_EQ(rte_secpath_get(p)->entry[0].sa, sa_ip, "sa");
	TEST_ASSERT_EQ(rte_secpath_get(p)->entry[0].result,
		RTE_SECPATH_RESULT_FAILED, "result");
	pol = policy_sa(sa_ip);
	TEST_ASSERT_EQ(rte_secpath_policy_check(p, &pol),
		RTE_SECPATH_FAILED_ENTRY, "policy");
	rte_secpath_stats_get(&s1);
	TEST_ASSERT_EQ(s1.rx_failed - s0.rx_failed, 2, "rx_failed");
	TEST_ASSERT_EQ(s1.rx_no_sa - s0.rx_no_sa, 0, "rx_no_sa");
	rte_mbuf_extension_pktmbuf_free(m);
	rte_mbuf_extension_pktmbuf_free(p);
	return TEST_SUCCESS;
}

/* The API a software inline provider calls. */
static int
test_rx_record(void)
{
	const struct rte_secpath_entry *e;
	struct rte_mbuf *m = test_pkt(PKT_ESP4, SPI_IC, 0);

	TEST_ASSERT(m != NULL, "alloc");
	TEST_ASSERT_EQ(rte_secpath_rx_record(m, SPI_IC, sess_ic,
		RTE_SECPATH_KIND_INLINE_CRYPTO, RTE_SECPATH_RESULT_OK), 0,
		"record");
	TEST_ASSERT_EQ(rte_secpath_rx_record(m, SPI_UNKNOWN, sess_ic,
		RTE_SECPATH_KIND_INLINE_CRYPTO, RTE_SECPATH_RESULT_OK), 0,
		"record unknown");
	TEST_ASSERT_EQ(rte_secpath_len(m), 2, "len");
	e = &rte_secpath_get(m)->entry[0];
	TEST_ASSERT_EQ(e->sa, sa_ic, "sa");
	TEST_ASSERT_EQ(e->mode, RTE_SECPATH_MODE_TUNNEL, "mode from SA");
	TEST_ASSERT_EQ(e->result, RTE_SECPATH_RESULT_OK, "result");
	TEST_ASSERT(e->sess == sess_ic, "session");
	e = &rte_secpath_get(m)->entry[1];
	TEST_ASSERT_EQ(e->sa, RTE_SECPATH_SA_NONE, "unknown sa");
	TEST_ASSERT_EQ(e->result, RTE_SECPATH_RESULT_FAILED, "unknown result");
	rte_mbuf_extension_pktmbuf_free(m);

	/* The provider recorded it, the application imports too: once. */
	m = test_pkt(PKT_ESP4, SPI_IC, RTE_MBUF_F_RX_SEC_OFFLOAD);
	TEST_ASSERT(m != NULL, "alloc");
	TEST_ASSERT_EQ(rte_secpath_rx_record(m, SPI_IC, sess_ic,
		RTE_SECPATH_KIND_INLINE_CRYPTO, RTE_SECPATH_RESULT_OK), 0,
		"record");
	TEST_ASSERT_EQ(rte_secpath_rx_import(m, RTE_SECPATH_RX_SPI), 0,
		"import after record");
	TEST_ASSERT_EQ(rte_secpath_rx_import_burst(&m, 1, RTE_SECPATH_RX_SPI),
		0, "burst import after record");
	TEST_ASSERT_EQ(rte_secpath_len(m), 1, "recorded once");
	rte_mbuf_extension_pktmbuf_free(m);
	return TEST_SUCCESS;
}

/* TX: metadata exactly once per packet with the right session. */
static int
test_tx_metadata(void)
{
#define NB_TX 25
	struct rte_mbuf *m[NB_TX];
	struct rte_secpath_entry e;
	struct rte_secpath_stats s0, s1;
	unsigned int i, other, expect = 0;

	rte_secpath_stats_get(&s0);
	nb_md_calls = 0;
	for (i = 0; i < NB_TX; i++) {
		m[i] = test_inner_pkt(32);
		TEST_ASSERT(m[i] != NULL, "alloc");
		switch (i % 5) {
		case 0:
			TEST_ASSERT_EQ(rte_secpath_push_sa(m[i], sa_oa, 0), 0,
				"push A");
			expect++;
			break;
		case 1:
			/* Outbound lookaside first, then inline B: B. */
			memset(&e, 0, sizeof(e));
			e.spi = 0x99;
			e.dir = RTE_SECPATH_DIR_OUT;
			e.kind = RTE_SECPATH_KIND_LOOKASIDE;
			TEST_ASSERT_EQ(rte_secpath_push(m[i], &e), 0, "push");
			TEST_ASSERT_EQ(rte_secpath_push_sa(m[i], sa_ob, 0), 0,
				"push B");
			expect++;
			break;
		case 2:
			break;
		case 3:
			TEST_ASSERT_EQ(rte_secpath_push_sa(m[i], sa_ic, 0), 0,
				"push inbound");
			break;
		case 4:
			TEST_ASSERT_EQ(rte_secpath_push_sa(m[i], sa_oc, 0), 0,
				"push C");
			break;
		}
	}
	TEST_ASSERT_EQ(rte_secpath_tx_prepare_burst(m, NB_TX), NB_TX, "burst");
	TEST_ASSERT_EQ(nb_md_calls, expect, "metadata calls");
	for (i = 0; i < NB_TX; i++) {
		int offl = !!(m[i]->ol_flags & RTE_MBUF_F_TX_SEC_OFFLOAD);

		switch (i % 5) {
		case 0:
			TEST_ASSERT_EQ(md_calls_for(m[i], sess_oa, &other), 1,
				"A calls");
			TEST_ASSERT_EQ(other, 0, "A other calls");
			TEST_ASSERT_EQ(offl, 1, "A flag");
			break;
		case 1:
			TEST_ASSERT_EQ(md_calls_for(m[i], sess_ob, &other), 1,
				"B calls");
			TEST_ASSERT_EQ(other, 0, "B other calls");
			TEST_ASSERT_EQ(offl, 1, "B flag");
			break;
		case 4:
			TEST_ASSERT_EQ(md_calls_for(m[i], sess_oc, &other), 0,
				"C calls");
			TEST_ASSERT_EQ(other, 0, "C other calls");
			TEST_ASSERT_EQ(offl, 1, "C flag");
			break;
		default:
			TEST_ASSERT_EQ(md_calls_for(m[i], NULL, &other), 0,
				"calls");
			TEST_ASSERT_EQ(other, 0, "calls");
			TEST_ASSERT_EQ(offl, 0, "flag");
			break;
		}
	}
	/* Again: already flagged, nothing more. */
	TEST_ASSERT_EQ(rte_secpath_tx_prepare_burst(m, NB_TX), NB_TX, "again");
	TEST_ASSERT_EQ(nb_md_calls, expect, "metadata calls again");
	rte_secpath_stats_get(&s1);
	TEST_ASSERT_EQ(s1.tx_mdata - s0.tx_mdata, expect, "tx_mdata");
	TEST_ASSERT_EQ(s1.tx_offload - s0.tx_offload, expect + NB_TX / 5,
		"tx_offload");

	/* Metadata error: flag not set, burst stops there. */
	for (i = 0; i < NB_TX; i++)
		m[i]->ol_flags &= ~RTE_MBUF_F_TX_SEC_OFFLOAD;
	md_fail = -EIO;
	TEST_ASSERT_EQ(rte_secpath_tx_prepare(m[0]), -EIO, "single error");
	TEST_ASSERT_EQ(m[0]->ol_flags & RTE_MBUF_F_TX_SEC_OFFLOAD, 0,
		"flag after error");
	rte_errno = 0;
	TEST_ASSERT_EQ(rte_secpath_tx_prepare_burst(&m[2], 4), 3,
		"burst error");
	TEST_ASSERT_EQ(rte_errno, EIO, "burst rte_errno");
	md_fail = 0;
	rte_mbuf_extension_pktmbuf_free_bulk(m, NB_TX);
	return TEST_SUCCESS;
#undef NB_TX
}

/* A librte_ipsec SA for inline crypto, AES-128-GCM tunnel. */
static struct rte_ipsec_sa *
ipsec_sa(uint32_t spi, enum rte_security_ipsec_sa_direction dir)
{
	static uint8_t key[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
	static struct rte_ipv4_hdr tun;
	struct rte_crypto_sym_xform xf;
	struct rte_ipsec_sa_prm prm;
	struct rte_ipsec_sa *sa;
	int sz;

	memset(&tun, 0, sizeof(tun));
	tun.version_ihl = RTE_IPV4_VHL_DEF;
	tun.time_to_live = 64;
	tun.next_proto_id = IPPROTO_ESP;
	tun.src_addr = rte_cpu_to_be_32(TEST_IPV4(198, 51, 100, 1));
	tun.dst_addr = rte_cpu_to_be_32(TEST_IPV4(198, 51, 100, 2));

	memset(&xf, 0, sizeof(xf));
	xf.type = RTE_CRYPTO_SYM_XFORM_AEAD;
	xf.aead.op = dir == RTE_SECURITY_IPSEC_SA_DIR_EGRESS ?
		RTE_CRYPTO_AEAD_OP_ENCRYPT : RTE_CRYPTO_AEAD_OP_DECRYPT;
	xf.aead.algo = RTE_CRYPTO_AEAD_AES_GCM;
	xf.aead.key.data = key;
	xf.aead.key.length = sizeof(key);
	xf.aead.iv.offset = sizeof(struct rte_crypto_op) +
		sizeof(struct rte_crypto_sym_op);
	xf.aead.iv.length = 12;
	xf.aead.digest_length = 16;
	xf.aead.aad_length = 8;

	memset(&prm, 0, sizeof(prm));
	prm.ipsec_xform.spi = spi;
	prm.ipsec_xform.salt = 0x01020304;
	prm.ipsec_xform.direction = dir;
	prm.ipsec_xform.replay_win_sz = 64;
	prm.ipsec_xform.proto = RTE_SECURITY_IPSEC_SA_PROTO_ESP;
	prm.ipsec_xform.mode = RTE_SECURITY_IPSEC_SA_MODE_TUNNEL;
	prm.ipsec_xform.tunnel.type = RTE_SECURITY_IPSEC_TUNNEL_IPV4;
	prm.tun.hdr_len = sizeof(tun);
	prm.tun.hdr_l3_off = 0;
	prm.tun.next_proto = IPPROTO_IPIP;
	prm.tun.hdr = &tun;
	prm.crypto_xform = &xf;

	sz = rte_ipsec_sa_size(&prm);
	if (sz < 0)
		return NULL;
	sa = rte_zmalloc("ipsec_sa", sz, RTE_CACHE_LINE_SIZE);
	if (sa == NULL)
		return NULL;
	if (rte_ipsec_sa_init(sa, &prm, sz) < 0) {
		rte_free(sa);
		return NULL;
	}
	return sa;
}

static struct rte_ipsec_sa *
ipsec_outb_sa(uint32_t spi)
{
	return ipsec_sa(spi, RTE_SECURITY_IPSEC_SA_DIR_EGRESS);
}

/* librte_ipsec outbound inline crypto, then the TX helper. */
static int
test_ipsec_outbound_inline(void)
{
#define NB_OUT 16
	struct rte_mbuf *m[NB_OUT];
	struct rte_ipsec_session ss;
	const struct rte_secpath_entry *e;
	uint16_t len0[NB_OUT];
	unsigned int i, other;
	uint16_t k;

	memset(&ss, 0, sizeof(ss));
	ss.sa = ipsec_outb_sa(SPI_OA);
	TEST_ASSERT(ss.sa != NULL, "rte_ipsec_sa_init");
	ss.type = RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO;
	ss.security.ctx = &test_sec_ctx;
	ss.security.ses = sess_oa;
	ss.security.ol_flags = RTE_SECURITY_TX_OLOAD_NEED_MDATA;
	TEST_ASSERT_EQ(rte_ipsec_session_prepare(&ss), 0, "session_prepare");

	for (i = 0; i < NB_OUT; i++) {
		m[i] = test_inner_pkt(16 + i);
		TEST_ASSERT(m[i] != NULL, "alloc");
		len0[i] = rte_pktmbuf_pkt_len(m[i]);
	}
	nb_md_calls = 0;
	k = rte_ipsec_pkt_process(&ss, m, NB_OUT);
	TEST_ASSERT_EQ(k, NB_OUT, "pkt_process");
	/* librte_ipsec set the flag and the metadata itself. */
	TEST_ASSERT_EQ(nb_md_calls, NB_OUT, "metadata by librte_ipsec");
	TEST_ASSERT_EQ(rte_secpath_ipsec_record(&ss, sa_oa, m, k), NB_OUT,
		"record");
	for (i = 0; i < NB_OUT; i++) {
		const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m[i],
			const struct rte_ipv4_hdr *);
		const struct rte_esp_hdr *esp = rte_pktmbuf_mtod_offset(m[i],
			const struct rte_esp_hdr *, sizeof(*ip));

		TEST_ASSERT_EQ(ip->next_proto_id, IPPROTO_ESP, "outer proto");
		TEST_ASSERT_EQ(rte_be_to_cpu_32(esp->spi), SPI_OA, "ESP spi");
		TEST_ASSERT_EQ(rte_be_to_cpu_32(esp->seq), i + 1, "ESP seq");
		TEST_ASSERT(rte_pktmbuf_pkt_len(m[i]) > len0[i] + 36u,
			"no ESP encapsulation");
		TEST_ASSERT(m[i]->ol_flags & RTE_MBUF_F_TX_SEC_OFFLOAD,
			"offload flag");
		e = &rte_secpath_get(m[i])->entry[0];
		TEST_ASSERT_EQ(rte_secpath_len(m[i]), 1, "len");
		TEST_ASSERT_EQ(e->spi, SPI_OA, "entry spi");
		TEST_ASSERT_EQ(e->dir, RTE_SECPATH_DIR_OUT, "entry dir");
		TEST_ASSERT_EQ(e->mode, RTE_SECPATH_MODE_TUNNEL, "entry mode");
		TEST_ASSERT_EQ(e->kind, RTE_SECPATH_KIND_INLINE_CRYPTO,
			"entry kind");
		TEST_ASSERT_EQ(e->sa, sa_oa, "entry sa");
		TEST_ASSERT(e->sess == sess_oa, "entry session");
	}
	/* The TX helper must not set the metadata a second time. */
	TEST_ASSERT_EQ(rte_secpath_tx_prepare_burst(m, NB_OUT), NB_OUT,
		"tx_prepare");
	TEST_ASSERT_EQ(nb_md_calls, NB_OUT, "metadata calls");
	for (i = 0; i < NB_OUT; i++) {
		TEST_ASSERT_EQ(md_calls_for(m[i], sess_oa, &other), 1,
			"one call per packet");
		TEST_ASSERT_EQ(other, 0, "call with another session");
	}

	/* The same packets with the flag cleared (e.g. a re-route): the
	 * helper alone provides the metadata, once.
	 */
	nb_md_calls = 0;
	for (i = 0; i < NB_OUT; i++)
		m[i]->ol_flags &= ~RTE_MBUF_F_TX_SEC_OFFLOAD;
	TEST_ASSERT_EQ(rte_secpath_tx_prepare_burst(m, NB_OUT), NB_OUT,
		"tx_prepare alone");
	TEST_ASSERT_EQ(nb_md_calls, NB_OUT, "metadata calls by helper");
	for (i = 0; i < NB_OUT; i++) {
		TEST_ASSERT_EQ(md_calls_for(m[i], sess_oa, &other), 1,
			"one call per packet");
		TEST_ASSERT(m[i]->ol_flags & RTE_MBUF_F_TX_SEC_OFFLOAD,
			"flag");
	}

	/* Stale handle: nothing recorded. */
	TEST_ASSERT_EQ(rte_secpath_ipsec_record(&ss,
		sa_oa + (UINT64_C(2) << 32), m, NB_OUT), 0, "stale record");
	TEST_ASSERT_EQ(rte_errno, ENOENT, "rte_errno");
	TEST_ASSERT_EQ(rte_secpath_len(m[0]), 1, "len after stale record");

	rte_mbuf_extension_pktmbuf_free_bulk(m, NB_OUT);
	rte_ipsec_sa_fini(ss.sa);
	rte_free(ss.sa);
	return TEST_SUCCESS;
#undef NB_OUT
}

/*
 * Inbound inline crypto end to end: frames built by librte_ipsec outbound
 * (plaintext with ESP framing: what an inline crypto NIC delivers after
 * decrypting in place), RX import by SPI, librte_ipsec inbound, record:
 * one entry per packet, policy passes, inner packet back.
 */
static int
test_ipsec_inbound_inline(void)
{
#define NB_IN 8
	struct rte_mbuf *m[NB_IN];
	struct rte_ipsec_session so, si;
	struct rte_secpath_policy pol = policy_sa(sa_ic);
	const struct rte_secpath_entry *e;
	uint32_t len0[NB_IN];
	unsigned int i;
	uint16_t k;

	memset(&so, 0, sizeof(so));
	so.sa = ipsec_outb_sa(SPI_IC);
	so.type = RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO;
	so.security.ctx = &test_sec_ctx;
	so.security.ses = sess_oa;
	memset(&si, 0, sizeof(si));
	si.sa = ipsec_sa(SPI_IC, RTE_SECURITY_IPSEC_SA_DIR_INGRESS);
	si.type = RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO;
	si.security.ctx = &test_sec_ctx;
	si.security.ses = sess_ic;
	TEST_ASSERT(so.sa != NULL && si.sa != NULL, "rte_ipsec_sa_init");
	TEST_ASSERT_EQ(rte_ipsec_session_prepare(&so), 0, "prepare out");
	TEST_ASSERT_EQ(rte_ipsec_session_prepare(&si), 0, "prepare in");
	for (i = 0; i < NB_IN; i++) {
		m[i] = test_inner_pkt(20 + i);
		TEST_ASSERT(m[i] != NULL, "alloc");
		len0[i] = rte_pktmbuf_pkt_len(m[i]);
	}
	TEST_ASSERT_EQ(rte_ipsec_pkt_process(&so, m, NB_IN), NB_IN,
		"build ESP frames");
	/* As received: offload ok, the last one failed (ICV). */
	for (i = 0; i < NB_IN; i++) {
		m[i]->ol_flags = RTE_MBUF_F_RX_SEC_OFFLOAD;
		m[i]->l2_len = 0;
		m[i]->l3_len = sizeof(struct rte_ipv4_hdr);
	}
	m[NB_IN - 1]->ol_flags |= RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED;
	TEST_ASSERT_EQ(rte_secpath_rx_import_burst(m, NB_IN,
		RTE_SECPATH_RX_SPI), NB_IN, "import");
	TEST_ASSERT_EQ(rte_secpath_get(m[0])->entry[0].sa, sa_ic, "import sa");
	TEST_ASSERT_EQ(rte_secpath_get(m[NB_IN - 1])->entry[0].result,
		RTE_SECPATH_RESULT_FAILED, "import failed");
	k = rte_ipsec_pkt_process(&si, m, NB_IN);
	TEST_ASSERT_EQ(k, NB_IN - 1, "inbound process");
	TEST_ASSERT_EQ(rte_secpath_ipsec_record(&si, sa_ic, m, k), k,
		"record");
	for (i = 0; i < k; i++) {
		const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m[i],
			const struct rte_ipv4_hdr *);

		TEST_ASSERT_EQ(rte_pktmbuf_pkt_len(m[i]), len0[i],
			"inner length");
		TEST_ASSERT_EQ(ip->dst_addr,
			rte_cpu_to_be_32(TEST_IPV4(10, 0, 0, 2)), "inner dst");
		TEST_ASSERT_EQ(rte_secpath_len(m[i]), 1, "one entry");
		e = &rte_secpath_get(m[i])->entry[0];
		TEST_ASSERT_EQ(e->kind, RTE_SECPATH_KIND_INLINE_CRYPTO, "kind");
		TEST_ASSERT_EQ(e->result, RTE_SECPATH_RESULT_OK, "result");
		TEST_ASSERT_EQ(rte_secpath_policy_check(m[i], &pol),
			RTE_SECPATH_PASS, "policy");
	}
	/* The dropped one keeps its failed entry: rejected. */
	TEST_ASSERT_EQ(rte_secpath_policy_check(m[NB_IN - 1], &pol),
		RTE_SECPATH_FAILED_ENTRY, "policy on the failed packet");
	/* Recording without the RX import adds the entry. */
	rte_secpath_clear(m[0]);
	TEST_ASSERT_EQ(rte_secpath_ipsec_record(&si, sa_ic, m, 1), 1,
		"record alone");
	TEST_ASSERT_EQ(rte_secpath_len(m[0]), 1, "entry added");
	TEST_ASSERT_EQ(rte_secpath_get(m[0])->entry[0].dir,
		RTE_SECPATH_DIR_IN, "direction from the SA");
	rte_mbuf_extension_pktmbuf_free_bulk(m, NB_IN);
	rte_ipsec_sa_fini(so.sa);
	rte_free(so.sa);
	rte_ipsec_sa_fini(si.sa);
	rte_free(si.sa);
	return TEST_SUCCESS;
#undef NB_IN
}

/* Packet i of the mixed burst. */
static struct rte_mbuf *
mixed_pkt(unsigned int i, enum rte_secpath_rx_how how)
{
	static const enum test_pkt_kind kinds[] = {
		PKT_ESP4, PKT_ESP4_VLAN, PKT_ESP6, PKT_UDP4, PKT_ESP4_L2L3,
	};
	static const uint64_t flags[] = {
		RTE_MBUF_F_RX_SEC_OFFLOAD, 0,
		RTE_MBUF_F_RX_SEC_OFFLOAD | RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED,
	};
	uint32_t spi = (i % 7 == 3) ? SPI_UNKNOWN : SPI_IC;
	struct rte_mbuf *m = test_pkt(kinds[i % RTE_DIM(kinds)], spi,
		flags[i % RTE_DIM(flags)] | RTE_MBUF_F_RX_IP_CKSUM_GOOD);

	if (m == NULL)
		return NULL;
	/* Some userdata values are no SA handle. */
	*rte_security_dynfield(m) = (i % 11 == 5) ? 0x777 :
		(how == RTE_SECPATH_RX_USERDATA ? sa_ip : 0);
	/* Some packets already have an entry (a second pass). */
	if (i % 13 == 0 && rte_secpath_push_sa(m, sa_ic, 0) < 0) {
		rte_mbuf_extension_pktmbuf_free(m);
		return NULL;
	}
	return m;
}

static int
same_secpath(const struct rte_mbuf *a, const struct rte_mbuf *b)
{
	const struct rte_secpath *sa = rte_secpath_get(a);
	const struct rte_secpath *sb = rte_secpath_get(b);

	if (sa == NULL || sb == NULL)
		return sa == sb;
	return sa->len == sb->len &&
		memcmp(sa->entry, sb->entry, sa->len * sizeof(sa->entry[0])) ==
		0;
}

/* Burst forms give what the single-packet forms give. */
static int
test_burst_agrees(void)
{
#define NB_MIX 100
	static const enum rte_secpath_rx_how hows[] = {
		RTE_SECPATH_RX_USERDATA, RTE_SECPATH_RX_SPI,
	};
	struct rte_mbuf *a[NB_MIX], *b[NB_MIX];
	struct rte_secpath_policy pol = policy_sa(sa_ic);
	uint8_t verdict[NB_MIX];
	struct rte_secpath_entry e;
	struct rte_ipsec_session ss;
	unsigned int h, i, n_added, n_pass;
	uint16_t k;
	int r;

	for (h = 0; h < RTE_DIM(hows); h++) {
		for (i = 0; i < NB_MIX; i++) {
			a[i] = mixed_pkt(i, hows[h]);
			b[i] = mixed_pkt(i, hows[h]);
			TEST_ASSERT(a[i] != NULL && b[i] != NULL, "alloc");
		}
		n_added = 0;
		for (i = 0; i < NB_MIX; i++) {
			r = rte_secpath_rx_import(a[i], hows[h]);
			TEST_ASSERT(r >= 0, "single import %d", r);
			n_added += r;
		}
		TEST_ASSERT_EQ(rte_secpath_rx_import_burst(b, NB_MIX, hows[h]),
			n_added, "burst import count");
		TEST_ASSERT(n_added > NB_MIX / 3, "too few offloaded packets");
		for (i = 0; i < NB_MIX; i++)
			TEST_ASSERT(same_secpath(a[i], b[i]),
				"packet %u differs (how %u)", i, h);
		/* Policy check. */
		n_pass = 0;
		for (i = 0; i < NB_MIX; i++)
			n_pass += rte_secpath_policy_check(a[i], &pol) ==
				RTE_SECPATH_PASS;
		TEST_ASSERT_EQ(rte_secpath_policy_check_burst(b, NB_MIX, &pol,
			verdict), n_pass, "burst check count");
		for (i = 0; i < NB_MIX; i++)
			TEST_ASSERT_EQ(verdict[i],
				rte_secpath_policy_check(a[i], &pol),
				"verdict");
		if (hows[h] == RTE_SECPATH_RX_SPI)
			TEST_ASSERT(n_pass > 0 && n_pass < NB_MIX,
				"policy mix: %u pass", n_pass);
		rte_mbuf_extension_pktmbuf_free_bulk(a, NB_MIX);
		rte_mbuf_extension_pktmbuf_free_bulk(b, NB_MIX);
	}

	/* TX prepare: same flags, same calls. */
	for (i = 0; i < NB_MIX; i++) {
		rte_secpath_sa_t sa = i % 3 == 0 ? sa_oa :
			i % 3 == 1 ? sa_ob : sa_ic;

		a[i] = test_inner_pkt(8);
		b[i] = test_inner_pkt(8);
		TEST_ASSERT(a[i] != NULL && b[i] != NULL, "alloc");
		if (i % 4 != 3) {
			TEST_ASSERT_EQ(rte_secpath_push_sa(a[i], sa, 0), 0,
				"push");
			TEST_ASSERT_EQ(rte_secpath_push_sa(b[i], sa, 0), 0,
				"push");
		}
	}
	nb_md_calls = 0;
	for (i = 0; i < NB_MIX; i++)
		TEST_ASSERT(rte_secpath_tx_prepare(a[i]) >= 0, "single tx");
	TEST_ASSERT_EQ(rte_secpath_tx_prepare_burst(b, NB_MIX), NB_MIX,
		"burst tx");
	for (i = 0; i < NB_MIX; i++) {
		void *s = i % 3 == 0 ? sess_oa : i % 3 == 1 ? sess_ob : NULL;
		unsigned int ca, cb, oa, ob;

		TEST_ASSERT_EQ(a[i]->ol_flags & RTE_MBUF_F_TX_SEC_OFFLOAD,
			b[i]->ol_flags & RTE_MBUF_F_TX_SEC_OFFLOAD, "tx flag");
		ca = md_calls_for(a[i], s, &oa);
		cb = md_calls_for(b[i], s, &ob);
		TEST_ASSERT_EQ(ca, cb, "tx calls");
		TEST_ASSERT_EQ(oa + ob, 0, "tx calls, other session");
		TEST_ASSERT_EQ(ca, s != NULL && i % 4 != 3, "tx calls");
	}
	rte_mbuf_extension_pktmbuf_free_bulk(a, NB_MIX);
	rte_mbuf_extension_pktmbuf_free_bulk(b, NB_MIX);

	/* librte_ipsec record: burst against entry + single push. */
	memset(&ss, 0, sizeof(ss));
	ss.sa = ipsec_outb_sa(SPI_OA);
	TEST_ASSERT(ss.sa != NULL, "rte_ipsec_sa_init");
	ss.type = RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO;
	ss.security.ctx = &test_sec_ctx;
	ss.security.ses = sess_oa;
	TEST_ASSERT_EQ(rte_ipsec_session_prepare(&ss), 0, "session_prepare");
	for (i = 0; i < NB_MIX; i++) {
		a[i] = test_inner_pkt(8);
		b[i] = test_inner_pkt(8);
		TEST_ASSERT(a[i] != NULL && b[i] != NULL, "alloc");
	}
	k = rte_ipsec_pkt_process(&ss, a, NB_MIX);
	TEST_ASSERT_EQ(k, NB_MIX, "process a");
	k = rte_ipsec_pkt_process(&ss, b, NB_MIX);
	TEST_ASSERT_EQ(k, NB_MIX, "process b");
	TEST_ASSERT_EQ(rte_secpath_ipsec_entry(&ss, sa_oa, &e), 0, "entry");
	for (i = 0; i < NB_MIX; i++)
		TEST_ASSERT_EQ(rte_secpath_push(a[i], &e), 0, "single push");
	TEST_ASSERT_EQ(rte_secpath_ipsec_record(&ss, sa_oa, b, NB_MIX),
		NB_MIX, "burst record");
	for (i = 0; i < NB_MIX; i++)
		TEST_ASSERT(same_secpath(a[i], b[i]), "record %u differs", i);
	rte_mbuf_extension_pktmbuf_free_bulk(a, NB_MIX);
	rte_mbuf_extension_pktmbuf_free_bulk(b, NB_MIX);
	rte_ipsec_sa_fini(ss.sa);
	rte_free(ss.sa);
	return TEST_SUCCESS;
#undef NB_MIX
}

static void
sessions_destroy(void)
{
	void **sess[] = { &sess_ip, &sess_ic, &sess_oa, &sess_ob, &sess_oc };
	unsigned int i;

	for (i = 0; i < RTE_DIM(sess); i++) {
		if (*sess[i] != NULL)
			rte_security_session_destroy(&test_sec_ctx, *sess[i]);
		*sess[i] = NULL;
	}
}

/* Last: fini with the SAs still there, then the sessions: none in use. */
static int
test_fini(void)
{
	TEST_ASSERT_EQ(rte_secpath_fini(), 0, "fini");
	sessions_destroy();
	TEST_ASSERT_EQ(rte_mempool_in_use_count(test_sess_pool), 0,
		"sessions still in use");
	return TEST_SUCCESS;
}

static int
offload_setup(void)
{
	struct rte_secpath_conf conf = { .max_sa = 64,
		.socket_id = SOCKET_ID_ANY };

	TEST_ASSERT(rte_secpath_init(&conf) == 0 &&
		rte_mbuf_extension_pool_create(NB_BLOCKS, 0,
			SOCKET_ID_ANY) == 0 &&
		test_pools_create(NB_MBUFS) == 0 && setup_sas() == 0,
		"setup: %s", rte_strerror(rte_errno));
	return TEST_SUCCESS;
}

/* What test_fini() did not free. */
static void
offload_teardown(void)
{
	rte_secpath_fini();
	sessions_destroy();
	test_pools_free();
}

static struct unit_test_suite offload_suite = {
	.name = "secpath_offload",
	.setup = offload_setup,
	.teardown = offload_teardown,
	.snapshot = test_clean_snapshot,
	.check = test_clean_check,
	.cases = {
		TEST_CASE(test_rx_inline_protocol),
		TEST_CASE(test_rx_inline_crypto),
		TEST_CASE(test_rx_failed),
		TEST_CASE(test_rx_stale_l3_len),
		TEST_CASE(test_rx_record),
		TEST_CASE(test_tx_metadata),
		TEST_CASE(test_ipsec_outbound_inline),
		TEST_CASE(test_ipsec_inbound_inline),
		TEST_CASE(test_burst_agrees),
		TEST_CASE(test_fini),
		TEST_CASES_END()
	}
};

REGISTER_TEST_SUITE(offload_suite);
