/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _RTE_SECPATH_H_
#define _RTE_SECPATH_H_

/**
 * @file
 * RTE IPsec security path (secpath)
 *
 * The secpath of a packet is the ordered chain of IPsec SAs that processed
 * it, as the Linux kernel's struct sec_path: outermost first on inbound,
 * in processing order on outbound. It is an mbuf extension
 * (rte_mbuf_extension.h) named RTE_SECPATH_EXT_NAME: clones share it,
 * adding an entry to a shared secpath copies it first.
 *
 * An entry names its SA by a handle from the secpath SA table
 * (rte_secpath_sa_add()): the SA's slot index and the slot's generation.
 * Deleting an SA bumps the generation, so an entry naming a deleted SA
 * never resolves again, even after the slot is reused
 * (rte_secpath_sa_info() returns -ENOENT, the TX helper refuses the
 * packet, the policy check rejects it). Packets in flight may name an SA
 * for any time; nothing in a secpath pins the SA or its session.
 *
 * The rte_security session pointer kept in an entry records which session
 * processed the packet; the library never dereferences it. The TX helper
 * takes the session and context from the live SA record.
 *
 * Setup order: rte_secpath_init() registers the extension type; it must
 * run before the application creates the extension block pool with
 * rte_mbuf_extension_pool_create().
 *
 * Mbuf pools: a packet can get a secpath only if its pool may hold
 * extension references (see rte_mbuf_extension_add()): a pool with the
 * "mbuf_ext" mempool handler, or a pool the application opted in with
 * rte_mbuf_extension_pktmbuf_pool_opt_in() and whose packets it frees with
 * rte_mbuf_extension_pktmbuf_free(). Otherwise pushes fail with -ENOTSUP.
 *
 * Threads: an mbuf is used by one thread at a time; the SA table is
 * written by one control thread at a time (rte_secpath_sa_add(),
 * rte_secpath_sa_del() take a lock) and read by any number of data-plane
 * threads without locks.
 */

#include <stdint.h>
#include <stdio.h>

#include <rte_common.h>
#include <rte_compat.h>
#include <rte_branch_prediction.h>
#include <rte_byteorder.h>
#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_esp.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_security.h>
#include <rte_ipsec.h>
#include <rte_ipsec_sad.h>
#include <rte_rcu_qsbr.h>

#include <rte_mbuf_extension.h>

#include "rte_secpath_esp.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Maximum number of entries of a secpath (the kernel's XFRM_MAX_DEPTH). */
#define RTE_SECPATH_MAX_DEPTH 6

/** Name of the mbuf extension type. */
#define RTE_SECPATH_EXT_NAME "rte_secpath"

/**
 * Handle of an SA in the secpath SA table: generation << 32 | slot index.
 * Valid handles have an odd generation, so 0 is never a valid handle.
 */
typedef uint64_t rte_secpath_sa_t;

/** No SA. */
#define RTE_SECPATH_SA_NONE ((rte_secpath_sa_t)0)

/** Direction of an SA. */
enum rte_secpath_dir {
	RTE_SECPATH_DIR_IN = 0,  /**< Inbound: verify and decrypt. */
	RTE_SECPATH_DIR_OUT = 1, /**< Outbound: encrypt. */
};

/** Mode of an SA. */
enum rte_secpath_mode {
	RTE_SECPATH_MODE_TRANSPORT = 0, /**< Transport mode. */
	RTE_SECPATH_MODE_TUNNEL = 1,    /**< Tunnel mode (IPv4 or IPv6). */
};

/** How a packet was processed by an SA. */
enum rte_secpath_kind {
	/** Processed in software, outside DPDK security (or unknown). */
	RTE_SECPATH_KIND_NONE = 0,
	/** Inline crypto: the NIC did the crypto, software the protocol. */
	RTE_SECPATH_KIND_INLINE_CRYPTO,
	/** Inline protocol: the NIC did the whole ESP processing. */
	RTE_SECPATH_KIND_INLINE_PROTOCOL,
	/** Lookaside: a crypto device, with or without protocol offload. */
	RTE_SECPATH_KIND_LOOKASIDE,
	/** CPU crypto: synchronous crypto on the lcore. */
	RTE_SECPATH_KIND_CPU_CRYPTO,
};

/** Result of the processing by an SA. */
enum rte_secpath_result {
	RTE_SECPATH_RESULT_OK = 0,     /**< Processed successfully. */
	RTE_SECPATH_RESULT_FAILED = 1, /**< Processing failed (ICV, ...). */
};

/**
 * One SA that processed a packet. 24 bytes.
 */
struct rte_secpath_entry {
	uint32_t spi;     /**< SPI, host byte order. */
	uint8_t dir;      /**< enum rte_secpath_dir. */
	uint8_t mode;     /**< enum rte_secpath_mode. */
	uint8_t kind;     /**< enum rte_secpath_kind. */
	uint8_t result;   /**< enum rte_secpath_result. */
	/** The SA, or RTE_SECPATH_SA_NONE; may name a deleted SA. */
	rte_secpath_sa_t sa;
	/**
	 * The rte_security session that processed the packet, or NULL.
	 * A record only: it may have been destroyed since.
	 */
	void *sess;
};

/**
 * The secpath extension data. 152 bytes (8 + 6 * 24).
 */
struct rte_secpath {
	uint8_t len;        /**< Number of entries used. */
	uint8_t reserved[7]; /**< Reserved, 0. */
	/** Entries, in processing order. */
	struct rte_secpath_entry entry[RTE_SECPATH_MAX_DEPTH];
};

/** SA flag: the TX helper calls rte_security_set_pkt_metadata(). */
#define RTE_SECPATH_SA_F_NEED_MDATA 0x1
/** SA flag: do not index this inbound SA by SPI for RX import. */
#define RTE_SECPATH_SA_F_NO_SPI_INDEX 0x2

