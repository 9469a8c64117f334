/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * The ESP parser, rte_secpath_esp_parse(): a table of packets (IPv4 with
 * and without options, IPv6 with and without extension headers, VLAN and
 * QinQ, l3_len preset, wrong version, bad lengths, fragments, not ESP),
 * every packet of the table that parses cut at every byte, and chains of
 * segments. Single-segment packets are in an external buffer of exactly
 * their length, so that ASan catches any read past the packet.
 */

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_esp.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include <rte_secpath_esp.h>

#include "test_runner.h"

#define ESP_HDR sizeof(struct rte_esp_hdr)
#define ESP_LEN 64 /* ESP header to datagram end, by default */
#define ESP_SPI 0x1234u

static struct rte_mempool *pool;

/* One packet of the table and what the parser must say of it. */
struct pcase {
	const char *name;
	uint16_t tag[2];   /* TPIDs of the VLAN tags, 0: none */
	uint16_t etype;    /* EtherType after the tags, 0: from ver */
	uint8_t ver;       /* 4 or 6 */
	uint8_t vfield;    /* version written in the header, 0: ver */
	uint8_t ihl;       /* IPv4 header length in words, 0: 5 */
	uint8_t ext[4];    /* IPv6 extension headers (hop-by-hop is 0) */
	uint8_t nb_ext;    /* how many */
	uint8_t proto;     /* protocol after the IP headers, 0: ESP */
	uint16_t frag;     /* IPv4 flags and fragment offset */
	int16_t len_adj;   /* added to IPv4 total length, IPv6 payload */
	uint8_t zero_plen; /* IPv6 payload length 0 (jumbogram) */
	uint16_t esp_len;  /* ESP header to datagram end, 0: ESP_LEN */
	uint16_t pad;      /* bytes after the datagram */
	uint8_t preset;    /* l2_len/l3_len set, parsed with F_L3_LEN (1: right,
			    * 2: without the flag, 3 to 5: stale)
			    */
	uint8_t no_l2;     /* with preset: the packet starts with IP */
	uint32_t hdr_len;  /* 0: ESP_HDR */
	enum rte_secpath_esp_res res;
	uint32_t l2, l3;   /* expected on RTE_SECPATH_ESP_OK */
};

#define V4 .ver = 4
#define V6 .ver = 6
#define VLAN RTE_ETHER_TYPE_VLAN
#define QINQ RTE_ETHER_TYPE_QINQ
#define OK(a, b) .res = RTE_SECPATH_ESP_OK, .l2 = (a), .l3 = (b)
#define OTHER .res = RTE_SECPATH_ESP_OTHER
#define UNSUP .res = RTE_SECPATH_ESP_UNSUPPORTED
#define BAD .res = RTE_SECPATH_ESP_MALFORMED

