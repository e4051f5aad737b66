/* csvwrite.c — CSV cells safe from spreadsheet formulas (see csvwrite.h). */
#include "csvwrite.h"

#include <csv.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

/* "-5", "+3.25": a sign, digits, at most one point with digits after it. */
static int is_plain_number(const char *s)
{
    const char *p = s + 1; /* after the sign */
    int digits = 0, point = 0;
    for (; *p; p++) {
        if (*p >= '0' && *p <= '9')
            digits++;
        else if (*p == '.' && !point && digits)
            point = 1, digits = 0;
        else
            return 0;
    }
    return digits > 0;
}

int sws_csv_is_formula(const char *s)
{
    switch (s[0]) {
    case '=':
    case '@':
    case '\t':
    case '\r':
        return 1;
    case '+':
    case '-':
        return !is_plain_number(s);
    default:
        return 0;
    }
}

int sws_csv_put(FILE *out, const char *s)
{
    if (!sws_csv_is_formula(s))
        return csv_fwrite(out, s, strlen(s)) == 0 ? 0 : -1;
    /* quoted, with the apostrophe inside the quotes */
    if (fputs("\"'", out) == EOF)
        return -1;
    for (const char *p = s; *p; p++)
        if ((*p == '"' && fputc('"', out) == EOF) || fputc(*p, out) == EOF)
            return -1;
    return fputc('"', out) == EOF ? -1 : 0;
}

size_t sws_csv_cell(const char *s, size_t len, char *out)
{
    int quote =
        memchr(s, ',', len) || memchr(s, '"', len) || memchr(s, '\r', len) || memchr(s, '\n', len);
    size_t n = 0;
    if (quote)
        out[n++] = '"';
    if (len && sws_csv_is_formula(s))
        out[n++] = '\'';
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            out[n++] = '"';
        out[n++] = s[i];
    }
    if (quote)
        out[n++] = '"';
    return n;
}

FILE *sws_csv_create_private(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0)
        return NULL;
    if (fchmod(fd, 0600) != 0) { /* a file that already existed keeps its mode otherwise */
        close(fd);
        return NULL;
    }
    FILE *f = fdopen(fd, "w");
    if (!f)
        close(fd);
    return f;
}
