/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * Security policies and routes. The "sp" rules of each family and
 * direction are one rte_acl context, classified on a key built per packet
 * from its 5-tuple (ports only for TCP, UDP and SCTP first fragments); a
 * rule's result is its index + 1. Inbound protect rules also get a
 * secpath policy: one template naming the SA's handle, so that the
 * secpath check passes only packets that SA processed.
 * "rt" rules are an rte_lpm and an rte_lpm6 whose next hop is the port.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_ip.h>
#include <rte_malloc.h>

#include "gw.h"
#include "gw_compat.h"

/* Key of an IPv4 packet, fields in network order (as rte_acl wants). */
struct gw_key4 {
	uint8_t proto;
	uint8_t pad[3];
	uint32_t src;
	uint32_t dst;
	uint16_t sport;
	uint16_t dport;
};

struct gw_key6 {
	uint8_t proto;
	uint8_t pad[3];
	uint8_t src[16];
	uint8_t dst[16];
	uint16_t sport;
	uint16_t dport;
};

enum { F4_PROTO, F4_SRC, F4_DST, F4_SPORT, F4_DPORT, F4_NUM };
enum { F6_PROTO, F6_SRC0, F6_DST0 = F6_SRC0 + 4, F6_SPORT = F6_DST0 + 4,
	F6_DPORT, F6_NUM };

RTE_ACL_RULE_DEF(gw_rule4, F4_NUM);
RTE_ACL_RULE_DEF(gw_rule6, F6_NUM);

static struct rte_acl_field_def defs4[F4_NUM] = {
	{ .type = RTE_ACL_FIELD_TYPE_RANGE, .size = 1,
	  .field_index = F4_PROTO, .input_index = 0,
	  .offset = offsetof(struct gw_key4, proto) },
	{ .type = RTE_ACL_FIELD_TYPE_MASK, .size = 4,
	  .field_index = F4_SRC, .input_index = 1,
	  .offset = offsetof(struct gw_key4, src) },
	{ .type = RTE_ACL_FIELD_TYPE_MASK, .size = 4,
	  .field_index = F4_DST, .input_index = 2,
	  .offset = offsetof(struct gw_key4, dst) },
	{ .type = RTE_ACL_FIELD_TYPE_RANGE, .size = 2,
	  .field_index = F4_SPORT, .input_index = 3,
	  .offset = offsetof(struct gw_key4, sport) },
	{ .type = RTE_ACL_FIELD_TYPE_RANGE, .size = 2,
	  .field_index = F4_DPORT, .input_index = 3,
	  .offset = offsetof(struct gw_key4, dport) },
};

static struct rte_acl_field_def defs6[F6_NUM];

static void
defs6_init(void)
{
	unsigned int i;

	defs6[F6_PROTO] = (struct rte_acl_field_def){
		.type = RTE_ACL_FIELD_TYPE_RANGE, .size = 1,
		.field_index = F6_PROTO, .input_index = 0,
		.offset = offsetof(struct gw_key6, proto) };
	for (i = 0; i < 4; i++) {
		defs6[F6_SRC0 + i] = (struct rte_acl_field_def){
			.type = RTE_ACL_FIELD_TYPE_MASK, .size = 4,
			.field_index = F6_SRC0 + i, .input_index = 1 + i,
			.offset = offsetof(struct gw_key6, src) + 4 * i };
		defs6[F6_DST0 + i] = (struct rte_acl_field_def){
			.type = RTE_ACL_FIELD_TYPE_MASK, .size = 4,
			.field_index = F6_DST0 + i, .input_index = 5 + i,
			.offset = offsetof(struct gw_key6, dst) + 4 * i };
	}
	defs6[F6_SPORT] = (struct rte_acl_field_def){
		.type = RTE_ACL_FIELD_TYPE_RANGE, .size = 2,
		.field_index = F6_SPORT, .input_index = 9,
		.offset = offsetof(struct gw_key6, sport) };
	defs6[F6_DPORT] = (struct rte_acl_field_def){
		.type = RTE_ACL_FIELD_TYPE_RANGE, .size = 2,
		.field_index = F6_DPORT, .input_index = 9,
		.offset = offsetof(struct gw_key6, dport) };
}