/**
 * Parameters of an SA, for rte_secpath_sa_add().
 */
struct rte_secpath_sa_params {
	uint32_t spi;   /**< SPI, host byte order. */
	uint8_t dir;    /**< enum rte_secpath_dir. */
	uint8_t mode;   /**< enum rte_secpath_mode. */
	uint8_t kind;   /**< enum rte_secpath_kind. */
	uint8_t reserved; /**< Reserved, must be 0. */
	uint32_t flags; /**< RTE_SECPATH_SA_F_*. */
	/** Security context of the session (inline kinds), or NULL. */
	struct rte_security_ctx *ctx;
	/** rte_security session, or NULL. */
	void *sess;
	/** The application's reference to its SA (opaque). */
	uint64_t userdata;
};

/**
 * Callback run when a deleted SA can no longer be read by any data-plane
 * thread (at once without RCU, after a grace period with RCU): the place
 * to destroy the rte_security session and the application's SA.
 */
typedef void (*rte_secpath_sa_free_t)(rte_secpath_sa_t sa,
		const struct rte_secpath_sa_params *params, void *arg);

/**
 * Configuration of the library, for rte_secpath_init().
 */
struct rte_secpath_conf {
	/** Number of SA slots, 1 to RTE_SECPATH_MAX_SA. */
	uint32_t max_sa;
	/** NUMA socket of the SA table, or SOCKET_ID_ANY. */
	int socket_id;
	/**
	 * Optional QSBR variable of the data-plane threads. With it, an SA
	 * slot is reused and sa_free runs only after a grace period; without
	 * it, at once in rte_secpath_sa_del().
	 */
	struct rte_rcu_qsbr *qsbr;
	/** Optional callback for deleted SAs. */
	rte_secpath_sa_free_t sa_free;
	/** Argument of sa_free. */
	void *sa_free_arg;
	/** Reserved, must be 0. */
	uint32_t flags;
};

/** Packets handled at once by the burst functions' internal batches. */
#define RTE_SECPATH_BURST_MAX 64

/** Largest number of SA slots. */
#define RTE_SECPATH_MAX_SA (1u << 24)

/** How rte_secpath_rx_import() finds the SA of an offloaded packet. */
enum rte_secpath_rx_how {
	/**
	 * Inline protocol devices: the security dynfield holds the session's
	 * userdata, which the application set to the SA handle when it
	 * created the session.
	 */
	RTE_SECPATH_RX_USERDATA = 0,
	/**
	 * Inline crypto devices (ixgbe style): the packet still has its ESP
	 * header, found by rte_secpath_esp_parse() with
	 * RTE_SECPATH_ESP_F_L3_LEN; its SPI is looked up among the inbound
	 * SAs. A packet in which that finds no ESP header gets a failed
	 * entry.
	 */
	RTE_SECPATH_RX_SPI = 1,
};

/** Verdict of the policy check. */
enum rte_secpath_verdict {
	RTE_SECPATH_PASS = 0,          /**< The secpath satisfies the policy. */
	RTE_SECPATH_NO_SECPATH,        /**< Protection needed, none found. */
	RTE_SECPATH_FAILED_ENTRY,      /**< An inbound entry failed. */
	RTE_SECPATH_STALE_SA,          /**< An entry names a deleted SA. */
	RTE_SECPATH_NO_MATCH,          /**< A required template unmatched. */
	RTE_SECPATH_EXTRA_TUNNEL,      /**< A tunnel SA outside the policy. */
};

/** Template flag: match the SPI. */
#define RTE_SECPATH_TMPL_F_SPI 0x1
/** Template flag: match the SA handle (which must be live). */
#define RTE_SECPATH_TMPL_F_SA 0x2
/** Template flag: match the mode. */
#define RTE_SECPATH_TMPL_F_MODE 0x4
/** Template flag: the template may be absent (as the kernel's optional). */
#define RTE_SECPATH_TMPL_F_OPTIONAL 0x8

/**
 * One SA a policy requires, as the kernel's struct xfrm_tmpl.
 */
struct rte_secpath_tmpl {
	uint32_t spi;        /**< With RTE_SECPATH_TMPL_F_SPI. */
	uint8_t mode;        /**< With RTE_SECPATH_TMPL_F_MODE. */
	uint8_t flags;       /**< RTE_SECPATH_TMPL_F_*. */
	uint16_t reserved;   /**< Reserved, 0. */
	rte_secpath_sa_t sa; /**< With RTE_SECPATH_TMPL_F_SA. */
};

/**
 * What an inbound policy requires: templates in processing order,
 * outermost first. No template: no protection required (a packet with a
 * failed entry is still rejected).
 */
struct rte_secpath_policy {
	uint8_t nb_tmpl;     /**< 0 to RTE_SECPATH_MAX_DEPTH. */
	/** The templates. */
	struct rte_secpath_tmpl tmpl[RTE_SECPATH_MAX_DEPTH];
};

/**
 * Statistics, summed over all lcores.
 */
struct rte_secpath_stats {
	uint64_t rx_ok;       /**< RX entries recorded with result ok. */
	uint64_t rx_failed;   /**< RX entries recorded with result failed. */
	uint64_t rx_no_sa;    /**< RX offloads whose SA was not found. */
	uint64_t push;        /**< Entries added (all paths). */
	uint64_t push_full;   /**< Pushes refused: chain full. */
	/** Pushes refused by the extension add: no block, or ENOTSUP. */
	uint64_t push_nomem;
	uint64_t ipsec;       /**< Entries recorded after librte_ipsec. */
	uint64_t tx_offload;  /**< Packets given TX inline offload. */
	uint64_t tx_mdata;    /**< rte_security_set_pkt_metadata() calls. */
	uint64_t tx_stale;    /**< TX refused: SA deleted. */
	uint64_t tx_error;    /**< TX refused: metadata error. */
	uint64_t check_pass;  /**< Policy checks passed. */
	uint64_t check_fail;  /**< Policy checks failed. */
};

