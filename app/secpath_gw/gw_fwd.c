/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * The data path of a worker lcore, as the kernel's xfrm:
 *
 * inbound (unprotected port):
 *   RX -> inline crypto ports: rte_secpath_rx_import_burst() records the
 *   device's result -> Ethernet stripped, headers checked -> ESP: SA by
 *   SPI (the secpath's index), replay window, ESP processed by
 *   librte_ipsec (lookaside, cpu-crypto, or the protocol part of inline
 *   crypto), the SA recorded in the secpath (rte_secpath_ipsec_record())
 *   -> inbound policy (rte_acl) -> rte_secpath_policy_check(): a protect
 *   policy passes only packets its SA processed; clear packets, packets
 *   of another SA, and tunnel packets under a bypass policy are dropped
 *   -> route (rte_lpm, rte_lpm6) -> TX.
 * outbound (protected port):
 *   RX -> headers checked -> policy (rte_acl): protect, bypass, discard
 *   -> ESP by librte_ipsec; inline crypto: the SA recorded in the secpath
 *   and rte_secpath_tx_prepare() sets the TX offload from the live SA,
 *   the port encrypts -> route -> TX.
 *
 * With --no-secpath (the baseline of the benchmark) the gateway checks
 * inbound policies as ipsec-secgw does: the SA that processed the packet,
 * known from this burst, must be the protect rule's.
 */

#include <errno.h>
#include <string.h>

#include <rte_cryptodev.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_ipsec.h>
#include <rte_log.h>
#include <rte_mbuf.h>

#include "gw.h"

/* ESP header + IV, ICV, smallest trailer (pad length and next header,
 * padded to 4 bytes), for AES-GCM. */
#define GW_ESP_HDR_IV (sizeof(struct rte_esp_hdr) + 8)
#define GW_ESP_MIN (GW_ESP_HDR_IV + 16 + 4)
/* Dequeue polls for a crypto device's results once the gateway stops. */
#define GW_CRYPTO_WAIT 1000000

/* A packet of the burst and what is known of it. */
struct pkt {
	struct rte_mbuf *m;
	struct gw_sa *sa;	/* inbound: the SA that processed it */
	uint32_t seq;		/* inbound ESP: its sequence number */
	uint8_t v6;
	uint8_t proto;		/* upper-layer protocol */
	uint8_t noports;	/* a fragment but the first */
};

struct plist {
	uint16_t n;
	struct pkt p[GW_BURST];
};

static inline void
drop(struct gw_lcore *lc, struct rte_mbuf *m, enum gw_drop why)
{
	lc->stats.drop[why]++;
	rte_mbuf_extension_pktmbuf_free(m);
}

/*
 * Check the IP header at offset 0 of m (no L2): version, header and total
 * lengths against the packet; trim the bytes after the datagram; set
 * l2_len = 0, l3_len, the upper-layer protocol, and whether the packet is
 * a fragment but the first (its ports are not there). -1: malformed.
 */
static inline int
ip_check(struct rte_mbuf *m, uint8_t *v6, uint8_t *proto, uint8_t *noports)
{
	const uint8_t *b = rte_pktmbuf_mtod(m, const uint8_t *);
	uint32_t len = rte_pktmbuf_data_len(m), tot, hl;

	if (len < 1 || m->nb_segs != 1)
		return -1;
	if ((b[0] >> 4) == 4) {
		const struct rte_ipv4_hdr *ip = (const void *)b;

		if (len < sizeof(*ip))
			return -1;
		hl = (ip->version_ihl & 0xf) * 4;
		tot = rte_be_to_cpu_16(ip->total_length);
		if (hl < sizeof(*ip) || tot < hl || tot > len)
			return -1;
		*v6 = 0;
		*proto = ip->next_proto_id;
		*noports = (ip->fragment_offset &
			RTE_BE16(RTE_IPV4_HDR_OFFSET_MASK)) != 0;
	} else if ((b[0] >> 4) == 6) {
		const struct rte_ipv6_hdr *ip = (const void *)b;
		size_t ext;
		int nh;

		if (len < sizeof(*ip))
			return -1;
		tot = sizeof(*ip) + rte_be_to_cpu_16(ip->payload_len);
		if (tot > len)
			return -1;
		hl = sizeof(*ip);
		nh = ip->proto;
		*noports = 0;
		/* extension headers, each bounds-checked */
		while (hl + 8 <= tot) {
			int n = rte_ipv6_get_next_ext(b + hl, nh, &ext);

			if (n < 0)
				break;
			if (nh == IPPROTO_FRAGMENT &&
					(((const struct rte_ipv6_fragment_ext *)
					(b + hl))->frag_data &
					RTE_BE16(0xfff8)) != 0)
				*noports = 1;
			if (hl + ext > tot)
				return -1;
			hl += ext;
			nh = n;
		}
		*v6 = 1;
		*proto = (uint8_t)nh;
	} else {
		return -1;
	}
	if (tot < len)
		rte_pktmbuf_trim(m, len - tot);
	m->l2_len = 0;
	m->l3_len = hl;
	m->packet_type = 0;
	return 0;
}

/* Strip the Ethernet header of a received frame and check the IP one. */
static inline int
rx_prepare(struct rte_mbuf *m, uint8_t *v6, uint8_t *proto, uint8_t *noports)
{
	const struct rte_ether_hdr *eth;
	uint16_t et;

	if (rte_pktmbuf_data_len(m) < RTE_ETHER_HDR_LEN)
		return -1;
	eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	et = rte_be_to_cpu_16(eth->ether_type);
	if (et != RTE_ETHER_TYPE_IPV4 && et != RTE_ETHER_TYPE_IPV6)
		return -1;
	rte_pktmbuf_adj(m, RTE_ETHER_HDR_LEN);
	if (ip_check(m, v6, proto, noports) != 0)
		return -1;
	/* the version must agree with the EtherType */
	return *v6 == (et == RTE_ETHER_TYPE_IPV6) ? 0 : -1;
}

/*
 * Queue a packet (l2 stripped) for TX on a port; cksum: its IPv4 header
 * was changed (librte_ipsec sets lengths, not the checksum).
 */
static inline void
tx_queue(struct gw_lcore *lc, struct rte_mbuf *m, int port, bool v6,
		bool cksum)
{
	struct gw_txb *b;
	struct rte_ether_hdr *eth;

	if (port < 0 || port >= RTE_MAX_ETHPORTS || !gw.port[port].used) {
		drop(lc, m, GW_DROP_NO_ROUTE);
		return;
	}
	/*
	 * The secpath has served (the policy check, the TX offload set from
	 * it): the packet leaves without it, its block goes back to this
	 * lcore's cache while hot, and whoever frees the packet after TX
	 * (the PMD) finds no reference: the pool may be a plain opted-in one.
	 */
	rte_mbuf_extension_release(m);
	eth = (struct rte_ether_hdr *)rte_pktmbuf_prepend(m,
		RTE_ETHER_HDR_LEN);
	if (eth == NULL) {
		drop(lc, m, GW_DROP_NOMEM);
		return;
	}
	if (!v6 && cksum) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);

		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	}
	rte_ether_addr_copy(&gw.port[port].dst, &eth->dst_addr);
	rte_ether_addr_copy(&gw.port[port].mac, &eth->src_addr);
	eth->ether_type = rte_cpu_to_be_16(v6 ? RTE_ETHER_TYPE_IPV6 :
		RTE_ETHER_TYPE_IPV4);
	m->l2_len = RTE_ETHER_HDR_LEN;
	b = &lc->txb[port];
	b->m[b->n++] = m;
	if (b->n == RTE_DIM(b->m)) {
		uint16_t s = rte_eth_tx_burst(port, lc->txq, b->m, b->n);

		lc->stats.tx += s;
		while (s < b->n)
			drop(lc, b->m[s++], GW_DROP_TX_FULL);
		b->n = 0;
	}
}