static const struct pcase cases[] = {
	{ "ipv4", V4, OK(14, 20) },
	{ "ipv4 options", V4, .ihl = 6, OK(14, 24) },
	{ "ipv4 15 words", V4, .ihl = 15, OK(14, 60) },
	{ "ipv4 padded frame", V4, .pad = 6, OK(14, 20) },
	{ "ipv6", V6, OK(14, 40) },
	{ "ipv6 hop routing dstopts", V6, .ext = { IPPROTO_HOPOPTS,
		IPPROTO_ROUTING, IPPROTO_DSTOPTS }, .nb_ext = 3, OK(14, 88) },
	{ "ipv6 dstopts", V6, .ext = { IPPROTO_DSTOPTS }, .nb_ext = 1,
		OK(14, 56) },
	{ "vlan ipv4", V4, .tag = { VLAN }, OK(18, 20) },
	{ "qinq ipv4", V4, .tag = { QINQ, VLAN }, OK(22, 20) },
	{ "double vlan ipv6", V6, .tag = { VLAN, VLAN }, OK(22, 40) },
	{ "qinq ipv6 hop", V6, .tag = { QINQ, VLAN },
		.ext = { IPPROTO_HOPOPTS }, .nb_ext = 1, OK(22, 48) },
	{ "l3_len preset", V4, .preset = 1, OK(14, 20) },
	{ "l3_len preset no l2", V4, .preset = 1, .no_l2 = 1, OK(0, 20) },
	/* Lengths that disagree with the headers are ignored. */
	{ "l3_len preset not esp", V4, .preset = 1, .proto = IPPROTO_UDP,
		OTHER },
	{ "l3_len stale, ipv6 lengths on ipv4", V4, .preset = 4,
		OK(14, 20) },
	{ "l3_len stale, ipv4 lengths on ipv6 hop", V6, .preset = 5,
		.ext = { IPPROTO_HOPOPTS }, .nb_ext = 1, OK(14, 48) },
	{ "esp header only", V4, .esp_len = 8, OK(14, 20) },
	{ "esp header and iv", V4, .esp_len = 16, .hdr_len = 16,
		OK(14, 20) },
	/* not ESP */
	{ "ipv4 udp", V4, .proto = IPPROTO_UDP, OTHER },
	{ "ipv6 udp", V6, .proto = IPPROTO_UDP, OTHER },
	{ "ipv6 ext udp", V6, .ext = { IPPROTO_HOPOPTS, IPPROTO_DSTOPTS },
		.nb_ext = 2, .proto = IPPROTO_UDP, OTHER },
	{ "ipv6 fragment udp", V6, .ext = { IPPROTO_FRAGMENT }, .nb_ext = 1,
		.proto = IPPROTO_UDP, OTHER },
	{ "arp", V4, .etype = RTE_ETHER_TYPE_ARP, OTHER },
	{ "three vlan tags", V4, .tag = { VLAN, VLAN }, .etype = VLAN,
		OTHER },
	{ "ipv4 header says 6", V4, .vfield = 6, OTHER },
	{ "ipv6 header says 4", V6, .vfield = 4, OTHER },
	{ "ipv4 bad ihl udp", V4, .ihl = 4, .proto = IPPROTO_UDP, OTHER },
	{ "l3_len ignored without flag", V4, .preset = 2, OK(14, 20) },
	/* ESP that cannot be processed */
	{ "ipv4 more fragments", V4, .frag = RTE_IPV4_HDR_MF_FLAG, UNSUP },
	{ "ipv4 fragment offset", V4, .frag = 3, UNSUP },
	{ "ipv4 df", V4, .frag = RTE_IPV4_HDR_DF_FLAG, OK(14, 20) },
	{ "ipv6 fragment esp", V6, .ext = { IPPROTO_FRAGMENT }, .nb_ext = 1,
		UNSUP },
	{ "ipv6 hop fragment esp", V6,
		.ext = { IPPROTO_HOPOPTS, IPPROTO_FRAGMENT }, .nb_ext = 2, UNSUP },
	/* malformed ESP */
	{ "ipv4 ihl 4", V4, .ihl = 4, BAD },
	{ "ipv4 ihl 0", V4, .ihl = 16, BAD }, /* 16 & 0xf = 0 */
	{ "ipv4 total below header", V4, .len_adj = -(ESP_LEN + 1), BAD },
	{ "ipv4 total below esp header", V4, .len_adj = -(ESP_LEN - 4),
		BAD },
	{ "ipv4 total beyond packet", V4, .len_adj = 1, BAD },
	{ "ipv6 payload beyond packet", V6, .len_adj = 1, BAD },
	{ "ipv6 jumbogram", V6, .zero_plen = 1, BAD },
	{ "ipv6 ext beyond payload", V6, .ext = { IPPROTO_HOPOPTS,
		IPPROTO_ROUTING }, .nb_ext = 2, .len_adj = -(ESP_LEN + 20),
		BAD },
	{ "esp shorter than iv", V4, .esp_len = 12, .hdr_len = 16, BAD },
	{ "l3_len preset beyond packet", V4, .preset = 3, OK(14, 20) },
	/* The datagram ends inside the IV, Ethernet padding after it. */
	{ "esp shorter than iv, padded frame", V4, .esp_len = 12,
		.hdr_len = 16, .pad = 20, BAD },
};

/* Length of an IPv6 extension header of the table. */
static uint32_t
ext_len(uint8_t type)
{
	switch (type) {
	case IPPROTO_ROUTING:
		return 24;
	case IPPROTO_DSTOPTS:
		return 16;
	default:
		return 8;
	}
}

/*
 * Write the packet of @p c into @p p; return its length. *decide: the
 * shortest cut at which the parser can know the packet is ESP.
 */
