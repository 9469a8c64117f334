/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * The SAs: one secpath SA each (its handle is what packets' secpaths name
 * and what inbound policies require), one librte_ipsec SA and session,
 * and the crypto or security session of its type. Inbound SAs are found
 * by SPI through the secpath's SPI index (rte_secpath_sa_lookup_spi()):
 * the gateway keeps no index of its own.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_cryptodev.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_security.h>
#include <rte_security_driver.h> /* struct rte_security_session: the pool size */

#include "gw.h"

#define GW_IV_OFS (sizeof(struct rte_crypto_op) + \
	sizeof(struct rte_crypto_sym_op))

/* secpath slot index -> gateway SA, for the inbound lookup */
static struct gw_sa **sa_by_slot;
static uint32_t nb_slots;

int
gw_crypto_init(unsigned int nb_qp)
{
	struct rte_cryptodev_config cc = { .socket_id = SOCKET_ID_ANY };
	struct rte_cryptodev_qp_conf qc = { .nb_descriptors = 2048 };
	struct rte_cryptodev_info info;
	unsigned int i;
	bool need = false;
	int dev;

	for (i = 0; i < gw.conf.nb_sa; i++)
		if (gw.conf.sa[i].type != GW_SA_INLINE_CRYPTO)
			need = true;
	gw.cdev = -1;
	if (!need)
		return 0;
	/* The first crypto device that does AES-GCM. */
	for (dev = 0; dev < rte_cryptodev_count(); dev++) {
		const struct rte_cryptodev_capabilities *c;

		rte_cryptodev_info_get(dev, &info);
		for (c = info.capabilities;
				c->op != RTE_CRYPTO_OP_TYPE_UNDEFINED; c++)
			if (c->op == RTE_CRYPTO_OP_TYPE_SYMMETRIC &&
					c->sym.xform_type ==
					RTE_CRYPTO_SYM_XFORM_AEAD &&
					c->sym.aead.algo ==
					RTE_CRYPTO_AEAD_AES_GCM)
				break;
		if (c->op != RTE_CRYPTO_OP_TYPE_UNDEFINED)
			break;
	}
	if (dev >= rte_cryptodev_count()) {
		fprintf(stderr, "secpath_gw: lookaside-none and cpu-crypto SAs"
			" need a crypto device with AES-GCM (EAL option"
			" --vdev crypto_aesni_gcm0)\n");
		return -ENODEV;
	}
	if (nb_qp > info.max_nb_queue_pairs) {
		fprintf(stderr, "secpath_gw: crypto device %s has %u queue"
			" pairs, %u worker lcores need one each\n",
			info.driver_name, info.max_nb_queue_pairs, nb_qp);
		return -ENOSPC;
	}
	for (i = 0; i < gw.conf.nb_sa; i++)
		if (gw.conf.sa[i].type == GW_SA_CPU_CRYPTO &&
				!(info.feature_flags &
				  RTE_CRYPTODEV_FF_SYM_CPU_CRYPTO)) {
			fprintf(stderr, "secpath_gw: line %u: type cpu-crypto:"
				" crypto device %s has no CPU crypto\n",
				gw.conf.sa[i].line, info.driver_name);
			return -ENOTSUP;
		}
	gw.cs_pool = rte_cryptodev_sym_session_pool_create("gw_cs",
		2 * gw.conf.nb_sa + 1,
		rte_cryptodev_sym_get_private_session_size(dev), 0, 0,
		SOCKET_ID_ANY);
	gw.cop_pool = rte_crypto_op_pool_create("gw_cop",
		RTE_CRYPTO_OP_TYPE_SYMMETRIC, 8192, 128, 32, SOCKET_ID_ANY);
	if (gw.cs_pool == NULL || gw.cop_pool == NULL) {
		fprintf(stderr, "secpath_gw: crypto pools: %s\n",
			rte_strerror(rte_errno));
		return -ENOMEM;
	}
	cc.nb_queue_pairs = nb_qp;
	qc.mp_session = gw.cs_pool;
	if (rte_cryptodev_configure(dev, &cc) != 0) {
		fprintf(stderr, "secpath_gw: crypto device %u: configure"
			" failed\n", dev);
		return -EIO;
	}
	gw.cdev = dev;
	for (i = 0; i < nb_qp; i++)
		if (rte_cryptodev_queue_pair_setup(dev, i, &qc,
				SOCKET_ID_ANY) != 0) {
			fprintf(stderr, "secpath_gw: crypto device %u: queue"
				" pair %u set-up failed\n", dev, i);
			return -EIO;
		}
	if (rte_cryptodev_start(dev) != 0) {
		fprintf(stderr, "secpath_gw: crypto device %u: start"
			" failed\n", dev);
		return -EIO;
	}
	printf("secpath_gw: crypto device %u (%s), %u queue pairs\n", dev,
		info.driver_name, nb_qp);
	return 0;
}

