/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _SWI_PRIVATE_H_
#define _SWI_PRIVATE_H_

/*
 * Private to the sw_inline provider (not installed): its constants, the
 * session and port structures, the globals the files share and the small
 * inline helpers of the data path.
 *
 * Files:
 *   swi_crypto.h    AES-GCM over a packet, nonce and AAD (inline, data path)
 *   swi_crypto.c    intel-ipsec-mb set-up
 *   swi_rxtx.c      RX and TX processing, the ethdev burst callbacks
 *   swi_proto.c     inline protocol: ESP encapsulation and decapsulation,
 *                   anti-replay window, lifetime, events
 *   swi_session.c   rte_security ops: capabilities, sessions, metadata
 *   swi_dev.c       bind, unbind, ctx_get, queues and callbacks
 *   swi_stats.c     counters, dump, telemetry
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <intel-ipsec-mb.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_ipsec_sad.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_security.h>
#include <rte_security_driver.h>
#include <rte_spinlock.h>

#include "rte_security_sw_inline.h"

extern int swi_logtype;
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
/* Largest anti-replay window of inline-protocol sessions, in packets. */
#define SWI_MAX_WIN 4096
/* Words of the window bitmap: a power of 2 with room for
 * SWI_MAX_WIN + 64 bits (RFC 6479: the word being filled is not part of
 * the window).
 */
#define SWI_WIN_WORDS 128

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
	SWI_RX_REPLAYED,
	SWI_RX_EXPIRED,
	SWI_RX_BAD_TRAILER,
	SWI_TX_EXPIRED,
	SWI_TX_SEQ_OVERFLOW,
	SWI_TX_NO_ROOM,
	SWI_EVENTS,
	SWI_NB_STATS
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
	/* inline protocol (RTE_SECURITY_ACTION_TYPE_INLINE_PROTOCOL) */
	uint8_t proto;
	uint8_t has_life;   /* some lifetime limit is set */
	uint8_t hdr_len;    /* egress tunnel: outer IP header length */
	uint8_t hdr[40];    /* egress tunnel: outer IP header template */
	uint64_t seq;       /* egress: next sequence number (64 bits) */
	/* lifetime counters (packets, bytes of IP packets protected) and
	 * limits; UINT64_MAX: no limit
	 */
	uint64_t life_pkts, life_bytes;
	uint64_t soft_pkts, soft_bytes, hard_pkts, hard_bytes;
	uint32_t events;    /* 1 << subtype of every event raised */
	/* ingress anti-replay window: replay_win_sz packets (0: no check)
	 * below esn_top, one bit a packet in rwin_map (RFC 6479), updated
	 * under rlock
	 */
	uint32_t rwin;
	rte_spinlock_t rlock;
	uint64_t rwin_map[SWI_WIN_WORDS];
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
	/*
	 * Ingress sessions by SPI and destination, in DPDK's SA database
	 * (the secpath's SPI index is one too): IPv4 keys, IPv6 keys. A
	 * session for any destination is an SPI-only entry of both.
	 */
	struct rte_ipsec_sad *sad[2];
	uint16_t nb_rxq, nb_txq;
	uint16_t rxq[RTE_MAX_QUEUES_PER_PORT];
	uint16_t txq[RTE_MAX_QUEUES_PER_PORT];
	const struct rte_eth_rxtx_callback *rx_cb[RTE_MAX_QUEUES_PER_PORT];
	const struct rte_eth_rxtx_callback *tx_cb[RTE_MAX_QUEUES_PER_PORT];
	/* RTE_ETH_EVENT_IPSEC notification (swi_event_raise()) */
	rte_eth_dev_cb_fn ev_fn;
	void *ev_arg;
	/* the driver's hook (rte_security_sw_inline_dev_event_hook_set()) */
	rte_eth_dev_cb_fn hook_fn;
	void *hook_arg;
	/* RTE_MAX_LCORE slots, then one shared by non-EAL threads */
	struct swi_lcore_stats stats[RTE_MAX_LCORE + 1];
};


