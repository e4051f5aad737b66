/*
 * csvread.c — libcsv driven one physical line at a time.
 *
 * Only '\n' terminates a record (the term function), and '\r' counts as
 * trailing space, so CRLF and LF files read alike and each fed line ends at
 * most one record. That is what lets us give every record its line number
 * and check every line's encoding before the parser sees it.
 */
#include "csvread.h"

#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "validate.h"

struct sws_csv {
    FILE *f;
    const char *path;
    iconv_t conv;          /* to UTF-8, or (iconv_t)-1 for a UTF-8 file */
    const char *encoding;  /* its name for messages, e.g. "GB18030" */
    char *utf8;            /* a converted line */
    size_t utf8cap;
    int seen_utf8_text;    /* a line with valid non-ASCII UTF-8 has been read */
    struct csv_parser p;
    char *line;
    size_t linecap;
    long lineno;
    long long bytes, size;
    int in_record, done, eof;

    /* the record being built: fields packed into buf, NUL-separated */
    char *buf;
    size_t buflen, bufcap;
    size_t *off, *len;
    size_t n, cap;
    char **ptrs;
    size_t ptrcap;
    long start_line;
    char problem[160];
};

static int is_lf(unsigned char c) { return c == '\n'; }
static int is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\r'; }

static void on_field(void *s, size_t len, void *data)
{
    sws_csv *c = data;
    if (c->n == c->cap) {
        size_t nc = c->cap ? c->cap * 2 : 16;
        size_t *o = realloc(c->off, nc * sizeof *o);
        if (o)
            c->off = o;
        size_t *l = o ? realloc(c->len, nc * sizeof *l) : NULL;
        if (!l)
            goto oom;
        c->len = l;
        c->cap = nc;
    }
    if (c->buflen + len + 1 > c->bufcap) {
        size_t nc = c->bufcap ? c->bufcap : 256;
        while (nc < c->buflen + len + 1)
            nc *= 2;
        char *b = realloc(c->buf, nc);
        if (!b)
            goto oom;
        c->buf = b;
        c->bufcap = nc;
    }
    c->off[c->n] = c->buflen;
    c->len[c->n] = len;
    if (len)
        memcpy(c->buf + c->buflen, s, len);
    c->buf[c->buflen + len] = '\0';
    c->buflen += len + 1;
    c->n++;
    return;
oom:
    snprintf(c->problem, sizeof c->problem, "out of memory reading the record");
}

static void on_record(int term, void *data)
{
    (void)term;
    sws_csv *c = data;
    c->done = 1;
}

sws_csv *sws_csv_open(const char *path, sws_error *e)
{
    return sws_csv_open_encoded(path, NULL, e);
}

/* The iconv name of an encoding the user named, or NULL when unsupported. */
static const char *iconv_name(const char *encoding)
{
    if (!strcasecmp(encoding, "gbk") || !strcasecmp(encoding, "cp936"))
        return "GBK";
    if (!strcasecmp(encoding, "gb18030"))
        return "GB18030";
    return NULL;
}