static void
rule_common(struct rte_acl_rule_data *d, const struct gw_sp_conf *c,
		unsigned int idx)
{
	d->category_mask = 1;
	/* rte_acl: the larger wins, from 1 */
	d->priority = RTE_MIN(c->priority + 1, (uint32_t)RTE_ACL_MAX_PRIORITY);
	d->userdata = idx + 1;
}

static void
rule4(struct gw_rule4 *r, const struct gw_sp_conf *c, unsigned int idx)
{
	memset(r, 0, sizeof(*r));
	rule_common(&r->data, c, idx);
	r->field[F4_PROTO].value.u8 = c->proto_lo;
	r->field[F4_PROTO].mask_range.u8 = c->proto_hi;
	r->field[F4_SRC].value.u32 = c->src.depth ? c->src.addr.v4 : 0;
	r->field[F4_SRC].mask_range.u32 = c->src.depth;
	r->field[F4_DST].value.u32 = c->dst.depth ? c->dst.addr.v4 : 0;
	r->field[F4_DST].mask_range.u32 = c->dst.depth;
	r->field[F4_SPORT].value.u16 = c->sport_lo;
	r->field[F4_SPORT].mask_range.u16 = c->sport_hi;
	r->field[F4_DPORT].value.u16 = c->dport_lo;
	r->field[F4_DPORT].mask_range.u16 = c->dport_hi;
}

static void
v6_words(struct rte_acl_field *f, const struct gw_prefix *p)
{
	unsigned int i;
	int d;

	for (i = 0; i < 4; i++) {
		d = (int)p->depth - 32 * (int)i;
		d = RTE_MAX(0, RTE_MIN(d, 32));
		f[i].value.u32 = d == 0 ? 0 :
			(uint32_t)p->addr.v6[4 * i] << 24 |
			(uint32_t)p->addr.v6[4 * i + 1] << 16 |
			(uint32_t)p->addr.v6[4 * i + 2] << 8 |
			p->addr.v6[4 * i + 3];
		f[i].mask_range.u32 = d;
	}
}

static void
rule6(struct gw_rule6 *r, const struct gw_sp_conf *c, unsigned int idx)
{
	memset(r, 0, sizeof(*r));
	rule_common(&r->data, c, idx);
	r->field[F6_PROTO].value.u8 = c->proto_lo;
	r->field[F6_PROTO].mask_range.u8 = c->proto_hi;
	v6_words(&r->field[F6_SRC0], &c->src);
	v6_words(&r->field[F6_DST0], &c->dst);
	r->field[F6_SPORT].value.u16 = c->sport_lo;
	r->field[F6_SPORT].mask_range.u16 = c->sport_hi;
	r->field[F6_DPORT].value.u16 = c->dport_lo;
	r->field[F6_DPORT].mask_range.u16 = c->dport_hi;
}

