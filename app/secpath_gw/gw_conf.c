/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * The parser of secpath_gw's configuration file (gw_conf.h): ipsec-secgw's
 * sp, sa, rt and neigh rules, as far as secpath_gw supports them.
 *
 * Lines: '#' starts a comment; a line whose first non-blank character is
 * '#' is skipped, even between continued lines (as in ipsec-secgw). A line
 * ending with '\' (blanks after it are allowed) is joined to the next one
 * without a blank in between, as ipsec-secgw does: a key or an address may
 * be cut across lines. An error in a joined line names its first physical
 * line. Lines, physical or joined, are at most GW_LINE_MAX characters.
 *
 * Where ipsec-secgw is lax, secpath_gw refuses: numbers are decimal and
 * checked for overflow; an SP or route prefix needs its "/DEPTH"
 * (ipsec-secgw reads a missing depth as 0, any address); a tunnel SA needs
 * src and dst; inline-crypto-offload needs port_id (ipsec-secgw falls back
 * to no offload without it); a keyword may appear once.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_conf.h"

/** Longest line, physical or joined, without its end of line. */
#define GW_LINE_MAX 4096

/** Characters of a word quoted in a message. */
#define GW_QUOTE_MAX 40

/** ipsec-secgw's rules go through rte_acl, whose largest priority is
 * 0x1fffffff; the gateway gives rte_acl pri + 1 (its smallest is 1). */
#define GW_PRI_MAX 0x1ffffffeu

/* SPI 0 is invalid and ipsec-secgw's SP uses UINT32_MAX for "bypass". */
#define GW_SPI_MIN 1u
#define GW_SPI_MAX (UINT32_MAX - 1)

#define GW_BLANKS " \t\f\v\r"

/* The state of one parse. */
struct gw_parser {
	const char *name;	/* FILE of the messages */
	unsigned int line;	/* first physical line of the joined line */
	struct gw_conf *conf;
	char *err;
	size_t errlen;
	int rc;			/* first error, 0 while none */
	char *cur;		/* next word of the line */
	size_t cap_sa, cap_sp, cap_rt, cap_neigh;
};

/* A word as it may be printed: printable, not too long. */
static const char *
quote(const char *word, char *buf, size_t len)
{
	size_t i;

	for (i = 0; word[i] != '\0' && i + 4 < len; i++)
		buf[i] = (word[i] > ' ' && word[i] < 0x7f) ? word[i] : '?';
	if (word[i] != '\0') {
		memcpy(buf + i, "...", 3);
		i += 3;
	}
	buf[i] = '\0';
	return buf;
}

/* Record the first error: "FILE:LINE: KEYWORD: what is wrong". */
static int __attribute__((format(printf, 4, 5)))
fail(struct gw_parser *p, int rc, const char *kw, const char *fmt, ...)
{
	char q[GW_QUOTE_MAX + 1];
	size_t n = 0;
	va_list ap;
	int r;

	if (p->rc != 0)
		return p->rc;
	p->rc = rc;
	if (p->err == NULL || p->errlen == 0)
		return rc;
	r = snprintf(p->err, p->errlen, "%s:%u: %s: ", p->name, p->line,
		quote(kw, q, sizeof(q)));
	if (r > 0)
		n = (size_t)r;
	if (n < p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - n, fmt, ap);
		va_end(ap);
	}
	return rc;
}

#define FAIL(p, kw, ...) fail(p, -EINVAL, kw, __VA_ARGS__)

/* The next word of the line, or NULL at its end. */
static char *
next_word(struct gw_parser *p)
{
	char *w;

	p->cur += strspn(p->cur, GW_BLANKS);
	if (*p->cur == '\0')
		return NULL;
	w = p->cur;
	p->cur += strcspn(p->cur, GW_BLANKS);
	if (*p->cur != '\0')
		*p->cur++ = '\0';
	return w;
}

/* The value after keyword kw, or NULL with the error recorded. */
static char *
value_of(struct gw_parser *p, const char *kw)
{
	char *v = next_word(p);

	if (v == NULL)
		FAIL(p, kw, "missing value");
	return v;
}

/* A keyword given twice: mark it as seen, or record the error. */
static int
once(struct gw_parser *p, const char *kw, bool *seen)
{
	if (*seen)
		return FAIL(p, kw, "given twice");
	*seen = true;
	return 0;
}

/* A decimal number in [min, max], without sign or blanks. */
static int
parse_uint(const char *s, uint32_t min, uint32_t max, uint32_t *v)
{
	uint64_t n = 0;

	if (*s == '\0')
		return -EINVAL;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -EINVAL;
		n = n * 10 + (uint64_t)(*s - '0');
		if (n > max)
			return -ERANGE;
	}
	if (n < min)
		return -ERANGE;
	*v = (uint32_t)n;
	return 0;
}

