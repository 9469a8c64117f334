/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * Bad input, on RX and TX: tampered ICV, ciphertext, IV and sequence
 * number; unknown SPI and destination; truncated packets; replays (seen
 * through librte_ipsec); packets that are not ESP or not supported; IPv6
 * extension headers; TX packets the provider must refuse. Each case
 * checks the flags, the bytes, what librte_ipsec does next and the
 * counters; after every case the runner checks that no packet leaked
 * (test_clean_check()).
 */

#include "swi_test.h"

static struct swi_sa sa4;            /* tunnel IPv4, AES-128 */
static struct swi_ips peer_out;      /* lookaside encryption on B */
static struct swi_ips a_in;          /* inline decryption on A */

#define FLAGS (RTE_MBUF_F_RX_SEC_OFFLOAD | RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED)

static struct rte_security_sw_inline_stats
port_stats(void)
{
	struct rte_security_sw_inline_stats s;

	memset(&s, 0, sizeof(s));
	rte_security_sw_inline_stats_get(env.pa, &s);
	return s;
}

static uint64_t
sess_ierrors(void *sess)
{
	struct rte_security_stats st;

	if (rte_security_session_stats_get(ctx, sess, &st) != 0)
		return UINT64_MAX;
	return st.ipsec.ierrors;
}

/* Offset of the ESP header of a tunnel IPv4 packet from swi_esp_pkts(). */
#define ESP_OFF (RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr))

/*
 * Tampering with any authenticated byte (ICV, ciphertext, IV, sequence
 * number) gives RX_SEC_OFFLOAD_FAILED, the packet as received, and
 * librte_ipsec drops it with EBADMSG; the untouched packets of the same
 * burst pass.
 */
static int
test_tampered(void)
{
	struct rte_mbuf *mb[SWI_BURST], *rx[SWI_BURST];
	uint8_t before[SWI_BURST][SWI_MAX_PKT], got[SWI_MAX_PKT];
	uint32_t len[SWI_BURST];
	struct rte_security_sw_inline_stats s0, s1;
	bool bad[SWI_BURST];
	uint64_t e0 = sess_ierrors(a_in.sess);
	uint16_t i, n, k, nbad = 0;

	s0 = port_stats();
	n = swi_esp_pkts(&env, &peer_out, &sa4, mb, SWI_BURST, -1);
	TEST_ASSERT_EQ(n, SWI_BURST, "packets made");
	for (i = 0; i < n; i++) {
		uint32_t pl = mb[i]->pkt_len, off;
		uint8_t *p = rte_pktmbuf_mtod(mb[i], uint8_t *);

		bad[i] = i % 2 == 1;
		if (bad[i]) {
			switch (i % 8) {
			case 1: /* ICV */
				off = pl - 1 - rte_rand() % 16;
				break;
			case 3: /* ciphertext */
				off = ESP_OFF + 16 + rte_rand() %
					(pl - ESP_OFF - 32);
				break;
			case 5: /* IV */
				off = ESP_OFF + 8 + rte_rand() % 8;
				break;
			default: /* sequence number (in the AAD) */
				off = ESP_OFF + 4 + rte_rand() % 4;
				break;
			}
			p[off] ^= (uint8_t)(1u << (rte_rand() % 8));
			nbad++;
		}
		len[i] = swi_bytes(mb[i], 0, before[i], SWI_MAX_PKT);
	}
	TEST_ASSERT_EQ(swi_xfer(env.pb, env.pa, 0, mb, n, rx), n, "received");
	for (i = 0; i < n; i++) {
		if (bad[i]) {
			TEST_ASSERT_EQ(rx[i]->ol_flags & FLAGS, FLAGS,
				"tampered packet flagged failed");
			TEST_ASSERT(swi_bytes(rx[i], 0, got, SWI_MAX_PKT) ==
				len[i] && memcmp(got, before[i], len[i]) == 0,
				"tampered packet %u changed", i);
		} else {
			TEST_ASSERT_EQ(rx[i]->ol_flags & FLAGS,
				RTE_MBUF_F_RX_SEC_OFFLOAD, "good packet");
		}
	}
	rte_errno = 0;
	k = rte_ipsec_pkt_process(&a_in.ss, rx, n);
	TEST_ASSERT_EQ(k, n - nbad, "librte_ipsec accepted");
	TEST_ASSERT_EQ(rte_errno, EBADMSG, "rte_errno");
	rte_pktmbuf_free_bulk(rx, n);
	s1 = port_stats();
	TEST_ASSERT_EQ(s1.rx_auth_failed - s0.rx_auth_failed, nbad,
		"rx_auth_failed");
	TEST_ASSERT_EQ(s1.rx_decrypted - s0.rx_decrypted, n - nbad,
		"rx_decrypted");
	TEST_ASSERT_EQ(sess_ierrors(a_in.sess) - e0, nbad, "session ierrors");
	TEST_ASSERT_EQ(swi_in_use(&env), 0, "mbufs in use");
	return 0;
}