static void
tx_flush(struct gw_lcore *lc)
{
	uint16_t p, s;

	for (p = 0; p < RTE_MAX_ETHPORTS; p++) {
		struct gw_txb *b = &lc->txb[p];

		if (b->n == 0)
			continue;
		s = rte_eth_tx_burst(p, lc->txq, b->m, b->n);
		lc->stats.tx += s;
		while (s < b->n)
			drop(lc, b->m[s++], GW_DROP_TX_FULL);
		b->n = 0;
	}
}

/*
 * ESP processing of n packets of one SA by librte_ipsec. On return the
 * first k (returned) succeeded, in their order; the others are in
 * mb[k..n) and failed: RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED set for those
 * whose ICV check (or crypto operation) failed. *np is set to the
 * number of packets still there (fewer only if a crypto device kept some
 * when the gateway stopped). -ENOMEM: no crypto operation, nothing done.
 */
static int
esp_process(struct gw_lcore *lc, struct gw_sa *sa, struct rte_mbuf **mb,
		uint16_t *np)
{
	struct rte_crypto_op *cop[GW_BURST];
	uint16_t n = *np, k, e, d, i;
	unsigned int tries;

	switch (sa->ss.type) {
	case RTE_SECURITY_ACTION_TYPE_CPU_CRYPTO:
		k = rte_ipsec_pkt_cpu_prepare(&sa->ss, mb, n);
		return rte_ipsec_pkt_process(&sa->ss, mb, k);
	case RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO:
		return rte_ipsec_pkt_process(&sa->ss, mb, n);
	case RTE_SECURITY_ACTION_TYPE_NONE:
		break;
	default:
		return 0;
	}
	if (rte_crypto_op_bulk_alloc(gw.cop_pool,
			RTE_CRYPTO_OP_TYPE_SYMMETRIC, cop, n) == 0)
		return -ENOMEM;
	k = rte_ipsec_pkt_crypto_prepare(&sa->ss, mb, cop, n);
	/* mb[k..n) failed to prepare: their ops are unused; cop[i] is
	 * mb[i]'s below k */
	if (k < n)
		rte_mempool_put_bulk(gw.cop_pool, (void **)(cop + k), n - k);
	/*
	 * One queue pair per lcore, nothing else in flight: the device
	 * takes and gives back all k. One that does not is waited for until
	 * the gateway stops, and then a little more. The operations it never
	 * took fail; those it keeps, and their mbufs, are its own (lost).
	 */
	e = 0;
	for (tries = 0; e < k && (!gw_quit || tries++ < GW_CRYPTO_WAIT);)
		e += rte_cryptodev_enqueue_burst(gw.cdev, lc->cdev_qp,
			cop + e, k - e);
	if (e < k)
		rte_mempool_put_bulk(gw.cop_pool, (void **)(cop + e), k - e);
	d = 0;
	for (tries = 0; d < e && (!gw_quit || tries++ < GW_CRYPTO_WAIT);)
		d += rte_cryptodev_dequeue_burst(gw.cdev, lc->cdev_qp,
			cop + d, e - d);
	if (unlikely(d < e))
		RTE_LOG(ERR, USER1, "secpath_gw: crypto device %d kept %u"
			" operations\n", gw.cdev, e - d);
	/* Those that failed before the device: after the d returned (the
	 * device may reorder, the mbufs follow the ops). */
	memmove(mb + d, mb + e, (n - e) * sizeof(*mb));
	*np = d + (n - e);
	for (i = 0; i < d; i++) {
		mb[i] = cop[i]->sym->m_src;
		if (cop[i]->status != RTE_CRYPTO_OP_STATUS_SUCCESS)
			mb[i]->ol_flags |= RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED;
	}
	rte_mempool_put_bulk(gw.cop_pool, (void **)cop, d);
	return rte_ipsec_pkt_process(&sa->ss, mb, d);
}