/* The family of the packets an SA protects (inner in tunnel mode), from
 * the rules that use it: 4 or 6, 0 if none uses it, -1 if both do. */
static int
sa_inner_family(const struct gw_sa_conf *c)
{
	unsigned int i;
	int f = 0;

	for (i = 0; i < gw.conf.nb_sp; i++) {
		const struct gw_sp_conf *sp = &gw.conf.sp[i];

		if (sp->dir != c->dir || sp->action != GW_SP_PROTECT ||
				sp->spi != c->spi)
			continue;
		if (f != 0 && f != sp->family)
			return -1;
		f = sp->family;
	}
	return f;
}

/* The outer header librte_ipsec puts before ESP (tunnel, outbound). */
static unsigned int
sa_tun_hdr(const struct gw_sa_conf *c, uint8_t *hdr)
{
	if (c->mode == GW_SA_IPV4_TUNNEL) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)hdr;

		memset(ip, 0, sizeof(*ip));
		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->time_to_live = 64;
		ip->next_proto_id = IPPROTO_ESP;
		ip->src_addr = rte_cpu_to_be_32(c->src.v4);
		ip->dst_addr = rte_cpu_to_be_32(c->dst.v4);
		return sizeof(*ip);
	} else {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)hdr;

		memset(ip, 0, sizeof(*ip));
		ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
		ip->proto = IPPROTO_ESP;
		ip->hop_limits = 64;
		memcpy(&ip->src_addr, c->src.v6, 16);
		memcpy(&ip->dst_addr, c->dst.v6, 16);
		return sizeof(*ip);
	}
}

/* Whether the port's inline crypto capability asks for TX metadata. */
static int
inline_cap(void *ctx, const struct gw_sa_conf *c, uint32_t *ol_flags)
{
	struct rte_security_capability_idx idx = {
		.action = RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO,
		.protocol = RTE_SECURITY_PROTOCOL_IPSEC,
		.ipsec = {
			.proto = RTE_SECURITY_IPSEC_SA_PROTO_ESP,
			.mode = c->mode == GW_SA_TRANSPORT ?
				RTE_SECURITY_IPSEC_SA_MODE_TRANSPORT :
				RTE_SECURITY_IPSEC_SA_MODE_TUNNEL,
			.direction = c->dir == GW_DIR_IN ?
				RTE_SECURITY_IPSEC_SA_DIR_INGRESS :
				RTE_SECURITY_IPSEC_SA_DIR_EGRESS,
		},
	};
	const struct rte_security_capability *cap;

	cap = rte_security_capability_get(ctx, &idx);
	if (cap == NULL)
		return -ENOTSUP;
	*ol_flags = cap->ol_flags;
	return 0;
}

