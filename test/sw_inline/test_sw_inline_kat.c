/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * Known-answer tests at the ESP level: the ESP packets of
 * draft-mcgrew-gcm-test-01 (the RFC 4106 test vectors, with the sequence
 * number 1 and the UDP checksum corrected as in DPDK's own IPsec test
 * vectors), encrypted by the TX path and decrypted by the RX path of the
 * provider, in one segment and in chained mbufs. Also the capabilities
 * and the session parameters the provider refuses. After every case the
 * runner checks that no packet leaked (test_clean_check()).
 */

#include "swi_test.h"

struct kat {
	const char *name;
	uint8_t key[32];
	uint8_t key_len;
	uint8_t salt[4];
	uint32_t spi;
	bool v6;
	uint8_t next_hdr;           /* of the ESP trailer */
	uint8_t inner[80];          /* the protected packet */
	uint16_t inner_len;
	uint8_t out[160];           /* the expected IP packet */
	uint16_t out_len;
};

static const struct kat kats[] = {
{
	.name = "AES-128-GCM tunnel IPv4",
	.key = { 0xfe, 0xff, 0xe9, 0x92, 0x86, 0x65, 0x73, 0x1c,
		0x6d, 0x6a, 0x8f, 0x94, 0x67, 0x30, 0x83, 0x08 },
	.key_len = 16,
	.salt = { 0xca, 0xfe, 0xba, 0xbe },
	.spi = 0xa5f8,
	.next_hdr = IPPROTO_IPIP,
	.inner = {
		0x45, 0x00, 0x00, 0x3e, 0x69, 0x8f, 0x00, 0x00,
		0x80, 0x11, 0x4d, 0xcc, 0xc0, 0xa8, 0x01, 0x02,
		0xc0, 0xa8, 0x01, 0x01,
		0x0a, 0x98, 0x00, 0x35, 0x00, 0x2a, 0x23, 0x43,
		0xb2, 0xd0, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x03, 0x73, 0x69, 0x70,
		0x09, 0x63, 0x79, 0x62, 0x65, 0x72, 0x63, 0x69,
		0x74, 0x79, 0x02, 0x64, 0x6b, 0x00, 0x00, 0x01,
		0x00, 0x01 },
	.inner_len = 62,
	.out = {
		0x45, 0x00, 0x00, 0x74, 0x69, 0x8f, 0x00, 0x00,
		0x80, 0x32, 0x4d, 0x75, 0xc0, 0xa8, 0x01, 0x02,
		0xc0, 0xa8, 0x01, 0x01,
		0x00, 0x00, 0xa5, 0xf8, 0x00, 0x00, 0x00, 0x01,
		0xfa, 0xce, 0xdb, 0xad, 0xde, 0xca, 0xf8, 0x88,
		0xde, 0xb2, 0x2c, 0xd9, 0xb0, 0x7c, 0x72, 0xc1,
		0x6e, 0x3a, 0x65, 0xbe, 0xeb, 0x8d, 0xf3, 0x04,
		0xa5, 0xa5, 0x89, 0x7d, 0x33, 0xae, 0x53, 0x0f,
		0x1b, 0xa7, 0x6d, 0x5d, 0x11, 0x4d, 0x2a, 0x5c,
		0x3d, 0xe8, 0x18, 0x27, 0xc1, 0x0e, 0x9a, 0x4f,
		0x51, 0x33, 0x0d, 0x0e, 0xec, 0x41, 0x66, 0x42,
		0xcf, 0xbb, 0x85, 0xa5, 0xb4, 0x7e, 0x48, 0xa4,
		0xec, 0x3b, 0x9b, 0xa9, 0x5d, 0x91, 0x8b, 0xd4,
		0x29, 0xc7, 0x37, 0x57, 0x9f, 0xf1, 0x9e, 0x58,
		0xcf, 0xfc, 0x60, 0x7a, 0x3b, 0xce, 0x89, 0x94 },
	.out_len = 116,
},
{
	.name = "AES-256-GCM tunnel IPv4",
	.key = { 0xab, 0xbc, 0xcd, 0xde, 0xf0, 0x01, 0x12, 0x23,
		0x34, 0x45, 0x56, 0x67, 0x78, 0x89, 0x9a, 0xab,
		0xab, 0xbc, 0xcd, 0xde, 0xf0, 0x01, 0x12, 0x23,
		0x34, 0x45, 0x56, 0x67, 0x78, 0x89, 0x9a, 0xab },
	.key_len = 32,
	.salt = { 0x11, 0x22, 0x33, 0x44 },
	.spi = 0x4a2cbfe3,
	.next_hdr = IPPROTO_IPIP,
	.inner = {
		0x45, 0x00, 0x00, 0x30, 0x69, 0xa6, 0x40, 0x00,
		0x80, 0x06, 0x26, 0x90, 0xc0, 0xa8, 0x01, 0x02,
		0x93, 0x89, 0x15, 0x5e,
		0x0a, 0x9e, 0x00, 0x8b, 0x2d, 0xc5, 0x7e, 0xe0,
		0x00, 0x00, 0x00, 0x00, 0x70, 0x02, 0x40, 0x00,
		0x20, 0xbf, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4,
		0x01, 0x01, 0x04, 0x02 },
	.inner_len = 48,
	.out = {
		0x45, 0x00, 0x00, 0x68, 0x69, 0x8f, 0x00, 0x00,
		0x80, 0x32, 0x4d, 0x81, 0xc0, 0xa8, 0x01, 0x02,
		0xc0, 0xa8, 0x01, 0x01,
		0x4a, 0x2c, 0xbf, 0xe3, 0x00, 0x00, 0x00, 0x01,
		0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
		0xff, 0x42, 0x5c, 0x9b, 0x72, 0x45, 0x99, 0xdf,
		0x7a, 0x3b, 0xcd, 0x51, 0x01, 0x94, 0xe0, 0x0d,
		0x6a, 0x78, 0x10, 0x7f, 0x1b, 0x0b, 0x1c, 0xbf,
		0x06, 0xef, 0xae, 0x9d, 0x65, 0xa5, 0xd7, 0x63,
		0x74, 0x8a, 0x63, 0x79, 0x85, 0x77, 0x1d, 0x34,
		0x7f, 0x05, 0x45, 0x65, 0x9f, 0x14, 0xe9, 0x9d,
		0xef, 0x84, 0x2d, 0x8b, 0x00, 0x14, 0x4a, 0x1f,
		0xec, 0x6a, 0xdf, 0x0c, 0x9a, 0x92, 0x7f, 0xee,
		0xa6, 0xc5, 0x11, 0x60 },
	.out_len = 104,
},
{
	.name = "AES-256-GCM tunnel IPv6",
	.key = { 0xde, 0x12, 0xbe, 0x56, 0xde, 0xad, 0xbe, 0xef,
		0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef,
		0x12, 0x78, 0xbe, 0x34, 0x01, 0x02, 0x03, 0x07,
		0xaa, 0xbb, 0xcc, 0xf1, 0x08, 0x07, 0x06, 0x05 },
	.key_len = 32,
	.salt = { 0x11, 0x22, 0x33, 0x44 },
	.spi = 52,
	.v6 = true,
	.next_hdr = IPPROTO_IPV6,
	.inner = {
		0x60, 0x00, 0x00, 0x00, 0x00, 0x20, 0x06, 0x38,
		0x26, 0x07, 0xf8, 0xb0, 0x40, 0x0c, 0x0c, 0x03,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1a,
		0x20, 0x01, 0x04, 0x70, 0xe5, 0xbf, 0xde, 0xad,
		0x49, 0x57, 0x21, 0x74, 0xe8, 0x2c, 0x48, 0x87,
		0x00, 0x19, 0xf9, 0xc7, 0x95, 0x63, 0x97, 0x9c,
		0x03, 0xa0, 0x88, 0x31, 0x80, 0x12, 0xa7, 0xd6,
		0x25, 0x83, 0x00, 0x00, 0x02, 0x04, 0x05, 0x6a,
		0x01, 0x01, 0x04, 0x02, 0x01, 0x03, 0x03, 0x07 },
	.inner_len = 72,
	.out = {
		0x60, 0x00, 0x00, 0x00, 0x00, 0x6c, 0x32, 0x40,
		0x12, 0x34, 0x12, 0x21, 0x17, 0x45, 0x11, 0x34,
		0x11, 0xfc, 0x89, 0x71, 0xdf, 0x22, 0x56, 0x78,
		0x12, 0x34, 0x12, 0x21, 0x17, 0x45, 0x11, 0x34,
		0x11, 0xfc, 0x89, 0x71, 0xdf, 0x22, 0x34, 0x56,
		0x00, 0x00, 0x00, 0x34, 0x00, 0x00, 0x00, 0x01,
		0x45, 0xad, 0xfe, 0x23, 0x78, 0x56, 0x12, 0x00,
		0xe7, 0xdf, 0xc4, 0x7e, 0x21, 0xbd, 0xec, 0x1b,
		0x74, 0x5a, 0xe4, 0x7e, 0x2e, 0x94, 0x21, 0x0a,
		0x9b, 0x0e, 0x59, 0xbe, 0x06, 0x2a, 0xda, 0xb8,
		0x6b, 0x48, 0x7f, 0x0b, 0x88, 0x3a, 0xa9, 0xfd,
		0x3c, 0xfe, 0x9f, 0xb1, 0x8c, 0x67, 0xd2, 0xf8,
		0xaf, 0xb5, 0xad, 0x16, 0xdb, 0xff, 0x8d, 0x50,
		0xd3, 0x48, 0xf5, 0x6c, 0x3c, 0x0c, 0x27, 0x34,
		0x2b, 0x65, 0xc8, 0xff, 0xeb, 0x5f, 0xb8, 0xff,
		0x12, 0x00, 0x1c, 0x9f, 0xb7, 0x85, 0xdd, 0x7d,
		0x40, 0x19, 0xcb, 0x18, 0xeb, 0x15, 0xc4, 0x88,
		0xe1, 0xc2, 0x91, 0xc7, 0xb1, 0x65, 0xc3, 0x27,
		0x16, 0x06, 0x8f, 0xf2 },
	.out_len = 148,
},
};