/* Unknown SPI or destination: no flag, bytes untouched, rx_no_sa. */
static int
test_no_sa(void)
{
	struct rte_mbuf *mb[4], *rx[SWI_BURST];
	uint8_t before[4][SWI_MAX_PKT], got[SWI_MAX_PKT];
	uint32_t len[4];
	struct rte_security_sw_inline_stats s0, s1;
	uint16_t i, n;

	s0 = port_stats();
	n = swi_esp_pkts(&env, &peer_out, &sa4, mb, 4, 100);
	TEST_ASSERT_EQ(n, 4, "packets made");
	for (i = 0; i < n; i++) {
		uint8_t *p = rte_pktmbuf_mtod(mb[i], uint8_t *);

		if (i < 2) {
			p[ESP_OFF + 3] ^= 0x40;            /* SPI */
		} else {
			p[RTE_ETHER_HDR_LEN + 19] ^= 0x7;  /* destination */
			swi_fix_ip4_cksum(mb[i], RTE_ETHER_HDR_LEN);
		}
		len[i] = swi_bytes(mb[i], 0, before[i], SWI_MAX_PKT);
	}
	TEST_ASSERT_EQ(swi_xfer(env.pb, env.pa, 0, mb, n, rx), n, "received");
	for (i = 0; i < n; i++) {
		TEST_ASSERT_EQ(rx[i]->ol_flags & FLAGS, 0, "flags");
		TEST_ASSERT(swi_bytes(rx[i], 0, got, SWI_MAX_PKT) == len[i] &&
			memcmp(got, before[i], len[i]) == 0, "changed");
	}
	rte_pktmbuf_free_bulk(rx, n);
	s1 = port_stats();
	TEST_ASSERT_EQ(s1.rx_no_sa - s0.rx_no_sa, n, "rx_no_sa");
	TEST_ASSERT_EQ(s1.rx_decrypted, s0.rx_decrypted, "rx_decrypted");
	return 0;
}

/*
 * Truncated packets: every length from the Ethernet header to the full
 * packet, with the IP length left as it was (the packet is shorter than
 * its header says) or adjusted to the new length. Nothing is decrypted;
 * what is flagged is flagged failed and unchanged; librte_ipsec accepts
 * none of them.
 */
static int
test_truncated(void)
{
	struct rte_mbuf *mb[1], *rx[SWI_BURST], *t;
	uint8_t full[SWI_MAX_PKT], got[SWI_MAX_PKT];
	struct rte_security_sw_inline_stats s0, s1;
	uint32_t flen, l, fixed, flagged = 0, total = 0;
	uint16_t n;

	TEST_ASSERT_EQ(swi_esp_pkts(&env, &peer_out, &sa4, mb, 1, 40), 1,
		"packet made");
	flen = swi_bytes(mb[0], 0, full, SWI_MAX_PKT);
	rte_pktmbuf_free(mb[0]);
	s0 = port_stats();
	for (l = 0; l < flen; l++) {
		for (fixed = 0; fixed < 2; fixed++) {
			t = rte_pktmbuf_alloc(env.mp);
			TEST_ASSERT(t != NULL, "alloc");
			memcpy(rte_pktmbuf_append(t, RTE_MAX(l, 1u)), full,
				RTE_MAX(l, 1u));
			if (l == 0)
				rte_pktmbuf_trim(t, 1);
			if (fixed && l >= ESP_OFF) {
				struct rte_ipv4_hdr *ip =
					rte_pktmbuf_mtod_offset(t,
					struct rte_ipv4_hdr *,
					RTE_ETHER_HDR_LEN);

				ip->total_length = rte_cpu_to_be_16(l -
					RTE_ETHER_HDR_LEN);
				swi_fix_ip4_cksum(t, RTE_ETHER_HDR_LEN);
			}
			memcpy(full + flen, rte_pktmbuf_mtod(t, uint8_t *), l);
			n = swi_xfer(env.pb, env.pa, 0, &t, 1, rx);
			TEST_ASSERT_EQ(n, 1, "received");
			total++;
			TEST_ASSERT((rx[0]->ol_flags & FLAGS) == 0 ||
				(rx[0]->ol_flags & FLAGS) == FLAGS,
				"length %u decrypted", l);
			flagged += (rx[0]->ol_flags & FLAGS) != 0;
			TEST_ASSERT(swi_bytes(rx[0], 0, got,
				SWI_MAX_PKT) == l &&
				memcmp(got, full + flen, l) == 0,
				"length %u changed", l);
			if (rx[0]->ol_flags & FLAGS) {
				TEST_ASSERT_EQ(rte_ipsec_pkt_process(&a_in.ss,
					rx, 1), 0, "librte_ipsec accepted");
			}
			rte_pktmbuf_free(rx[0]);
		}
	}
	s1 = port_stats();
	/* every packet was counted once */
	TEST_ASSERT_EQ((s1.rx_malformed - s0.rx_malformed) +
		(s1.rx_auth_failed - s0.rx_auth_failed) +
		(s1.rx_other - s0.rx_other) +
		(s1.rx_unsupported - s0.rx_unsupported) +
		(s1.rx_no_sa - s0.rx_no_sa), total, "counted");
	TEST_ASSERT_EQ(s1.rx_decrypted, s0.rx_decrypted, "decrypted");
	TEST_ASSERT(flagged > 0, "no truncated packet reached the SA");
	TEST_ASSERT_EQ(swi_in_use(&env), 0, "mbufs in use");
	return 0;
}