/* A decimal number after kw, with a message naming the bounds. */
static int
number(struct gw_parser *p, const char *kw, const char *s, uint32_t min,
	uint32_t max, uint32_t *v)
{
	char q[GW_QUOTE_MAX + 1];

	if (parse_uint(s, min, max, v) == 0)
		return 0;
	return FAIL(p, kw, "\"%s\" is not a decimal number from %u to %u",
		quote(s, q, sizeof(q)), min, max);
}

/* "LO:HI" in [0, max] with LO <= HI; "N" alone too when single is set. */
static int
range(struct gw_parser *p, const char *kw, char *s, uint32_t max,
	bool single, uint32_t *lo, uint32_t *hi)
{
	char q[GW_QUOTE_MAX + 1];
	char *colon = strchr(s, ':');
	int rc;

	if (colon == NULL && !single)
		return FAIL(p, kw, "\"%s\": expected LOW:HIGH",
			quote(s, q, sizeof(q)));
	if (colon != NULL)
		*colon = '\0';
	rc = parse_uint(s, 0, max, lo);
	if (rc == 0)
		rc = parse_uint(colon != NULL ? colon + 1 : s, 0, max, hi);
	if (colon != NULL)
		*colon = ':';
	if (rc != 0)
		return FAIL(p, kw, "\"%s\": expected %s with numbers from 0 "
			"to %u", quote(s, q, sizeof(q)),
			single ? "N or LOW:HIGH" : "LOW:HIGH", max);
	if (*lo > *hi)
		return FAIL(p, kw, "\"%s\": %u is above %u",
			quote(s, q, sizeof(q)), *lo, *hi);
	return 0;
}

/* An address of either family, or -EINVAL. */
static int
parse_addr(const char *s, size_t len, struct gw_addr *a)
{
	char buf[INET6_ADDRSTRLEN];
	struct in_addr a4;

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, buf, &a4) == 1) {
		a->family = GW_FAMILY_IPV4;
		a->v4 = ntohl(a4.s_addr);
		return 0;
	}
	if (inet_pton(AF_INET6, buf, a->v6) == 1) {
		a->family = GW_FAMILY_IPV6;
		return 0;
	}
	return -EINVAL;
}

static const char *
family_name(uint8_t family)
{
	return family == GW_FAMILY_IPV4 ? "IPv4" : "IPv6";
}

/*
 * "ADDR/DEPTH" of the family. Host bits beyond DEPTH are kept as written:
 * ipsec-secgw accepts them, rte_acl and rte_lpm mask them.
 */
static int
prefix(struct gw_parser *p, const char *kw, const char *s, uint8_t family,
	struct gw_prefix *pf)
{
	char q[GW_QUOTE_MAX + 1];
	const char *slash = strchr(s, '/');
	uint32_t max = family == GW_FAMILY_IPV4 ? 32 : 128;
	uint32_t depth;

	if (slash == NULL)
		return FAIL(p, kw, "\"%s\": expected ADDRESS/DEPTH (without "
			"a depth, ipsec-secgw takes /0)",
			quote(s, q, sizeof(q)));
	if (parse_addr(s, (size_t)(slash - s), &pf->addr) != 0)
		return FAIL(p, kw, "\"%s\": not an %s address",
			quote(s, q, sizeof(q)), family_name(family));
	if (pf->addr.family != family)
		return FAIL(p, kw, "\"%s\": an %s address in an %s rule",
			quote(s, q, sizeof(q)),
			family_name(pf->addr.family), family_name(family));
	if (parse_uint(slash + 1, 0, max, &depth) != 0)
		return FAIL(p, kw, "\"%s\": the depth is not a decimal "
			"number from 0 to %u", quote(s, q, sizeof(q)), max);
	pf->depth = (uint8_t)depth;
	return 0;
}

/* "in" or "out" after keyword kw. */
static int
direction(struct gw_parser *p, const char *kw, uint8_t *dir)
{
	char q[GW_QUOTE_MAX + 1];
	char *w = next_word(p);

	if (w == NULL)
		return FAIL(p, kw, "missing direction (in or out)");
	if (strcmp(w, "in") == 0)
		*dir = GW_DIR_IN;
	else if (strcmp(w, "out") == 0)
		*dir = GW_DIR_OUT;
	else
		return FAIL(p, kw, "\"%s\": expected in or out",
			quote(w, q, sizeof(q)));
	return 0;
}

/* "ipv4" or "ipv6" after keyword kw. */
static int
ip_version(struct gw_parser *p, const char *kw, uint8_t *family)
{
	char q[GW_QUOTE_MAX + 1];
	char *w = next_word(p);

	if (w == NULL)
		return FAIL(p, kw, "missing IP version (ipv4 or ipv6)");
	if (strcmp(w, "ipv4") == 0)
		*family = GW_FAMILY_IPV4;
	else if (strcmp(w, "ipv6") == 0)
		*family = GW_FAMILY_IPV6;
	else
		return FAIL(p, kw, "\"%s\": expected ipv4 or ipv6",
			quote(w, q, sizeof(q)));
	return 0;
}

