/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _RTE_SECPATH_ESP_H_
#define _RTE_SECPATH_ESP_H_

/**
 * @file
 * RTE secpath ESP parser
 *
 * Where the ESP header of a received or prepared packet is: the one parser
 * of the project, used by the secpath's RX import (RTE_SECPATH_RX_SPI) and
 * by the software inline-crypto provider (drivers/security/sw_inline) on
 * every packet it receives or sends. It is inline and takes no lock; it
 * reads the packet and writes nothing but @p info.
 *
 * It walks Ethernet, up to two VLAN tags (0x8100 or 0x88a8), IPv4 (version,
 * header length, total length and fragment checked) or IPv6 with the
 * hop-by-hop, routing and destination options extension headers (each
 * bounds-checked), up to the ESP header. The headers must be in the first
 * segment; the rest of the IP datagram may be in further segments.
 */

#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_compat.h>
#include <rte_esp.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Result of rte_secpath_esp_parse(). */
enum rte_secpath_esp_res {
	/**
	 * ESP: the IP datagram is whole in the packet and its headers, the
	 * ESP header and the bytes the caller asked for are in the first
	 * segment. Every field of struct rte_secpath_esp_info is set.
	 */
	RTE_SECPATH_ESP_OK = 0,
	/**
	 * Not ESP, or not known to be: no Ethernet with IPv4 or IPv6, a
	 * wrong IP version, another protocol, or headers cut before the
	 * protocol is known.
	 */
	RTE_SECPATH_ESP_OTHER,
	/**
	 * ESP that cannot be processed in place: an IP fragment, or the ESP
	 * header (and the bytes the caller asked for) not in the first
	 * segment.
	 */
	RTE_SECPATH_ESP_UNSUPPORTED,
	/**
	 * ESP with inconsistent lengths: IPv4 header length below 20 or
	 * above the total length, IPv6 jumbogram or extension headers
	 * beyond the payload, a datagram longer than the packet (or the
	 * chain of segments) or shorter than the ESP header and the bytes
	 * the caller asked for.
	 */
	RTE_SECPATH_ESP_MALFORMED,
};

/**
 * Flag of rte_secpath_esp_parse(): if the packet's l3_len is set, the IP
 * header is taken to start at l2_len (which may be 0: no L2 header) and
 * is parsed there; it is used only if its headers end at l2_len + l3_len
 * with ESP next. Otherwise, for instance with the lengths a previous user
 * of the mbuf left (receive paths do not reset them), the packet is parsed
 * from its start as without the flag.
 */
#define RTE_SECPATH_ESP_F_L3_LEN (1u << 0)

/** What rte_secpath_esp_parse() found. */
struct rte_secpath_esp_info {
	uint32_t l2_len;    /**< Length of the L2 header(s). */
	uint32_t l3_len;    /**< Length of the IP header(s) before ESP. */
	uint32_t esp_off;   /**< Offset of the ESP header in the packet. */
	uint32_t ip_end;    /**< Offset of the end of the IP datagram. */
	uint8_t ip_ver;     /**< 4 or 6. */
	/** Destination address, in the first segment. */
	const uint8_t *dst;
};

/** @internal Most segments a chain is walked over. */
#define __RTE_SECPATH_ESP_MAX_SEGS 1024

/**
 * @internal Bytes present in the chain of @p m, counted until @p max is
 * reached; 0 if the chain has more than __RTE_SECPATH_ESP_MAX_SEGS
 * segments.
 */
static inline uint32_t
__rte_secpath_esp_chain_len(const struct rte_mbuf *m, uint32_t max)
{
	uint32_t len = 0, n = 0;

	for (; m != NULL && len < max; m = m->next) {
		if (++n > __RTE_SECPATH_ESP_MAX_SEGS)
			return 0;
		len += m->data_len;
	}
	return len;
}

/**
 * @internal Parse the IP header(s) at @p *off of the first @p d bytes of
 * @p b up to ESP: on RTE_SECPATH_ESP_OK, *off is the ESP offset and
 * @p info has the version, destination, l3_len and ip_end.
 */
static __rte_always_inline enum rte_secpath_esp_res
__rte_secpath_esp_ip(const uint8_t *b, uint32_t d, uint32_t *off,
		struct rte_secpath_esp_info *info)
{
	uint32_t o = *off;
	unsigned int i;
	uint8_t nh;

