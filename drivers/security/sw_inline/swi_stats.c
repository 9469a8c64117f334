/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/* Port counters, dump and telemetry. */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_errno.h>
#include <rte_spinlock.h>
#include <rte_telemetry.h>

#include "swi_private.h"
#include "sw_inline_compat.h"

static const char * const swi_stat_names[SWI_NB_STATS] = {
	"rx_decrypted", "rx_auth_failed", "rx_malformed", "rx_no_sa",
	"rx_unsupported", "rx_other", "tx_encrypted", "tx_no_sa",
	"tx_malformed", "tx_other", "rx_secpath_failed", "rx_replayed",
	"rx_expired", "rx_bad_trailer", "tx_expired", "tx_seq_overflow",
	"tx_no_room", "events",
};

static void
swi_stats_sum(const struct swi_dev *dev, uint64_t *c)
{
	unsigned int l, i;

	memset(c, 0, SWI_NB_STATS * sizeof(c[0]));
	for (l = 0; l <= RTE_MAX_LCORE; l++)
		for (i = 0; i < SWI_NB_STATS; i++)
			c[i] += __atomic_load_n(&dev->stats[l].c[i],
				__ATOMIC_RELAXED);
}

int
rte_security_sw_inline_stats_get(uint16_t port_id,
		struct rte_security_sw_inline_stats *stats)
{
	struct swi_dev *dev = swi_dev_get(port_id);
	uint64_t c[SWI_NB_STATS];

	if (stats == NULL) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	if (dev == NULL) {
		rte_errno = ENODEV;
		return -ENODEV;
	}
	swi_stats_sum(dev, c);
	stats->rx_decrypted = c[SWI_RX_DECRYPTED];
	stats->rx_auth_failed = c[SWI_RX_AUTH_FAILED];
	stats->rx_malformed = c[SWI_RX_MALFORMED];
	stats->rx_no_sa = c[SWI_RX_NO_SA];
	stats->rx_unsupported = c[SWI_RX_UNSUPPORTED];
	stats->rx_other = c[SWI_RX_OTHER];
	stats->tx_encrypted = c[SWI_TX_ENCRYPTED];
	stats->tx_no_sa = c[SWI_TX_NO_SA];
	stats->tx_malformed = c[SWI_TX_MALFORMED];
	stats->tx_other = c[SWI_TX_OTHER];
	stats->rx_secpath_failed = c[SWI_RX_SECPATH_FAILED];
	stats->rx_replayed = c[SWI_RX_REPLAYED];
	stats->rx_expired = c[SWI_RX_EXPIRED];
	stats->rx_bad_trailer = c[SWI_RX_BAD_TRAILER];
	stats->tx_expired = c[SWI_TX_EXPIRED];
	stats->tx_seq_overflow = c[SWI_TX_SEQ_OVERFLOW];
	stats->tx_no_room = c[SWI_TX_NO_ROOM];
	stats->events = c[SWI_EVENTS];
	return 0;
}

int
rte_security_sw_inline_stats_reset(uint16_t port_id)
{
	struct swi_dev *dev = swi_dev_get(port_id);
	unsigned int l, i;

	if (dev == NULL) {
		rte_errno = ENODEV;
		return -ENODEV;
	}
	for (l = 0; l <= RTE_MAX_LCORE; l++)
		for (i = 0; i < SWI_NB_STATS; i++)
			__atomic_store_n(&dev->stats[l].c[i], 0,
				__ATOMIC_RELAXED);
	return 0;
}

void
rte_security_sw_inline_dump(FILE *f)
{
	uint64_t c[SWI_NB_STATS];
	unsigned int p, i;

	if (f == NULL)
		return;
	rte_spinlock_lock(&swi_ports_lock);
	for (p = 0; p < RTE_MAX_ETHPORTS; p++) {
		struct swi_dev *dev = swi_ports[p];

		if (dev == NULL)
			continue;
		fprintf(f, "sw_inline port %u: %u RX queues, %u TX queues, "
			"flags 0x%x, %u/%u sessions\n", p, dev->nb_rxq,
			dev->nb_txq, dev->flags, dev->ctx.sess_cnt,
			dev->max_sess);
		swi_stats_sum(dev, c);
		for (i = 0; i < SWI_NB_STATS; i++)
			fprintf(f, "  %-16s %" PRIu64 "\n", swi_stat_names[i],
				c[i]);
		rte_spinlock_lock(&dev->lock);
		for (i = 0; i < dev->max_sess; i++) {
			const struct swi_sess *s = dev->sess[i];

			if (s == NULL)
				continue;
			fprintf(f, "  session %u: spi %u %s %s %s AES-%u-GCM%s "
				"pkts %" PRIu64 "/%" PRIu64 " errors %"
				PRIu64 "/%" PRIu64 "\n", i,
				rte_be_to_cpu_32(s->spi),
				s->proto ? "protocol" : "crypto",
				s->egress ? "egress" : "ingress",
				s->tunnel ? "tunnel" : "transport",
				s->key_len * 8u, s->esn ? " ESN" : "",
				s->ipackets, s->opackets, s->ierrors,
				s->oerrors);
		}
		rte_spinlock_unlock(&dev->lock);
	}
	rte_spinlock_unlock(&swi_ports_lock);
}

/*
 * Telemetry.
 */
static int
swi_tel_list(const char *cmd, const char *params, struct rte_tel_data *d)
{
	unsigned int p;

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	rte_tel_data_start_array(d, RTE_TEL_INT_VAL);
	for (p = 0; p < RTE_MAX_ETHPORTS; p++)
		if (__atomic_load_n(&swi_ports[p], __ATOMIC_RELAXED) != NULL)
			rte_tel_data_add_array_int(d, p);
	return 0;
}

static int
swi_tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	uint64_t c[SWI_NB_STATS];
	struct swi_dev *dev;
	unsigned long p;
	char *end;
	unsigned int i;
	int ret = -EINVAL;

	RTE_SET_USED(cmd);
	if (params == NULL || *params == '\0')
		return -EINVAL;
	p = strtoul(params, &end, 10);
	if (*end != '\0' || p >= RTE_MAX_ETHPORTS)
		return -EINVAL;
	rte_spinlock_lock(&swi_ports_lock);
	dev = swi_ports[p];
	if (dev != NULL) {
		swi_stats_sum(dev, c);
		rte_tel_data_start_dict(d);
		for (i = 0; i < SWI_NB_STATS; i++)
			rte_tel_data_add_dict_uint(d, swi_stat_names[i], c[i]);
		rte_tel_data_add_dict_int(d, "sessions", dev->ctx.sess_cnt);
		ret = 0;
	}
	rte_spinlock_unlock(&swi_ports_lock);
	return ret;
}

RTE_INIT(swi_telemetry_init)
{
	rte_telemetry_register_cmd("/sw_inline/list", swi_tel_list,
		"Ports bound to the sw_inline security provider.");
	rte_telemetry_register_cmd("/sw_inline/stats", swi_tel_stats,
		"Counters of a bound port. Parameters: int port_id");
}
