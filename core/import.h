/*
 * import.h — validated, all-or-nothing CSV import of the station domain.
 *
 * Each KIND (townships, workers, services, …) is a row of import_kinds.c:
 * its columns with their rules and the SQL that stores a row. Columns are
 * matched by header name (or a Chinese alias); a column the kind does not
 * know is an error unless the caller accepts it, and a column absent from
 * the header never clears a stored value. Dates in Excel's forms
 * (2023/3/7, 2023年3月7日) are stored as ISO dates. Every bad row
 * is reported as FILE:LINE: column 'NAME' "VALUE": RULE, and nothing is
 * written unless the whole file is valid — or, with a rejects file, the
 * good rows are written and the bad ones go to that file with their reasons.
 */
#ifndef SWS_IMPORT_H
#define SWS_IMPORT_H

#include <sqlite3.h>
#include <stdio.h>

#include "domain.h"
#include "error.h"

typedef enum sws_coltype {
    SWS_COL_TEXT,
    SWS_COL_INT,
    SWS_COL_REAL,
    SWS_COL_BOOL,
    SWS_COL_DATE,
    SWS_COL_MONTH,
    SWS_COL_COUNTY,    /* 6-digit division code */
    SWS_COL_TOWNSHIP,  /* 9-digit division code */
    SWS_COL_VILLAGE,   /* 12-digit division code */
    SWS_COL_ID_NUMBER, /* resident ID: stored masked, supplies :birth_date/:birth_year */
    SWS_COL_MOBILE,    /* mobile number: stored masked */
    SWS_COL_ENUM       /* one of a vocabulary, by code or Chinese label */
} sws_coltype;

enum { SWS_COL_REQUIRED = 1u << 0 };

typedef struct sws_column {
    const char *name;        /* header name, and the SQL parameter :name */
    sws_coltype type;
    unsigned flags;
    double min, max;         /* for INT and REAL */
    const sws_vocab *vocab;  /* for ENUM */
    const char *parent;      /* table whose `code` this value must name, or NULL */
    const char *doc;         /* one line for docs/import.md and `--help` */
} sws_column;

/* Read access to a row's values during a kind's cross-field check. */
typedef struct sws_import_row sws_import_row;
const char *sws_import_value(const sws_import_row *r, const char *column); /* "" when empty */

typedef struct sws_import_kind {
    const char *name;     /* the KIND of `sws import KIND` */
    const char *table;    /* main table written */
    const char *summary;
    const sws_column *cols;
    size_t ncols;
    const char *sql[3];   /* statements run per row, in order; NULL-terminated */
    /* Cross-field rule: NULL when fine, else the broken rule (may use buf). */
    const char *(*check)(const sws_import_row *r, char *buf, size_t n);
    const char *event;    /* event emitted per stored row (e.g. "worker.saved") */
} sws_import_kind;

extern const sws_import_kind sws_import_kinds[];
extern const size_t sws_import_kind_count;

const sws_import_kind *sws_import_find(const char *name);

/* A header name a spreadsheet may use for a column: a Chinese alias
 * (姓名 for name). An alias applies to every kind that has the column. */
typedef struct sws_header_alias {
    const char *alias;
    const char *column;
} sws_header_alias;

extern const sws_header_alias sws_header_aliases[]; /* ends with {NULL, NULL} */

/* The first alias of column, or NULL (for templates and help). */
const char *sws_header_alias_of(const char *column);

typedef struct sws_import_opts {
    /* --skip-bad: import good rows, write bad ones here. The file is
     * created new (never overwritten) with mode 0600, and may not be the
     * input, the database or its WAL/SHM/journal. */
    const char *rejects_path;
    const char *encoding;     /* --encoding: gbk, gb18030 or utf-8 (NULL: UTF-8, GBK detected) */
    int dry_run;              /* --dry-run: check every row, store nothing */
    int ignore_unknown;       /* --ignore-unknown: accept header columns the kind lacks */
    int allow_duplicates;     /* --allow-duplicates: append rows identical to stored ones */
    int as_of_year;           /* dates after this year + 1 are refused (0: this year) */
    FILE *diag;               /* where bad rows are listed (stderr) */
    int progress;             /* show a progress line on diag */
    long max_listed;          /* bad rows listed before "… and N more" (0 = all) */
    /* Called for each valid row before it is stored: NULL stores it, a
     * reason refuses it (the row is then bad). May be NULL. */
    const char *(*before_row)(void *ud, const sws_import_kind *k, const sws_import_row *row,
                              const char *path, long line);
    /* Called for each row once it is stored (inside the import's savepoint:
     * the caller decides what to do after the commit). May be NULL; when
     * set, rows are stored one at a time. */
    void (*stored_row)(void *ud, const sws_import_kind *k, const sws_import_row *row);
    void *ud;
} sws_import_opts;

typedef struct sws_import_result {
    long rows;      /* data records read */
    long imported;  /* rows stored */
    long rejected;  /* bad rows */
    long duplicates; /* rows of an appended kind identical to stored ones, skipped */
    long ignored_columns;
} sws_import_result;

/* Imports PATH as KIND into db. Returns 0 when rows were stored (all of them,
 * or the good ones under a rejects file; under dry_run, when the file was
 * read to the end: res says what would be stored), -1 when nothing was stored: a bad
 * row without a rejects file (e says how many; each was listed on diag), or
 * a file-level problem (missing column, unreadable file) in e. */
int sws_import_file(sqlite3 *db, const sws_import_kind *kind, const char *path,
                    const sws_import_opts *opts, sws_import_result *res, sws_error *e);

#endif
