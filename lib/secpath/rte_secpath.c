/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

/*
 * rte_security_dynfield_register() is internal to DPDK (meant for drivers):
 * the secpath registers the security dynfield itself so that it can write
 * TX metadata before any inline PMD has done so.
 */
#define ALLOW_INTERNAL_API

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>
#include <rte_spinlock.h>
#include <rte_security_driver.h>
#include <rte_telemetry.h>

#include "rte_secpath.h"
#include "secpath_compat.h"

RTE_LOG_REGISTER_DEFAULT(secpath_logtype, INFO);

#define SECPATH_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, secpath_logtype, \
		"SECPATH: " fmt "\n", ##__VA_ARGS__)

#define SECPATH_MZ_NAME "rte_secpath"
#define SECPATH_SAD_NAME "rte_secpath_sad"
#define SECPATH_DQ_NAME "rte_secpath_dq"

/* Slot states. */
#define SA_FREE 0
#define SA_LIVE 1
#define SA_DEAD 2 /* deleted, waiting for its grace period */

/* Counters until the library is initialised (or attached). */
static struct rte_secpath_lcore_stats secpath_stats[RTE_MAX_LCORE + 1];

struct rte_secpath_fp_data rte_secpath_fp = {
	.ext_id = -1,
	.stats = secpath_stats,
};

/*
 * What all processes of a file prefix share, in the memzone
 * SECPATH_MZ_NAME: the SA table, its free list and SPI index, the counts
 * and the counters. The primary creates it; a secondary's
 * rte_secpath_init() attaches to it. Pointers into DPDK memory are valid
 * in every process; nothing here is a function pointer.
 */
struct secpath_shared {
	rte_spinlock_t lock;
	uint32_t initialised;
	uint32_t max_sa;
	uint32_t nb_free;
	uint32_t nb_live;
	uint32_t nb_dead;
	/*
	 * Even generation every slot starts from at init: above all those
	 * of the previous table, so that no handle taken before a fini
	 * names an SA added after the next init.
	 */
	uint32_t gen_base;
	uint32_t *free_list;  /* stack of free slot indexes */
	struct rte_secpath_sa_rec *sa;
	struct rte_ipsec_sad *sad;  /* inbound SAs by SPI */
	struct rte_secpath_lcore_stats stats[RTE_MAX_LCORE + 1];
};

/*
 * This process's control state. In the primary, the configuration (its
 * callbacks are this process's code) and the RCU defer queue; in a
 * secondary, only the attachment.
 */
static struct {
	rte_spinlock_t lock;   /* init, fini: this process */
	int initialised;
	int secondary;
	struct rte_secpath_conf conf;
	struct rte_rcu_qsbr_dq *dq;
	struct secpath_shared *sh;
} sp_ctl = {
	.lock = RTE_SPINLOCK_INITIALIZER,
};

/* RCU defer queue element: the slot and the handle it had. */
struct dq_elem {
	uint32_t idx;
	uint32_t gen;
};

static void
rec_params(const struct rte_secpath_sa_rec *r,
		struct rte_secpath_sa_params *p)
{
	memset(p, 0, sizeof(*p));
	p->spi = r->spi;
	p->dir = r->dir;
	p->mode = r->mode;
	p->kind = r->kind;
	p->flags = r->flags;
	p->ctx = r->ctx;
	p->sess = r->sess;
	p->userdata = r->userdata;
}

static union rte_ipsec_sad_key
spi_key(uint32_t spi)
{
	union rte_ipsec_sad_key key;

	memset(&key, 0, sizeof(key));
	key.v4.spi = rte_cpu_to_be_32(spi);
	return key;
}

/* Give a dead slot back: run the callback, free the slot. Lock held. */
static void
slot_release(uint32_t idx, uint32_t gen)
{
	struct secpath_shared *sh = sp_ctl.sh;
	struct rte_secpath_sa_rec *r = &sh->sa[idx];
	struct rte_secpath_sa_params p;

	rec_params(r, &p);
	if (sp_ctl.conf.sa_free != NULL)
		sp_ctl.conf.sa_free((uint64_t)gen << 32 | idx, &p,
			sp_ctl.conf.sa_free_arg);
	r->ctx = NULL;
	r->sess = NULL;
	r->userdata = 0;
	r->state = SA_FREE;
	sh->free_list[sh->nb_free++] = idx;
	sh->nb_dead--;
}

static void
dq_free(void *p, void *e, unsigned int n)
{
	struct dq_elem *el = e;
	unsigned int i;

	RTE_SET_USED(p);
	for (i = 0; i < n; i++)
		slot_release(el[i].idx, el[i].gen);
}

