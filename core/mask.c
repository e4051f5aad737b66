/* mask.c — masking of resident ID numbers and mobile numbers. */
#include "mask.h"

#include <string.h>

static void mask_middle(const char *s, size_t len, size_t keep_head, size_t keep_tail, char *out)
{
    for (size_t i = 0; i < len; i++)
        out[i] = (i < keep_head || i >= len - keep_tail) ? s[i] : '*';
    out[len] = '\0';
}

void sws_mask_id_number(const char *id, char out[19])
{
    char upper[19];
    size_t n = strnlen(id, 18);
    memcpy(upper, id, n);
    upper[n] = '\0';
    if (n == 18 && upper[17] == 'x')
        upper[17] = 'X';
    if (n < 10) { /* too short to keep anything safely */
        memset(out, '*', n);
        out[n] = '\0';
        return;
    }
    mask_middle(upper, n, 6, 4, out);
}

void sws_mask_mobile(const char *digits11, char out[12])
{
    size_t n = strnlen(digits11, 11);
    if (n < 7) {
        memset(out, '*', n);
        out[n] = '\0';
        return;
    }
    mask_middle(digits11, n, 3, 4, out);
}
