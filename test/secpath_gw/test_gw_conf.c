/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * secpath_gw's configuration parser (app/secpath_gw/gw_conf.c): a complete
 * file with every supported form, field by field; DPDK's ep0.cfg, refused
 * at its first SA (aes-128-cbc); a table of bad lines with their errors;
 * the checks across lines; the limits; long lines, NULs, CRLF, files; and
 * random mutations of a valid file, which must parse or fail with a
 * "FILE:LINE: KEYWORD: ..." error and an empty configuration.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gw_conf.h"
#include "test_runner.h"

#define EP0 "/usr/share/dpdk/examples/ipsec-secgw/ep0.cfg"
#define LINE_MAX_LEN 4096 /* gw_conf.c's GW_LINE_MAX */

#define K20 "de:ad:be:ef:00:01:02:03:04:05:06:07:08:09:0a:0B:11:22:33:44"
#define K36 "00:01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:" \
	"10:11:12:13:14:15:16:17:18:19:1a:1b:1c:1d:1e:1f:a1:b2:c3:d4"
#define SA_OK "sa out 5 aead_algo aes-128-gcm aead_key " K20 \
	" mode ipv4-tunnel src 1.1.1.1 dst 2.2.2.2"

static char err[512];

/* Whether a parse left conf empty. */
static bool
conf_empty(const struct gw_conf *c)
{
	return c->sa == NULL && c->sp == NULL && c->rt == NULL &&
		c->neigh == NULL && c->nb_sa == 0 && c->nb_sp == 0 &&
		c->nb_rt == 0 && c->nb_neigh == 0;
}

static uint32_t
v4(const char *s)
{
	struct in_addr a;

	if (inet_pton(AF_INET, s, &a) != 1)
		abort();
	return ntohl(a.s_addr);
}

static bool
v6_is(const uint8_t *b, const char *s)
{
	uint8_t a[16];

	if (inet_pton(AF_INET6, s, a) != 1)
		abort();
	return memcmp(a, b, 16) == 0;
}

static const char valid_cfg[] =
	"# secpath_gw: every supported form\n"				/* 1 */
	"sp ipv4 out esp protect 5 pri 1 src 10.0.0.0/8 "
	"dst 192.168.105.0/24 proto 17 sport 0:65535 dport 4500:4501\n"	/* 2 */
	"   # indented comment\n"					/* 3 */
	"\n"								/* 4 */
	"sp ipv4 in esp bypass pri 536870910 dst 192.168.240.1/24\n"	/* 5 */
	"sp ipv4 in discard proto 6:17 esp sport 1:2 # comment\n"	/* 6 */
	"sp ipv6 out esp protect 25 pri 3 dst "
	"0000:0000:0000:0000:5555:5555:0000:0000/96 \\\n"		/* 7 */
	"sport 0:65535 dport 0:65535\n"					/* 8 */
	"sp ipv6 in esp protect 125 src 2001:db8::/32 "
	"dst ffff:0000:0000:0000:aaaa:aaaa:\\\n"			/* 9 */
	"# a comment inside a continued line is skipped\n"		/* 10 */
	"0000:0000/96\n"						/* 11 */
	"sa out 5 aead_algo aes-128-gcm aead_key " K20 " \\\n"		/* 12 */
	"\tmode ipv4-tunnel src 172.16.1.5 dst 172.16.2.5\r\n"		/* 13 */
	"sa out 25 aead_algo aes-256-gcm aead_key "
	"00:01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:\\\n"		/* 14 */
	"10:11:12:13:14:15:16:17:18:19:1a:1b:1c:1d:1e:1f:a1:b2:c3:d4 "
	"mode ipv6-tunnel \\\n"						/* 15 */
	"src 1111:1111:1111:1111:1111:1111:1111:5555 \\  \n"		/* 16 */
	"dst 2222::5555 type inline-crypto-offload port_id 1\n"		/* 17 */
	"sa in 125 mode transport aead_key " K20
	" aead_algo aes-128-gcm type cpu-crypto\n"			/* 18 */
	"sa in 7 aead_algo aes-256-gcm aead_key " K36
	" mode transport type no-offload port_id 65535\n"		/* 19 */
	"sa in 4294967294 aead_algo aes-128-gcm aead_key " K20
	" mode ipv4-tunnel src 0.0.0.0 dst 255.255.255.255 "
	"type lookaside-none\n"						/* 20 */
	"rt ipv4 dst 172.16.2.5/32 port 0\n"				/* 21 */
	"rt ipv6 port 65535 dst "
	"2222:2222:2222:2222:2222:2222:2222:5555/116\n"			/* 22 */
	"rt ipv4 dst 0.0.0.0/0 port 3\n"				/* 23 */
	"neigh port 0 DE:AD:BE:EF:01:02\n"				/* 24 */
	"neigh port 7 0:1:2:a:b:C\n";					/* 25 */

