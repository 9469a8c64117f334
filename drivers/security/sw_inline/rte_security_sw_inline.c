/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * Software inline-crypto IPsec provider: an rte_security context bound to an
 * ethdev port through RX/TX callbacks. See rte_security_sw_inline.h.
 *
 * Crypto: intel-ipsec-mb's direct AES-GCM API. Its functions are reached
 * through the function pointers of an IMB_MGR, which the direct API does
 * not otherwise use (the state lives in the caller's gcm_context_data): one
 * manager, set up once, serves all lcores.
 */

/*
 * rte_security_dynfield_register() is internal to DPDK: a security
 * provider registers the security dynfield, as inline PMDs do.
 */
#define ALLOW_INTERNAL_API

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#include <intel-ipsec-mb.h>

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_cryptodev.h>
#include <rte_errno.h>
#include <rte_esp.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_security.h>
#include <rte_security_driver.h>
#include <rte_spinlock.h>
#include <rte_telemetry.h>
#include <rte_vect.h>

#include "rte_security_sw_inline.h"
#include "sw_inline_compat.h"

#ifdef RTE_SECURITY_SW_INLINE_SECPATH
#include <rte_secpath.h>
#endif

RTE_LOG_REGISTER_DEFAULT(swi_logtype, NOTICE);
#define SWI_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, swi_logtype, "sw_inline: " fmt "\n", \
		##__VA_ARGS__)

#define SWI_ICV_LEN 16
#define SWI_IV_LEN 8
#define SWI_ESP_HDR_LEN 8
/* ESP header + IV + the smallest encrypted part (4 bytes) + ICV */
#define SWI_ESP_MIN_LEN (SWI_ESP_HDR_LEN + SWI_IV_LEN + 4 + SWI_ICV_LEN)
#define SWI_SESS_MAGIC 0x53574931u /* "SWI1" */
#define SWI_DEFAULT_WIN 64
#define SWI_MAX_SEGS 1024

/* Port counters, by index. */
enum {
	SWI_RX_DECRYPTED,
	SWI_RX_AUTH_FAILED,
	SWI_RX_MALFORMED,
	SWI_RX_NO_SA,
	SWI_RX_UNSUPPORTED,
	SWI_RX_OTHER,
	SWI_TX_ENCRYPTED,
	SWI_TX_NO_SA,
	SWI_TX_MALFORMED,
	SWI_TX_OTHER,
	SWI_RX_SECPATH_FAILED,
	SWI_NB_STATS
};

static const char * const swi_stat_names[SWI_NB_STATS] = {
	"rx_decrypted", "rx_auth_failed", "rx_malformed", "rx_no_sa",
	"rx_unsupported", "rx_other", "tx_encrypted", "tx_no_sa",
	"tx_malformed", "tx_other", "rx_secpath_failed",
};

struct swi_lcore_stats {
	uint64_t c[SWI_NB_STATS];
} __rte_cache_aligned;

/* AES-GCM functions for one key size. */
struct swi_gcm_ops {
	aes_gcm_enc_dec_t enc;
	aes_gcm_enc_dec_t dec;
	aes_gcm_init_var_iv_t init;
	aes_gcm_enc_dec_update_t enc_update;
	aes_gcm_enc_dec_update_t dec_update;
	aes_gcm_enc_dec_finalize_t enc_final;
	aes_gcm_enc_dec_finalize_t dec_final;
	aes_gcm_pre_t pre;
};

struct swi_dev;

/* Driver private part of an rte_security_session. */
struct swi_sess {
	struct gcm_key_data key __rte_aligned(64);
	const struct swi_gcm_ops *gcm;
	struct swi_dev *dev;
	struct rte_security_session *sess;
	uint64_t userdata;
	uint64_t esn_top;   /* highest sequence number seen (64 bits) */
	/* counters, updated with relaxed atomics */
	uint64_t ipackets, ibytes, ierrors;
	uint64_t opackets, obytes, oerrors;
	uint32_t magic;
	uint32_t index;     /* slot in dev->sess */
	uint32_t gen;       /* generation, never 0 */
	rte_be32_t spi;
	uint32_t win;       /* replay window, for ESN inference */
	uint8_t salt[4];
	uint8_t dst[16];    /* ingress: destination to match */
	uint8_t ip_ver;     /* ingress: 4, 6, or 0 for any destination */
	uint8_t egress;
	uint8_t esn;
	uint8_t tunnel;
	uint8_t key_len;
};

/* A bound port. */
struct swi_dev {
	struct rte_security_ctx ctx;
	uint16_t port_id;
	uint32_t flags;
	uint32_t max_sess;
	uint32_t gen_next;
	rte_spinlock_t lock;            /* session control path */
	struct swi_sess **sess;         /* by index */
	struct swi_sess **rx_table;     /* open addressing by SPI */
	uint32_t rx_mask;
	uint16_t nb_rxq, nb_txq;
	uint16_t rxq[RTE_MAX_QUEUES_PER_PORT];
	uint16_t txq[RTE_MAX_QUEUES_PER_PORT];
	const struct rte_eth_rxtx_callback *rx_cb[RTE_MAX_QUEUES_PER_PORT];
	const struct rte_eth_rxtx_callback *tx_cb[RTE_MAX_QUEUES_PER_PORT];
	/* RTE_MAX_LCORE slots, then one shared by non-EAL threads */
	struct swi_lcore_stats stats[RTE_MAX_LCORE + 1];
};

/* Deleted entry of an rx_table. */
static struct swi_sess swi_tombstone;
#define SWI_TOMB (&swi_tombstone)

static struct swi_dev *swi_ports[RTE_MAX_ETHPORTS];
static rte_spinlock_t swi_ports_lock = RTE_SPINLOCK_INITIALIZER;
static IMB_MGR *swi_mgr;
static struct swi_gcm_ops swi_gcm128, swi_gcm256;

/*
 * Capabilities.
 */
static const struct rte_cryptodev_capabilities swi_crypto_caps[] = {
	{
		.op = RTE_CRYPTO_OP_TYPE_SYMMETRIC,
		.sym = {
			.xform_type = RTE_CRYPTO_SYM_XFORM_AEAD,
			.aead = {
				.algo = RTE_CRYPTO_AEAD_AES_GCM,
				.block_size = 16,
				.key_size = { .min = 16, .max = 32,
					.increment = 16 },
				.digest_size = { .min = 16, .max = 16,
					.increment = 0 },
				.aad_size = { .min = 8, .max = 12,
					.increment = 4 },
				.iv_size = { .min = 12, .max = 12,
					.increment = 0 },
			},
		},
	},
	{ .op = RTE_CRYPTO_OP_TYPE_UNDEFINED },
};

#define SWI_CAP(m, d, olf) {						\
	.action = RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO,		\
	.protocol = RTE_SECURITY_PROTOCOL_IPSEC,			\
	.ipsec = {							\
		.proto = RTE_SECURITY_IPSEC_SA_PROTO_ESP,		\
		.mode = (m),						\
		.direction = (d),					\
		.options = { .esn = 1 },				\
		.replay_win_sz_max = 0,					\
	},								\
	.crypto_capabilities = swi_crypto_caps,				\
	.ol_flags = (olf),						\
}

