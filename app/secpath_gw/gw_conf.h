/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The mbuf-extension authors
 */

#ifndef _GW_CONF_H_
#define _GW_CONF_H_

/*
 * The gateway's configuration file: the subset of ipsec-secgw's grammar
 * (sp, sa, rt, neigh) that secpath_gw supports. Anything else is refused
 * with an error naming the file, the line and the keyword.
 *
 * Addresses and SPIs are kept in host byte order; IPv6 addresses as the
 * 16 bytes of the address in network order.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <rte_ether.h>

/** Largest number of entries of each kind in one file. */
#define GW_CONF_MAX_SA 1024
#define GW_CONF_MAX_SP 4096
#define GW_CONF_MAX_RT 1024
#define GW_CONF_MAX_NEIGH 64

/** Largest AEAD key, without the 4-byte salt. */
#define GW_CONF_KEY_MAX 32

enum gw_dir {
	GW_DIR_IN = 0,
	GW_DIR_OUT = 1,
};

enum gw_family {
	GW_FAMILY_IPV4 = 4,
	GW_FAMILY_IPV6 = 6,
};

/** An address: v4 in host order, or v6 bytes in network order. */
struct gw_addr {
	uint8_t family;		/* enum gw_family, 0: not set */
	union {
		uint32_t v4;
		uint8_t v6[16];
	};
};

/** "type" of an SA. */
enum gw_sa_type {
	GW_SA_LOOKASIDE_NONE = 0,	/* lookaside-none (the default) */
	GW_SA_CPU_CRYPTO,		/* cpu-crypto */
	GW_SA_INLINE_CRYPTO,		/* inline-crypto-offload */
};

/** "mode" of an SA. */
enum gw_sa_mode {
	GW_SA_IPV4_TUNNEL = 0,
	GW_SA_IPV6_TUNNEL,
	GW_SA_TRANSPORT,
};

/** "aead_algo" of an SA. */
enum gw_aead {
	GW_AEAD_AES_128_GCM = 0,
	GW_AEAD_AES_256_GCM,
};

/** One "sa" line. */
struct gw_sa_conf {
	uint32_t spi;
	uint8_t dir;			/* enum gw_dir */
	uint8_t mode;			/* enum gw_sa_mode */
	uint8_t type;			/* enum gw_sa_type */
	uint8_t aead;			/* enum gw_aead */
	uint8_t key[GW_CONF_KEY_MAX];	/* key without the salt */
	uint8_t key_len;		/* 16 or 32 */
	uint32_t salt;			/* last 4 bytes of aead_key, as read
					 * (network order bytes in memory) */
	struct gw_addr src;		/* tunnel modes: outer addresses */
	struct gw_addr dst;
	bool has_port;			/* port_id given */
	uint16_t port_id;
	unsigned int line;		/* line of the file */
};

/** Action of an "sp" line. */
enum gw_sp_action {
	GW_SP_PROTECT = 0,
	GW_SP_BYPASS,
	GW_SP_DISCARD,
};

/** A prefix: address and prefix length (0: any). */
struct gw_prefix {
	struct gw_addr addr;
	uint8_t depth;
};

/** One "sp" line. */
struct gw_sp_conf {
	uint8_t family;			/* enum gw_family */
	uint8_t dir;			/* enum gw_dir */
	uint8_t action;			/* enum gw_sp_action */
	uint32_t spi;			/* protect: the SA's SPI */
	uint32_t priority;		/* "pri" */
	struct gw_prefix src;		/* depth 0 when not given */
	struct gw_prefix dst;
	uint8_t proto_lo, proto_hi;	/* "proto"; 0:255 when not given */
	uint16_t sport_lo, sport_hi;	/* 0:65535 when not given */
	uint16_t dport_lo, dport_hi;
	unsigned int line;
};

/** One "rt" line. */
struct gw_rt_conf {
	struct gw_prefix dst;		/* family from the line's ipv4/ipv6 */
	uint16_t port;
	unsigned int line;
};

/** One "neigh" line. */
struct gw_neigh_conf {
	uint16_t port;
	struct rte_ether_addr mac;
	unsigned int line;
};

/** A parsed file. Arrays are allocated by the parser. */
struct gw_conf {
	struct gw_sa_conf *sa;
	unsigned int nb_sa;
	struct gw_sp_conf *sp;
	unsigned int nb_sp;
	struct gw_rt_conf *rt;
	unsigned int nb_rt;
	struct gw_neigh_conf *neigh;
	unsigned int nb_neigh;
};

/**
 * Parse a configuration file.
 *
 * Lines are as in ipsec-secgw: '#' starts a comment, a line ending with
 * '\' continues on the next one. After each line is parsed, the whole
 * file is checked: an "sp ... protect SPI" must name an SA of the same
 * direction; two SAs of one direction cannot share an SPI.
 *
 * @return 0, or a negative errno value with err filled with one line:
 *   "FILE:LINE: KEYWORD: what is wrong" (-EINVAL: bad or unsupported
 *   input; -ENOENT etc.: the file cannot be read; -ENOSPC: too many
 *   entries). conf is left empty on error.
 */
int gw_conf_parse_file(const char *path, struct gw_conf *conf,
		char *err, size_t errlen);

/** As gw_conf_parse_file(), from a string; name stands for FILE. */
int gw_conf_parse_string(const char *text, const char *name,
		struct gw_conf *conf, char *err, size_t errlen);

/** Free what the parser allocated; conf is left empty. */
void gw_conf_free(struct gw_conf *conf);

/** The SA of a direction with an SPI, or NULL. */
const struct gw_sa_conf *gw_conf_find_sa(const struct gw_conf *conf,
		uint8_t dir, uint32_t spi);

#endif /* _GW_CONF_H_ */
