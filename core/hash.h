/*
 * hash.h — the one string hash of sws: 64-bit FNV-1a, for the regex cache,
 * the host's statement cache and the demo's reproducible synthetic scores.
 * Not for anything an attacker chooses to collide.
 */
#ifndef SWS_HASH_H
#define SWS_HASH_H

#include <stdint.h>

#define SWS_HASH_INIT 1469598103934665603ull /* FNV-1a offset basis */

/* Continues hash h over the bytes of s (NUL-terminated): hashing "ab" is
 * sws_hash_more(sws_hash_more(SWS_HASH_INIT, "a"), "b"). */
uint64_t sws_hash_more(uint64_t h, const char *s);

/* The hash of s: sws_hash_more(SWS_HASH_INIT, s). */
uint64_t sws_hash(const char *s);

#endif