/* Per SA groups of a burst. */
struct group {
	struct gw_sa *sa;
	uint16_t n;
	struct pkt p[GW_BURST];
};

static inline struct group *
group_of(struct group *g, uint16_t *ng, struct gw_sa *sa)
{
	uint16_t i;

	for (i = 0; i < *ng; i++)
		if (g[i].sa == sa)
			return &g[i];
	g[*ng].sa = sa;
	g[*ng].n = 0;
	return &g[(*ng)++];
}

/* Whether the last entry of m's secpath names sa (record failed for
 * some packets of a burst: no extension block). */
static inline bool
recorded(const struct rte_mbuf *m, const struct gw_sa *sa)
{
	const struct rte_secpath *sp = rte_secpath_get(m);

	return sp != NULL && sp->len > 0 &&
		sp->entry[sp->len - 1].sa == sa->handle;
}

/*
 * Process a group; the packets that succeeded go to out (inbound: with
 * their inner headers checked), the others are dropped and counted.
 */
static void
group_run(struct gw_lcore *lc, struct group *g, struct plist *out4,
		struct plist *out6)
{
	struct gw_sa *sa = g->sa;
	struct gw_sa_stats *st = &lc->stats.sa[sa->idx];
	struct rte_mbuf *mb[GW_BURST];
	uint32_t bytes[GW_BURST];
	uint16_t i, j, k;
	bool in = sa->conf->dir == GW_DIR_IN;
	bool rec, all_rec, v6;
	uint16_t nv, next = 0;
	int ret;

