/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * Inline protocol sessions (RTE_SECURITY_ACTION_TYPE_INLINE_PROTOCOL) of
 * the sw_inline provider, on port A:
 * - interop with scapy (test/sw_inline/swi_scapy.py, run with
 *   /usr/bin/python3): what the provider encapsulates, scapy decrypts to
 *   the packet sent, with the right sequence numbers; what scapy
 *   encrypts, the provider decapsulates to exactly the packet scapy was
 *   given, with the session's userdata in the security dynfield, which
 *   rte_secpath_rx_import() turns into an entry naming the right SA;
 * - the anti-replay window over its whole width (64 and 1024), ESN across
 *   2^32;
 * - lifetime soft and hard limits, packets and bytes, both directions,
 *   and sequence number overflow, with their events;
 * - truncated, tampered and badly padded input.
 */

#define SWI_MBUF_EXT_POOL
#include "swi_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_secpath.h>

#define PY "/usr/bin/python3"
#define NB_PKT 8
#define MAX_JOBS 1024

/* Events received by the callback, by subtype, and their metadata. */
static unsigned int ev_cnt[RTE_ETH_EVENT_IPSEC_MAX];
static uint64_t ev_md;
static bool ev_bad;

static int
ev_cb(uint16_t port, enum rte_eth_event_type type, void *arg, void *ret)
{
	const struct rte_eth_event_ipsec_desc *d = ret;

	RTE_SET_USED(arg);
	if (port != env.pa || type != RTE_ETH_EVENT_IPSEC || d == NULL ||
			d->subtype >= RTE_ETH_EVENT_IPSEC_MAX) {
		ev_bad = true;
		return 0;
	}
	ev_cnt[d->subtype]++;
	ev_md = d->metadata;
	return 0;
}

static void
ev_reset(void)
{
	memset(ev_cnt, 0, sizeof(ev_cnt));
	ev_md = 0;
	ev_bad = false;
}

/* An inline protocol session of sa on port A. */
static void *
proto_sess(const struct swi_sa *sa, bool egress, uint64_t userdata,
		const struct rte_security_ipsec_lifetime *life)
{
	struct rte_security_session_conf sc;
	struct rte_crypto_sym_xform xf;

	memset(&sc, 0, sizeof(sc));
	swi_aead_xform(sa, egress, &xf);
	sc.action_type = RTE_SECURITY_ACTION_TYPE_INLINE_PROTOCOL;
	sc.protocol = RTE_SECURITY_PROTOCOL_IPSEC;
	swi_ipsec_xform(sa, egress, &sc.ipsec);
	if (!egress && sa->esn_start != 0)
		sc.ipsec.esn.value = sa->esn_start - 1;
	if (life != NULL)
		sc.ipsec.life = *life;
	sc.crypto_xform = &xf;
	sc.userdata = (void *)(uintptr_t)userdata;
	return rte_security_session_create(ctx, &sc, env.sess_mp);
}

/* A packet of the pool with these bytes. */
static struct rte_mbuf *
pkt_from(const uint8_t *b, uint32_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(env.mp);
	uint8_t *p;

	if (m == NULL)
		return NULL;
	p = (uint8_t *)rte_pktmbuf_append(m, len);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memcpy(p, b, len);
	return m;
}

/* Ethernet header in front of an IP packet's bytes. */
static uint32_t
eth_wrap(const uint8_t *ip, uint32_t len, uint8_t *out)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)out;

	memset(&eth->dst_addr, 0x02, 6);
	memset(&eth->src_addr, 0x04, 6);
	eth->ether_type = (ip[0] >> 4) == 4 ? RTE_BE16(RTE_ETHER_TYPE_IPV4) :
		RTE_BE16(RTE_ETHER_TYPE_IPV6);
	memcpy(out + RTE_ETHER_HDR_LEN, ip, len);
	return len + RTE_ETHER_HDR_LEN;
}

static void
hex(FILE *f, const uint8_t *b, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "%02x", b[i]);
}

static uint32_t
unhex(const char *s, uint8_t *b, uint32_t max)
{
	uint32_t n = 0;
	unsigned int v;

	while (n < max && sscanf(s, "%2x", &v) == 1) {
		b[n++] = (uint8_t)v;
		s += 2;
	}
	return n;
}

/* Whether /usr/bin/python3 has scapy. */
static bool
have_scapy(void)
{
	return access(PY, X_OK) == 0 && system(PY " -c 'import "
		"scapy.layers.ipsec' >/dev/null 2>&1") == 0;
}

/*
 * Run the scapy peer on the jobs in file jobs; answers[i] is the answer
 * to the i-th job other than SA (malloc'd lines). Return their number or
 * -1.
 */
static int
scapy_run(const char *jobs, char **answers, int max)
{
	char cmd[512], *line = NULL;
	size_t cap = 0;
	FILE *f;
	int n = 0;

	snprintf(cmd, sizeof(cmd), PY " %s %s", SWI_SCAPY_PY, jobs);
	f = popen(cmd, "r");
	if (f == NULL)
		return -1;
	while (n < max && getline(&line, &cap, f) > 0) {
		line[strcspn(line, "\n")] = '\0';
		answers[n++] = strdup(line);
	}
	free(line);
	return pclose(f) == 0 ? n : -1;
}

static void
answers_free(char **a, int n)
{
	while (n > 0)
		free(a[--n]);
}

static void
sa_line(FILE *f, unsigned int id, const struct swi_sa *sa)
{
	fprintf(f, "SA %u %u ", id, sa->spi);
	hex(f, sa->key, sa->key_len);
	fprintf(f, " ");
	hex(f, sa->salt, 4);
	fprintf(f, " %s %d ", !sa->tunnel ? "trs" : sa->v6 ? "tun6" : "tun4",
		sa->esn);
	hex(f, sa->src, 16);
	fprintf(f, " ");
	hex(f, sa->dst, 16);
	fprintf(f, "\n");
}

/*
 * Capabilities and session checks.
 */