static int
sa_setup(struct gw_sa *s, const struct gw_sa_conf *c)
{
	struct rte_secpath_sa_params sp = { 0 };
	struct rte_crypto_sym_xform xf;
	struct rte_ipsec_sa_prm prm;
	uint8_t hdr[sizeof(struct rte_ipv6_hdr)];
	uint32_t ol_flags = 0;
	int sz, ret, inner;

	memset(&xf, 0, sizeof(xf));
	memset(&prm, 0, sizeof(prm));
	s->conf = c;
	xf.type = RTE_CRYPTO_SYM_XFORM_AEAD;
	xf.aead.algo = RTE_CRYPTO_AEAD_AES_GCM;
	xf.aead.op = c->dir == GW_DIR_OUT ? RTE_CRYPTO_AEAD_OP_ENCRYPT :
		RTE_CRYPTO_AEAD_OP_DECRYPT;
	xf.aead.key.data = c->key;
	xf.aead.key.length = c->key_len;
	xf.aead.iv.offset = GW_IV_OFS;
	xf.aead.iv.length = 12;
	xf.aead.digest_length = 16;
	xf.aead.aad_length = 8;

	prm.ipsec_xform.spi = c->spi;
	memcpy(&prm.ipsec_xform.salt, &c->salt, 4);
	prm.ipsec_xform.direction = c->dir == GW_DIR_OUT ?
		RTE_SECURITY_IPSEC_SA_DIR_EGRESS :
		RTE_SECURITY_IPSEC_SA_DIR_INGRESS;
	prm.ipsec_xform.proto = RTE_SECURITY_IPSEC_SA_PROTO_ESP;
	/* The gateway's own window is exact (gw_replay_*): librte_ipsec's
	 * is off. */
	prm.ipsec_xform.replay_win_sz = 0;
	prm.crypto_xform = &xf;
	/*
	 * Several workers may use one outbound SA: its sequence number (and
	 * with it the GCM IV) must be taken atomically. Inbound SAs have
	 * librte_ipsec's window off (the gateway's own is locked), so no
	 * state of librte_ipsec changes per packet there; with the flag,
	 * librte_ipsec 22.11 crashes on them (its replay state has no
	 * bucket).
	 */
	if (gw.nb_workers > 1 && c->dir == GW_DIR_OUT)
		prm.flags |= RTE_IPSEC_SAFLAG_SQN_ATOM;
	/* librte_ipsec: one SA handles one inner (tunnel) or packet
	 * (transport) family: the family of the rules that use it. */
	inner = sa_inner_family(c);
	if (inner < 0) {
		fprintf(stderr, "secpath_gw: line %u: sa %s %u: used by both"
			" ipv4 and ipv6 rules; an SA carries one family\n",
			c->line, c->dir == GW_DIR_OUT ? "out" : "in", c->spi);
		return -EINVAL;
	}
	s->v6 = inner == GW_FAMILY_IPV6;
	if (c->mode == GW_SA_TRANSPORT) {
		prm.ipsec_xform.mode = RTE_SECURITY_IPSEC_SA_MODE_TRANSPORT;
		prm.trs.proto = s->v6 ? IPPROTO_IPV6 : IPPROTO_IPIP;
	} else {
		prm.ipsec_xform.mode = RTE_SECURITY_IPSEC_SA_MODE_TUNNEL;
		if (c->mode == GW_SA_IPV4_TUNNEL) {
			prm.ipsec_xform.tunnel.type =
				RTE_SECURITY_IPSEC_TUNNEL_IPV4;
			prm.ipsec_xform.tunnel.ipv4.src_ip.s_addr =
				rte_cpu_to_be_32(c->src.v4);
			prm.ipsec_xform.tunnel.ipv4.dst_ip.s_addr =
				rte_cpu_to_be_32(c->dst.v4);
			s->tun_src4 = rte_cpu_to_be_32(c->src.v4);
			s->tun_dst4 = rte_cpu_to_be_32(c->dst.v4);
		} else {
			prm.ipsec_xform.tunnel.type =
				RTE_SECURITY_IPSEC_TUNNEL_IPV6;
			memcpy(&prm.ipsec_xform.tunnel.ipv6.src_addr,
				c->src.v6, 16);
			memcpy(&prm.ipsec_xform.tunnel.ipv6.dst_addr,
				c->dst.v6, 16);
		}
		prm.tun.next_proto = s->v6 ? IPPROTO_IPV6 : IPPROTO_IPIP;
		if (c->dir == GW_DIR_OUT) {
			prm.tun.hdr = hdr;
			prm.tun.hdr_len = sa_tun_hdr(c, hdr);
			prm.tun.hdr_l3_off = 0;
		}
	}

	switch (c->type) {
	case GW_SA_LOOKASIDE_NONE:
	case GW_SA_CPU_CRYPTO:
		s->sess = rte_cryptodev_sym_session_create(gw.cdev, &xf,
			gw.cs_pool);
		if (s->sess == NULL) {
			fprintf(stderr, "secpath_gw: line %u: crypto session:"
				" %s\n", c->line, rte_strerror(rte_errno));
			return -rte_errno;
		}
		s->ss.type = c->type == GW_SA_CPU_CRYPTO ?
			RTE_SECURITY_ACTION_TYPE_CPU_CRYPTO :
			RTE_SECURITY_ACTION_TYPE_NONE;
		s->ss.crypto.ses = s->sess;
		s->ss.crypto.dev_id = gw.cdev;
		s->kind = c->type == GW_SA_CPU_CRYPTO ?
			RTE_SECPATH_KIND_CPU_CRYPTO :
			RTE_SECPATH_KIND_LOOKASIDE;
		break;
	case GW_SA_INLINE_CRYPTO: {
		struct rte_security_session_conf sc;

		s->sec_ctx = rte_eth_dev_get_sec_ctx(c->port_id);
		if (s->sec_ctx == NULL ||
				inline_cap(s->sec_ctx, c, &ol_flags) != 0) {
			fprintf(stderr, "secpath_gw: line %u: type"
				" inline-crypto-offload: port %u has no inline"
				" crypto IPsec (use a net_swipsec port)\n",
				c->line, c->port_id);
			return -ENOTSUP;
		}
		if (gw.ss_pool == NULL) {
			gw.ss_pool = rte_mempool_create("gw_ss",
				2 * gw.conf.nb_sa + 1,
				sizeof(struct rte_security_session) +
				rte_security_session_get_size(s->sec_ctx),
				0, 0, NULL, NULL, NULL, NULL, SOCKET_ID_ANY,
				0);
			if (gw.ss_pool == NULL)
				return -ENOMEM;
		}
		memset(&sc, 0, sizeof(sc));
		sc.action_type = RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO;
		sc.protocol = RTE_SECURITY_PROTOCOL_IPSEC;
		sc.ipsec = prm.ipsec_xform;
		sc.crypto_xform = &xf;
		s->sess = rte_security_session_create(s->sec_ctx, &sc,
			gw.ss_pool);
		if (s->sess == NULL) {
			fprintf(stderr, "secpath_gw: line %u: inline session"
				" on port %u: %s\n", c->line, c->port_id,
				rte_strerror(rte_errno));
			return -EIO;
		}
		s->ss.type = RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO;
		s->ss.security.ctx = s->sec_ctx;
		s->ss.security.ses = s->sess;
		/* With the secpath, rte_secpath_tx_prepare() sets the
		 * metadata from the live SA; without, librte_ipsec does. */
		s->ss.security.ol_flags = gw.secpath ? 0 : ol_flags;
		s->out_port = c->port_id;
		s->kind = RTE_SECPATH_KIND_INLINE_CRYPTO;
		break;
	}
	default:
		return -EINVAL;
	}

	sz = rte_ipsec_sa_size(&prm);
	if (sz < 0) {
		fprintf(stderr, "secpath_gw: line %u: librte_ipsec SA size:"
			" %s\n", c->line, strerror(-sz));
		return sz;
	}
	s->ipsa = rte_zmalloc("gw_ipsa", sz, RTE_CACHE_LINE_SIZE);
	if (s->ipsa == NULL)
		return -ENOMEM;
	ret = rte_ipsec_sa_init(s->ipsa, &prm, sz);
	if (ret < 0) {
		fprintf(stderr, "secpath_gw: line %u: librte_ipsec SA: %s\n",
			c->line, strerror(-ret));
		return ret;
	}
	s->ss.sa = s->ipsa;
	ret = rte_ipsec_session_prepare(&s->ss);
	if (ret < 0) {
		fprintf(stderr, "secpath_gw: line %u: librte_ipsec session:"
			" %s\n", c->line, strerror(-ret));
		return ret;
	}

	sp.spi = c->spi;
	sp.dir = c->dir == GW_DIR_OUT ? RTE_SECPATH_DIR_OUT :
		RTE_SECPATH_DIR_IN;
	sp.mode = c->mode == GW_SA_TRANSPORT ? RTE_SECPATH_MODE_TRANSPORT :
		RTE_SECPATH_MODE_TUNNEL;
	sp.kind = s->kind;
	if (s->kind == RTE_SECPATH_KIND_INLINE_CRYPTO) {
		sp.ctx = s->sec_ctx;
		sp.sess = s->sess;
		if (c->dir == GW_DIR_OUT &&
				(ol_flags & RTE_SECURITY_TX_OLOAD_NEED_MDATA))
			sp.flags |= RTE_SECPATH_SA_F_NEED_MDATA;
	}
	sp.userdata = s->idx;
	ret = rte_secpath_sa_add(&sp, &s->handle);
	if (ret < 0) {
		fprintf(stderr, "secpath_gw: line %u: secpath SA: %s\n",
			c->line, strerror(-ret));
		return ret;
	}
	if ((uint32_t)s->handle < nb_slots)
		sa_by_slot[(uint32_t)s->handle] = s;

	if (c->dir == GW_DIR_IN && gw.window != 0) {
		s->replay = rte_zmalloc("gw_replay", sizeof(*s->replay),
			RTE_CACHE_LINE_SIZE);
		if (s->replay == NULL)
			return -ENOMEM;
		rte_spinlock_init(&s->replay->lock);
	}
	return 0;
}