/*
 * Replay: the provider, like an inline-crypto NIC, decrypts a replayed
 * packet again (it keeps no replay window); librte_ipsec's window drops
 * it. Note: librte_ipsec 22.11's INLINE_CRYPTO inbound path drops
 * replays older than the window but not duplicates inside it (its
 * duplicate check is in the crypto_prepare step, which inline sessions do
 * not have); the replays here are sent once the window has moved on.
 */
static int
test_replay(void)
{
	struct rte_mbuf *mb[8], *dup[8], *rx[SWI_BURST];
	uint16_t i, j, n;

	TEST_ASSERT_EQ(swi_esp_pkts(&env, &peer_out, &sa4, mb, 8, -1), 8,
		"packets made");
	for (i = 0; i < 8; i++) {
		dup[i] = rte_pktmbuf_copy(mb[i], env.mp, 0, UINT32_MAX);
		TEST_ASSERT(dup[i] != NULL, "copy");
	}
	n = swi_xfer(env.pb, env.pa, 0, mb, 8, rx);
	TEST_ASSERT_EQ(n, 8, "received");
	TEST_ASSERT_EQ(rte_ipsec_pkt_process(&a_in.ss, rx, n), 8, "first");
	rte_pktmbuf_free_bulk(rx, n);
	/* move the window (128) past them */
	for (j = 0; j < 5; j++) {
		n = swi_esp_pkts(&env, &peer_out, &sa4, mb, 8, 10);
		TEST_ASSERT_EQ(n, 8, "packets made");
		n = swi_xfer(env.pb, env.pa, 0, mb, 8, rx);
		TEST_ASSERT_EQ(n, 8, "received");
		TEST_ASSERT_EQ(rte_ipsec_pkt_process(&a_in.ss, rx, n), 8,
			"new packets");
		rte_pktmbuf_free_bulk(rx, n);
		n = swi_esp_pkts(&env, &peer_out, &sa4, mb, 8, 10);
		TEST_ASSERT_EQ(n, 8, "packets made");
		rte_pktmbuf_free_bulk(mb, n);   /* lost on the way */
		n = swi_esp_pkts(&env, &peer_out, &sa4, mb, 8, 10);
		TEST_ASSERT_EQ(n, 8, "packets made");
		rte_pktmbuf_free_bulk(mb, n);
		n = swi_esp_pkts(&env, &peer_out, &sa4, mb, 8, 10);
		TEST_ASSERT_EQ(n, 8, "packets made");
		rte_pktmbuf_free_bulk(mb, n);
	}
	n = swi_xfer(env.pb, env.pa, 0, dup, 8, rx);
	TEST_ASSERT_EQ(n, 8, "received");
	for (i = 0; i < n; i++)
		TEST_ASSERT_EQ(rx[i]->ol_flags & FLAGS,
			RTE_MBUF_F_RX_SEC_OFFLOAD, "replay decrypted");
	rte_errno = 0;
	TEST_ASSERT_EQ(rte_ipsec_pkt_process(&a_in.ss, rx, n), 0,
		"replays accepted");
	TEST_ASSERT_EQ(rte_errno, EBADMSG, "rte_errno");
	rte_pktmbuf_free_bulk(rx, n);
	TEST_ASSERT_EQ(swi_in_use(&env), 0, "mbufs in use");
	return 0;
}

