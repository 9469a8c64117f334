/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * The secpath across processes: one case of mp_primary and one of
 * mp_secondary (test_mp.c), run in step.
 *
 * The primary adds two inbound SAs, A and B, and an outbound one, and
 * sends ESP packets of the handler pool: half carry a secpath entry the
 * primary pushed, half only RTE_MBUF_F_RX_SEC_OFFLOAD. The secondary
 * attaches with rte_secpath_init(NULL), resolves every entry's SA,
 * imports the others by SPI, checks them against a policy, and finds
 * that it may not change the SA table. Keeping the packets, it says so.
 * The primary then deletes B and adds D with B's SPI, which takes B's
 * slot again (the SA table's free list is a stack): D's handle differs
 * from B's only in its generation. The secondary must now see B's
 * entries as stale (sa_info, policy check), find D by SPI, and import D
 * once the entry is cleared; A is unchanged. Every packet goes back to
 * the primary, which checks the same, and the secondary's counters in
 * the shared statistics.
 */

#include <inttypes.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_esp.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include <rte_mbuf_extension.h>
#include <rte_secpath.h>

#include "test_runner.h"
#include "test_mp.h"

#define SP_SPI_A 0x1001
#define SP_SPI_B 0x1002
#define SP_SPI_OUT 0x2001
#define SP_HDR_LEN (sizeof(struct rte_ether_hdr) + \
	sizeof(struct rte_ipv4_hdr))

/* Packet i: SPI B if odd; a pushed entry if i % 4 < 2, else only the
 * RX offload flag.
 */
#define SP_IS_B(i) ((i) % 2 == 1)
#define SP_PUSHED(i) ((i) % 4 < 2)

/* The ESP sequence number: the packet's number. */
static uint32_t
sp_seq(const struct rte_mbuf *m)
{
	return rte_be_to_cpu_32(rte_pktmbuf_mtod_offset(m,
		const struct rte_esp_hdr *, SP_HDR_LEN)->seq);
}

/* An Ethernet/IPv4/ESP packet of SPI @p spi, ESP sequence @p seq. */
static struct rte_mbuf *
sp_mbuf(uint32_t spi, uint32_t seq)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(handler);
	struct rte_ether_hdr *eth;
	struct rte_ipv4_hdr *ip;
	struct rte_esp_hdr *esp;
	const uint16_t len = SP_HDR_LEN + sizeof(*esp) + 16;

	if (m == NULL)
		return NULL;
	eth = (struct rte_ether_hdr *)rte_pktmbuf_append(m, len);
	if (eth == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memset(eth, 0, len);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	ip = (struct rte_ipv4_hdr *)(eth + 1);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(len - sizeof(*eth));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_ESP;
	esp = (struct rte_esp_hdr *)(ip + 1);
	esp->spi = rte_cpu_to_be_32(spi);
	esp->seq = rte_cpu_to_be_32(seq);
	return m;
}

/* The policy of SPI @p spi: one required tunnel template. */
static void
sp_policy(struct rte_secpath_policy *pol, uint32_t spi)
{
	memset(pol, 0, sizeof(*pol));
	pol->nb_tmpl = 1;
	pol->tmpl[0].flags = RTE_SECPATH_TMPL_F_SPI | RTE_SECPATH_TMPL_F_MODE;
	pol->tmpl[0].spi = spi;
	pol->tmpl[0].mode = RTE_SECPATH_MODE_TUNNEL;
}

/*
 * Check packet @p m of number @p i: @p after, the primary's change was
 * made (B's entry stale, D's imported). Returns 0 or -1 (with a line
 * saying why).
 */
