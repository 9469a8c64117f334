/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * sw_inline_bench: packets per second on one core for IPsec ESP AES-128-GCM
 * tunnel encryption and decryption, through the sw_inline provider (inline
 * crypto and inline protocol sessions on an ethdev port) and, on packets of
 * the same sizes in the same run, through DPDK's lookaside path
 * (librte_ipsec + crypto_aesni_gcm).
 *
 * Every path does all an application does per burst of 32:
 *   encrypt, inline:    rebuild the plain packets, rte_ipsec_pkt_process()
 *                       (INLINE_CRYPTO: ESP framing), rte_eth_tx_burst() on
 *                       the bound port (the provider encrypts), receive them
 *                       back from the peer ring port;
 *   encrypt, proto:     rebuild the plain packets, set
 *                       RTE_MBUF_F_TX_SEC_OFFLOAD and the session's
 *                       metadata (INLINE_PROTOCOL: no librte_ipsec), TX on
 *                       the bound port (the provider adds the whole ESP),
 *                       RX on the peer;
 *   encrypt, lookaside: rebuild, rte_ipsec_pkt_crypto_prepare(), cryptodev
 *                       enqueue/dequeue, rte_ipsec_pkt_process(), the same
 *                       TX/RX on an unbound port pair;
 *   decrypt, inline:    rebuild the ESP packets, TX on the peer, RX on the
 *                       bound port (the provider decrypts),
 *                       rte_ipsec_pkt_process() (strips the framing);
 *   decrypt, proto:     rebuild the ESP packets, TX on the peer, RX on the
 *                       bound port (the provider decrypts and
 *                       decapsulates);
 *   decrypt, lookaside: rebuild, TX/RX on the unbound pair, prepare,
 *                       cryptodev, process.
 * The packets are rebuilt from a template each time (the same cost in every
 * path); the replay window is off (replay_win_sz 0, in librte_ipsec and in
 * the provider's inline protocol sessions) so that the same ESP packets can
 * be decrypted again. The ESP template of the inline crypto and lookaside
 * paths is made by the lookaside path; the inline protocol sessions have
 * their own SPI (two ingress sessions of a port cannot share SPI and
 * destination), and their ESP template, of the same length, is made once
 * by the egress inline protocol session.
 *
 * Checks: librte_ipsec checks what the inline crypto and lookaside paths
 * produce (ICV, trailer; a burst that loses a packet fails). The inline
 * protocol paths have no librte_ipsec, so each burst checks its output:
 * encrypted packets have the ESP length of the lookaside template, no
 * RTE_MBUF_F_TX_SEC_OFFLOAD left, the outer IPv4 header, the SPI and the
 * next sequence numbers; decrypted packets have RTE_MBUF_F_RX_SEC_OFFLOAD
 * without _FAILED, the session's userdata in the security dynfield, the
 * template's length and headers, and one packet a burst is compared whole.
 * In the untimed warm-up and one burst after each timed run, every
 * decrypted packet is compared whole with the template and every encrypted
 * one is decrypted by a lookaside session and compared. A path that fails
 * a check stops the benchmark: it reports no figure.
 *
 * Each figure is the median of ROUNDS rounds in which the six paths take
 * turns, each for `seconds` (default 0.2).
 *
 * Usage: sw_inline_bench <EAL args> --vdev crypto_aesni_gcm0 [-- seconds]
 * e.g.   sw_inline_bench --no-huge -m 1024 --no-pci --no-shconf -l 0 \
 *            --vdev crypto_aesni_gcm0
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_cryptodev.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_esp.h>
#include <rte_ethdev.h>
#include <rte_eth_ring.h>
#include <rte_ip.h>
#include <rte_ipsec.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_security.h>
#include <rte_security_driver.h>
#include <rte_udp.h>
#include <rte_version.h>

#include "rte_security_sw_inline.h"

#define BURST 32
#define ROUNDS 5
#define IV_OFS (sizeof(struct rte_crypto_op) + sizeof(struct rte_crypto_sym_op))
/* SPIs: inline crypto and lookaside SAs, inline protocol SAs */
#define SPI 0x1234
#define SPI_PROTO 0x1235
/* userdata of the ingress inline protocol session */
#define USERDATA UINT64_C(0x5e55107a)

static const uint16_t sizes[] = { 64, 512, 1400 };

static struct rte_mempool *mp, *cs_mp, *cop_mp, *sess_mp;
static uint16_t port_a, port_b, port_c, port_d;
static uint8_t cdev;
static struct rte_security_ctx *ctx;
static double seconds = 0.2;

static const uint8_t key[16] = {
	0x3c, 0x81, 0x9d, 0x9a, 0x9b, 0xed, 0x08, 0x76,
	0x15, 0x03, 0x0b, 0x65, 0xc6, 0x21, 0x36, 0x6e };
static const uint8_t salt[4] = { 0xca, 0xfe, 0xba, 0xbe };

struct sess {
	struct rte_ipsec_session ss;
	struct rte_crypto_sym_xform xf;
	uint8_t hdr[64];
	void *s;
	rte_be32_t spi;
	uint32_t seq;	/* egress inline protocol: the next number sent */
};

static int
port_pair(const char *na, const char *nb, uint16_t *pa, uint16_t *pb)
{
	struct rte_ring *r1, *r2;
	struct rte_eth_conf conf;
	char name[32];
	uint16_t p[2];
	int i, ret;

	snprintf(name, sizeof(name), "%s_r", na);
	r1 = rte_ring_create(name, 1024, rte_socket_id(), 0);
	snprintf(name, sizeof(name), "%s_r", nb);
	r2 = rte_ring_create(name, 1024, rte_socket_id(), 0);
	if (r1 == NULL || r2 == NULL)
		return -1;
	ret = rte_eth_from_rings(na, &r2, 1, &r1, 1, rte_socket_id());
	if (ret < 0)
		return -1;
	p[0] = ret;
	ret = rte_eth_from_rings(nb, &r1, 1, &r2, 1, rte_socket_id());
	if (ret < 0)
		return -1;
	p[1] = ret;
	memset(&conf, 0, sizeof(conf));
	for (i = 0; i < 2; i++) {
		if (rte_eth_dev_configure(p[i], 1, 1, &conf) != 0 ||
				rte_eth_rx_queue_setup(p[i], 0, 1024,
					rte_socket_id(), NULL, mp) != 0 ||
				rte_eth_tx_queue_setup(p[i], 0, 1024,
					rte_socket_id(), NULL) != 0 ||
				rte_eth_dev_start(p[i]) != 0)
			return -1;
	}
	*pa = p[0];
	*pb = p[1];
	return 0;
}

/*
 * An SA: type NONE is a lookaside librte_ipsec session, INLINE_CRYPTO a
 * librte_ipsec session on the provider, INLINE_PROTOCOL a provider session
 * only.
 */
static int
sess_init(struct sess *s, bool egress,
		enum rte_security_session_action_type type, uint32_t spi)
{
	struct rte_ipsec_sa_prm prm;
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)s->hdr;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_ipsec_sa *sa;
	int sz;

	memset(s, 0, sizeof(*s));
	memset(&prm, 0, sizeof(prm));
	s->xf.type = RTE_CRYPTO_SYM_XFORM_AEAD;
	s->xf.aead.algo = RTE_CRYPTO_AEAD_AES_GCM;
	s->xf.aead.op = egress ? RTE_CRYPTO_AEAD_OP_ENCRYPT :
		RTE_CRYPTO_AEAD_OP_DECRYPT;
	s->xf.aead.key.data = key;
	s->xf.aead.key.length = sizeof(key);
	s->xf.aead.iv.offset = IV_OFS;
	s->xf.aead.iv.length = 12;
	s->xf.aead.digest_length = 16;
	s->xf.aead.aad_length = 8;
	prm.ipsec_xform.spi = spi;
	memcpy(&prm.ipsec_xform.salt, salt, 4);
	prm.ipsec_xform.direction = egress ?
		RTE_SECURITY_IPSEC_SA_DIR_EGRESS :
		RTE_SECURITY_IPSEC_SA_DIR_INGRESS;
	prm.ipsec_xform.proto = RTE_SECURITY_IPSEC_SA_PROTO_ESP;
	prm.ipsec_xform.mode = RTE_SECURITY_IPSEC_SA_MODE_TUNNEL;
	prm.ipsec_xform.tunnel.type = RTE_SECURITY_IPSEC_TUNNEL_IPV4;
	prm.ipsec_xform.tunnel.ipv4.src_ip.s_addr = RTE_BE32(0x0a000001);
	prm.ipsec_xform.tunnel.ipv4.dst_ip.s_addr = RTE_BE32(0x0a000002);
	prm.ipsec_xform.replay_win_sz = 0;
	prm.crypto_xform = &s->xf;
	memset(&eth->dst_addr, 2, 6);
	memset(&eth->src_addr, 4, 6);
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_ESP;
	ip->src_addr = RTE_BE32(0x0a000001);
	ip->dst_addr = RTE_BE32(0x0a000002);
	prm.tun.hdr = s->hdr;
	prm.tun.hdr_len = sizeof(*eth) + sizeof(*ip);
	prm.tun.hdr_l3_off = sizeof(*eth);
	prm.tun.next_proto = IPPROTO_IPIP;
	s->spi = rte_cpu_to_be_32(spi);
	s->seq = 1;
	if (type == RTE_SECURITY_ACTION_TYPE_INLINE_PROTOCOL) {
		struct rte_security_session_conf sc;

		/* replay_win_sz 0 (above): no anti-replay check */
		memset(&sc, 0, sizeof(sc));
		sc.action_type = type;
		sc.protocol = RTE_SECURITY_PROTOCOL_IPSEC;
		sc.ipsec = prm.ipsec_xform;
		sc.crypto_xform = &s->xf;
		sc.userdata = (void *)(uintptr_t)USERDATA;
		s->s = rte_security_session_create(ctx, &sc, sess_mp);
		return s->s != NULL ? 0 : -1;
	}
	sz = rte_ipsec_sa_size(&prm);
	sa = sz > 0 ? rte_zmalloc(NULL, sz, RTE_CACHE_LINE_SIZE) : NULL;
	if (sa == NULL || rte_ipsec_sa_init(sa, &prm, sz) < 0)
		return -1;
	s->ss.sa = sa;
	if (type == RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO) {
		struct rte_security_session_conf sc;

		memset(&sc, 0, sizeof(sc));
		sc.action_type = RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO;
		sc.protocol = RTE_SECURITY_PROTOCOL_IPSEC;
		sc.ipsec = prm.ipsec_xform;
		sc.crypto_xform = &s->xf;
		s->s = rte_security_session_create(ctx, &sc, sess_mp);
		if (s->s == NULL)
			return -1;
		s->ss.type = RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO;
		s->ss.security.ses = s->s;
		s->ss.security.ctx = ctx;
		s->ss.security.ol_flags = egress ?
			RTE_SECURITY_TX_OLOAD_NEED_MDATA : 0;
	} else {
		s->s = rte_cryptodev_sym_session_create(cdev, &s->xf, cs_mp);
		if (s->s == NULL)
			return -1;
		s->ss.type = RTE_SECURITY_ACTION_TYPE_NONE;
		s->ss.crypto.ses = s->s;
		s->ss.crypto.dev_id = cdev;
	}
	return rte_ipsec_session_prepare(&s->ss);
}