#define ETH_LEN RTE_ETHER_HDR_LEN

static uint16_t
kat_hdr_len(const struct kat *k)
{
	return k->v6 ? sizeof(struct rte_ipv6_hdr) :
		sizeof(struct rte_ipv4_hdr);
}

/* The plaintext ESP frame librte_ipsec would hand to an inline device:
 * Ethernet, outer header with checksum 0, ESP header, IV, inner packet,
 * padding 1, 2, ..., pad length, next header, ICV room (zeros).
 */
static uint16_t
kat_plain(const struct kat *k, uint8_t *f)
{
	uint16_t hl = kat_hdr_len(k), off, clen, pad, i;

	memset(f, 0, ETH_LEN);
	memset(f, 0x02, 6);
	memset(f + 6, 0x04, 6);
	f[12] = k->v6 ? 0x86 : 0x08;
	f[13] = k->v6 ? 0xdd : 0x00;
	memcpy(f + ETH_LEN, k->out, hl + 16);
	if (!k->v6) {
		f[ETH_LEN + 10] = 0;
		f[ETH_LEN + 11] = 0;
	}
	off = ETH_LEN + hl + 16;
	memcpy(f + off, k->inner, k->inner_len);
	off += k->inner_len;
	clen = RTE_ALIGN_CEIL(k->inner_len + 2, 4);
	pad = clen - k->inner_len - 2;
	for (i = 0; i < pad; i++)
		f[off++] = (uint8_t)(i + 1);
	f[off++] = (uint8_t)pad;
	f[off++] = k->next_hdr;
	memset(f + off, 0, 16);
	off += 16;
	return off;
}