/*
 * One more element in an array of at most max, grown by doubling; NULL
 * with the error recorded.
 */
static void *
grow(struct gw_parser *p, const char *kw, const char *what, void **arr,
	unsigned int nb, size_t *cap, size_t size, unsigned int max)
{
	size_t ncap;
	void *a;

	if (nb >= max) {
		fail(p, -ENOSPC, kw, "more than %u %s in the file", max,
			what);
		return NULL;
	}
	if (nb == *cap) {
		ncap = *cap == 0 ? 16 : *cap * 2;
		if (ncap > max)
			ncap = max;
		a = realloc(*arr, ncap * size);
		if (a == NULL) {
			fail(p, -ENOMEM, kw, "out of memory");
			return NULL;
		}
		*arr = a;
		*cap = ncap;
	}
	return (char *)*arr + (size_t)nb * size;
}

static int
unknown_word(struct gw_parser *p, const char *rule, const char *w)
{
	return FAIL(p, w, "unknown keyword in %s rule", rule);
}

/*
 * sp ipv4|ipv6 in|out esp protect SPI|bypass|discard [pri N]
 *	[src ADDR/DEPTH] [dst ADDR/DEPTH] [proto N|LO:HI] [sport LO:HI]
 *	[dport LO:HI]
 * After ip version and direction, keywords in any order (ipsec-secgw).
 */
static int
parse_sp(struct gw_parser *p)
{
	bool esp = false, act = false, pri = false, src = false, dst = false;
	bool proto = false, sport = false, dport = false;
	const char *act_kw = NULL;
	struct gw_sp_conf sp, *e;
	uint32_t lo, hi;
	char *w, *val;

	memset(&sp, 0, sizeof(sp));
	sp.line = p->line;
	if (ip_version(p, "sp", &sp.family) != 0 ||
			direction(p, "sp", &sp.dir) != 0)
		return p->rc;
	sp.src.addr.family = sp.family;
	sp.dst.addr.family = sp.family;
	sp.proto_hi = UINT8_MAX;
	sp.sport_hi = UINT16_MAX;
	sp.dport_hi = UINT16_MAX;

	while ((w = next_word(p)) != NULL) {
		if (strcmp(w, "esp") == 0) {
			if (once(p, w, &esp) != 0)
				return p->rc;
			continue;
		}
		if (strcmp(w, "protect") == 0 || strcmp(w, "bypass") == 0 ||
				strcmp(w, "discard") == 0) {
			if (act)
				return strcmp(w, act_kw) == 0 ?
					FAIL(p, w, "given twice") :
					FAIL(p, w, "conflicts with %s",
						act_kw);
			act = true;
			act_kw = w;
			if (w[0] == 'b') {
				sp.action = GW_SP_BYPASS;
				continue;
			}
			if (w[0] == 'd') {
				sp.action = GW_SP_DISCARD;
				continue;
			}
			sp.action = GW_SP_PROTECT;
			val = value_of(p, w);
			if (val == NULL || number(p, w, val, GW_SPI_MIN,
					GW_SPI_MAX, &sp.spi) != 0)
				return p->rc;
			continue;
		}
		if (strcmp(w, "pri") == 0) {
			if (once(p, w, &pri) != 0)
				return p->rc;
			val = value_of(p, w);
			if (val == NULL || number(p, w, val, 0, GW_PRI_MAX,
					&sp.priority) != 0)
				return p->rc;
			continue;
		}
		if (strcmp(w, "src") == 0 || strcmp(w, "dst") == 0) {
			bool *seen = w[0] == 's' ? &src : &dst;

			if (once(p, w, seen) != 0)
				return p->rc;
			val = value_of(p, w);
			if (val == NULL || prefix(p, w, val, sp.family,
					w[0] == 's' ? &sp.src : &sp.dst) != 0)
				return p->rc;
			continue;
		}
		if (strcmp(w, "proto") == 0) {
			if (once(p, w, &proto) != 0)
				return p->rc;
			val = value_of(p, w);
			if (val == NULL || range(p, w, val, UINT8_MAX, true,
					&lo, &hi) != 0)
				return p->rc;
			sp.proto_lo = (uint8_t)lo;
			sp.proto_hi = (uint8_t)hi;
			continue;
		}
		if (strcmp(w, "sport") == 0 || strcmp(w, "dport") == 0) {
			bool s = w[0] == 's';

			if (once(p, w, s ? &sport : &dport) != 0)
				return p->rc;
			val = value_of(p, w);
			if (val == NULL || range(p, w, val, UINT16_MAX, false,
					&lo, &hi) != 0)
				return p->rc;
			if (s) {
				sp.sport_lo = (uint16_t)lo;
				sp.sport_hi = (uint16_t)hi;
			} else {
				sp.dport_lo = (uint16_t)lo;
				sp.dport_hi = (uint16_t)hi;
			}
			continue;
		}
		return unknown_word(p, "an sp", w);
	}
	if (!esp)
		return FAIL(p, "esp", "missing (sp ipv4|ipv6 in|out esp ...)");
	if (!act)
		return FAIL(p, "sp", "missing action (protect SPI, bypass or "
			"discard)");
	e = grow(p, "sp", "sp rules", (void **)&p->conf->sp, p->conf->nb_sp,
		&p->cap_sp, sizeof(*e), GW_CONF_MAX_SP);
	if (e == NULL)
		return p->rc;
	*e = sp;
	p->conf->nb_sp++;
	return 0;
}