/* Plain packet of frame length len: Ethernet + IPv4 + UDP + payload. */
static uint16_t
plain_template(uint8_t *t, uint16_t len)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)t;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	uint16_t i;

	memset(t, 0, len);
	memset(&eth->dst_addr, 2, 6);
	memset(&eth->src_addr, 4, 6);
	eth->ether_type = RTE_BE16(RTE_ETHER_TYPE_IPV4);
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->total_length = rte_cpu_to_be_16(len - sizeof(*eth));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = RTE_BE32(0xc0a80001);
	ip->dst_addr = RTE_BE32(0xc0a80002);
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = RTE_BE16(1000);
	udp->dst_port = RTE_BE16(2000);
	udp->dgram_len = rte_cpu_to_be_16(len - sizeof(*eth) - sizeof(*ip));
	for (i = sizeof(*eth) + sizeof(*ip) + sizeof(*udp); i < len; i++)
		t[i] = (uint8_t)i;
	return len;
}

static inline void
rebuild(struct rte_mbuf **mb, const uint8_t *t, uint16_t len, bool plain)
{
	unsigned int i;

	for (i = 0; i < BURST; i++) {
		struct rte_mbuf *m = mb[i];

		rte_pktmbuf_reset(m);
		rte_memcpy(rte_pktmbuf_append(m, len), t, len);
		m->l2_len = RTE_ETHER_HDR_LEN;
		m->l3_len = sizeof(struct rte_ipv4_hdr);
		if (!plain)
			m->l2_len = m->l3_len = 0;
	}
}