	for (i = 0; i < g->n; i++) {
		mb[i] = g->p[i].m;
		bytes[i] = rte_pktmbuf_pkt_len(mb[i]);
	}
	nv = g->n;
	ret = esp_process(lc, sa, mb, &nv);
	if (ret < 0) {
		for (i = 0; i < g->n; i++)
			drop(lc, mb[i], GW_DROP_NOMEM);
		return;
	}
	k = ret;
	/* failures (nv < g->n: the crypto device kept some at stop) */
	for (i = k; i < nv; i++) {
		if (!in) {
			st->bad++;
			drop(lc, mb[i], GW_DROP_CRYPTO);
		} else if (mb[i]->ol_flags &
				RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED) {
			st->auth_failed++;
			drop(lc, mb[i], GW_DROP_AUTH);
		} else {
			st->bad++;
			drop(lc, mb[i], GW_DROP_MALFORMED);
		}
	}
	/*
	 * The secpath: inbound, every SA that processed the packet (for
	 * inline crypto rte_secpath_rx_import_burst() recorded the device's
	 * part of the same SA already); outbound only inline crypto needs
	 * it, to drive the TX offload. Lookaside and cpu-crypto outbound
	 * packets leave with their ESP done: nothing to record, as the
	 * kernel's output path keeps no secpath.
	 */
	rec = gw.secpath && (in || sa->kind == RTE_SECPATH_KIND_INLINE_CRYPTO);
	all_rec = !rec || k == 0 ||
		rte_secpath_ipsec_record(&sa->ss, sa->handle, mb, k) == k;
	for (i = 0; i < k; i++) {
		struct rte_mbuf *m = mb[i];
		struct pkt *p;

		/* what was known of it: in order (the failed ones left out),
		 * unless a device reordered */
		while (next < g->n && g->p[next].m != m)
			next++;
		if (next == g->n)
			for (next = 0; next < g->n && g->p[next].m != m;
					next++)
				;
		if (unlikely(next == g->n)) {
			/* not one of the group's: cannot happen */
			st->bad++;
			drop(lc, m, GW_DROP_MALFORMED);
			next = 0;
			continue;
		}
		j = next++;
		p = &g->p[j];
		if (in && gw_replay_update(sa, p->seq) != 0) {
			/* a second copy in this burst */
			st->replay++;
			drop(lc, m, GW_DROP_REPLAY);
			continue;
		}
		if (!all_rec && !recorded(m, sa)) {
			drop(lc, m, GW_DROP_NOMEM);
			continue;
		}
		if (rec && !in) {
			/* Inline crypto: the secpath names the SA, the TX
			 * offload is set from it (and the SA must live). */
			m->ol_flags &= ~RTE_MBUF_F_TX_SEC_OFFLOAD;
			if (rte_secpath_tx_prepare(m) != 1) {
				st->bad++;
				drop(lc, m, GW_DROP_CRYPTO);
				continue;
			}
		}
		if (in) {
			/* the inner packet (tunnel), or the packet without
			 * ESP (transport) */
			uint8_t v6, proto, noports;
			struct plist *o;

			if (ip_check(m, &v6, &proto, &noports) != 0 ||
					v6 != sa->v6) {
				st->bad++;
				drop(lc, m, GW_DROP_MALFORMED);
				continue;
			}
			st->packets++;
			st->bytes += bytes[j];
			o = v6 ? out6 : out4;
			o->p[o->n].m = m;
			o->p[o->n].sa = sa;
			o->p[o->n].v6 = v6;
			o->p[o->n].proto = proto;
			o->p[o->n].noports = noports;
			o->n++;
			continue;
		}
		st->packets++;
		st->bytes += bytes[j];
		/* outbound: the family of the packet as it leaves */
		v6 = sa->conf->mode == GW_SA_IPV6_TUNNEL ||
			(sa->conf->mode == GW_SA_TRANSPORT && g->p[j].v6);
		tx_queue(lc, m, sa->kind == RTE_SECPATH_KIND_INLINE_CRYPTO ?
			(int)sa->out_port : gw_route(m, v6), v6, true);
	}
}