static int
test_valid(void)
{
	static const uint8_t k20[20] = { 0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3,
		4, 5, 6, 7, 8, 9, 0xa, 0xb, 0x11, 0x22, 0x33, 0x44 };
	const struct gw_sa_conf *sa;
	const struct gw_sp_conf *sp;
	struct gw_conf c;
	unsigned int i;
	int rc;

	rc = gw_conf_parse_string(valid_cfg, "gw.cfg", &c, err, sizeof(err));
	TEST_ASSERT(rc == 0, "rc %d: %s", rc, err);
	TEST_ASSERT_EQ(c.nb_sp, 5, "sp");
	TEST_ASSERT_EQ(c.nb_sa, 5, "sa");
	TEST_ASSERT_EQ(c.nb_rt, 3, "rt");
	TEST_ASSERT_EQ(c.nb_neigh, 2, "neigh");

	sp = &c.sp[0];
	TEST_ASSERT_EQ(sp->line, 2, "sp0 line");
	TEST_ASSERT_EQ(sp->family, GW_FAMILY_IPV4, "sp0 family");
	TEST_ASSERT_EQ(sp->dir, GW_DIR_OUT, "sp0 dir");
	TEST_ASSERT_EQ(sp->action, GW_SP_PROTECT, "sp0 action");
	TEST_ASSERT_EQ(sp->spi, 5, "sp0 spi");
	TEST_ASSERT_EQ(sp->priority, 1, "sp0 pri");
	TEST_ASSERT_EQ(sp->src.addr.family, GW_FAMILY_IPV4, "sp0 src fam");
	TEST_ASSERT_EQ(sp->src.addr.v4, v4("10.0.0.0"), "sp0 src");
	TEST_ASSERT_EQ(sp->src.depth, 8, "sp0 src depth");
	TEST_ASSERT_EQ(sp->dst.addr.v4, v4("192.168.105.0"), "sp0 dst");
	TEST_ASSERT_EQ(sp->dst.depth, 24, "sp0 dst depth");
	TEST_ASSERT_EQ(sp->proto_lo, 17, "sp0 proto lo");
	TEST_ASSERT_EQ(sp->proto_hi, 17, "sp0 proto hi");
	TEST_ASSERT_EQ(sp->sport_lo, 0, "sp0 sport lo");
	TEST_ASSERT_EQ(sp->sport_hi, 65535, "sp0 sport hi");
	TEST_ASSERT_EQ(sp->dport_lo, 4500, "sp0 dport lo");
	TEST_ASSERT_EQ(sp->dport_hi, 4501, "sp0 dport hi");

	sp = &c.sp[1];
	TEST_ASSERT_EQ(sp->line, 5, "sp1 line");
	TEST_ASSERT_EQ(sp->dir, GW_DIR_IN, "sp1 dir");
	TEST_ASSERT_EQ(sp->action, GW_SP_BYPASS, "sp1 action");
	TEST_ASSERT_EQ(sp->priority, 536870910, "sp1 pri");
	TEST_ASSERT_EQ(sp->src.depth, 0, "sp1 src depth (any)");
	TEST_ASSERT_EQ(sp->src.addr.v4, 0, "sp1 src");
	/* Host bits beyond the depth are kept, as written. */
	TEST_ASSERT_EQ(sp->dst.addr.v4, v4("192.168.240.1"), "sp1 dst");
	TEST_ASSERT_EQ(sp->dst.depth, 24, "sp1 dst depth");
	TEST_ASSERT_EQ(sp->proto_lo, 0, "sp1 proto lo");
	TEST_ASSERT_EQ(sp->proto_hi, 255, "sp1 proto hi");
	TEST_ASSERT_EQ(sp->sport_hi, 65535, "sp1 sport hi");
	TEST_ASSERT_EQ(sp->dport_lo, 0, "sp1 dport lo");
	TEST_ASSERT_EQ(sp->dport_hi, 65535, "sp1 dport hi");

	sp = &c.sp[2];
	TEST_ASSERT_EQ(sp->line, 6, "sp2 line");
	TEST_ASSERT_EQ(sp->action, GW_SP_DISCARD, "sp2 action");
	TEST_ASSERT_EQ(sp->priority, 0, "sp2 pri");
	TEST_ASSERT_EQ(sp->proto_lo, 6, "sp2 proto lo");
	TEST_ASSERT_EQ(sp->proto_hi, 17, "sp2 proto hi");
	TEST_ASSERT_EQ(sp->sport_lo, 1, "sp2 sport lo");
	TEST_ASSERT_EQ(sp->sport_hi, 2, "sp2 sport hi");

	sp = &c.sp[3];
	TEST_ASSERT_EQ(sp->line, 7, "sp3 line (first of the joined)");
	TEST_ASSERT_EQ(sp->family, GW_FAMILY_IPV6, "sp3 family");
	TEST_ASSERT_EQ(sp->dir, GW_DIR_OUT, "sp3 dir");
	TEST_ASSERT_EQ(sp->spi, 25, "sp3 spi");
	TEST_ASSERT_EQ(sp->src.addr.family, GW_FAMILY_IPV6, "sp3 src fam");
	TEST_ASSERT_EQ(sp->src.depth, 0, "sp3 src depth");
	TEST_ASSERT(v6_is(sp->dst.addr.v6, "::5555:5555:0:0"), "sp3 dst");
	TEST_ASSERT_EQ(sp->dst.depth, 96, "sp3 dst depth");
	TEST_ASSERT_EQ(sp->sport_hi, 65535, "sp3 sport hi");

	sp = &c.sp[4];
	TEST_ASSERT_EQ(sp->line, 9, "sp4 line");
	TEST_ASSERT_EQ(sp->dir, GW_DIR_IN, "sp4 dir");
	TEST_ASSERT_EQ(sp->spi, 125, "sp4 spi");
	TEST_ASSERT(v6_is(sp->src.addr.v6, "2001:db8::"), "sp4 src");
	TEST_ASSERT_EQ(sp->src.depth, 32, "sp4 src depth");
	TEST_ASSERT(v6_is(sp->dst.addr.v6, "ffff::aaaa:aaaa:0:0"),
		"sp4 dst (cut across lines)");

	sa = &c.sa[0];
	TEST_ASSERT_EQ(sa->line, 12, "sa0 line");
	TEST_ASSERT_EQ(sa->dir, GW_DIR_OUT, "sa0 dir");
	TEST_ASSERT_EQ(sa->spi, 5, "sa0 spi");
	TEST_ASSERT_EQ(sa->aead, GW_AEAD_AES_128_GCM, "sa0 aead");
	TEST_ASSERT_EQ(sa->key_len, 16, "sa0 key_len");
	TEST_ASSERT(memcmp(sa->key, k20, 16) == 0, "sa0 key");
	TEST_ASSERT(memcmp(&sa->salt, k20 + 16, 4) == 0, "sa0 salt");
	TEST_ASSERT_EQ(sa->mode, GW_SA_IPV4_TUNNEL, "sa0 mode");
	TEST_ASSERT_EQ(sa->type, GW_SA_LOOKASIDE_NONE, "sa0 type");
	TEST_ASSERT_EQ(sa->src.family, GW_FAMILY_IPV4, "sa0 src fam");
	TEST_ASSERT_EQ(sa->src.v4, v4("172.16.1.5"), "sa0 src");
	TEST_ASSERT_EQ(sa->dst.v4, v4("172.16.2.5"), "sa0 dst");
	TEST_ASSERT(!sa->has_port, "sa0 port");

	sa = &c.sa[1];
	TEST_ASSERT_EQ(sa->line, 14, "sa1 line");
	TEST_ASSERT_EQ(sa->spi, 25, "sa1 spi");
	TEST_ASSERT_EQ(sa->aead, GW_AEAD_AES_256_GCM, "sa1 aead");
	TEST_ASSERT_EQ(sa->key_len, 32, "sa1 key_len");
	for (i = 0; i < 32; i++)
		TEST_ASSERT_EQ(sa->key[i], i, "sa1 key byte");
	TEST_ASSERT(memcmp(&sa->salt, "\xa1\xb2\xc3\xd4", 4) == 0,
		"sa1 salt");
	TEST_ASSERT_EQ(sa->mode, GW_SA_IPV6_TUNNEL, "sa1 mode");
	TEST_ASSERT_EQ(sa->src.family, GW_FAMILY_IPV6, "sa1 src fam");
	TEST_ASSERT(v6_is(sa->src.v6,
		"1111:1111:1111:1111:1111:1111:1111:5555"), "sa1 src");
	TEST_ASSERT(v6_is(sa->dst.v6, "2222::5555"), "sa1 dst");
	TEST_ASSERT_EQ(sa->type, GW_SA_INLINE_CRYPTO, "sa1 type");
	TEST_ASSERT(sa->has_port, "sa1 has_port");
	TEST_ASSERT_EQ(sa->port_id, 1, "sa1 port");

	sa = &c.sa[2];
	TEST_ASSERT_EQ(sa->line, 18, "sa2 line");
	TEST_ASSERT_EQ(sa->dir, GW_DIR_IN, "sa2 dir");
	TEST_ASSERT_EQ(sa->spi, 125, "sa2 spi");
	TEST_ASSERT_EQ(sa->mode, GW_SA_TRANSPORT, "sa2 mode");
	TEST_ASSERT_EQ(sa->type, GW_SA_CPU_CRYPTO, "sa2 type");
	TEST_ASSERT_EQ(sa->src.family, 0, "sa2 src unset");
	TEST_ASSERT_EQ(sa->dst.family, 0, "sa2 dst unset");
	TEST_ASSERT(memcmp(sa->key, k20, 16) == 0, "sa2 key");

	sa = &c.sa[3];
	TEST_ASSERT_EQ(sa->spi, 7, "sa3 spi");
	TEST_ASSERT_EQ(sa->type, GW_SA_LOOKASIDE_NONE, "sa3 no-offload");
	TEST_ASSERT(sa->has_port, "sa3 has_port");
	TEST_ASSERT_EQ(sa->port_id, 65535, "sa3 port");

	sa = &c.sa[4];
	TEST_ASSERT_EQ(sa->spi, 4294967294u, "sa4 spi");
	TEST_ASSERT_EQ(sa->src.v4, 0, "sa4 src");
	TEST_ASSERT_EQ(sa->dst.v4, 0xffffffffu, "sa4 dst");
	TEST_ASSERT_EQ(sa->type, GW_SA_LOOKASIDE_NONE, "sa4 type");

	TEST_ASSERT(gw_conf_find_sa(&c, GW_DIR_OUT, 25) == &c.sa[1], "find");
	TEST_ASSERT(gw_conf_find_sa(&c, GW_DIR_IN, 25) == NULL, "find in");
	TEST_ASSERT(gw_conf_find_sa(&c, GW_DIR_IN, 7) == &c.sa[3], "find 7");

	TEST_ASSERT_EQ(c.rt[0].line, 21, "rt0 line");
	TEST_ASSERT_EQ(c.rt[0].dst.addr.family, GW_FAMILY_IPV4, "rt0 fam");
	TEST_ASSERT_EQ(c.rt[0].dst.addr.v4, v4("172.16.2.5"), "rt0 dst");
	TEST_ASSERT_EQ(c.rt[0].dst.depth, 32, "rt0 depth");
	TEST_ASSERT_EQ(c.rt[0].port, 0, "rt0 port");
	TEST_ASSERT_EQ(c.rt[1].dst.addr.family, GW_FAMILY_IPV6, "rt1 fam");
	TEST_ASSERT(v6_is(c.rt[1].dst.addr.v6,
		"2222:2222:2222:2222:2222:2222:2222:5555"), "rt1 dst");
	TEST_ASSERT_EQ(c.rt[1].dst.depth, 116, "rt1 depth");
	TEST_ASSERT_EQ(c.rt[1].port, 65535, "rt1 port");
	TEST_ASSERT_EQ(c.rt[2].dst.depth, 0, "rt2 depth");
	TEST_ASSERT_EQ(c.rt[2].port, 3, "rt2 port");

	TEST_ASSERT_EQ(c.neigh[0].line, 24, "neigh0 line");
	TEST_ASSERT_EQ(c.neigh[0].port, 0, "neigh0 port");
	TEST_ASSERT(memcmp(c.neigh[0].mac.addr_bytes,
		"\xde\xad\xbe\xef\x01\x02", 6) == 0, "neigh0 mac");
	TEST_ASSERT_EQ(c.neigh[1].port, 7, "neigh1 port");
	TEST_ASSERT(memcmp(c.neigh[1].mac.addr_bytes,
		"\x00\x01\x02\x0a\x0b\x0c", 6) == 0, "neigh1 mac");

	gw_conf_free(&c);
	TEST_ASSERT(conf_empty(&c), "free empties");
	gw_conf_free(&c);

	/* An empty file and a file of comments are valid and empty. */
	rc = gw_conf_parse_string("", "e.cfg", &c, err, sizeof(err));
	TEST_ASSERT(rc == 0 && conf_empty(&c), "empty: %d", rc);
	rc = gw_conf_parse_string("# x\n\n  \t\n#\\\n", "e.cfg", &c, err,
		sizeof(err));
	TEST_ASSERT(rc == 0 && conf_empty(&c), "comments: %d %s", rc, err);
	return TEST_SUCCESS;
}