/* A packet with the bytes of f, in one segment or split in three. */
static struct rte_mbuf *
kat_mbuf(const uint8_t *f, uint16_t len, bool chain, uint16_t cut1,
		uint16_t cut2)
{
	struct rte_mbuf *m, *s2, *s3;

	m = rte_pktmbuf_alloc(env.mp);
	if (m == NULL)
		return NULL;
	if (!chain) {
		memcpy(rte_pktmbuf_append(m, len), f, len);
		return m;
	}
	s2 = rte_pktmbuf_alloc(env.mp);
	s3 = rte_pktmbuf_alloc(env.mp);
	if (s2 == NULL || s3 == NULL) {
		rte_pktmbuf_free(m);
		rte_pktmbuf_free(s2);
		rte_pktmbuf_free(s3);
		return NULL;
	}
	memcpy(rte_pktmbuf_append(m, cut1), f, cut1);
	memcpy(rte_pktmbuf_append(s2, cut2 - cut1), f + cut1, cut2 - cut1);
	memcpy(rte_pktmbuf_append(s3, len - cut2), f + cut2, len - cut2);
	rte_pktmbuf_chain(m, s2);
	rte_pktmbuf_chain(m, s3);
	return m;
}

static void *
kat_session(const struct kat *k, bool egress)
{
	struct rte_crypto_sym_xform xf;
	struct rte_security_session_conf sc;

	memset(&xf, 0, sizeof(xf));
	xf.type = RTE_CRYPTO_SYM_XFORM_AEAD;
	xf.aead.algo = RTE_CRYPTO_AEAD_AES_GCM;
	xf.aead.op = egress ? RTE_CRYPTO_AEAD_OP_ENCRYPT :
		RTE_CRYPTO_AEAD_OP_DECRYPT;
	xf.aead.key.data = k->key;
	xf.aead.key.length = k->key_len;
	xf.aead.iv.length = 12;
	xf.aead.digest_length = 16;
	xf.aead.aad_length = 8;
	memset(&sc, 0, sizeof(sc));
	sc.action_type = RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO;
	sc.protocol = RTE_SECURITY_PROTOCOL_IPSEC;
	sc.ipsec.spi = k->spi;
	memcpy(&sc.ipsec.salt, k->salt, 4);
	sc.ipsec.direction = egress ? RTE_SECURITY_IPSEC_SA_DIR_EGRESS :
		RTE_SECURITY_IPSEC_SA_DIR_INGRESS;
	sc.ipsec.proto = RTE_SECURITY_IPSEC_SA_PROTO_ESP;
	sc.ipsec.mode = RTE_SECURITY_IPSEC_SA_MODE_TUNNEL;
	if (k->v6) {
		sc.ipsec.tunnel.type = RTE_SECURITY_IPSEC_TUNNEL_IPV6;
		memcpy(&sc.ipsec.tunnel.ipv6.src_addr, k->out + 8, 16);
		memcpy(&sc.ipsec.tunnel.ipv6.dst_addr, k->out + 24, 16);
	} else {
		sc.ipsec.tunnel.type = RTE_SECURITY_IPSEC_TUNNEL_IPV4;
		memcpy(&sc.ipsec.tunnel.ipv4.src_ip, k->out + 12, 4);
		memcpy(&sc.ipsec.tunnel.ipv4.dst_ip, k->out + 16, 4);
	}
	sc.crypto_xform = &xf;
	return rte_security_session_create(ctx, &sc, env.sess_mp);
}