static int
test_caps(void)
{
	static const enum rte_security_ipsec_sa_mode modes[] = {
		RTE_SECURITY_IPSEC_SA_MODE_TUNNEL,
		RTE_SECURITY_IPSEC_SA_MODE_TRANSPORT,
	};
	struct rte_security_capability_idx idx;
	const struct rte_security_capability *cap;
	struct rte_security_ipsec_lifetime life = { .packets_hard_limit = 9 };
	struct swi_sa sa;
	unsigned int m, d;
	void *s;

	for (m = 0; m < 2; m++) {
		for (d = 0; d < 2; d++) {
			memset(&idx, 0, sizeof(idx));
			idx.action = RTE_SECURITY_ACTION_TYPE_INLINE_PROTOCOL;
			idx.protocol = RTE_SECURITY_PROTOCOL_IPSEC;
			idx.ipsec.proto = RTE_SECURITY_IPSEC_SA_PROTO_ESP;
			idx.ipsec.mode = modes[m];
			idx.ipsec.direction = d;
			cap = rte_security_capability_get(ctx, &idx);
			TEST_ASSERT(cap != NULL, "mode %u dir %u", m, d);
			TEST_ASSERT(cap->ipsec.replay_win_sz_max >= 1024 &&
				cap->ipsec.options.esn, "window, ESN");
		}
	}
	swi_sa_default(&sa, 0x100, 16, true, false);
	sa.win = 8192;
	s = proto_sess(&sa, false, 1, NULL);
	TEST_ASSERT(s == NULL, "window 8192 accepted");
	sa.win = 4096;
	s = proto_sess(&sa, false, 1, NULL);
	TEST_ASSERT(s != NULL, "window 4096: %s", rte_strerror(rte_errno));
	rte_security_session_destroy(ctx, s);
	/* lifetimes are inline protocol's: inline crypto refuses them */
	{
		struct rte_security_session_conf sc;
		struct rte_crypto_sym_xform xf;

		memset(&sc, 0, sizeof(sc));
		swi_aead_xform(&sa, false, &xf);
		sc.action_type = RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO;
		sc.protocol = RTE_SECURITY_PROTOCOL_IPSEC;
		swi_ipsec_xform(&sa, false, &sc.ipsec);
		sc.ipsec.life = life;
		sc.crypto_xform = &xf;
		TEST_ASSERT(rte_security_session_create(ctx, &sc,
			env.sess_mp) == NULL, "inline crypto with a lifetime");
	}
	return TEST_SUCCESS;
}

/*
 * Interop with scapy.
 */
struct icfg {
	uint8_t key_len;
	bool tunnel, v6, inner_v6, esn;
	uint64_t start;
};

#define NB_CFG 16
static struct icfg cfgs[NB_CFG];

static void
cfgs_make(void)
{
	unsigned int i;

	for (i = 0; i < NB_CFG; i++) {
		struct icfg *c = &cfgs[i];

		c->key_len = (i & 1) ? 32 : 16;
		c->esn = (i & 2) != 0;
		c->tunnel = (i & 8) == 0;  /* 0-7 tunnel, 8-15 transport */
		c->v6 = (i & 4) != 0;
		c->inner_v6 = (i & 1) != 0;
		/* with ESN the numbers cross 2^32 */
		c->start = c->esn ? UINT64_C(0xfffffffc) : 1 + i * 1000;
	}
}

static void
cfg_sa(const struct icfg *c, unsigned int i, bool egress, struct swi_sa *sa)
{
	unsigned int j;

	swi_sa_default(sa, (egress ? 0x5000 : 0x6000) + i, c->key_len,
		c->tunnel, c->v6);
	/* the same key and salt at every call for the same SA */
	for (j = 0; j < sizeof(sa->key); j++)
		sa->key[j] = (uint8_t)(i * 31 + j * 7 + egress + 1);
	for (j = 0; j < sizeof(sa->salt); j++)
		sa->salt[j] = (uint8_t)(i * 17 + j * 3 + egress);
	sa->inner_v6 = c->inner_v6;
	sa->esn = c->esn;
	sa->esn_start = c->start;
	sa->win = 64;
}

/* What the interop case keeps between its phases. */
struct ipkt {
	uint8_t inner[SWI_MAX_PKT];  /* IP packet given */
	uint32_t ilen;
	uint8_t wire[SWI_MAX_PKT];   /* ESP packet the provider sent */
	uint32_t wlen;
};
static struct ipkt ip_out[NB_CFG][NB_PKT], ip_in[NB_CFG][NB_PKT];

/* Provider egress of configuration i: NB_PKT packets out of port B. */
static int
interop_egress(unsigned int i, FILE *jobs)
{
	const struct icfg *c = &cfgs[i];
	struct rte_mbuf *mb[NB_PKT], *rx[SWI_BURST];
	struct swi_sa sa;
	uint16_t k, n;
	void *s;
	int ret = -1;

	cfg_sa(c, i, true, &sa);
	s = proto_sess(&sa, true, 0xe0 + i, NULL);
	if (s == NULL)
		return -1;
	sa_line(jobs, 2 * i, &sa);
	for (k = 0; k < NB_PKT; k++) {
		bool v6 = c->tunnel ? c->inner_v6 : c->v6;

		mb[k] = swi_inner_pkt(env.mp, v6, (uint16_t)(k == 0 ? 0 :
			rte_rand() % 1200), k);
		if (mb[k] == NULL) {
			rte_pktmbuf_free_bulk(mb, k);
			goto out;
		}
		ip_out[i][k].ilen = swi_bytes(mb[k], RTE_ETHER_HDR_LEN,
			ip_out[i][k].inner, SWI_MAX_PKT);
		mb[k]->ol_flags |= RTE_MBUF_F_TX_SEC_OFFLOAD;
		rte_security_set_pkt_metadata(ctx, s, mb[k], NULL);
	}
	n = swi_xfer(env.pa, env.pb, 0, mb, NB_PKT, rx);
	if (n != NB_PKT) {
		printf("  cfg %u: %u/%u sent\n", i, n, NB_PKT);
		rte_pktmbuf_free_bulk(rx, n);
		goto out;
	}
	for (k = 0; k < n; k++) {
		struct ipkt *p = &ip_out[i][k];
		uint64_t seq = c->start + k;

		p->wlen = swi_bytes(rx[k], RTE_ETHER_HDR_LEN, p->wire,
			SWI_MAX_PKT);
		fprintf(jobs, "DEC %u %u ", 2 * i, (unsigned int)(seq >> 32));
		hex(jobs, p->wire, p->wlen);
		fprintf(jobs, "\n");
	}
	rte_pktmbuf_free_bulk(rx, n);
	ret = 0;
out:
	rte_security_session_destroy(ctx, s);
	return ret;
}