/* DPDK's ep0.cfg: valid SPs, then the first SA is aes-128-cbc. */
static int
test_ep0(void)
{
	char expect[600], line[1100];
	struct gw_conf c;
	unsigned int n = 0, sa_line = 0;
	FILE *f;
	int rc;

	f = fopen(EP0, "r");
	if (f == NULL)
		TEST_SKIP("%s: %s (DPDK's examples not installed)", EP0,
			strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		n++;
		if (strncmp(line, "sa ", 3) == 0) {
			sa_line = n;
			break;
		}
	}
	fclose(f);
	TEST_ASSERT(sa_line != 0, "no sa line in " EP0);

	memset(&c, 0x5a, sizeof(c));
	rc = gw_conf_parse_file(EP0, &c, err, sizeof(err));
	printf("  %s\n", err);
	TEST_ASSERT_EQ(rc, -EINVAL, "rc");
	snprintf(expect, sizeof(expect), EP0 ":%u: cipher_algo: not "
		"supported (secpath_gw supports aead_algo aes-128-gcm and "
		"aes-256-gcm)", sa_line);
	TEST_ASSERT(strcmp(err, expect) == 0, "got \"%s\", expected \"%s\"",
		err, expect);
	TEST_ASSERT(conf_empty(&c), "conf not empty");
	return TEST_SUCCESS;
}

struct bad {
	const char *text;
	const char *expect;	/* substring of the error */
	int rc;
};

#define SA_BASE "sa out 5 aead_algo aes-128-gcm aead_key " K20
#define SP4 "sp ipv4 out esp bypass "
#define E(t, e) { t, e, -EINVAL }