int
gw_sa_init(void)
{
	unsigned int i;
	int ret;

	/* rte_secpath_init() ran with max_sa = nb_sa + 1 */
	nb_slots = gw.conf.nb_sa + 1;
	sa_by_slot = rte_zmalloc("gw_sa_slots",
		nb_slots * sizeof(*sa_by_slot), 0);
	gw.sa = rte_zmalloc("gw_sa", (gw.conf.nb_sa + 1) * sizeof(*gw.sa),
		RTE_CACHE_LINE_SIZE);
	if (sa_by_slot == NULL || gw.sa == NULL)
		return -ENOMEM;
	for (i = 0; i < gw.conf.nb_sa; i++) {
		gw.sa[i].idx = i;
		ret = sa_setup(&gw.sa[i], &gw.conf.sa[i]);
		gw.nb_sa++;
		if (ret < 0)
			return ret;
	}
	return 0;
}

void
gw_sa_fini(void)
{
	unsigned int i;

	for (i = 0; i < gw.nb_sa; i++) {
		struct gw_sa *s = &gw.sa[i];

		if (s->handle != RTE_SECPATH_SA_NONE)
			rte_secpath_sa_del(s->handle);
		if (s->sess != NULL && s->sec_ctx != NULL)
			rte_security_session_destroy(s->sec_ctx, s->sess);
		else if (s->sess != NULL)
			rte_cryptodev_sym_session_free(gw.cdev, s->sess);
		rte_free(s->ipsa);
		rte_free(s->replay);
	}
	rte_free(gw.sa);
	gw.sa = NULL;
	gw.nb_sa = 0;
	rte_free(sa_by_slot);
	sa_by_slot = NULL;
}