/** @internal Per-lcore counters, same fields as struct rte_secpath_stats. */
struct rte_secpath_lcore_stats {
	uint64_t rx_ok;       /**< See struct rte_secpath_stats. */
	uint64_t rx_failed;   /**< See struct rte_secpath_stats. */
	uint64_t rx_no_sa;    /**< See struct rte_secpath_stats. */
	uint64_t push;        /**< See struct rte_secpath_stats. */
	uint64_t push_full;   /**< See struct rte_secpath_stats. */
	uint64_t push_nomem;  /**< See struct rte_secpath_stats. */
	uint64_t ipsec;       /**< See struct rte_secpath_stats. */
	uint64_t tx_offload;  /**< See struct rte_secpath_stats. */
	uint64_t tx_mdata;    /**< See struct rte_secpath_stats. */
	uint64_t tx_stale;    /**< See struct rte_secpath_stats. */
	uint64_t tx_error;    /**< See struct rte_secpath_stats. */
	uint64_t check_pass;  /**< See struct rte_secpath_stats. */
	uint64_t check_fail;  /**< See struct rte_secpath_stats. */
} __rte_cache_aligned;

/** @internal One slot of the SA table. */
struct rte_secpath_sa_rec {
	/** Odd while the SA lives; bumped by add and by delete. */
	uint32_t gen;
	uint32_t spi;    /**< As struct rte_secpath_sa_params. */
	uint8_t dir;     /**< As struct rte_secpath_sa_params. */
	uint8_t mode;    /**< As struct rte_secpath_sa_params. */
	uint8_t kind;    /**< As struct rte_secpath_sa_params. */
	uint8_t state;   /**< Free, live, or deleted and waiting for RCU. */
	uint32_t flags;  /**< As struct rte_secpath_sa_params. */
	struct rte_security_ctx *ctx; /**< As struct rte_secpath_sa_params. */
	void *sess;      /**< As struct rte_secpath_sa_params. */
	uint64_t userdata; /**< As struct rte_secpath_sa_params. */
};

/** @internal Process-local data of the inline functions. */
struct rte_secpath_fp_data {
	int ext_id;                      /**< Extension type id, -1: none. */
	uint32_t max_sa;                 /**< SA slots. */
	struct rte_secpath_sa_rec *sa;   /**< SA slots. */
	struct rte_ipsec_sad *sad;       /**< Inbound SAs by SPI. */
	/** Counters: RTE_MAX_LCORE slots, then one for other threads. */
	struct rte_secpath_lcore_stats *stats;
};

/** @internal */
extern struct rte_secpath_fp_data rte_secpath_fp;

/** @internal Count an event on the calling lcore. */
#define __RTE_SECPATH_STAT_ADD(field, n) do {				\
	unsigned int __lc = rte_lcore_id();				\
	if (likely(__lc < RTE_MAX_LCORE)) {				\
		uint64_t *__p = &rte_secpath_fp.stats[__lc].field;	\
		__atomic_store_n(__p, *__p + (n), __ATOMIC_RELAXED);	\
	} else {							\
		__atomic_fetch_add(&rte_secpath_fp.stats[		\
			RTE_MAX_LCORE].field, (n), __ATOMIC_RELAXED);	\
	}								\
} while (0)

/**
 * @internal Copy the live SA named by @p sa into @p rec.
 * @return 0, or -1 if the handle does not name a live SA.
 */
static __rte_always_inline int
__rte_secpath_sa_read(rte_secpath_sa_t sa, struct rte_secpath_sa_rec *rec)
{
	uint32_t idx = (uint32_t)sa, gen = (uint32_t)(sa >> 32);
	const struct rte_secpath_sa_rec *r;

	if (unlikely(!(gen & 1) || idx >= rte_secpath_fp.max_sa))
		return -1;
	r = &rte_secpath_fp.sa[idx];
	if (__atomic_load_n(&r->gen, __ATOMIC_ACQUIRE) != gen)
		return -1;
	rec->spi = r->spi;
	rec->dir = r->dir;
	rec->mode = r->mode;
	rec->kind = r->kind;
	rec->flags = r->flags;
	rec->ctx = r->ctx;
	rec->sess = r->sess;
	rec->userdata = r->userdata;
	/* Seqlock style: the slot must not have changed while read. */
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	if (__atomic_load_n(&r->gen, __ATOMIC_RELAXED) != gen)
		return -1;
	rec->gen = gen;
	return 0;
}

/**
 * @internal Whether @p sa names a live SA: one load of its generation
 * (odd while live, bumped by add and by delete; a handle could match
 * again only after 2^31 add/delete cycles of its slot).
 */
static __rte_always_inline int
__rte_secpath_sa_live(rte_secpath_sa_t sa)
{
	uint32_t idx = (uint32_t)sa, gen = (uint32_t)(sa >> 32);

	if (unlikely(!(gen & 1) || idx >= rte_secpath_fp.max_sa))
		return 0;
	return __atomic_load_n(&rte_secpath_fp.sa[idx].gen,
		__ATOMIC_ACQUIRE) == gen;
}

/**
 * @internal The SA record the SPI index holds for @p key (an SPI-only
 * key), or NULL. The record may be deleted meanwhile: see
 * __rte_secpath_spi_handle().
 */