/* Keywords of ipsec-secgw's SA that secpath_gw refuses, and why. */
static const struct {
	const char *kw;
	const char *why;
} sa_refused[] = {
	{ "cipher_algo", "not supported (secpath_gw supports aead_algo "
		"aes-128-gcm and aes-256-gcm)" },
	{ "cipher_key", "not supported (secpath_gw supports aead_algo "
		"aes-128-gcm and aes-256-gcm)" },
	{ "auth_algo", "not supported (secpath_gw supports aead_algo "
		"aes-128-gcm and aes-256-gcm)" },
	{ "auth_key", "not supported (secpath_gw supports aead_algo "
		"aes-128-gcm and aes-256-gcm)" },
	{ "esn", "not supported by secpath_gw" },
	{ "flow-direction", "not supported by secpath_gw" },
	{ "fallback", "not supported by secpath_gw" },
	{ "udp-encap", "not supported by secpath_gw" },
	{ "mss", "not supported by secpath_gw" },
	{ "telemetry", "not supported by secpath_gw" },
	{ "reassembly_en", "not supported by secpath_gw" },
};

/* "XX:XX:..." of 1 or 2 hex digits each, at most max bytes. */
static int
hex_bytes(const char *s, uint8_t *out, size_t max, size_t *len)
{
	size_t n = 0;
	int digits;
	unsigned int b;
	char c;

	for (;;) {
		b = 0;
		for (digits = 0; ; digits++, s++) {
			c = *s;
			if (c >= '0' && c <= '9')
				b = b * 16 + (unsigned int)(c - '0');
			else if (c >= 'a' && c <= 'f')
				b = b * 16 + (unsigned int)(c - 'a' + 10);
			else if (c >= 'A' && c <= 'F')
				b = b * 16 + (unsigned int)(c - 'A' + 10);
			else
				break;
			if (digits == 2)
				return -EINVAL;
		}
		if (digits == 0)
			return -EINVAL;
		if (n == max)
			return -E2BIG;
		out[n++] = (uint8_t)b;
		if (*s == '\0')
			break;
		if (*s != ':')
			return -EINVAL;
		s++;
	}
	*len = n;
	return 0;
}

/*
 * sa in|out SPI aead_algo ALGO aead_key KEY:SALT
 *	mode ipv4-tunnel|ipv6-tunnel|transport [src ADDR dst ADDR]
 *	[type lookaside-none|no-offload|cpu-crypto|inline-crypto-offload]
 *	[port_id N]
 */