sws_csv *sws_csv_open_encoded(const char *path, const char *encoding, sws_error *e)
{
    const char *from = NULL;
    if (encoding && strcasecmp(encoding, "utf-8") && strcasecmp(encoding, "utf8") &&
        !(from = iconv_name(encoding))) {
        sws_errorf(e, "--encoding %s: not one of gbk, gb18030, utf-8", encoding);
        return NULL;
    }
    sws_csv *c = calloc(1, sizeof *c);
    if (!c) {
        sws_errorf(e, "out of memory");
        return NULL;
    }
    c->path = path;
    c->conv = (iconv_t)-1;
    if (from && (c->conv = iconv_open("UTF-8", from)) == (iconv_t)-1) {
        sws_errorf(e, "cannot convert from %s: %s", from, strerror(errno));
        free(c);
        return NULL;
    }
    c->encoding = from;
    c->f = fopen(path, "rb");
    if (!c->f) {
        sws_errorf(e, "cannot open %s: %s", path, strerror(errno));
        if (c->conv != (iconv_t)-1)
            iconv_close(c->conv);
        free(c);
        return NULL;
    }
    struct stat sb;
    c->size = fstat(fileno(c->f), &sb) == 0 ? (long long)sb.st_size : -1;
    if (csv_init(&c->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        sws_errorf(e, "out of memory");
        fclose(c->f);
        if (c->conv != (iconv_t)-1)
            iconv_close(c->conv);
        free(c);
        return NULL;
    }
    csv_set_term_func(&c->p, is_lf);
    csv_set_space_func(&c->p, is_space);
    return c;
}

static void reset_record(sws_csv *c)
{
    c->n = 0;
    c->buflen = 0;
    c->done = 0;
    c->in_record = 0;
    c->problem[0] = '\0';
}

/* After a parse error the parser's state is unknown: start a fresh one. */
static void restart_parser(sws_csv *c)
{
    csv_free(&c->p);
    csv_init(&c->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
    csv_set_term_func(&c->p, is_lf);
    csv_set_space_func(&c->p, is_space);
}

static int fill_row(sws_csv *c, sws_csv_row *row, sws_error *e)
{
    if (c->n > c->ptrcap) {
        char **np = realloc(c->ptrs, c->cap * sizeof *np);
        if (!np)
            return sws_errorf(e, "out of memory");
        c->ptrs = np;
        c->ptrcap = c->cap;
    }
    for (size_t i = 0; i < c->n; i++)
        c->ptrs[i] = c->buf + c->off[i];
    row->line = c->start_line;
    row->n = c->n;
    row->field = c->ptrs;
    row->len = c->len;
    row->problem = c->problem[0] ? c->problem : NULL;
    return 1;
}

/* 1 when a line reads as Chinese text in GB18030: at least two
 * double-byte characters, and every byte converts cleanly. */
static int reads_as_gb18030(const char *text, size_t len)
{
    size_t high = 0;
    for (size_t i = 0; i < len; i++)
        high += (unsigned char)text[i] >= 0x80;
    if (high < 4)
        return 0;
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return 0;
    char out[512];
    char *in = (char *)text;
    size_t left = len;
    int ok = 1;
    while (left && ok) {
        char *o = out;
        size_t room = sizeof out;
        if (iconv(cd, &in, &left, &o, &room) == (size_t)-1 && errno != E2BIG)
            ok = 0;
    }
    iconv_close(cd);
    return ok;
}

/* Converts the line at *text to UTF-8 in c->utf8, pointing text and len at
 * it. Returns -1 when all converted, the byte offset of the first byte
 * that is not valid in the file's encoding (the rest is dropped), or -2
 * when out of memory. */
static long convert_line(sws_csv *c, char **text, size_t *len)
{
    if (c->utf8cap < 4 * *len + 4) {
        size_t cap = 4 * *len + 4;
        char *b = realloc(c->utf8, cap);
        if (!b)
            return -2;
        c->utf8 = b;
        c->utf8cap = cap;
    }
    iconv(c->conv, NULL, NULL, NULL, NULL);
    char *in = *text, *out = c->utf8;
    size_t left = *len, room = c->utf8cap - 1;
    long bad = -1;
    if (iconv(c->conv, &in, &left, &out, &room) == (size_t)-1)
        bad = (long)(in - *text);
    *text = c->utf8;
    *len = (size_t)(out - c->utf8);
    return bad;
}

int sws_csv_next(sws_csv *c, sws_csv_row *row, sws_error *e)
{
    reset_record(c);
    for (;;) {
        if (c->eof)
            return 0;
        errno = 0;
        ssize_t got = getline(&c->line, &c->linecap, c->f);
        if (got < 0) {
            if (ferror(c->f))
                return sws_errorf(e, "read error after line %ld: %s", c->lineno, strerror(errno));
            c->eof = 1;
            int rc = csv_fini(&c->p, on_field, on_record, c);
            if (rc != 0 && !c->problem[0])
                snprintf(c->problem, sizeof c->problem,
                         "a quoted field is never closed (missing \" before the end of the file)");
            if (c->done || c->problem[0])
                return fill_row(c, row, e);
            return 0;
        }
        c->lineno++;
        c->bytes += got;
        char *text = c->line;
        size_t len = (size_t)got;
        if (c->lineno == 1 && len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
            text += 3; /* UTF-8 byte order mark */
            len -= 3;
        }
        if (!c->in_record)
            c->start_line = c->lineno;

        if (c->conv != (iconv_t)-1) {
            long at = convert_line(c, &text, &len);
            if (at == -2)
                return sws_errorf(e, "out of memory");
            if (at >= 0 && !c->problem[0])
                snprintf(c->problem, sizeof c->problem, "line %ld is not valid %s at byte %ld",
                         c->lineno, c->encoding, at + 1);
            if (c->lineno == 1 && len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
                text += 3; /* the byte order mark, converted */
                len -= 3;
            }
        } else {
            long bad = sws_utf8_invalid_at(text, len);
            if (bad >= 0 && !c->seen_utf8_text && reads_as_gb18030(text, len))
                return sws_errorf(e, "%s:%ld: %sthis file looks like GB18030 (GBK), not UTF-8; "
                                  "add --encoding gb18030 (or save it as UTF-8)", c->path,
                                  c->lineno, c->lineno == 1 ? "header: " : "");
            if (bad >= 0 && !c->problem[0])
                snprintf(c->problem, sizeof c->problem,
                         "line %ld is not valid UTF-8 at byte %ld (a GBK/GB2312 file? save it "
                         "as UTF-8)", c->lineno, bad + 1);
            for (size_t i = 0; bad < 0 && i < len && !c->seen_utf8_text; i++)
                c->seen_utf8_text = (unsigned char)text[i] >= 0x80;
        }

        size_t used = csv_parse(&c->p, text, len, on_field, on_record, c);
        if (used < len) {
            if (!c->problem[0])
                snprintf(c->problem, sizeof c->problem,
                         "malformed quoting on line %ld (a \" inside an unquoted field, or "
                         "text after a closing quote; write \"\" for a quote inside quotes)",
                         c->lineno);
            restart_parser(c);
            return fill_row(c, row, e);
        }
        if (c->done)
            return fill_row(c, row, e);
        for (size_t i = 0; i < len && !c->in_record; i++)
            if (!is_space((unsigned char)text[i]) && text[i] != '\n')
                c->in_record = 1;
    }
}

long sws_csv_lines(const sws_csv *c) { return c->lineno; }
long long sws_csv_bytes_read(const sws_csv *c) { return c->bytes; }
long long sws_csv_size(const sws_csv *c) { return c->size; }

void sws_csv_close(sws_csv *c)
{
    if (!c)
        return;
    csv_free(&c->p);
    if (c->f)
        fclose(c->f);
    if (c->conv != (iconv_t)-1)
        iconv_close(c->conv);
    free(c->utf8);
    free(c->line);
    free(c->buf);
    free(c->off);
    free(c->len);
    free(c->ptrs);
    free(c);
}