static __rte_always_inline const struct rte_secpath_sa_rec *
__rte_secpath_spi_find(union rte_ipsec_sad_key key)
{
	const union rte_ipsec_sad_key *kp = &key;
	void *v = NULL;

	if (unlikely(rte_secpath_fp.sad == NULL) ||
			rte_ipsec_sad_lookup(rte_secpath_fp.sad, &kp, &v, 1) <= 0)
		return NULL;
	return (const struct rte_secpath_sa_rec *)v;
}

/**
 * @internal The handle of the SA record @p r found for @p spi (host
 * order), or RTE_SECPATH_SA_NONE if it no longer lives with that SPI.
 */
static __rte_always_inline rte_secpath_sa_t
__rte_secpath_spi_handle(const struct rte_secpath_sa_rec *r, uint32_t spi)
{
	uint32_t gen = __atomic_load_n(&r->gen, __ATOMIC_ACQUIRE);

	if (!(gen & 1) || r->spi != spi)
		return RTE_SECPATH_SA_NONE;
	return (uint64_t)gen << 32 | (uint32_t)(r - rte_secpath_fp.sa);
}

/**
 * Initialise the library: register the secpath extension type and the
 * rte_security dynamic field, create the SA table and its SPI index.
 *
 * Must run after rte_eal_init() and before rte_mbuf_extension_pool_create().
 *
 * In a secondary process it attaches to the primary's SA table instead:
 * the primary must have initialised the library first. The secondary
 * then reads SAs (handles, SPI lookups, RX import, policy checks, TX
 * preparation) as the primary does, while adding, changing and deleting
 * SAs stay the primary's (-E_RTE_SECONDARY). Its counters add to the
 * shared ones.
 *
 * @param conf
 *   The configuration. In a secondary process: NULL, or a configuration
 *   without qsbr, sa_free and flags, and with max_sa 0 or the primary's.
 * @return
 *   0, or a negative errno value (rte_errno set too): -EINVAL (bad
 *   configuration), -EALREADY (initialised), -ENOSPC (no extension type
 *   left, or the block pool exists without room for the secpath), -ENOMEM,
 *   -ENOENT (secondary process: the primary has no SA table), or the error
 *   of the extension or dynfield registration.
 */
__rte_experimental
int rte_secpath_init(const struct rte_secpath_conf *conf);

/**
 * Free the SA table. The SAs still there are deleted (sa_free runs for
 * each). The extension type stays registered, and packets may keep
 * secpaths: their entries name no live SA any more. No other thread may
 * call the library during rte_secpath_fini(). Secondary processes
 * attached to the table must have stopped using it (see the guide).
 * In a secondary process this only detaches the process.
 *
 * @return
 *   0, or a negative errno value (rte_errno set too): -EINVAL (not
 *   initialised), -EAGAIN (with RCU: deleted SAs still wait for their
 *   grace period; all SAs are deleted, call again later).
 */
__rte_experimental
int rte_secpath_fini(void);

/**
 * The extension type id of the secpath.
 *
 * @return
 *   The id, or -1 before rte_secpath_init().
 */
__rte_experimental
static inline int
rte_secpath_ext_id(void)
{
	return rte_secpath_fp.ext_id;
}

/**
 * Add an SA to the SA table.
 *
 * Inbound SAs are indexed by SPI for RTE_SECPATH_RX_SPI (unless
 * RTE_SECPATH_SA_F_NO_SPI_INDEX); two live inbound indexed SAs cannot
 * share an SPI.
 *
 * @param params
 *   The SA.
 * @param sa
 *   Set to the handle on success.
 * @return
 *   0, or a negative errno value (rte_errno set too): -EINVAL (bad
 *   parameters, not initialised), -ENOSPC (table full), -EEXIST (SPI
 *   taken), -E_RTE_SECONDARY (called in a secondary process), or an
 *   error of the SPI index.
 */
__rte_experimental
int rte_secpath_sa_add(const struct rte_secpath_sa_params *params,
		rte_secpath_sa_t *sa);

/**
 * Set the session of a live SA, for an inline-protocol session created
 * after the SA so that its userdata can be the SA handle. Call it before
 * traffic can name the SA: readers see no consistent update.
 *
 * @param sa
 *   The SA.
 * @param ctx
 *   The session's security context.
 * @param sess
 *   The session.
 * @return
 *   0, or a negative errno value (rte_errno set too): -ENOENT (no such
 *   live SA), -E_RTE_SECONDARY (called in a secondary process).
 */
__rte_experimental
int rte_secpath_sa_set_session(rte_secpath_sa_t sa,
		struct rte_security_ctx *ctx, void *sess);

/**
 * Delete an SA. From now on its handle resolves to nothing: packets that
 * name it fail the policy check and the TX helper. Without RCU the slot
 * is free again and sa_free runs before this returns; with RCU both wait
 * for a grace period (see rte_secpath_sa_reclaim()).
 *
 * @param sa
 *   The SA.
 * @return
 *   0, or a negative errno value (rte_errno set too): -ENOENT (no such
 *   live SA), -E_RTE_SECONDARY (called in a secondary process).
 */
__rte_experimental
int rte_secpath_sa_del(rte_secpath_sa_t sa);

/**
 * Free the deleted SAs whose grace period has passed (RCU only; also done
 * by rte_secpath_sa_add() and rte_secpath_sa_del()).
 *
 * @return
 *   Number of SAs still waiting for their grace period, or a negative
 *   errno value: -EINVAL (not initialised), -E_RTE_SECONDARY (called in a
 *   secondary process).
 */
__rte_experimental
int rte_secpath_sa_reclaim(void);

/**
 * Read a live SA.
 *
 * @param sa
 *   The SA.
 * @param params
 *   Filled on success; may be NULL to test the handle.
 * @return
 *   0, or -ENOENT (deleted or never added; rte_errno not set).
 */