/* This process's fast-path data from the shared state. */
static void
fp_attach(const struct secpath_shared *sh, int id)
{
	rte_secpath_fp.sa = sh->sa;
	rte_secpath_fp.sad = sh->sad;
	rte_secpath_fp.stats = (struct rte_secpath_lcore_stats *)sh->stats;
	rte_secpath_fp.max_sa = sh->max_sa;
	__atomic_store_n(&rte_secpath_fp.ext_id, id, __ATOMIC_RELEASE);
}

/* Register (or, in a secondary, look up) the extension type and the
 * security dynfield. Returns the type id or a negative errno value.
 */
static int
register_types(void)
{
	struct rte_mbuf_extension_params ep;
	int id;

	memset(&ep, 0, sizeof(ep));
	strlcpy(ep.name, RTE_SECPATH_EXT_NAME, sizeof(ep.name));
	ep.size = sizeof(struct rte_secpath);
	ep.align = __alignof__(struct rte_secpath);
	id = rte_mbuf_extension_register(&ep);
	if (id < 0) {
		SECPATH_LOG(ERR, "cannot register extension type: %s",
			rte_strerror(rte_errno));
		return -rte_errno;
	}
	if (rte_security_dynfield_register() < 0) {
		SECPATH_LOG(ERR, "cannot register security dynfield: %s",
			rte_strerror(rte_errno));
		return -rte_errno;
	}
	return id;
}

/* rte_secpath_init() in a secondary process. sp_ctl.lock held. */
static int
secondary_attach(const struct rte_secpath_conf *conf)
{
	const struct rte_memzone *mz;
	struct secpath_shared *sh;
	int id;

	/* The primary's callbacks and RCU state cannot be replaced here. */
	if (conf != NULL && (conf->qsbr != NULL || conf->sa_free != NULL ||
			conf->flags != 0)) {
		SECPATH_LOG(ERR, "a secondary process takes no qsbr, sa_free or flags");
		return -EINVAL;
	}
	mz = rte_memzone_lookup(SECPATH_MZ_NAME);
	sh = mz != NULL ? mz->addr : NULL;
	if (sh == NULL ||
			!__atomic_load_n(&sh->initialised, __ATOMIC_ACQUIRE)) {
		SECPATH_LOG(ERR, "the primary process has not initialised the secpath");
		return -ENOENT;
	}
	if (conf != NULL && conf->max_sa != 0 && conf->max_sa != sh->max_sa) {
		SECPATH_LOG(ERR, "max_sa %u, the primary has %u",
			conf->max_sa, sh->max_sa);
		return -EINVAL;
	}
	id = register_types();
	if (id < 0)
		return id;
	memset(&sp_ctl.conf, 0, sizeof(sp_ctl.conf));
	sp_ctl.conf.max_sa = sh->max_sa;
	sp_ctl.sh = sh;
	sp_ctl.secondary = 1;
	fp_attach(sh, id);
	sp_ctl.initialised = 1;
	SECPATH_LOG(DEBUG, "attached to the primary's secpath: %u SA slots",
		sh->max_sa);
	return 0;
}

/* The shared state, reserved once per file prefix (kept by fini). */
static struct secpath_shared *
shared_get(int socket)
{
	const struct rte_memzone *mz;
	struct secpath_shared *sh;

	mz = rte_memzone_lookup(SECPATH_MZ_NAME);
	if (mz != NULL)
		return mz->addr;
	mz = rte_memzone_reserve(SECPATH_MZ_NAME, sizeof(*sh), socket, 0);
	if (mz == NULL && socket != SOCKET_ID_ANY)
		mz = rte_memzone_reserve(SECPATH_MZ_NAME, sizeof(*sh),
			SOCKET_ID_ANY, 0);
	if (mz == NULL)
		return NULL;
	/* Once: a later init must not reset a lock another process holds. */
	sh = mz->addr;
	memset(sh, 0, sizeof(*sh));
	rte_spinlock_init(&sh->lock);
	return sh;
}