/* Jobs for scapy to encrypt what the provider's ingress will receive. */
static int
interop_enc_jobs(unsigned int i, FILE *jobs)
{
	const struct icfg *c = &cfgs[i];
	struct swi_sa sa;
	uint16_t k;

	cfg_sa(c, i, false, &sa);
	sa_line(jobs, 2 * i + 1, &sa);
	for (k = 0; k < NB_PKT; k++) {
		bool v6 = c->tunnel ? c->inner_v6 : c->v6;
		struct rte_mbuf *m = swi_inner_pkt(env.mp, v6,
			(uint16_t)(rte_rand() % 1200), k);

		if (m == NULL)
			return -1;
		ip_in[i][k].ilen = swi_bytes(m, RTE_ETHER_HDR_LEN,
			ip_in[i][k].inner, SWI_MAX_PKT);
		rte_pktmbuf_free(m);
		fprintf(jobs, "ENC %u %" PRIu64 " ", 2 * i + 1, c->start + k);
		hex(jobs, ip_in[i][k].inner, ip_in[i][k].ilen);
		fprintf(jobs, "\n");
	}
	return 0;
}

/* scapy's decryption of what the provider sent: the packets given. */
static int
interop_check_dec(unsigned int i, char **ans)
{
	const struct icfg *c = &cfgs[i];
	static uint8_t got[SWI_MAX_PKT];
	uint16_t k;

	for (k = 0; k < NB_PKT; k++) {
		const struct ipkt *p = &ip_out[i][k];
		uint64_t seq;
		uint32_t n;
		int pos = 0;

		if (sscanf(ans[k], "OK %" SCNu64 " %n", &seq, &pos) != 1 ||
				pos == 0) {
			printf("  cfg %u pkt %u: scapy: %.200s\n", i, k,
				ans[k]);
			return -1;
		}
		n = unhex(ans[k] + pos, got, sizeof(got));
		if (seq != c->start + k || n != p->ilen ||
				memcmp(got, p->inner, n) != 0) {
			printf("  cfg %u pkt %u: seq %" PRIu64 "/%" PRIu64
				", %u/%u bytes\n", i, k, seq, c->start + k,
				n, p->ilen);
			return -1;
		}
	}
	return 0;
}

/* The provider's ingress on scapy's packets. */
static int
interop_ingress(unsigned int i, char **ans)
{
	const struct icfg *c = &cfgs[i];
	static uint8_t ip[SWI_MAX_PKT], fr[SWI_MAX_PKT + 14], exp[SWI_MAX_PKT];
	struct rte_mbuf *mb[NB_PKT], *rx[SWI_BURST];
	struct rte_secpath_sa_params sp;
	rte_secpath_sa_t h = RTE_SECPATH_SA_NONE;
	struct swi_sa sa;
	uint16_t k, n = 0;
	void *s = NULL;
	int ret = -1;

	cfg_sa(c, i, false, &sa);
	memset(&sp, 0, sizeof(sp));
	sp.spi = sa.spi;
	sp.dir = RTE_SECPATH_DIR_IN;
	sp.mode = c->tunnel ? RTE_SECPATH_MODE_TUNNEL :
		RTE_SECPATH_MODE_TRANSPORT;
	sp.kind = RTE_SECPATH_KIND_INLINE_PROTOCOL;
	sp.ctx = ctx;
	if (rte_secpath_sa_add(&sp, &h) != 0)
		return -1;
	/* the application's idiom: userdata is the secpath SA handle */
	s = proto_sess(&sa, false, (uint64_t)h, NULL);
	if (s == NULL)
		goto out;
	for (k = 0; k < NB_PKT; k++) {
		uint32_t len;

		if (strncmp(ans[k], "OK ", 3) != 0) {
			printf("  cfg %u pkt %u: scapy: %.200s\n", i, k,
				ans[k]);
			rte_pktmbuf_free_bulk(mb, k);
			goto out;
		}
		len = unhex(ans[k] + 3, ip, sizeof(ip));
		mb[k] = pkt_from(fr, eth_wrap(ip, len, fr));
		if (mb[k] == NULL) {
			rte_pktmbuf_free_bulk(mb, k);
			goto out;
		}
	}
	n = swi_xfer(env.pb, env.pa, 0, mb, NB_PKT, rx);
	if (n != NB_PKT)
		goto out;
	for (k = 0; k < n; k++) {
		struct rte_mbuf *m = rx[k];
		const struct rte_secpath *p;
		uint32_t elen = eth_wrap(ip_in[i][k].inner, ip_in[i][k].ilen,
			exp);
		uint32_t glen = swi_bytes(m, 0, fr, sizeof(fr));

		if ((m->ol_flags & (RTE_MBUF_F_RX_SEC_OFFLOAD |
				RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED)) !=
				RTE_MBUF_F_RX_SEC_OFFLOAD ||
				*rte_security_dynfield(m) != (uint64_t)h) {
			struct rte_security_sw_inline_stats ps;

			rte_security_sw_inline_stats_get(env.pa, &ps);
			printf("  cfg %u pkt %u: flags %#" PRIx64 " (auth %"
				PRIu64 " replay %" PRIu64 " trailer %" PRIu64
				" malformed %" PRIu64 " unsupported %" PRIu64
				")\n", i, k, m->ol_flags, ps.rx_auth_failed,
				ps.rx_replayed, ps.rx_bad_trailer,
				ps.rx_malformed, ps.rx_unsupported);
			goto out;
		}
		if (glen != elen || memcmp(fr, exp, elen) != 0) {
			printf("  cfg %u pkt %u: %u/%u bytes differ\n", i, k,
				glen, elen);
			goto out;
		}
		if (rte_secpath_rx_import(m, RTE_SECPATH_RX_USERDATA) != 1) {
			printf("  cfg %u pkt %u: no secpath entry\n", i, k);
			goto out;
		}
		p = rte_secpath_get(m);
		if (p == NULL || p->len != 1 || p->entry[0].sa != h ||
				p->entry[0].spi != sa.spi ||
				p->entry[0].result != RTE_SECPATH_RESULT_OK ||
				p->entry[0].kind !=
				RTE_SECPATH_KIND_INLINE_PROTOCOL) {
			printf("  cfg %u pkt %u: wrong secpath entry\n", i, k);
			goto out;
		}
	}
	ret = 0;
out:
	rte_mbuf_extension_pktmbuf_free_bulk(rx, n);
	if (s != NULL)
		rte_security_session_destroy(ctx, s);
	rte_secpath_sa_del(h);
	return ret;
}