static const struct rte_security_capability swi_caps[] = {
	SWI_CAP(RTE_SECURITY_IPSEC_SA_MODE_TUNNEL,
		RTE_SECURITY_IPSEC_SA_DIR_INGRESS, 0),
	SWI_CAP(RTE_SECURITY_IPSEC_SA_MODE_TUNNEL,
		RTE_SECURITY_IPSEC_SA_DIR_EGRESS,
		RTE_SECURITY_TX_OLOAD_NEED_MDATA),
	SWI_CAP(RTE_SECURITY_IPSEC_SA_MODE_TRANSPORT,
		RTE_SECURITY_IPSEC_SA_DIR_INGRESS, 0),
	SWI_CAP(RTE_SECURITY_IPSEC_SA_MODE_TRANSPORT,
		RTE_SECURITY_IPSEC_SA_DIR_EGRESS,
		RTE_SECURITY_TX_OLOAD_NEED_MDATA),
	{ .action = RTE_SECURITY_ACTION_TYPE_NONE },
};

/*
 * Small helpers.
 */
static __rte_always_inline void
swi_stat_flush(struct swi_dev *dev, const uint32_t *cnt)
{
	unsigned int lc = rte_lcore_id();
	unsigned int i;

	if (likely(lc < RTE_MAX_LCORE)) {
		uint64_t *c = dev->stats[lc].c;

		for (i = 0; i < SWI_NB_STATS; i++)
			if (cnt[i] != 0)
				__atomic_store_n(&c[i], c[i] + cnt[i],
					__ATOMIC_RELAXED);
	} else {
		uint64_t *c = dev->stats[RTE_MAX_LCORE].c;

		for (i = 0; i < SWI_NB_STATS; i++)
			if (cnt[i] != 0)
				__atomic_fetch_add(&c[i], cnt[i],
					__ATOMIC_RELAXED);
	}
}

/* Per-session counters of a run of packets of one session. */
struct swi_run {
	struct swi_sess *s;
	uint64_t pkts, bytes, errs;
};

static __rte_always_inline void
swi_run_flush(struct swi_run *r, bool egress)
{
	struct swi_sess *s = r->s;

	if (s == NULL)
		return;
	if (egress) {
		__atomic_fetch_add(&s->opackets, r->pkts, __ATOMIC_RELAXED);
		__atomic_fetch_add(&s->obytes, r->bytes, __ATOMIC_RELAXED);
		__atomic_fetch_add(&s->oerrors, r->errs, __ATOMIC_RELAXED);
	} else {
		__atomic_fetch_add(&s->ipackets, r->pkts, __ATOMIC_RELAXED);
		__atomic_fetch_add(&s->ibytes, r->bytes, __ATOMIC_RELAXED);
		__atomic_fetch_add(&s->ierrors, r->errs, __ATOMIC_RELAXED);
	}
	r->s = NULL;
	r->pkts = r->bytes = r->errs = 0;
}

static __rte_always_inline void
swi_run_add(struct swi_run *r, struct swi_sess *s, bool egress,
		uint64_t bytes, bool err)
{
	if (r->s != s) {
		swi_run_flush(r, egress);
		r->s = s;
	}
	if (err) {
		r->errs++;
	} else {
		r->pkts++;
		r->bytes += bytes;
	}
}