/*
 * Whether an ESP packet's outer header is its SA's, as ipsec-secgw's SAD
 * and the kernel look SAs up: the family (tunnel: of the tunnel;
 * transport: of the SA's packets), and a tunnel's addresses.
 */
static inline bool
outer_ok(const struct gw_sa *sa, const struct rte_mbuf *m, uint8_t v6)
{
	const struct gw_sa_conf *c = sa->conf;

	switch (c->mode) {
	case GW_SA_IPV4_TUNNEL: {
		const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod(m,
			const struct rte_ipv4_hdr *);

		return !v6 && ip->src_addr == sa->tun_src4 &&
			ip->dst_addr == sa->tun_dst4;
	}
	case GW_SA_IPV6_TUNNEL: {
		const struct rte_ipv6_hdr *ip = rte_pktmbuf_mtod(m,
			const struct rte_ipv6_hdr *);

		return v6 && memcmp(&ip->src_addr, c->src.v6, 16) == 0 &&
			memcmp(&ip->dst_addr, c->dst.v6, 16) == 0;
	}
	default:
		return v6 == sa->v6;
	}
}

/* Inbound ESP packets: SA, replay window, then processing by SA. */
static void
inbound_esp(struct gw_lcore *lc, struct plist *esp, struct plist *in4,
		struct plist *in6)
{
	struct group g[GW_BURST];
	uint16_t ng = 0, i;
	uint32_t last_spi = 0;
	struct gw_sa *last = NULL;