static const struct bad bad_lines[] = {
	/* sa: what secpath_gw refuses */
	E("sa out 5 cipher_algo aes-128-cbc cipher_key 0:0:0:0:0:0:0:0:0:0:"
		"0:0:0:0:0:0 auth_algo sha1-hmac mode transport",
		"bad.cfg:1: cipher_algo: not supported (secpath_gw supports "
		"aead_algo aes-128-gcm and aes-256-gcm)"),
	E("sa out 5 cipher_algo null auth_algo null mode transport",
		"bad.cfg:1: cipher_algo: not supported"),
	E(SA_BASE " mode transport auth_algo null", "bad.cfg:1: auth_algo: "
		"not supported (secpath_gw supports aead_algo"),
	E(SA_BASE " mode transport cipher_key 00", "bad.cfg:1: cipher_key: "
		"not supported"),
	E(SA_BASE " mode transport auth_key 00", "bad.cfg:1: auth_key: not"),
	E("sa out 5 aead_algo aes-192-gcm aead_key " K20 " mode transport",
		"bad.cfg:1: aead_algo: \"aes-192-gcm\" not supported "
		"(secpath_gw supports aes-128-gcm and aes-256-gcm)"),
	E("sa out 5 aead_algo chacha20-poly1305 aead_key " K36,
		"bad.cfg:1: aead_algo: \"chacha20-poly1305\" not supported"),
	E(SA_BASE " mode transport type lookaside-protocol-offload port_id 0",
		"bad.cfg:1: type: lookaside-protocol-offload: not supported "
		"by secpath_gw"),
	E(SA_BASE " mode transport type inline-protocol-offload port_id 0",
		"bad.cfg:1: type: inline-protocol-offload: not supported by "
		"secpath_gw"),
	E(SA_BASE " mode transport type offload", "bad.cfg:1: type: "
		"\"offload\": expected lookaside-none"),
	E(SA_OK " esn 1", "bad.cfg:1: esn: not supported by secpath_gw"),
	E(SA_OK " flow-direction 0 2", "bad.cfg:1: flow-direction: not "
		"supported by secpath_gw"),
	E(SA_OK " type inline-crypto-offload port_id 0 fallback "
		"lookaside-none", "bad.cfg:1: fallback: not supported"),
	E(SA_OK " udp-encap", "bad.cfg:1: udp-encap: not supported"),
	E(SA_OK " mss 1400", "bad.cfg:1: mss: not supported"),
	E(SA_OK " telemetry", "bad.cfg:1: telemetry: not supported"),
	E(SA_OK " reassembly_en", "bad.cfg:1: reassembly_en: not supported"),
	E(SA_OK " lifetime 10", "bad.cfg:1: lifetime: unknown keyword in an "
		"sa rule"),
	/* sa: keywords twice, missing, values */
	E(SA_OK " mode transport", "bad.cfg:1: mode: given twice"),
	E(SA_OK " aead_algo aes-128-gcm", "bad.cfg:1: aead_algo: given twice"),
	E(SA_OK " aead_key " K20, "bad.cfg:1: aead_key: given twice"),
	E(SA_OK " src 1.1.1.1", "bad.cfg:1: src: given twice"),
	E(SA_OK " port_id 1 port_id 1", "bad.cfg:1: port_id: given twice"),
	E(SA_OK " type cpu-crypto type cpu-crypto", "bad.cfg:1: type: given "
		"twice"),
	E("sa out 5 aead_key " K20 " mode transport", "bad.cfg:1: aead_algo: "
		"missing"),
	E("sa out 5 aead_algo aes-128-gcm mode transport", "bad.cfg:1: "
		"aead_key: missing"),
	E(SA_BASE, "bad.cfg:1: mode: missing"),
	E("sa out 5 aead_algo aes-128-gcm aead_key 0:1:2:3:4:5:6:7:8:9:a:b:c:"
		"d:e:f mode transport", "bad.cfg:1: aead_key: 16 bytes, 20 "
		"expected for aes-128-gcm"),
	E("sa out 5 aead_algo aes-256-gcm aead_key " K20 " mode transport",
		"bad.cfg:1: aead_key: 20 bytes, 36 expected for aes-256-gcm"),
	E("sa out 5 aead_algo aes-128-gcm aead_key " K36 " mode transport",
		"bad.cfg:1: aead_key: 36 bytes, 20 expected"),
	E("sa out 5 aead_algo aes-256-gcm aead_key " K36 ":00 mode transport",
		"bad.cfg:1: aead_key: longer than 36 bytes"),
	E("sa out 5 aead_algo aes-128-gcm aead_key zz:" K20, "bad.cfg:1: "
		"aead_key: \"zz:"),
	E("sa out 5 aead_algo aes-128-gcm aead_key 00::01", "bad.cfg:1: "
		"aead_key: \"00::01\": expected hex bytes"),
	E("sa out 5 aead_algo aes-128-gcm aead_key 001:02", "bad.cfg:1: "
		"aead_key: \"001:02\": expected hex bytes"),
	E("sa out 5 aead_algo aes-128-gcm aead_key 01:02:", "bad.cfg:1: "
		"aead_key: \"01:02:\": expected hex bytes"),
	E("sa out 5 aead_algo aes-128-gcm aead_key 0x1:02", "bad.cfg:1: "
		"aead_key:"),
	E(SA_BASE " mode ipv4-tunnel dst 2.2.2.2", "bad.cfg:1: src: missing "
		"(required by mode ipv4-tunnel)"),
	E(SA_BASE " mode ipv6-tunnel src ::1", "bad.cfg:1: dst: missing "
		"(required by mode ipv6-tunnel)"),
	E(SA_BASE " mode ipv4-tunnel src ::1 dst 2.2.2.2", "bad.cfg:1: src: "
		"an IPv6 address with mode ipv4-tunnel"),
	E(SA_BASE " mode ipv6-tunnel src ::1 dst 2.2.2.2", "bad.cfg:1: dst: "
		"an IPv4 address with mode ipv6-tunnel"),
	E(SA_BASE " mode transport src 1.1.1.1", "bad.cfg:1: src: not "
		"allowed with mode transport"),
	E(SA_BASE " dst 1.1.1.1 mode transport", "bad.cfg:1: dst: not "
		"allowed with mode transport"),
	E(SA_BASE " mode ipv4-tunnel src 1.1.1.1/32 dst 2.2.2.2", "bad.cfg:1: "
		"src: \"1.1.1.1/32\": not an IPv4 or IPv6 address"),
	E(SA_BASE " mode ipv4-tunnel src 1.1.1 dst 2.2.2.2", "bad.cfg:1: "
		"src: \"1.1.1\": not an"),
	E(SA_BASE " mode tunnel", "bad.cfg:1: mode: \"tunnel\": expected"),
	E(SA_OK " type inline-crypto-offload", "bad.cfg:1: port_id: missing "
		"(required by type inline-crypto-offload)"),
	E(SA_OK " port_id 65536", "bad.cfg:1: port_id: \"65536\" is not a "
		"decimal number from 0 to 65535"),
	E(SA_OK " port_id -1", "bad.cfg:1: port_id: \"-1\" is not"),
	E(SA_OK " port_id", "bad.cfg:1: port_id: missing value"),
	E("sa out 5 aead_algo", "bad.cfg:1: aead_algo: missing value"),
	E("sa out 5 aead_algo aes-128-gcm aead_key", "bad.cfg:1: aead_key: "
		"missing value"),
	E("sa out 0 aead_algo aes-128-gcm", "bad.cfg:1: spi: \"0\" is not a "
		"decimal number from 1 to 4294967294"),
	E("sa out 4294967295", "bad.cfg:1: spi: \"4294967295\" is not"),
	E("sa out 99999999999999999999999999", "bad.cfg:1: spi: "
		"\"99999999999999999999999999\" is not"),
	E("sa out 0x10", "bad.cfg:1: spi: \"0x10\" is not a decimal"),
	E("sa out +5", "bad.cfg:1: spi: \"+5\" is not"),
	E("sa out", "bad.cfg:1: sa: missing SPI"),
	E("sa", "bad.cfg:1: sa: missing direction (in or out)"),
	E("sa both 5", "bad.cfg:1: sa: \"both\": expected in or out"),
	E("sa OUT 5", "bad.cfg:1: sa: \"OUT\": expected in or out"),
	/* sp */
	E(SP4 "proto 256", "bad.cfg:1: proto: \"256\": expected N or "
		"LOW:HIGH with numbers from 0 to 255"),
	E(SP4 "proto 17:6", "bad.cfg:1: proto: \"17:6\": 17 is above 6"),
	E(SP4 "sport 5", "bad.cfg:1: sport: \"5\": expected LOW:HIGH"),
	E(SP4 "dport 1:65536", "bad.cfg:1: dport: \"1:65536\": expected "
		"LOW:HIGH with numbers from 0 to 65535"),
	E(SP4 "dport :5", "bad.cfg:1: dport: \":5\""),
	E(SP4 "sport 1:", "bad.cfg:1: sport: \"1:\""),
	E(SP4 "sport 1:2:3", "bad.cfg:1: sport: \"1:2:3\""),
	E(SP4 "sport 2:1", "bad.cfg:1: sport: \"2:1\": 2 is above 1"),
	E(SP4 "sport 0:1 sport 0:1", "bad.cfg:1: sport: given twice"),
	E(SP4 "proto", "bad.cfg:1: proto: missing value"),
	E("sp ipv4 out bypass", "bad.cfg:1: esp: missing"),
	E("sp ipv4 out esp esp bypass", "bad.cfg:1: esp: given twice"),
	E("sp ipv4 out esp", "bad.cfg:1: sp: missing action (protect SPI, "
		"bypass or discard)"),
	E(SP4 "discard", "bad.cfg:1: discard: conflicts with bypass"),
	E("sp ipv4 out esp protect 5 bypass", "bad.cfg:1: bypass: conflicts "
		"with protect"),
	E(SP4 "bypass", "bad.cfg:1: bypass: given twice"),
	E("sp ipv4 out esp protect", "bad.cfg:1: protect: missing value"),
	E("sp ipv4 out esp protect 0", "bad.cfg:1: protect: \"0\" is not a "
		"decimal number from 1 to 4294967294"),
	E("sp ipv4 out esp protect 4294967295", "bad.cfg:1: protect: "),
	E(SP4 "pri 536870911", "bad.cfg:1: pri: \"536870911\" is not a "
		"decimal number from 0 to 536870910"),
	E(SP4 "pri -1", "bad.cfg:1: pri: \"-1\""),
	E(SP4 "pri 1 pri 2", "bad.cfg:1: pri: given twice"),
	E(SP4 "src 10.0.0.0", "bad.cfg:1: src: \"10.0.0.0\": expected "
		"ADDRESS/DEPTH"),
	E(SP4 "src 10.0.0.0/33", "bad.cfg:1: src: \"10.0.0.0/33\": the "
		"depth is not a decimal number from 0 to 32"),
	E(SP4 "src 10.0.0.0/", "bad.cfg:1: src: \"10.0.0.0/\": the depth"),
	E(SP4 "src 10.0.0.0/8/8", "bad.cfg:1: src: \"10.0.0.0/8/8\": the"),
	E(SP4 "src /8", "bad.cfg:1: src: \"/8\": not an IPv4 address"),
	E(SP4 "dst 2001:db8::/32", "bad.cfg:1: dst: \"2001:db8::/32\": an "
		"IPv6 address in an IPv4 rule"),
	E("sp ipv6 in esp bypass dst ::/129", "bad.cfg:1: dst: \"::/129\": "
		"the depth is not a decimal number from 0 to 128"),
	E("sp ipv6 in esp bypass dst 10.0.0.0/8", "bad.cfg:1: dst: "
		"\"10.0.0.0/8\": an IPv4 address in an IPv6 rule"),
	E(SP4 "dst 300.0.0.0/8", "bad.cfg:1: dst: \"300.0.0.0/8\": not an "
		"IPv4 address"),
	E(SP4 "src 1.0.0.0/8 src 2.0.0.0/8", "bad.cfg:1: src: given twice"),
	E("sp ipv5 out esp bypass", "bad.cfg:1: sp: \"ipv5\": expected ipv4 "
		"or ipv6"),
	E("sp", "bad.cfg:1: sp: missing IP version"),
	E("sp ipv4", "bad.cfg:1: sp: missing direction"),
	E("sp ipv4 sideways esp bypass", "bad.cfg:1: sp: \"sideways\": "
		"expected in or out"),
	E(SP4 "queue 1", "bad.cfg:1: queue: unknown keyword in an sp rule"),
	/* rt */
	E("rt ipv4 dst 1.0.0.0/8", "bad.cfg:1: port: missing"),
	E("rt ipv4 port 1", "bad.cfg:1: dst: missing"),
	E("rt ipv4 src 1.0.0.0/8 dst 2.0.0.0/8 port 0", "bad.cfg:1: src: not "
		"supported by secpath_gw"),
	E("rt ipv6 dst 1.0.0.0/8 port 0", "bad.cfg:1: dst: \"1.0.0.0/8\": an "
		"IPv4 address in an IPv6 rule"),
	E("rt ipv4 dst 1.0.0.0 port 0", "bad.cfg:1: dst: \"1.0.0.0\": "
		"expected ADDRESS/DEPTH"),
	E("rt ipv4 dst 1.0.0.0/8 port 70000", "bad.cfg:1: port: \"70000\""),
	E("rt ipv4 dst 1.0.0.0/8 port 1 port 1", "bad.cfg:1: port: given"),
	E("rt ipv4 dst 1.0.0.0/8 port 1 queue 0", "bad.cfg:1: queue: unknown "
		"keyword in an rt rule"),
	E("rt ipv4 dst", "bad.cfg:1: dst: missing value"),
	E("rt", "bad.cfg:1: rt: missing IP version"),
	/* neigh */
	E("neigh 0 DE:AD:BE:EF:01:02", "bad.cfg:1: neigh: expected \"neigh "
		"port N XX:XX:XX:XX:XX:XX\""),
	E("neigh", "bad.cfg:1: neigh: expected"),
	E("neigh port", "bad.cfg:1: port: missing value"),
	E("neigh port 0", "bad.cfg:1: neigh: missing MAC address"),
	E("neigh port 65536 DE:AD:BE:EF:01:02", "bad.cfg:1: port: \"65536\""),
	E("neigh port 0 DE:AD:BE:EF:01", "bad.cfg:1: neigh: "
		"\"DE:AD:BE:EF:01\": not a MAC address"),
	E("neigh port 0 DE:AD:BE:EF:01:02:03", "bad.cfg:1: neigh: "
		"\"DE:AD:BE:EF:01:02:03\": not a MAC"),
	E("neigh port 0 DE:AD:BE:EF:01:002", "bad.cfg:1: neigh: "),
	E("neigh port 0 DE-AD-BE-EF-01-02", "bad.cfg:1: neigh: "),
	E("neigh port 0 DE:AD:BE:EF:01:02 extra", "bad.cfg:1: extra: "
		"unexpected after the MAC address"),
	/* rules, lines */
	E("flow ipv4 dst 1.0.0.0/8 port 0 queue 0", "bad.cfg:1: flow: not "
		"supported by secpath_gw"),
	E("bogus 1 2", "bad.cfg:1: bogus: unknown rule (expected sp, sa, rt "
		"or neigh)"),
	E("SP ipv4 out esp bypass", "bad.cfg:1: SP: unknown rule"),
	E("\x01\x02 x", "bad.cfg:1: ??: unknown rule"),
	E("sp ipv4 out esp bypass\n\n# c\nsp ipv4 out esp bypasss",
		"bad.cfg:4: bypasss: unknown keyword"),
	E("# c\n\n" SA_BASE " \\\n mode ipv4-tunnel \\\n  # c\n esn 1\n",
		"bad.cfg:3: esn: not supported"),
	E("sp ipv4 out esp bypass \\", "bad.cfg:1: line: continued with '\\' "
		"at the end of the file"),
	E("sp ipv4 out esp bypass \\\n# only a comment", "bad.cfg:1: line: "
		"continued"),
	E("sp ipv4 out esp \\ bypass", "bad.cfg:1: \\: unknown keyword"),
	E("sp ipv4 out esp bypass " "abcdefghijklmnopqrstuvwxyz0123456789"
		"abcdefghijklmnopqrstuvwxyz",
		"bad.cfg:1: abcdefghijklmnopqrstuvwxyz0123456789a...: "
		"unknown keyword in an sp rule"),
};