/* Raise *p to v if it is below. */
static __rte_always_inline void
swi_atomic_max(uint64_t *p, uint64_t v)
{
	uint64_t cur = __atomic_load_n(p, __ATOMIC_RELAXED);

	while (cur < v && !__atomic_compare_exchange_n(p, &cur, v, true,
			__ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

/*
 * High half of the sequence number of a received packet (RFC 4303,
 * appendix A2.2): top is the highest number verified, w the window.
 */
static __rte_always_inline uint32_t
swi_esn_hi_rx(uint64_t top, uint32_t sqn, uint32_t w)
{
	uint32_t tl = (uint32_t)top;
	uint32_t th = (uint32_t)(top >> 32);
	uint32_t bl = tl - w + 1;

	if (tl >= w - 1) {
		if (sqn < bl)
			th++;
	} else if (th != 0 && sqn >= bl) {
		th--;
	}
	return th;
}

/* High half of the sequence number of a packet to send: the value closest
 * to the highest number sent so far.
 */
static __rte_always_inline uint32_t
swi_esn_hi_tx(uint64_t top, uint32_t sqn)
{
	uint32_t tl = (uint32_t)top;
	uint32_t th = (uint32_t)(top >> 32);

	if (sqn < tl && tl - sqn > UINT32_C(0x80000000))
		th++;
	else if (sqn > tl && sqn - tl > UINT32_C(0x80000000) && th != 0)
		th--;
	return th;
}

static __rte_always_inline int
swi_tag_differ(const uint8_t *a, const uint8_t *b)
{
	uint8_t d = 0;
	unsigned int i;

	for (i = 0; i < SWI_ICV_LEN; i++)
		d |= a[i] ^ b[i];
	return d != 0;
}

/*
 * Packet parsing.
 */
enum swi_parse_res {
	SWI_P_ESP,          /* ESP, header and IV in the first segment */
	SWI_P_OTHER,        /* not ESP */
	SWI_P_UNSUPPORTED,  /* ESP we cannot process: fragment, split */
	SWI_P_MALFORMED,    /* inconsistent lengths */
};

struct swi_pkt {
	uint32_t l2_len;
	uint32_t l3_len;
	uint32_t esp_off;   /* ESP header offset from the packet start */
	uint32_t ip_end;    /* end of the IP datagram */
	uint8_t ip_ver;
	const uint8_t *dst; /* destination address */
};

/* Bytes actually present in a chain, at most max; 0 if it is broken. */
static uint32_t
swi_chain_len(const struct rte_mbuf *m, uint32_t max)
{
	uint32_t len = 0, n = 0;

	for (; m != NULL && len < max; m = m->next) {
		if (++n > SWI_MAX_SEGS)
			return 0;
		len += m->data_len;
	}
	return len;
}

static __rte_always_inline enum swi_parse_res
swi_parse(const struct rte_mbuf *m, struct swi_pkt *p)
{
	const uint8_t *b = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t d = m->data_len, off, end, avail;
	uint16_t et;
	uint8_t nh;

	if (unlikely(d > m->pkt_len))
		d = m->pkt_len;
	if (unlikely(d < RTE_ETHER_HDR_LEN))
		return SWI_P_OTHER;
	et = ((const struct rte_ether_hdr *)b)->ether_type;
	off = RTE_ETHER_HDR_LEN;
	if (et == RTE_BE16(RTE_ETHER_TYPE_VLAN) ||
			et == RTE_BE16(RTE_ETHER_TYPE_QINQ)) {
		if (d < RTE_ETHER_HDR_LEN + 4)
			return SWI_P_OTHER;
		et = ((const struct rte_vlan_hdr *)(b +
			RTE_ETHER_HDR_LEN))->eth_proto;
		off += 4;
	}
	p->l2_len = off;
	if (et == RTE_BE16(RTE_ETHER_TYPE_IPV4)) {
		const struct rte_ipv4_hdr *ip;
		uint32_t ihl, tot;

		if (d < off + sizeof(*ip))
			return SWI_P_OTHER;
		ip = (const struct rte_ipv4_hdr *)(b + off);
		if ((ip->version_ihl >> 4) != 4 ||
				ip->next_proto_id != IPPROTO_ESP)
			return SWI_P_OTHER;
		ihl = (ip->version_ihl & 0xf) * 4u;
		tot = rte_be_to_cpu_16(ip->total_length);
		if (ihl < sizeof(*ip) || tot < ihl)
			return SWI_P_MALFORMED;
		if (ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_MF_FLAG |
				RTE_IPV4_HDR_OFFSET_MASK))
			return SWI_P_UNSUPPORTED;
		p->ip_ver = 4;
		p->dst = (const uint8_t *)&ip->dst_addr;
		p->l3_len = ihl;
		p->ip_end = off + tot;
		off += ihl;
	} else if (et == RTE_BE16(RTE_ETHER_TYPE_IPV6)) {
		const struct rte_ipv6_hdr *ip6;
		unsigned int i;

		if (d < off + sizeof(*ip6))
			return SWI_P_OTHER;
		ip6 = (const struct rte_ipv6_hdr *)(b + off);
		if ((rte_be_to_cpu_32(ip6->vtc_flow) >> 28) != 6)
			return SWI_P_OTHER;
		p->ip_ver = 6;
		p->dst = (const uint8_t *)&ip6->dst_addr;
		p->ip_end = off + sizeof(*ip6) +
			rte_be_to_cpu_16(ip6->payload_len);
		nh = ip6->proto;
		off += sizeof(*ip6);
		/* hop-by-hop, routing and destination options headers */
		for (i = 0; i < 8 && (nh == IPPROTO_HOPOPTS ||
				nh == IPPROTO_ROUTING ||
				nh == IPPROTO_DSTOPTS); i++) {
			if (d < off + 2)
				return SWI_P_OTHER;
			nh = b[off];
			off += (b[off + 1] + 1u) * 8;
		}
		if (nh == IPPROTO_FRAGMENT) {
			if (d < off + 1)
				return SWI_P_OTHER;
			return b[off] == IPPROTO_ESP ? SWI_P_UNSUPPORTED :
				SWI_P_OTHER;
		}
		if (nh != IPPROTO_ESP)
			return SWI_P_OTHER;
		if (ip6->payload_len == 0 || off > p->ip_end)
			return SWI_P_MALFORMED;
		p->l3_len = off - p->l2_len;
	} else {
		return SWI_P_OTHER;
	}
	p->esp_off = off;
	end = p->ip_end;
	if (end > m->pkt_len || end - off < SWI_ESP_HDR_LEN)
		return SWI_P_MALFORMED;
	if (d < off + SWI_ESP_HDR_LEN + SWI_IV_LEN)
		return end - off < SWI_ESP_HDR_LEN + SWI_IV_LEN ?
			SWI_P_MALFORMED : SWI_P_UNSUPPORTED;
	if (m->next != NULL || m->data_len < end) {
		avail = swi_chain_len(m, end);
		if (avail < end)
			return SWI_P_MALFORMED;
	}
	return SWI_P_ESP;
}

/*
 * Crypto over a packet.
 */

/* Run an update function over [off, off + len) of a chain, in place. */
static void
swi_chain_update(aes_gcm_enc_dec_update_t fn, const struct gcm_key_data *k,
		struct gcm_context_data *ctx, struct rte_mbuf *m, uint32_t off,
		uint32_t len)
{
	while (off >= m->data_len) {
		off -= m->data_len;
		m = m->next;
	}
	while (len != 0) {
		uint32_t n = RTE_MIN(len, (uint32_t)m->data_len - off);
		uint8_t *p = rte_pktmbuf_mtod_offset(m, uint8_t *, off);

		fn(k, ctx, p, p, n);
		len -= n;
		off = 0;
		m = m->next;
	}
}

/* Copy len bytes into a chain at off. */
static void
swi_chain_write(struct rte_mbuf *m, uint32_t off, const uint8_t *src,
		uint32_t len)
{
	while (off >= m->data_len) {
		off -= m->data_len;
		m = m->next;
	}
	while (len != 0) {
		uint32_t n = RTE_MIN(len, (uint32_t)m->data_len - off);

		memcpy(rte_pktmbuf_mtod_offset(m, uint8_t *, off), src, n);
		src += n;
		len -= n;
		off = 0;
		m = m->next;
	}
}

/*
 * Encrypt (enc) or decrypt [off, off + len) of a packet in place, with the
 * tag at off + len: written when encrypting; when decrypting, compared
 * and, if it differs, the ciphertext is restored. Return 0, or -1 when the
 * tag does not verify.
 */
static __rte_always_inline int
swi_gcm(const struct swi_sess *s, struct rte_mbuf *m, uint32_t off,
		uint32_t len, const uint8_t *iv, const uint8_t *aad,
		uint32_t aad_len, bool enc)
{
	const struct swi_gcm_ops *g = s->gcm;
	struct gcm_context_data ctx;
	uint8_t tag[SWI_ICV_LEN], rtag[SWI_ICV_LEN];
	const uint8_t *ptag;

	if (likely(m->next == NULL)) {
		uint8_t *p = rte_pktmbuf_mtod_offset(m, uint8_t *, off);

		if (enc) {
			g->enc(&s->key, &ctx, p, p, len, iv, aad, aad_len,
				p + len, SWI_ICV_LEN);
			return 0;
		}
		g->dec(&s->key, &ctx, p, p, len, iv, aad, aad_len, tag,
			SWI_ICV_LEN);
		if (likely(!swi_tag_differ(tag, p + len)))
			return 0;
		/* CTR mode: applying the key stream again restores it */
		g->enc(&s->key, &ctx, p, p, len, iv, aad, aad_len, tag,
			SWI_ICV_LEN);
		return -1;
	}
	g->init(&s->key, &ctx, iv, 12, aad, aad_len);
	swi_chain_update(enc ? g->enc_update : g->dec_update, &s->key, &ctx,
		m, off, len);
	if (enc) {
		g->enc_final(&s->key, &ctx, tag, SWI_ICV_LEN);
		swi_chain_write(m, off + len, tag, SWI_ICV_LEN);
		return 0;
	}
	g->dec_final(&s->key, &ctx, tag, SWI_ICV_LEN);
	ptag = rte_pktmbuf_read(m, off + len, SWI_ICV_LEN, rtag);
	if (ptag != NULL && !swi_tag_differ(tag, ptag))
		return 0;
	g->init(&s->key, &ctx, iv, 12, aad, aad_len);
	swi_chain_update(g->enc_update, &s->key, &ctx, m, off, len);
	return -1;
}

/*
 * Build the nonce of a packet and find its AAD: without ESN the AAD
 * (SPI, sequence number) is the ESP header itself, read in place; with
 * ESN it is built in aad_buf. Return the AAD, its length in *aad_len.
 */
static __rte_always_inline const uint8_t *
swi_nonce_aad(const struct swi_sess *s, const uint8_t *esp, uint32_t sqh,
		uint8_t iv[16], uint8_t aad_buf[12], uint32_t *aad_len)
{
	uint64_t piv;
	uint32_t salt;

	/* one 16-byte store: the library reads the nonce with one load */
	memcpy(&salt, s->salt, 4);
	memcpy(&piv, esp + SWI_ESP_HDR_LEN, SWI_IV_LEN);
	_mm_storeu_si128((__m128i *)iv, _mm_set_epi64x((int64_t)(piv >> 32),
		(int64_t)((piv << 32) | salt)));
	if (s->esn) {
		rte_be32_t hi = rte_cpu_to_be_32(sqh);

		memcpy(aad_buf, esp, 4);            /* SPI */
		memcpy(aad_buf + 4, &hi, 4);
		memcpy(aad_buf + 8, esp + 4, 4);
		*aad_len = 12;
		return aad_buf;
	}
	*aad_len = 8;
	return esp;
}

/*
 * RX.
 */
static __rte_always_inline uint32_t
swi_spi_hash(rte_be32_t spi)
{
	uint32_t h = rte_be_to_cpu_32(spi);

	h ^= h >> 16;
	h *= UINT32_C(0x45d9f3b);
	h ^= h >> 16;
	return h;
}

static __rte_always_inline bool
swi_sa_match(const struct swi_sess *s, rte_be32_t spi, uint8_t ver,
		const uint8_t *dst)
{
	if (s->spi != spi)
		return false;
	if (s->ip_ver == 0)
		return true;
	return s->ip_ver == ver && memcmp(s->dst, dst, ver == 4 ? 4 : 16) == 0;
}

static __rte_always_inline struct swi_sess *
swi_sa_lookup(const struct swi_dev *dev, rte_be32_t spi, uint8_t ver,
		const uint8_t *dst)
{
	uint32_t i, h = swi_spi_hash(spi);

	for (i = 0; i <= dev->rx_mask; i++) {
		struct swi_sess *s = __atomic_load_n(
			&dev->rx_table[(h + i) & dev->rx_mask],
			__ATOMIC_ACQUIRE);

		if (s == NULL)
			return NULL;
		if (s != SWI_TOMB && swi_sa_match(s, spi, ver, dst))
			return s;
	}
	return NULL;
}

static __rte_always_inline void
swi_rx_one(struct swi_dev *dev, struct rte_mbuf *m, uint32_t *cnt,
		struct swi_run *run)
{
	struct swi_pkt p;
	struct swi_sess *s;
	const uint8_t *esp;
	uint32_t clen, sqn, sqh = 0, aad_len;
	uint8_t iv[16] __rte_aligned(16), aad_buf[12];
	const uint8_t *aad;
	enum swi_parse_res r;
	int rc;

	m->ol_flags &= ~(RTE_MBUF_F_RX_SEC_OFFLOAD |
		RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED);
#ifdef RTE_SECURITY_SW_INLINE_SECPATH
	/* a packet from the wire has no secpath (over net_ring the mbuf
	 * would still carry the sender's)
	 */
	if (dev->flags & RTE_SECURITY_SW_INLINE_F_SECPATH)
		rte_secpath_clear(m);
#endif
	r = swi_parse(m, &p);
	if (likely(r == SWI_P_ESP)) {
		esp = rte_pktmbuf_mtod_offset(m, const uint8_t *, p.esp_off);
		s = swi_sa_lookup(dev, ((const struct rte_esp_hdr *)esp)->spi,
			p.ip_ver, p.dst);
		if (s == NULL) {
			cnt[SWI_RX_NO_SA]++;
			return;
		}
	} else {
		cnt[r == SWI_P_OTHER ? SWI_RX_OTHER : r == SWI_P_UNSUPPORTED ?
			SWI_RX_UNSUPPORTED : SWI_RX_MALFORMED]++;
		return;
	}
	m->packet_type = RTE_PTYPE_L2_ETHER | RTE_PTYPE_TUNNEL_ESP |
		(p.ip_ver == 4 ? RTE_PTYPE_L3_IPV4_EXT_UNKNOWN :
		 RTE_PTYPE_L3_IPV6_EXT_UNKNOWN);
	m->l2_len = p.l2_len;
	m->l3_len = p.l3_len;
	/* ESP of a known SA: it is decrypted or flagged failed */
	m->ol_flags |= RTE_MBUF_F_RX_SEC_OFFLOAD;
	if (unlikely(p.ip_end - p.esp_off < SWI_ESP_MIN_LEN ||
			((p.ip_end - p.esp_off - SWI_ESP_MIN_LEN) & 3) != 0)) {
		m->ol_flags |= RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED;
		cnt[SWI_RX_MALFORMED]++;
		swi_run_add(run, s, false, 0, true);
		goto secpath;
	}
	clen = p.ip_end - p.esp_off - SWI_ESP_HDR_LEN - SWI_IV_LEN -
		SWI_ICV_LEN;
	sqn = rte_be_to_cpu_32(((const struct rte_esp_hdr *)esp)->seq);
	if (s->esn)
		sqh = swi_esn_hi_rx(__atomic_load_n(&s->esn_top,
			__ATOMIC_RELAXED), sqn, s->win);
	aad = swi_nonce_aad(s, esp, sqh, iv, aad_buf, &aad_len);
	rc = swi_gcm(s, m, p.esp_off + SWI_ESP_HDR_LEN + SWI_IV_LEN, clen,
		iv, aad, aad_len, false);
	if (unlikely(rc != 0)) {
		m->ol_flags |= RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED;
		cnt[SWI_RX_AUTH_FAILED]++;
		swi_run_add(run, s, false, 0, true);
		goto secpath;
	}
	if (s->esn)
		swi_atomic_max(&s->esn_top, ((uint64_t)sqh << 32) | sqn);
	cnt[SWI_RX_DECRYPTED]++;
	swi_run_add(run, s, false, p.ip_end - p.l2_len, false);
secpath:
#ifdef RTE_SECURITY_SW_INLINE_SECPATH
	if ((dev->flags & RTE_SECURITY_SW_INLINE_F_SECPATH) &&
			rte_secpath_rx_record(m, rte_be_to_cpu_32(s->spi),
				s->sess, RTE_SECPATH_KIND_INLINE_CRYPTO,
				(m->ol_flags &
				 RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED) ?
				RTE_SECPATH_RESULT_FAILED :
				RTE_SECPATH_RESULT_OK) != 0)
		cnt[SWI_RX_SECPATH_FAILED]++;
#else
	return;
#endif
}

static __rte_always_inline void
swi_rx_burst(struct swi_dev *dev, struct rte_mbuf **pkts, uint16_t n)
{
	uint32_t cnt[SWI_NB_STATS] = { 0 };
	struct swi_run run = { 0 };
	uint16_t i;

	for (i = 0; i < n; i++)
		swi_rx_one(dev, pkts[i], cnt, &run);
	swi_run_flush(&run, false);
	swi_stat_flush(dev, cnt);
}

static uint16_t
swi_rx_cb(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts,
		uint16_t nb_pkts, uint16_t max_pkts, void *arg)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(queue);
	RTE_SET_USED(max_pkts);
	if (nb_pkts != 0)
		swi_rx_burst(arg, pkts, nb_pkts);
	return nb_pkts;
}

/*
 * TX.
 */

/* Session named by a packet's metadata, or NULL. */
static __rte_always_inline struct swi_sess *
swi_tx_sess(const struct swi_dev *dev, const struct rte_mbuf *m)
{
	uint64_t md = *rte_security_dynfield((struct rte_mbuf *)(uintptr_t)m);
	uint32_t idx = (uint32_t)md;
	struct swi_sess *s;

	if (unlikely(idx >= dev->max_sess))
		return NULL;
	s = __atomic_load_n(&dev->sess[idx], __ATOMIC_ACQUIRE);
	if (unlikely(s == NULL || s->gen != (uint32_t)(md >> 32) ||
			!s->egress))
		return NULL;
	return s;
}

/* Encrypt one flagged packet; return 0, or the counter of the failure. */
static __rte_always_inline int
swi_tx_one(struct swi_dev *dev, struct rte_mbuf *m, struct swi_run *run)
{
	struct swi_sess *s;
	struct swi_pkt p;
	uint8_t *esp;
	uint32_t clen, sqn, sqh = 0, aad_len;
	uint8_t iv[16] __rte_aligned(16), aad_buf[12];
	const uint8_t *aad;

	s = swi_tx_sess(dev, m);
	if (unlikely(s == NULL))
		return SWI_TX_NO_SA;
	if (unlikely(swi_parse(m, &p) != SWI_P_ESP))
		goto bad;
	esp = rte_pktmbuf_mtod_offset(m, uint8_t *, p.esp_off);
	if (unlikely(((const struct rte_esp_hdr *)esp)->spi != s->spi ||
			p.ip_end - p.esp_off < SWI_ESP_MIN_LEN ||
			((p.ip_end - p.esp_off - SWI_ESP_MIN_LEN) & 3) != 0))
		goto bad;
	clen = p.ip_end - p.esp_off - SWI_ESP_HDR_LEN - SWI_IV_LEN -
		SWI_ICV_LEN;
	sqn = rte_be_to_cpu_32(((const struct rte_esp_hdr *)esp)->seq);
	if (s->esn) {
		sqh = swi_esn_hi_tx(__atomic_load_n(&s->esn_top,
			__ATOMIC_RELAXED), sqn);
		swi_atomic_max(&s->esn_top, ((uint64_t)sqh << 32) | sqn);
	}
	aad = swi_nonce_aad(s, esp, sqh, iv, aad_buf, &aad_len);
	swi_gcm(s, m, p.esp_off + SWI_ESP_HDR_LEN + SWI_IV_LEN, clen, iv, aad,
		aad_len, true);
	if (p.ip_ver == 4) {
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m,
			struct rte_ipv4_hdr *, p.l2_len);

		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	}
	/* done: a second pass (a retried burst, a forwarding peer over
	 * net_ring) must not encrypt it again
	 */
	m->ol_flags &= ~RTE_MBUF_F_TX_SEC_OFFLOAD;
	swi_run_add(run, s, true, p.ip_end - p.l2_len, false);
	return 0;
bad:
	swi_run_add(run, s, true, 0, true);
	return SWI_TX_MALFORMED;
}

