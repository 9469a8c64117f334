/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _SWI_CRYPTO_H_
#define _SWI_CRYPTO_H_

/*
 * Crypto over a packet: AES-GCM in place over a (chained) mbuf, the nonce
 * and the AAD. Inline: the RX and TX paths call it per packet. Private.
 */

#include <string.h>

#include <intel-ipsec-mb.h>

#include <rte_byteorder.h>
#include <rte_mbuf.h>
#include <rte_vect.h>

#include "swi_private.h"

static __rte_always_inline int
swi_tag_differ(const uint8_t *a, const uint8_t *b)
{
	uint8_t d = 0;
	unsigned int i;

	for (i = 0; i < SWI_ICV_LEN; i++)
		d |= a[i] ^ b[i];
	return d != 0;
}

/* Run an update function over [off, off + len) of a chain, in place. */
static inline void
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
static inline void
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
 * Apply the key stream of (iv, aad) to [off, off + len) of a packet again:
 * AES-GCM is CTR mode, so this turns the plaintext a decryption left back
 * into the ciphertext received. The tag computed is discarded.
 */
static inline void
swi_gcm_restore(const struct swi_sess *s, struct rte_mbuf *m, uint32_t off,
		uint32_t len, const uint8_t *iv, const uint8_t *aad,
		uint32_t aad_len)
{
	const struct swi_gcm_ops *g = s->gcm;
	struct gcm_context_data ctx;
	uint8_t tag[SWI_ICV_LEN];

	if (likely(m->next == NULL)) {
		uint8_t *p = rte_pktmbuf_mtod_offset(m, uint8_t *, off);

		g->enc(&s->key, &ctx, p, p, len, iv, aad, aad_len, tag,
			SWI_ICV_LEN);
		return;
	}
	g->init(&s->key, &ctx, iv, 12, aad, aad_len);
	swi_chain_update(g->enc_update, &s->key, &ctx, m, off, len);
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
		swi_gcm_restore(s, m, off, len, iv, aad, aad_len);
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
	swi_gcm_restore(s, m, off, len, iv, aad, aad_len);
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

#endif /* _SWI_CRYPTO_H_ */