/* Wire TX then RX on a port pair; the same mbufs come back. */
static inline int
wire(uint16_t tx, uint16_t rx, struct rte_mbuf **mb, uint16_t n)
{
	uint16_t s = rte_eth_tx_burst(tx, 0, mb, n), r;

	r = rte_eth_rx_burst(rx, 0, mb, BURST);
	return s == n && r == n ? 0 : -1;
}

static inline int
lookaside(struct sess *s, struct rte_mbuf **mb, uint16_t n)
{
	struct rte_crypto_op *cop[BURST];
	uint16_t k, e = 0, d = 0;

	if (rte_crypto_op_bulk_alloc(cop_mp, RTE_CRYPTO_OP_TYPE_SYMMETRIC,
			cop, n) == 0)
		return -1;
	k = rte_ipsec_pkt_crypto_prepare(&s->ss, mb, cop, n);
	if (k != n)
		return -1;
	while (e < k)
		e += rte_cryptodev_enqueue_burst(cdev, 0, cop + e, k - e);
	while (d < k)
		d += rte_cryptodev_dequeue_burst(cdev, 0, cop + d, k - d);
	for (k = 0; k < n; k++)
		mb[k] = cop[k]->sym->m_src;
	rte_mempool_put_bulk(cop_mp, (void **)cop, n);
	return rte_ipsec_pkt_process(&s->ss, mb, n) == n ? 0 : -1;
}