static __rte_always_inline uint16_t
swi_tx_burst(struct swi_dev *dev, struct rte_mbuf **pkts, uint16_t n)
{
	uint32_t cnt[SWI_NB_STATS] = { 0 };
	struct swi_run run = { 0 };
	uint16_t i, k = 0, nbad = 0;

	/* pkts[0, k): to send; pkts[k, k + nbad): refused, kept in order */
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		int rc = 0;

		if (m->ol_flags & RTE_MBUF_F_TX_SEC_OFFLOAD)
			rc = swi_tx_one(dev, m, &run);
		else
			cnt[SWI_TX_OTHER]++;
		if (unlikely(rc != 0)) {
			cnt[rc]++;
			nbad++;
			continue;
		}
		if (unlikely(nbad != 0))
			memmove(&pkts[k + 1], &pkts[k],
				nbad * sizeof(pkts[0]));
		pkts[k++] = m;
	}
	swi_run_flush(&run, true);
	cnt[SWI_TX_ENCRYPTED] = n - nbad - cnt[SWI_TX_OTHER];
	swi_stat_flush(dev, cnt);
	return k;
}

static uint16_t
swi_tx_cb(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts,
		uint16_t nb_pkts, void *arg)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(queue);
	if (nb_pkts == 0)
		return 0;
	return swi_tx_burst(arg, pkts, nb_pkts);
}

