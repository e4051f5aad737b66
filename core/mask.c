/* mask.c — masking of resident ID numbers and mobile numbers, alone or in free text. */
#include "mask.h"

#include <stdio.h>
#include <string.h>

#include "re.h"

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

void sws_mask_text(const char *text, char *out, size_t n)
{
    static sws_re *id_re, *phone_re;
    if (!id_re)
        id_re = sws_re_get("(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])", NULL);
    if (!phone_re)
        phone_re = sws_re_get("(?<![0-9])1[3-9][0-9]{9}(?![0-9])", NULL);
    snprintf(out, n, "%s", text);
    size_t ov[2];
    for (int pass = 0; pass < 2; pass++) {
        sws_re *re = pass ? phone_re : id_re;
        size_t start = 0, len = strlen(out);
        while (re && start < len && sws_re_exec(re, out, len, start, ov, 1, NULL) == 1) {
            char masked[19];
            if (pass)
                sws_mask_mobile(out + ov[0], masked);
            else
                sws_mask_id_number(out + ov[0], masked);
            memcpy(out + ov[0], masked, ov[1] - ov[0]);
            start = ov[1];
        }
    }
}