/* Encrypt the plaintext frame through port A's TX, compare with the
 * vector on port B.
 */
static int
kat_encrypt(const struct kat *k, bool chain)
{
	uint8_t f[256], got[256];
	struct rte_mbuf *m, *rx[SWI_BURST];
	struct rte_security_stats st;
	void *sess;
	uint16_t len, n;
	int ret = -1;

	sess = kat_session(k, true);
	TEST_ASSERT(sess != NULL, "%s: egress session", k->name);
	len = kat_plain(k, f);
	TEST_ASSERT_EQ(len, ETH_LEN + k->out_len, "frame length");
	m = kat_mbuf(f, len, chain, ETH_LEN + kat_hdr_len(k) + 20,
		len - 7);
	if (m == NULL)
		goto out;
	m->ol_flags |= RTE_MBUF_F_TX_SEC_OFFLOAD;
	if (rte_security_set_pkt_metadata(ctx, sess, m, NULL) != 0) {
		rte_pktmbuf_free(m);
		goto out;
	}
	n = swi_xfer(env.pa, env.pb, 0, &m, 1, rx);
	if (n != 1) {
		printf("  %s: %u packets received\n", k->name, n);
		goto out_free;
	}
	if (swi_bytes(rx[0], 0, got, sizeof(got)) != len ||
			memcmp(got + ETH_LEN, k->out, k->out_len) != 0) {
		printf("  %s%s: ciphertext differs from the vector\n",
			k->name, chain ? " (chained)" : "");
		goto out_free;
	}
	if (rx[0]->ol_flags & RTE_MBUF_F_TX_SEC_OFFLOAD) {
		printf("  TX_SEC_OFFLOAD still set after encryption\n");
		goto out_free;
	}
	if (rte_security_session_stats_get(ctx, sess, &st) != 0 ||
			st.ipsec.opackets != 1 || st.ipsec.oerrors != 0 ||
			st.ipsec.obytes != k->out_len) {
		printf("  session stats: %" PRIu64 " packets %" PRIu64
			" bytes\n", st.ipsec.opackets, st.ipsec.obytes);
		goto out_free;
	}
	ret = 0;
out_free:
	rte_pktmbuf_free_bulk(rx, n);
out:
	rte_security_session_destroy(ctx, sess);
	return ret;
}