int
rte_secpath_init(const struct rte_secpath_conf *conf)
{
	struct rte_ipsec_sad_conf sc;
	struct secpath_shared *sh;
	struct rte_secpath_sa_rec *tbl = NULL;
	uint32_t *fl = NULL;
	struct rte_ipsec_sad *sad = NULL;
	struct rte_rcu_qsbr_dq *dq = NULL;
	int id, ret, socket;
	uint32_t i;

	rte_spinlock_lock(&sp_ctl.lock);
	if (sp_ctl.initialised) {
		ret = -EALREADY;
		goto fail;
	}
	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		ret = secondary_attach(conf);
		if (ret < 0)
			goto fail;
		rte_spinlock_unlock(&sp_ctl.lock);
		return 0;
	}
	if (conf == NULL || conf->max_sa == 0 ||
			conf->max_sa > RTE_SECPATH_MAX_SA || conf->flags != 0) {
		ret = -EINVAL;
		goto fail;
	}
	id = register_types();
	if (id < 0) {
		ret = id;
		goto fail;
	}
	socket = conf->socket_id;
	sh = shared_get(socket);
	if (sh == NULL) {
		ret = -ENOMEM;
		goto fail;
	}
	tbl = rte_zmalloc_socket("secpath_sa", sizeof(*tbl) * conf->max_sa,
		RTE_CACHE_LINE_SIZE, socket);
	fl = rte_malloc_socket("secpath_sa_free", sizeof(*fl) * conf->max_sa,
		0, socket);
	if (tbl == NULL || fl == NULL) {
		ret = -ENOMEM;
		goto fail;
	}
	/*
	 * The SPI index, DPDK's SAD: it lives in DPDK memory and hashes the
	 * keys itself (no function pointer), so every process may use it.
	 */
	memset(&sc, 0, sizeof(sc));
	sc.socket_id = socket;
	sc.max_sa[RTE_IPSEC_SAD_SPI_ONLY] = conf->max_sa;
	sc.max_sa[RTE_IPSEC_SAD_SPI_DIP] = 1;
	sc.max_sa[RTE_IPSEC_SAD_SPI_DIP_SIP] = 1;
	sc.flags = RTE_IPSEC_SAD_FLAG_RW_CONCURRENCY;
	sad = rte_ipsec_sad_create(SECPATH_SAD_NAME, &sc);
	if (sad == NULL) {
		ret = rte_errno ? -rte_errno : -ENOMEM;
		SECPATH_LOG(ERR, "cannot create SPI index: %s",
			rte_strerror(-ret));
		goto fail;
	}
	if (conf->qsbr != NULL) {
		struct rte_rcu_qsbr_dq_parameters dp;

		memset(&dp, 0, sizeof(dp));
		dp.name = SECPATH_DQ_NAME;
		dp.flags = RTE_RCU_QSBR_DQ_MT_UNSAFE;
		dp.size = conf->max_sa;
		dp.esize = sizeof(struct dq_elem);
		dp.trigger_reclaim_limit = 0;
		dp.max_reclaim_size = conf->max_sa;
		dp.free_fn = dq_free;
		dp.v = conf->qsbr;
		dq = rte_rcu_qsbr_dq_create(&dp);
		if (dq == NULL) {
			ret = rte_errno ? -rte_errno : -ENOMEM;
			goto fail;
		}
	}
	/*
	 * The free list is a stack: slots go out in ascending order. Every
	 * slot's generation starts from the base (even: not live).
	 */
	for (i = 0; i < conf->max_sa; i++) {
		fl[i] = conf->max_sa - 1 - i;
		tbl[i].gen = sh->gen_base;
	}
	sh->max_sa = conf->max_sa;
	sh->free_list = fl;
	sh->nb_free = conf->max_sa;
	sh->nb_live = 0;
	sh->nb_dead = 0;
	sh->sa = tbl;
	sh->sad = sad;
	sp_ctl.conf = *conf;
	sp_ctl.dq = dq;
	sp_ctl.sh = sh;
	sp_ctl.secondary = 0;
	fp_attach(sh, id);
	__atomic_store_n(&sh->initialised, 1, __ATOMIC_RELEASE);
	sp_ctl.initialised = 1;
	rte_spinlock_unlock(&sp_ctl.lock);
	SECPATH_LOG(DEBUG, "extension id %d, %u SA slots, secpath %zu bytes",
		id, conf->max_sa, sizeof(struct rte_secpath));
	return 0;
fail:
	rte_spinlock_unlock(&sp_ctl.lock);
	if (sad != NULL)
		rte_ipsec_sad_destroy(sad);
	rte_free(tbl);
	rte_free(fl);
	rte_errno = -ret;
	return ret;
}

/* Remove an inbound SA from the SPI index. Lock held. */
static void
spi_unindex(const struct rte_secpath_sa_rec *r)
{
	union rte_ipsec_sad_key key;

	if (r->dir != RTE_SECPATH_DIR_IN ||
			(r->flags & RTE_SECPATH_SA_F_NO_SPI_INDEX))
		return;
	key = spi_key(r->spi);
	rte_ipsec_sad_del(sp_ctl.sh->sad, &key, RTE_IPSEC_SAD_SPI_ONLY);
}

/* Delete a live slot. Lock held. */
static void
slot_kill(uint32_t idx)
{
	struct secpath_shared *sh = sp_ctl.sh;
	struct rte_secpath_sa_rec *r = &sh->sa[idx];
	uint32_t gen = r->gen;

	spi_unindex(r);
	r->state = SA_DEAD;
	/* Even generation: every handle naming the slot is now stale. */
	__atomic_store_n(&r->gen, gen + 1, __ATOMIC_RELEASE);
	sh->nb_live--;
	sh->nb_dead++;
	if (sp_ctl.dq != NULL) {
		struct dq_elem el = { .idx = idx, .gen = gen };

		if (rte_rcu_qsbr_dq_enqueue(sp_ctl.dq, &el) == 0)
			return;
		/* The queue is sized for all slots: cannot happen. */
		SECPATH_LOG(ERR, "cannot defer SA slot %u: %s", idx,
			rte_strerror(rte_errno));
		return;
	}
	slot_release(idx, gen);
}