/* Not ESP, or ESP the provider does not handle: passed untouched. */
static int
test_other(void)
{
	struct rte_mbuf *mb[4], *rx[SWI_BURST];
	uint8_t before[4][SWI_MAX_PKT], got[SWI_MAX_PKT];
	uint32_t len[4];
	struct rte_security_sw_inline_stats s0, s1;
	struct rte_ipv4_hdr *ip;
	uint16_t i;

	s0 = port_stats();
	mb[0] = swi_inner_pkt(env.mp, false, 200, 1);        /* UDP */
	mb[1] = swi_inner_pkt(env.mp, true, 10, 2);          /* UDP v6 */
	TEST_ASSERT(mb[0] != NULL && mb[1] != NULL, "alloc");
	/* an ESP fragment of a known SA */
	TEST_ASSERT_EQ(swi_esp_pkts(&env, &peer_out, &sa4, &mb[2], 1, 300),
		1, "esp");
	ip = rte_pktmbuf_mtod_offset(mb[2], struct rte_ipv4_hdr *,
		RTE_ETHER_HDR_LEN);
	ip->fragment_offset = RTE_BE16(RTE_IPV4_HDR_MF_FLAG);
	swi_fix_ip4_cksum(mb[2], RTE_ETHER_HDR_LEN);
	/* not IP at all */
	mb[3] = swi_inner_pkt(env.mp, false, 30, 3);
	TEST_ASSERT(mb[3] != NULL, "alloc");
	rte_pktmbuf_mtod(mb[3], struct rte_ether_hdr *)->ether_type =
		RTE_BE16(RTE_ETHER_TYPE_ARP);
	for (i = 0; i < 4; i++) {
		mb[i]->ol_flags = 0;
		len[i] = swi_bytes(mb[i], 0, before[i], SWI_MAX_PKT);
	}
	TEST_ASSERT_EQ(swi_xfer(env.pb, env.pa, 0, mb, 4, rx), 4, "received");
	for (i = 0; i < 4; i++) {
		TEST_ASSERT_EQ(rx[i]->ol_flags & FLAGS, 0, "flags");
		TEST_ASSERT(swi_bytes(rx[i], 0, got, SWI_MAX_PKT) == len[i] &&
			memcmp(got, before[i], len[i]) == 0, "changed");
	}
	rte_pktmbuf_free_bulk(rx, 4);
	s1 = port_stats();
	TEST_ASSERT_EQ(s1.rx_other - s0.rx_other, 3, "rx_other");
	TEST_ASSERT_EQ(s1.rx_unsupported - s0.rx_unsupported, 1,
		"rx_unsupported");
	return 0;
}

/* Insert an 8-byte hop-by-hop options header after the IPv6 header. */
static int
add_hbh(struct rte_mbuf *m)
{
	const uint32_t l3 = sizeof(struct rte_ipv6_hdr);
	struct rte_ipv6_hdr *ip6;
	uint8_t *p;

	if (rte_pktmbuf_prepend(m, 8) == NULL)
		return -1;
	p = rte_pktmbuf_mtod(m, uint8_t *);
	memmove(p, p + 8, RTE_ETHER_HDR_LEN + l3);
	ip6 = (struct rte_ipv6_hdr *)(p + RTE_ETHER_HDR_LEN);
	memset(p + RTE_ETHER_HDR_LEN + l3, 0, 8);
	p[RTE_ETHER_HDR_LEN + l3] = IPPROTO_ESP;
	p[RTE_ETHER_HDR_LEN + l3 + 2] = 1;  /* PadN */
	p[RTE_ETHER_HDR_LEN + l3 + 3] = 4;
	ip6->proto = IPPROTO_HOPOPTS;
	ip6->payload_len = rte_cpu_to_be_16(
		rte_be_to_cpu_16(ip6->payload_len) + 8);
	return 0;
}

