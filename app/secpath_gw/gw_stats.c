/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * Counters: each worker lcore counts in its own struct gw_lcore_stats;
 * readers (telemetry, the summary at exit) add them up. Telemetry:
 *   /secpath_gw/drops  drops by reason, packets received and sent,
 *                      extension blocks in use
 *   /secpath_gw/sa     per SA ("in:SPI", "out:SPI"): packets, bytes,
 *                      auth_failed, replay, bad
 *   /secpath_gw/sp     per policy ("line:N"): packets, policy_mismatch
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf_extension.h>
#include <rte_telemetry.h>

#include "gw.h"
#include "gw_compat.h"

const char * const gw_drop_name[GW_DROP_MAX] = {
	[GW_DROP_MALFORMED] = "malformed",
	[GW_DROP_NO_SA] = "no_sa",
	[GW_DROP_AUTH] = "auth_failed",
	[GW_DROP_REPLAY] = "replay",
	[GW_DROP_POLICY] = "policy_mismatch",
	[GW_DROP_NO_POLICY] = "no_policy",
	[GW_DROP_DISCARD] = "discard",
	[GW_DROP_ESP_PROTECTED] = "esp_protected",
	[GW_DROP_NO_ROUTE] = "no_route",
	[GW_DROP_TX_FULL] = "tx_full",
	[GW_DROP_NOMEM] = "nomem",
	[GW_DROP_CRYPTO] = "crypto",
};

/*
 * The telemetry threads (one per client) and the main thread read the
 * counters; "live" says the gateway's structures exist. Each reader sums
 * into its own arrays.
 */
static rte_spinlock_t stats_lock = RTE_SPINLOCK_INITIALIZER;
static bool live;

/* Allocate sum->sa and sum->sp (free with sum_free()) and fill sum with
 * the sum of the lcores' counters. Called with stats_lock held. */
static int
sum_get(struct gw_lcore_stats *sum)
{
	memset(sum, 0, sizeof(*sum));
	sum->sa = calloc(gw.conf.nb_sa + 1, sizeof(*sum->sa));
	sum->sp = calloc(gw.conf.nb_sp + 1, sizeof(*sum->sp));
	if (sum->sa == NULL || sum->sp == NULL) {
		free(sum->sa);
		free(sum->sp);
		return -ENOMEM;
	}
	gw_stats_sum(sum);
	return 0;
}

static void
sum_free(struct gw_lcore_stats *sum)
{
	free(sum->sa);
	free(sum->sp);
}

/* Sum of the lcores' counters into sum, whose sa and sp arrays the caller
 * provides (nb_sa and nb_sp entries), or NULL. */
void
gw_stats_sum(struct gw_lcore_stats *sum)
{
	struct gw_sa_stats *sum_sa = sum->sa;
	struct gw_sp_stats *sum_sp = sum->sp;
	unsigned int l, i, r;

	memset(sum->drop, 0, sizeof(sum->drop));
	sum->rx = sum->tx = 0;
	for (l = 0; l < RTE_MAX_LCORE; l++) {
		const struct gw_lcore_stats *s;

		if (gw.lcore[l] == NULL)
			continue;
		s = &gw.lcore[l]->stats;
		for (r = 0; r < GW_DROP_MAX; r++)
			sum->drop[r] += s->drop[r];
		sum->rx += s->rx;
		sum->tx += s->tx;
		for (i = 0; sum_sa != NULL && i < gw.conf.nb_sa; i++) {
			sum_sa[i].packets += s->sa[i].packets;
			sum_sa[i].bytes += s->sa[i].bytes;
			sum_sa[i].auth_failed += s->sa[i].auth_failed;
			sum_sa[i].replay += s->sa[i].replay;
			sum_sa[i].bad += s->sa[i].bad;
		}
		for (i = 0; sum_sp != NULL && i < gw.conf.nb_sp; i++) {
			sum_sp[i].packets += s->sp[i].packets;
			sum_sp[i].policy_mismatch += s->sp[i].policy_mismatch;
		}
	}
}

static const char *
sp_action(uint8_t a)
{
	return a == GW_SP_PROTECT ? "protect" :
		a == GW_SP_BYPASS ? "bypass" : "discard";
}

void
gw_stats_summary(FILE *f)
{
	struct gw_lcore_stats s;
	unsigned int i, r;

	rte_spinlock_lock(&stats_lock);
	if (!live || sum_get(&s) != 0) {
		rte_spinlock_unlock(&stats_lock);
		return;
	}
	for (i = 0; i < gw.conf.nb_sa; i++) {
		const struct gw_sa_conf *c = &gw.conf.sa[i];

		fprintf(f, "gw sa dir=%s spi=%u packets=%" PRIu64
			" bytes=%" PRIu64 " auth_failed=%" PRIu64
			" replay=%" PRIu64 " bad=%" PRIu64 "\n",
			c->dir == GW_DIR_IN ? "in" : "out", c->spi,
			s.sa[i].packets, s.sa[i].bytes, s.sa[i].auth_failed,
			s.sa[i].replay, s.sa[i].bad);
	}
	for (i = 0; i < gw.conf.nb_sp; i++) {
		const struct gw_sp_conf *c = &gw.conf.sp[i];

		fprintf(f, "gw sp family=ipv%u dir=%s line=%u action=%s",
			c->family, c->dir == GW_DIR_IN ? "in" : "out",
			c->line, sp_action(c->action));
		if (c->action == GW_SP_PROTECT)
			fprintf(f, " spi=%u", c->spi);
		fprintf(f, " packets=%" PRIu64 " policy_mismatch=%" PRIu64
			"\n", s.sp[i].packets, s.sp[i].policy_mismatch);
	}
	fprintf(f, "gw drops");
	for (r = 0; r < GW_DROP_MAX; r++)
		fprintf(f, " %s=%" PRIu64, gw_drop_name[r], s.drop[r]);
	fprintf(f, "\ngw ports rx=%" PRIu64 " tx=%" PRIu64 "\n", s.rx, s.tx);
	sum_free(&s);
	rte_spinlock_unlock(&stats_lock);
}