/* A secondary detaches; the primary's SAs stay. sp_ctl.lock held. */
static void
secondary_detach(void)
{
	__atomic_store_n(&rte_secpath_fp.ext_id, -1, __ATOMIC_RELEASE);
	rte_secpath_fp.max_sa = 0;
	rte_secpath_fp.sa = NULL;
	rte_secpath_fp.sad = NULL;
	rte_secpath_fp.stats = secpath_stats;
	sp_ctl.sh = NULL;
	sp_ctl.secondary = 0;
	sp_ctl.initialised = 0;
}

int
rte_secpath_fini(void)
{
	struct secpath_shared *sh;
	uint32_t i, top;

	rte_spinlock_lock(&sp_ctl.lock);
	if (!sp_ctl.initialised) {
		rte_spinlock_unlock(&sp_ctl.lock);
		rte_errno = EINVAL;
		return -EINVAL;
	}
	if (sp_ctl.secondary) {
		secondary_detach();
		rte_spinlock_unlock(&sp_ctl.lock);
		return 0;
	}
	sh = sp_ctl.sh;
	rte_spinlock_lock(&sh->lock);
	for (i = 0; i < sh->max_sa; i++)
		if (sh->sa[i].state == SA_LIVE)
			slot_kill(i);
	if (sp_ctl.dq != NULL) {
		/* Runs the callbacks of the slots still waiting, if their
		 * grace period is over; otherwise the caller retries.
		 */
		if (rte_rcu_qsbr_dq_delete(sp_ctl.dq) != 0) {
			rte_spinlock_unlock(&sh->lock);
			rte_spinlock_unlock(&sp_ctl.lock);
			rte_errno = EAGAIN;
			return -EAGAIN;
		}
		sp_ctl.dq = NULL;
	}
	__atomic_store_n(&sh->initialised, 0, __ATOMIC_RELEASE);
	/*
	 * The next table's generations start above all of this one's: every
	 * slot counted up from the base, and is even now (deleted).
	 */
	top = 0;
	for (i = 0; i < sh->max_sa; i++)
		top = RTE_MAX(top, sh->sa[i].gen - sh->gen_base);
	sh->gen_base += (top | 1) + 1;
	rte_secpath_fp.max_sa = 0;
	rte_secpath_fp.sad = NULL;
	rte_secpath_fp.sa = NULL;
	rte_ipsec_sad_destroy(sh->sad);
	sh->sad = NULL;
	rte_free(sh->sa);
	sh->sa = NULL;
	rte_free(sh->free_list);
	sh->free_list = NULL;
	sh->nb_free = 0;
	sh->max_sa = 0;
	rte_spinlock_unlock(&sh->lock);
	sp_ctl.initialised = 0;
	rte_spinlock_unlock(&sp_ctl.lock);
	return 0;
}

/* Reclaim what RCU allows. Lock held. Returns the number still waiting. */
static int
reclaim_locked(void)
{
	unsigned int freed, pending, avail;

	if (sp_ctl.dq == NULL)
		return 0;
	/* Returns 1 only for NULL arguments; pending is what matters. */
	pending = 0;
	rte_rcu_qsbr_dq_reclaim(sp_ctl.dq, sp_ctl.conf.max_sa, &freed,
		&pending, &avail);
	return (int)pending;
}

/*
 * Take the SA table's lock for a change: only the primary changes the
 * table (its callbacks and RCU state are the primary's). Returns the
 * shared state, or NULL with *ret set.
 */
static struct secpath_shared *
write_lock(int *ret)
{
	struct secpath_shared *sh = sp_ctl.sh;

	if (!sp_ctl.initialised || sh == NULL) {
		*ret = -EINVAL;
		return NULL;
	}
	if (sp_ctl.secondary) {
		*ret = -E_RTE_SECONDARY;
		return NULL;
	}
	rte_spinlock_lock(&sh->lock);
	return sh;
}

int
rte_secpath_sa_reclaim(void)
{
	struct secpath_shared *sh;
	int ret;

	sh = write_lock(&ret);
	if (sh == NULL) {
		rte_errno = -ret;
		return ret;
	}
	ret = reclaim_locked();
	rte_spinlock_unlock(&sh->lock);
	return ret;
}