enum path {
	ENC_INLINE, ENC_PROTO, ENC_LOOKASIDE,
	DEC_INLINE, DEC_PROTO, DEC_LOOKASIDE,
	NB_PATHS
};

static const char * const path_name[NB_PATHS] = {
	"sw_inline", "sw_inl_proto", "lookaside",
	"sw_inline", "sw_inl_proto", "lookaside",
};

/* A path at a size; plain, plen, elen, ref: for the inline protocol checks */
struct run {
	struct sess *s;
	const uint8_t *t;	/* the packets sent */
	uint16_t len;
	const uint8_t *plain;	/* the plain template */
	uint16_t plen;
	uint16_t elen;		/* the length of its ESP packets */
	struct sess *ref;	/* lookaside SA decrypting what s encrypts */
};

/* Ethernet, IPv4 and UDP headers of a plain packet */
#define HDRS (RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr) + \
	sizeof(struct rte_udp_hdr))

/*
 * Inline protocol, encrypt: each packet back from the peer is an ESP
 * packet of s, of the length elen of the lookaside ESP template, the
 * offload flag cleared, with the next sequence number.
 */
static inline int
esp_check(struct sess *s, struct rte_mbuf **mb, uint16_t n, uint16_t elen)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct rte_mbuf *m = mb[i];
		const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m,
			const struct rte_ether_hdr *);
		const struct rte_ipv4_hdr *ip = (const void *)(eth + 1);
		const struct rte_esp_hdr *esp = (const void *)(ip + 1);

		if (m->pkt_len != elen || m->data_len != elen ||
				(m->ol_flags & RTE_MBUF_F_TX_SEC_OFFLOAD) ||
				eth->ether_type !=
					RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
				ip->version_ihl != RTE_IPV4_VHL_DEF ||
				ip->next_proto_id != IPPROTO_ESP ||
				ip->total_length != rte_cpu_to_be_16(elen -
					RTE_ETHER_HDR_LEN) ||
				ip->dst_addr != RTE_BE32(0x0a000002) ||
				esp->spi != s->spi ||
				esp->seq != rte_cpu_to_be_32(s->seq))
			return -1;
		s->seq++;
	}
	return 0;
}