	for (i = 0; i < esp->n; i++) {
		struct rte_mbuf *m = esp->p[i].m;
		struct rte_secpath_esp_info info;
		const struct rte_esp_hdr *h;
		struct gw_sa *sa;
		struct group *gr;
		uint32_t spi, seq, len;

		if (rte_secpath_esp_parse(m, RTE_SECPATH_ESP_F_L3_LEN,
				GW_ESP_HDR_IV, &info) != RTE_SECPATH_ESP_OK ||
				info.esp_off != m->l3_len) {
			drop(lc, m, GW_DROP_MALFORMED);
			continue;
		}
		len = info.ip_end - info.esp_off;
		if (len < GW_ESP_MIN || (len - GW_ESP_HDR_IV - 16) % 4 != 0) {
			drop(lc, m, GW_DROP_MALFORMED);
			continue;
		}
		h = rte_pktmbuf_mtod_offset(m, const struct rte_esp_hdr *,
			info.esp_off);
		spi = rte_be_to_cpu_32(h->spi);
		seq = rte_be_to_cpu_32(h->seq);
		if (last == NULL || spi != last_spi) {
			last = gw_sa_by_spi(GW_DIR_IN, spi);
			last_spi = spi;
		}
		sa = last;
		if (sa == NULL || !outer_ok(sa, m, esp->p[i].v6)) {
			drop(lc, m, GW_DROP_NO_SA);
			continue;
		}
		if (sa->kind == RTE_SECPATH_KIND_INLINE_CRYPTO) {
			/* The port must have decrypted it: otherwise the
			 * payload is still ciphertext. */
			if (m->ol_flags & RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED) {
				lc->stats.sa[sa->idx].auth_failed++;
				drop(lc, m, GW_DROP_AUTH);
				continue;
			}
			if (!(m->ol_flags & RTE_MBUF_F_RX_SEC_OFFLOAD)) {
				lc->stats.sa[sa->idx].bad++;
				drop(lc, m, GW_DROP_MALFORMED);
				continue;
			}
		}
		if (gw_replay_check(sa, seq) != 0) {
			lc->stats.sa[sa->idx].replay++;
			drop(lc, m, GW_DROP_REPLAY);
			continue;
		}
		gr = group_of(g, &ng, sa);
		gr->p[gr->n].m = m;
		gr->p[gr->n].seq = seq;
		gr->p[gr->n].v6 = esp->p[i].v6;
		gr->n++;
	}
	for (i = 0; i < ng; i++)
		group_run(lc, &g[i], in4, in6);
}

static const struct rte_secpath_policy no_tmpl;

/* Inbound policy check and forwarding of clear or decrypted packets. */
static void
inbound_clear(struct gw_lcore *lc, struct plist *l, bool v6)
{
	struct rte_mbuf *mb[GW_BURST];
	uint8_t proto[GW_BURST], noports[GW_BURST];
	uint32_t res[GW_BURST];
	uint16_t i;

	if (l->n == 0)
		return;
	for (i = 0; i < l->n; i++) {
		mb[i] = l->p[i].m;
		proto[i] = l->p[i].proto;
		noports[i] = l->p[i].noports;
	}
	gw_sp_classify(v6, GW_DIR_IN, mb, proto, noports, res, l->n);
	for (i = 0; i < l->n; i++) {
		struct rte_mbuf *m = mb[i];
		const struct gw_sp_conf *c = NULL;
		const struct rte_secpath_policy *pol = &no_tmpl;
		bool pass;

		if (res[i] != 0) {
			c = &gw.conf.sp[res[i] - 1];
			if (c->action == GW_SP_DISCARD) {
				lc->stats.sp[res[i] - 1].packets++;
				drop(lc, m, GW_DROP_DISCARD);
				continue;
			}
			if (c->action == GW_SP_PROTECT)
				pol = &gw.pol[res[i] - 1];
		} else if (gw.nb_rules[v6][GW_DIR_IN] != 0) {
			drop(lc, m, GW_DROP_NO_POLICY);
			continue;
		}
		if (gw.secpath)
			pass = rte_secpath_policy_check(m, pol) ==
				RTE_SECPATH_PASS;
		else
			pass = c == NULL || c->action != GW_SP_PROTECT ||
				(l->p[i].sa != NULL &&
				 l->p[i].sa->conf->spi == c->spi);
		if (!pass) {
			if (c != NULL)
				lc->stats.sp[res[i] - 1].policy_mismatch++;
			drop(lc, m, GW_DROP_POLICY);
			continue;
		}
		if (c != NULL)
			lc->stats.sp[res[i] - 1].packets++;
		/* Clear packets and tunnels' inner ones come as they were
		 * sent (the SAs have librte_ipsec's ECN and DSCP copying off,
		 * which would change the inner TOS); transport mode changed
		 * the header. */
		tx_queue(lc, m, gw_route(m, v6), v6, l->p[i].sa != NULL &&
			l->p[i].sa->conf->mode == GW_SA_TRANSPORT);
	}
}

