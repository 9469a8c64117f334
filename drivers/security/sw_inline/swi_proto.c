/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * Inline protocol (RTE_SECURITY_ACTION_TYPE_INLINE_PROTOCOL): the whole ESP
 * on the provider's side, as a full-offload NIC does it.
 *
 * TX: a plain Ethernet + IP packet becomes an ESP packet: tunnel mode puts
 * the session's outer IP header and ESP in front of the inner IP packet,
 * transport mode inserts ESP after the IP header. RX: an ESP packet of an
 * ingress session is verified, checked against the anti-replay window and
 * decapsulated back to Ethernet + IP.
 *
 * The crypto is swi_crypto.h's, shared with inline crypto. Lifetime limits
 * count packets and the bytes of the IP packets protected (before
 * encapsulation, after decapsulation), with atomic counters: of the
 * packets of a session on any number of lcores, exactly one crosses each
 * limit, and it raises the event.
 */

#include <stdbool.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_esp.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_security.h>
#include <rte_spinlock.h>

#include <rte_secpath.h>
#include <rte_secpath_esp.h>

#include "swi_private.h"
#include "swi_crypto.h"

#define SWI_ESP_IV_HDR (SWI_ESP_HDR_LEN + SWI_IV_LEN)

/*
 * Events.
 */
void
swi_event_raise(struct swi_dev *dev, struct swi_sess *s,
		enum rte_eth_event_ipsec_subtype subtype)
{
	struct rte_eth_event_ipsec_desc desc = {
		.subtype = subtype,
		.metadata = s->userdata,
	};
	rte_eth_dev_cb_fn fn;

	__atomic_fetch_or(&s->events, 1u << subtype, __ATOMIC_RELAXED);
	__atomic_fetch_add(&dev->stats[RTE_MAX_LCORE].c[SWI_EVENTS], 1,
		__ATOMIC_RELAXED);
	fn = __atomic_load_n(&dev->hook_fn, __ATOMIC_ACQUIRE);
	if (fn != NULL)
		fn(dev->port_id, RTE_ETH_EVENT_IPSEC, dev->hook_arg, &desc);
	fn = __atomic_load_n(&dev->ev_fn, __ATOMIC_ACQUIRE);
	if (fn != NULL)
		fn(dev->port_id, RTE_ETH_EVENT_IPSEC, dev->ev_arg, &desc);
}

/*
 * Lifetime: count one packet of len bytes. Return 0 if it may be
 * processed, -1 if a hard limit was reached before it. The packet that
 * makes a counter reach a limit raises its event (once: the counters only
 * grow, and only one fetch-add crosses a value).
 */
static __rte_always_inline int
swi_life_take(struct swi_dev *dev, struct swi_sess *s, uint32_t len)
{
	uint64_t op, ob;

	if (likely(!s->has_life))
		return 0;
	op = __atomic_fetch_add(&s->life_pkts, 1, __ATOMIC_RELAXED);
	ob = __atomic_fetch_add(&s->life_bytes, len, __ATOMIC_RELAXED);
	if (op >= s->hard_pkts || ob >= s->hard_bytes)
		return -1;
	if (op < s->soft_pkts && op + 1 >= s->soft_pkts)
		swi_event_raise(dev, s, RTE_ETH_EVENT_IPSEC_SA_PKT_EXPIRY);
	if (ob < s->soft_bytes && ob + len >= s->soft_bytes)
		swi_event_raise(dev, s, RTE_ETH_EVENT_IPSEC_SA_BYTE_EXPIRY);
	if (op + 1 == s->hard_pkts)
		swi_event_raise(dev, s,
			RTE_ETH_EVENT_IPSEC_SA_PKT_HARD_EXPIRY);
	if (ob + len >= s->hard_bytes)
		swi_event_raise(dev, s,
			RTE_ETH_EVENT_IPSEC_SA_BYTE_HARD_EXPIRY);
	return 0;
}

