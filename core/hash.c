/* hash.c — 64-bit FNV-1a over strings (see hash.h). */
#include "hash.h"

uint64_t sws_hash_more(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

uint64_t sws_hash(const char *s) { return sws_hash_more(SWS_HASH_INIT, s); }
