/*
 * grow.h — growing an array by doubling, the one way the newer files do it.
 */
#ifndef SWS_GROW_H
#define SWS_GROW_H

#include <stdlib.h>

/* Makes the array at *v (of *cap elements of `size` bytes, n used) hold at
 * least n + 1: doubles it (first 64) when full. 0, or -1 out of memory with
 * the array unchanged. */
static inline int sws_grow(void *v, int *cap, int n, size_t size)
{
    if (n < *cap)
        return 0;
    int c = *cap ? *cap * 2 : 64;
    void *x = realloc(*(void **)v, (size_t)c * size);
    if (!x)
        return -1;
    *(void **)v = x;
    *cap = c;
    return 0;
}

#endif