/* IPv6 outer header followed by a hop-by-hop options header. */
static int
test_ipv6_ext(void)
{
	struct swi_sa sa6;
	struct swi_ips out6, in6;
	struct rte_mbuf *mb[4], *rx[SWI_BURST];
	uint8_t inner[4][SWI_MAX_PKT], got[SWI_MAX_PKT];
	uint32_t ilen[4];
	const uint32_t l3 = sizeof(struct rte_ipv6_hdr);
	uint16_t i, n;
	int ret = -1;

	swi_sa_default(&sa6, 0x6006, 32, true, true);
	memset(&out6, 0, sizeof(out6));
	memset(&in6, 0, sizeof(in6));
	if (swi_ips_init(&env, &out6, &sa6, true, NULL) != 0 ||
			swi_ips_init(&env, &in6, &sa6, false, ctx) != 0)
		goto out;
	n = swi_esp_pkts(&env, &out6, &sa6, mb, 4, -1);
	if (n != 4)
		goto out;
	for (i = 0; i < n; i++) {
		if (add_hbh(mb[i]) != 0) {
			rte_pktmbuf_free_bulk(mb, n);
			goto out;
		}
	}
	n = swi_xfer(env.pb, env.pa, 0, mb, n, rx);
	if (n != 4)
		goto out_free;

	for (i = 0; i < n; i++) {
		if ((rx[i]->ol_flags & FLAGS) != RTE_MBUF_F_RX_SEC_OFFLOAD ||
				rx[i]->l3_len != l3 + 8) {
			printf("  packet %u: flags %#" PRIx64 " l3_len %u\n",
				i, (uint64_t)(rx[i]->ol_flags & FLAGS),
				rx[i]->l3_len);
			goto out_free;
		}
		/* the decrypted inner IPv4 header follows ESP header + IV */
		ilen[i] = swi_bytes(rx[i], RTE_ETHER_HDR_LEN + l3 + 8 + 16,
			inner[i], SWI_MAX_PKT);
	}
	if (rte_ipsec_pkt_process(&in6.ss, rx, n) != n)
		goto out_free;
	for (i = 0; i < n; i++) {
		uint32_t len = swi_bytes(rx[i], 0, got, SWI_MAX_PKT);

		/* inner packet = decrypted bytes without the trailer */
		if (len > ilen[i] || memcmp(got, inner[i], len) != 0 ||
				(got[0] >> 4) != 4)
			goto out_free;
	}
	ret = 0;
out_free:
	rte_pktmbuf_free_bulk(rx, n);
out:
	swi_ips_fini(&out6);
	swi_ips_fini(&in6);
	TEST_ASSERT(ret == 0, "IPv6 with extension header");
	TEST_ASSERT_EQ(swi_in_use(&env), 0, "mbufs in use");
	return 0;
}

/*
 * TX: flagged packets the provider cannot encrypt are not sent, are moved
 * to the end of the burst and stay the caller's; the others keep their
 * order.
 */
static int
test_tx_refused(void)
{
	struct swi_sa sa;
	struct swi_ips out, gone;
	struct rte_mbuf *mb[8], *in[8], *rx[SWI_BURST];
	struct rte_security_sw_inline_stats s0, s1;
	uint64_t stale;
	uint16_t i, k, n;
	int ret = -1;

	swi_sa_default(&sa, 0x7007, 16, true, false);
	memset(&out, 0, sizeof(out));
	memset(&gone, 0, sizeof(gone));
	if (swi_ips_init(&env, &out, &sa, true, ctx) != 0)
		goto out;
	/* metadata of a destroyed session */
	sa.spi = 0x7008;
	if (swi_ips_init(&env, &gone, &sa, true, ctx) != 0)
		goto out;
	stale = rte_security_session_fast_mdata_get(gone.sess);
	swi_ips_fini(&gone);
	sa.spi = 0x7007;
	for (i = 0; i < 8; i++) {
		in[i] = swi_inner_pkt(env.mp, false, 64, i);
		if (in[i] == NULL)
			goto out;
	}
	/* 0 good, 1 no metadata, 2 good, 3 not flagged, 4 stale session,
	 * 5 good, 6 not ESP, 7 good
	 */
	mb[0] = in[0];
	mb[2] = in[2];
	mb[5] = in[5];
	mb[7] = in[7];
	if (rte_ipsec_pkt_process(&out.ss, &mb[0], 1) != 1 ||
			rte_ipsec_pkt_process(&out.ss, &mb[2], 1) != 1 ||
			rte_ipsec_pkt_process(&out.ss, &mb[5], 1) != 1 ||
			rte_ipsec_pkt_process(&out.ss, &mb[7], 1) != 1)
		goto out;
	mb[1] = in[1];
	mb[1]->ol_flags |= RTE_MBUF_F_TX_SEC_OFFLOAD;
	*rte_security_dynfield(mb[1]) = UINT64_C(0xdead0000beef);
	mb[3] = in[3];
	mb[4] = in[4];
	mb[4]->ol_flags |= RTE_MBUF_F_TX_SEC_OFFLOAD;
	*rte_security_dynfield(mb[4]) = stale;
	mb[6] = in[6];
	mb[6]->ol_flags |= RTE_MBUF_F_TX_SEC_OFFLOAD;
	rte_security_set_pkt_metadata(ctx, out.sess, mb[6], NULL);
	s0 = port_stats();
	memcpy(in, mb, sizeof(in));
	k = rte_eth_tx_burst(env.pa, 0, mb, 8);
	if (k != 5) {
		printf("  %u packets sent\n", k);
		goto out;
	}
	/* refused ones at the end, in order, not freed */
	if (mb[0] != in[0] || mb[1] != in[2] || mb[2] != in[3] ||
			mb[3] != in[5] || mb[4] != in[7] || mb[5] != in[1] ||
			mb[6] != in[4] || mb[7] != in[6])
		goto out;
	for (i = 5; i < 8; i++)
		if (rte_mbuf_refcnt_read(mb[i]) != 1 ||
				!(mb[i]->ol_flags & RTE_MBUF_F_TX_SEC_OFFLOAD))
			goto out;
	/* retried: refused again */
	if (rte_eth_tx_burst(env.pa, 0, &mb[5], 3) != 0)
		goto out;
	rte_pktmbuf_free_bulk(&mb[5], 3);
	s1 = port_stats();
	if (s1.tx_encrypted - s0.tx_encrypted != 4 ||
			s1.tx_other - s0.tx_other != 1 ||
			s1.tx_no_sa - s0.tx_no_sa != 4 ||
			s1.tx_malformed - s0.tx_malformed != 2) {
		printf("  stats: enc %" PRIu64 " other %" PRIu64 " no_sa %"
			PRIu64 " malformed %" PRIu64 "\n",
			s1.tx_encrypted - s0.tx_encrypted,
			s1.tx_other - s0.tx_other, s1.tx_no_sa - s0.tx_no_sa,
			s1.tx_malformed - s0.tx_malformed);
		goto out;
	}
	n = 0;
	for (i = 0; i < 4 && n < 5; i++)
		n += rte_eth_rx_burst(env.pb, 0, rx + n, SWI_BURST - n);
	if (n != 5)
		goto out;
	/* what left is encrypted (no TX flag) or the plain packet */
	for (i = 0; i < n; i++) {
		if (rx[i]->ol_flags & RTE_MBUF_F_TX_SEC_OFFLOAD)
			goto out_rx;
	}
	ret = 0;
out_rx:
	rte_pktmbuf_free_bulk(rx, n);
out:
	swi_ips_fini(&out);
	TEST_ASSERT(ret == 0, "TX refusal");
	TEST_ASSERT_EQ(swi_in_use(&env), 0, "mbufs in use");
	return 0;
}

