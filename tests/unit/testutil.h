/*
 * testutil.h — helpers shared by the unit tests: a scratch folder that is
 * removed afterwards, files written into it, and a captured FILE * for
 * diagnostics. Header-only (static inline) so each test stays one file.
 */
#ifndef SWS_TESTUTIL_H
#define SWS_TESTUTIL_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Creates a fresh scratch folder; returns its malloc'd path (NULL on failure). */
static inline char *tu_mkdtemp(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/sws-unit-XXXXXX", base && base[0] ? base : "/tmp");
    if (!mkdtemp(tmpl))
        return NULL;
    return strdup(tmpl);
}

/* Removes a scratch folder made by tu_mkdtemp (it holds plain files only) and frees dir. */
static inline void tu_rmdir(char *dir)
{
    if (!dir)
        return;
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *de;
        char path[4096];
        while ((de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
            unlink(path);
        }
        closedir(d);
    }
    rmdir(dir);
    free(dir);
}

/* Writes DIR/NAME into out (n bytes) and returns out. */
static inline char *tu_path(char *out, size_t n, const char *dir, const char *name)
{
    snprintf(out, n, "%s/%s", dir, name);
    return out;
}

/* Writes `content` (exactly strlen bytes, no newline added) to path. 0 or -1. */
static inline int tu_write(const char *path, const char *content)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t len = strlen(content);
    int ok = fwrite(content, 1, len, f) == len;
    return (fclose(f) == 0 && ok) ? 0 : -1;
}

/* Reads a whole file into a malloc'd NUL-terminated string (NULL on failure). */
static inline char *tu_read(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t got;
    while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += got;
        if (len + 1 == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
        }
    }
    fclose(f);
    if (buf)
        buf[len] = '\0';
    return buf;
}

/* A FILE * whose output can be read back as a string (diagnostics). */
typedef struct tu_capture {
    FILE *f;
    char *buf;
    size_t len;
} tu_capture;

static inline int tu_capture_open(tu_capture *c)
{
    c->buf = NULL;
    c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
    return c->f ? 0 : -1;
}

/* The text written so far (valid until the next write or close). */
static inline const char *tu_capture_text(tu_capture *c)
{
    fflush(c->f);
    return c->buf ? c->buf : "";
}

static inline void tu_capture_close(tu_capture *c)
{
    if (c->f)
        fclose(c->f);
    free(c->buf);
    c->f = NULL;
    c->buf = NULL;
}

/* Counts the occurrences of needle in haystack. */
static inline int tu_count(const char *haystack, const char *needle)
{
    int n = 0;
    size_t len = strlen(needle);
    for (const char *p = haystack; len && (p = strstr(p, needle)) != NULL; p += len)
        n++;
    return n;
}

#endif