/* Whether a hard limit has been reached. */
static __rte_always_inline bool
swi_life_dead(const struct swi_sess *s)
{
	return s->has_life &&
		(__atomic_load_n(&s->life_pkts, __ATOMIC_RELAXED) >=
			s->hard_pkts ||
		 __atomic_load_n(&s->life_bytes, __ATOMIC_RELAXED) >=
			s->hard_bytes);
}

/*
 * Session set-up.
 */
static uint64_t
swi_limit(uint64_t v)
{
	return v == 0 ? UINT64_MAX : v;
}

void
swi_proto_sess_init(struct swi_sess *s,
		const struct rte_security_ipsec_xform *ipsec)
{
	const struct rte_security_ipsec_lifetime *l = &ipsec->life;

	s->proto = 1;
	s->soft_pkts = swi_limit(l->packets_soft_limit);
	s->soft_bytes = swi_limit(l->bytes_soft_limit);
	s->hard_pkts = swi_limit(l->packets_hard_limit);
	s->hard_bytes = swi_limit(l->bytes_hard_limit);
	s->has_life = l->packets_soft_limit != 0 || l->bytes_soft_limit != 0 ||
		l->packets_hard_limit != 0 || l->bytes_hard_limit != 0;
	/* as librte_ipsec: the first packet sent carries esn.value, or 1 */
	s->seq = RTE_MAX(ipsec->esn.value, UINT64_C(1));
	s->rwin = ipsec->replay_win_sz;
	rte_spinlock_init(&s->rlock);
	if (!s->egress || !s->tunnel)
		return;
	if (ipsec->tunnel.type == RTE_SECURITY_IPSEC_TUNNEL_IPV4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)s->hdr;

		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->type_of_service = (uint8_t)(ipsec->tunnel.ipv4.dscp << 2);
		ip->fragment_offset = ipsec->tunnel.ipv4.df ?
			RTE_BE16(RTE_IPV4_HDR_DF_FLAG) : 0;
		ip->time_to_live = ipsec->tunnel.ipv4.ttl != 0 ?
			ipsec->tunnel.ipv4.ttl : 64;
		ip->next_proto_id = IPPROTO_ESP;
		memcpy(&ip->src_addr, &ipsec->tunnel.ipv4.src_ip, 4);
		memcpy(&ip->dst_addr, &ipsec->tunnel.ipv4.dst_ip, 4);
		s->hdr_len = sizeof(*ip);
	} else {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)s->hdr;

		ip6->vtc_flow = rte_cpu_to_be_32(6u << 28 |
			(uint32_t)ipsec->tunnel.ipv6.dscp << 22 |
			(ipsec->tunnel.ipv6.flabel & 0xfffff));
		ip6->proto = IPPROTO_ESP;
		ip6->hop_limits = ipsec->tunnel.ipv6.hlimit != 0 ?
			ipsec->tunnel.ipv6.hlimit : 64;
		memcpy(&ip6->src_addr, &ipsec->tunnel.ipv6.src_addr, 16);
		memcpy(&ip6->dst_addr, &ipsec->tunnel.ipv6.dst_addr, 16);
		s->hdr_len = sizeof(*ip6);
	}
}

/*
 * TX.
 */

/*
 * Ethernet and up to two VLAN tags: their length (0 if cut), the last
 * ether_type (its last two bytes) in *et.
 */
static __rte_always_inline uint32_t
swi_l2(const struct rte_mbuf *m, rte_be16_t *et)
{
	const uint8_t *b = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t off = RTE_ETHER_HDR_LEN;
	unsigned int i;

	if (unlikely(m->data_len < RTE_ETHER_HDR_LEN))
		return 0;
	*et = ((const struct rte_ether_hdr *)b)->ether_type;
	for (i = 0; i < 2 && (*et == RTE_BE16(RTE_ETHER_TYPE_VLAN) ||
			*et == RTE_BE16(RTE_ETHER_TYPE_QINQ)); i++) {
		if (m->data_len < off + sizeof(struct rte_vlan_hdr))
			return 0;
		*et = ((const struct rte_vlan_hdr *)(b + off))->eth_proto;
		off += sizeof(struct rte_vlan_hdr);
	}
	return off;
}