/*
 * A packet whose data others see is refused on TX, not encrypted in
 * place: a clone (its data is the direct mbuf's), and the direct mbuf
 * while a clone pins it. Their bytes stay as they were; once the clone is
 * gone, the packet is sent encrypted.
 */
static int
test_tx_shared(void)
{
	struct swi_sa sa;
	struct swi_ips out;
	struct rte_mbuf *m, *c, *rx[SWI_BURST];
	uint8_t before[SWI_MAX_PKT], got[SWI_MAX_PKT];
	struct rte_security_sw_inline_stats s0, s1;
	uint32_t len;
	uint16_t n = 0, i;
	int ret = -1;

	swi_sa_default(&sa, 0x7107, 16, true, false);
	if (swi_ips_init(&env, &out, &sa, true, ctx) != 0) {
		swi_ips_fini(&out);
		return TEST_FAILED;
	}
	m = swi_inner_pkt(env.mp, false, 64, 1);
	c = NULL;
	if (m == NULL || rte_ipsec_pkt_process(&out.ss, &m, 1) != 1)
		goto out;
	len = swi_bytes(m, 0, before, SWI_MAX_PKT);
	c = rte_pktmbuf_clone(m, env.mp);
	if (c == NULL)
		goto out;
	s0 = port_stats();
	/* the clone, then the pinned direct mbuf: both refused, unchanged */
	if (rte_eth_tx_burst(env.pa, 0, &c, 1) != 0 ||
			rte_eth_tx_burst(env.pa, 0, &m, 1) != 0) {
		printf("  shared data sent\n");
		goto out;
	}
	if (swi_bytes(m, 0, got, SWI_MAX_PKT) != len ||
			memcmp(got, before, len) != 0) {
		printf("  shared data changed\n");
		goto out;
	}
	s1 = port_stats();
	if (s1.tx_malformed - s0.tx_malformed != 2 ||
			s1.tx_encrypted != s0.tx_encrypted) {
		printf("  counted: malformed %" PRIu64 "\n",
			s1.tx_malformed - s0.tx_malformed);
		goto out;
	}
	rte_pktmbuf_free(c);
	c = NULL;
	if (rte_eth_tx_burst(env.pa, 0, &m, 1) != 1) {
		printf("  not sent once the clone is gone\n");
		goto out;
	}
	m = NULL;
	for (i = 0; i < 4 && n == 0; i++)
		n = rte_eth_rx_burst(env.pb, 0, rx, SWI_BURST);
	if (n != 1 || port_stats().tx_encrypted - s1.tx_encrypted != 1 ||
			swi_bytes(rx[0], 0, got, SWI_MAX_PKT) != len ||
			memcmp(got, before, len) == 0) {
		printf("  %u received, not encrypted\n", n);
		goto out_rx;
	}
	ret = 0;
out_rx:
	rte_pktmbuf_free_bulk(rx, n);
out:
	rte_pktmbuf_free(c);
	rte_pktmbuf_free(m);
	swi_ips_fini(&out);
	TEST_ASSERT(ret == 0, "shared data on TX");
	TEST_ASSERT_EQ(swi_in_use(&env), 0, "mbufs in use");
	return TEST_SUCCESS;
}

