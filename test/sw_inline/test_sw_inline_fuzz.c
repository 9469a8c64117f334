/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * Fuzz-style test: random corruptions of valid ESP packets (bit flips,
 * random bytes, truncation, extension, wrong IP lengths, IHL, ether type,
 * chained mbufs split at random points) through the RX path, and of
 * framed plaintext packets through the TX path. Nothing may crash (the
 * ASan build checks memory); a packet is either decrypted, and then its
 * ESP part is exactly the valid packet's plaintext, or left exactly as it
 * came; every packet is counted once. The seed is printed; set
 * SWI_FUZZ_SEED to replay a run. After every case the runner checks that
 * no packet leaked (test_clean_check()).
 */

#include <stdlib.h>

#include "swi_test.h"

#define NB_VALID 16
#define NB_ITER 30000
#define FLAGS (RTE_MBUF_F_RX_SEC_OFFLOAD | RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED)

static struct swi_ips in4, in6;      /* inline decryption on A */

/* A valid packet: its wire bytes and, decrypted, its ESP part. */
struct valid {
	uint8_t wire[SWI_MAX_PKT];
	uint32_t len;
	uint8_t plain[SWI_MAX_PKT];   /* ESP header to ICV, decrypted */
	uint32_t esp_off, esp_len;
};

static struct valid valid[NB_VALID];

static uint64_t
stat_sum(bool rx)
{
	struct rte_security_sw_inline_stats s;

	rte_security_sw_inline_stats_get(env.pa, &s);
	if (rx)
		return s.rx_decrypted + s.rx_auth_failed + s.rx_malformed +
			s.rx_no_sa + s.rx_unsupported + s.rx_other;
	return s.tx_encrypted + s.tx_no_sa + s.tx_malformed + s.tx_other;
}

/* Build a packet from bytes, split in up to 3 segments at random. */
static struct rte_mbuf *
mk(const uint8_t *b, uint32_t len, bool chain)
{
	struct rte_mbuf *head = NULL, *m;
	uint32_t off = 0, cut[2], nseg, i;

	nseg = chain && len > 2 ? 1 + rte_rand() % 3 : 1;
	cut[0] = nseg > 1 ? 1 + rte_rand() % (len - 1) : len;
	cut[1] = nseg > 2 ? cut[0] + rte_rand() % (len - cut[0] + 1) : len;
	for (i = 0; i < nseg; i++) {
		uint32_t end = i == nseg - 1 ? len : cut[i];

		m = rte_pktmbuf_alloc(env.mp);
		if (m == NULL) {
			rte_pktmbuf_free(head);
			return NULL;
		}
		if (end > off)
			memcpy(rte_pktmbuf_append(m, end - off), b + off,
				end - off);
		off = end;
		if (head == NULL)
			head = m;
		else if (rte_pktmbuf_chain(head, m) != 0) {
			rte_pktmbuf_free(m);
			rte_pktmbuf_free(head);
			return NULL;
		}
	}
	return head;
}

/* Apply 1 to 3 random corruptions; return the new length. */
static uint32_t
mutate(uint8_t *b, uint32_t len, uint32_t esp_off, bool v6)
{
	uint32_t n = 1 + rte_rand() % 3, i, l3 = RTE_ETHER_HDR_LEN;

	for (i = 0; i < n; i++) {
		switch (rte_rand() % 8) {
		case 0: /* flip a bit anywhere */
			if (len)
				b[rte_rand() % len] ^= 1u << (rte_rand() % 8);
			break;
		case 1: /* random byte in the headers */
			if (len > esp_off + 16)
				b[rte_rand() % (esp_off + 16)] =
					(uint8_t)rte_rand();
			break;
		case 2: /* truncate */
			if (len)
				len = rte_rand() % len;
			break;
		case 3: /* extend with garbage */
			while (len < SWI_MAX_PKT - 64 && rte_rand() % 4)
				b[len++] = (uint8_t)rte_rand();
			break;
		case 4: /* IP length field */
			if (len > l3 + 6) {
				uint16_t v = (uint16_t)(rte_rand() % 4 ?
					rte_rand() % 2048 : rte_rand());

				b[l3 + (v6 ? 4 : 2)] = v >> 8;
				b[l3 + (v6 ? 5 : 3)] = v & 0xff;
			}
			break;
		case 5: /* IHL / version */
			if (len > l3)
				b[l3] = (uint8_t)((b[l3] & 0xf0) |
					(rte_rand() % 16));
			break;
		case 6: /* next protocol / header of the outer IP */
			if (len > l3 + 9)
				b[l3 + (v6 ? 6 : 9)] = rte_rand() % 2 ?
					IPPROTO_ESP : (uint8_t)rte_rand();
			break;
		default: /* random bytes in the ESP trailer and ICV */
			if (len > 20)
				b[len - 1 - rte_rand() % 20] =
					(uint8_t)rte_rand();
			break;
		}
	}
	return len;
}

