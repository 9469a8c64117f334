/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * The data path: RX (parse, SA lookup, decrypt, flag, secpath record) and
 * TX (session from the metadata, encrypt, refuse) of bursts, from the
 * ethdev callbacks or the process functions.
 */

#include <stdbool.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_esp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_security.h>

#include "swi_private.h"
#include "swi_crypto.h"

#include <rte_secpath.h>
#include <rte_secpath_esp.h>

/*
 * RX.
 */
/*
 * Whether the ESP of @p p can be AES-GCM ESP: header, IV, at least the
 * trailer's 4 bytes and the ICV, and a multiple of 4 bytes after them.
 */
static __rte_always_inline bool
swi_esp_len_ok(const struct rte_secpath_esp_info *p)
{
	uint32_t len = p->ip_end - p->esp_off;

	return len >= SWI_ESP_MIN_LEN && ((len - SWI_ESP_MIN_LEN) & 3) == 0;
}

/* Packets of a burst whose sessions are looked up at once. */
#define SWI_RX_CHUNK 32

/*
 * First look at a received packet: its offload flags and secpath reset,
 * its ESP header found. Counts and returns false if it is not an ESP
 * packet the provider can take; true with @p p filled otherwise.
 */
static __rte_always_inline bool
swi_rx_parse(struct swi_dev *dev, struct rte_mbuf *m,
		struct rte_secpath_esp_info *p, uint32_t *cnt)
{
	enum rte_secpath_esp_res r;

	m->ol_flags &= ~(RTE_MBUF_F_RX_SEC_OFFLOAD |
		RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED);
	/* a packet from the wire has no secpath (over net_ring the mbuf
	 * would still carry the sender's)
	 */
	if (dev->flags & RTE_SECURITY_SW_INLINE_F_SECPATH)
		rte_secpath_clear(m);
	r = rte_secpath_esp_parse(m, 0, SWI_ESP_HDR_LEN + SWI_IV_LEN, p);
	if (likely(r == RTE_SECPATH_ESP_OK))
		return true;
	cnt[r == RTE_SECPATH_ESP_OTHER ? SWI_RX_OTHER :
		r == RTE_SECPATH_ESP_UNSUPPORTED ? SWI_RX_UNSUPPORTED :
		SWI_RX_MALFORMED]++;
	return false;
}

/*
 * An ESP packet of ingress session @p s (found for its SPI and
 * destination): decrypted, or decapsulated (inline protocol), or flagged
 * failed.
 */