/*
 * The IP packet at l2: version (4 or 6), header length in *hl, total
 * length in *len; 0 if it is not a whole IPv4 or IPv6 packet with its
 * header in the first segment.
 */
static __rte_always_inline int
swi_ip(const struct rte_mbuf *m, uint32_t l2, rte_be16_t et, uint32_t *hl,
		uint32_t *len)
{
	const uint8_t *b = rte_pktmbuf_mtod_offset(m, const uint8_t *, l2);

	if (et == RTE_BE16(RTE_ETHER_TYPE_IPV4)) {
		const struct rte_ipv4_hdr *ip = (const void *)b;

		if (m->data_len < l2 + sizeof(*ip) ||
				(ip->version_ihl >> 4) != 4)
			return 0;
		*hl = (ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) * 4u;
		*len = rte_be_to_cpu_16(ip->total_length);
		if (*hl < sizeof(*ip) || *len < *hl ||
				m->data_len < l2 + *hl)
			return 0;
		return 4;
	}
	if (et == RTE_BE16(RTE_ETHER_TYPE_IPV6)) {
		const struct rte_ipv6_hdr *ip6 = (const void *)b;

		if (m->data_len < l2 + sizeof(*ip6) || (b[0] >> 4) != 6)
			return 0;
		*hl = sizeof(*ip6);
		*len = sizeof(*ip6) + rte_be_to_cpu_16(ip6->payload_len);
		return 6;
	}
	return 0;
}

/* Next header values that come before ESP in an IPv6 packet. */
static __rte_always_inline bool
swi_ip6_ext(uint8_t nh)
{
	return nh == IPPROTO_HOPOPTS || nh == IPPROTO_ROUTING ||
		nh == IPPROTO_DSTOPTS || nh == IPPROTO_FRAGMENT;
}

/* Pad length and next header, after padding 1, 2, 3... */
static __rte_always_inline void
swi_trailer(uint8_t *tr, uint32_t pad, uint8_t nh)
{
	uint32_t i;

	for (i = 0; i < pad; i++)
		tr[i] = (uint8_t)(i + 1);
	tr[pad] = (uint8_t)pad;
	tr[pad + 1] = nh;
}

/* Lengths (and IPv4 id and checksum) of the IP header of an ESP packet. */
static __rte_always_inline void
swi_ip_fix(uint8_t *ip, uint32_t ip_len, uint16_t id, bool set_id)
{
	if ((ip[0] >> 4) == 4) {
		struct rte_ipv4_hdr *h = (struct rte_ipv4_hdr *)ip;

		h->total_length = rte_cpu_to_be_16((uint16_t)ip_len);
		if (set_id)
			h->packet_id = rte_cpu_to_be_16(id);
		h->hdr_checksum = 0;
		h->hdr_checksum = rte_ipv4_cksum(h);
	} else {
		struct rte_ipv6_hdr *h = (struct rte_ipv6_hdr *)ip;

		h->payload_len = rte_cpu_to_be_16((uint16_t)(ip_len -
			sizeof(*h)));
	}
}

int
swi_proto_tx(struct swi_dev *dev, struct swi_sess *s, struct rte_mbuf *m,
		struct swi_run *run)
{
	uint8_t iv[16] __rte_aligned(16), aad_buf[12];
	uint32_t l2, hl, len, pad, extra, hdr, keep, aad_len, off;
	rte_be16_t et;
	struct rte_mbuf *last;
	const uint8_t *aad;
	uint8_t *b, *ip, *esp, *tr, nh;
	uint64_t sqn;
	int ver, rc;