/*
 * Key of the SA database for SPI @p spi (network order) and, for @p ver
 * 4 or 6, destination @p dst (network order; 4 or 16 bytes); ver 0: the
 * SPI-only key. The rest is zero.
 */
static __rte_always_inline void
swi_sad_key(union rte_ipsec_sad_key *key, rte_be32_t spi, uint8_t ver,
		const uint8_t *dst)
{
	memset(key, 0, sizeof(*key));
	if (ver == 6) {
		key->v6.spi = spi;
		memcpy(&key->v6.dip, dst, 16);
	} else {
		key->v4.spi = spi;
		if (ver == 4)
			memcpy(&key->v4.dip, dst, 4);
	}
}

/*
 * Whether every segment of @p m is the packet's alone, so that it may be
 * encrypted in place: not a clone's view of another mbuf's data, not
 * pinned by clones, not an external buffer that others share. (A NIC
 * encrypts on the wire and leaves the data as it is; the provider writes
 * the ciphertext into it.)
 */
static __rte_always_inline bool
swi_writable(const struct rte_mbuf *m)
{
	for (; m != NULL; m = m->next) {
		if (unlikely(rte_mbuf_refcnt_read(m) != 1))
			return false;
		if (unlikely(!RTE_MBUF_DIRECT(m)) &&
				(!RTE_MBUF_HAS_EXTBUF(m) ||
				 rte_mbuf_ext_refcnt_read(m->shinfo) != 1))
			return false;
	}
	return true;
}

/* Bound ports, by port id, under swi_ports_lock (swi_dev.c). */
extern struct swi_dev *swi_ports[RTE_MAX_ETHPORTS];
extern rte_spinlock_t swi_ports_lock;

/* AES-GCM functions for 128 and 256-bit keys (swi_crypto.c). */
extern struct swi_gcm_ops swi_gcm128, swi_gcm256;

/* The rte_security ops of a bound port (swi_session.c). */
extern const struct rte_security_ops swi_ops;

/* Set up intel-ipsec-mb once: 0 or a negative errno (swi_crypto.c). */
int swi_crypto_init(void);

/* The ethdev RX and TX callbacks; arg is the struct swi_dev (swi_rxtx.c). */
uint16_t swi_rx_cb(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts,
		uint16_t nb_pkts, uint16_t max_pkts, void *arg);
uint16_t swi_tx_cb(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts,
		uint16_t nb_pkts, void *arg);

/*
 * Inline protocol (swi_proto.c). swi_proto_tx() encapsulates a flagged
 * packet of egress session s: 0, or the counter of the failure (the packet
 * is then unchanged). swi_proto_rx() verifies and decapsulates a received
 * ESP packet p of ingress session s, sets its flags and dynfield, and
 * counts it in cnt and run.
 */
struct rte_secpath_esp_info;
struct swi_run;
int swi_proto_tx(struct swi_dev *dev, struct swi_sess *s, struct rte_mbuf *m,
		struct swi_run *run);
void swi_proto_rx(struct swi_dev *dev, struct swi_sess *s,
		struct rte_mbuf *m, const struct rte_secpath_esp_info *p,
		uint32_t *cnt, struct swi_run *run);
/* Session set-up of the inline-protocol fields (swi_proto.c). */
void swi_proto_sess_init(struct swi_sess *s,
		const struct rte_security_ipsec_xform *ipsec);

/*
 * Deliver an RTE_ETH_EVENT_IPSEC event of session s (swi_proto.c): to the
 * hook of the port's driver (rte_security_sw_inline_dev_event_hook_set(),
 * net_swipsec: rte_eth_dev_callback_process() on its port), then to the
 * application's callback of
 * rte_security_sw_inline_event_callback_register().
 */
void swi_event_raise(struct swi_dev *dev, struct swi_sess *s,
		enum rte_eth_event_ipsec_subtype subtype);

static inline struct swi_dev *
swi_dev_get(uint16_t port_id)
{
	if (port_id >= RTE_MAX_ETHPORTS)
		return NULL;
	return swi_ports[port_id];
}

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

#endif /* _SWI_PRIVATE_H_ */