static int
parse_sa(struct gw_parser *p)
{
	bool algo = false, key = false, mode = false, src = false;
	bool dst = false, type = false, port = false;
	uint8_t keybuf[GW_CONF_KEY_MAX + 4];
	size_t keylen = 0, need, i;
	char q[GW_QUOTE_MAX + 1];
	const char *mode_name = NULL, *type_name = NULL;
	struct gw_sa_conf sa, *e;
	uint8_t family;
	char *w, *val;
	uint32_t v;
	int rc;

	memset(&sa, 0, sizeof(sa));
	sa.line = p->line;
	sa.type = GW_SA_LOOKASIDE_NONE;
	if (direction(p, "sa", &sa.dir) != 0)
		return p->rc;
	w = next_word(p);
	if (w == NULL)
		return FAIL(p, "sa", "missing SPI");
	if (number(p, "spi", w, GW_SPI_MIN, GW_SPI_MAX, &sa.spi) != 0)
		return p->rc;

	while ((w = next_word(p)) != NULL) {
		for (i = 0; i < sizeof(sa_refused) / sizeof(sa_refused[0]);
				i++)
			if (strcmp(w, sa_refused[i].kw) == 0)
				return FAIL(p, w, "%s", sa_refused[i].why);
		if (strcmp(w, "aead_algo") == 0) {
			if (once(p, w, &algo) != 0 ||
					(val = value_of(p, w)) == NULL)
				return p->rc;
			if (strcmp(val, "aes-128-gcm") == 0)
				sa.aead = GW_AEAD_AES_128_GCM;
			else if (strcmp(val, "aes-256-gcm") == 0)
				sa.aead = GW_AEAD_AES_256_GCM;
			else
				return FAIL(p, w, "\"%s\" not supported "
					"(secpath_gw supports aes-128-gcm and "
					"aes-256-gcm)",
					quote(val, q, sizeof(q)));
			continue;
		}
		if (strcmp(w, "aead_key") == 0) {
			if (once(p, w, &key) != 0 ||
					(val = value_of(p, w)) == NULL)
				return p->rc;
			rc = hex_bytes(val, keybuf, sizeof(keybuf), &keylen);
			if (rc == -E2BIG)
				return FAIL(p, w, "longer than %zu bytes",
					sizeof(keybuf));
			if (rc != 0)
				return FAIL(p, w, "\"%s\": expected hex bytes "
					"separated by ':'",
					quote(val, q, sizeof(q)));
			continue;
		}
		if (strcmp(w, "mode") == 0) {
			if (once(p, w, &mode) != 0 ||
					(val = value_of(p, w)) == NULL)
				return p->rc;
			if (strcmp(val, "ipv4-tunnel") == 0)
				sa.mode = GW_SA_IPV4_TUNNEL;
			else if (strcmp(val, "ipv6-tunnel") == 0)
				sa.mode = GW_SA_IPV6_TUNNEL;
			else if (strcmp(val, "transport") == 0)
				sa.mode = GW_SA_TRANSPORT;
			else
				return FAIL(p, w, "\"%s\": expected "
					"ipv4-tunnel, ipv6-tunnel or "
					"transport", quote(val, q, sizeof(q)));
			mode_name = val;
			continue;
		}
		if (strcmp(w, "src") == 0 || strcmp(w, "dst") == 0) {
			struct gw_addr *a = w[0] == 's' ? &sa.src : &sa.dst;

			if (once(p, w, w[0] == 's' ? &src : &dst) != 0 ||
					(val = value_of(p, w)) == NULL)
				return p->rc;
			if (parse_addr(val, strlen(val), a) != 0)
				return FAIL(p, w, "\"%s\": not an IPv4 or IPv6 "
					"address", quote(val, q, sizeof(q)));
			continue;
		}
		if (strcmp(w, "type") == 0) {
			if (once(p, w, &type) != 0 ||
					(val = value_of(p, w)) == NULL)
				return p->rc;
			if (strcmp(val, "lookaside-none") == 0 ||
					strcmp(val, "no-offload") == 0)
				sa.type = GW_SA_LOOKASIDE_NONE;
			else if (strcmp(val, "cpu-crypto") == 0)
				sa.type = GW_SA_CPU_CRYPTO;
			else if (strcmp(val, "inline-crypto-offload") == 0)
				sa.type = GW_SA_INLINE_CRYPTO;
			else if (strcmp(val, "lookaside-protocol-offload")
					== 0 || strcmp(val,
					"inline-protocol-offload") == 0)
				return FAIL(p, w, "%s: not supported by "
					"secpath_gw", val);
			else
				return FAIL(p, w, "\"%s\": expected "
					"lookaside-none, no-offload, "
					"cpu-crypto or inline-crypto-offload",
					quote(val, q, sizeof(q)));
			type_name = val;
			continue;
		}
		if (strcmp(w, "port_id") == 0) {
			if (once(p, w, &port) != 0 ||
					(val = value_of(p, w)) == NULL ||
					number(p, w, val, 0, UINT16_MAX, &v)
					!= 0)
				return p->rc;
			sa.has_port = true;
			sa.port_id = (uint16_t)v;
			continue;
		}
		return unknown_word(p, "an sa", w);
	}

	if (!algo)
		return FAIL(p, "aead_algo", "missing (aes-128-gcm or "
			"aes-256-gcm)");
	if (!key)
		return FAIL(p, "aead_key", "missing");
	sa.key_len = sa.aead == GW_AEAD_AES_128_GCM ? 16 : 32;
	need = (size_t)sa.key_len + 4;
	if (keylen != need)
		return FAIL(p, "aead_key", "%zu bytes, %zu expected for %s (a "
			"%u-byte key and a 4-byte salt)", keylen, need,
			sa.aead == GW_AEAD_AES_128_GCM ? "aes-128-gcm" :
			"aes-256-gcm", sa.key_len);
	memcpy(sa.key, keybuf, sa.key_len);
	memcpy(&sa.salt, keybuf + sa.key_len, 4);
	if (!mode)
		return FAIL(p, "mode", "missing (ipv4-tunnel, ipv6-tunnel or "
			"transport)");
	if (sa.mode == GW_SA_TRANSPORT) {
		if (src)
			return FAIL(p, "src", "not allowed with mode "
				"transport");
		if (dst)
			return FAIL(p, "dst", "not allowed with mode "
				"transport");
	} else {
		family = sa.mode == GW_SA_IPV4_TUNNEL ? GW_FAMILY_IPV4 :
			GW_FAMILY_IPV6;
		if (!src)
			return FAIL(p, "src", "missing (required by mode %s)",
				mode_name);
		if (!dst)
			return FAIL(p, "dst", "missing (required by mode %s)",
				mode_name);
		if (sa.src.family != family)
			return FAIL(p, "src", "an %s address with mode %s",
				family_name(sa.src.family), mode_name);
		if (sa.dst.family != family)
			return FAIL(p, "dst", "an %s address with mode %s",
				family_name(sa.dst.family), mode_name);
	}
	if (sa.type == GW_SA_INLINE_CRYPTO && !sa.has_port)
		return FAIL(p, "port_id", "missing (required by type %s)",
			type_name);

	e = grow(p, "sa", "sa rules", (void **)&p->conf->sa, p->conf->nb_sa,
		&p->cap_sa, sizeof(*e), GW_CONF_MAX_SA);
	if (e == NULL)
		return p->rc;
	*e = sa;
	p->conf->nb_sa++;
	return 0;
}