static int
make_valid(const struct swi_sa *sa, unsigned int base)
{
	struct swi_ips out;
	struct rte_mbuf *mb[NB_VALID / 2], *c;
	uint16_t i, n;

	memset(&out, 0, sizeof(out));
	if (swi_ips_init(&env, &out, sa, true, NULL) != 0)
		return -1;
	n = swi_esp_pkts(&env, &out, sa, mb, NB_VALID / 2, -1);
	swi_ips_fini(&out);
	if (n != NB_VALID / 2)
		return -1;
	for (i = 0; i < n; i++) {
		struct valid *v = &valid[base + i];

		v->len = swi_bytes(mb[i], 0, v->wire, SWI_MAX_PKT);
		/* decrypted once by the provider itself (the interop test
		 * checks that its decryption is right)
		 */
		c = mb[i];
		rte_security_sw_inline_rx_process(ctx, &c, 1);
		if ((c->ol_flags & FLAGS) != RTE_MBUF_F_RX_SEC_OFFLOAD)
			return -1;
		v->esp_off = c->l2_len + c->l3_len;
		v->esp_len = v->len - v->esp_off;
		swi_bytes(c, v->esp_off, v->plain, SWI_MAX_PKT);
		rte_pktmbuf_free(c);
	}
	return 0;
}

static int
test_fuzz_rx(void)
{
	uint8_t buf[SWI_MAX_PKT], got[SWI_MAX_PKT];
	uint64_t before = stat_sum(true);
	unsigned int it, ok = 0, failed = 0, passed = 0;

	for (it = 0; it < NB_ITER; it++) {
		const struct valid *v = &valid[rte_rand() % NB_VALID];
		bool v6 = v->wire[12] == 0x86;
		struct rte_mbuf *m;
		uint32_t len;

		memcpy(buf, v->wire, v->len);
		len = mutate(buf, v->len, v->esp_off, v6);
		m = mk(buf, len, rte_rand() % 3 == 0);
		TEST_ASSERT(m != NULL, "alloc");
		/* stale flags must not survive */
		m->ol_flags = rte_rand() % 2 ?
			RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED : 0;
		rte_security_sw_inline_rx_process(ctx, &m, 1);
		TEST_ASSERT_EQ(swi_bytes(m, 0, got, SWI_MAX_PKT), len,
			"length changed");
		if ((m->ol_flags & FLAGS) == RTE_MBUF_F_RX_SEC_OFFLOAD) {
			uint32_t off = m->l2_len + m->l3_len;

			/* authenticated: exactly the valid plaintext */
			TEST_ASSERT(off + v->esp_len <= len &&
				memcmp(got + off, v->plain, v->esp_len) == 0,
				"iteration %u: forged packet accepted", it);
			ok++;
		} else {
			TEST_ASSERT(memcmp(got, buf, len) == 0,
				"iteration %u: rejected packet changed", it);
			if (m->ol_flags & FLAGS)
				failed++;
			else
				passed++;
		}
		rte_pktmbuf_free(m);
	}
	TEST_ASSERT_EQ(stat_sum(true) - before, NB_ITER, "packets counted");
	printf("  RX: %u decrypted, %u flagged failed, %u passed\n", ok,
		failed, passed);
	TEST_ASSERT(failed > 0 && passed > 0, "corruptions did not reach "
		"both outcomes");
	TEST_ASSERT_EQ(swi_in_use(&env), 0, "mbufs in use");
	return 0;
}