	l2 = swi_l2(m, &et);
	/*
	 * Tunnel mode: the packet to protect is whatever IP packet follows
	 * L2, whose EtherType may already name the outer version (DPDK's
	 * inline_ipsec_autotest builds them so): its version nibble says.
	 */
	if (s->tunnel && l2 != 0 && m->data_len > l2 &&
			(et == RTE_BE16(RTE_ETHER_TYPE_IPV4) ||
			 et == RTE_BE16(RTE_ETHER_TYPE_IPV6))) {
		uint8_t v = *rte_pktmbuf_mtod_offset(m, const uint8_t *, l2) >>
			4;

		if (v == 4)
			et = RTE_BE16(RTE_ETHER_TYPE_IPV4);
		else if (v == 6)
			et = RTE_BE16(RTE_ETHER_TYPE_IPV6);
	}
	ver = l2 == 0 ? 0 : swi_ip(m, l2, et, &hl, &len);
	rc = SWI_TX_MALFORMED;
	if (unlikely(ver == 0 || l2 + len > m->pkt_len))
		goto fail;
	b = rte_pktmbuf_mtod(m, uint8_t *);
	if (s->tunnel) {
		nh = ver == 4 ? IPPROTO_IPIP : IPPROTO_IPV6;
		keep = l2;             /* the L2 header stays in front */
		hdr = s->hdr_len + SWI_ESP_IV_HDR;
		pad = len;             /* the whole IP packet is protected */
	} else {
		nh = ver == 4 ? ((struct rte_ipv4_hdr *)(b + l2))->next_proto_id
			: ((struct rte_ipv6_hdr *)(b + l2))->proto;
		/* IPv6 extension headers: not supported in transport mode */
		if (unlikely(ver == 6 && swi_ip6_ext(nh)))
			goto fail;
		keep = l2 + hl;        /* L2 and IP headers stay in front */
		hdr = SWI_ESP_IV_HDR;
		pad = len - hl;
	}
	/* payload, pad length and next header: a multiple of 4 bytes */
	pad = (4 - ((pad + 2) & 3)) & 3;
	/* Ethernet padding after the IP packet goes */
	extra = m->pkt_len - l2 - len;
	for (last = m; last->next != NULL; last = last->next)
		;
	rc = SWI_TX_NO_ROOM;
	if (unlikely(extra > last->data_len ||
			rte_pktmbuf_headroom(m) < hdr ||
			rte_pktmbuf_tailroom(last) + extra <
				pad + 2 + SWI_ICV_LEN ||
			len + hdr + pad + 2 + SWI_ICV_LEN > UINT16_MAX))
		goto fail;
	/* from here on the packet is sent: lifetime, sequence number */
	rc = SWI_TX_EXPIRED;
	if (unlikely(swi_life_take(dev, s, len) != 0))
		goto fail;
	sqn = __atomic_fetch_add(&s->seq, 1, __ATOMIC_RELAXED);
	if (unlikely(s->esn ? sqn == 0 : sqn > UINT32_MAX)) {
		/* the first packet past the last number raises the event */
		if (sqn == (s->esn ? 0 : UINT64_C(1) << 32))
			swi_event_raise(dev, s,
				RTE_ETH_EVENT_IPSEC_ESN_OVERFLOW);
		rc = SWI_TX_SEQ_OVERFLOW;
		goto fail;
	}
	rte_pktmbuf_trim(m, extra);
	tr = (uint8_t *)rte_pktmbuf_append(m, pad + 2 + SWI_ICV_LEN);
	swi_trailer(tr, pad, nh);
	b = (uint8_t *)rte_pktmbuf_prepend(m, hdr);
	memmove(b, b + hdr, keep);
	ip = b + l2;
	if (s->tunnel) {
		memcpy(ip, s->hdr, s->hdr_len);
		/* the last ether_type: the outer IP version */
		*(rte_be16_t *)(b + l2 - 2) = s->hdr_len ==
			sizeof(struct rte_ipv4_hdr) ?
			RTE_BE16(RTE_ETHER_TYPE_IPV4) :
			RTE_BE16(RTE_ETHER_TYPE_IPV6);
		esp = ip + s->hdr_len;
		hl = s->hdr_len;
	} else {
		if (ver == 4)
			((struct rte_ipv4_hdr *)ip)->next_proto_id =
				IPPROTO_ESP;
		else
			((struct rte_ipv6_hdr *)ip)->proto = IPPROTO_ESP;
		esp = ip + hl;
	}
	((struct rte_esp_hdr *)esp)->spi = s->spi;
	((struct rte_esp_hdr *)esp)->seq = rte_cpu_to_be_32((uint32_t)sqn);
	/* the IV: the 64-bit sequence number, never twice with a key */
	memcpy(esp + SWI_ESP_HDR_LEN, &sqn, SWI_IV_LEN);
	aad = swi_nonce_aad(s, esp, (uint32_t)(sqn >> 32), iv, aad_buf,
		&aad_len);
	off = (uint32_t)(esp - b) + SWI_ESP_IV_HDR;
	swi_gcm(s, m, off, m->pkt_len - off - SWI_ICV_LEN, iv, aad, aad_len,
		true);
	swi_ip_fix(ip, m->pkt_len - l2, (uint16_t)sqn, s->tunnel);
	m->l2_len = l2;
	m->l3_len = hl;
	m->ol_flags &= ~RTE_MBUF_F_TX_SEC_OFFLOAD;
	swi_run_add(run, s, true, len, false);
	return 0;
fail:
	swi_run_add(run, s, true, 0, true);
	return rc;
}