void
gw_crypto_fini(void)
{
	if (gw.cdev >= 0) {
		rte_cryptodev_stop(gw.cdev);
		rte_cryptodev_close(gw.cdev);
		gw.cdev = -1;
	}
}

struct gw_sa *
gw_sa_by_spi(uint8_t dir, uint32_t spi)
{
	rte_secpath_sa_t h;
	struct gw_sa *s;

	if (dir != GW_DIR_IN)
		return NULL;
	h = rte_secpath_sa_lookup_spi(spi);
	if (h == RTE_SECPATH_SA_NONE || (uint32_t)h >= nb_slots)
		return NULL;
	s = sa_by_slot[(uint32_t)h];
	return s != NULL && s->handle == h ? s : NULL;
}

/*
 * The anti-replay window (RFC 4303 3.4.3), exact for any size up to
 * GW_WIN_MAX: bit (seq % GW_WIN_MAX) records seq while seq is within
 * GW_WIN_MAX of the top. Checked before the ICV check (cheap drop), and
 * checked again and updated after it (a number is taken only by a packet
 * that authenticated).
 */
static inline int
replay_test(const struct gw_replay *r, uint32_t seq)
{
	if (seq == 0)
		return -1;
	if (seq > r->top)
		return 0;
	if (r->top - seq >= gw.window)
		return -1;
	return (r->bits[(seq % GW_WIN_MAX) / 64] >> (seq % 64)) & 1 ?
		-1 : 0;
}

static inline int
replay_set(struct gw_replay *r, uint32_t seq)
{
	uint32_t s;

	if (replay_test(r, seq) != 0)
		return -1;
	if (seq > r->top) {
		if (seq - r->top >= GW_WIN_MAX) {
			memset(r->bits, 0, sizeof(r->bits));
		} else {
			for (s = r->top + 1; s != seq; s++)
				r->bits[(s % GW_WIN_MAX) / 64] &=
					~(1ULL << (s % 64));
		}
		r->top = seq;
	}
	r->bits[(seq % GW_WIN_MAX) / 64] |= 1ULL << (seq % 64);
	return 0;
}

/* Test (set false) or take (set true) seq in sa's window, under its lock
 * with more than one worker. 0: new, -1: replayed or too old. */
static inline int
replay_op(struct gw_sa *sa, uint32_t seq, bool set)
{
	struct gw_replay *r = sa->replay;
	int ret;

	if (r == NULL)
		return 0;
	if (gw.nb_workers > 1)
		rte_spinlock_lock(&r->lock);
	ret = set ? replay_set(r, seq) : replay_test(r, seq);
	if (gw.nb_workers > 1)
		rte_spinlock_unlock(&r->lock);
	return ret;
}

int
gw_replay_check(struct gw_sa *sa, uint32_t seq)
{
	return replay_op(sa, seq, false);
}

int
gw_replay_update(struct gw_sa *sa, uint32_t seq)
{
	return replay_op(sa, seq, true);
}