void
rte_security_sw_inline_rx_process(struct rte_security_ctx *ctx,
		struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	if (ctx == NULL || pkts == NULL || nb_pkts == 0)
		return;
	swi_rx_burst(ctx->device, pkts, nb_pkts);
}

uint16_t
rte_security_sw_inline_tx_process(struct rte_security_ctx *ctx,
		struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	if (ctx == NULL || pkts == NULL || nb_pkts == 0)
		return 0;
	return swi_tx_burst(ctx->device, pkts, nb_pkts);
}

/*
 * Control path: rte_security ops.
 */
static int
swi_crypto_init(void)
{
	IMB_MGR *mgr;

	if (__atomic_load_n(&swi_mgr, __ATOMIC_ACQUIRE) != NULL)
		return 0;
	mgr = alloc_mb_mgr(0);
	if (mgr == NULL)
		return -ENOMEM;
	init_mb_mgr_auto(mgr, NULL);
	if (imb_get_errno(mgr) != 0 ||
			!SWI_IMB_ARCH_USABLE(mgr->used_arch)) {
		SWI_LOG(ERR, "intel-ipsec-mb: no usable AES-NI code (%s)",
			imb_get_strerror(imb_get_errno(mgr)));
		free_mb_mgr(mgr);
		return -ENOTSUP;
	}
	swi_gcm128 = (struct swi_gcm_ops){
		.enc = mgr->gcm128_enc, .dec = mgr->gcm128_dec,
		.init = mgr->gcm128_init_var_iv,
		.enc_update = mgr->gcm128_enc_update,
		.dec_update = mgr->gcm128_dec_update,
		.enc_final = mgr->gcm128_enc_finalize,
		.dec_final = mgr->gcm128_dec_finalize,
		.pre = mgr->gcm128_pre,
	};
	swi_gcm256 = (struct swi_gcm_ops){
		.enc = mgr->gcm256_enc, .dec = mgr->gcm256_dec,
		.init = mgr->gcm256_init_var_iv,
		.enc_update = mgr->gcm256_enc_update,
		.dec_update = mgr->gcm256_dec_update,
		.enc_final = mgr->gcm256_enc_finalize,
		.dec_final = mgr->gcm256_dec_finalize,
		.pre = mgr->gcm256_pre,
	};
	__atomic_store_n(&swi_mgr, mgr, __ATOMIC_RELEASE);
	SWI_LOG(INFO, "intel-ipsec-mb %s, arch %d", imb_get_version_str(),
		(int)mgr->used_arch);
	return 0;
}

static const struct rte_security_capability *
swi_capabilities_get(void *device)
{
	RTE_SET_USED(device);
	return swi_caps;
}

static unsigned int
swi_session_get_size(void *device)
{
	RTE_SET_USED(device);
	return sizeof(struct swi_sess);
}

static int
swi_conf_check(const struct rte_security_session_conf *conf)
{
	const struct rte_security_ipsec_xform *ipsec = &conf->ipsec;
	const struct rte_crypto_sym_xform *x = conf->crypto_xform;
	bool egress = ipsec->direction == RTE_SECURITY_IPSEC_SA_DIR_EGRESS;

	if (conf->action_type != RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO ||
			conf->protocol != RTE_SECURITY_PROTOCOL_IPSEC ||
			ipsec->proto != RTE_SECURITY_IPSEC_SA_PROTO_ESP)
		return -ENOTSUP;
	if (ipsec->mode != RTE_SECURITY_IPSEC_SA_MODE_TUNNEL &&
			ipsec->mode != RTE_SECURITY_IPSEC_SA_MODE_TRANSPORT)
		return -ENOTSUP;
	if (ipsec->direction != RTE_SECURITY_IPSEC_SA_DIR_EGRESS &&
			ipsec->direction != RTE_SECURITY_IPSEC_SA_DIR_INGRESS)
		return -EINVAL;
	if (ipsec->options.udp_encap || ipsec->options.tunnel_hdr_verify ||
			ipsec->options.iv_gen_disable)
		return -ENOTSUP;
	if (x == NULL || x->next != NULL ||
			x->type != RTE_CRYPTO_SYM_XFORM_AEAD ||
			x->aead.algo != RTE_CRYPTO_AEAD_AES_GCM)
		return -ENOTSUP;
	if (x->aead.op != (egress ? RTE_CRYPTO_AEAD_OP_ENCRYPT :
			RTE_CRYPTO_AEAD_OP_DECRYPT))
		return -EINVAL;
	if ((x->aead.key.length != 16 && x->aead.key.length != 32) ||
			x->aead.key.data == NULL ||
			x->aead.digest_length != SWI_ICV_LEN)
		return -ENOTSUP;
	if (ipsec->mode == RTE_SECURITY_IPSEC_SA_MODE_TUNNEL &&
			ipsec->tunnel.type != RTE_SECURITY_IPSEC_TUNNEL_IPV4 &&
			ipsec->tunnel.type != RTE_SECURITY_IPSEC_TUNNEL_IPV6)
		return -EINVAL;
	return 0;
}

