/* mask.c — masking of resident ID numbers and mobile numbers, alone or in free text,
 * and of names and addresses. */
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
    snprintf(out, n, "%s", text);
    sws_mask_numbers_in(out, strlen(out));
}

size_t sws_mask_numbers_in(char *text, size_t len)
{
    static const char *const patterns[2] = {"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])",
                                            "(?<![0-9])1[3-9][0-9]{9}(?![0-9])"};
    size_t masked = 0, ov[2];
    for (int pass = 0; pass < 2; pass++) {
        sws_re *re = sws_re_get(patterns[pass], NULL);
        size_t start = 0;
        while (re && start < len && sws_re_exec(re, text, len, start, ov, 1, NULL) == 1) {
            char m[19], number[19];
            memcpy(number, text + ov[0], ov[1] - ov[0]);
            number[ov[1] - ov[0]] = '\0';
            if (pass)
                sws_mask_mobile(number, m);
            else
                sws_mask_id_number(number, m);
            memcpy(text + ov[0], m, ov[1] - ov[0]);
            start = ov[1];
            masked++;
        }
    }
    return masked;
}

/* Bytes of the UTF-8 character that begins with byte c (1 for a stray byte). */
static size_t utf8_len(unsigned char c)
{
    return c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* Copies the first `keep` characters of s into out, then `stars` for each
 * further character (or once, when `per_char` is 0 and any remain). */
static void keep_chars(const char *s, size_t keep, int per_char, const char *stars, char *out,
                       size_t n)
{
    size_t i = 0, o = 0, chars = 0, len = strlen(s), slen = strlen(stars);
    int starred = 0;
    if (n == 0)
        return;
    while (i < len) {
        size_t c = utf8_len((unsigned char)s[i]);
        if (i + c > len)
            c = len - i;
        if (chars < keep) {
            if (o + c >= n)
                break;
            memcpy(out + o, s + i, c);
            o += c;
        } else if (per_char || !starred) {
            if (o + slen >= n)
                break;
            memcpy(out + o, stars, slen);
            o += slen;
            starred = 1;
        }
        i += c;
        chars++;
    }
    out[o] = '\0';
}

void sws_mask_name(const char *name, char *out, size_t n) { keep_chars(name, 1, 1, "*", out, n); }

void sws_mask_address(const char *address, char *out, size_t n)
{
    keep_chars(address, 6, 0, "****", out, n);
}
