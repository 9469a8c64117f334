/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * Two lcores, two queues, one session: both lcores receive (decrypt) on
 * their own queue of port A at the same time, then both transmit
 * (encrypt) with one shared egress session. The sequence numbers are
 * extended (ESN) and cross 2^32 while the lcores race, which exercises the
 * shared high-half estimate. Every packet must come out right and be
 * counted once; after every case the runner checks that no packet leaked
 * (test_clean_check()).
 */

#include "swi_test.h"

#define PER_Q 512

static struct swi_ips shared_out;   /* egress on A, shared by lcores */

struct job {
	uint16_t q;
	unsigned int ok;
	unsigned int bad;
};

/* Receive PER_Q packets on A's queue q. */
static int
rx_job(void *arg)
{
	struct job *j = arg;
	struct rte_mbuf *rx[SWI_BURST];
	unsigned int got = 0, spins = 0;
	uint16_t i, n;

	while (got < PER_Q && spins < 10000000) {
		n = rte_eth_rx_burst(env.pa, j->q, rx, SWI_BURST);
		spins++;
		for (i = 0; i < n; i++) {
			if ((rx[i]->ol_flags & (RTE_MBUF_F_RX_SEC_OFFLOAD |
					RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED)) ==
					RTE_MBUF_F_RX_SEC_OFFLOAD)
				j->ok++;
			else
				j->bad++;
		}
		rte_pktmbuf_free_bulk(rx, n);
		got += n;
	}
	return 0;
}

/* Frame and send PER_Q packets on A's queue q with the shared session. */
static int
tx_job(void *arg)
{
	struct job *j = arg;
	struct rte_mbuf *mb[SWI_BURST];
	unsigned int b;
	uint16_t i, k, s;

	for (b = 0; b < PER_Q / SWI_BURST; b++) {
		for (i = 0; i < SWI_BURST; i++) {
			mb[i] = swi_inner_pkt(env.mp, false,
				(uint16_t)(rte_rand() % 1000), i);
			if (mb[i] == NULL) {
				rte_pktmbuf_free_bulk(mb, i);
				j->bad += SWI_BURST;
				return -1;
			}
		}
		k = rte_ipsec_pkt_process(&shared_out.ss, mb, SWI_BURST);
		s = rte_eth_tx_burst(env.pa, j->q, mb, k);
		j->ok += s;
		j->bad += SWI_BURST - s;
		rte_pktmbuf_free_bulk(mb + s, SWI_BURST - s);
	}
	return 0;
}

static int
test_mt_rx(void)
{
	struct swi_sa sa;
	struct swi_ips peer, a_in;
	struct rte_mbuf *mb[SWI_BURST];
	struct job j[2] = { { .q = 0 }, { .q = 1 } };
	struct rte_security_stats st;
	unsigned int b;
	uint16_t n, s;
	int ret = -1;

	swi_sa_default(&sa, 0x3003, 16, true, false);
	sa.esn = true;
	sa.esn_start = UINT64_C(0xfffffe00);
	sa.win = 2048;
	memset(&peer, 0, sizeof(peer));
	memset(&a_in, 0, sizeof(a_in));
	if (swi_ips_init(&env, &peer, &sa, true, NULL) != 0 ||
			swi_ips_init(&env, &a_in, &sa, false, ctx) != 0)
		goto out;
	/* fill both rings towards A, bursts alternating between queues */
	for (b = 0; b < 2 * PER_Q / SWI_BURST; b++) {
		n = swi_esp_pkts(&env, &peer, &sa, mb, SWI_BURST, -1);
		s = rte_eth_tx_burst(env.pb, b % 2, mb, n);
		rte_pktmbuf_free_bulk(mb + s, n - s);
		if (n != SWI_BURST || s != n)
			goto out;
	}
	rte_eal_remote_launch(rx_job, &j[1], 1);
	rx_job(&j[0]);
	rte_eal_mp_wait_lcore();
	if (j[0].ok + j[1].ok != 2 * PER_Q || j[0].bad + j[1].bad != 0) {
		printf("  ok %u+%u bad %u+%u\n", j[0].ok, j[1].ok, j[0].bad,
			j[1].bad);
		goto out;
	}
	if (rte_security_session_stats_get(ctx, a_in.sess, &st) != 0 ||
			st.ipsec.ipackets != 2 * PER_Q || st.ipsec.ierrors)
		goto out;
	ret = 0;
out:
	swi_ips_fini(&peer);
	swi_ips_fini(&a_in);
	TEST_ASSERT(ret == 0, "concurrent RX");
	TEST_ASSERT_EQ(swi_in_use(&env), 0, "mbufs in use");
	return 0;
}