	if (d < o + 1)
		return RTE_SECPATH_ESP_OTHER;
	if ((b[o] >> 4) == 4) {
		const struct rte_ipv4_hdr *ip;
		uint32_t ihl, tot;

		if (d < o + sizeof(*ip))
			return RTE_SECPATH_ESP_OTHER;
		ip = (const struct rte_ipv4_hdr *)(b + o);
		if (ip->next_proto_id != IPPROTO_ESP)
			return RTE_SECPATH_ESP_OTHER;
		ihl = (ip->version_ihl & RTE_IPV4_HDR_IHL_MASK) *
			RTE_IPV4_IHL_MULTIPLIER;
		tot = rte_be_to_cpu_16(ip->total_length);
		if (ihl < sizeof(*ip) || tot < ihl)
			return RTE_SECPATH_ESP_MALFORMED;
		if (ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_MF_FLAG |
				RTE_IPV4_HDR_OFFSET_MASK))
			return RTE_SECPATH_ESP_UNSUPPORTED;
		info->ip_ver = 4;
		info->dst = (const uint8_t *)&ip->dst_addr;
		info->l3_len = ihl;
		info->ip_end = o + tot;
		*off = o + ihl;
		return RTE_SECPATH_ESP_OK;
	}
	if ((b[o] >> 4) == 6) {
		const struct rte_ipv6_hdr *ip6;
		uint32_t start = o;

		if (d < o + sizeof(*ip6))
			return RTE_SECPATH_ESP_OTHER;
		ip6 = (const struct rte_ipv6_hdr *)(b + o);
		info->ip_ver = 6;
		info->dst = (const uint8_t *)&ip6->dst_addr;
		info->ip_end = o + sizeof(*ip6) +
			rte_be_to_cpu_16(ip6->payload_len);
		nh = ip6->proto;
		o += sizeof(*ip6);
		/* hop-by-hop, routing and destination options headers */
		for (i = 0; i < 8 && (nh == IPPROTO_HOPOPTS ||
				nh == IPPROTO_ROUTING ||
				nh == IPPROTO_DSTOPTS); i++) {
			if (d < o + 2)
				return RTE_SECPATH_ESP_OTHER;
			nh = b[o];
			o += (b[o + 1] + 1u) * 8;
		}
		if (nh == IPPROTO_FRAGMENT) {
			if (d < o + 1)
				return RTE_SECPATH_ESP_OTHER;
			return b[o] == IPPROTO_ESP ?
				RTE_SECPATH_ESP_UNSUPPORTED :
				RTE_SECPATH_ESP_OTHER;
		}
		if (nh != IPPROTO_ESP)
			return RTE_SECPATH_ESP_OTHER;
		if (ip6->payload_len == 0 || o > info->ip_end)
			return RTE_SECPATH_ESP_MALFORMED;
		info->l3_len = o - start;
		*off = o;
		return RTE_SECPATH_ESP_OK;
	}
	return RTE_SECPATH_ESP_OTHER;
}

/**
 * Find the ESP header of a packet.
 *
 * The headers are parsed from the start of the packet as the file
 * description says (with RTE_SECPATH_ESP_F_L3_LEN, from l2_len if the
 * packet's lengths agree with its headers). On RTE_SECPATH_ESP_OK
 * @p info gives the lengths and offsets; otherwise its content is
 * undefined.
 *
 * @param m
 *   The packet, with at least one segment.
 * @param flags
 *   0 or RTE_SECPATH_ESP_F_L3_LEN.
 * @param hdr_len
 *   Bytes from the start of the ESP header that must be in the first
 *   segment and in the datagram for RTE_SECPATH_ESP_OK: at least
 *   sizeof(struct rte_esp_hdr) (a smaller value counts as that), plus the
 *   IV if the caller reads it there.
 * @param info
 *   Filled as above.
 * @return
 *   enum rte_secpath_esp_res.
 */
__rte_experimental
static __rte_always_inline enum rte_secpath_esp_res
rte_secpath_esp_parse(const struct rte_mbuf *m, uint32_t flags,
		uint32_t hdr_len, struct rte_secpath_esp_info *info)
{
	const uint8_t *b = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t d = m->data_len, off, end;
	enum rte_secpath_esp_res r;
	unsigned int i;
	uint16_t et;

	if (unlikely(d > m->pkt_len))
		d = m->pkt_len;
	if (hdr_len < sizeof(struct rte_esp_hdr))
		hdr_len = sizeof(struct rte_esp_hdr);
	if ((flags & RTE_SECPATH_ESP_F_L3_LEN) && m->l3_len != 0) {
		/* The lengths are a hint: used only if the headers agree. */
		off = m->l2_len;
		if (__rte_secpath_esp_ip(b, d, &off, info) ==
				RTE_SECPATH_ESP_OK &&
				off == (uint32_t)m->l2_len + m->l3_len) {
			info->l2_len = m->l2_len;
			goto esp;
		}
	}
	if (unlikely(d < RTE_ETHER_HDR_LEN))
		return RTE_SECPATH_ESP_OTHER;
	et = ((const struct rte_ether_hdr *)b)->ether_type;
	off = RTE_ETHER_HDR_LEN;
	for (i = 0; i < 2 && (et == RTE_BE16(RTE_ETHER_TYPE_VLAN) ||
			et == RTE_BE16(RTE_ETHER_TYPE_QINQ)); i++) {
		if (d < off + sizeof(struct rte_vlan_hdr))
			return RTE_SECPATH_ESP_OTHER;
		et = ((const struct rte_vlan_hdr *)(b + off))->eth_proto;
		off += sizeof(struct rte_vlan_hdr);
	}
	info->l2_len = off;
	if (et == RTE_BE16(RTE_ETHER_TYPE_IPV4)) {
		if (d < off + 1 || (b[off] >> 4) != 4)
			return RTE_SECPATH_ESP_OTHER;
	} else if (et == RTE_BE16(RTE_ETHER_TYPE_IPV6)) {
		if (d < off + 1 || (b[off] >> 4) != 6)
			return RTE_SECPATH_ESP_OTHER;
	} else {
		return RTE_SECPATH_ESP_OTHER;
	}
	r = __rte_secpath_esp_ip(b, d, &off, info);
	if (r != RTE_SECPATH_ESP_OK)
		return r;
esp:
	info->esp_off = off;
	end = info->ip_end;
	if (end > m->pkt_len || end < off || end - off < hdr_len)
		return RTE_SECPATH_ESP_MALFORMED;
	if (d < off + hdr_len)
		return RTE_SECPATH_ESP_UNSUPPORTED;
	if ((m->next != NULL || m->data_len < end) &&
			__rte_secpath_esp_chain_len(m, end) < end)
		return RTE_SECPATH_ESP_MALFORMED;
	return RTE_SECPATH_ESP_OK;
}

#ifdef __cplusplus
}
#endif

#endif /* _RTE_SECPATH_ESP_H_ */