static __rte_always_inline void
swi_rx_sess(struct swi_dev *dev, struct rte_mbuf *m,
		const struct rte_secpath_esp_info *p, struct swi_sess *s,
		uint32_t *cnt, struct swi_run *run)
{
	const uint8_t *esp = rte_pktmbuf_mtod_offset(m, const uint8_t *,
		p->esp_off);
	uint32_t clen, sqn, sqh = 0, aad_len;
	uint8_t iv[16] __rte_aligned(16), aad_buf[12];
	const uint8_t *aad;
	int rc;

	m->packet_type = RTE_PTYPE_L2_ETHER | RTE_PTYPE_TUNNEL_ESP |
		(p->ip_ver == 4 ? RTE_PTYPE_L3_IPV4_EXT_UNKNOWN :
		 RTE_PTYPE_L3_IPV6_EXT_UNKNOWN);
	m->l2_len = p->l2_len;
	m->l3_len = p->l3_len;
	/* ESP of a known SA: it is decrypted or flagged failed */
	m->ol_flags |= RTE_MBUF_F_RX_SEC_OFFLOAD;
	/* inline protocol: the SA's userdata, whatever the result */
	if (s->proto)
		*rte_security_dynfield(m) = s->userdata;
	if (unlikely(!swi_esp_len_ok(p))) {
		m->ol_flags |= RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED;
		cnt[SWI_RX_MALFORMED]++;
		swi_run_add(run, s, false, 0, true);
		goto secpath;
	}
	if (s->proto) {
		swi_proto_rx(dev, s, m, p, cnt, run);
		goto secpath;
	}
	clen = p->ip_end - p->esp_off - SWI_ESP_HDR_LEN - SWI_IV_LEN -
		SWI_ICV_LEN;
	sqn = rte_be_to_cpu_32(((const struct rte_esp_hdr *)esp)->seq);
	if (s->esn)
		sqh = swi_esn_hi_rx(__atomic_load_n(&s->esn_top,
			__ATOMIC_RELAXED), sqn, s->win);
	aad = swi_nonce_aad(s, esp, sqh, iv, aad_buf, &aad_len);
	rc = swi_gcm(s, m, p->esp_off + SWI_ESP_HDR_LEN + SWI_IV_LEN, clen,
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
	swi_run_add(run, s, false, p->ip_end - p->l2_len, false);
secpath:
	if ((dev->flags & RTE_SECURITY_SW_INLINE_F_SECPATH) &&
			rte_secpath_rx_record(m, rte_be_to_cpu_32(s->spi),
				s->sess, s->proto ?
				RTE_SECPATH_KIND_INLINE_PROTOCOL :
				RTE_SECPATH_KIND_INLINE_CRYPTO,
				(m->ol_flags &
				 RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED) ?
				RTE_SECPATH_RESULT_FAILED :
				RTE_SECPATH_RESULT_OK) != 0)
		cnt[SWI_RX_SECPATH_FAILED]++;
}

static __rte_always_inline void
swi_rx_burst(struct swi_dev *dev, struct rte_mbuf **pkts, uint16_t n)
{
	uint32_t cnt[SWI_NB_STATS] = { 0 };
	struct swi_run run = { 0 };
	struct rte_secpath_esp_info p[SWI_RX_CHUNK];
	union rte_ipsec_sad_key key[2][SWI_RX_CHUNK];
	const union rte_ipsec_sad_key *kp[2][SWI_RX_CHUNK];
	void *found[2][SWI_RX_CHUNK];
	uint8_t slot[SWI_RX_CHUNK];
	struct swi_sess *s;
	const uint8_t *last_dst[2] = { NULL, NULL };
	rte_be32_t last_spi[2] = { 0, 0 }, spi;
	uint16_t base, c, i, k[2];
	unsigned int v;

	for (base = 0; base < n; base += c) {
		c = RTE_MIN((uint16_t)(n - base), (uint16_t)SWI_RX_CHUNK);
		k[0] = 0;
		k[1] = 0;
		for (i = 0; i < c; i++) {
			struct rte_mbuf *m = pkts[base + i];

			if (!swi_rx_parse(dev, m, &p[i], cnt)) {
				p[i].ip_ver = 0; /* not ESP of ours */
				continue;
			}
			v = p[i].ip_ver == 6;
			spi = rte_pktmbuf_mtod_offset(m,
				const struct rte_esp_hdr *, p[i].esp_off)->spi;
			/* Packets of one SA come in runs: one key a run. */
			if (k[v] != 0 && spi == last_spi[v] &&
					memcmp(p[i].dst, last_dst[v],
						v ? 16 : 4) == 0) {
				slot[i] = k[v] - 1;
				continue;
			}
			last_spi[v] = spi;
			last_dst[v] = p[i].dst;
			swi_sad_key(&key[v][k[v]], spi, p[i].ip_ver, p[i].dst);
			kp[v][k[v]] = &key[v][k[v]];
			slot[i] = k[v]++;
		}
		/* One lookup per IP version for the chunk. */
		for (v = 0; v < 2; v++) {
			if (k[v] == 0)
				continue;
			memset(found[v], 0, k[v] * sizeof(found[v][0]));
			rte_ipsec_sad_lookup(dev->sad[v], kp[v], found[v],
				k[v]);
		}
		for (i = 0; i < c; i++) {
			if (p[i].ip_ver == 0)
				continue; /* counted by swi_rx_parse() */
			s = found[p[i].ip_ver == 6][slot[i]];
			if (s == NULL) {
				cnt[SWI_RX_NO_SA]++;
				continue;
			}
			swi_rx_sess(dev, pkts[base + i], &p[i], s, cnt, &run);
		}
	}
	swi_run_flush(&run, false);
	swi_stat_flush(dev, cnt);
}

uint16_t
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
	struct rte_secpath_esp_info p;
	uint8_t *esp;
	uint32_t clen, sqn, sqh = 0, aad_len;
	uint8_t iv[16] __rte_aligned(16), aad_buf[12];
	const uint8_t *aad;

	s = swi_tx_sess(dev, m);
	if (unlikely(s == NULL))
		return SWI_TX_NO_SA;
	/* Encryption is in place: nobody else may see this data. */
	if (unlikely(!swi_writable(m)))
		return SWI_TX_MALFORMED;
	if (s->proto)
		return swi_proto_tx(dev, s, m, run);
	if (unlikely(rte_secpath_esp_parse(m, 0, SWI_ESP_HDR_LEN + SWI_IV_LEN,
			&p) != RTE_SECPATH_ESP_OK))
		goto bad;
	esp = rte_pktmbuf_mtod_offset(m, uint8_t *, p.esp_off);
	if (unlikely(((const struct rte_esp_hdr *)esp)->spi != s->spi ||
			!swi_esp_len_ok(&p)))
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

uint16_t
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