static int
sp_check(const struct rte_mbuf *m, unsigned int i, int after)
{
	const struct rte_secpath *sp = rte_secpath_get(m);
	struct rte_secpath_sa_params p;
	struct rte_secpath_policy pol;
	uint64_t want;
	int v;

	if (sp_seq(m) != i) {
		printf("  packet %u: ESP sequence %u\n", i, sp_seq(m));
		return -1;
	}
	want = SP_IS_B(i) ? (after ? info->sa_d : info->sa_b) : info->sa_a;
	if (sp == NULL || sp->len != 1 || sp->entry[0].sa != want ||
			sp->entry[0].spi != (SP_IS_B(i) ? SP_SPI_B : SP_SPI_A) ||
			sp->entry[0].dir != RTE_SECPATH_DIR_IN ||
			sp->entry[0].result != RTE_SECPATH_RESULT_OK) {
		printf("  packet %u: secpath %p len %u sa %#" PRIx64
			", want %#" PRIx64 "\n", i, sp, sp ? sp->len : 0,
			sp ? sp->entry[0].sa : 0, want);
		return -1;
	}
	if (rte_secpath_sa_info(want, &p) != 0 ||
			p.userdata != (SP_IS_B(i) ? (after ? 0xd : 0xb) : 0xa)) {
		printf("  packet %u: SA %#" PRIx64 " does not resolve\n", i,
			want);
		return -1;
	}
	sp_policy(&pol, SP_IS_B(i) ? SP_SPI_B : SP_SPI_A);
	v = rte_secpath_policy_check(m, &pol);
	if (v != RTE_SECPATH_PASS) {
		printf("  packet %u: policy check %d\n", i, v);
		return -1;
	}
	return 0;
}

/* ---- primary ---- */