/*
 * Bad padding, pad length or next header under a valid ICV (a broken
 * sender): the provider decrypts and flags ok, as hardware does; the
 * trailer checks of librte_ipsec drop the packets.
 */
static int
test_bad_trailer(void)
{
	struct swi_sa sa;
	struct swi_ips out, in;
	struct rte_mbuf *mb[4], *rx[SWI_BURST];
	uint16_t i, n, k;
	int ret = -1;

	swi_sa_default(&sa, 0x8008, 16, true, false);
	memset(&out, 0, sizeof(out));
	memset(&in, 0, sizeof(in));
	if (swi_ips_init(&env, &out, &sa, true, ctx) != 0 ||
			swi_ips_init(&env, &in, &sa, false, ctx) != 0)
		goto out;
	for (i = 0; i < 4; i++) {
		/* 1 byte of payload: 29-byte inner packet, 1 pad byte */
		mb[i] = swi_inner_pkt(env.mp, false, 1, i);
		if (mb[i] == NULL)
			goto out;
	}
	if (rte_ipsec_pkt_process(&out.ss, mb, 4) != 4)
		goto out;
	for (i = 0; i < 3; i++) {
		uint8_t *t = rte_pktmbuf_mtod_offset(mb[i], uint8_t *,
			mb[i]->data_len - 16 - 3); /* pad, pad len, next */

		if (t[0] != 1 || t[1] != 1 || t[2] != IPPROTO_IPIP)
			goto out_mb;
		if (i == 0)
			t[0] = 0x55;        /* padding byte */
		else if (i == 1)
			t[1] = 200;         /* pad length beyond the packet */
		else
			t[2] = IPPROTO_UDP; /* next header */
	}
	/* A encrypts towards B, B sends the packets back to A */
	n = swi_xfer(env.pa, env.pb, 0, mb, 4, rx);
	if (n != 4)
		goto out_rx;
	for (i = 0; i < 4; i++)
		rx[i]->ol_flags = 0;
	n = swi_xfer(env.pb, env.pa, 0, rx, 4, rx);
	if (n != 4)
		goto out_rx;
	for (i = 0; i < n; i++)
		if ((rx[i]->ol_flags & FLAGS) != RTE_MBUF_F_RX_SEC_OFFLOAD)
			goto out_rx;
	rte_errno = 0;
	k = rte_ipsec_pkt_process(&in.ss, rx, n);
	if (k != 1 || rte_errno != EBADMSG) {
		printf("  librte_ipsec accepted %u (rte_errno %d)\n", k,
			rte_errno);
		goto out_rx;
	}
	ret = 0;
out_rx:
	rte_pktmbuf_free_bulk(rx, n);
	goto out;
out_mb:
	rte_pktmbuf_free_bulk(mb, 4);
out:
	swi_ips_fini(&out);
	swi_ips_fini(&in);
	TEST_ASSERT(ret == 0, "bad trailer");
	TEST_ASSERT_EQ(swi_in_use(&env), 0, "mbufs in use");
	return 0;
}

/* Telemetry endpoints and the dump run without error. */
static int
test_dump(void)
{
	FILE *f = fopen("/dev/null", "w");

	TEST_ASSERT(f != NULL, "/dev/null");
	rte_security_sw_inline_dump(f);
	fclose(f);
	TEST_ASSERT_EQ(rte_security_sw_inline_stats_get(env.pa, NULL),
		-EINVAL, "NULL stats");
	TEST_ASSERT_EQ(rte_security_sw_inline_stats_reset(env.pa), 0,
		"reset");
	TEST_ASSERT_EQ(port_stats().rx_decrypted, 0, "reset counters");
	return 0;
}

/*
 * The SA database: a second ingress session of an SPI and destination
 * already taken is refused; one with the same SPI and another
 * destination is another SA (its own keys decrypt its own packets, in
 * one burst with the first SA's); its deletion leaves the first one.
 */