static int
tel_drops(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	struct gw_lcore_stats s;
	unsigned int r;

	rte_spinlock_lock(&stats_lock);
	if (!live || sum_get(&s) != 0) {
		rte_spinlock_unlock(&stats_lock);
		return -EBUSY;
	}
	rte_tel_data_start_dict(d);
	for (r = 0; r < GW_DROP_MAX; r++)
		rte_tel_data_add_dict_uint(d, gw_drop_name[r], s.drop[r]);
	rte_tel_data_add_dict_uint(d, "rx", s.rx);
	rte_tel_data_add_dict_uint(d, "tx", s.tx);
	rte_tel_data_add_dict_uint(d, "blocks_in_use",
		rte_mbuf_extension_pool_in_use());
	sum_free(&s);
	rte_spinlock_unlock(&stats_lock);
	return 0;
}

static int
tel_sa(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	struct gw_lcore_stats s;
	unsigned int i;
	char name[32];

	rte_spinlock_lock(&stats_lock);
	if (!live || sum_get(&s) != 0) {
		rte_spinlock_unlock(&stats_lock);
		return -EBUSY;
	}
	rte_tel_data_start_dict(d);
	for (i = 0; i < gw.conf.nb_sa; i++) {
		const struct gw_sa_conf *c = &gw.conf.sa[i];
		struct rte_tel_data *e = rte_tel_data_alloc();

		if (e == NULL)
			break;
		rte_tel_data_start_dict(e);
		rte_tel_data_add_dict_uint(e, "packets", s.sa[i].packets);
		rte_tel_data_add_dict_uint(e, "bytes", s.sa[i].bytes);
		rte_tel_data_add_dict_uint(e, "auth_failed",
			s.sa[i].auth_failed);
		rte_tel_data_add_dict_uint(e, "replay", s.sa[i].replay);
		rte_tel_data_add_dict_uint(e, "bad", s.sa[i].bad);
		snprintf(name, sizeof(name), "%s:%u",
			c->dir == GW_DIR_IN ? "in" : "out", c->spi);
		if (rte_tel_data_add_dict_container(d, name, e, 0) != 0)
			rte_tel_data_free(e);
	}
	sum_free(&s);
	rte_spinlock_unlock(&stats_lock);
	return 0;
}

static int
tel_sp(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	struct gw_lcore_stats s;
	unsigned int i;
	char name[32];

	rte_spinlock_lock(&stats_lock);
	if (!live || sum_get(&s) != 0) {
		rte_spinlock_unlock(&stats_lock);
		return -EBUSY;
	}
	rte_tel_data_start_dict(d);
	for (i = 0; i < gw.conf.nb_sp; i++) {
		struct rte_tel_data *e = rte_tel_data_alloc();

		if (e == NULL)
			break;
		rte_tel_data_start_dict(e);
		rte_tel_data_add_dict_uint(e, "packets", s.sp[i].packets);
		rte_tel_data_add_dict_uint(e, "policy_mismatch",
			s.sp[i].policy_mismatch);
		snprintf(name, sizeof(name), "line:%u", gw.conf.sp[i].line);
		if (rte_tel_data_add_dict_container(d, name, e, 0) != 0)
			rte_tel_data_free(e);
	}
	sum_free(&s);
	rte_spinlock_unlock(&stats_lock);
	return 0;
}

/* Telemetry commands cannot be unregistered: they stay, answering
 * -EBUSY once the gateway's structures are gone. */
int
gw_stats_init(void)
{
	static bool registered;

	rte_spinlock_lock(&stats_lock);
	live = true;
	rte_spinlock_unlock(&stats_lock);
	if (registered)
		return 0;
	registered = true;
	rte_telemetry_register_cmd("/secpath_gw/drops", tel_drops,
		"Drops by reason, packets in and out, blocks in use.");
	rte_telemetry_register_cmd("/secpath_gw/sa", tel_sa,
		"Per SA: packets, bytes, drops.");
	rte_telemetry_register_cmd("/secpath_gw/sp", tel_sp,
		"Per policy: packets, policy mismatches.");
	return 0;
}

void
gw_stats_fini(void)
{
	rte_spinlock_lock(&stats_lock);
	live = false;
	rte_spinlock_unlock(&stats_lock);
}