static int
acl_build(int v6, uint8_t dir)
{
	struct rte_acl_param p = { 0 };
	struct rte_acl_config cfg = { 0 };
	struct rte_acl_ctx *ctx;
	char name[32];
	unsigned int i, n = 0;
	int ret;

	for (i = 0; i < gw.conf.nb_sp; i++)
		if (gw.conf.sp[i].dir == dir &&
				(gw.conf.sp[i].family == GW_FAMILY_IPV6) == v6)
			n++;
	gw.nb_rules[v6][dir] = n;
	if (n == 0)
		return 0;
	snprintf(name, sizeof(name), "gw_sp%c_%s", v6 ? '6' : '4',
		dir == GW_DIR_IN ? "in" : "out");
	p.name = name;
	p.socket_id = SOCKET_ID_ANY;
	p.rule_size = v6 ? RTE_ACL_RULE_SZ(F6_NUM) : RTE_ACL_RULE_SZ(F4_NUM);
	p.max_rule_num = n;
	ctx = rte_acl_create(&p);
	if (ctx == NULL)
		return -rte_errno;
	for (i = 0; i < gw.conf.nb_sp; i++) {
		const struct gw_sp_conf *c = &gw.conf.sp[i];

		if (c->dir != dir || (c->family == GW_FAMILY_IPV6) != v6)
			continue;
		if (v6) {
			struct gw_rule6 r;

			rule6(&r, c, i);
			ret = rte_acl_add_rules(ctx,
				(struct rte_acl_rule *)&r, 1);
		} else {
			struct gw_rule4 r;

			rule4(&r, c, i);
			ret = rte_acl_add_rules(ctx,
				(struct rte_acl_rule *)&r, 1);
		}
		if (ret != 0) {
			fprintf(stderr, "secpath_gw: line %u: sp: rte_acl"
				" refused the rule: %s\n", c->line,
				strerror(-ret));
			rte_acl_free(ctx);
			return ret;
		}
	}
	cfg.num_categories = 1;
	cfg.num_fields = v6 ? F6_NUM : F4_NUM;
	memcpy(cfg.defs, v6 ? defs6 : defs4,
		cfg.num_fields * sizeof(cfg.defs[0]));
	ret = rte_acl_build(ctx, &cfg);
	if (ret != 0) {
		fprintf(stderr, "secpath_gw: rte_acl_build: %s\n",
			strerror(-ret));
		rte_acl_free(ctx);
		return ret;
	}
	gw.acl[v6][dir] = ctx;
	return 0;
}

int
gw_sp_init(void)
{
	unsigned int i;
	int ret, v6, dir;

	defs6_init();
	for (v6 = 0; v6 < 2; v6++)
		for (dir = 0; dir < 2; dir++) {
			ret = acl_build(v6, dir);
			if (ret < 0)
				return ret;
		}
	gw.pol = rte_zmalloc("gw_pol",
		(gw.conf.nb_sp + 1) * sizeof(*gw.pol), 0);
	gw.sp_sa = rte_zmalloc("gw_sp_sa",
		(gw.conf.nb_sp + 1) * sizeof(*gw.sp_sa), 0);
	if (gw.pol == NULL || gw.sp_sa == NULL)
		return -ENOMEM;
	for (i = 0; i < gw.conf.nb_sp; i++) {
		const struct gw_sp_conf *c = &gw.conf.sp[i];
		struct rte_secpath_policy *p = &gw.pol[i];
		const struct gw_sa_conf *sc;

		if (c->action != GW_SP_PROTECT)
			continue;
		/* The parser checked the SA exists. */
		sc = gw_conf_find_sa(&gw.conf, c->dir, c->spi);
		if (sc == NULL)
			return -EINVAL;
		gw.sp_sa[i] = &gw.sa[sc - gw.conf.sa];
		if (c->dir != GW_DIR_IN)
			continue;
		p->nb_tmpl = 1;
		p->tmpl[0].flags = RTE_SECPATH_TMPL_F_SA;
		p->tmpl[0].sa = gw.sp_sa[i]->handle;
	}
	return 0;
}

void
gw_sp_fini(void)
{
	int v6, dir;

	for (v6 = 0; v6 < 2; v6++)
		for (dir = 0; dir < 2; dir++) {
			rte_acl_free(gw.acl[v6][dir]);
			gw.acl[v6][dir] = NULL;
		}
	rte_free(gw.pol);
	gw.pol = NULL;
	rte_free(gw.sp_sa);
	gw.sp_sa = NULL;
}

/* Ports of a TCP, UDP or SCTP first fragment, if in the segment. */
static inline void
l4_ports(const struct rte_mbuf *m, uint8_t proto, uint32_t off,
		uint16_t *sport, uint16_t *dport)
{
	const uint16_t *p;

	*sport = 0;
	*dport = 0;
	if ((proto != IPPROTO_TCP && proto != IPPROTO_UDP &&
			proto != IPPROTO_SCTP) || off + 4 > m->data_len)
		return;
	p = rte_pktmbuf_mtod_offset(m, const uint16_t *, off);
	*sport = p[0];
	*dport = p[1];
}