/* Receive the vector on port A: decrypted in place, flags; then the same
 * with a flipped ICV bit: flagged failed, bytes as received.
 */
static int
kat_decrypt(const struct kat *k, bool chain, bool tamper)
{
	uint8_t f[256], plain[256], got[256];
	struct rte_mbuf *m, *rx[SWI_BURST];
	struct rte_security_stats st;
	uint16_t hl = kat_hdr_len(k), len, n;
	void *sess;
	int ret = -1;

	sess = kat_session(k, false);
	TEST_ASSERT(sess != NULL, "%s: ingress session", k->name);
	len = kat_plain(k, plain);
	memcpy(f, plain, ETH_LEN);
	memcpy(f + ETH_LEN, k->out, k->out_len);
	if (tamper)
		f[len - 1 - (rte_rand() % 16)] ^=
			(uint8_t)(1u << (rte_rand() % 8));
	m = kat_mbuf(f, len, chain, ETH_LEN + hl + 16 + 3, len - 9);
	if (m == NULL)
		goto out;
	n = swi_xfer(env.pb, env.pa, 0, &m, 1, rx);
	if (n != 1)
		goto out_free;
	if (swi_bytes(rx[0], 0, got, sizeof(got)) != len)
		goto out_free;
	if (tamper) {
		if ((rx[0]->ol_flags & (RTE_MBUF_F_RX_SEC_OFFLOAD |
				RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED)) !=
				(RTE_MBUF_F_RX_SEC_OFFLOAD |
				 RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED) ||
				memcmp(got, f, len) != 0) {
			printf("  %s: tampered packet not flagged failed "
				"or changed\n", k->name);
			goto out_free;
		}
	} else {
		/* headers, ESP header, IV and ICV as received, the rest
		 * decrypted
		 */
		if ((rx[0]->ol_flags & (RTE_MBUF_F_RX_SEC_OFFLOAD |
				RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED)) !=
				RTE_MBUF_F_RX_SEC_OFFLOAD ||
				memcmp(got, f, ETH_LEN + hl + 16) != 0 ||
				memcmp(got + ETH_LEN + hl + 16,
					plain + ETH_LEN + hl + 16,
					len - 16 - (ETH_LEN + hl + 16)) != 0 ||
				memcmp(got + len - 16, f + len - 16, 16) != 0 ||
				rx[0]->l2_len != ETH_LEN ||
				rx[0]->l3_len != hl) {
			printf("  %s%s: decryption differs\n", k->name,
				chain ? " (chained)" : "");
			goto out_free;
		}
	}
	if (rte_security_session_stats_get(ctx, sess, &st) != 0 ||
			st.ipsec.ipackets != (tamper ? 0u : 1u) ||
			st.ipsec.ierrors != (tamper ? 1u : 0u))
		goto out_free;
	ret = 0;
out_free:
	rte_pktmbuf_free_bulk(rx, n);
out:
	rte_security_session_destroy(ctx, sess);
	return ret;
}