/* rt ipv4|ipv6 dst ADDR/DEPTH port N */
static int
parse_rt(struct gw_parser *p)
{
	bool dst = false, port = false;
	struct gw_rt_conf rt, *e;
	uint8_t family;
	char *w, *val;
	uint32_t v;

	memset(&rt, 0, sizeof(rt));
	rt.line = p->line;
	if (ip_version(p, "rt", &family) != 0)
		return p->rc;
	while ((w = next_word(p)) != NULL) {
		if (strcmp(w, "dst") == 0) {
			if (once(p, w, &dst) != 0 ||
					(val = value_of(p, w)) == NULL ||
					prefix(p, w, val, family, &rt.dst)
					!= 0)
				return p->rc;
			continue;
		}
		if (strcmp(w, "port") == 0) {
			if (once(p, w, &port) != 0 ||
					(val = value_of(p, w)) == NULL ||
					number(p, w, val, 0, UINT16_MAX, &v)
					!= 0)
				return p->rc;
			rt.port = (uint16_t)v;
			continue;
		}
		if (strcmp(w, "src") == 0)
			return FAIL(p, w, "not supported by secpath_gw "
				"(routes are by destination; ipsec-secgw "
				"ignores it)");
		return unknown_word(p, "an rt", w);
	}
	if (!dst)
		return FAIL(p, "dst", "missing (rt ipv4|ipv6 dst ADDR/DEPTH "
			"port N)");
	if (!port)
		return FAIL(p, "port", "missing (rt ipv4|ipv6 dst ADDR/DEPTH "
			"port N)");
	e = grow(p, "rt", "rt rules", (void **)&p->conf->rt, p->conf->nb_rt,
		&p->cap_rt, sizeof(*e), GW_CONF_MAX_RT);
	if (e == NULL)
		return p->rc;
	*e = rt;
	p->conf->nb_rt++;
	return 0;
}

/* neigh port N XX:XX:XX:XX:XX:XX */
static int
parse_neigh(struct gw_parser *p)
{
	struct gw_neigh_conf n, *e;
	char q[GW_QUOTE_MAX + 1];
	size_t len;
	char *w;
	uint32_t v;

	memset(&n, 0, sizeof(n));
	n.line = p->line;
	w = next_word(p);
	if (w == NULL || strcmp(w, "port") != 0)
		return FAIL(p, "neigh", "expected \"neigh port N "
			"XX:XX:XX:XX:XX:XX\"");
	if ((w = value_of(p, "port")) == NULL ||
			number(p, "port", w, 0, UINT16_MAX, &v) != 0)
		return p->rc;
	n.port = (uint16_t)v;
	w = next_word(p);
	if (w == NULL)
		return FAIL(p, "neigh", "missing MAC address after the port");
	if (hex_bytes(w, n.mac.addr_bytes, RTE_ETHER_ADDR_LEN, &len) != 0 ||
			len != RTE_ETHER_ADDR_LEN)
		return FAIL(p, "neigh", "\"%s\": not a MAC address "
			"XX:XX:XX:XX:XX:XX", quote(w, q, sizeof(q)));
	w = next_word(p);
	if (w != NULL)
		return FAIL(p, w, "unexpected after the MAC address");
	e = grow(p, "neigh", "neigh rules", (void **)&p->conf->neigh,
		p->conf->nb_neigh, &p->cap_neigh, sizeof(*e),
		GW_CONF_MAX_NEIGH);
	if (e == NULL)
		return p->rc;
	*e = n;
	p->conf->nb_neigh++;
	return 0;
}