static int
test_scapy_interop(void)
{
	char path[] = "/tmp/swi_proto_jobsXXXXXX";
	static char *ans[MAX_JOBS];
	unsigned int i;
	int fd, n = -1, ret = TEST_FAILED;
	FILE *jobs;

	if (!have_scapy())
		TEST_SKIP("no scapy for " PY " (apt-get install "
			"python3-scapy)");
	cfgs_make();
	fd = mkstemp(path);
	TEST_ASSERT(fd >= 0, "mkstemp");
	jobs = fdopen(fd, "w");
	TEST_ASSERT(jobs != NULL, "fdopen");
	for (i = 0; i < NB_CFG; i++) {
		if (interop_egress(i, jobs) != 0 ||
				interop_enc_jobs(i, jobs) != 0) {
			printf("  cfg %u: egress failed\n", i);
			fclose(jobs);
			goto out;
		}
	}
	fclose(jobs);
	n = scapy_run(path, ans, MAX_JOBS);
	if (n != NB_CFG * 2 * NB_PKT) {
		printf("  scapy answered %d/%d\n", n, NB_CFG * 2 * NB_PKT);
		goto out;
	}
	for (i = 0; i < NB_CFG; i++) {
		char **a = &ans[i * 2 * NB_PKT];

		if (interop_check_dec(i, a) != 0 ||
				interop_ingress(i, a + NB_PKT) != 0) {
			printf("  cfg %u: AES-%u %s%s%s%s\n", i,
				cfgs[i].key_len * 8,
				cfgs[i].tunnel ? "tunnel" : "transport",
				cfgs[i].v6 ? " v6" : " v4",
				cfgs[i].tunnel ? (cfgs[i].inner_v6 ?
					"/v6" : "/v4") : "",
				cfgs[i].esn ? " ESN" : "");
			goto out;
		}
	}
	ret = TEST_SUCCESS;
out:
	if (n > 0)
		answers_free(ans, n);
	unlink(path);
	return ret;
}

/*
 * The provider with itself: ESP packets made by an egress session, kept
 * as bytes so that any of them can be received any number of times.
 */
struct esp_set {
	uint32_t n;
	uint32_t len[4096];
	uint8_t (*b)[160];
};

static struct esp_set set;

/* n ESP packets of sa, sequence numbers sa->esn_start + k. */
static int
esp_make(const struct swi_sa *sa, uint32_t n)
{
	struct rte_mbuf *m;
	uint32_t k;
	void *s;

	if (set.b == NULL)
		set.b = malloc(sizeof(set.b[0]) * RTE_DIM(set.len));
	if (set.b == NULL || n > RTE_DIM(set.len))
		return -1;
	s = proto_sess(sa, true, 0, NULL);
	if (s == NULL)
		return -1;
	for (k = 0; k < n; k++) {
		m = swi_inner_pkt(env.mp, sa->tunnel ? sa->inner_v6 : sa->v6,
			16, (uint16_t)k);
		if (m == NULL)
			break;
		m->ol_flags |= RTE_MBUF_F_TX_SEC_OFFLOAD;
		rte_security_set_pkt_metadata(ctx, s, m, NULL);
		if (rte_security_sw_inline_tx_process(ctx, &m, 1) != 1) {
			rte_pktmbuf_free(m);
			break;
		}
		set.len[k] = swi_bytes(m, 0, set.b[k], sizeof(set.b[0]));
		rte_pktmbuf_free(m);
	}
	rte_security_session_destroy(ctx, s);
	set.n = k;
	return k == n ? 0 : -1;
}

/*
 * Receive ESP packet k of the set: 1 accepted (decapsulated), 0 flagged
 * failed (and left exactly as received), -1 anything else.
 */
static int
rx_one(uint32_t k, uint64_t userdata)
{
	struct rte_mbuf *m = pkt_from(set.b[k], set.len[k]);
	uint8_t buf[160];
	int ret = -1;

	if (m == NULL)
		return -1;
	rte_security_sw_inline_rx_process(ctx, &m, 1);
	if ((m->ol_flags & RTE_MBUF_F_RX_SEC_OFFLOAD) &&
			*rte_security_dynfield(m) == userdata) {
		if (!(m->ol_flags & RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED))
			ret = 1;
		else if (swi_bytes(m, 0, buf, sizeof(buf)) == set.len[k] &&
				memcmp(buf, set.b[k], set.len[k]) == 0)
			ret = 0;
	}
	rte_pktmbuf_free(m);
	return ret;
}

#define RX_EXPECT(k, want) do {						\
	int __r = rx_one((k), ud);					\
	if (__r != (want)) {						\
		printf("  seq index %u: got %d, want %d\n",		\
			(unsigned int)(k), __r, (want));		\
		goto fail;						\
	}								\
} while (0)