void
gw_sp_classify(bool v6, uint8_t dir, struct rte_mbuf **m,
		const uint8_t *proto, const uint8_t *noports, uint32_t *res,
		uint16_t n)
{
	const uint8_t *data[GW_BURST];
	union {
		struct gw_key4 k4;
		struct gw_key6 k6;
	} key[GW_BURST];
	struct rte_acl_ctx *ctx = gw.acl[v6][dir];
	uint16_t i;

	if (ctx == NULL) {
		memset(res, 0, n * sizeof(*res));
		return;
	}
	for (i = 0; i < n; i++) {
		if (!v6) {
			const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m[i],
				const struct rte_ipv4_hdr *);
			struct gw_key4 *k = &key[i].k4;

			k->proto = proto[i];
			k->src = ip->src_addr;
			k->dst = ip->dst_addr;
			if (noports[i])
				k->sport = k->dport = 0;
			else
				l4_ports(m[i], k->proto, m[i]->l3_len,
					&k->sport, &k->dport);
			data[i] = (const uint8_t *)k;
		} else {
			const struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod(m[i],
				const struct rte_ipv6_hdr *);
			struct gw_key6 *k = &key[i].k6;

			k->proto = proto[i];
			memcpy(k->src, &ip->src_addr, 16);
			memcpy(k->dst, &ip->dst_addr, 16);
			if (noports[i])
				k->sport = k->dport = 0;
			else
				l4_ports(m[i], k->proto, m[i]->l3_len,
					&k->sport, &k->dport);
			data[i] = (const uint8_t *)k;
		}
	}
	for (i = 0; i < n; i += GW_BURST)
		rte_acl_classify(ctx, data + i, res + i,
			RTE_MIN(GW_BURST, n - i), 1);
}

int
gw_rt_init(void)
{
	struct rte_lpm_config c4 = { .max_rules = GW_CONF_MAX_RT,
		.number_tbl8s = 256 };
	struct rte_lpm6_config c6 = { .max_rules = GW_CONF_MAX_RT,
		.number_tbl8s = 1 << 12 };
	unsigned int i;
	int ret;

	gw.lpm4 = rte_lpm_create("gw_rt4", SOCKET_ID_ANY, &c4);
	gw.lpm6 = rte_lpm6_create("gw_rt6", SOCKET_ID_ANY, &c6);
	if (gw.lpm4 == NULL || gw.lpm6 == NULL)
		return -ENOMEM;
	for (i = 0; i < gw.conf.nb_rt; i++) {
		const struct gw_rt_conf *r = &gw.conf.rt[i];

		if (r->port >= RTE_MAX_ETHPORTS || !gw.port[r->port].used) {
			fprintf(stderr, "secpath_gw: line %u: rt: port %u is"
				" not in the port mask\n", r->line, r->port);
			return -EINVAL;
		}
		if (r->dst.addr.family == GW_FAMILY_IPV4)
			ret = rte_lpm_add(gw.lpm4, r->dst.addr.v4,
				r->dst.depth, r->port);
		else
			ret = rte_lpm6_add(gw.lpm6,
				GW_LPM6_ADDR(r->dst.addr.v6), r->dst.depth,
				r->port);
		if (ret < 0) {
			fprintf(stderr, "secpath_gw: line %u: rt: %s\n",
				r->line, strerror(-ret));
			return ret;
		}
	}
	return 0;
}

void
gw_rt_fini(void)
{
	rte_lpm_free(gw.lpm4);
	rte_lpm6_free(gw.lpm6);
	gw.lpm4 = NULL;
	gw.lpm6 = NULL;
}

/* The output port of an IP packet (l2 stripped), or -1. */
int
gw_route(const struct rte_mbuf *m, bool v6)
{
	uint32_t hop;

	if (!v6) {
		const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m,
			const struct rte_ipv4_hdr *);

		if (rte_lpm_lookup(gw.lpm4, rte_be_to_cpu_32(ip->dst_addr),
				&hop) != 0)
			return -1;
	} else {
		const struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod(m,
			const struct rte_ipv6_hdr *);

		if (rte_lpm6_lookup(gw.lpm6, GW_LPM6_ADDR(&ip->dst_addr),
				&hop) != 0)
			return -1;
	}
	return (int)hop;
}