/*
 * RX.
 */

/* Bits of the window bitmap (a ring of SWI_WIN_WORDS words). */
#define SWI_WIN_BITS (SWI_WIN_WORDS * 64)

/*
 * Anti-replay check of sequence number sq against the window whose top is
 * top (RFC 4303 appendix A, with the bitmap of RFC 6479): 0 if sq is new,
 * -1 if it is 0, older than the window, or already received.
 */
static __rte_always_inline int
swi_replay_check(const struct swi_sess *s, uint64_t sq, uint64_t top)
{
	uint64_t bit = sq & (SWI_WIN_BITS - 1);

	if (unlikely(sq == 0))
		return -1;
	if (sq > top)
		return 0;
	if (top - sq >= s->rwin)
		return -1;
	return (__atomic_load_n(&s->rwin_map[bit >> 6], __ATOMIC_RELAXED) >>
		(bit & 63)) & 1 ? -1 : 0;
}

/* Check sq again and record it; under s->rlock. 0, or -1 (replayed). */
static int
swi_replay_update(struct swi_sess *s, uint64_t sq)
{
	uint64_t top = s->esn_top, w, i, bit;

	if (swi_replay_check(s, sq, top) != 0)
		return -1;
	if (sq > top) {
		/* clear the words between the old and the new top */
		w = top >> 6;
		if ((sq >> 6) - w >= SWI_WIN_WORDS)
			w = (sq >> 6) - SWI_WIN_WORDS;
		for (i = w + 1; i <= sq >> 6; i++)
			__atomic_store_n(&s->rwin_map[i & (SWI_WIN_WORDS - 1)],
				0, __ATOMIC_RELAXED);
		__atomic_store_n(&s->esn_top, sq, __ATOMIC_RELAXED);
	}
	bit = sq & (SWI_WIN_BITS - 1);
	__atomic_store_n(&s->rwin_map[bit >> 6], s->rwin_map[bit >> 6] |
		UINT64_C(1) << (bit & 63), __ATOMIC_RELAXED);
	return 0;
}

/*
 * The decrypted payload of plen bytes at off and its next header: the
 * length of the IP packet it makes once decapsulated, or 0 if it is not a
 * whole IPv4 or IPv6 packet (tunnel mode; the bytes after it are TFC
 * padding), or nh is "no next header" (transport mode).
 */