__rte_experimental
static inline int
rte_secpath_sa_info(rte_secpath_sa_t sa, struct rte_secpath_sa_params *params)
{
	struct rte_secpath_sa_rec rec;

	if (params == NULL)
		return __rte_secpath_sa_live(sa) ? 0 : -ENOENT;
	if (__rte_secpath_sa_read(sa, &rec) < 0)
		return -ENOENT;
	params->spi = rec.spi;
	params->dir = rec.dir;
	params->mode = rec.mode;
	params->kind = rec.kind;
	params->reserved = 0;
	params->flags = rec.flags;
	params->ctx = rec.ctx;
	params->sess = rec.sess;
	params->userdata = rec.userdata;
	return 0;
}

/**
 * Find a live inbound SA by SPI.
 *
 * @param spi
 *   The SPI, host byte order.
 * @return
 *   The handle, or RTE_SECPATH_SA_NONE.
 */
__rte_experimental
rte_secpath_sa_t rte_secpath_sa_lookup_spi(uint32_t spi);

/**
 * Number of live SAs.
 *
 * @return
 *   The count.
 */
__rte_experimental
unsigned int rte_secpath_sa_count(void);

/**
 * The secpath of a packet.
 *
 * @param m
 *   The packet (first segment).
 * @return
 *   The secpath, read only (use the functions below to change it), or
 *   NULL if the packet has none.
 */
__rte_experimental
static inline const struct rte_secpath *
rte_secpath_get(const struct rte_mbuf *m)
{
	if (unlikely(rte_secpath_fp.ext_id < 0))
		return NULL;
	return (const struct rte_secpath *)rte_mbuf_extension_find(m,
		rte_secpath_fp.ext_id);
}

/**
 * Number of entries of a packet's secpath.
 *
 * @param m
 *   The packet.
 * @return
 *   0 to RTE_SECPATH_MAX_DEPTH.
 */
__rte_experimental
static inline unsigned int
rte_secpath_len(const struct rte_mbuf *m)
{
	const struct rte_secpath *sp = rte_secpath_get(m);

	return sp == NULL ? 0 : sp->len;
}

/**
 * Append an entry to a packet's secpath, creating it if needed. If the
 * secpath is shared (clones), it is copied first: the other packets see
 * no change.
 *
 * @param m
 *   The packet.
 * @param e
 *   The entry, copied.
 * @return
 *   0, or a negative errno value (rte_errno set too), the packet being
 *   unchanged: -ENOSPC (RTE_SECPATH_MAX_DEPTH entries already), -ENOMEM
 *   (no extension block), -ENODEV (no block pool), -ENOTSUP (the packet's
 *   mbuf pool may not hold extensions, see rte_mbuf_extension_add()),
 *   -EINVAL (NULL argument, library not initialised).
 */
__rte_experimental
static inline int
rte_secpath_push(struct rte_mbuf *m, const struct rte_secpath_entry *e)
{
	const struct rte_secpath *cur;
	struct rte_secpath *sp;

	if (unlikely(m == NULL || e == NULL || rte_secpath_fp.ext_id < 0)) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	cur = rte_secpath_get(m);
	if (unlikely(cur != NULL && cur->len >= RTE_SECPATH_MAX_DEPTH)) {
		__RTE_SECPATH_STAT_ADD(push_full, 1);
		rte_errno = ENOSPC;
		return -ENOSPC;
	}
	sp = (struct rte_secpath *)rte_mbuf_extension_add(m,
		rte_secpath_fp.ext_id);
	if (unlikely(sp == NULL)) {
		__RTE_SECPATH_STAT_ADD(push_nomem, 1);
		return -rte_errno;
	}
	sp->entry[sp->len] = *e;
	sp->len++;
	__RTE_SECPATH_STAT_ADD(push, 1);
	return 0;
}

/**
 * Fill an entry from a live SA.
 *
 * @param sa
 *   The SA.
 * @param result
 *   enum rte_secpath_result.
 * @param e
 *   Filled on success.
 * @return
 *   0, or -ENOENT (no such live SA).
 */
__rte_experimental
static inline int
rte_secpath_entry_from_sa(rte_secpath_sa_t sa, uint8_t result,
		struct rte_secpath_entry *e)
{
	struct rte_secpath_sa_rec rec;

	if (__rte_secpath_sa_read(sa, &rec) < 0)
		return -ENOENT;
	e->spi = rec.spi;
	e->dir = rec.dir;
	e->mode = rec.mode;
	e->kind = rec.kind;
	e->result = result;
	e->sa = sa;
	e->sess = rec.sess;
	return 0;
}

/**
 * Append an entry naming a live SA.
 *
 * @param m
 *   The packet.
 * @param sa
 *   The SA.
 * @param result
 *   enum rte_secpath_result.
 * @return
 *   0, or a negative errno value as rte_secpath_push(), or -ENOENT (no
 *   such live SA). rte_errno is set too.
 */
__rte_experimental
static inline int
rte_secpath_push_sa(struct rte_mbuf *m, rte_secpath_sa_t sa, uint8_t result)
{
	struct rte_secpath_entry e;

	if (unlikely(rte_secpath_entry_from_sa(sa, result, &e) < 0)) {
		rte_errno = ENOENT;
		return -ENOENT;
	}
	return rte_secpath_push(m, &e);
}

/**
 * Remove the secpath of a packet (other packets sharing it keep it).
 *
 * @param m
 *   The packet.
 */
__rte_experimental
static inline void
rte_secpath_clear(struct rte_mbuf *m)
{
	if (rte_secpath_fp.ext_id >= 0)
		rte_mbuf_extension_del(m, rte_secpath_fp.ext_id);
}