/*
 * Window W: packets k (sequence number k + 1) 0..3W+1. Received: W-1 down
 * to 0 but W/2 (out of order: all new), then all of them again (every
 * one a replay, whatever its place in a 64-bit word), then 2W-1 (the
 * window jumps to [W, 2W-1]), W/2 (never received but now too old), W
 * (the oldest in the window), a forged 2W+... that fails its ICV, then
 * W+5 (still inside: the forged number did not move the window).
 */
static int
replay_run(uint32_t w, bool esn)
{
	struct rte_security_sw_inline_stats st0, st1;
	const uint64_t ud = 0xabc000 + w;
	struct swi_sa sa;
	uint32_t k;
	void *s = NULL;
	int ret = TEST_FAILED;

	swi_sa_default(&sa, 0x7000 + w, 16, true, false);
	sa.esn = esn;
	sa.esn_start = esn ? (UINT64_C(1) << 32) - w : 1;
	sa.win = w;
	TEST_ASSERT(esp_make(&sa, 3 * w + 2) == 0, "making packets");
	s = proto_sess(&sa, false, ud, NULL);
	TEST_ASSERT(s != NULL, "session: %s", rte_strerror(rte_errno));
	rte_security_sw_inline_stats_get(env.pa, &st0);
	for (k = w; k-- > 0;)
		if (k != w / 2)
			RX_EXPECT(k, 1);
	for (k = 0; k < w; k++)
		RX_EXPECT(k, k == w / 2 ? 1 : 0);
	RX_EXPECT(w / 2, 0);
	RX_EXPECT(2 * w - 1, 1);
	RX_EXPECT(w / 2 + 1, 0);  /* too old, received */
	RX_EXPECT(w - 1, 0);      /* top W-1 down, outside: too old */
	RX_EXPECT(w, 1);          /* the oldest inside */
	RX_EXPECT(w, 0);
	/* forged: the number of a later packet in a good one */
	{
		struct rte_esp_hdr *e = (struct rte_esp_hdr *)(set.b[w + 1] +
			RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr));
		uint32_t keep = e->seq;

		e->seq = rte_cpu_to_be_32(rte_be_to_cpu_32(keep) + 10 * w);
		RX_EXPECT(w + 1, 0);
		e->seq = keep;
	}
	RX_EXPECT(w + 5, 1);
	RX_EXPECT(w + 1, 1);
	for (k = 2 * w; k < 3 * w; k += 7)
		RX_EXPECT(k, 1);
	/* never received, exactly at the window's bottom: too old; one
	 * above it: inside
	 */
	RX_EXPECT(3 * w + 1, 1);
	RX_EXPECT(2 * w + 1, 0);
	RX_EXPECT(2 * w + 2, 1);
	rte_security_sw_inline_stats_get(env.pa, &st1);
	/* with ESN, the three numbers below the window are taken to be of
	 * the next 2^32 (RFC 4303 A2.2): their ICV fails instead
	 */
	if (st1.rx_replayed - st0.rx_replayed != w + 4 - (esn ? 3 : 0) ||
			st1.rx_auth_failed - st0.rx_auth_failed !=
			1u + (esn ? 3 : 0)) {
		printf("  replayed %" PRIu64 ", auth failed %" PRIu64 "\n",
			st1.rx_replayed - st0.rx_replayed,
			st1.rx_auth_failed - st0.rx_auth_failed);
		goto fail;
	}
	ret = TEST_SUCCESS;
fail:
	rte_security_session_destroy(ctx, s);
	return ret;
}

static int
test_replay_64(void)
{
	return replay_run(64, false);
}

static int
test_replay_1024(void)
{
	return replay_run(1024, false);
}

/* ESN: the same across 2^32 (the packets go from 2^32 - W to 2^32 + 2W). */
static int
test_replay_esn_wrap(void)
{
	int ret = replay_run(64, true);

	return ret != TEST_SUCCESS ? ret : replay_run(1024, true);
}

/*
 * Lifetime.
 */
static int
life_egress(const struct rte_security_ipsec_lifetime *life, uint32_t nb,
		uint32_t nb_ok, enum rte_eth_event_ipsec_subtype soft,
		enum rte_eth_event_ipsec_subtype hard)
{
	struct rte_security_sw_inline_stats st0, st1;
	struct rte_mbuf *mb[SWI_BURST];
	struct rte_security_stats ss;
	struct swi_sa sa;
	uint32_t k, ev;
	uint16_t left;
	void *s;

	swi_sa_default(&sa, 0x8100, 32, true, true);
	s = proto_sess(&sa, true, 0xfeed, life);
	TEST_ASSERT(s != NULL, "session");
	rte_security_sw_inline_stats_get(env.pa, &st0);
	ev_reset();
	/* one at a time: the events come with the packet that reaches */
	for (k = 0; k < nb; k++) {
		mb[k] = swi_inner_pkt(env.mp, false, 100, (uint16_t)k);
		TEST_ASSERT(mb[k] != NULL, "alloc");
		mb[k]->ol_flags |= RTE_MBUF_F_TX_SEC_OFFLOAD;
		rte_security_set_pkt_metadata(ctx, s, mb[k], NULL);
	}
	left = rte_security_sw_inline_tx_process(ctx, mb, (uint16_t)nb);
	/* the refused ones are still in clear, at the end: never sent */
	for (k = left; k < nb; k++)
		TEST_ASSERT(mb[k]->ol_flags & RTE_MBUF_F_TX_SEC_OFFLOAD,
			"refused packet %u changed", k);
	rte_pktmbuf_free_bulk(mb, nb);
	rte_security_sw_inline_stats_get(env.pa, &st1);
	rte_security_session_stats_get(ctx, s, &ss);
	rte_security_sw_inline_session_events(ctx, s, &ev);
	rte_security_session_destroy(ctx, s);
	TEST_ASSERT_EQ(left, nb_ok, "sent");
	TEST_ASSERT_EQ(st1.tx_expired - st0.tx_expired, nb - nb_ok,
		"tx_expired");
	TEST_ASSERT_EQ(ss.ipsec.opackets, nb_ok, "session opackets");
	TEST_ASSERT_EQ(ss.ipsec.oerrors, nb - nb_ok, "session oerrors");
	TEST_ASSERT(!ev_bad && ev_md == 0xfeed, "event metadata");
	TEST_ASSERT_EQ(ev_cnt[soft], 1, "soft events");
	TEST_ASSERT_EQ(ev_cnt[hard], 1, "hard events");
	TEST_ASSERT_EQ(ev, (1u << soft) | (1u << hard), "session events");
	return TEST_SUCCESS;
}