static __rte_always_inline uint32_t
swi_inner_len(const struct swi_sess *s, const struct rte_mbuf *m,
		const struct rte_secpath_esp_info *p, uint32_t off,
		uint32_t plen, uint8_t nh)
{
	uint8_t buf[sizeof(struct rte_ipv6_hdr)];
	const uint8_t *h;
	uint32_t len;

	if (!s->tunnel)
		return nh == IPPROTO_NONE ? 0 : p->l3_len + plen;
	if (nh == IPPROTO_IPIP && plen >= sizeof(struct rte_ipv4_hdr)) {
		const struct rte_ipv4_hdr *ip;

		h = rte_pktmbuf_read(m, off, sizeof(*ip), buf);
		ip = (const struct rte_ipv4_hdr *)h;
		len = rte_be_to_cpu_16(ip->total_length);
		if ((ip->version_ihl >> 4) != 4 ||
				(ip->version_ihl & 0xf) < 5 ||
				len < (ip->version_ihl & 0xf) * 4u ||
				len > plen)
			return 0;
		return len;
	}
	if (nh == IPPROTO_IPV6 && plen >= sizeof(struct rte_ipv6_hdr)) {
		const struct rte_ipv6_hdr *ip6;

		h = rte_pktmbuf_read(m, off, sizeof(*ip6), buf);
		ip6 = (const struct rte_ipv6_hdr *)h;
		len = sizeof(*ip6) + rte_be_to_cpu_16(ip6->payload_len);
		if ((h[0] >> 4) != 6 || len > plen)
			return 0;
		return len;
	}
	return 0;
}

/* Whether the padding before the pad length is 1, 2, 3... */
static __rte_always_inline bool
swi_pad_ok(const struct rte_mbuf *m, uint32_t off, uint32_t pad)
{
	uint8_t buf[UINT8_MAX];
	const uint8_t *p;
	uint32_t i;

	if (pad == 0)
		return true;
	p = rte_pktmbuf_read(m, off, pad, buf);
	for (i = 0; i < pad; i++)
		if (p[i] != i + 1)
			return false;
	return true;
}

/* Remove what ESP added; the packet is Ethernet + IP again. */
static __rte_always_inline void
swi_decap(const struct swi_sess *s, struct rte_mbuf *m,
		const struct rte_secpath_esp_info *p, uint32_t ilen, uint8_t nh)
{
	uint32_t l2 = p->l2_len, cut, off = p->esp_off + SWI_ESP_IV_HDR;
	uint8_t *b = rte_pktmbuf_mtod(m, uint8_t *), *ip;

	rte_pktmbuf_trim(m, m->pkt_len - off - (ilen -
		(s->tunnel ? 0 : p->l3_len)));
	if (s->tunnel) {
		cut = off - l2;
		memmove(b + cut, b, l2);
		b = (uint8_t *)rte_pktmbuf_adj(m, cut);
		ip = b + l2;
		*(rte_be16_t *)(b + l2 - 2) = (ip[0] >> 4) == 4 ?
			RTE_BE16(RTE_ETHER_TYPE_IPV4) :
			RTE_BE16(RTE_ETHER_TYPE_IPV6);
		m->l3_len = (ip[0] >> 4) == 4 ? (ip[0] & 0xf) * 4u :
			sizeof(struct rte_ipv6_hdr);
	} else {
		memmove(b + SWI_ESP_IV_HDR, b, p->esp_off);
		b = (uint8_t *)rte_pktmbuf_adj(m, SWI_ESP_IV_HDR);
		ip = b + l2;
		if ((ip[0] >> 4) == 4)
			((struct rte_ipv4_hdr *)ip)->next_proto_id = nh;
		else
			((struct rte_ipv6_hdr *)ip)->proto = nh;
		swi_ip_fix(ip, ilen, 0, false);
	}
	m->packet_type = RTE_PTYPE_L2_ETHER | ((ip[0] >> 4) == 4 ?
		RTE_PTYPE_L3_IPV4_EXT_UNKNOWN : RTE_PTYPE_L3_IPV6_EXT_UNKNOWN);
}

