/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * Counters: each worker lcore counts in its own struct gw_lcore_stats;
 * readers (telemetry, the summary at exit) add them up. Telemetry:
 *   /secpath_gw/drops  drops by reason, packets received and sent,
 *                      extension blocks in use
 *   /secpath_gw/sa     per SA ("in_SPI", "out_SPI"; telemetry names take
 *                      no colon): packets, bytes,
 *                      auth_failed, replay, bad
 *   /secpath_gw/sp     per policy ("line_N"): packets, policy_mismatch
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

/*
 * Sum the lcores' counters into arrays of its own and give them to use(),
 * under stats_lock. -EBUSY once the gateway's structures are gone (or
 * without memory for the sums).
 */
static int
stats_read(void (*use)(const struct gw_lcore_stats *, void *), void *arg)
{
	struct gw_lcore_stats s = { 0 };
	int ret = -EBUSY;

	rte_spinlock_lock(&stats_lock);
	if (live) {
		s.sa = calloc(gw.conf.nb_sa + 1, sizeof(*s.sa));
		s.sp = calloc(gw.conf.nb_sp + 1, sizeof(*s.sp));
		if (s.sa != NULL && s.sp != NULL) {
			gw_stats_sum(&s);
			use(&s, arg);
			ret = 0;
		}
		free(s.sa);
		free(s.sp);
	}
	rte_spinlock_unlock(&stats_lock);
	return ret;
}

static const char *
dir_name(uint8_t dir)
{
	return dir == GW_DIR_IN ? "in" : "out";
}

static const char *
sp_action(uint8_t a)
{
	return a == GW_SP_PROTECT ? "protect" :
		a == GW_SP_BYPASS ? "bypass" : "discard";
}

static void
summary_print(const struct gw_lcore_stats *s, void *arg)
{
	FILE *f = arg;
	unsigned int i, r;

	for (i = 0; i < gw.conf.nb_sa; i++) {
		const struct gw_sa_conf *c = &gw.conf.sa[i];

		fprintf(f, "gw sa dir=%s spi=%u packets=%" PRIu64
			" bytes=%" PRIu64 " auth_failed=%" PRIu64
			" replay=%" PRIu64 " bad=%" PRIu64 "\n",
			dir_name(c->dir), c->spi, s->sa[i].packets,
			s->sa[i].bytes, s->sa[i].auth_failed,
			s->sa[i].replay, s->sa[i].bad);
	}
	for (i = 0; i < gw.conf.nb_sp; i++) {
		const struct gw_sp_conf *c = &gw.conf.sp[i];

		fprintf(f, "gw sp family=ipv%u dir=%s line=%u action=%s",
			c->family, dir_name(c->dir), c->line,
			sp_action(c->action));
		if (c->action == GW_SP_PROTECT)
			fprintf(f, " spi=%u", c->spi);
		fprintf(f, " packets=%" PRIu64 " policy_mismatch=%" PRIu64
			"\n", s->sp[i].packets, s->sp[i].policy_mismatch);
	}
	fprintf(f, "gw drops");
	for (r = 0; r < GW_DROP_MAX; r++)
		fprintf(f, " %s=%" PRIu64, gw_drop_name[r], s->drop[r]);
	fprintf(f, "\ngw ports rx=%" PRIu64 " tx=%" PRIu64 "\n", s->rx,
		s->tx);
}

void
gw_stats_summary(FILE *f)
{
	stats_read(summary_print, f);
}

static void
tel_drops_fill(const struct gw_lcore_stats *s, void *arg)
{
	struct rte_tel_data *d = arg;
	unsigned int r;

	rte_tel_data_start_dict(d);
	for (r = 0; r < GW_DROP_MAX; r++)
		rte_tel_data_add_dict_uint(d, gw_drop_name[r], s->drop[r]);
	rte_tel_data_add_dict_uint(d, "rx", s->rx);
	rte_tel_data_add_dict_uint(d, "tx", s->tx);
	rte_tel_data_add_dict_uint(d, "blocks_in_use",
		rte_mbuf_extension_pool_in_use());
}

/* Add a dictionary of counters (names[i]: vals[i]) to d under name. */
static void
tel_add_counters(struct rte_tel_data *d, const char *name,
		const char * const *names, const uint64_t *vals, unsigned int n)
{
	struct rte_tel_data *e = rte_tel_data_alloc();
	unsigned int i;

	if (e == NULL)
		return;
	rte_tel_data_start_dict(e);
	for (i = 0; i < n; i++)
		rte_tel_data_add_dict_uint(e, names[i], vals[i]);
	if (rte_tel_data_add_dict_container(d, name, e, 0) != 0)
		rte_tel_data_free(e);
}

static void
tel_sa_fill(const struct gw_lcore_stats *s, void *arg)
{
	static const char * const names[] = {
		"packets", "bytes", "auth_failed", "replay", "bad",
	};
	struct rte_tel_data *d = arg;
	unsigned int i;
	char name[32];

	rte_tel_data_start_dict(d);
	for (i = 0; i < gw.conf.nb_sa; i++) {
		const struct gw_sa_stats *st = &s->sa[i];
		const uint64_t vals[] = {
			st->packets, st->bytes, st->auth_failed, st->replay,
			st->bad,
		};

		snprintf(name, sizeof(name), "%s_%u",
			dir_name(gw.conf.sa[i].dir), gw.conf.sa[i].spi);
		tel_add_counters(d, name, names, vals, RTE_DIM(vals));
	}
}

static void
tel_sp_fill(const struct gw_lcore_stats *s, void *arg)
{
	static const char * const names[] = { "packets", "policy_mismatch" };
	struct rte_tel_data *d = arg;
	unsigned int i;
	char name[32];

	rte_tel_data_start_dict(d);
	for (i = 0; i < gw.conf.nb_sp; i++) {
		const uint64_t vals[] = {
			s->sp[i].packets, s->sp[i].policy_mismatch,
		};

		snprintf(name, sizeof(name), "line_%u", gw.conf.sp[i].line);
		tel_add_counters(d, name, names, vals, RTE_DIM(vals));
	}
}

static int
tel_drops(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	return stats_read(tel_drops_fill, d);
}

static int
tel_sa(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	return stats_read(tel_sa_fill, d);
}

static int
tel_sp(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	return stats_read(tel_sp_fill, d);
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