int
rte_secpath_sa_add(const struct rte_secpath_sa_params *p,
		rte_secpath_sa_t *sa)
{
	struct secpath_shared *sh;
	struct rte_secpath_sa_rec *r;
	uint32_t idx;
	int ret;

	if (p == NULL || sa == NULL || p->dir > RTE_SECPATH_DIR_OUT ||
			p->mode > RTE_SECPATH_MODE_TUNNEL ||
			p->kind > RTE_SECPATH_KIND_CPU_CRYPTO ||
			(p->flags & ~(RTE_SECPATH_SA_F_NEED_MDATA |
				RTE_SECPATH_SA_F_NO_SPI_INDEX))) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	sh = write_lock(&ret);
	if (sh == NULL) {
		rte_errno = -ret;
		return ret;
	}
	reclaim_locked();
	if (sh->nb_free == 0) {
		ret = -ENOSPC;
		goto out;
	}
	idx = sh->free_list[sh->nb_free - 1];
	r = &sh->sa[idx];
	r->spi = p->spi;
	r->dir = p->dir;
	r->mode = p->mode;
	r->kind = p->kind;
	r->flags = p->flags;
	r->ctx = p->ctx;
	r->sess = p->sess;
	r->userdata = p->userdata;
	if (p->dir == RTE_SECPATH_DIR_IN &&
			!(p->flags & RTE_SECPATH_SA_F_NO_SPI_INDEX)) {
		union rte_ipsec_sad_key key = spi_key(p->spi);
		const union rte_ipsec_sad_key *kp = &key;
		void *v = NULL;

		if (rte_ipsec_sad_lookup(sh->sad, &kp, &v, 1) > 0) {
			ret = -EEXIST;
			goto out;
		}
		ret = rte_ipsec_sad_add(sh->sad, &key,
			RTE_IPSEC_SAD_SPI_ONLY, r);
		if (ret < 0)
			goto out;
	}
	sh->nb_free--;
	sh->nb_live++;
	r->state = SA_LIVE;
	/* Odd generation, published last: the handle becomes valid. */
	__atomic_store_n(&r->gen, r->gen + 1, __ATOMIC_RELEASE);
	*sa = (uint64_t)r->gen << 32 | idx;
	ret = 0;
out:
	rte_spinlock_unlock(&sh->lock);
	if (ret < 0)
		rte_errno = -ret;
	return ret;
}

/* Slot of a live handle, or NULL. Lock held. */
static struct rte_secpath_sa_rec *
live_slot(struct secpath_shared *sh, rte_secpath_sa_t sa)
{
	uint32_t idx = (uint32_t)sa, gen = (uint32_t)(sa >> 32);
	struct rte_secpath_sa_rec *r;

	if (!(gen & 1) || idx >= sh->max_sa)
		return NULL;
	r = &sh->sa[idx];
	if (r->gen != gen || r->state != SA_LIVE)
		return NULL;
	return r;
}

/*
 * Take the table's lock for a change of the live SA @p sa: its slot, or
 * NULL with *ret and rte_errno set (-ENOENT: not initialised or no such
 * live SA; -E_RTE_SECONDARY) and the lock not held.
 */
static struct rte_secpath_sa_rec *
live_locked(rte_secpath_sa_t sa, struct secpath_shared **shp, int *ret)
{
	struct secpath_shared *sh = write_lock(ret);
	struct rte_secpath_sa_rec *r;

	if (sh == NULL) {
		*ret = *ret == -EINVAL ? -ENOENT : *ret;
		rte_errno = -*ret;
		return NULL;
	}
	r = live_slot(sh, sa);
	if (r == NULL) {
		rte_spinlock_unlock(&sh->lock);
		*ret = -ENOENT;
		rte_errno = ENOENT;
		return NULL;
	}
	*shp = sh;
	return r;
}

int
rte_secpath_sa_set_session(rte_secpath_sa_t sa, struct rte_security_ctx *ctx,
		void *sess)
{
	struct secpath_shared *sh;
	struct rte_secpath_sa_rec *r;
	int ret;

	r = live_locked(sa, &sh, &ret);
	if (r == NULL)
		return ret;
	__atomic_store_n(&r->ctx, ctx, __ATOMIC_RELEASE);
	__atomic_store_n(&r->sess, sess, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&sh->lock);
	return 0;
}

int
rte_secpath_sa_del(rte_secpath_sa_t sa)
{
	struct secpath_shared *sh;
	int ret;

	if (live_locked(sa, &sh, &ret) == NULL)
		return ret;
	slot_kill((uint32_t)sa);
	reclaim_locked();
	rte_spinlock_unlock(&sh->lock);
	return 0;
}

rte_secpath_sa_t
rte_secpath_sa_lookup_spi(uint32_t spi)
{
	const struct rte_secpath_sa_rec *r;

	r = __rte_secpath_spi_find(spi_key(spi));
	if (r == NULL)
		return RTE_SECPATH_SA_NONE;
	return __rte_secpath_spi_handle(r, spi);
}