/** @internal Count an RX entry by its result. */
static __rte_always_inline void
__rte_secpath_rx_count(uint8_t result)
{
	if (result == RTE_SECPATH_RESULT_OK)
		__RTE_SECPATH_STAT_ADD(rx_ok, 1);
	else
		__RTE_SECPATH_STAT_ADD(rx_failed, 1);
}

/**
 * Record the result of an inbound inline operation: the API for
 * rte_security providers and PMDs that know the SPI and the session.
 *
 * The SA is looked up by SPI among the inbound SAs. If there is none, the
 * entry names no SA and its result is RTE_SECPATH_RESULT_FAILED: a result
 * that cannot be tied to a known SA protects nothing.
 *
 * @param m
 *   The packet.
 * @param spi
 *   The SPI, host byte order.
 * @param sess
 *   The session that processed the packet (recorded as is), or NULL.
 * @param kind
 *   enum rte_secpath_kind.
 * @param result
 *   enum rte_secpath_result.
 * @return
 *   0, or a negative errno value as rte_secpath_push().
 */
__rte_experimental
int rte_secpath_rx_record(struct rte_mbuf *m, uint32_t spi, void *sess,
		uint8_t kind, uint8_t result);

/**
 * @internal Build the RX entry of one offloaded packet. For
 * RTE_SECPATH_RX_SPI, @p found is the SA record the SPI index returned
 * (NULL: none) and @p spi the SPI read from the packet.
 */
static __rte_always_inline void
__rte_secpath_rx_entry(const struct rte_mbuf *m, enum rte_secpath_rx_how how,
		const struct rte_secpath_sa_rec *found, uint32_t spi,
		struct rte_secpath_entry *e)
{
	uint8_t result = (m->ol_flags & RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED) ?
		RTE_SECPATH_RESULT_FAILED : RTE_SECPATH_RESULT_OK;
	rte_secpath_sa_t sa = RTE_SECPATH_SA_NONE;
	uint8_t kind = RTE_SECPATH_KIND_INLINE_CRYPTO;

	if (how == RTE_SECPATH_RX_USERDATA) {
		kind = RTE_SECPATH_KIND_INLINE_PROTOCOL;
		sa = (rte_secpath_sa_t)*rte_security_dynfield(
			(struct rte_mbuf *)(uintptr_t)m);
	} else if (found != NULL) {
		sa = __rte_secpath_spi_handle(found, spi);
	}
	if (sa == RTE_SECPATH_SA_NONE ||
			rte_secpath_entry_from_sa(sa, result, e) < 0) {
		/* Unknown or deleted SA: the result protects nothing. */
		e->spi = spi;
		e->dir = RTE_SECPATH_DIR_IN;
		e->mode = RTE_SECPATH_MODE_TRANSPORT;
		e->kind = kind;
		e->result = RTE_SECPATH_RESULT_FAILED;
		e->sa = sa;
		e->sess = NULL;
		__RTE_SECPATH_STAT_ADD(rx_no_sa, 1);
	}
}

/**
 * @internal Whether the last entry of @p m already records @p e (an
 * rte_security provider called rte_secpath_rx_record() for this packet).
 */
static __rte_always_inline int
__rte_secpath_rx_recorded(const struct rte_mbuf *m,
		const struct rte_secpath_entry *e)
{
	const struct rte_secpath *sp = rte_secpath_get(m);
	const struct rte_secpath_entry *l;

	if (likely(sp == NULL || sp->len == 0))
		return 0;
	l = &sp->entry[sp->len - 1];
	return l->dir == RTE_SECPATH_DIR_IN && l->spi == e->spi &&
		l->sa == e->sa;
}

/**
 * Turn the inline offload result of a received packet into a secpath
 * entry: RTE_MBUF_F_RX_SEC_OFFLOAD (and RTE_MBUF_F_RX_SEC_OFFLOAD_FAILED)
 * in ol_flags. A packet without RTE_MBUF_F_RX_SEC_OFFLOAD gets nothing.
 *
 * The entry's result is failed if the device flagged a failure, or if the
 * SA cannot be found (unknown SPI, deleted SA, userdata not an SA handle).
 *
 * A packet whose last entry is already inbound with the same SPI and SA
 * (recorded by the provider with rte_secpath_rx_record()) gets nothing.
 *
 * @param m
 *   The received packet.
 * @param how
 *   RTE_SECPATH_RX_USERDATA (inline protocol) or RTE_SECPATH_RX_SPI
 *   (inline crypto).
 * @return
 *   1 if an entry was added, 0 if the packet has no offload result or has
 *   it recorded already, or a negative errno value as rte_secpath_push()
 *   (packet unchanged).
 */
__rte_experimental
static inline int
rte_secpath_rx_import(struct rte_mbuf *m, enum rte_secpath_rx_how how)
{
	const struct rte_secpath_sa_rec *found = NULL;
	struct rte_secpath_entry e;
	uint32_t spi = 0;
	int ret;

	if (!(m->ol_flags & RTE_MBUF_F_RX_SEC_OFFLOAD))
		return 0;
	if (unlikely(rte_secpath_fp.ext_id < 0)) {
		/* Not initialised: the security dynfield may not exist. */
		rte_errno = EINVAL;
		return -EINVAL;
	}
	if (how == RTE_SECPATH_RX_SPI) {
		struct rte_secpath_esp_info pi;

		if (rte_secpath_esp_parse(m, RTE_SECPATH_ESP_F_L3_LEN,
				sizeof(struct rte_esp_hdr), &pi) ==
				RTE_SECPATH_ESP_OK) {
			union rte_ipsec_sad_key key = { .v4 = { 0 } };

			key.v4.spi = rte_pktmbuf_mtod_offset(m,
				const struct rte_esp_hdr *, pi.esp_off)->spi;
			spi = rte_be_to_cpu_32(key.v4.spi);
			found = __rte_secpath_spi_find(key);
		}
	}
	__rte_secpath_rx_entry(m, how, found, spi, &e);
	if (unlikely(__rte_secpath_rx_recorded(m, &e)))
		return 0;
	ret = rte_secpath_push(m, &e);
	if (ret < 0)
		return ret;
	__rte_secpath_rx_count(e.result);
	return 1;
}