/* TX: framed packets from librte_ipsec, corrupted, in bursts. */
static int
test_fuzz_tx(void)
{
	struct swi_sa sa;
	struct swi_ips out;
	struct rte_mbuf *mb[SWI_BURST], *m;
	uint8_t frame[SWI_BURST][SWI_MAX_PKT], got[SWI_MAX_PKT];
	uint32_t flen[SWI_BURST];
	uint64_t before = stat_sum(false), sent = 0;
	unsigned int it, i;
	uint16_t k, n;
	int ret = -1;

	swi_sa_default(&sa, 0x5005, 32, true, rte_rand() % 2);
	memset(&out, 0, sizeof(out));
	if (swi_ips_init(&env, &out, &sa, true, ctx) != 0)
		goto out;
	for (it = 0; it < NB_ITER / SWI_BURST; it++) {
		for (i = 0; i < SWI_BURST; i++) {
			m = swi_inner_pkt(env.mp, false,
				(uint16_t)(rte_rand() % 1200), i);
			if (m == NULL || rte_ipsec_pkt_process(&out.ss, &m,
					1) != 1)
				goto out;
			flen[i] = swi_bytes(m, 0, frame[i], SWI_MAX_PKT);
			flen[i] = mutate(frame[i], flen[i], m->l2_len +
				m->l3_len, sa.v6);
			mb[i] = mk(frame[i], flen[i], rte_rand() % 3 == 0);
			if (mb[i] == NULL)
				goto out;
			mb[i]->ol_flags = m->ol_flags;
			*rte_security_dynfield(mb[i]) =
				*rte_security_dynfield(m);
			rte_pktmbuf_free(m);
		}
		n = SWI_BURST;
		k = rte_security_sw_inline_tx_process(ctx, mb, n);
		for (i = 0; i < n; i++) {
			uint32_t len = swi_bytes(mb[i], 0, got, SWI_MAX_PKT);

			if (i >= k) {
				/* refused: still flagged, untouched */
				if (!(mb[i]->ol_flags &
						RTE_MBUF_F_TX_SEC_OFFLOAD))
					goto out_free;
			} else if (mb[i]->ol_flags &
					RTE_MBUF_F_TX_SEC_OFFLOAD) {
				goto out_free; /* sent but not processed */
			}
			if (len > SWI_MAX_PKT)
				goto out_free;
		}
		sent += k;
		rte_pktmbuf_free_bulk(mb, n);
	}
	if (stat_sum(false) - before != (NB_ITER / SWI_BURST) * SWI_BURST)
		goto out;
	printf("  TX: %" PRIu64 " of %u encrypted\n", sent,
		(NB_ITER / SWI_BURST) * SWI_BURST);
	ret = 0;
	goto out;
out_free:
	rte_pktmbuf_free_bulk(mb, SWI_BURST);
out:
	swi_ips_fini(&out);
	TEST_ASSERT(ret == 0, "TX fuzz");
	TEST_ASSERT_EQ(swi_in_use(&env), 0, "mbufs in use");
	return 0;
}

static int
fuzz_setup(void)
{
	struct swi_sa sa4, sa6;
	const char *s;
	uint64_t seed;
	int ret;

	s = getenv("SWI_FUZZ_SEED");
	seed = s != NULL ? strtoull(s, NULL, 0) : UINT64_C(0x5eed0fa11);
	rte_srand(seed);
	printf("seed %#" PRIx64 "\n", seed);
	ret = swi_suite_setup(1, true, true);
	if (ret != TEST_SUCCESS)
		return ret;
	swi_sa_default(&sa4, 0x4444, 16, true, false);
	swi_sa_default(&sa6, 0x6666, 32, true, true);
	sa6.esn = true;
	sa6.esn_start = UINT64_C(0x3fffffff0);
	TEST_ASSERT(swi_ips_init(&env, &in4, &sa4, false, ctx) == 0 &&
		swi_ips_init(&env, &in6, &sa6, false, ctx) == 0 &&
		make_valid(&sa4, 0) == 0 &&
		make_valid(&sa6, NB_VALID / 2) == 0, "valid packets");
	return TEST_SUCCESS;
}

/* Set-up of test_unbind: the SAs of the suite's set-up go. */
static int
fuzz_sas_fini(void)
{
	swi_ips_fini(&in4);
	swi_ips_fini(&in6);
	return TEST_SUCCESS;
}

static struct unit_test_suite fuzz_suite = {
	.name = "sw_inline_fuzz",
	.setup = fuzz_setup,
	.teardown = swi_suite_teardown,
	.snapshot = test_clean_snapshot,
	.check = test_clean_check,
	.cases = {
		TEST_CASE(test_fuzz_rx),
		TEST_CASE(test_fuzz_tx),
		TEST_CASE_ST(fuzz_sas_fini, NULL, test_unbind),
		TEST_CASES_END()
	}
};

REGISTER_TEST_SUITE(fuzz_suite);