unsigned int
rte_secpath_sa_count(void)
{
	const struct secpath_shared *sh = sp_ctl.sh;

	return sh == NULL ? 0 : __atomic_load_n(&sh->nb_live,
		__ATOMIC_RELAXED);
}

int
rte_secpath_rx_record(struct rte_mbuf *m, uint32_t spi, void *sess,
		uint8_t kind, uint8_t result)
{
	struct rte_secpath_entry e;
	rte_secpath_sa_t sa = rte_secpath_sa_lookup_spi(spi);
	int ret;

	if (sa == RTE_SECPATH_SA_NONE ||
			rte_secpath_entry_from_sa(sa, result, &e) < 0) {
		e.spi = spi;
		e.dir = RTE_SECPATH_DIR_IN;
		e.mode = RTE_SECPATH_MODE_TRANSPORT;
		e.result = RTE_SECPATH_RESULT_FAILED;
		e.sa = RTE_SECPATH_SA_NONE;
		__RTE_SECPATH_STAT_ADD(rx_no_sa, 1);
	}
	e.kind = kind;
	e.sess = sess;
	ret = rte_secpath_push(m, &e);
	if (ret == 0)
		__rte_secpath_rx_count(e.result);
	return ret;
}

uint16_t
rte_secpath_rx_import_burst(struct rte_mbuf **mbufs, uint16_t nb,
		enum rte_secpath_rx_how how)
{
	union rte_ipsec_sad_key keys[RTE_SECPATH_BURST_MAX];
	const union rte_ipsec_sad_key *kp[RTE_SECPATH_BURST_MAX];
	void *found[RTE_SECPATH_BURST_MAX];
	uint16_t pos[RTE_SECPATH_BURST_MAX];
	uint32_t spi[RTE_SECPATH_BURST_MAX];
	struct rte_secpath_entry e;
	uint16_t done = 0, base, n, i, k;

	if (unlikely(rte_secpath_fp.ext_id < 0)) {
		rte_errno = EINVAL;
		return 0;
	}
	for (base = 0; base < nb; base += n) {
		n = RTE_MIN((uint16_t)(nb - base),
			(uint16_t)RTE_SECPATH_BURST_MAX);
		k = 0;
		for (i = 0; i < n; i++) {
			struct rte_mbuf *m = mbufs[base + i];
			struct rte_secpath_esp_info pi;

			spi[i] = 0;
			found[i] = NULL;
			if (!(m->ol_flags & RTE_MBUF_F_RX_SEC_OFFLOAD) ||
					how != RTE_SECPATH_RX_SPI)
				continue;
			if (rte_secpath_esp_parse(m, RTE_SECPATH_ESP_F_L3_LEN,
					sizeof(struct rte_esp_hdr), &pi) !=
					RTE_SECPATH_ESP_OK)
				continue;
			memset(&keys[k], 0, sizeof(keys[k]));
			keys[k].v4.spi = rte_pktmbuf_mtod_offset(m,
				const struct rte_esp_hdr *, pi.esp_off)->spi;
			spi[i] = rte_be_to_cpu_32(keys[k].v4.spi);
			kp[k] = &keys[k];
			pos[k] = i;
			k++;
		}
		if (k != 0 && rte_secpath_fp.sad != NULL) {
			void *v[RTE_SECPATH_BURST_MAX];

			if (rte_ipsec_sad_lookup(rte_secpath_fp.sad, kp, v,
					k) > 0)
				for (i = 0; i < k; i++)
					found[pos[i]] = v[i];
		}
		for (i = 0; i < n; i++) {
			struct rte_mbuf *m = mbufs[base + i];

			if (!(m->ol_flags & RTE_MBUF_F_RX_SEC_OFFLOAD))
				continue;
			__rte_secpath_rx_entry(m, how, found[i], spi[i], &e);
			if (unlikely(__rte_secpath_rx_recorded(m, &e)) ||
					rte_secpath_push(m, &e) < 0)
				continue;
			__rte_secpath_rx_count(e.result);
			done++;
		}
	}
	return done;
}