/**
 * rte_secpath_rx_import() for a burst of received packets; the SPI
 * lookups are done in one rte_ipsec_sad_lookup().
 *
 * @param mbufs
 *   The packets.
 * @param nb
 *   Number of packets.
 * @param how
 *   As for rte_secpath_rx_import().
 * @return
 *   Number of packets given an entry. A packet that could not be given
 *   one (no extension block, or ENOTSUP) is left unchanged and counted
 *   in push_nomem.
 */
__rte_experimental
uint16_t rte_secpath_rx_import_burst(struct rte_mbuf **mbufs, uint16_t nb,
		enum rte_secpath_rx_how how);

/**
 * Build the entry that records processing by a librte_ipsec session:
 * kind from the session's action type, direction and mode from its SA,
 * SPI from the secpath SA, session from the session (security types).
 *
 * @param ss
 *   The librte_ipsec session.
 * @param sa
 *   The secpath SA the session belongs to, or RTE_SECPATH_SA_NONE.
 * @param e
 *   Filled on success, with result ok.
 * @return
 *   0, or -EINVAL (NULL argument), -ENOENT (@p sa names no live SA).
 */
__rte_experimental
int rte_secpath_ipsec_entry(const struct rte_ipsec_session *ss,
		rte_secpath_sa_t sa, struct rte_secpath_entry *e);

/**
 * Record a librte_ipsec session's SA in the packets that
 * rte_ipsec_pkt_process() handled successfully (the first k packets it
 * returned).
 *
 * A packet whose last entry already names @p sa in the same direction
 * (inbound inline crypto: rte_secpath_rx_import() recorded the device's
 * part, librte_ipsec did the protocol part of the same SA) is not given a
 * second entry for it, and counts as recorded.
 *
 * @param ss
 *   The librte_ipsec session.
 * @param sa
 *   The secpath SA the session belongs to, or RTE_SECPATH_SA_NONE.
 * @param mbufs
 *   The packets.
 * @param nb
 *   Number of packets.
 * @return
 *   Number of packets given the entry; 0 with rte_errno set if the entry
 *   cannot be built (see rte_secpath_ipsec_entry()).
 */
__rte_experimental
static inline uint16_t
rte_secpath_ipsec_record(const struct rte_ipsec_session *ss,
		rte_secpath_sa_t sa, struct rte_mbuf **mbufs, uint16_t nb)
{
	struct rte_secpath_entry e;
	uint16_t i, done = 0;

	if (rte_secpath_ipsec_entry(ss, sa, &e) < 0)
		return 0;
	for (i = 0; i < nb; i++) {
		const struct rte_secpath *sp = rte_secpath_get(mbufs[i]);

		if (sp != NULL && sp->len != 0 && sa != RTE_SECPATH_SA_NONE &&
				sp->entry[sp->len - 1].sa == sa &&
				sp->entry[sp->len - 1].dir == e.dir) {
			/* Already recorded (inline crypto RX import). */
			done++;
			continue;
		}
		if (rte_secpath_push(mbufs[i], &e) == 0)
			done++;
	}
	__RTE_SECPATH_STAT_ADD(ipsec, done);
	return done;
}

/**
 * Prepare a packet for TX inline offload from its secpath, as the
 * kernel's ixgbe TX reads the SA from the secpath.
 *
 * The last outbound entry of kind inline crypto or inline protocol with
 * result ok names the SA. If its SA lives, the packet gets
 * RTE_MBUF_F_TX_SEC_OFFLOAD and, if the SA has RTE_SECPATH_SA_F_NEED_MDATA,
 * rte_security_set_pkt_metadata() with the SA's context and session.
 * A packet that already has RTE_MBUF_F_TX_SEC_OFFLOAD (librte_ipsec
 * inline crypto sets it, with the metadata) is left as it is.
 *
 * @param m
 *   The packet.
 * @return
 *   1 if the offload was set, 0 if nothing was to be done, or a negative
 *   value (packet unchanged): -ENOENT (the entry names no live SA), or the
 *   error of rte_security_set_pkt_metadata().
 */
__rte_experimental
static inline int
rte_secpath_tx_prepare(struct rte_mbuf *m)
{
	const struct rte_secpath *sp;
	const struct rte_secpath_entry *e;
	struct rte_secpath_sa_rec rec;
	int i, ret;

	if (m->ol_flags & RTE_MBUF_F_TX_SEC_OFFLOAD)
		return 0;
	sp = rte_secpath_get(m);
	if (sp == NULL)
		return 0;
	for (i = (int)sp->len - 1; i >= 0; i--) {
		e = &sp->entry[i];
		if (e->dir == RTE_SECPATH_DIR_OUT &&
				e->result == RTE_SECPATH_RESULT_OK &&
				(e->kind == RTE_SECPATH_KIND_INLINE_CRYPTO ||
				 e->kind == RTE_SECPATH_KIND_INLINE_PROTOCOL))
			break;
	}
	if (i < 0)
		return 0;
	if (unlikely(__rte_secpath_sa_read(e->sa, &rec) < 0 ||
			rec.ctx == NULL || rec.sess == NULL)) {
		__RTE_SECPATH_STAT_ADD(tx_stale, 1);
		return -ENOENT;
	}
	if (rec.flags & RTE_SECPATH_SA_F_NEED_MDATA) {
		__RTE_SECPATH_STAT_ADD(tx_mdata, 1);
		ret = rte_security_set_pkt_metadata(rec.ctx, rec.sess, m,
			NULL);
		if (unlikely(ret < 0)) {
			__RTE_SECPATH_STAT_ADD(tx_error, 1);
			return ret;
		}
	}
	m->ol_flags |= RTE_MBUF_F_TX_SEC_OFFLOAD;
	__RTE_SECPATH_STAT_ADD(tx_offload, 1);
	return 1;
}

