/*
 * csvread.h — reading CSV files record by record, with line numbers.
 *
 * RFC 4180 parsing is libcsv's (strict mode); this file adds what an
 * importer needs around it: the line each record starts on (records may
 * span lines inside quotes), a UTF-8 check of every line, GBK/GB18030
 * files converted or detected, a UTF-8 BOM skipped, CRLF accepted, and recovery after a
 * malformed record so that every bad record of a file can be listed.
 */
#ifndef SWS_CSVREAD_H
#define SWS_CSVREAD_H

#include <stddef.h>

#include "error.h"

typedef struct sws_csv sws_csv;

typedef struct sws_csv_row {
    long line;        /* line on which the record starts (1-based) */
    size_t n;         /* number of fields */
    char **field;     /* NUL-terminated, trimmed of unquoted spaces */
    size_t *len;
    /* When not NULL, the record is unusable and this says why
     * ("not valid UTF-8 at byte 7 …", "malformed quoting …"). */
    const char *problem;
} sws_csv_row;

/* Opens PATH for reading. NULL with the reason in e. */
sws_csv *sws_csv_open(const char *path, sws_error *e);

/* Opens PATH written in encoding ("gbk", "gb18030" or "utf-8", any case;
 * NULL: UTF-8). Lines are converted to UTF-8 (glibc's iconv) as they are
 * read. A UTF-8 file whose first line with non-ASCII text reads as
 * GB18030 is refused once, as a file-level error that names the encoding
 * to give, rather than line by line. NULL with the reason in e. */
sws_csv *sws_csv_open_encoded(const char *path, const char *encoding, sws_error *e);

/* Reads the next record into *row (valid until the next call).
 * Returns 1 for a record, 0 at end of file, -1 on an I/O error (in e). */
int sws_csv_next(sws_csv *c, sws_csv_row *row, sws_error *e);

/* Lines read so far, and the file size and bytes read (for progress). */
long sws_csv_lines(const sws_csv *c);
long long sws_csv_bytes_read(const sws_csv *c);
long long sws_csv_size(const sws_csv *c);

void sws_csv_close(sws_csv *c);

#endif