/*
 * Inline protocol, encrypt, whole check: a lookaside session (not the
 * provider's code) decrypts the burst; each inner packet must be the
 * plain template's (librte_ipsec leaves the inner IP packet of a tunnel).
 */
static int
esp_verify(struct sess *ref, struct rte_mbuf **mb, const uint8_t *plain,
		uint16_t len)
{
	uint16_t ilen = len - RTE_ETHER_HDR_LEN;
	unsigned int i;

	for (i = 0; i < BURST; i++) {
		mb[i]->l2_len = RTE_ETHER_HDR_LEN;
		mb[i]->l3_len = sizeof(struct rte_ipv4_hdr);
	}
	if (lookaside(ref, mb, BURST) != 0)
		return -1;
	for (i = 0; i < BURST; i++)
		if (mb[i]->pkt_len != ilen || mb[i]->data_len != ilen ||
				memcmp(rte_pktmbuf_mtod(mb[i], void *),
					plain + RTE_ETHER_HDR_LEN, ilen) != 0)
			return -1;
	return 0;
}

/*
 * Inline protocol, decrypt: each packet is flagged decrypted and not
 * failed, carries the session's userdata, has the template's length and
 * headers; one packet a burst (each in turn), or all if full, is compared
 * whole with the template.
 */
static inline int
plain_check(struct rte_mbuf **mb, const uint8_t *plain, uint16_t len,
		bool full)
{
	static unsigned int whole;
	unsigned int i;

	for (i = 0; i < BURST; i++) {
		const struct rte_mbuf *m = mb[i];

		if ((m->ol_flags & (RTE_MBUF_F_RX_SEC_OFFLOAD |
				RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED)) !=
				RTE_MBUF_F_RX_SEC_OFFLOAD ||
				*rte_security_dynfield((struct rte_mbuf *)
					(uintptr_t)m) != USERDATA ||
				m->pkt_len != len || m->data_len != len ||
				memcmp(rte_pktmbuf_mtod(m, const void *), plain,
					full || i == whole ? len : HDRS) != 0)
			return -1;
	}
	whole = (whole + 1) % BURST;
	return 0;
}

/* Inline protocol TX: the offload flag and the session's metadata. */
static inline void
proto_mark(struct rte_mbuf **mb, uint16_t n, struct sess *s)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		mb[i]->ol_flags |= RTE_MBUF_F_TX_SEC_OFFLOAD;
		rte_security_set_pkt_metadata(ctx, s->s, mb[i], NULL);
	}
}

