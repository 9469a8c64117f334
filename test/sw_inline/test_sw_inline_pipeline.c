/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * The full inline pipeline with the secpath (lib/secpath), in one process:
 *
 *   peer B: lookaside encrypt (SA 0x100) --> wire --> port A RX: the
 *   provider decrypts --> secpath import (by the provider with
 *   RTE_SECURITY_SW_INLINE_F_SECPATH, or by rte_secpath_rx_import_burst())
 *   --> librte_ipsec INLINE_CRYPTO inbound --> policy check --> forward
 *   --> librte_ipsec INLINE_CRYPTO outbound (SA 0x200) + secpath record
 *   --> port A TX: the provider encrypts --> wire --> peer B: lookaside
 *   decrypt; inner packets byte-identical.
 *
 * Tampered packets get a failed secpath entry and are dropped; a clear
 * packet fails the policy check; after every case the runner checks that
 * no mbuf and no extension block leaked (test_clean_check()).
 *
 * The first case runs before rte_secpath_init(); the pipeline cases set
 * the library and the block pool up in their case set-up,
 * pipeline_ready(), the first of them.
 *
 * Packets with a secpath cross net_ring ports and the helpers of
 * swi_test.h, which free with rte_pktmbuf_free(): they come from a pool
 * with the mbuf_ext mempool handler (SWI_MBUF_EXT_POOL), as in an
 * application whose PMDs free what they send.
 */

#include <rte_mbuf_extension.h>
#include <rte_secpath.h>

#define SWI_MBUF_EXT_POOL
#include "swi_test.h"

#define SPI_IN 0x100
#define SPI_OUT 0x200
#define NB_BURSTS 8

static void
free_bulk(struct rte_mbuf **m, uint16_t n)
{
	rte_mbuf_extension_pktmbuf_free_bulk(m, n);
}

