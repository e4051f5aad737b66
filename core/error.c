/* error.c — formatting of sws_error messages (personal numbers masked). */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mask.h"

int sws_errorf(sws_error *e, const char *fmt, ...)
{
    if (!e)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    sws_mask_in_place(e->msg); /* whatever column a personal number came from */
    return -1;
}

int sws_error_prefix(sws_error *e, const char *fmt, ...)
{
    if (!e)
        return -1;
    char prefix[512], old[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    memcpy(old, e->msg, sizeof old);
    snprintf(e->msg, sizeof e->msg, "%s: %s", prefix, old);
    sws_mask_in_place(e->msg);
    return -1;
}