/* One joined line, comments removed. */
static int
parse_line(struct gw_parser *p, char *line)
{
	char *w;

	p->cur = line;
	w = next_word(p);
	if (w == NULL)
		return 0;
	if (strcmp(w, "sp") == 0)
		return parse_sp(p);
	if (strcmp(w, "sa") == 0)
		return parse_sa(p);
	if (strcmp(w, "rt") == 0)
		return parse_rt(p);
	if (strcmp(w, "neigh") == 0)
		return parse_neigh(p);
	if (strcmp(w, "flow") == 0)
		return FAIL(p, w, "not supported by secpath_gw");
	return FAIL(p, w, "unknown rule (expected sp, sa, rt or neigh)");
}

/* Whether two prefixes of one family are the same network. */
static bool
same_prefix(const struct gw_prefix *a, const struct gw_prefix *b)
{
	unsigned int i, bits;
	uint8_t m;

	if (a->depth != b->depth || a->addr.family != b->addr.family)
		return false;
	if (a->addr.family == GW_FAMILY_IPV4) {
		if (a->depth == 0)
			return true;
		return ((a->addr.v4 ^ b->addr.v4) >> (32 - a->depth)) == 0;
	}
	for (i = 0; i < 16; i++) {
		bits = a->depth > i * 8 ? a->depth - i * 8 : 0;
		if (bits == 0)
			break;
		m = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));
		if (((a->addr.v6[i] ^ b->addr.v6[i]) & m) != 0)
			return false;
	}
	return true;
}

/*
 * The checks across lines: two SAs of a direction with one SPI (the
 * second is named), an sp protect without its SA, two routes to a
 * prefix, two neighbours of a port. The error of the first line wins.
 */
static int
check_file(struct gw_parser *p)
{
	const struct gw_conf *c = p->conf;
	char msg[160] = "";
	const char *kw = NULL;
	unsigned int best = 0, i, j;

	for (i = 0; i < c->nb_sa; i++)
		for (j = 0; j < i; j++) {
			if (c->sa[i].dir != c->sa[j].dir ||
					c->sa[i].spi != c->sa[j].spi)
				continue;
			if (best == 0 || c->sa[i].line < best) {
				best = c->sa[i].line;
				kw = "spi";
				snprintf(msg, sizeof(msg), "SPI %u of "
					"direction %s already used at line %u",
					c->sa[i].spi, c->sa[i].dir == GW_DIR_IN
					? "in" : "out", c->sa[j].line);
			}
			break;
		}
	for (i = 0; i < c->nb_sp; i++) {
		if (c->sp[i].action != GW_SP_PROTECT || gw_conf_find_sa(c,
				c->sp[i].dir, c->sp[i].spi) != NULL)
			continue;
		if (best == 0 || c->sp[i].line < best) {
			best = c->sp[i].line;
			kw = "protect";
			snprintf(msg, sizeof(msg), "no sa %s %u in the file",
				c->sp[i].dir == GW_DIR_IN ? "in" : "out",
				c->sp[i].spi);
		}
		break;
	}
	for (i = 0; i < c->nb_rt; i++)
		for (j = 0; j < i; j++) {
			if (!same_prefix(&c->rt[i].dst, &c->rt[j].dst))
				continue;
			if (best == 0 || c->rt[i].line < best) {
				best = c->rt[i].line;
				kw = "dst";
				snprintf(msg, sizeof(msg), "a route to this "
					"prefix already at line %u",
					c->rt[j].line);
			}
			break;
		}
	for (i = 0; i < c->nb_neigh; i++)
		for (j = 0; j < i; j++) {
			if (c->neigh[i].port != c->neigh[j].port)
				continue;
			if (best == 0 || c->neigh[i].line < best) {
				best = c->neigh[i].line;
				kw = "port";
				snprintf(msg, sizeof(msg), "port %u already "
					"has a neighbour at line %u",
					c->neigh[i].port, c->neigh[j].line);
			}
			break;
		}
	if (best == 0)
		return 0;
	p->line = best;
	return FAIL(p, kw, "%s", msg);
}

/* Where the lines come from: a file or a string. */
struct gw_source {
	FILE *f;
	const char *s;
};

/*
 * The next physical line into buf (GW_LINE_MAX + 1 bytes), without its
 * '\n': its length, -1 at the end, -E2BIG when too long (the rest of the
 * line is not read), -errno on a read error.
 */
