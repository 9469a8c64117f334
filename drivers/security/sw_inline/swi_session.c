/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * The rte_security ops of a bound port: capabilities, session create and
 * destroy (the ingress SPI table), session counters, packet metadata.
 */

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_cryptodev.h>
#include <rte_errno.h>
#include <rte_security.h>
#include <rte_security_driver.h>
#include <rte_spinlock.h>

#include "swi_private.h"

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

#define SWI_CAP(a, m, d, olf, win) {					\
	.action = (a),							\
	.protocol = RTE_SECURITY_PROTOCOL_IPSEC,			\
	.ipsec = {							\
		.proto = RTE_SECURITY_IPSEC_SA_PROTO_ESP,		\
		.mode = (m),						\
		.direction = (d),					\
		.options = { .esn = 1,					\
			.stats = (a) ==					\
			RTE_SECURITY_ACTION_TYPE_INLINE_PROTOCOL },	\
		.replay_win_sz_max = (win),				\
	},								\
	.crypto_capabilities = swi_crypto_caps,				\
	.ol_flags = (olf),						\
}

#define SWI_IC RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO
#define SWI_IP RTE_SECURITY_ACTION_TYPE_INLINE_PROTOCOL
#define SWI_TUN RTE_SECURITY_IPSEC_SA_MODE_TUNNEL
#define SWI_TRS RTE_SECURITY_IPSEC_SA_MODE_TRANSPORT
#define SWI_IN RTE_SECURITY_IPSEC_SA_DIR_INGRESS
#define SWI_OUT RTE_SECURITY_IPSEC_SA_DIR_EGRESS
#define SWI_MD RTE_SECURITY_TX_OLOAD_NEED_MDATA

/* Inline crypto leaves the window to librte_ipsec; inline protocol
 * checks it (up to SWI_MAX_WIN packets).
 */