/* One run of the pipeline; provider_records selects who imports. */
static int
pipeline(bool provider_records)
{
	struct rte_security_sw_inline_conf bc = {
		.flags = provider_records ?
			RTE_SECURITY_SW_INLINE_F_SECPATH : 0,
	};
	struct swi_sa sa_in, sa_out;
	struct swi_ips peer_out, peer_in, a_in, a_out;
	struct rte_secpath_sa_params sp;
	rte_secpath_sa_t h_in = RTE_SECPATH_SA_NONE;
	rte_secpath_sa_t h_out = RTE_SECPATH_SA_NONE;
	struct rte_secpath_policy pol;
	struct rte_mbuf *mb[SWI_BURST], *rx[SWI_BURST];
	static uint8_t inner[SWI_BURST][SWI_MAX_PKT];
	uint32_t ilen[SWI_BURST];
	bool bad[SWI_BURST];
	unsigned int b, forwarded = 0, dropped_failed = 0, dropped_policy = 0;
	unsigned int nbad = 0;
	uint16_t i, n, k, r;
	int ret = -1;

	memset(&peer_out, 0, sizeof(peer_out));
	memset(&peer_in, 0, sizeof(peer_in));
	memset(&a_in, 0, sizeof(a_in));
	memset(&a_out, 0, sizeof(a_out));
	ctx = rte_security_sw_inline_bind(env.pa, &bc);
	TEST_ASSERT(ctx != NULL, "bind: %s", rte_strerror(rte_errno));
	swi_sa_default(&sa_in, SPI_IN, 16, true, false);
	swi_sa_default(&sa_out, SPI_OUT, 32, true, false);
	if (swi_ips_init(&env, &peer_out, &sa_in, true, NULL) != 0 ||
			swi_ips_init(&env, &a_in, &sa_in, false, ctx) != 0 ||
			swi_ips_init(&env, &a_out, &sa_out, true, ctx) != 0 ||
			swi_ips_init(&env, &peer_in, &sa_out, false,
				NULL) != 0) {
		printf("  SA setup failed\n");
		goto out;
	}
	memset(&sp, 0, sizeof(sp));
	sp.spi = SPI_IN;
	sp.dir = RTE_SECPATH_DIR_IN;
	sp.mode = RTE_SECPATH_MODE_TUNNEL;
	sp.kind = RTE_SECPATH_KIND_INLINE_CRYPTO;
	sp.ctx = ctx;
	sp.sess = a_in.sess;
	if (rte_secpath_sa_add(&sp, &h_in) != 0)
		goto out;
	sp.spi = SPI_OUT;
	sp.dir = RTE_SECPATH_DIR_OUT;
	sp.flags = RTE_SECPATH_SA_F_NEED_MDATA;
	sp.sess = a_out.sess;
	if (rte_secpath_sa_add(&sp, &h_out) != 0)
		goto out;
	memset(&pol, 0, sizeof(pol));
	pol.nb_tmpl = 1;
	pol.tmpl[0].spi = SPI_IN;
	pol.tmpl[0].mode = RTE_SECPATH_MODE_TUNNEL;
	pol.tmpl[0].flags = RTE_SECPATH_TMPL_F_SPI | RTE_SECPATH_TMPL_F_MODE |
		RTE_SECPATH_TMPL_F_SA;
	pol.tmpl[0].sa = h_in;

	for (b = 0; b < NB_BURSTS; b++) {
		struct rte_mbuf *good[SWI_BURST], *fwd[SWI_BURST];
		uint16_t ng = 0, nf = 0;
		uint8_t verdict[SWI_BURST];

		/* peer B: protected packets, 1 in 8 tampered, and one clear
		 * packet at the end of every other burst
		 */
		n = swi_esp_pkts(&env, &peer_out, &sa_in, mb, SWI_BURST - 1,
			-1);
		if (n != SWI_BURST - 1)
			goto out;
		for (i = 0; i < n; i++) {
			uint8_t *p = rte_pktmbuf_mtod(mb[i], uint8_t *);

			bad[i] = (i + b) % 8 == 0;
			nbad += bad[i];
			if (bad[i])
				p[mb[i]->data_len - 1] ^= 0x10;
		}
		if (b % 2 == 1) {
			mb[n] = swi_inner_pkt(env.mp, false, 100, 7);
			if (mb[n] == NULL)
				goto out;
			mb[n]->ol_flags = 0;
			bad[n] = false;
			n++;
		}
		if (swi_xfer(env.pb, env.pa, 0, mb, n, rx) != n)
			goto out;

		/* port A: the provider decrypted; import the results */
		if (!provider_records &&
				rte_secpath_rx_import_burst(rx, n,
					RTE_SECPATH_RX_SPI) != n - b % 2)
			goto out_rx;
		for (i = 0; i < n; i++) {
			const struct rte_secpath *s = rte_secpath_get(rx[i]);
			bool esp = !(b % 2 == 1 && i == n - 1);

			if (!esp) {
				if (s != NULL)
					goto out_rx;
				continue;
			}
			if (s == NULL || s->len != 1 ||
					s->entry[0].spi != SPI_IN ||
					s->entry[0].sa != h_in ||
					s->entry[0].dir != RTE_SECPATH_DIR_IN ||
					s->entry[0].kind !=
					RTE_SECPATH_KIND_INLINE_CRYPTO ||
					s->entry[0].result != (bad[i] ?
					RTE_SECPATH_RESULT_FAILED :
					RTE_SECPATH_RESULT_OK)) {
				printf("  burst %u packet %u: wrong secpath\n",
					b, i);
				goto out_rx;
			}
		}
		/* librte_ipsec strips the ESP framing of the ESP packets;
		 * the clear packet goes straight to the policy check
		 */
		k = 0;
		for (i = 0; i < n; i++)
			if (rx[i]->ol_flags & RTE_MBUF_F_RX_SEC_OFFLOAD)
				good[k++] = rx[i];
			else
				fwd[nf++] = rx[i];
		r = rte_ipsec_pkt_process(&a_in.ss, good, k);
		if (rte_secpath_ipsec_record(&a_in.ss, h_in, good, r) != r)
			goto out_rx;
		dropped_failed += k - r;
		free_bulk(good + r, k - r);
		for (i = 0; i < r; i++) {
			if (rte_secpath_len(good[i]) != 1) {
				printf("  entry recorded twice\n");
				free_bulk(good, r);
				free_bulk(fwd, nf);
				goto out;
			}
			fwd[nf++] = good[i];
		}
		/* policy check: protected by SA 0x100 or dropped */
		ng = 0;
		rte_secpath_policy_check_burst(fwd, nf, &pol, verdict);
		for (i = 0; i < nf; i++) {
			if (verdict[i] == RTE_SECPATH_PASS) {
				good[ng++] = fwd[i];
			} else {
				if (verdict[i] != RTE_SECPATH_NO_SECPATH) {
					printf("  verdict %u\n", verdict[i]);
					free_bulk(fwd + i, nf - i);
					free_bulk(good, ng);
					goto out;
				}
				dropped_policy++;
				rte_mbuf_extension_pktmbuf_free(fwd[i]);
			}
		}
		/* forward: inner packets out through SA 0x200 */
		for (i = 0; i < ng; i++) {
			ilen[i] = swi_bytes(good[i], 0, inner[i], SWI_MAX_PKT);
			good[i]->l2_len = 0;
			good[i]->l3_len = sizeof(struct rte_ipv4_hdr);
		}
		r = rte_ipsec_pkt_process(&a_out.ss, good, ng);
		if (r != ng || rte_secpath_ipsec_record(&a_out.ss, h_out,
				good, r) != r ||
				rte_secpath_tx_prepare_burst(good, r) != r) {
			free_bulk(good, ng);
			goto out;
		}
		/* port A TX (the provider encrypts), peer B decrypts */
		n = swi_xfer(env.pa, env.pb, 0, good, r, rx);
		if (n != r)
			goto out_rx;
		for (i = 0; i < n; i++) {
			const struct rte_secpath *s = rte_secpath_get(rx[i]);

			/* the mbuf carries what A recorded: in, then out */
			if (s == NULL || s->len != 2 ||
					s->entry[1].spi != SPI_OUT ||
					s->entry[1].dir != RTE_SECPATH_DIR_OUT)
				goto out_rx;
			rx[i]->l2_len = RTE_ETHER_HDR_LEN;
			rx[i]->l3_len = sizeof(struct rte_ipv4_hdr);
		}
		r = swi_lookaside(&env, &peer_in, rx, n);
		if (r != n) {
			printf("  peer decrypted %u of %u\n", r, n);
			free_bulk(rx, r);
			goto out;
		}
		for (i = 0; i < r; i++) {
			uint8_t got[SWI_MAX_PKT];
			uint32_t len = swi_bytes(rx[i], 0, got, SWI_MAX_PKT);

			if (len != ilen[i] || memcmp(got, inner[i], len) != 0) {
				printf("  burst %u: inner packet %u differs\n",
					b, i);
				free_bulk(rx, r);
				goto out;
			}
		}
		forwarded += r;
		free_bulk(rx, r);
	}
	printf("  %s: %u forwarded, %u failed ICV dropped, %u clear "
		"dropped by the policy\n", provider_records ?
		"provider records" : "rte_secpath_rx_import", forwarded,
		dropped_failed, dropped_policy);
	if (dropped_failed != nbad || dropped_policy != NB_BURSTS / 2 ||
			forwarded + dropped_failed !=
			NB_BURSTS * (SWI_BURST - 1))
		goto out;
	ret = 0;
	goto out;
out_rx:
	free_bulk(rx, n);
out:
	if (h_in != RTE_SECPATH_SA_NONE)
		rte_secpath_sa_del(h_in);
	if (h_out != RTE_SECPATH_SA_NONE)
		rte_secpath_sa_del(h_out);
	swi_ips_fini(&peer_out);
	swi_ips_fini(&peer_in);
	swi_ips_fini(&a_in);
	swi_ips_fini(&a_out);
	TEST_ASSERT_EQ(rte_security_sw_inline_unbind(env.pa), 0, "unbind");
	TEST_ASSERT(ret == 0, "pipeline");
	return TEST_SUCCESS;
}