static int
test_kat_encrypt(void)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(kats); i++) {
		TEST_ASSERT(kat_encrypt(&kats[i], false) == 0, "%s",
			kats[i].name);
		TEST_ASSERT(kat_encrypt(&kats[i], true) == 0, "%s chained",
			kats[i].name);
	}
	TEST_ASSERT_EQ(swi_in_use(&env), 0, "mbufs in use");
	return 0;
}

static int
test_kat_decrypt(void)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(kats); i++) {
		TEST_ASSERT(kat_decrypt(&kats[i], false, false) == 0, "%s",
			kats[i].name);
		TEST_ASSERT(kat_decrypt(&kats[i], true, false) == 0,
			"%s chained", kats[i].name);
	}
	TEST_ASSERT_EQ(swi_in_use(&env), 0, "mbufs in use");
	return 0;
}

static int
test_kat_tampered(void)
{
	unsigned int i, r;

	for (r = 0; r < 8; r++) {
		for (i = 0; i < RTE_DIM(kats); i++) {
			TEST_ASSERT(kat_decrypt(&kats[i], false, true) == 0,
				"%s", kats[i].name);
			TEST_ASSERT(kat_decrypt(&kats[i], true, true) == 0,
				"%s chained", kats[i].name);
		}
	}
	TEST_ASSERT_EQ(swi_in_use(&env), 0, "mbufs in use");
	return 0;
}

static int
test_capabilities(void)
{
	static const enum rte_security_ipsec_sa_mode modes[] = {
		RTE_SECURITY_IPSEC_SA_MODE_TUNNEL,
		RTE_SECURITY_IPSEC_SA_MODE_TRANSPORT,
	};
	static const enum rte_security_ipsec_sa_direction dirs[] = {
		RTE_SECURITY_IPSEC_SA_DIR_INGRESS,
		RTE_SECURITY_IPSEC_SA_DIR_EGRESS,
	};
	struct rte_security_capability_idx idx;
	const struct rte_security_capability *cap;
	const struct rte_cryptodev_capabilities *cc;
	unsigned int i, j;

	for (i = 0; i < RTE_DIM(modes); i++) {
		for (j = 0; j < RTE_DIM(dirs); j++) {
			memset(&idx, 0, sizeof(idx));
			idx.action = RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO;
			idx.protocol = RTE_SECURITY_PROTOCOL_IPSEC;
			idx.ipsec.proto = RTE_SECURITY_IPSEC_SA_PROTO_ESP;
			idx.ipsec.mode = modes[i];
			idx.ipsec.direction = dirs[j];
			cap = rte_security_capability_get(ctx, &idx);
			TEST_ASSERT(cap != NULL, "mode %u dir %u", i, j);
			TEST_ASSERT(cap->ipsec.options.esn == 1, "ESN");
			TEST_ASSERT_EQ(!!(cap->ol_flags &
				RTE_SECURITY_TX_OLOAD_NEED_MDATA),
				dirs[j] == RTE_SECURITY_IPSEC_SA_DIR_EGRESS,
				"NEED_MDATA on egress only");
			cc = cap->crypto_capabilities;
			TEST_ASSERT(cc[0].sym.aead.algo ==
				RTE_CRYPTO_AEAD_AES_GCM, "AES-GCM");
			TEST_ASSERT_EQ(cc[0].sym.aead.key_size.min, 16, "min");
			TEST_ASSERT_EQ(cc[0].sym.aead.key_size.max, 32, "max");
			TEST_ASSERT_EQ(cc[1].op, RTE_CRYPTO_OP_TYPE_UNDEFINED,
				"one algorithm");
		}
	}
	idx.ipsec.proto = RTE_SECURITY_IPSEC_SA_PROTO_AH;
	TEST_ASSERT(rte_security_capability_get(ctx, &idx) == NULL, "AH");
	idx.ipsec.proto = RTE_SECURITY_IPSEC_SA_PROTO_ESP;
	/* inline protocol, with an anti-replay window (sw_inline_proto) */
	idx.action = RTE_SECURITY_ACTION_TYPE_INLINE_PROTOCOL;
	cap = rte_security_capability_get(ctx, &idx);
	TEST_ASSERT(cap != NULL && cap->ipsec.replay_win_sz_max >= 1024,
		"inline protocol");
	idx.action = RTE_SECURITY_ACTION_TYPE_LOOKASIDE_PROTOCOL;
	TEST_ASSERT(rte_security_capability_get(ctx, &idx) == NULL,
		"lookaside protocol");
	return 0;
}