static bool
swi_zero(const uint8_t *p, size_t n)
{
	while (n-- != 0)
		if (*p++ != 0)
			return false;
	return true;
}

static int
swi_rx_table_add(struct swi_dev *dev, struct swi_sess *s)
{
	uint32_t i, h = swi_spi_hash(s->spi), slot = UINT32_MAX;

	for (i = 0; i <= dev->rx_mask; i++) {
		uint32_t j = (h + i) & dev->rx_mask;
		struct swi_sess *e = dev->rx_table[j];

		if (e == NULL) {
			if (slot == UINT32_MAX)
				slot = j;
			break;
		}
		if (e == SWI_TOMB) {
			if (slot == UINT32_MAX)
				slot = j;
			continue;
		}
		if (e->spi == s->spi && e->ip_ver == s->ip_ver &&
				memcmp(e->dst, s->dst, sizeof(s->dst)) == 0)
			return -EEXIST;
	}
	if (slot == UINT32_MAX)
		return -ENOSPC;
	__atomic_store_n(&dev->rx_table[slot], s, __ATOMIC_RELEASE);
	return 0;
}

static void
swi_rx_table_del(struct swi_dev *dev, struct swi_sess *s)
{
	uint32_t i, h = swi_spi_hash(s->spi);

	for (i = 0; i <= dev->rx_mask; i++) {
		uint32_t j = (h + i) & dev->rx_mask;

		if (dev->rx_table[j] == NULL)
			return;
		if (dev->rx_table[j] == s) {
			__atomic_store_n(&dev->rx_table[j], SWI_TOMB,
				__ATOMIC_RELEASE);
			return;
		}
	}
}

static int
swi_session_create(void *device, struct rte_security_session_conf *conf,
		struct rte_security_session *sess)
{
	struct swi_dev *dev = device;
	struct swi_sess *s = SECURITY_GET_SESS_PRIV(sess);
	const struct rte_security_ipsec_xform *ipsec = &conf->ipsec;
	uint32_t idx;
	int ret;

	ret = swi_conf_check(conf);
	if (ret != 0) {
		SWI_LOG(ERR, "port %u: unsupported session configuration",
			dev->port_id);
		return ret;
	}
	memset(s, 0, sizeof(*s));
	s->gcm = conf->crypto_xform->aead.key.length == 16 ? &swi_gcm128 :
		&swi_gcm256;
	s->gcm->pre(conf->crypto_xform->aead.key.data, &s->key);
	s->key_len = (uint8_t)conf->crypto_xform->aead.key.length;
	s->dev = dev;
	s->sess = sess;
	s->userdata = (uint64_t)(uintptr_t)conf->userdata;
	s->spi = rte_cpu_to_be_32(ipsec->spi);
	memcpy(s->salt, &ipsec->salt, sizeof(s->salt));
	s->egress = ipsec->direction == RTE_SECURITY_IPSEC_SA_DIR_EGRESS;
	s->esn = ipsec->options.esn;
	s->tunnel = ipsec->mode == RTE_SECURITY_IPSEC_SA_MODE_TUNNEL;
	s->win = ipsec->replay_win_sz != 0 ? ipsec->replay_win_sz :
		SWI_DEFAULT_WIN;
	s->esn_top = ipsec->esn.value;
	/* ingress destination: the tunnel endpoint; in transport mode the
	 * tunnel address if one is given, else any destination
	 */
	if (ipsec->tunnel.type == RTE_SECURITY_IPSEC_TUNNEL_IPV4 &&
			(s->tunnel || !swi_zero((const uint8_t *)
			&ipsec->tunnel.ipv4.dst_ip, 4))) {
		s->ip_ver = 4;
		memcpy(s->dst, &ipsec->tunnel.ipv4.dst_ip, 4);
	} else if (ipsec->tunnel.type == RTE_SECURITY_IPSEC_TUNNEL_IPV6 &&
			(s->tunnel || !swi_zero((const uint8_t *)
			&ipsec->tunnel.ipv6.dst_addr, 16))) {
		s->ip_ver = 6;
		memcpy(s->dst, &ipsec->tunnel.ipv6.dst_addr, 16);
	}
	s->magic = SWI_SESS_MAGIC;

	rte_spinlock_lock(&dev->lock);
	for (idx = 0; idx < dev->max_sess; idx++)
		if (dev->sess[idx] == NULL)
			break;
	if (idx == dev->max_sess) {
		rte_spinlock_unlock(&dev->lock);
		ret = -ENOSPC;
		goto fail;
	}
	if (++dev->gen_next == 0)
		dev->gen_next = 1;
	s->gen = dev->gen_next;
	s->index = idx;
	if (!s->egress) {
		ret = swi_rx_table_add(dev, s);
		if (ret != 0) {
			rte_spinlock_unlock(&dev->lock);
			goto fail;
		}
	}
	sess->fast_mdata = ((uint64_t)s->gen << 32) | idx;
	__atomic_store_n(&dev->sess[idx], s, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&dev->lock);
	SWI_LOG(DEBUG, "port %u: session %u spi %u %s", dev->port_id, idx,
		ipsec->spi, s->egress ? "egress" : "ingress");
	return 0;
fail:
	explicit_bzero(s, sizeof(*s));
	return ret;
}

static struct swi_sess *
swi_priv(struct swi_dev *dev, struct rte_security_session *sess)
{
	struct swi_sess *s;

	if (sess == NULL)
		return NULL;
	s = SECURITY_GET_SESS_PRIV(sess);
	if (s->magic != SWI_SESS_MAGIC || s->dev != dev)
		return NULL;
	return s;
}

static int
swi_session_destroy(void *device, struct rte_security_session *sess)
{
	struct swi_dev *dev = device;
	struct swi_sess *s = swi_priv(dev, sess);

	if (s == NULL)
		return -EINVAL;
	rte_spinlock_lock(&dev->lock);
	if (!s->egress)
		swi_rx_table_del(dev, s);
	__atomic_store_n(&dev->sess[s->index], NULL, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&dev->lock);
	explicit_bzero(s, sizeof(*s));
	return 0;
}

static int
swi_session_stats_get(void *device, struct rte_security_session *sess,
		struct rte_security_stats *stats)
{
	struct swi_dev *dev = device;
	struct rte_security_ipsec_stats *st = &stats->ipsec;
	struct swi_sess *s;

	memset(stats, 0, sizeof(*stats));
	stats->protocol = RTE_SECURITY_PROTOCOL_IPSEC;
	if (sess == NULL) {
		struct rte_security_sw_inline_stats ps;

		rte_security_sw_inline_stats_get(dev->port_id, &ps);
		st->ipackets = ps.rx_decrypted;
		st->ierrors = ps.rx_auth_failed + ps.rx_malformed;
		st->opackets = ps.tx_encrypted;
		st->oerrors = ps.tx_no_sa + ps.tx_malformed;
		return 0;
	}
	s = swi_priv(dev, sess);
	if (s == NULL)
		return -EINVAL;
	st->ipackets = __atomic_load_n(&s->ipackets, __ATOMIC_RELAXED);
	st->ibytes = __atomic_load_n(&s->ibytes, __ATOMIC_RELAXED);
	st->ierrors = __atomic_load_n(&s->ierrors, __ATOMIC_RELAXED);
	st->opackets = __atomic_load_n(&s->opackets, __ATOMIC_RELAXED);
	st->obytes = __atomic_load_n(&s->obytes, __ATOMIC_RELAXED);
	st->oerrors = __atomic_load_n(&s->oerrors, __ATOMIC_RELAXED);
	return 0;
}