/* Outbound: policy, then ESP by SA or clear forwarding. */
static void
outbound(struct gw_lcore *lc, struct plist *l, bool v6)
{
	struct group g[GW_BURST];
	struct rte_mbuf *mb[GW_BURST];
	uint8_t proto[GW_BURST], noports[GW_BURST];
	uint32_t res[GW_BURST];
	uint16_t i, ng = 0;

	if (l->n == 0)
		return;
	for (i = 0; i < l->n; i++) {
		mb[i] = l->p[i].m;
		proto[i] = l->p[i].proto;
		noports[i] = l->p[i].noports;
	}
	gw_sp_classify(v6, GW_DIR_OUT, mb, proto, noports, res, l->n);
	for (i = 0; i < l->n; i++) {
		struct rte_mbuf *m = mb[i];
		const struct gw_sp_conf *c;
		struct group *gr;

		if (res[i] == 0) {
			if (gw.nb_rules[v6][GW_DIR_OUT] != 0) {
				drop(lc, m, GW_DROP_NO_POLICY);
				continue;
			}
			tx_queue(lc, m, gw_route(m, v6), v6, false);
			continue;
		}
		c = &gw.conf.sp[res[i] - 1];
		lc->stats.sp[res[i] - 1].packets++;
		if (c->action == GW_SP_DISCARD) {
			drop(lc, m, GW_DROP_DISCARD);
			continue;
		}
		if (c->action == GW_SP_BYPASS) {
			tx_queue(lc, m, gw_route(m, v6), v6, false);
			continue;
		}
		/* protect: the outbound SA of the rule's SPI */
		gr = group_of(g, &ng, gw.sp_sa[res[i] - 1]);
		gr->p[gr->n].m = m;
		gr->p[gr->n].v6 = v6;
		gr->n++;
	}
	for (i = 0; i < ng; i++)
		group_run(lc, &g[i], NULL, NULL);
}

static void
rx_one(struct gw_lcore *lc, const struct gw_rxq *q)
{
	struct rte_mbuf *mb[GW_BURST];
	struct plist esp, c4, c6;
	uint16_t n, i;

	n = rte_eth_rx_burst(q->port, q->queue, mb, GW_BURST);
	if (n == 0)
		return;
	lc->stats.rx += n;
	if (q->inline_rx && gw.secpath)
		rte_secpath_rx_import_burst(mb, n, RTE_SECPATH_RX_SPI);
	esp.n = c4.n = c6.n = 0;
	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = mb[i];
		uint8_t v6, proto, noports;
		struct plist *l;

		if (rx_prepare(m, &v6, &proto, &noports) != 0) {
			drop(lc, m, GW_DROP_MALFORMED);
			continue;
		}
		if (proto == IPPROTO_ESP) {
			/* As ipsec-secgw: no IPsec from the protected side. */
			if (!q->unprotected) {
				drop(lc, m, GW_DROP_ESP_PROTECTED);
				continue;
			}
			l = &esp;
		} else {
			l = v6 ? &c6 : &c4;
		}
		l->p[l->n].m = m;
		l->p[l->n].sa = NULL;
		l->p[l->n].v6 = v6;
		l->p[l->n].proto = proto;
		l->p[l->n].noports = noports;
		l->n++;
	}
	if (q->unprotected) {
		struct plist d4, d6;

		/* clear packets first, then the decrypted ones */
		inbound_clear(lc, &c4, false);
		inbound_clear(lc, &c6, true);
		d4.n = d6.n = 0;
		inbound_esp(lc, &esp, &d4, &d6);
		inbound_clear(lc, &d4, false);
		inbound_clear(lc, &d6, true);
	} else {
		outbound(lc, &c4, false);
		outbound(lc, &c6, true);
	}
}

int
gw_worker(void *arg)
{
	struct gw_lcore *lc = arg;
	uint16_t i;

	while (!gw_quit) {
		for (i = 0; i < lc->nb_rxq; i++)
			rx_one(lc, &lc->rxq[i]);
		tx_flush(lc);
	}
	tx_flush(lc);
	return 0;
}