static int
test_sa_index(void)
{
	struct swi_sa sb = sa4;
	struct swi_ips dup, b_out, b_in;
	struct rte_mbuf *mb[8], *rx[SWI_BURST];
	uint16_t i, n;
	int ret = TEST_FAILED;

	TEST_ASSERT(swi_ips_init(&env, &dup, &sa4, false, ctx) != 0 &&
		dup.sess == NULL, "second session of SPI %#x, same destination",
		sa4.spi);
	swi_ips_fini(&dup);
	sb.dst[3] = 3;
	for (i = 0; i < sizeof(sb.key); i++)
		sb.key[i] ^= 0x5a;
	TEST_ASSERT(swi_ips_init(&env, &b_out, &sb, true, NULL) == 0,
		"peer SA B");
	if (swi_ips_init(&env, &b_in, &sb, false, ctx) != 0) {
		printf("  same SPI, other destination: refused\n");
		swi_ips_fini(&b_in);
		swi_ips_fini(&b_out);
		return TEST_FAILED;
	}
	n = swi_esp_pkts(&env, &peer_out, &sa4, mb, 4, 200);
	n += swi_esp_pkts(&env, &b_out, &sb, mb + n, 4, 200);
	if (n != 8 || swi_xfer(env.pb, env.pa, 0, mb, n, rx) != n) {
		printf("  %u packets\n", n);
		goto out;
	}
	for (i = 0; i < n; i++)
		if ((rx[i]->ol_flags & FLAGS) != RTE_MBUF_F_RX_SEC_OFFLOAD) {
			printf("  packet %u (SA %c): flags %#" PRIx64 "\n", i,
				i < 4 ? 'A' : 'B', (uint64_t)(rx[i]->ol_flags & FLAGS));
			rte_pktmbuf_free_bulk(rx, n);
			goto out;
		}
	rte_pktmbuf_free_bulk(rx, n);
	/* B gone: A's packets still decrypt, B's find no SA. */
	swi_ips_fini(&b_in);
	n = swi_esp_pkts(&env, &peer_out, &sa4, mb, 2, 200);
	n += swi_esp_pkts(&env, &b_out, &sb, mb + n, 2, 200);
	if (n != 4 || swi_xfer(env.pb, env.pa, 0, mb, n, rx) != n) {
		printf("  %u packets after B's deletion\n", n);
		goto out_b;
	}
	for (i = 0; i < n; i++)
		if ((rx[i]->ol_flags & FLAGS) !=
				(i < 2 ? RTE_MBUF_F_RX_SEC_OFFLOAD : 0)) {
			printf("  after B's deletion, packet %u: flags %#"
				PRIx64 "\n", i, (uint64_t)(rx[i]->ol_flags & FLAGS));
			rte_pktmbuf_free_bulk(rx, n);
			goto out_b;
		}
	rte_pktmbuf_free_bulk(rx, n);
	ret = TEST_SUCCESS;
	goto out_b;
out:
	swi_ips_fini(&b_in);
out_b:
	swi_ips_fini(&b_out);
	return ret;
}

static int
errors_setup(void)
{
	int ret = swi_suite_setup(1, true, true);

	if (ret != TEST_SUCCESS)
		return ret;
	swi_sa_default(&sa4, 0x4004, 16, true, false);
	TEST_ASSERT(swi_ips_init(&env, &peer_out, &sa4, true, NULL) == 0 &&
		swi_ips_init(&env, &a_in, &sa4, false, ctx) == 0,
		"SA setup");
	return TEST_SUCCESS;
}

/* Set-up of test_unbind: the SAs of the suite's set-up go. */
static int
errors_sas_fini(void)
{
	swi_ips_fini(&peer_out);
	swi_ips_fini(&a_in);
	return TEST_SUCCESS;
}

static struct unit_test_suite errors_suite = {
	.name = "sw_inline_errors",
	.setup = errors_setup,
	.teardown = swi_suite_teardown,
	.snapshot = test_clean_snapshot,
	.check = test_clean_check,
	.cases = {
		TEST_CASE(test_tampered),
		TEST_CASE(test_no_sa),
		TEST_CASE(test_truncated),
		TEST_CASE(test_replay),
		TEST_CASE(test_other),
		TEST_CASE(test_ipv6_ext),
		TEST_CASE(test_tx_refused),
		TEST_CASE(test_tx_shared),
		TEST_CASE(test_bad_trailer),
		TEST_CASE(test_dump),
		TEST_CASE(test_sa_index),
		TEST_CASE_ST(errors_sas_fini, NULL, test_unbind),
		TEST_CASES_END()
	}
};

REGISTER_TEST_SUITE(errors_suite);