static const struct rte_security_capability swi_caps[] = {
	SWI_CAP(SWI_IC, SWI_TUN, SWI_IN, 0, 0),
	SWI_CAP(SWI_IC, SWI_TUN, SWI_OUT, SWI_MD, 0),
	SWI_CAP(SWI_IC, SWI_TRS, SWI_IN, 0, 0),
	SWI_CAP(SWI_IC, SWI_TRS, SWI_OUT, SWI_MD, 0),
	SWI_CAP(SWI_IP, SWI_TUN, SWI_IN, 0, SWI_MAX_WIN),
	SWI_CAP(SWI_IP, SWI_TUN, SWI_OUT, SWI_MD, SWI_MAX_WIN),
	SWI_CAP(SWI_IP, SWI_TRS, SWI_IN, 0, SWI_MAX_WIN),
	SWI_CAP(SWI_IP, SWI_TRS, SWI_OUT, SWI_MD, SWI_MAX_WIN),
	{ .action = RTE_SECURITY_ACTION_TYPE_NONE },
};

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
	bool proto = conf->action_type ==
		RTE_SECURITY_ACTION_TYPE_INLINE_PROTOCOL;
	const struct rte_security_ipsec_lifetime *l = &ipsec->life;
	bool life = l->packets_soft_limit != 0 || l->bytes_soft_limit != 0 ||
		l->packets_hard_limit != 0 || l->bytes_hard_limit != 0;

	if ((!proto && conf->action_type !=
			RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO) ||
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
	/* inline protocol only: lifetime, window; no header options */
	if (!proto && life)
		return -ENOTSUP;
	if (proto && (ipsec->replay_win_sz > SWI_MAX_WIN ||
			ipsec->options.copy_dscp || ipsec->options.copy_flabel ||
			ipsec->options.copy_df || ipsec->options.dec_ttl ||
			ipsec->options.ecn || ipsec->options.ip_csum_enable ||
			ipsec->options.l4_csum_enable ||
			ipsec->options.ip_reassembly_en ||
			ipsec->options.udp_ports_verify))
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

/*
 * The SA database entries of ingress session @p s: SPI and destination
 * in the database of its IP version, or SPI only in both.
 */
static int
swi_rx_table_add(struct swi_dev *dev, struct swi_sess *s)
{
	union rte_ipsec_sad_key key;
	const union rte_ipsec_sad_key *kp = &key;
	int type = s->ip_ver == 0 ? RTE_IPSEC_SAD_SPI_ONLY :
		RTE_IPSEC_SAD_SPI_DIP;
	unsigned int v;
	int ret;

	swi_sad_key(&key, s->spi, s->ip_ver, s->dst);
	for (v = 0; v < 2; v++) {
		const struct swi_sess *e = NULL;

		if (s->ip_ver != 0 && v != (s->ip_ver == 6))
			continue;
		/* The most specific entry: the same key if it exists. */
		if (rte_ipsec_sad_lookup(dev->sad[v], &kp, (void **)&e,
				1) > 0 && e->ip_ver == s->ip_ver)
			return -EEXIST;
	}
	for (v = 0; v < 2; v++) {
		if (s->ip_ver != 0 && v != (s->ip_ver == 6))
			continue;
		ret = rte_ipsec_sad_add(dev->sad[v], &key, type, s);
		if (ret < 0) {
			if (v == 1 && s->ip_ver == 0)
				rte_ipsec_sad_del(dev->sad[0], &key, type);
			return ret;
		}
	}
	return 0;
}

static void
swi_rx_table_del(struct swi_dev *dev, struct swi_sess *s)
{
	union rte_ipsec_sad_key key;
	int type = s->ip_ver == 0 ? RTE_IPSEC_SAD_SPI_ONLY :
		RTE_IPSEC_SAD_SPI_DIP;
	unsigned int v;

	swi_sad_key(&key, s->spi, s->ip_ver, s->dst);
	for (v = 0; v < 2; v++)
		if (s->ip_ver == 0 || v == (s->ip_ver == 6))
			rte_ipsec_sad_del(dev->sad[v], &key, type);
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
	if (conf->action_type == RTE_SECURITY_ACTION_TYPE_INLINE_PROTOCOL)
		swi_proto_sess_init(s, ipsec);
	/*
	 * Ingress destination, inline crypto only (as the 82599 matches SPI
	 * and destination): the tunnel endpoint; in transport mode the
	 * tunnel address if one is given, else any destination. Inline
	 * protocol sessions match by SPI alone, as full-offload NICs do:
	 * rte_security's tunnel parameters are for encapsulation, and
	 * checking the outer header on ingress is an option
	 * (tunnel_hdr_verify) the provider does not offer.
	 */
	if (conf->action_type != RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO) {
		/* any destination */
	} else if (ipsec->tunnel.type == RTE_SECURITY_IPSEC_TUNNEL_IPV4 &&
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
		st->ierrors = ps.rx_auth_failed + ps.rx_malformed +
			ps.rx_replayed + ps.rx_expired + ps.rx_bad_trailer;
		st->opackets = ps.tx_encrypted;
		st->oerrors = ps.tx_no_sa + ps.tx_malformed + ps.tx_expired +
			ps.tx_seq_overflow + ps.tx_no_room;
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

int
rte_security_sw_inline_session_events(struct rte_security_ctx *ctx,
		void *sess, uint32_t *events)
{
	struct swi_sess *s = ctx == NULL ? NULL : swi_priv(ctx->device, sess);

	if (s == NULL || events == NULL) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	*events = __atomic_load_n(&s->events, __ATOMIC_RELAXED);
	return 0;
}

const struct rte_security_ops swi_ops = {
	.session_create = swi_session_create,
	.session_get_size = swi_session_get_size,
	.session_stats_get = swi_session_stats_get,
	.session_destroy = swi_session_destroy,
	.set_pkt_metadata = swi_set_pkt_metadata,
	.capabilities_get = swi_capabilities_get,
};