/**
 * rte_secpath_tx_prepare() for a burst, with the convention of
 * rte_eth_tx_prepare(): stops at the first packet that fails.
 *
 * @param mbufs
 *   The packets.
 * @param nb
 *   Number of packets.
 * @return
 *   Number of packets from the start of @p mbufs that are ready to send;
 *   if less than @p nb, rte_errno holds the (positive) error of the
 *   next packet.
 */
__rte_experimental
uint16_t rte_secpath_tx_prepare_burst(struct rte_mbuf **mbufs, uint16_t nb);

/**
 * @internal Whether an entry satisfies a template.
 */
static __rte_always_inline int
__rte_secpath_tmpl_match(const struct rte_secpath_tmpl *t,
		const struct rte_secpath_entry *e)
{
	if ((t->flags & RTE_SECPATH_TMPL_F_SPI) && t->spi != e->spi)
		return 0;
	if ((t->flags & RTE_SECPATH_TMPL_F_MODE) && t->mode != e->mode)
		return 0;
	if ((t->flags & RTE_SECPATH_TMPL_F_SA) && t->sa != e->sa)
		return 0;
	return 1;
}

/**
 * Check a packet's secpath against an inbound policy, as the kernel's
 * xfrm_policy_check():
 * - an inbound entry that failed, or names a deleted SA, rejects the
 *   packet whatever the policy;
 * - the templates are matched in order against the inbound entries; a
 *   required template that matches no entry rejects the packet; transport
 *   entries may be skipped, tunnel entries may not (a tunnel entry that
 *   no template matches rejects the packet).
 * Outbound entries are ignored.
 *
 * @param m
 *   The packet.
 * @param pol
 *   The policy.
 * @return
 *   RTE_SECPATH_PASS (0) or the reason of the rejection (enum
 *   rte_secpath_verdict).
 */
__rte_experimental
static inline int
rte_secpath_policy_check(const struct rte_mbuf *m,
		const struct rte_secpath_policy *pol)
{
	const struct rte_secpath *sp = rte_secpath_get(m);
	const struct rte_secpath_entry *in[RTE_SECPATH_MAX_DEPTH];
	unsigned int i, j, k, n = 0;
	int v = RTE_SECPATH_PASS;

	if (sp != NULL) {
		for (i = 0; i < sp->len; i++) {
			const struct rte_secpath_entry *e = &sp->entry[i];

			if (e->dir != RTE_SECPATH_DIR_IN)
				continue;
			if (e->result != RTE_SECPATH_RESULT_OK) {
				v = RTE_SECPATH_FAILED_ENTRY;
				goto out;
			}
			if (e->sa != RTE_SECPATH_SA_NONE &&
					!__rte_secpath_sa_live(e->sa)) {
				v = RTE_SECPATH_STALE_SA;
				goto out;
			}
			in[n++] = e;
		}
	}
	k = 0;
	for (i = 0; i < pol->nb_tmpl && i < RTE_SECPATH_MAX_DEPTH; i++) {
		const struct rte_secpath_tmpl *t = &pol->tmpl[i];
		int found = 0;

		for (j = k; j < n; j++) {
			if (__rte_secpath_tmpl_match(t, in[j])) {
				found = 1;
				break;
			}
			if (in[j]->mode == RTE_SECPATH_MODE_TUNNEL)
				break;
		}
		if (found) {
			k = j + 1;
		} else if (!(t->flags & RTE_SECPATH_TMPL_F_OPTIONAL)) {
			v = n == 0 ? RTE_SECPATH_NO_SECPATH :
				RTE_SECPATH_NO_MATCH;
			goto out;
		}
	}
	for (; k < n; k++) {
		if (in[k]->mode == RTE_SECPATH_MODE_TUNNEL) {
			v = RTE_SECPATH_EXTRA_TUNNEL;
			goto out;
		}
	}
out:
	if (v == RTE_SECPATH_PASS)
		__RTE_SECPATH_STAT_ADD(check_pass, 1);
	else
		__RTE_SECPATH_STAT_ADD(check_fail, 1);
	return v;
}

/**
 * rte_secpath_policy_check() for a burst.
 *
 * @param mbufs
 *   The packets.
 * @param nb
 *   Number of packets.
 * @param pol
 *   The policy.
 * @param verdict
 *   If not NULL, filled with each packet's verdict.
 * @return
 *   Number of packets that pass.
 */
__rte_experimental
uint16_t rte_secpath_policy_check_burst(struct rte_mbuf **mbufs, uint16_t nb,
		const struct rte_secpath_policy *pol, uint8_t *verdict);

/**
 * Read the statistics, summed over all lcores.
 *
 * @param stats
 *   Filled on success.
 * @return
 *   0, or -EINVAL (NULL stats).
 */
__rte_experimental
int rte_secpath_stats_get(struct rte_secpath_stats *stats);

/**
 * Zero the statistics. Not safe while data-plane threads count.
 */
__rte_experimental
void rte_secpath_stats_reset(void);

/**
 * Dump a packet's secpath.
 *
 * @param f
 *   The output stream.
 * @param m
 *   The packet.
 */
__rte_experimental
void rte_secpath_dump(FILE *f, const struct rte_mbuf *m);

#ifdef __cplusplus
}
#endif

#endif /* _RTE_SECPATH_H_ */