static int
test_bad_lines(void)
{
	struct gw_conf c;
	unsigned int i;
	int rc;

	for (i = 0; i < RTE_DIM(bad_lines); i++) {
		const struct bad *b = &bad_lines[i];

		memset(&c, 0xa5, sizeof(c));
		err[0] = '\0';
		rc = gw_conf_parse_string(b->text, "bad.cfg", &c, err,
			sizeof(err));
		if (rc != b->rc || strstr(err, b->expect) != err ||
				strchr(err, '\n') != NULL ||
				!conf_empty(&c)) {
			printf("  case %u: \"%s\"\n  rc %d (expected %d), "
				"error \"%s\"\n  expected \"%s...\"\n", i,
				b->text, rc, b->rc, err, b->expect);
			gw_conf_free(&c);
			return TEST_FAILED;
		}
	}
	printf("  %u bad lines refused\n", i);
	return TEST_SUCCESS;
}

static const struct bad cross[] = {
	E(SA_OK "\nsa in 5 aead_algo aes-128-gcm aead_key " K20
		" mode transport\n" SA_OK "\n",
		"x.cfg:3: spi: SPI 5 of direction out already used at line 1"),
	E("sp ipv4 out esp protect 6\n" SA_OK, "x.cfg:1: protect: no sa out "
		"6 in the file"),
	E("sp ipv4 in esp protect 5\n" SA_OK, "x.cfg:1: protect: no sa in 5"),
	E(SA_OK "\nsp ipv4 out esp protect 5\n\nsp ipv6 out esp protect 9\n",
		"x.cfg:4: protect: no sa out 9"),
	/* The error of the first line wins. */
	E(SA_OK "\nsp ipv4 out esp protect 6\n" SA_OK "\n",
		"x.cfg:2: protect:"),
	E("rt ipv4 dst 10.0.0.0/8 port 0\nrt ipv4 dst 10.0.0.0/9 port 0\n"
		"rt ipv4 dst 10.1.2.3/8 port 1\n", "x.cfg:3: dst: a route to "
		"this prefix already at line 1"),
	E("rt ipv6 dst 2001:db8::/32 port 0\nrt ipv4 dst 0.0.0.0/0 port 1\n"
		"rt ipv6 dst 2001:db8:ffff::1/32 port 0\n", "x.cfg:3: dst: a "
		"route"),
	E("neigh port 1 0:0:0:0:0:1\nneigh port 2 0:0:0:0:0:1\n"
		"neigh port 1 0:0:0:0:0:2\n", "x.cfg:3: port: port 1 already "
		"has a neighbour at line 1"),
};