/* One burst of a path; full: check the inline protocol output whole. */
static inline int
one_burst(enum path p, const struct run *r, struct rte_mbuf **mb, bool full)
{
	switch (p) {
	case ENC_INLINE:
		rebuild(mb, r->t, r->len, true);
		if (rte_ipsec_pkt_process(&r->s->ss, mb, BURST) != BURST)
			return -1;
		return wire(port_a, port_b, mb, BURST);
	case ENC_PROTO:
		rebuild(mb, r->t, r->len, true);
		proto_mark(mb, BURST, r->s);
		if (wire(port_a, port_b, mb, BURST) != 0 ||
				esp_check(r->s, mb, BURST, r->elen) != 0)
			return -1;
		return full ? esp_verify(r->ref, mb, r->plain, r->plen) : 0;
	case ENC_LOOKASIDE:
		rebuild(mb, r->t, r->len, true);
		if (lookaside(r->s, mb, BURST) != 0)
			return -1;
		return wire(port_c, port_d, mb, BURST);
	case DEC_INLINE:
		rebuild(mb, r->t, r->len, false);
		if (wire(port_b, port_a, mb, BURST) != 0)
			return -1;
		return rte_ipsec_pkt_process(&r->s->ss, mb, BURST) == BURST ?
			0 : -1;
	case DEC_PROTO:
		rebuild(mb, r->t, r->len, false);
		if (wire(port_b, port_a, mb, BURST) != 0)
			return -1;
		return plain_check(mb, r->plain, r->plen, full);
	case DEC_LOOKASIDE:
		rebuild(mb, r->t, r->len, false);
		if (wire(port_d, port_c, mb, BURST) != 0)
			return -1;
		for (unsigned int i = 0; i < BURST; i++) {
			mb[i]->l2_len = RTE_ETHER_HDR_LEN;
			mb[i]->l3_len = sizeof(struct rte_ipv4_hdr);
		}
		return lookaside(r->s, mb, BURST);
	default:
		break;
	}
	return -1;
}

/* Run a path for about `seconds`; return cycles per packet. */
static double
measure(enum path p, const struct run *r, struct rte_mbuf **mb,
		uint64_t *pkts)
{
	uint64_t hz = rte_get_tsc_hz(), t0, t, n = 0;
	unsigned int i;

	/* warm up (the first bursts checked whole) */
	for (i = 0; i < 256; i++)
		if (one_burst(p, r, mb, i < 16) != 0)
			return -1;
	t0 = rte_rdtsc_precise();
	do {
		for (i = 0; i < 64; i++)
			if (one_burst(p, r, mb, false) != 0)
				return -1;
		n += 64 * BURST;
		t = rte_rdtsc_precise();
	} while ((double)(t - t0) < seconds * hz);
	/* and one burst checked whole after the timed ones */
	if (one_burst(p, r, mb, true) != 0)
		return -1;
	*pkts = n;
	return (double)(t - t0) / n;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void
machine(void)
{
	char line[256];
	FILE *f = fopen("/proc/cpuinfo", "r");

	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "model name", 10) == 0) {
			char *c = strchr(line, ':');

			printf("machine: %s", c != NULL ? c + 2 : line);
			break;
		}
	}
	if (f != NULL)
		fclose(f);
	printf("%s, TSC %.3f GHz, one core (lcore %u), bursts of %u\n",
		rte_version(), rte_get_tsc_hz() / 1e9, rte_lcore_id(), BURST);
}

/* Make the ESP template of a size with the lookaside path. */
static uint16_t
esp_template(struct sess *enc, const uint8_t *plain, uint16_t len,
		uint8_t *out, struct rte_mbuf **mb)
{
	struct rte_mbuf *m = mb[0];
	struct rte_ipv4_hdr *ip;
	uint16_t l;

	rte_pktmbuf_reset(m);
	rte_memcpy(rte_pktmbuf_append(m, len), plain, len);
	m->l2_len = RTE_ETHER_HDR_LEN;
	m->l3_len = sizeof(struct rte_ipv4_hdr);
	if (lookaside(enc, &m, 1) != 0)
		return 0;
	mb[0] = m;
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *,
		RTE_ETHER_HDR_LEN);
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	l = rte_pktmbuf_data_len(m);
	memcpy(out, rte_pktmbuf_mtod(m, void *), l);
	return l;
}