static int
life_ingress(const struct rte_security_ipsec_lifetime *life, uint32_t nb,
		uint32_t nb_ok, enum rte_eth_event_ipsec_subtype soft,
		enum rte_eth_event_ipsec_subtype hard)
{
	struct rte_security_sw_inline_stats st0, st1;
	struct rte_security_stats ss;
	const uint64_t ud = 0xbeef;
	struct swi_sa sa;
	uint32_t k, ev;
	void *s;

	swi_sa_default(&sa, 0x8200, 16, true, false);
	TEST_ASSERT(esp_make(&sa, nb) == 0, "making packets");
	s = proto_sess(&sa, false, ud, life);
	TEST_ASSERT(s != NULL, "session");
	rte_security_sw_inline_stats_get(env.pa, &st0);
	ev_reset();
	for (k = 0; k < nb; k++) {
		int r = rx_one(k, ud);

		if (r != (k < nb_ok ? 1 : 0)) {
			printf("  packet %u: %d\n", k, r);
			rte_security_session_destroy(ctx, s);
			return TEST_FAILED;
		}
	}
	rte_security_sw_inline_stats_get(env.pa, &st1);
	rte_security_session_stats_get(ctx, s, &ss);
	rte_security_sw_inline_session_events(ctx, s, &ev);
	rte_security_session_destroy(ctx, s);
	TEST_ASSERT_EQ(st1.rx_expired - st0.rx_expired, nb - nb_ok,
		"rx_expired");
	TEST_ASSERT_EQ(ss.ipsec.ipackets, nb_ok, "session ipackets");
	TEST_ASSERT_EQ(ss.ipsec.ierrors, nb - nb_ok, "session ierrors");
	TEST_ASSERT(!ev_bad && ev_md == ud, "event metadata");
	TEST_ASSERT_EQ(ev_cnt[soft], 1, "soft events");
	TEST_ASSERT_EQ(ev_cnt[hard], 1, "hard events");
	TEST_ASSERT_EQ(ev, (1u << soft) | (1u << hard), "session events");
	return TEST_SUCCESS;
}

/* Bytes of the IP packets counted: swi_inner_pkt(IPv4, 100 or 16). */
#define LEN100 (20 + 8 + 100)
#define LEN16 (20 + 8 + 16)

static int
test_lifetime_packets(void)
{
	struct rte_security_ipsec_lifetime l = {
		.packets_soft_limit = 3, .packets_hard_limit = 5,
	};
	int ret;

	ret = life_egress(&l, 8, 5, RTE_ETH_EVENT_IPSEC_SA_PKT_EXPIRY,
		RTE_ETH_EVENT_IPSEC_SA_PKT_HARD_EXPIRY);
	if (ret != TEST_SUCCESS)
		return ret;
	return life_ingress(&l, 8, 5, RTE_ETH_EVENT_IPSEC_SA_PKT_EXPIRY,
		RTE_ETH_EVENT_IPSEC_SA_PKT_HARD_EXPIRY);
}

/* Bytes: the packet that reaches a limit is processed, the next not. */
static int
test_lifetime_bytes(void)
{
	struct rte_security_ipsec_lifetime l = {
		.bytes_soft_limit = 2 * LEN100 + 1,
		.bytes_hard_limit = 4 * LEN100,
	};
	int ret;

	ret = life_egress(&l, 7, 4, RTE_ETH_EVENT_IPSEC_SA_BYTE_EXPIRY,
		RTE_ETH_EVENT_IPSEC_SA_BYTE_HARD_EXPIRY);
	if (ret != TEST_SUCCESS)
		return ret;
	l.bytes_soft_limit = 2 * LEN16 + 1;
	l.bytes_hard_limit = 4 * LEN16 - 1;
	return life_ingress(&l, 7, 4, RTE_ETH_EVENT_IPSEC_SA_BYTE_EXPIRY,
		RTE_ETH_EVENT_IPSEC_SA_BYTE_HARD_EXPIRY);
}

/* Without ESN, after 2^32 - 1: refused, one ESN overflow event. */
static int
test_seq_overflow(void)
{
	struct rte_security_sw_inline_stats st0, st1;
	struct rte_mbuf *mb[4];
	struct swi_sa sa;
	uint16_t k, left;
	void *s;

	swi_sa_default(&sa, 0x8300, 16, false, false);
	sa.esn_start = UINT32_MAX - 1;
	s = proto_sess(&sa, true, 0x5e9, NULL);
	TEST_ASSERT(s != NULL, "session");
	rte_security_sw_inline_stats_get(env.pa, &st0);
	ev_reset();
	for (k = 0; k < 4; k++) {
		mb[k] = swi_inner_pkt(env.mp, false, 10, k);
		TEST_ASSERT(mb[k] != NULL, "alloc");
		mb[k]->ol_flags |= RTE_MBUF_F_TX_SEC_OFFLOAD;
		rte_security_set_pkt_metadata(ctx, s, mb[k], NULL);
	}
	left = rte_security_sw_inline_tx_process(ctx, mb, 4);
	rte_pktmbuf_free_bulk(mb, 4);
	rte_security_session_destroy(ctx, s);
	rte_security_sw_inline_stats_get(env.pa, &st1);
	TEST_ASSERT_EQ(left, 2, "sent");
	TEST_ASSERT_EQ(st1.tx_seq_overflow - st0.tx_seq_overflow, 2,
		"tx_seq_overflow");
	TEST_ASSERT_EQ(ev_cnt[RTE_ETH_EVENT_IPSEC_ESN_OVERFLOW], 1, "events");
	TEST_ASSERT(ev_md == 0x5e9, "metadata");
	return TEST_SUCCESS;
}

