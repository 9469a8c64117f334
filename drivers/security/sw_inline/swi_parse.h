/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _SWI_PARSE_H_
#define _SWI_PARSE_H_

/* Packet parsing: where the ESP header of a packet is. Private. */

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "swi_private.h"

enum swi_parse_res {
	SWI_P_ESP,          /* ESP, header and IV in the first segment */
	SWI_P_OTHER,        /* not ESP */
	SWI_P_UNSUPPORTED,  /* ESP we cannot process: fragment, split */
	SWI_P_MALFORMED,    /* inconsistent lengths */
};

struct swi_pkt {
	uint32_t l2_len;
	uint32_t l3_len;
	uint32_t esp_off;   /* ESP header offset from the packet start */
	uint32_t ip_end;    /* end of the IP datagram */
	uint8_t ip_ver;
	const uint8_t *dst; /* destination address */
};

/* Bytes actually present in a chain, at most max; 0 if it is broken. */
static inline uint32_t
swi_chain_len(const struct rte_mbuf *m, uint32_t max)
{
	uint32_t len = 0, n = 0;

	for (; m != NULL && len < max; m = m->next) {
		if (++n > SWI_MAX_SEGS)
			return 0;
		len += m->data_len;
	}
	return len;
}

static __rte_always_inline enum swi_parse_res
swi_parse(const struct rte_mbuf *m, struct swi_pkt *p)
{
	const uint8_t *b = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t d = m->data_len, off, end, avail;
	uint16_t et;
	uint8_t nh;

	if (unlikely(d > m->pkt_len))
		d = m->pkt_len;
	if (unlikely(d < RTE_ETHER_HDR_LEN))
		return SWI_P_OTHER;
	et = ((const struct rte_ether_hdr *)b)->ether_type;
	off = RTE_ETHER_HDR_LEN;
	if (et == RTE_BE16(RTE_ETHER_TYPE_VLAN) ||
			et == RTE_BE16(RTE_ETHER_TYPE_QINQ)) {
		if (d < RTE_ETHER_HDR_LEN + 4)
			return SWI_P_OTHER;
		et = ((const struct rte_vlan_hdr *)(b +
			RTE_ETHER_HDR_LEN))->eth_proto;
		off += 4;
	}
	p->l2_len = off;
	if (et == RTE_BE16(RTE_ETHER_TYPE_IPV4)) {
		const struct rte_ipv4_hdr *ip;
		uint32_t ihl, tot;

		if (d < off + sizeof(*ip))
			return SWI_P_OTHER;
		ip = (const struct rte_ipv4_hdr *)(b + off);
		if ((ip->version_ihl >> 4) != 4 ||
				ip->next_proto_id != IPPROTO_ESP)
			return SWI_P_OTHER;
		ihl = (ip->version_ihl & 0xf) * 4u;
		tot = rte_be_to_cpu_16(ip->total_length);
		if (ihl < sizeof(*ip) || tot < ihl)
			return SWI_P_MALFORMED;
		if (ip->fragment_offset & RTE_BE16(RTE_IPV4_HDR_MF_FLAG |
				RTE_IPV4_HDR_OFFSET_MASK))
			return SWI_P_UNSUPPORTED;
		p->ip_ver = 4;
		p->dst = (const uint8_t *)&ip->dst_addr;
		p->l3_len = ihl;
		p->ip_end = off + tot;
		off += ihl;
	} else if (et == RTE_BE16(RTE_ETHER_TYPE_IPV6)) {
		const struct rte_ipv6_hdr *ip6;
		unsigned int i;

		if (d < off + sizeof(*ip6))
			return SWI_P_OTHER;
		ip6 = (const struct rte_ipv6_hdr *)(b + off);
		if ((rte_be_to_cpu_32(ip6->vtc_flow) >> 28) != 6)
			return SWI_P_OTHER;
		p->ip_ver = 6;
		p->dst = (const uint8_t *)&ip6->dst_addr;
		p->ip_end = off + sizeof(*ip6) +
			rte_be_to_cpu_16(ip6->payload_len);
		nh = ip6->proto;
		off += sizeof(*ip6);
		/* hop-by-hop, routing and destination options headers */
		for (i = 0; i < 8 && (nh == IPPROTO_HOPOPTS ||
				nh == IPPROTO_ROUTING ||
				nh == IPPROTO_DSTOPTS); i++) {
			if (d < off + 2)
				return SWI_P_OTHER;
			nh = b[off];
			off += (b[off + 1] + 1u) * 8;
		}
		if (nh == IPPROTO_FRAGMENT) {
			if (d < off + 1)
				return SWI_P_OTHER;
			return b[off] == IPPROTO_ESP ? SWI_P_UNSUPPORTED :
				SWI_P_OTHER;
		}
		if (nh != IPPROTO_ESP)
			return SWI_P_OTHER;
		if (ip6->payload_len == 0 || off > p->ip_end)
			return SWI_P_MALFORMED;
		p->l3_len = off - p->l2_len;
	} else {
		return SWI_P_OTHER;
	}
	p->esp_off = off;
	end = p->ip_end;
	if (end > m->pkt_len || end - off < SWI_ESP_HDR_LEN)
		return SWI_P_MALFORMED;
	if (d < off + SWI_ESP_HDR_LEN + SWI_IV_LEN)
		return end - off < SWI_ESP_HDR_LEN + SWI_IV_LEN ?
			SWI_P_MALFORMED : SWI_P_UNSUPPORTED;
	if (m->next != NULL || m->data_len < end) {
		avail = swi_chain_len(m, end);
		if (avail < end)
			return SWI_P_MALFORMED;
	}
	return SWI_P_ESP;
}

#endif /* _SWI_PARSE_H_ */