int
rte_secpath_ipsec_entry(const struct rte_ipsec_session *ss,
		rte_secpath_sa_t sa, struct rte_secpath_entry *e)
{
	struct rte_secpath_sa_params p;
	uint64_t tp;

	if (ss == NULL || ss->sa == NULL || e == NULL) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	memset(e, 0, sizeof(*e));
	if (sa != RTE_SECPATH_SA_NONE) {
		if (rte_secpath_sa_info(sa, &p) < 0) {
			rte_errno = ENOENT;
			return -ENOENT;
		}
		e->spi = p.spi;
	}
	tp = rte_ipsec_sa_type(ss->sa);
	e->dir = (tp & RTE_IPSEC_SATP_DIR_MASK) == RTE_IPSEC_SATP_DIR_OB ?
		RTE_SECPATH_DIR_OUT : RTE_SECPATH_DIR_IN;
	e->mode = (tp & RTE_IPSEC_SATP_MODE_MASK) == RTE_IPSEC_SATP_MODE_TRANS ?
		RTE_SECPATH_MODE_TRANSPORT : RTE_SECPATH_MODE_TUNNEL;
	switch (ss->type) {
	case RTE_SECURITY_ACTION_TYPE_INLINE_CRYPTO:
		e->kind = RTE_SECPATH_KIND_INLINE_CRYPTO;
		e->sess = ss->security.ses;
		break;
	case RTE_SECURITY_ACTION_TYPE_INLINE_PROTOCOL:
		e->kind = RTE_SECPATH_KIND_INLINE_PROTOCOL;
		e->sess = ss->security.ses;
		break;
	case RTE_SECURITY_ACTION_TYPE_LOOKASIDE_PROTOCOL:
		e->kind = RTE_SECPATH_KIND_LOOKASIDE;
		e->sess = ss->security.ses;
		break;
	case RTE_SECURITY_ACTION_TYPE_NONE:
		e->kind = RTE_SECPATH_KIND_LOOKASIDE;
		break;
	case RTE_SECURITY_ACTION_TYPE_CPU_CRYPTO:
		e->kind = RTE_SECPATH_KIND_CPU_CRYPTO;
		break;
	default:
		e->kind = RTE_SECPATH_KIND_NONE;
		break;
	}
	e->result = RTE_SECPATH_RESULT_OK;
	e->sa = sa;
	return 0;
}

uint16_t
rte_secpath_tx_prepare_burst(struct rte_mbuf **mbufs, uint16_t nb)
{
	uint16_t i;
	int ret;

	for (i = 0; i < nb; i++) {
		ret = rte_secpath_tx_prepare(mbufs[i]);
		if (unlikely(ret < 0)) {
			rte_errno = -ret;
			break;
		}
	}
	return i;
}

uint16_t
rte_secpath_policy_check_burst(struct rte_mbuf **mbufs, uint16_t nb,
		const struct rte_secpath_policy *pol, uint8_t *verdict)
{
	uint16_t i, pass = 0;
	int v;

	for (i = 0; i < nb; i++) {
		v = rte_secpath_policy_check(mbufs[i], pol);
		if (verdict != NULL)
			verdict[i] = (uint8_t)v;
		if (v == RTE_SECPATH_PASS)
			pass++;
	}
	return pass;
}

int
rte_secpath_stats_get(struct rte_secpath_stats *st)
{
	const struct rte_secpath_lcore_stats *s = rte_secpath_fp.stats;
	unsigned int i;

	if (st == NULL) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	memset(st, 0, sizeof(*st));
#define SUM(f) (st->f += __atomic_load_n(&s[i].f, __ATOMIC_RELAXED))
	for (i = 0; i <= RTE_MAX_LCORE; i++) {
		SUM(rx_ok);
		SUM(rx_failed);
		SUM(rx_no_sa);
		SUM(push);
		SUM(push_full);
		SUM(push_nomem);
		SUM(ipsec);
		SUM(tx_offload);
		SUM(tx_mdata);
		SUM(tx_stale);
		SUM(tx_error);
		SUM(check_pass);
		SUM(check_fail);
	}
#undef SUM
	return 0;
}

void
rte_secpath_stats_reset(void)
{
	memset(rte_secpath_fp.stats, 0,
		sizeof(secpath_stats[0]) * (RTE_MAX_LCORE + 1));
}

static const char *
kind_name(uint8_t kind)
{
	switch (kind) {
	case RTE_SECPATH_KIND_NONE: return "none";
	case RTE_SECPATH_KIND_INLINE_CRYPTO: return "inline-crypto";
	case RTE_SECPATH_KIND_INLINE_PROTOCOL: return "inline-protocol";
	case RTE_SECPATH_KIND_LOOKASIDE: return "lookaside";
	case RTE_SECPATH_KIND_CPU_CRYPTO: return "cpu-crypto";
	default: return "?";
	}
}