/*
 * Bad input.
 */

/*
 * A received packet that must not come out as valid, and must come out
 * exactly as it came in.
 */
static int
rx_never_valid(const uint8_t *b, uint32_t len, unsigned int *flagged)
{
	struct rte_mbuf *m = pkt_from(b, len);
	static uint8_t got[SWI_MAX_PKT];
	int ret = 0;

	if (m == NULL)
		return -1;
	rte_security_sw_inline_rx_process(ctx, &m, 1);
	if ((m->ol_flags & RTE_MBUF_F_RX_SEC_OFFLOAD) &&
			!(m->ol_flags & RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED))
		ret = -1;
	if (swi_bytes(m, 0, got, sizeof(got)) != len ||
			memcmp(got, b, len) != 0)
		ret = -1;
	if (m->ol_flags & RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED)
		(*flagged)++;
	rte_pktmbuf_free(m);
	return ret;
}

static int
test_truncated_tampered(void)
{
	struct rte_security_sw_inline_stats st0, st1;
	const uint64_t ud = 0x77;
	uint8_t b[160];
	unsigned int flagged = 0, nb = 0;
	struct swi_sa sa;
	uint32_t l, i, full;
	void *s;

	swi_sa_default(&sa, 0x8400, 16, true, false);
	TEST_ASSERT(esp_make(&sa, 2) == 0, "making packets");
	s = proto_sess(&sa, false, ud, NULL);
	TEST_ASSERT(s != NULL, "session");
	full = set.len[0];
	rte_security_sw_inline_stats_get(env.pa, &st0);
	for (l = 0; l < full; l++) {
		/* cut, as is, then with the IP length made to agree */
		memcpy(b, set.b[0], l);
		TEST_ASSERT(rx_never_valid(b, l ? l : 1, &flagged) == 0,
			"cut at %u", l);
		nb++;
		if (l >= RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr)) {
			struct rte_ipv4_hdr *ip = (void *)(b +
				RTE_ETHER_HDR_LEN);

			ip->total_length = rte_cpu_to_be_16(l -
				RTE_ETHER_HDR_LEN);
			ip->hdr_checksum = 0;
			ip->hdr_checksum = rte_ipv4_cksum(ip);
			TEST_ASSERT(rx_never_valid(b, l, &flagged) == 0,
				"cut at %u, length fixed", l);
			nb++;
		}
	}
	/* every byte after the IP header changed: ICV, IV, SPI, ... */
	for (i = RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr); i < full;
			i++) {
		memcpy(b, set.b[1], full);
		b[i] ^= 0x20;
		TEST_ASSERT(rx_never_valid(b, full, &flagged) == 0,
			"byte %u", i);
		nb++;
	}
	rte_security_sw_inline_stats_get(env.pa, &st1);
	/* the untouched packet still is fine: nothing moved the window */
	TEST_ASSERT(rx_one(1, ud) == 1, "good packet after bad ones");
	rte_security_session_destroy(ctx, s);
	printf("  %u bad packets, %u flagged failed\n", nb, flagged);
	TEST_ASSERT(st1.rx_auth_failed - st0.rx_auth_failed >=
		full - RTE_ETHER_HDR_LEN - sizeof(struct rte_ipv4_hdr) - 4,
		"auth failures");
	TEST_ASSERT(st1.rx_no_sa - st0.rx_no_sa >= 4, "wrong SPI");
	return TEST_SUCCESS;
}

/* Authentic packets with a bad trailer or inner packet (made by scapy's
 * AES-GCM with a plaintext of our choice).
 */
static int
test_bad_trailer(void)
{
	static const char * const plains[] = {
		/* inner IPv4 (28 bytes), padding 1 3 (not 1 2), pad 2, nh 4 */
		"4500001c0000000040110000c0a80001c0a800020001000200080000"
		"0103" "02" "04",
		/* good padding, next header 17 (UDP) in tunnel mode */
		"4500001c0000000040110000c0a80001c0a800020001000200080000"
		"0102" "02" "11",
		/* pad length 250: more than the payload */
		"4500001c0000000040110000c0a80001c0a800020001000200080000"
		"0102" "fa" "04",
		/* inner total length 60 > 28 bytes there */
		"4500003c0000000040110000c0a80001c0a800020001000200080000"
		"0102" "02" "04",
		/* inner version 6 with next header 4 */
		"6500001c0000000040110000c0a80001c0a800020001000200080000"
		"0102" "02" "04",
	};
	char path[] = "/tmp/swi_proto_rawXXXXXX";
	static char *ans[8];
	static uint8_t ip[256], fr[300];
	struct rte_security_sw_inline_stats st0, st1;
	unsigned int flagged = 0, i;
	struct swi_sa sa;
	FILE *jobs;
	void *s;
	int fd, n, ret = TEST_FAILED;

	if (!have_scapy())
		TEST_SKIP("no scapy for " PY);
	swi_sa_default(&sa, 0x8500, 16, true, false);
	fd = mkstemp(path);
	TEST_ASSERT(fd >= 0 && (jobs = fdopen(fd, "w")) != NULL, "jobs");
	sa_line(jobs, 1, &sa);
	for (i = 0; i < RTE_DIM(plains); i++)
		fprintf(jobs, "RAW 1 %u %s\n", i + 1, plains[i]);
	/* and a good one, last: the same path accepts it */
	fprintf(jobs, "RAW 1 9 %s\n", "4500001c0000000040110000c0a80001"
		"c0a800020001000200080000" "0102" "02" "04");
	fclose(jobs);
	n = scapy_run(path, ans, 8);
	unlink(path);
	TEST_ASSERT(n == (int)RTE_DIM(plains) + 1, "scapy answered %d", n);
	s = proto_sess(&sa, false, 0x99, NULL);
	if (s == NULL)
		goto out;
	rte_security_sw_inline_stats_get(env.pa, &st0);
	for (i = 0; i < RTE_DIM(plains); i++) {
		uint32_t len = unhex(ans[i] + 3, ip, sizeof(ip));

		len = eth_wrap(ip, len, fr);
		if (strncmp(ans[i], "OK ", 3) != 0 ||
				rx_never_valid(fr, len, &flagged) != 0) {
			printf("  plaintext %u accepted\n", i);
			goto out;
		}
	}
	rte_security_sw_inline_stats_get(env.pa, &st1);
	if (flagged != RTE_DIM(plains) || st1.rx_bad_trailer -
			st0.rx_bad_trailer != RTE_DIM(plains)) {
		printf("  %u flagged, %" PRIu64 " bad trailers\n", flagged,
			st1.rx_bad_trailer - st0.rx_bad_trailer);
		goto out;
	}
	{
		uint32_t len = unhex(ans[i] + 3, ip, sizeof(ip));
		struct rte_mbuf *m = pkt_from(fr, eth_wrap(ip, len, fr));

		if (m == NULL)
			goto out;
		rte_security_sw_inline_rx_process(ctx, &m, 1);
		len = swi_bytes(m, RTE_ETHER_HDR_LEN, fr, sizeof(fr));
		if ((m->ol_flags & RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED) ||
				len != 28) {
			printf("  good one: flags %#" PRIx64 ", %u bytes\n",
				m->ol_flags, len);
			rte_pktmbuf_free(m);
			goto out;
		}
		rte_pktmbuf_free(m);
	}
	ret = TEST_SUCCESS;
out:
	if (s != NULL)
		rte_security_session_destroy(ctx, s);
	answers_free(ans, n);
	return ret;
}