/* The provider's secpath option needs rte_secpath_init() first. */
static int
test_secpath_option_before_init(void)
{
	struct rte_security_sw_inline_conf bc = {
		.flags = RTE_SECURITY_SW_INLINE_F_SECPATH,
	};

	ctx = rte_security_sw_inline_bind(env.pa, &bc);
	if (ctx != NULL)
		rte_security_sw_inline_unbind(env.pa);
	TEST_ASSERT(ctx == NULL && rte_errno == EINVAL,
		"F_SECPATH bound before rte_secpath_init");
	return TEST_SUCCESS;
}

static int
test_pipeline_provider_records(void)
{
	return pipeline(true);
}

static int
test_pipeline_rx_import(void)
{
	return pipeline(false);
}

static int
pipeline_setup(void)
{
	return swi_suite_setup(1, true, false);
}

/*
 * Case set-up of the pipeline cases: the library and the block pool
 * (made last), made by the first of them.
 */
static int
pipeline_ready(void)
{
	struct rte_secpath_conf conf = { .max_sa = 64,
		.socket_id = SOCKET_ID_ANY };

	if (rte_mbuf_extension_pool_lookup(SOCKET_ID_ANY) != NULL)
		return TEST_SUCCESS;
	TEST_ASSERT(rte_secpath_init(&conf) == 0 &&
		rte_mbuf_extension_pool_create(1024, 0, SOCKET_ID_ANY) == 0,
		"setup: %s", rte_strerror(rte_errno));
	return TEST_SUCCESS;
}

static void
pipeline_teardown(void)
{
	rte_secpath_fini();
	swi_suite_teardown();
	rte_mbuf_extension_pool_free();
}

static struct unit_test_suite pipeline_suite = {
	.name = "sw_inline_pipeline",
	.setup = pipeline_setup,
	.teardown = pipeline_teardown,
	.snapshot = test_clean_snapshot,
	.check = test_clean_check,
	.cases = {
		TEST_CASE(test_secpath_option_before_init),
		TEST_CASE_ST(pipeline_ready, NULL,
			test_pipeline_provider_records),
		TEST_CASE_ST(pipeline_ready, NULL, test_pipeline_rx_import),
		TEST_CASES_END()
	}
};

REGISTER_TEST_SUITE(pipeline_suite);