/* Sessions the provider must refuse; none is left behind. */
static int
test_bad_sessions(void)
{
	struct kat k = kats[0];
	uint8_t key24[32];
	void *s;

	memset(key24, 7, sizeof(key24));
	k.key_len = 24;                 /* AES-192: not supported */
	s = kat_session(&k, true);
	TEST_ASSERT(s == NULL, "24-byte key accepted");
	k.key_len = 16;
	s = kat_session(&k, false);
	TEST_ASSERT(s != NULL, "ingress session");
	/* same SPI and destination twice */
	TEST_ASSERT(kat_session(&k, false) == NULL, "duplicate ingress SA");
	TEST_ASSERT_EQ(ctx->sess_cnt, 1, "sessions");
	TEST_ASSERT_EQ(rte_security_sw_inline_unbind(env.pa), -EBUSY,
		"unbind with a session");
	TEST_ASSERT_EQ(rte_security_session_destroy(ctx, s), 0, "destroy");
	TEST_ASSERT_EQ(ctx->sess_cnt, 0, "sessions");
	TEST_ASSERT_EQ(rte_mempool_in_use_count(env.sess_mp), 0,
		"session objects in use");
	return 0;
}

static int
test_bind_api(void)
{
	struct rte_security_sw_inline_conf c;
	uint16_t q = 5;

	TEST_ASSERT(rte_security_sw_inline_bind(env.pa, NULL) == NULL &&
		rte_errno == EEXIST, "second bind");
	TEST_ASSERT(rte_security_sw_inline_bind(RTE_MAX_ETHPORTS - 1,
		NULL) == NULL && rte_errno == ENODEV, "no such port");
	memset(&c, 0, sizeof(c));
	c.nb_rx_queues = 1;
	c.rx_queues = &q;
	TEST_ASSERT(rte_security_sw_inline_bind(env.pb, &c) == NULL &&
		rte_errno == EINVAL, "bad queue");
	c.nb_rx_queues = 0;
	c.flags = 1u << 30;
	TEST_ASSERT(rte_security_sw_inline_bind(env.pb, &c) == NULL &&
		rte_errno == EINVAL, "bad flag");
	TEST_ASSERT(rte_security_sw_inline_ctx_get(env.pa) == ctx, "ctx");
	TEST_ASSERT(rte_security_sw_inline_ctx_get(env.pb) == NULL &&
		rte_errno == ENODEV, "unbound port");
	TEST_ASSERT_EQ(rte_security_sw_inline_unbind(env.pb), -ENODEV,
		"unbind an unbound port");
	return 0;
}

static int
kat_setup(void)
{
	return swi_suite_setup(1, false, true);
}

static struct unit_test_suite kat_suite = {
	.name = "sw_inline_kat",
	.setup = kat_setup,
	.teardown = swi_suite_teardown,
	.snapshot = test_clean_snapshot,
	.check = test_clean_check,
	.cases = {
		TEST_CASE(test_capabilities),
		TEST_CASE(test_bind_api),
		TEST_CASE(test_bad_sessions),
		TEST_CASE(test_kat_encrypt),
		TEST_CASE(test_kat_decrypt),
		TEST_CASE(test_kat_tampered),
		TEST_CASE(test_unbind),
		TEST_CASES_END()
	}
};

REGISTER_TEST_SUITE(kat_suite);