static int
swi_set_pkt_metadata(void *device, struct rte_security_session *sess,
		struct rte_mbuf *m, void *params)
{
	struct swi_sess *s = swi_priv(device, sess);

	RTE_SET_USED(params);
	if (s == NULL || !s->egress || m == NULL)
		return -EINVAL;
	*rte_security_dynfield(m) = sess->fast_mdata;
	return 0;
}

static const struct rte_security_ops swi_ops = {
	.session_create = swi_session_create,
	.session_get_size = swi_session_get_size,
	.session_stats_get = swi_session_stats_get,
	.session_destroy = swi_session_destroy,
	.set_pkt_metadata = swi_set_pkt_metadata,
	.capabilities_get = swi_capabilities_get,
};

/*
 * Binding.
 */
static int
swi_queues(uint16_t nb_conf, uint16_t nb, const uint16_t *q, uint16_t *out,
		uint16_t *nb_out)
{
	uint16_t i;

	if (nb == 0) {
		for (i = 0; i < nb_conf; i++)
			out[i] = i;
		*nb_out = nb_conf;
		return 0;
	}
	if (q == NULL || nb > nb_conf)
		return -EINVAL;
	for (i = 0; i < nb; i++) {
		if (q[i] >= nb_conf)
			return -EINVAL;
		out[i] = q[i];
	}
	*nb_out = nb;
	return 0;
}

static void
swi_remove_callbacks(struct swi_dev *dev)
{
	uint16_t i;

	for (i = 0; i < dev->nb_rxq; i++)
		if (dev->rx_cb[i] != NULL)
			rte_eth_remove_rx_callback(dev->port_id, dev->rxq[i],
				dev->rx_cb[i]);
	for (i = 0; i < dev->nb_txq; i++)
		if (dev->tx_cb[i] != NULL)
			rte_eth_remove_tx_callback(dev->port_id, dev->txq[i],
				dev->tx_cb[i]);
}

static void
swi_dev_free(struct swi_dev *dev)
{
	rte_free(dev->sess);
	rte_free(dev->rx_table);
	rte_free(dev);
}