void
swi_proto_rx(struct swi_dev *dev, struct swi_sess *s, struct rte_mbuf *m,
		const struct rte_secpath_esp_info *p, uint32_t *cnt,
		struct swi_run *run)
{
	uint8_t iv[16] __rte_aligned(16), aad_buf[12], tb[2];
	uint32_t off = p->esp_off + SWI_ESP_IV_HDR;
	uint32_t clen = p->ip_end - off - SWI_ICV_LEN;
	uint32_t sqn, sqh = 0, aad_len, pad, ilen;
	const uint8_t *esp, *aad, *t;
	struct rte_mbuf *last;
	uint64_t sq;
	int reason, rc;

	esp = rte_pktmbuf_mtod_offset(m, const uint8_t *, p->esp_off);
	reason = SWI_RX_EXPIRED;
	if (unlikely(swi_life_dead(s)))
		goto fail;
	/* transport IPv6 with extension headers is not supported */
	reason = SWI_RX_UNSUPPORTED;
	if (unlikely(!s->tunnel && p->ip_ver == 6 &&
			p->l3_len != sizeof(struct rte_ipv6_hdr)))
		goto fail;
	sqn = rte_be_to_cpu_32(((const struct rte_esp_hdr *)esp)->seq);
	if (s->esn)
		sqh = swi_esn_hi_rx(__atomic_load_n(&s->esn_top,
			__ATOMIC_RELAXED), sqn,
			s->rwin != 0 ? s->rwin : SWI_DEFAULT_WIN);
	sq = (uint64_t)sqh << 32 | sqn;
	reason = SWI_RX_REPLAYED;
	if (s->rwin != 0 && swi_replay_check(s, sq, __atomic_load_n(
			&s->esn_top, __ATOMIC_RELAXED)) != 0)
		goto fail;
	aad = swi_nonce_aad(s, esp, sqh, iv, aad_buf, &aad_len);
	reason = SWI_RX_AUTH_FAILED;
	if (swi_gcm(s, m, off, clen, iv, aad, aad_len, false) != 0)
		goto fail;
	/* authentic: the trailer, the inner packet */
	t = rte_pktmbuf_read(m, off + clen - 2, 2, tb);
	pad = t[0];
	reason = SWI_RX_BAD_TRAILER;
	if (pad + 2 > clen || !swi_pad_ok(m, off + clen - 2 - pad, pad))
		goto undo;
	ilen = swi_inner_len(s, m, p, off, clen - 2 - pad, t[1]);
	if (ilen == 0)
		goto undo;
	/* what goes from the end must be in the last segment */
	for (last = m; last->next != NULL; last = last->next)
		;
	reason = SWI_RX_UNSUPPORTED;
	if (unlikely(m->pkt_len - off - (ilen - (s->tunnel ? 0 :
			p->l3_len)) > last->data_len))
		goto undo;
	/* the window moves, and only now */
	reason = SWI_RX_REPLAYED;
	if (s->rwin != 0) {
		rte_spinlock_lock(&s->rlock);
		rc = swi_replay_update(s, sq);
		rte_spinlock_unlock(&s->rlock);
		if (rc != 0)
			goto undo;
	} else if (s->esn) {
		swi_atomic_max(&s->esn_top, sq);
	}
	reason = SWI_RX_EXPIRED;
	if (unlikely(swi_life_take(dev, s, ilen) != 0))
		goto undo;
	swi_decap(s, m, p, ilen, t[1]);
	cnt[SWI_RX_DECRYPTED]++;
	swi_run_add(run, s, false, ilen, false);
	return;
undo:
	/* the packet as received */
	swi_gcm_restore(s, m, off, clen, iv, aad, aad_len);
fail:
	m->ol_flags |= RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED;
	cnt[reason]++;
	swi_run_add(run, s, false, 0, true);
}
