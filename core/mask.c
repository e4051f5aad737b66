/* mask.c — masking of resident ID numbers and mobile numbers, alone or in free text,
 * and of names and addresses. */
#include "mask.h"

#include <stdio.h>
#include <stdlib.h>
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

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* An ID number at s (s[-1] is no digit): 18 or 15 characters. Its length or 0. */
static size_t id_at(const char *s)
{
    size_t n = 0;
    while (n < 18 && is_digit(s[n]))
        n++;
    if (n == 17 && (s[17] == 'X' || s[17] == 'x'))
        n = 18;
    if ((n == 18 && !is_digit(s[18]) && !(s[18] >= 'A' && s[18] <= 'Z') &&
         !(s[18] >= 'a' && s[18] <= 'z')) ||
        (n == 15 && !is_digit(s[15])))
        return n;
    return 0;
}

/* A mobile number at s: 11 digits, one space or dash allowed between two
 * of them. Fills pos with where each digit is; returns the length or 0. */
static size_t mobile_at(const char *s, size_t pos[11])
{
    size_t i = 0;
    for (int d = 0; d < 11; d++) {
        if (d > 0 && (s[i] == ' ' || s[i] == '-') && is_digit(s[i + 1]))
            i++;
        if (!is_digit(s[i]))
            return 0;
        pos[d] = i++;
    }
    if (s[pos[0]] != '1' || s[pos[1]] < '3' || s[pos[1]] > '9' || is_digit(s[i]))
        return 0;
    return i;
}

int sws_mask_in_place(char *s)
{
    int masked = 0;
    for (size_t i = 0; s[i];) {
        if (i > 0 && is_digit(s[i - 1])) {
            i++;
            continue;
        }
        size_t n = id_at(s + i);
        if (n) {
            for (size_t k = 6; k < n - 4; k++)
                s[i + k] = '*';
            masked++;
            i += n;
            continue;
        }
        /* a +86 / 86 prefix, then the mobile number */
        size_t start = i;
        if (s[start] == '+')
            start++;
        if (s[start] == '8' && s[start + 1] == '6') {
            start += 2;
            if (s[start] == ' ' || s[start] == '-')
                start++;
        } else {
            start = i;
        }
        size_t pos[11];
        n = mobile_at(s + start, pos);
        if (!n && start != i)
            n = mobile_at(s + (start = i), pos);
        if (n) {
            for (int d = 3; d < 7; d++)
                s[start + pos[d]] = '*';
            masked++;
            i = start + n;
            continue;
        }
        i++;
    }
    return masked;
}

void sws_mask_text(const char *text, char *out, size_t n)
{
    snprintf(out, n, "%s", text);
    sws_mask_in_place(out);
}

size_t sws_mask_numbers_in(char *text, size_t len)
{
    /* sws_mask_in_place on a terminated copy: the text may hold NUL bytes */
    size_t masked = 0;
    char *copy = malloc(len + 1);
    if (copy) {
        memcpy(copy, text, len);
        copy[len] = '\0';
        masked = (size_t)sws_mask_in_place(copy);
        memcpy(text, copy, len);
        free(copy);
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