static int
test_mt_tx(void)
{
	struct swi_sa sa;
	struct swi_ips b_in;
	struct rte_mbuf *rx[SWI_BURST];
	struct job j[2] = { { .q = 0 }, { .q = 1 } };
	struct rte_security_stats st;
	unsigned int total = 0, q, spins;
	uint16_t n, r;
	int ret = -1;

	swi_sa_default(&sa, 0x3004, 32, true, true);
	sa.esn = true;
	sa.esn_start = UINT64_C(0x1fffffe00);
	sa.win = 2048;
	sa.ipsec_flags = RTE_IPSEC_SAFLAG_SQN_ATOM;
	memset(&shared_out, 0, sizeof(shared_out));
	memset(&b_in, 0, sizeof(b_in));
	if (swi_ips_init(&env, &shared_out, &sa, true, ctx) != 0 ||
			swi_ips_init(&env, &b_in, &sa, false, NULL) != 0)
		goto out;
	rte_eal_remote_launch(tx_job, &j[1], 1);
	tx_job(&j[0]);
	rte_eal_mp_wait_lcore();
	if (j[0].ok + j[1].ok != 2 * PER_Q) {
		printf("  sent %u+%u\n", j[0].ok, j[1].ok);
		goto out;
	}
	/* B decrypts everything with the lookaside path */
	for (q = 0; q < 2; q++) {
		for (spins = 0; spins < 1000; spins++) {
			n = rte_eth_rx_burst(env.pb, q, rx, SWI_BURST);
			if (n == 0)
				break;
			while (n != 0) {
				uint16_t i;

				for (i = 0; i < n; i++) {
					rx[i]->l2_len = RTE_ETHER_HDR_LEN;
					rx[i]->l3_len =
						sizeof(struct rte_ipv6_hdr);
				}
				r = swi_lookaside(&env, &b_in, rx, n);
				total += r;
				rte_pktmbuf_free_bulk(rx, r);
				n = 0;
			}
		}
	}
	if (total != 2 * PER_Q) {
		printf("  decrypted %u of %u\n", total, 2 * PER_Q);
		goto out;
	}
	if (rte_security_session_stats_get(ctx, shared_out.sess, &st) != 0 ||
			st.ipsec.opackets != 2 * PER_Q || st.ipsec.oerrors)
		goto out;
	ret = 0;
out:
	swi_ips_fini(&shared_out);
	swi_ips_fini(&b_in);
	TEST_ASSERT(ret == 0, "concurrent TX");
	TEST_ASSERT_EQ(swi_in_use(&env), 0, "mbufs in use");
	return 0;
}

/* Bound to RX queue 1 only: queue 0 sees the packets as sent. */
static int
test_chosen_queues(void)
{
	static const uint16_t q1 = 1;
	struct rte_security_sw_inline_conf c = {
		.flags = RTE_SECURITY_SW_INLINE_F_NO_TX,
		.nb_rx_queues = 1,
		.rx_queues = &q1,
	};
	struct rte_security_sw_inline_stats st;
	struct swi_sa sa;
	struct swi_ips peer, a_in;
	struct rte_mbuf *mb[8], *rx[SWI_BURST];
	uint16_t q, i, n;
	int ret = -1;

	TEST_ASSERT_EQ(rte_security_sw_inline_unbind(env.pa), 0, "unbind");
	ctx = rte_security_sw_inline_bind(env.pa, &c);
	TEST_ASSERT(ctx != NULL, "bind queue 1");
	swi_sa_default(&sa, 0x3005, 16, true, false);
	memset(&peer, 0, sizeof(peer));
	memset(&a_in, 0, sizeof(a_in));
	if (swi_ips_init(&env, &peer, &sa, true, NULL) != 0 ||
			swi_ips_init(&env, &a_in, &sa, false, ctx) != 0)
		goto out;
	for (q = 0; q < 2; q++) {
		n = swi_esp_pkts(&env, &peer, &sa, mb, 8, 200);
		if (n != 8 || rte_eth_tx_burst(env.pb, q, mb, n) != n)
			goto out;
		n = rte_eth_rx_burst(env.pa, q, rx, SWI_BURST);
		for (i = 0; i < n; i++) {
			uint64_t f = rx[i]->ol_flags &
				(RTE_MBUF_F_RX_SEC_OFFLOAD |
				 RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED);

			if (f != (q == 1 ? RTE_MBUF_F_RX_SEC_OFFLOAD : 0)) {
				rte_pktmbuf_free_bulk(rx, n);
				goto out;
			}
		}
		rte_pktmbuf_free_bulk(rx, n);
		if (n != 8)
			goto out;
	}
	if (rte_security_sw_inline_stats_get(env.pa, &st) != 0 ||
			st.rx_decrypted != 8)
		goto out;
	ret = 0;
out:
	swi_ips_fini(&peer);
	swi_ips_fini(&a_in);
	TEST_ASSERT(ret == 0, "chosen queues");
	TEST_ASSERT_EQ(swi_in_use(&env), 0, "mbufs in use");
	return 0;
}

static int
mt_setup(void)
{
	if (rte_lcore_count() < 2)
		TEST_SKIP("needs two lcores (-l 0-1)");
	return swi_suite_setup(2, true, true);
}

static struct unit_test_suite mt_suite = {
	.name = "sw_inline_mt",
	.setup = mt_setup,
	.teardown = swi_suite_teardown,
	.snapshot = test_clean_snapshot,
	.check = test_clean_check,
	.cases = {
		TEST_CASE(test_mt_rx),
		TEST_CASE(test_mt_tx),
		TEST_CASE(test_chosen_queues),
		TEST_CASE(test_unbind),
		TEST_CASES_END()
	}
};

REGISTER_TEST_SUITE(mt_suite);