static uint32_t
build(const struct pcase *c, uint8_t *p, uint32_t *decide)
{
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)p;
	uint32_t off = sizeof(*eth), l3, esp_len, i;
	uint16_t et = c->etype != 0 ? c->etype : c->ver == 4 ?
		RTE_ETHER_TYPE_IPV4 : RTE_ETHER_TYPE_IPV6;
	uint8_t proto = c->proto != 0 ? c->proto : IPPROTO_ESP;
	uint32_t type_off = offsetof(struct rte_ether_hdr, ether_type);
	rte_be16_t be;

	esp_len = c->esp_len != 0 ? c->esp_len : ESP_LEN;
	memset(p, 0, 512);
	for (i = 0; i < 12; i++)
		p[i] = (uint8_t)(0x10 + i);
	if (c->no_l2)
		off = 0;
	for (i = 0; i < 2 && c->tag[i] != 0; i++) {
		be = rte_cpu_to_be_16(c->tag[i]);
		memcpy(p + type_off, &be, sizeof(be));
		/* TCI, then the EtherType of what follows */
		p[off + 1] = (uint8_t)(100 + i);
		type_off = off + 2;
		off += sizeof(struct rte_vlan_hdr);
	}
	if (!c->no_l2) {
		be = rte_cpu_to_be_16(et);
		memcpy(p + type_off, &be, sizeof(be));
	}
	if (c->ver == 4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(p + off);
		uint8_t ihl = c->ihl != 0 ? c->ihl : 5;

		l3 = (ihl & 0xf) != 0 && ihl < 16 ? ihl * 4u : 20;
		ip->version_ihl = (uint8_t)((c->vfield != 0 ? c->vfield : 4)
			<< 4 | (ihl & 0xf));
		ip->total_length = rte_cpu_to_be_16(l3 + esp_len + c->len_adj);
		ip->fragment_offset = rte_cpu_to_be_16(c->frag);
		ip->time_to_live = 64;
		ip->next_proto_id = proto;
		ip->src_addr = RTE_BE32(0xc0000201);
		ip->dst_addr = RTE_BE32(0xc0000202);
		*decide = off + sizeof(*ip);
	} else {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(p + off);
		uint8_t *nh = &ip6->proto;
		uint32_t e = off + sizeof(*ip6);

		*decide = e;
		for (i = 0; i < c->nb_ext; i++) {
			*nh = c->ext[i];
			nh = p + e;
			p[e + 1] = (uint8_t)(ext_len(c->ext[i]) / 8 - 1);
			*decide = e + 2;
			e += ext_len(c->ext[i]);
		}
		*nh = proto;
		l3 = e - off;
		ip6->vtc_flow = rte_cpu_to_be_32((uint32_t)(c->vfield != 0 ?
			c->vfield : 6) << 28);
		ip6->payload_len = c->zero_plen ? 0 : rte_cpu_to_be_16(l3 -
			sizeof(*ip6) + esp_len + c->len_adj);
		ip6->hop_limits = 64;
		memset(&ip6->src_addr, 0x20, 16);
		memset(&ip6->dst_addr, 0x21, 16);
	}
	off += l3;
	((struct rte_esp_hdr *)(p + off))->spi = RTE_BE32(ESP_SPI);
	((struct rte_esp_hdr *)(p + off))->seq = RTE_BE32(1);
	for (i = ESP_HDR; i < esp_len + c->pad; i++)
		p[off + i] = (uint8_t)(0xa0 + i);
	return off + esp_len + c->pad;
}

static void
ext_free(void *addr, void *opaque)
{
	free(addr);
	free(opaque);
}

/* A one-segment packet of @p len bytes in a buffer of exactly that size. */
static struct rte_mbuf *
pkt_exact(const uint8_t *bytes, uint32_t len)
{
	struct rte_mbuf_ext_shared_info *sh = malloc(sizeof(*sh));
	uint8_t *buf = malloc(len != 0 ? len : 1);
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

	if (sh == NULL || buf == NULL || m == NULL) {
		free(sh);
		free(buf);
		rte_pktmbuf_free(m);
		return NULL;
	}
	memcpy(buf, bytes, len);
	sh->free_cb = ext_free;
	sh->fcb_opaque = sh;
	rte_mbuf_ext_refcnt_set(sh, 1);
	rte_pktmbuf_attach_extbuf(m, buf, 0, (uint16_t)(len != 0 ? len : 1),
		sh);
	m->data_off = 0;
	m->data_len = (uint16_t)len;
	m->pkt_len = len;
	return m;
}

/* Parse the packet of @p c in @p m as the case says. */
static enum rte_secpath_esp_res
parse(const struct pcase *c, struct rte_mbuf *m,
		struct rte_secpath_esp_info *info)
{
	uint32_t hdr_len = c->hdr_len != 0 ? c->hdr_len : ESP_HDR;