int
mp_secpath_primary_setup(void)
{
	struct rte_secpath_conf conf = {
		.max_sa = 16, .socket_id = SOCKET_ID_ANY,
	};

	/* Before the block pool: the secpath type must fit in the blocks. */
	if (rte_secpath_init(&conf) < 0) {
		printf("secpath init: %s\n", rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

static int
sp_add(uint32_t spi, uint8_t dir, uint64_t userdata, uint64_t *sa)
{
	struct rte_secpath_sa_params p = {
		.spi = spi, .dir = dir, .mode = RTE_SECPATH_MODE_TUNNEL,
		.kind = RTE_SECPATH_KIND_INLINE_CRYPTO, .userdata = userdata,
	};
	rte_secpath_sa_t h;
	int ret;

	/*
	 * An outbound inline SA names its session; without NEED_MDATA the
	 * pointers are only recorded: any address the secondary maps too.
	 */
	if (dir == RTE_SECPATH_DIR_OUT) {
		p.ctx = (struct rte_security_ctx *)info;
		p.sess = info;
	}
	ret = rte_secpath_sa_add(&p, &h);
	*sa = h;
	return ret;
}

int
test_mp_secpath(void)
{
	struct rte_mbuf *back[MP_NB];
	struct rte_secpath_stats st0, st1;
	unsigned int i, n;
	int ret = TEST_FAILED;

	TEST_ASSERT(sp_add(SP_SPI_A, RTE_SECPATH_DIR_IN, 0xa,
		&info->sa_a) == 0, "add A: %s", rte_strerror(rte_errno));
	TEST_ASSERT(sp_add(SP_SPI_B, RTE_SECPATH_DIR_IN, 0xb,
		&info->sa_b) == 0, "add B: %s", rte_strerror(rte_errno));
	TEST_ASSERT(sp_add(SP_SPI_OUT, RTE_SECPATH_DIR_OUT, 0xc,
		&info->sa_out) == 0, "add out: %s", rte_strerror(rte_errno));
	TEST_ASSERT(rte_secpath_stats_get(&st0) == 0, "stats");
	for (i = 0; i < MP_NB; i++) {
		struct rte_mbuf *m = sp_mbuf(SP_IS_B(i) ? SP_SPI_B : SP_SPI_A,
			i);

		TEST_ASSERT(m != NULL, "mbuf %u: %s", i,
			rte_strerror(rte_errno));
		if (SP_PUSHED(i)) {
			TEST_ASSERT(rte_secpath_push_sa(m, SP_IS_B(i) ?
				info->sa_b : info->sa_a,
				RTE_SECPATH_RESULT_OK) == 0, "push %u: %s", i,
				rte_strerror(rte_errno));
		} else {
			m->ol_flags |= RTE_MBUF_F_RX_SEC_OFFLOAD;
		}
		TEST_ASSERT(mp_send(m) == 0, "send");
	}
	TEST_ASSERT(mp_send_msg(MP_MSG_PHASE_DONE) == 0, "send");
	TEST_ASSERT(mp_expect_msg(MP_MSG_SP_CHECKED) == 0,
		"the secondary did not check the SAs");
	/* B goes; D takes its SPI and its slot, with a new generation. */
	TEST_ASSERT(rte_secpath_sa_del(info->sa_b) == 0, "delete B");
	TEST_ASSERT(sp_add(SP_SPI_B, RTE_SECPATH_DIR_IN, 0xd,
		&info->sa_d) == 0, "add D: %s", rte_strerror(rte_errno));
	TEST_ASSERT((uint32_t)info->sa_d == (uint32_t)info->sa_b &&
		info->sa_d != info->sa_b,
		"D %#" PRIx64 " does not reuse B's slot %#" PRIx64,
		info->sa_d, info->sa_b);
	TEST_ASSERT(mp_send_msg(MP_MSG_SP_CHANGED) == 0, "send");
	if (mp_recv_mbufs(back, MP_NB, &n) < 0)
		return TEST_FAILED;
	if (n != MP_NB) {
		printf("  %u packets back\n", n);
		goto free_back;
	}
	for (i = 0; i < n; i++)
		if (sp_check(back[i], i, 1) < 0)
			goto free_back;
	/*
	 * The secondary imported 32 packets by SPI before the change and
	 * the 32 of B after it: its counters are in the shared ones.
	 */
	TEST_ASSERT(rte_secpath_stats_get(&st1) == 0, "stats");
	if (st1.rx_ok - st0.rx_ok != MP_NB) {
		printf("  rx_ok went from %" PRIu64 " to %" PRIu64 "\n",
			st0.rx_ok, st1.rx_ok);
		goto free_back;
	}
	ret = TEST_SUCCESS;
free_back:
	for (i = 0; i < n; i++)
		rte_pktmbuf_free(back[i]);
	rte_secpath_sa_del(info->sa_a);
	rte_secpath_sa_del(info->sa_d);
	rte_secpath_sa_del(info->sa_out);
	TEST_ASSERT_EQ(rte_secpath_sa_count(), 0, "SAs left");
	return ret;
}

/* ---- secondary ---- */

int
test_mp_sec_secpath(void)
{
	struct rte_secpath_conf bad = { .max_sa = 16, .flags = 1 };
	struct rte_secpath_sa_params p = {
		.spi = 0x3001, .dir = RTE_SECPATH_DIR_IN,
		.mode = RTE_SECPATH_MODE_TUNNEL,
	};
	struct rte_mbuf *m[MP_NB], *b[MP_NB], *tx;
	struct rte_secpath_policy pol;
	rte_secpath_sa_t h;
	unsigned int i, n = 0, nb;
	int ret = TEST_FAILED, v;

	/* A secondary cannot bring its own callbacks or flags. */
	if (rte_secpath_init(&bad) != -EINVAL || rte_errno != EINVAL) {
		printf("  init with flags in a secondary: not EINVAL\n");
		goto out;
	}
	if (rte_secpath_init(NULL) != 0) {
		printf("  attach: %s\n", rte_strerror(rte_errno));
		goto out;
	}
	if (rte_secpath_init(NULL) != -EALREADY) {
		printf("  attach twice: not EALREADY\n");
		goto out;
	}
	if (mp_recv_mbufs(m, MP_NB, &n) < 0 || n != MP_NB) {
		printf("  %u packets received\n", n);
		goto out;
	}
	/* The SA table is the primary's to change. */
	if (rte_secpath_sa_add(&p, &h) != -E_RTE_SECONDARY ||
			rte_errno != E_RTE_SECONDARY ||
			rte_secpath_sa_del(info->sa_a) != -E_RTE_SECONDARY ||
			rte_secpath_sa_set_session(info->sa_a, NULL, NULL) !=
				-E_RTE_SECONDARY ||
			rte_secpath_sa_info(info->sa_a, NULL) != 0 ||
			rte_secpath_sa_reclaim() != -E_RTE_SECONDARY ||
			rte_secpath_sa_count() != 3) {
		printf("  SA table changes in a secondary\n");
		goto out;
	}
	if (rte_secpath_sa_lookup_spi(SP_SPI_A) != info->sa_a ||
			rte_secpath_sa_lookup_spi(SP_SPI_B) != info->sa_b ||
			rte_secpath_sa_lookup_spi(SP_SPI_OUT) !=
				RTE_SECPATH_SA_NONE) {
		printf("  SPI lookups\n");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (!SP_PUSHED(i) &&
				rte_secpath_rx_import(m[i],
					RTE_SECPATH_RX_SPI) != 1) {
			printf("  import %u: %s\n", i, rte_strerror(rte_errno));
			goto out;
		}
		if (sp_check(m[i], i, 0) < 0)
			goto out;
	}
	/* TX: an outbound entry of the primary's SA sets the offload. */
	tx = sp_mbuf(SP_SPI_OUT, 0);
	if (tx == NULL ||
			rte_secpath_push_sa(tx, info->sa_out,
				RTE_SECPATH_RESULT_OK) != 0 ||
			rte_secpath_tx_prepare(tx) != 1 ||
			!(tx->ol_flags & RTE_MBUF_F_TX_SEC_OFFLOAD)) {
		printf("  TX preparation from the outbound SA\n");
		rte_pktmbuf_free(tx);
		goto out;
	}
	rte_pktmbuf_free(tx);
	if (mp_send_msg(MP_MSG_SP_CHECKED) < 0 ||
			mp_expect_msg(MP_MSG_SP_CHANGED) < 0)
		goto out;
	/* B was deleted: its handle names nothing, though D has its slot. */
	if (rte_secpath_sa_info(info->sa_b, NULL) != -ENOENT ||
			rte_secpath_sa_lookup_spi(SP_SPI_B) != info->sa_d ||
			rte_secpath_sa_info(info->sa_d, NULL) != 0) {
		printf("  B after its deletion, D\n");
		goto out;
	}
	for (i = 0, nb = 0; i < n; i++) {
		if (!SP_IS_B(i)) {
			if (sp_check(m[i], i, 0) < 0)
				goto out;
			continue;
		}
		sp_policy(&pol, SP_SPI_B);
		v = rte_secpath_policy_check(m[i], &pol);
		if (v != RTE_SECPATH_STALE_SA) {
			printf("  packet %u of deleted B: policy check %d\n",
				i, v);
			goto out;
		}
		rte_secpath_clear(m[i]);
		m[i]->ol_flags |= RTE_MBUF_F_RX_SEC_OFFLOAD;
		b[nb++] = m[i];
	}
	/* The burst form, with its bulk lookup of the SPI index. */
	if (rte_secpath_rx_import_burst(b, nb, RTE_SECPATH_RX_SPI) != nb) {
		printf("  burst import of D\n");
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (SP_IS_B(i) && sp_check(m[i], i, 1) < 0) {
			printf("  packet %u: import of D\n", i);
			goto out;
		}
	}
	ret = TEST_SUCCESS;
out:
	for (i = 0; i < n; i++) {
		if (ret != TEST_SUCCESS || mp_send(m[i]) < 0) {
			rte_pktmbuf_free(m[i]);
			ret = TEST_FAILED;
		}
	}
	if (mp_send_msg(MP_MSG_PHASE_DONE) < 0)
		ret = TEST_FAILED;
	/* Detaching leaves the primary's table alone. */
	if (rte_secpath_fini() != 0 || rte_secpath_ext_id() != -1) {
		printf("  detach\n");
		ret = TEST_FAILED;
	}
	return ret;
}