/*
 * Make the ESP template of the inline protocol SAs (their SPI) with the
 * egress inline protocol session: one packet, which must have the length
 * elen of the lookaside template.
 */
static uint16_t
esp_proto_template(struct sess *enc, const uint8_t *plain, uint16_t len,
		uint16_t elen, uint8_t *out, struct rte_mbuf **mb)
{
	struct rte_mbuf *m = mb[0];

	rte_pktmbuf_reset(m);
	rte_memcpy(rte_pktmbuf_append(m, len), plain, len);
	proto_mark(&m, 1, enc);
	if (wire(port_a, port_b, mb, 1) != 0 ||
			esp_check(enc, mb, 1, elen) != 0)
		return 0;
	memcpy(out, rte_pktmbuf_mtod(mb[0], void *), elen);
	return elen;
}

int
main(int argc, char **argv)
{
	static uint8_t plain[2048], esp[2048], esp_pr[2048];
	struct rte_cryptodev_config cc = { .socket_id = SOCKET_ID_ANY,
		.nb_queue_pairs = 1 };
	struct rte_cryptodev_qp_conf qc = { .nb_descriptors = 2048 };
	const enum rte_security_session_action_type
		la = RTE_SECURITY_ACTION_TYPE_NONE,
		ic = RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO,
		ip = RTE_SECURITY_ACTION_TYPE_INLINE_PROTOCOL;
	struct sess enc_in, enc_la, dec_in, dec_la, enc_pr, dec_pr, dec_lp;
	struct rte_mbuf *mb[BURST];
	double cyc[NB_PATHS], all[NB_PATHS][ROUNDS];
	uint64_t pkts;
	unsigned int i, p, k;
	int ret, dev;

	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		return EXIT_FAILURE;
	if (argc - ret > 1)
		seconds = atof(argv[ret + 1]);
	mp = rte_pktmbuf_pool_create("bench_mp", 8191, 256, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	cop_mp = rte_crypto_op_pool_create("bench_cop",
		RTE_CRYPTO_OP_TYPE_SYMMETRIC, 4096, 128, 16, rte_socket_id());
	dev = rte_cryptodev_get_dev_id("crypto_aesni_gcm0");
	/* Without --vdev crypto_aesni_gcm0, create the baseline device. */
	if (dev < 0 && rte_vdev_init("crypto_aesni_gcm0", NULL) == 0)
		dev = rte_cryptodev_get_dev_id("crypto_aesni_gcm0");
	if (mp == NULL || cop_mp == NULL || dev < 0) {
		printf("setup failed (no crypto_aesni_gcm0 device)\n");
		return EXIT_FAILURE;
	}
	cdev = dev;
	cs_mp = rte_cryptodev_sym_session_pool_create("bench_cs", 16,
		rte_cryptodev_sym_get_private_session_size(cdev), 0, 0,
		rte_socket_id());
	qc.mp_session = cs_mp;
	if (cs_mp == NULL || rte_cryptodev_configure(cdev, &cc) != 0 ||
			rte_cryptodev_queue_pair_setup(cdev, 0, &qc,
				SOCKET_ID_ANY) != 0 ||
			rte_cryptodev_start(cdev) != 0 ||
			port_pair("bench_a", "bench_b", &port_a, &port_b) ||
			port_pair("bench_c", "bench_d", &port_c, &port_d)) {
		printf("setup failed\n");
		return EXIT_FAILURE;
	}
	ctx = rte_security_sw_inline_bind(port_a, NULL);
	if (ctx == NULL) {
		printf("bind failed: %s\n", rte_strerror(rte_errno));
		return EXIT_FAILURE;
	}
	sess_mp = rte_mempool_create("bench_sess", 15,
		sizeof(struct rte_security_session) +
		rte_security_session_get_size(ctx), 0, 0, NULL, NULL, NULL,
		NULL, rte_socket_id(), 0);
	if (sess_mp == NULL || sess_init(&enc_in, true, ic, SPI) != 0 ||
			sess_init(&enc_la, true, la, SPI) != 0 ||
			sess_init(&dec_in, false, ic, SPI) != 0 ||
			sess_init(&dec_la, false, la, SPI) != 0 ||
			sess_init(&enc_pr, true, ip, SPI_PROTO) != 0 ||
			sess_init(&dec_pr, false, ip, SPI_PROTO) != 0 ||
			/* the reference that checks enc_pr's output */
			sess_init(&dec_lp, false, la, SPI_PROTO) != 0 ||
			rte_pktmbuf_alloc_bulk(mp, mb, BURST) != 0) {
		printf("session setup failed\n");
		return EXIT_FAILURE;
	}
	machine();
	printf("ESP tunnel IPv4, AES-128-GCM, size = plain Ethernet frame; "
		"median of %u interleaved rounds of %.2f s per path\n\n",
		ROUNDS, seconds);
	printf("%-5s %-8s %12s %12s %12s %10s %8s\n", "size", "op",
		"path", "Mpps", "ns/pkt", "cyc/pkt", "ratio");
	for (i = 0; i < RTE_DIM(sizes); i++) {
		uint16_t len = plain_template(plain, sizes[i]), elen;
		struct run r[NB_PATHS];

		elen = esp_template(&enc_la, plain, len, esp, mb);
		if (elen == 0 || esp_proto_template(&enc_pr, plain, len, elen,
				esp_pr, mb) != elen) {
			printf("template failed\n");
			return EXIT_FAILURE;
		}
		r[ENC_INLINE] = (struct run){ &enc_in, plain, len };
		r[ENC_PROTO] = (struct run){ &enc_pr, plain, len, plain, len,
			elen, &dec_lp };
		r[ENC_LOOKASIDE] = (struct run){ &enc_la, plain, len };
		r[DEC_INLINE] = (struct run){ &dec_in, esp, elen };
		r[DEC_PROTO] = (struct run){ &dec_pr, esp_pr, elen, plain, len,
			elen, NULL };
		r[DEC_LOOKASIDE] = (struct run){ &dec_la, esp, elen };
		/* ROUNDS interleaved rounds of the six paths; the median
		 * of each path, so that a slow moment of the machine does not
		 * land on one path only
		 */
		for (k = 0; k < ROUNDS; k++) {
			for (p = 0; p < NB_PATHS; p++) {
				all[p][k] = measure(p, &r[p], mb, &pkts);
				if (all[p][k] < 0) {
					printf("%s %s failed at size %u\n",
						p < DEC_INLINE ? "encrypt" :
						"decrypt", path_name[p],
						sizes[i]);
					return EXIT_FAILURE;
				}
			}
		}
		for (p = 0; p < NB_PATHS; p++) {
			qsort(all[p], ROUNDS, sizeof(double), cmp_double);
			cyc[p] = all[p][ROUNDS / 2];
		}
		for (p = 0; p < NB_PATHS; p++) {
			double ns = cyc[p] * 1e9 / rte_get_tsc_hz();
			unsigned int la = p < DEC_INLINE ? ENC_LOOKASIDE :
				DEC_LOOKASIDE;

			printf("%-5u %-8s %12s %12.2f %12.1f %10.0f ",
				sizes[i],
				p < DEC_INLINE ? "encrypt" : "decrypt",
				path_name[p], 1e3 / ns, ns, cyc[p]);
			if (p != la)
				printf("%7.2fx\n", cyc[la] / cyc[p]);
			else
				printf("%8s\n", "1.00x");
		}
	}
	printf("\nsw_inline: inline crypto session + librte_ipsec; "
		"sw_inl_proto: inline protocol session, no librte_ipsec\n"
		"ratio: Mpps of the path / Mpps of lookaside "
		"(crypto_aesni_gcm) for packets of the same size\n");
	rte_pktmbuf_free_bulk(mb, BURST);
	return EXIT_SUCCESS;
}