static int
test_cross(void)
{
	struct gw_conf c;
	unsigned int i;
	int rc;

	for (i = 0; i < RTE_DIM(cross); i++) {
		rc = gw_conf_parse_string(cross[i].text, "x.cfg", &c, err,
			sizeof(err));
		if (rc != cross[i].rc || strstr(err, cross[i].expect) != err ||
				!conf_empty(&c)) {
			printf("  case %u: rc %d, \"%s\", expected \"%s\"\n",
				i, rc, err, cross[i].expect);
			gw_conf_free(&c);
			return TEST_FAILED;
		}
	}
	/* One SPI in both directions; an SP of each family per SA. */
	rc = gw_conf_parse_string(SA_OK "\nsa in 5 aead_algo aes-128-gcm "
		"aead_key " K20 " mode transport\nsp ipv4 in esp protect 5\n"
		"sp ipv6 out esp protect 5\nsp ipv4 out esp protect 5\n"
		"rt ipv4 dst 10.0.0.0/8 port 0\n"
		"rt ipv4 dst 10.0.0.0/16 port 0\n"
		"rt ipv6 dst 10::/8 port 0\n", "x.cfg", &c, err, sizeof(err));
	TEST_ASSERT(rc == 0, "rc %d: %s", rc, err);
	TEST_ASSERT_EQ(c.nb_sa, 2, "sa");
	TEST_ASSERT_EQ(c.nb_sp, 3, "sp");
	TEST_ASSERT_EQ(c.nb_rt, 3, "rt");
	gw_conf_free(&c);
	return TEST_SUCCESS;
}