/* Egress packets that cannot be encapsulated are refused, never sent. */
static int
test_tx_refused(void)
{
	struct rte_security_sw_inline_stats st0, st1;
	struct rte_mbuf *mb[3];
	struct swi_sa sa;
	uint16_t left;
	void *s;

	swi_sa_default(&sa, 0x8600, 16, true, false);
	s = proto_sess(&sa, true, 1, NULL);
	TEST_ASSERT(s != NULL, "session");
	mb[0] = swi_inner_pkt(env.mp, false, 10, 0);
	mb[1] = swi_inner_pkt(env.mp, false, 10, 1);
	mb[2] = swi_inner_pkt(env.mp, false, 10, 2);
	TEST_ASSERT(mb[0] != NULL && mb[1] != NULL && mb[2] != NULL,
		"alloc");
	/* no headroom; an IP length beyond the packet; a good one */
	{
		uint8_t tmp[64];
		uint32_t l = swi_bytes(mb[0], 0, tmp, sizeof(tmp));

		rte_pktmbuf_reset(mb[0]);
		mb[0]->data_off = 0;
		memcpy(rte_pktmbuf_append(mb[0], l), tmp, l);
	}
	rte_pktmbuf_mtod_offset(mb[1], struct rte_ipv4_hdr *,
		RTE_ETHER_HDR_LEN)->total_length = RTE_BE16(1000);
	for (left = 0; left < 3; left++) {
		mb[left]->ol_flags |= RTE_MBUF_F_TX_SEC_OFFLOAD;
		rte_security_set_pkt_metadata(ctx, s, mb[left], NULL);
	}
	rte_security_sw_inline_stats_get(env.pa, &st0);
	left = rte_security_sw_inline_tx_process(ctx, mb, 3);
	rte_security_sw_inline_stats_get(env.pa, &st1);
	rte_pktmbuf_free_bulk(mb, 3);
	rte_security_session_destroy(ctx, s);
	TEST_ASSERT_EQ(left, 1, "sent");
	TEST_ASSERT_EQ(st1.tx_no_room - st0.tx_no_room, 1, "tx_no_room");
	TEST_ASSERT_EQ(st1.tx_malformed - st0.tx_malformed, 1,
		"tx_malformed");
	return TEST_SUCCESS;
}

static int
proto_setup(void)
{
	struct rte_secpath_conf conf = { .max_sa = 64,
		.socket_id = SOCKET_ID_ANY };
	int ret = swi_suite_setup(1, false, true);

	if (ret != TEST_SUCCESS)
		return ret;
	TEST_ASSERT(rte_secpath_init(&conf) == 0 &&
		rte_mbuf_extension_pool_create(1024, 0, SOCKET_ID_ANY) == 0,
		"secpath: %s", rte_strerror(rte_errno));
	TEST_ASSERT(rte_security_sw_inline_event_callback_register(env.pa,
		ev_cb, NULL) == 0, "event callback");
	TEST_ASSERT(rte_security_sw_inline_event_callback_register(env.pa,
		ev_cb, NULL) == -EEXIST, "second callback");
	return TEST_SUCCESS;
}

static void
proto_teardown(void)
{
	rte_security_sw_inline_event_callback_register(env.pa, NULL, NULL);
	free(set.b);
	set.b = NULL;
	rte_secpath_fini();
	swi_suite_teardown();
	rte_mbuf_extension_pool_free();
}

static struct unit_test_suite proto_suite = {
	.name = "sw_inline_proto",
	.setup = proto_setup,
	.teardown = proto_teardown,
	.snapshot = test_clean_snapshot,
	.check = test_clean_check,
	.cases = {
		TEST_CASE(test_caps),
		TEST_CASE(test_scapy_interop),
		TEST_CASE(test_replay_64),
		TEST_CASE(test_replay_1024),
		TEST_CASE(test_replay_esn_wrap),
		TEST_CASE(test_lifetime_packets),
		TEST_CASE(test_lifetime_bytes),
		TEST_CASE(test_seq_overflow),
		TEST_CASE(test_truncated_tampered),
		TEST_CASE(test_bad_trailer),
		TEST_CASE(test_tx_refused),
		TEST_CASE(test_unbind),
		TEST_CASES_END()
	}
};

REGISTER_TEST_SUITE(proto_suite);