	memset(info, 0x5a, sizeof(*info));
	return rte_secpath_esp_parse(m, c->preset == 2 ? 0 :
		c->preset ? RTE_SECPATH_ESP_F_L3_LEN : 0, hdr_len, info);
}

static void
preset(const struct pcase *c, struct rte_mbuf *m)
{
	if (c->preset == 0)
		return;
	m->l2_len = c->no_l2 ? 0 : c->l2;
	m->l3_len = c->preset == 2 ? 99 : c->preset == 3 ? 120 :
		c->preset == 4 ? 40 : c->preset == 5 ? 20 : c->l3;
	if (c->preset >= 3)
		m->l2_len = 14;
}

static int
check_ok(const struct pcase *c, const struct rte_mbuf *m,
		const struct rte_secpath_esp_info *pi, uint32_t len)
{
	uint32_t esp_off = c->l2 + c->l3;

	TEST_ASSERT_EQ(pi->esp_off, esp_off, c->name);
	TEST_ASSERT_EQ(pi->l2_len, c->l2, c->name);
	TEST_ASSERT_EQ(pi->l3_len, c->l3, c->name);
	TEST_ASSERT_EQ(rte_be_to_cpu_32(rte_pktmbuf_mtod_offset(m,
		const struct rte_esp_hdr *, pi->esp_off)->spi), ESP_SPI,
		c->name);
	TEST_ASSERT_EQ(pi->ip_ver, c->ver, c->name);
	TEST_ASSERT_EQ(pi->ip_end, len - c->pad, c->name);
	TEST_ASSERT(pi->dst == rte_pktmbuf_mtod_offset(m, const uint8_t *,
		c->l2 + (c->ver == 4 ? 16 : 24)), "%s: dst", c->name);
	return TEST_SUCCESS;
}

/* Every packet of the table, whole. */
static int
test_table(void)
{
	uint8_t bytes[512];
	unsigned int i;

	for (i = 0; i < RTE_DIM(cases); i++) {
		const struct pcase *c = &cases[i];
		struct rte_secpath_esp_info pi;
		uint32_t decide, len = build(c, bytes, &decide);
		struct rte_mbuf *m = pkt_exact(bytes, len);
		enum rte_secpath_esp_res r;
		int ret = TEST_SUCCESS;

		TEST_ASSERT(m != NULL, "alloc");
		preset(c, m);
		r = parse(c, m, &pi);
		if (r != c->res) {
			printf("  %s: result %d, expected %d\n", c->name, r,
				c->res);
			ret = TEST_FAILED;
		} else if (r == RTE_SECPATH_ESP_OK) {
			ret = check_ok(c, m, &pi, len);
		}
		rte_pktmbuf_free(m);
		if (ret != TEST_SUCCESS)
			return ret;
	}
	return TEST_SUCCESS;
}

/*
 * Every packet of the table that parses, cut at every byte: not ESP while
 * the cut is before the protocol is known, malformed after (the IP length
 * says more than the packet has). Never a read past the cut (ASan).
 */
static int
test_truncated(void)
{
	uint8_t bytes[512];
	unsigned int i, n = 0;

	for (i = 0; i < RTE_DIM(cases); i++) {
		const struct pcase *c = &cases[i];
		uint32_t decide, cut, len = build(c, bytes, &decide);

		if (c->res != RTE_SECPATH_ESP_OK || c->preset || c->pad)
			continue;
		for (cut = 0; cut < len; cut++) {
			struct rte_mbuf *m = pkt_exact(bytes, cut);
			struct rte_secpath_esp_info pi;
			enum rte_secpath_esp_res r, want;

			TEST_ASSERT(m != NULL, "alloc");
			r = parse(c, m, &pi);
			rte_pktmbuf_free(m);
			want = cut < decide ? RTE_SECPATH_ESP_OTHER :
				RTE_SECPATH_ESP_MALFORMED;
			if (r != want) {
				printf("  %s cut at %u of %u: result %d, "
					"expected %d\n", c->name, cut, len, r,
					want);
				return TEST_FAILED;
			}
			n++;
		}
	}
	printf("  %u cuts\n", n);
	TEST_ASSERT(n > 1000, "cuts tried: %u", n);
	return TEST_SUCCESS;
}