/* A string of n lines, line i written by fmt(i); NULL on failure. */
static char *
lines(unsigned int n, int (*fmt)(char *, size_t, unsigned int))
{
	size_t cap = (size_t)n * 200 + 1, len = 0;
	char *s = malloc(cap);
	unsigned int i;

	if (s == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		len += (size_t)fmt(s + len, cap - len, i);
	s[len] = '\0';
	return s;
}

static int
fmt_sa(char *b, size_t l, unsigned int i)
{
	return snprintf(b, l, "sa in %u aead_algo aes-128-gcm aead_key " K20
		" mode transport\n", i + 1);
}

static int
fmt_sp(char *b, size_t l, unsigned int i)
{
	return snprintf(b, l, "sp ipv4 in esp bypass pri %u\n", i);
}

static int
fmt_rt(char *b, size_t l, unsigned int i)
{
	return snprintf(b, l, "rt ipv4 dst 10.%u.%u.0/24 port 0\n", i >> 8,
		i & 0xff);
}

static int
fmt_neigh(char *b, size_t l, unsigned int i)
{
	return snprintf(b, l, "neigh port %u 0:0:0:0:0:%x\n", i, i & 0xff);
}

static int
limit(const char *what, unsigned int max,
	int (*fmt)(char *, size_t, unsigned int), size_t nb_off)
{
	char expect[128];
	struct gw_conf c;
	char *s;
	int rc;

	s = lines(max, fmt);
	TEST_ASSERT(s != NULL, "malloc");
	rc = gw_conf_parse_string(s, "lim.cfg", &c, err, sizeof(err));
	free(s);
	TEST_ASSERT(rc == 0, "%s: %u lines: rc %d: %s", what, max, rc, err);
	TEST_ASSERT_EQ(*(unsigned int *)((char *)&c + nb_off), max, what);
	gw_conf_free(&c);

	s = lines(max + 1, fmt);
	TEST_ASSERT(s != NULL, "malloc");
	rc = gw_conf_parse_string(s, "lim.cfg", &c, err, sizeof(err));
	free(s);
	TEST_ASSERT_EQ(rc, -ENOSPC, what);
	snprintf(expect, sizeof(expect), "lim.cfg:%u: %s: more than %u %s "
		"rules in the file", max + 1, what, max, what);
	TEST_ASSERT(strcmp(err, expect) == 0, "\"%s\" != \"%s\"", err,
		expect);
	TEST_ASSERT(conf_empty(&c), "%s: conf not empty", what);
	return TEST_SUCCESS;
}

static int
test_limits(void)
{
	if (limit("sa", GW_CONF_MAX_SA, fmt_sa,
			offsetof(struct gw_conf, nb_sa)) != TEST_SUCCESS ||
			limit("sp", GW_CONF_MAX_SP, fmt_sp,
			offsetof(struct gw_conf, nb_sp)) != TEST_SUCCESS ||
			limit("rt", GW_CONF_MAX_RT, fmt_rt,
			offsetof(struct gw_conf, nb_rt)) != TEST_SUCCESS ||
			limit("neigh", GW_CONF_MAX_NEIGH, fmt_neigh,
			offsetof(struct gw_conf, nb_neigh)) != TEST_SUCCESS)
		return TEST_FAILED;
	return TEST_SUCCESS;
}

/* Write len bytes to a new temporary file; its path in path. */
static int
write_tmp(char *path, size_t size, const char *data, size_t len)
{
	int fd;

	snprintf(path, size, "/tmp/gw_conf_XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -errno;
	if (write(fd, data, len) != (ssize_t)len) {
		close(fd);
		unlink(path);
		return -EIO;
	}
	close(fd);
	return 0;
}

/* Long lines, NULs, CRLF, files that cannot be read. */
static int
test_lines(void)
{
	char path[64], expect[160];
	size_t n = LINE_MAX_LEN + 64, len;
	struct gw_conf c;
	char *s = malloc(2 * n + 64);
	int rc;

	TEST_ASSERT(s != NULL, "malloc");
	/* A line of exactly LINE_MAX_LEN characters, then one more. */
	len = (size_t)sprintf(s, "sp ipv4 in esp bypass #");
	memset(s + len, 'x', LINE_MAX_LEN - len);
	strcpy(s + LINE_MAX_LEN, "\nsp ipv4 in esp bypass\n");
	rc = gw_conf_parse_string(s, "long.cfg", &c, err, sizeof(err));
	TEST_ASSERT(rc == 0 && c.nb_sp == 2, "4096: rc %d %s", rc, err);
	gw_conf_free(&c);
	memset(s, 'y', LINE_MAX_LEN + 1);
	strcpy(s + LINE_MAX_LEN + 1, "\n");
	rc = gw_conf_parse_string(s, "long.cfg", &c, err, sizeof(err));
	TEST_ASSERT_EQ(rc, -EINVAL, "4097");
	TEST_ASSERT(strcmp(err, "long.cfg:1: line: longer than 4096 "
		"characters") == 0, "%s", err);
	TEST_ASSERT(conf_empty(&c), "conf");

	/* Joined lines longer than the limit: the first line is named. */
	len = (size_t)sprintf(s, "#\nsp ipv4 in esp bypass \\\n");
	memset(s + len, 'z', 3000);
	strcpy(s + len + 3000, "\\\n");
	len += 3002;
	memset(s + len, 'z', 3000);
	strcpy(s + len + 3000, "\n");
	rc = gw_conf_parse_string(s, "long.cfg", &c, err, sizeof(err));
	TEST_ASSERT_EQ(rc, -EINVAL, "joined");
	TEST_ASSERT(strcmp(err, "long.cfg:2: line: the joined line is longer "
		"than 4096 characters") == 0, "%s", err);

	/* A file: CRLF, no final end of line; then a NUL on line 3. */
	len = (size_t)sprintf(s, "sp ipv4 in esp bypass\r\n#\r\n"
		"rt ipv4 dst 1.0.0.0/8 port 2");
	TEST_ASSERT(write_tmp(path, sizeof(path), s, len) == 0, "tmp");
	rc = gw_conf_parse_file(path, &c, err, sizeof(err));
	TEST_ASSERT(rc == 0, "crlf: %d %s", rc, err);
	TEST_ASSERT(c.nb_sp == 1 && c.nb_rt == 1 && c.rt[0].port == 2,
		"crlf content");
	gw_conf_free(&c);
	unlink(path);
	memcpy(s, "sp ipv4 in esp bypass\n\nsp ipv4 in\0 esp bypass\n", 47);
	TEST_ASSERT(write_tmp(path, sizeof(path), s, 47) == 0, "tmp");
	rc = gw_conf_parse_file(path, &c, err, sizeof(err));
	unlink(path);
	TEST_ASSERT_EQ(rc, -EINVAL, "nul");
	snprintf(expect, sizeof(expect), "%s:3: line: NUL character", path);
	TEST_ASSERT(strcmp(err, expect) == 0, "%s", err);
	TEST_ASSERT(conf_empty(&c), "conf");

	/* A long line in a file: refused without reading it whole. */
	memset(s, 'w', 2 * n);
	TEST_ASSERT(write_tmp(path, sizeof(path), s, 2 * n) == 0, "tmp");
	rc = gw_conf_parse_file(path, &c, err, sizeof(err));
	unlink(path);
	TEST_ASSERT_EQ(rc, -EINVAL, "long file");
	TEST_ASSERT(strstr(err, ":1: line: longer than 4096") != NULL, "%s",
		err);
	free(s);

	rc = gw_conf_parse_file("/nonexistent/gw.cfg", &c, err, sizeof(err));
	TEST_ASSERT_EQ(rc, -ENOENT, "enoent");
	TEST_ASSERT(strstr(err, "/nonexistent/gw.cfg: cannot open: ") == err,
		"%s", err);
	TEST_ASSERT(conf_empty(&c), "conf");
	rc = gw_conf_parse_file("/", &c, err, sizeof(err));
	TEST_ASSERT_EQ(rc, -EISDIR, "directory");
	TEST_ASSERT(strcmp(err, "/:1: line: Is a directory") == 0, "%s", err);
	TEST_ASSERT(conf_empty(&c), "conf");

	/* A short err buffer is cut, still terminated; NULL is allowed. */
	rc = gw_conf_parse_string("bogus", "b.cfg", &c, err, 8);
	TEST_ASSERT(rc == -EINVAL && strcmp(err, "b.cfg:1") == 0, "%s", err);
	rc = gw_conf_parse_string("bogus", "b.cfg", &c, NULL, 0);
	TEST_ASSERT_EQ(rc, -EINVAL, "no err buffer");
	rc = gw_conf_parse_string(NULL, "b.cfg", &c, err, sizeof(err));
	TEST_ASSERT_EQ(rc, -EINVAL, "NULL text");
	return TEST_SUCCESS;
}

/* xorshift64*: the fuzz case's random numbers, reproducible. */
static uint64_t rnd_state;

static uint32_t
rnd(uint32_t n)
{
	rnd_state ^= rnd_state >> 12;
	rnd_state ^= rnd_state << 25;
	rnd_state ^= rnd_state >> 27;
	return (uint32_t)((rnd_state * 0x2545f4914f6cdd1dull) >> 32) % n;
}

static const char *const dict[] = {
	"sp", "sa", "rt", "neigh", "ipv4", "ipv6", "in", "out", "esp",
	"protect", "bypass", "discard", "pri", "src", "dst", "proto", "sport",
	"dport", "aead_algo", "aead_key", "mode", "type", "port_id", "port",
	"transport", "ipv4-tunnel", "ipv6-tunnel", "aes-128-gcm",
	"aes-256-gcm", "cpu-crypto", "inline-crypto-offload", "esn",
	"cipher_algo", "0", "1", "5", "25", "125", "65535", "65536",
	"4294967295", "4294967294", "99999999999999999999", "-1", "::",
	"::1/128", "/129", "/0", "1.2.3.4", "10.0.0.0/8", ":", "0:65535",
	" ", "\t", "\n", "\\\n", "\\", "#", "\r", K20, K36, "ff:",
};

/* Whether err is "name:LINE: KEYWORD: ..." with 1 <= LINE <= max. */
static bool
err_ok(const char *e, const char *name, unsigned int max)
{
	size_t n = strlen(name);
	unsigned long line;
	char *end;

	if (strncmp(e, name, n) != 0 || e[n] != ':' || strchr(e, '\n'))
		return false;
	if (e[n + 1] < '0' || e[n + 1] > '9')
		return false;
	line = strtoul(e + n + 1, &end, 10);
	if (line < 1 || line > max || strncmp(end, ": ", 2) != 0)
		return false;
	end += 2;
	/* A keyword without blanks, not empty, then the message. */
	n = strcspn(end, " ");
	return n >= 2 && end[n - 1] == ':' && end[n] == ' ' &&
		end[n + 1] != '\0';
}

/* What a successful parse must satisfy. */
static bool
conf_ok(const struct gw_conf *c)
{
	unsigned int i;

	if (c->nb_sa > GW_CONF_MAX_SA || c->nb_sp > GW_CONF_MAX_SP ||
			c->nb_rt > GW_CONF_MAX_RT ||
			c->nb_neigh > GW_CONF_MAX_NEIGH)
		return false;
	for (i = 0; i < c->nb_sa; i++) {
		const struct gw_sa_conf *sa = &c->sa[i];

		if (sa->spi == 0 || sa->spi == UINT32_MAX ||
				(sa->key_len != 16 && sa->key_len != 32) ||
				gw_conf_find_sa(c, sa->dir, sa->spi) != sa)
			return false;
		if (sa->mode == GW_SA_TRANSPORT ? sa->src.family != 0 :
				sa->src.family != (sa->mode ==
				GW_SA_IPV4_TUNNEL ? 4 : 6) ||
				sa->dst.family != sa->src.family)
			return false;
		if (sa->type == GW_SA_INLINE_CRYPTO && !sa->has_port)
			return false;
	}
	for (i = 0; i < c->nb_sp; i++) {
		const struct gw_sp_conf *sp = &c->sp[i];

		if (sp->action == GW_SP_PROTECT &&
				gw_conf_find_sa(c, sp->dir, sp->spi) == NULL)
			return false;
		if (sp->proto_lo > sp->proto_hi ||
				sp->sport_lo > sp->sport_hi ||
				sp->dport_lo > sp->dport_hi ||
				sp->src.depth > (sp->family == 4 ? 32 : 128))
			return false;
	}
	return true;
}

#define FUZZ_ITER 20000
#define FUZZ_CAP (sizeof(valid_cfg) * 4)

static void
mutate(char *s, size_t *len)
{
	size_t at = *len == 0 ? 0 : rnd((uint32_t)*len), n, wl;
	const char *w;

	switch (rnd(6)) {
	case 0: /* a random byte, never NUL (a string) */
		if (*len > 0)
			s[at] = (char)(1 + rnd(255));
		break;
	case 1: /* a byte that matters to the grammar */
		if (*len > 0)
			s[at] = " \t\n\\#:/.0"[rnd(9)];
		break;
	case 2: /* delete up to 16 bytes */
		n = 1 + rnd(16);
		if (at + n > *len)
			n = *len - at;
		memmove(s + at, s + at + n, *len - at - n);
		*len -= n;
		break;
	case 3: /* insert a word */
		w = dict[rnd(RTE_DIM(dict))];
		wl = strlen(w);
		if (*len + wl + 1 >= FUZZ_CAP)
			break;
		memmove(s + at + wl, s + at, *len - at);
		memcpy(s + at, w, wl);
		*len += wl;
		break;
	case 4: /* repeat up to 64 bytes */
		n = 1 + rnd(64);
		if (at + n > *len)
			n = *len - at;
		if (*len + n + 1 >= FUZZ_CAP)
			break;
		memmove(s + at + n, s + at, *len - at);
		*len += n;
		break;
	default: /* cut the end */
		*len = at;
		break;
	}
	s[*len] = '\0';
}

static int
test_fuzz(void)
{
	unsigned int i, k, ok = 0, nb_lines, files = 0;
	uint64_t seed = 0x5ec9a7c0ffee1234ull;
	char *s = malloc(FUZZ_CAP);
	char path[64], name[80];
	struct gw_conf c;
	size_t len, j;
	int rc;

	TEST_ASSERT(s != NULL, "malloc");
	printf("  seed 0x%" PRIx64 ", %d iterations\n", seed, FUZZ_ITER);
	rnd_state = seed;
	for (i = 0; i < FUZZ_ITER; i++) {
		memcpy(s, valid_cfg, sizeof(valid_cfg));
		len = sizeof(valid_cfg) - 1;
		for (k = 1 + rnd(4); k > 0; k--)
			mutate(s, &len);
		nb_lines = 1;
		for (j = 0; j < len; j++)
			nb_lines += s[j] == '\n';
		memset(&c, 0x5a, sizeof(c));
		err[0] = '\0';
		if (i % 50 == 0) {
			/* Through a file, with a NUL sometimes. */
			if (len > 0 && rnd(2) == 0)
				s[rnd((uint32_t)len)] = '\0';
			TEST_ASSERT(write_tmp(path, sizeof(path), s, len) == 0,
				"tmp");
			rc = gw_conf_parse_file(path, &c, err, sizeof(err));
			unlink(path);
			snprintf(name, sizeof(name), "%s", path);
			files++;
		} else {
			rc = gw_conf_parse_string(s, "fuzz.cfg", &c, err,
				sizeof(err));
			snprintf(name, sizeof(name), "fuzz.cfg");
		}
		if (rc == 0) {
			ok++;
			if (!conf_ok(&c)) {
				printf("  iteration %u: accepted a bad "
					"configuration:\n%s\n", i, s);
				gw_conf_free(&c);
				free(s);
				return TEST_FAILED;
			}
			gw_conf_free(&c);
			continue;
		}
		if ((rc != -EINVAL && rc != -ENOSPC) ||
				!err_ok(err, name, nb_lines) ||
				!conf_empty(&c)) {
			printf("  iteration %u: rc %d, error \"%s\", text:\n"
				"%s\n", i, rc, err, s);
			free(s);
			return TEST_FAILED;
		}
	}
	free(s);
	printf("  %u accepted, %u refused (%u through files)\n", ok,
		FUZZ_ITER - ok, files);
	TEST_ASSERT(ok > 0 && ok < FUZZ_ITER, "no variety: %u accepted", ok);
	return TEST_SUCCESS;
}

static struct unit_test_suite gw_conf_suite = {
	.name = "secpath_gw_conf",
	.cases = {
		TEST_CASE(test_valid),
		TEST_CASE(test_ep0),
		TEST_CASE(test_bad_lines),
		TEST_CASE(test_cross),
		TEST_CASE(test_limits),
		TEST_CASE(test_lines),
		TEST_CASE(test_fuzz),
		TEST_CASES_END()
	},
};

REGISTER_TEST_SUITE(gw_conf_suite);