struct rte_security_ctx *
rte_security_sw_inline_bind(uint16_t port_id,
		const struct rte_security_sw_inline_conf *conf)
{
	static const struct rte_security_sw_inline_conf defconf;
	const uint32_t known = RTE_SECURITY_SW_INLINE_F_NO_RX |
		RTE_SECURITY_SW_INLINE_F_NO_TX |
		RTE_SECURITY_SW_INLINE_F_SECPATH;
	struct rte_eth_dev_info info;
	struct swi_dev *dev;
	uint32_t nsess, tsize;
	uint16_t i;
	int ret, socket;

	if (conf == NULL)
		conf = &defconf;
	if (!rte_eth_dev_is_valid_port(port_id)) {
		rte_errno = ENODEV;
		return NULL;
	}
	nsess = conf->max_sessions != 0 ? conf->max_sessions :
		RTE_SECURITY_SW_INLINE_DEFAULT_SESSIONS;
	if ((conf->flags & ~known) != 0 ||
			nsess > RTE_SECURITY_SW_INLINE_MAX_SESSIONS) {
		rte_errno = EINVAL;
		return NULL;
	}
#ifndef RTE_SECURITY_SW_INLINE_SECPATH
	if (conf->flags & RTE_SECURITY_SW_INLINE_F_SECPATH) {
		rte_errno = ENOTSUP;
		return NULL;
	}
#endif
	ret = swi_crypto_init();
	if (ret != 0) {
		rte_errno = -ret;
		return NULL;
	}
	if (rte_security_dynfield_register() < 0) {
		rte_errno = ENOMEM;
		return NULL;
	}
#ifdef RTE_SECURITY_SW_INLINE_SECPATH
	if ((conf->flags & RTE_SECURITY_SW_INLINE_F_SECPATH) &&
			rte_secpath_ext_id() < 0) {
		rte_errno = EINVAL; /* rte_secpath_init() not called */
		return NULL;
	}
#endif
	ret = rte_eth_dev_info_get(port_id, &info);
	if (ret != 0) {
		rte_errno = -ret;
		return NULL;
	}
	socket = rte_eth_dev_socket_id(port_id);
	if (socket < 0)
		socket = SOCKET_ID_ANY;
	dev = rte_zmalloc_socket("sw_inline", sizeof(*dev),
		RTE_CACHE_LINE_SIZE, socket);
	if (dev == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	tsize = rte_align32pow2(nsess * 2);
	dev->sess = rte_zmalloc_socket("sw_inline_sess",
		nsess * sizeof(dev->sess[0]), RTE_CACHE_LINE_SIZE, socket);
	dev->rx_table = rte_zmalloc_socket("sw_inline_sa",
		tsize * sizeof(dev->rx_table[0]), RTE_CACHE_LINE_SIZE, socket);
	if (dev->sess == NULL || dev->rx_table == NULL) {
		swi_dev_free(dev);
		rte_errno = ENOMEM;
		return NULL;
	}
	dev->rx_mask = tsize - 1;
	dev->max_sess = nsess;
	dev->port_id = port_id;
	dev->flags = conf->flags;
	rte_spinlock_init(&dev->lock);
	dev->ctx.device = dev;
	dev->ctx.ops = &swi_ops;
	dev->ctx.flags = RTE_SEC_CTX_F_FAST_SET_MDATA;
	if (!(conf->flags & RTE_SECURITY_SW_INLINE_F_NO_RX) &&
			swi_queues(info.nb_rx_queues, conf->nb_rx_queues,
				conf->rx_queues, dev->rxq, &dev->nb_rxq) != 0)
		goto einval;
	if (!(conf->flags & RTE_SECURITY_SW_INLINE_F_NO_TX) &&
			swi_queues(info.nb_tx_queues, conf->nb_tx_queues,
				conf->tx_queues, dev->txq, &dev->nb_txq) != 0)
		goto einval;

	rte_spinlock_lock(&swi_ports_lock);
	if (swi_ports[port_id] != NULL) {
		rte_spinlock_unlock(&swi_ports_lock);
		swi_dev_free(dev);
		rte_errno = EEXIST;
		return NULL;
	}
	for (i = 0; i < dev->nb_rxq; i++) {
		dev->rx_cb[i] = rte_eth_add_rx_callback(port_id, dev->rxq[i],
			swi_rx_cb, dev);
		if (dev->rx_cb[i] == NULL)
			goto cb_fail;
	}
	for (i = 0; i < dev->nb_txq; i++) {
		dev->tx_cb[i] = rte_eth_add_tx_callback(port_id, dev->txq[i],
			swi_tx_cb, dev);
		if (dev->tx_cb[i] == NULL)
			goto cb_fail;
	}
	swi_ports[port_id] = dev;
	rte_spinlock_unlock(&swi_ports_lock);
	SWI_LOG(INFO, "bound to port %u: %u RX, %u TX queues, %u sessions",
		port_id, dev->nb_rxq, dev->nb_txq, nsess);
	return &dev->ctx;

cb_fail:
	ret = rte_errno != 0 ? rte_errno : ENOTSUP;
	swi_remove_callbacks(dev);
	rte_spinlock_unlock(&swi_ports_lock);
	/* the callbacks' memory is ethdev's; ours goes */
	swi_dev_free(dev);
	rte_errno = ret;
	return NULL;
einval:
	swi_dev_free(dev);
	rte_errno = EINVAL;
	return NULL;
}

static struct swi_dev *
swi_dev_get(uint16_t port_id)
{
	if (port_id >= RTE_MAX_ETHPORTS)
		return NULL;
	return swi_ports[port_id];
}

int
rte_security_sw_inline_unbind(uint16_t port_id)
{
	struct swi_dev *dev;

	rte_spinlock_lock(&swi_ports_lock);
	dev = swi_dev_get(port_id);
	if (dev == NULL) {
		rte_spinlock_unlock(&swi_ports_lock);
		rte_errno = ENODEV;
		return -ENODEV;
	}
	if (dev->ctx.sess_cnt != 0) {
		rte_spinlock_unlock(&swi_ports_lock);
		rte_errno = EBUSY;
		return -EBUSY;
	}
	swi_remove_callbacks(dev);
	swi_ports[port_id] = NULL;
	rte_spinlock_unlock(&swi_ports_lock);
	swi_dev_free(dev);
	SWI_LOG(INFO, "unbound from port %u", port_id);
	return 0;
}

struct rte_security_ctx *
rte_security_sw_inline_ctx_get(uint16_t port_id)
{
	struct swi_dev *dev = swi_dev_get(port_id);

	if (dev == NULL) {
		rte_errno = ENODEV;
		return NULL;
	}
	return &dev->ctx;
}

static void
swi_stats_sum(const struct swi_dev *dev, uint64_t *c)
{
	unsigned int l, i;

	memset(c, 0, SWI_NB_STATS * sizeof(c[0]));
	for (l = 0; l <= RTE_MAX_LCORE; l++)
		for (i = 0; i < SWI_NB_STATS; i++)
			c[i] += __atomic_load_n(&dev->stats[l].c[i],
				__ATOMIC_RELAXED);
}

int
rte_security_sw_inline_stats_get(uint16_t port_id,
		struct rte_security_sw_inline_stats *stats)
{
	struct swi_dev *dev = swi_dev_get(port_id);
	uint64_t c[SWI_NB_STATS];

	if (stats == NULL) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	if (dev == NULL) {
		rte_errno = ENODEV;
		return -ENODEV;
	}
	swi_stats_sum(dev, c);
	stats->rx_decrypted = c[SWI_RX_DECRYPTED];
	stats->rx_auth_failed = c[SWI_RX_AUTH_FAILED];
	stats->rx_malformed = c[SWI_RX_MALFORMED];
	stats->rx_no_sa = c[SWI_RX_NO_SA];
	stats->rx_unsupported = c[SWI_RX_UNSUPPORTED];
	stats->rx_other = c[SWI_RX_OTHER];
	stats->tx_encrypted = c[SWI_TX_ENCRYPTED];
	stats->tx_no_sa = c[SWI_TX_NO_SA];
	stats->tx_malformed = c[SWI_TX_MALFORMED];
	stats->tx_other = c[SWI_TX_OTHER];
	stats->rx_secpath_failed = c[SWI_RX_SECPATH_FAILED];
	return 0;
}

int
rte_security_sw_inline_stats_reset(uint16_t port_id)
{
	struct swi_dev *dev = swi_dev_get(port_id);
	unsigned int l, i;

	if (dev == NULL) {
		rte_errno = ENODEV;
		return -ENODEV;
	}
	for (l = 0; l <= RTE_MAX_LCORE; l++)
		for (i = 0; i < SWI_NB_STATS; i++)
			__atomic_store_n(&dev->stats[l].c[i], 0,
				__ATOMIC_RELAXED);
	return 0;
}

void
rte_security_sw_inline_dump(FILE *f)
{
	uint64_t c[SWI_NB_STATS];
	unsigned int p, i;

	if (f == NULL)
		return;
	rte_spinlock_lock(&swi_ports_lock);
	for (p = 0; p < RTE_MAX_ETHPORTS; p++) {
		struct swi_dev *dev = swi_ports[p];

		if (dev == NULL)
			continue;
		fprintf(f, "sw_inline port %u: %u RX queues, %u TX queues, "
			"flags 0x%x, %u/%u sessions\n", p, dev->nb_rxq,
			dev->nb_txq, dev->flags, dev->ctx.sess_cnt,
			dev->max_sess);
		swi_stats_sum(dev, c);
		for (i = 0; i < SWI_NB_STATS; i++)
			fprintf(f, "  %-16s %" PRIu64 "\n", swi_stat_names[i],
				c[i]);
		rte_spinlock_lock(&dev->lock);
		for (i = 0; i < dev->max_sess; i++) {
			const struct swi_sess *s = dev->sess[i];

			if (s == NULL)
				continue;
			fprintf(f, "  session %u: spi %u %s %s AES-%u-GCM%s "
				"pkts %" PRIu64 "/%" PRIu64 " errors %"
				PRIu64 "/%" PRIu64 "\n", i,
				rte_be_to_cpu_32(s->spi),
				s->egress ? "egress" : "ingress",
				s->tunnel ? "tunnel" : "transport",
				s->key_len * 8u, s->esn ? " ESN" : "",
				s->ipackets, s->opackets, s->ierrors,
				s->oerrors);
		}
		rte_spinlock_unlock(&dev->lock);
	}
	rte_spinlock_unlock(&swi_ports_lock);
}

/*
 * Telemetry.
 */
static int
swi_tel_list(const char *cmd, const char *params, struct rte_tel_data *d)
{
	unsigned int p;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	rte_tel_data_start_array(d, RTE_TEL_INT_VAL);
	for (p = 0; p < RTE_MAX_ETHPORTS; p++)
		if (__atomic_load_n(&swi_ports[p], __ATOMIC_RELAXED) != NULL)
			rte_tel_data_add_array_int(d, p);
	return 0;
}

static int
swi_tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	uint64_t c[SWI_NB_STATS];
	struct swi_dev *dev;
	unsigned long p;
	char *end;
	unsigned int i;
	int ret = -EINVAL;

	RTE_SET_USED(cmd);
	if (params == NULL || *params == '\0')
		return -EINVAL;
	p = strtoul(params, &end, 10);
	if (*end != '\0' || p >= RTE_MAX_ETHPORTS)
		return -EINVAL;
	rte_spinlock_lock(&swi_ports_lock);
	dev = swi_ports[p];
	if (dev != NULL) {
		swi_stats_sum(dev, c);
		rte_tel_data_start_dict(d);
		for (i = 0; i < SWI_NB_STATS; i++)
			rte_tel_data_add_dict_uint(d, swi_stat_names[i], c[i]);
		rte_tel_data_add_dict_int(d, "sessions", dev->ctx.sess_cnt);
		ret = 0;
	}
	rte_spinlock_unlock(&swi_ports_lock);
	return ret;
}

RTE_INIT(swi_telemetry_init)
{
	rte_telemetry_register_cmd("/sw_inline/list", swi_tel_list,
		"Ports bound to the sw_inline security provider.");
	rte_telemetry_register_cmd("/sw_inline/stats", swi_tel_stats,
		"Counters of a bound port. Parameters: int port_id");
}