/* The packet of case 0 (IPv4) split into segments after @p first bytes. */
static struct rte_mbuf *
pkt_split(uint32_t first, int32_t pkt_len_adj, uint32_t *len)
{
	uint8_t bytes[512];
	uint32_t decide, at = 0;
	struct rte_mbuf *head = NULL, *last = NULL;

	*len = build(&cases[0], bytes, &decide);
	while (at < *len) {
		uint32_t n = at == 0 ? first : RTE_MIN(*len - at, 16u);
		struct rte_mbuf *s = rte_pktmbuf_alloc(pool);
		char *d;

		if (s == NULL || (d = rte_pktmbuf_append(s, n)) == NULL) {
			rte_pktmbuf_free(s);
			rte_pktmbuf_free(head);
			return NULL;
		}
		memcpy(d, bytes + at, n);
		at += n;
		if (head == NULL) {
			head = s;
		} else {
			last->next = s;
			head->nb_segs++;
			head->pkt_len += n;
		}
		last = s;
	}
	head->pkt_len += pkt_len_adj;
	return head;
}

/* Chains: where the ESP header is, and a chain shorter than pkt_len. */
static int
test_segments(void)
{
	static const struct {
		uint32_t first, hdr_len;
		int32_t adj;
		enum rte_secpath_esp_res res;
	} seg[] = {
		{ 34 + 8, 8, 0, RTE_SECPATH_ESP_OK },
		{ 34 + 16, 16, 0, RTE_SECPATH_ESP_OK },
		{ 34 + 8, 16, 0, RTE_SECPATH_ESP_UNSUPPORTED },
		{ 34 + 4, 8, 0, RTE_SECPATH_ESP_UNSUPPORTED },
		{ 34, 8, 0, RTE_SECPATH_ESP_UNSUPPORTED },
		{ 20, 8, 0, RTE_SECPATH_ESP_OTHER },
		{ 34 + 8, 8, 16, RTE_SECPATH_ESP_OK }, /* datagram fits */
		{ 34 + 8, 8, -1, RTE_SECPATH_ESP_MALFORMED },
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(seg); i++) {
		struct rte_secpath_esp_info pi;
		enum rte_secpath_esp_res r;
		uint32_t len;
		struct rte_mbuf *m = pkt_split(seg[i].first, seg[i].adj, &len);

		TEST_ASSERT(m != NULL, "alloc");
		r = rte_secpath_esp_parse(m, 0, seg[i].hdr_len, &pi);
		rte_pktmbuf_free(m);
		TEST_ASSERT_EQ(r, seg[i].res, "segments");
		if (r == RTE_SECPATH_ESP_OK)
			TEST_ASSERT_EQ(pi.esp_off, 34, "esp_off");
	}
	return TEST_SUCCESS;
}

/*
 * A chain whose segments hold less than pkt_len says (a broken mbuf): the
 * datagram is not all there.
 */
static int
test_short_chain(void)
{
	struct rte_secpath_esp_info pi;
	struct rte_ipv4_hdr *ip;
	uint32_t len;
	struct rte_mbuf *m = pkt_split(34 + 8, 16, &len);

	TEST_ASSERT(m != NULL, "alloc");
	ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
	ip->total_length = rte_cpu_to_be_16(rte_be_to_cpu_16(
		ip->total_length) + 16);
	TEST_ASSERT_EQ(rte_secpath_esp_parse(m, 0, ESP_HDR, &pi),
		RTE_SECPATH_ESP_MALFORMED, "short chain");
	rte_pktmbuf_free(m);
	return TEST_SUCCESS;
}

static int
esp_parse_setup(void)
{
	pool = rte_pktmbuf_pool_create("esp_parse", 255, 0, 0,
		RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	return pool != NULL ? TEST_SUCCESS : TEST_FAILED;
}

static void
esp_parse_teardown(void)
{
	rte_mempool_free(pool);
	pool = NULL;
}

/* Nothing leaked: every mbuf back in the pool after each case. */
static int
esp_parse_check(void)
{
	TEST_ASSERT_EQ(rte_mempool_avail_count(pool), 255, "mbufs in use");
	return TEST_SUCCESS;
}

static struct unit_test_suite esp_parse_suite = {
	.name = "secpath_esp_parse",
	.setup = esp_parse_setup,
	.teardown = esp_parse_teardown,
	.check = esp_parse_check,
	.cases = {
		TEST_CASE(test_table),
		TEST_CASE(test_truncated),
		TEST_CASE(test_segments),
		TEST_CASE(test_short_chain),
		TEST_CASES_END()
	},
};

REGISTER_TEST_SUITE(esp_parse_suite);