static long
read_line(struct gw_source *src, char *buf)
{
	size_t n = 0;
	int c;

	if (src->f == NULL) {
		if (*src->s == '\0')
			return -1;
		while (*src->s != '\0' && *src->s != '\n') {
			if (n == GW_LINE_MAX)
				return -E2BIG;
			buf[n++] = *src->s++;
		}
		if (*src->s == '\n')
			src->s++;
		buf[n] = '\0';
		return (long)n;
	}
	errno = 0;
	for (;;) {
		c = getc(src->f);
		if (c == EOF) {
			if (ferror(src->f))
				return errno > 0 ? -errno : -EIO;
			if (n == 0)
				return -1;
			break;
		}
		if (c == '\n')
			break;
		if (n == GW_LINE_MAX)
			return -E2BIG;
		buf[n++] = (char)c;
	}
	buf[n] = '\0';
	return (long)n;
}

static int
parse(struct gw_source *src, const char *name, struct gw_conf *conf,
	char *err, size_t errlen)
{
	struct gw_parser p = {
		.name = name != NULL ? name : "-",
		.conf = conf,
		.err = err,
		.errlen = errlen,
	};
	char *phys, *joined, *c;
	unsigned int nr = 0;
	size_t jlen = 0, len;
	bool cont = false;
	long r;

	memset(conf, 0, sizeof(*conf));
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	phys = malloc(GW_LINE_MAX + 1);
	joined = malloc(GW_LINE_MAX + 1);
	if (phys == NULL || joined == NULL) {
		fail(&p, -ENOMEM, "line", "out of memory");
		goto out;
	}

	while (p.rc == 0) {
		r = read_line(src, phys);
		if (r == -1)
			break;
		nr++;
		if (!cont)
			p.line = nr;
		if (r == -E2BIG) {
			p.line = nr;
			FAIL(&p, "line", "longer than %d characters",
				GW_LINE_MAX);
			break;
		}
		if (r < 0) {
			p.line = nr;
			fail(&p, (int)r, "line", "%s", strerror((int)-r));
			break;
		}
		len = (size_t)r;
		if (strlen(phys) != len) {
			p.line = nr;
			FAIL(&p, "line", "NUL character");
			break;
		}
		/* Only blanks before '#': skipped, even when continued. */
		c = phys + strspn(phys, GW_BLANKS);
		if (*c == '#')
			continue;
		c = strchr(phys, '#');
		if (c != NULL)
			*c = '\0';
		len = strlen(phys);
		while (len > 0 && strchr(GW_BLANKS, phys[len - 1]) != NULL)
			len--;
		cont = len > 0 && phys[len - 1] == '\\';
		if (cont)
			len--;
		if (jlen + len > GW_LINE_MAX) {
			FAIL(&p, "line", "the joined line is longer than %d "
				"characters", GW_LINE_MAX);
			break;
		}
		memcpy(joined + jlen, phys, len);
		jlen += len;
		joined[jlen] = '\0';
		if (cont)
			continue;
		parse_line(&p, joined);
		jlen = 0;
	}
	if (p.rc == 0 && cont)
		FAIL(&p, "line", "continued with '\\' at the end of the file");
	if (p.rc == 0)
		check_file(&p);
out:
	free(phys);
	free(joined);
	if (p.rc != 0)
		gw_conf_free(conf);
	return p.rc;
}

int
gw_conf_parse_file(const char *path, struct gw_conf *conf, char *err,
	size_t errlen)
{
	struct gw_source src = { .f = NULL };
	int rc;

	if (conf == NULL)
		return -EINVAL;
	memset(conf, 0, sizeof(*conf));
	if (path == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "(null): no file name");
		return -EINVAL;
	}
	src.f = fopen(path, "r");
	if (src.f == NULL) {
		rc = -errno;
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: cannot open: %s", path,
				strerror(errno));
		return rc != 0 ? rc : -EIO;
	}
	rc = parse(&src, path, conf, err, errlen);
	fclose(src.f);
	return rc;
}

int
gw_conf_parse_string(const char *text, const char *name,
	struct gw_conf *conf, char *err, size_t errlen)
{
	struct gw_source src = { .s = text };

	if (conf == NULL)
		return -EINVAL;
	if (text == NULL) {
		memset(conf, 0, sizeof(*conf));
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s: no text",
				name != NULL ? name : "-");
		return -EINVAL;
	}
	return parse(&src, name, conf, err, errlen);
}

void
gw_conf_free(struct gw_conf *conf)
{
	if (conf == NULL)
		return;
	free(conf->sa);
	free(conf->sp);
	free(conf->rt);
	free(conf->neigh);
	memset(conf, 0, sizeof(*conf));
}

const struct gw_sa_conf *
gw_conf_find_sa(const struct gw_conf *conf, uint8_t dir, uint32_t spi)
{
	unsigned int i;

	if (conf == NULL)
		return NULL;
	for (i = 0; i < conf->nb_sa; i++)
		if (conf->sa[i].dir == dir && conf->sa[i].spi == spi)
			return &conf->sa[i];
	return NULL;
}