void
rte_secpath_dump(FILE *f, const struct rte_mbuf *m)
{
	const struct rte_secpath *sp;
	unsigned int i;

	if (f == NULL || m == NULL)
		return;
	sp = rte_secpath_get(m);
	if (sp == NULL) {
		fprintf(f, "mbuf %p: no secpath\n", (const void *)m);
		return;
	}
	fprintf(f, "mbuf %p: secpath len %u\n", (const void *)m, sp->len);
	for (i = 0; i < sp->len; i++) {
		const struct rte_secpath_entry *e = &sp->entry[i];

		fprintf(f, "  [%u] spi 0x%08x %s %s %s %s sa 0x%016" PRIx64
			"%s sess %p\n", i, e->spi,
			e->dir == RTE_SECPATH_DIR_IN ? "in" : "out",
			e->mode == RTE_SECPATH_MODE_TUNNEL ?
			"tunnel" : "transport", kind_name(e->kind),
			e->result == RTE_SECPATH_RESULT_OK ? "ok" : "failed",
			e->sa, e->sa != RTE_SECPATH_SA_NONE &&
			rte_secpath_sa_info(e->sa, NULL) < 0 ?
			" (deleted)" : "", e->sess);
	}
}

/* Telemetry */

static int
tel_stats(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	struct rte_secpath_stats st;

	rte_secpath_stats_get(&st);
	rte_tel_data_start_dict(d);
#define ADD(f) rte_tel_data_add_dict_uint(d, #f, st.f)
	ADD(rx_ok);
	ADD(rx_failed);
	ADD(rx_no_sa);
	ADD(push);
	ADD(push_full);
	ADD(push_nomem);
	ADD(ipsec);
	ADD(tx_offload);
	ADD(tx_mdata);
	ADD(tx_stale);
	ADD(tx_error);
	ADD(check_pass);
	ADD(check_fail);
#undef ADD
	return 0;
}

static int
tel_info(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "ext_id", rte_secpath_fp.ext_id);
	rte_tel_data_add_dict_uint(d, "secpath_size",
		sizeof(struct rte_secpath));
	rte_tel_data_add_dict_uint(d, "entry_size",
		sizeof(struct rte_secpath_entry));
	rte_tel_data_add_dict_uint(d, "max_depth", RTE_SECPATH_MAX_DEPTH);
	rte_tel_data_add_dict_uint(d, "max_sa", rte_secpath_fp.max_sa);
	rte_tel_data_add_dict_uint(d, "live_sa", rte_secpath_sa_count());
	rte_tel_data_add_dict_uint(d, "deferred_sa",
		sp_ctl.sh == NULL ? 0 : sp_ctl.sh->nb_dead);
	return 0;
}

static int
tel_sa_list(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	uint32_t i;

	rte_tel_data_start_array(d, RTE_TEL_U64_VAL);
	rte_spinlock_lock(&sp_ctl.lock);
	if (sp_ctl.sh != NULL) {
		/*
		 * A secondary reads without the primary's lock, as its data
		 * path does: if it died holding it, the primary could not
		 * change its SAs any more.
		 */
		if (!sp_ctl.secondary)
			rte_spinlock_lock(&sp_ctl.sh->lock);
		for (i = 0; i < rte_secpath_fp.max_sa; i++) {
			const struct rte_secpath_sa_rec *r =
				&rte_secpath_fp.sa[i];
			uint32_t gen = __atomic_load_n(&r->gen,
				__ATOMIC_ACQUIRE);

			if (gen & 1)
				rte_tel_data_add_array_uint(d,
					(uint64_t)gen << 32 | i);
		}
		if (!sp_ctl.secondary)
			rte_spinlock_unlock(&sp_ctl.sh->lock);
	}
	rte_spinlock_unlock(&sp_ctl.lock);
	return 0;
}

static int
tel_sa(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	struct rte_secpath_sa_params p;
	rte_secpath_sa_t sa;
	char *end;

	if (params == NULL || *params == '\0')
		return -EINVAL;
	sa = strtoull(params, &end, 0);
	if (*end != '\0')
		return -EINVAL;
	if (rte_secpath_sa_info(sa, &p) < 0)
		return -ENOENT;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_uint(d, "handle", sa);
	rte_tel_data_add_dict_uint(d, "spi", p.spi);
	rte_tel_data_add_dict_string(d, "dir",
		p.dir == RTE_SECPATH_DIR_IN ? "in" : "out");
	rte_tel_data_add_dict_string(d, "mode",
		p.mode == RTE_SECPATH_MODE_TUNNEL ? "tunnel" : "transport");
	rte_tel_data_add_dict_string(d, "kind", kind_name(p.kind));
	rte_tel_data_add_dict_uint(d, "flags", p.flags);
	rte_tel_data_add_dict_uint(d, "userdata", p.userdata);
	return 0;
}

RTE_INIT(secpath_telemetry)
{
	rte_telemetry_register_cmd("/secpath/stats", tel_stats,
		"Secpath counters. Takes no parameters");
	rte_telemetry_register_cmd("/secpath/info", tel_info,
		"Secpath sizes and SA table use. Takes no parameters");
	rte_telemetry_register_cmd("/secpath/sa_list", tel_sa_list,
		"Handles of the live SAs. Takes no parameters");
	rte_telemetry_register_cmd("/secpath/sa", tel_sa,
		"One SA. Parameters: handle");
}
