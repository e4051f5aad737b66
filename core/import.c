/*
 * import.c — the import engine: header matching, per-cell validation,
 * cross-field rules, storage, and the all-or-nothing contract.
 *
 * One pass over the file inside one savepoint. Each good row is stored as
 * it is read, so constraint failures (a parent that does not exist, a
 * duplicate) are found in the same pass and reported with the row's line.
 * For speed, good rows of one-statement kinds wait in a batch of BATCH_ROWS
 * and are stored by one multi-row INSERT; a batch that a constraint refuses
 * is undone and stored row by row, and the batch is stored before any bad
 * row is listed, so the outcome and the messages are those of storing each
 * row as it is read.
 * At the end the savepoint is released only if no row was bad, or if the
 * caller asked for a rejects file; otherwise it is rolled back and the
 * database is as it was.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "import.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "aggregates.h"
#include "chores.h"
#include "csvwrite.h"
#include "csvread.h"
#include "db.h"
#include "mask.h"
#include "suggest.h"
#include "progress.h"
#include "text.h"
#include "validate.h"

#define MAX_COLS 32
#define MAX_PROBLEMS 16
/* Valid rows are stored BATCH_ROWS at a time by one multi-row INSERT: a
 * statement execution has a fixed cost (the CHECK constraints' IN lists are
 * built into temporary b-trees each time, for one) that this spreads. */
#define BATCH_ROWS 64

typedef struct cell {
    enum { CELL_NULL, CELL_INT, CELL_REAL, CELL_TEXT } type;
    long long i;
    double d;
    const char *s;
    char buf[24]; /* masked ID and phone numbers, derived birth dates */
} cell;

struct sws_import_row {
    const sws_import_kind *kind;
    const char *text[MAX_COLS];
};

/* A valid row waiting in the batch: a copy of its record (the reader reuses
 * its buffers), its values by column, and its cells ready to bind. */
typedef struct pending {
    sws_csv_row raw; /* points into data, field and len below */
    sws_import_row row;
    cell cells[MAX_COLS];
    char *data;
    size_t cap;
    char **field;
    size_t *len;
    size_t nfields;
} pending;

const char *sws_import_value(const sws_import_row *r, const char *column)
{
    for (size_t i = 0; i < r->kind->ncols; i++)
        if (strcmp(r->kind->cols[i].name, column) == 0)
            return r->text[i];
    return "";
}

const sws_import_kind *sws_import_find(const char *name)
{
    for (size_t i = 0; i < sws_import_kind_count; i++)
        if (strcmp(sws_import_kinds[i].name, name) == 0)
            return &sws_import_kinds[i];
    return NULL;
}

/* The state of one import, shared by the helpers below. */
typedef struct importer {
    sqlite3 *db;
    const sws_import_kind *kind;
    const char *path;
    const sws_import_opts *opts;
    sws_import_result *res;
    int map[MAX_COLS];               /* kind column -> file column, or -1 */
    char *sql[3];                    /* the kind's statements, absent columns kept */
    sqlite3_stmt *st[3];
    int param[3][MAX_COLS];          /* kind column -> parameter index per statement */
    sqlite3_stmt *sp_begin, *sp_undo, *sp_release; /* per-row savepoint, multi-statement kinds */
    sqlite3_stmt *batch;             /* st[0] with BATCH_ROWS value lists, or NULL */
    sqlite3_stmt *dup;               /* finds a stored row identical to a new one, or NULL */
    int dup_param[MAX_COLS];         /* kind column -> parameter of dup */
    pending *pend;                   /* BATCH_ROWS slots when batch is not NULL */
    int npend;                       /* valid rows waiting in pend */
    int birth_col, year_col;         /* kind columns birth_date and birth_year, or -1 */
    int last_year;                   /* the latest year a date may fall in */
    char **header;                   /* the header's names (for messages) */
    size_t header_n;
    FILE *rejects;
    int rejects_failed;              /* a write to the rejects file failed (errno kept) */
    int rejects_errno;
    char problems[MAX_PROBLEMS][384];
    int nproblems;
    long listed;
    sws_agg_import *agg;             /* the aggregates this import keeps, or NULL */
} importer;

/* Records that row is stored: counted as imported and in the aggregates. */
static void stored(importer *im, const sws_import_row *row)
{
    im->res->imported++;
    if (im->agg)
        sws_agg_import_row(im->agg, sws_import_value(row, "station"),
                           sws_import_value(row, "date"), sws_import_value(row, "domain"),
                           sws_import_value(row, "method"));
}

static void problem(importer *im, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(importer *im, const char *fmt, ...)
{
    if (im->nproblems >= MAX_PROBLEMS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(im->problems[im->nproblems++], sizeof im->problems[0], fmt, ap);
    va_end(ap);
}

/* How a value may appear in a message: personal numbers masked, long text cut. */
static void shown(const sws_column *col, const char *s, char *out, size_t n)
{
    if (col->type == SWS_COL_ID_NUMBER) {
        char m[19];
        sws_mask_id_number(s, m);
        snprintf(out, n, "%s", m);
    } else if (col->type == SWS_COL_MOBILE) {
        char m[12];
        sws_mask_mobile(s, m);
        snprintf(out, n, "%s", m);
    } else {
        size_t len = strlen(s), cut = len > 60 ? 60 : len;
        while (cut < len && cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
            cut--; /* never split a UTF-8 character */
        snprintf(out, n, "%.*s%s", (int)cut, s, cut < len ? "…" : "");
    }
}

/* A date column that records an event (every date but a birth date) must
 * fall between 1949 and the year after the as-of date. */
static const char *date_window(const sws_column *col, const char *iso, int last_year, char *buf,
                               size_t n)
{
    int y = atoi(iso);
    if (strcmp(col->name, "birth_date") == 0 || (y >= 1949 && y <= last_year))
        return NULL;
    snprintf(buf, n, "must fall between 1949-01-01 and %d-12-31 (the year after the as-of "
             "date); write it as YYYY-MM-DD", last_year);
    return buf;
}

/* Validates one non-empty value; fills the cell or returns the broken rule.
 * Dates and months in Excel's forms are written to the cell as ISO. */
static const char *validate_cell(const sws_column *col, const char *s, cell *c, char *birth,
                                 int last_year, char *buf, size_t n)
{
    const char *rule = NULL;
    c->type = CELL_TEXT;
    c->s = s;
    switch (col->type) {
    case SWS_COL_TEXT:
        break;
    case SWS_COL_INT:
        c->type = CELL_INT;
        rule = sws_valid_int(s, (long long)col->min, (long long)col->max, &c->i);
        break;
    case SWS_COL_REAL:
        c->type = CELL_REAL;
        rule = sws_valid_real(s, col->min, col->max, &c->d);
        break;
    case SWS_COL_BOOL: {
        int b = 0;
        rule = sws_valid_bool(s, &b);
        c->type = CELL_INT;
        c->i = b;
        break;
    }
    case SWS_COL_DATE:
        if (sws_date_from_excel(s, c->buf))
            c->s = c->buf;
        rule = sws_valid_date(c->s);
        if (!rule)
            rule = date_window(col, c->s, last_year, buf, n);
        break;
    case SWS_COL_MONTH:
        if (sws_month_from_excel(s, c->buf))
            c->s = c->buf;
        rule = sws_valid_month(c->s);
        if (!rule)
            rule = date_window(col, c->s, last_year, buf, n);
        break;
    case SWS_COL_COUNTY:
        rule = sws_valid_division_code(s, 6);
        break;
    case SWS_COL_TOWNSHIP:
        rule = sws_valid_division_code(s, 9);
        break;
    case SWS_COL_VILLAGE:
        rule = sws_valid_division_code(s, 12);
        break;
    case SWS_COL_ID_NUMBER:
        rule = sws_valid_id_number(s, birth);
        if (!rule) {
            sws_mask_id_number(s, c->buf);
            c->s = c->buf;
        }
        break;
    case SWS_COL_MOBILE: {
        char digits[12];
        rule = sws_valid_mobile(s, digits);
        if (!rule) {
            sws_mask_mobile(digits, c->buf);
            c->s = c->buf;
        }
        break;
    }
    case SWS_COL_ENUM: {
        const sws_term *t = sws_vocab_find(col->vocab, s);
        if (t) {
            c->s = t->code;
        } else {
            char list[512];
            snprintf(buf, n, "must be a %s: one of %s (or its Chinese name)", col->vocab->name,
                     sws_vocab_list(col->vocab, list, sizeof list));
            rule = buf;
        }
        break;
    }
    }
    return rule;
}

/* After a foreign-key failure, finds which parent is missing. */
static void explain_missing_parent(importer *im, const sws_import_row *row)
{
    for (size_t i = 0; i < im->kind->ncols; i++) {
        const sws_column *col = &im->kind->cols[i];
        if (!col->parent || !row->text[i][0])
            continue;
        char sql[128];
        snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE code = ?", col->parent);
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(im->db, sql, -1, &st, NULL) != SQLITE_OK)
            continue;
        sqlite3_bind_text(st, 1, row->text[i], -1, SQLITE_STATIC);
        int found = sqlite3_step(st) == SQLITE_ROW;
        sqlite3_finalize(st);
        if (!found) {
            char v[96];
            shown(col, row->text[i], v, sizeof v);
            problem(im, "column '%s' \"%s\": no such %s (rule: parent exists; import the %s "
                        "first)", col->name, v, col->parent, col->parent);
            return;
        }
    }
    problem(im, "refers to a record that does not exist (rule: parent exists)");
}

static void bind_cell(sqlite3_stmt *st, int idx, const cell *c)
{
    if (idx <= 0)
        return;
    switch (c->type) {
    case CELL_NULL: sqlite3_bind_null(st, idx); break;
    case CELL_INT: sqlite3_bind_int64(st, idx, c->i); break;
    case CELL_REAL: sqlite3_bind_double(st, idx, c->d); break;
    /* Static: the text (in the record, the cell or a vocabulary) outlives
     * the statement's step, and every binding is replaced before the next. */
    case CELL_TEXT: sqlite3_bind_text(st, idx, c->s, -1, SQLITE_STATIC); break;
    }
}

/* Stores a valid row. Returns 0 stored, 1 refused by a constraint (problem
 * recorded), -1 on a database failure that ends the import (in e). */
static int store_row(importer *im, const sws_import_row *row, const cell *cells, sws_error *e)
{
    int multi = im->st[1] != NULL;
    if (multi && sqlite3_step(im->sp_begin) != SQLITE_DONE)
        return sws_errorf(e, "%s", sqlite3_errmsg(im->db));
    if (multi)
        sqlite3_reset(im->sp_begin);
    for (int s = 0; s < 3 && im->st[s]; s++) {
        sqlite3_stmt *st = im->st[s];
        for (size_t i = 0; i < im->kind->ncols; i++)
            bind_cell(st, im->param[s][i], &cells[i]);
        int rc = sqlite3_step(st);
        sqlite3_reset(st); /* no clear_bindings: each row rebinds every parameter */
        if (rc == SQLITE_DONE)
            continue;
        if ((rc & 0xff) != SQLITE_CONSTRAINT)
            return sws_errorf(e, "%s", sqlite3_errmsg(im->db));
        if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
            explain_missing_parent(im, row);
        else if (rc == SQLITE_CONSTRAINT_PRIMARYKEY || rc == SQLITE_CONSTRAINT_UNIQUE)
            problem(im, "repeats a record that is already stored (rule: unique key: %s)",
                    sqlite3_errmsg(im->db));
        else
            problem(im, "refused by the data model (%s)", sqlite3_errmsg(im->db));
        if (multi) {
            sqlite3_step(im->sp_undo);
            sqlite3_reset(im->sp_undo);
        }
        return 1;
    }
    if (multi) {
        sqlite3_step(im->sp_release);
        sqlite3_reset(im->sp_release);
    }
    return 0;
}

/* Notes a failed write to the rejects file (the first failure's errno). */
static void rejects_failed(importer *im)
{
    if (!im->rejects_failed)
        im->rejects_errno = errno;
    im->rejects_failed = 1;
}

/* Writes one field to the rejects file, quoted, whole (NUL bytes too),
 * followed by sep unless sep is 0. */
static void reject_field(importer *im, const char *v, size_t len, int sep)
{
    int bad;
    if (strlen(v) == len) /* what a spreadsheet would run gets an apostrophe (csvwrite.h) */
        bad = sws_csv_put(im->rejects, v) != 0;
    else if (sws_csv_is_formula(v)) {
        bad = fputs("\"'", im->rejects) == EOF;
        for (size_t i = 0; i < len && !bad; i++)
            bad = (v[i] == '"' && fputc('"', im->rejects) == EOF) ||
                  fputc((unsigned char)v[i], im->rejects) == EOF;
        bad = bad || fputc('"', im->rejects) == EOF;
    }
    else
        bad = csv_fwrite(im->rejects, v, len) != 0;
    if (bad || (sep && fputc(sep, im->rejects) == EOF))
        rejects_failed(im);
}

/* Writes a bad row: its line, the fields under the header's columns, the
 * reason, then any fields past the header, so that nothing of it is lost. */
static void write_reject(importer *im, const sws_csv_row *r, size_t header_n)
{
    if (!im->rejects || im->rejects_failed)
        return;
    if (fprintf(im->rejects, "%ld,", r->line) < 0) {
        rejects_failed(im);
        return;
    }
    for (size_t i = 0; i < header_n; i++)
        reject_field(im, i < r->n ? r->field[i] : "", i < r->n ? r->len[i] : 0, ',');
    char reason[MAX_PROBLEMS * 384] = "";
    for (int i = 0; i < im->nproblems; i++) {
        if (i)
            strncat(reason, "; ", sizeof reason - strlen(reason) - 1);
        strncat(reason, im->problems[i], sizeof reason - strlen(reason) - 1);
    }
    reject_field(im, reason, strlen(reason), 0);
    for (size_t i = header_n; i < r->n; i++) {
        if (fputc(',', im->rejects) == EOF)
            rejects_failed(im);
        reject_field(im, r->field[i], r->len[i], 0);
    }
    if (fputc('\n', im->rejects) == EOF)
        rejects_failed(im);
}

static void list_problems(importer *im, long line)
{
    FILE *d = im->opts->diag;
    for (int i = 0; i < im->nproblems; i++, im->listed++)
        if (d && (!im->opts->max_listed || im->listed < im->opts->max_listed)) {
            char msg[1200]; /* a personal number typed in any column is shown masked */
            snprintf(msg, sizeof msg, "%s:%ld: %s", im->path, line, im->problems[i]);
            sws_mask_in_place(msg);
            fprintf(d, "%s\n", msg);
        }
}

/* Counts a bad row, lists its problems and writes it to the rejects file. */
static void reject_row(importer *im, const sws_csv_row *r, size_t header_n)
{
    im->res->rejected++;
    list_problems(im, r->line);
    write_reject(im, r, header_n);
}

/* Copies a record into a batch slot. */
static int keep_record(pending *p, const sws_csv_row *r)
{
    size_t need = 0;
    for (size_t f = 0; f < r->n; f++)
        need += r->len[f] + 1;
    if (need > p->cap) {
        size_t cap = need > 2 * p->cap ? need : 2 * p->cap;
        char *d = realloc(p->data, cap);
        if (!d)
            return -1;
        p->data = d;
        p->cap = cap;
    }
    if (r->n > p->nfields) {
        char **fp = realloc(p->field, r->n * sizeof *fp);
        if (fp)
            p->field = fp;
        size_t *lp = fp ? realloc(p->len, r->n * sizeof *lp) : NULL;
        if (!lp)
            return -1;
        p->len = lp;
        p->nfields = r->n;
    }
    char *d = p->data;
    for (size_t f = 0; f < r->n; f++) {
        memcpy(d, r->field[f], r->len[f] + 1);
        p->field[f] = d;
        p->len[f] = r->len[f];
        d += r->len[f] + 1;
    }
    p->raw = (sws_csv_row){.line = r->line, .n = r->n, .field = p->field, .len = p->len};
    return 0;
}

/* Stores the rows waiting in the batch. A full batch goes in one statement;
 * if a constraint refuses it, SQLite undoes that statement and the rows are
 * stored one by one instead, as a short final batch is, so that each bad
 * row is found and reported with its own line. Returns 0, or -1 on a
 * failure that ends the import. */
static int flush(importer *im, sws_error *e)
{
    int n = im->npend;
    size_t ncols = im->kind->ncols;
    im->npend = 0;
    if (n == BATCH_ROWS && im->batch) {
        for (int k = 0; k < n; k++)
            for (size_t i = 0; i < ncols; i++)
                if (im->param[0][i] > 0)
                    bind_cell(im->batch, k * (int)ncols + (int)i + 1, &im->pend[k].cells[i]);
        int rc = sqlite3_step(im->batch);
        if (rc != SQLITE_DONE && (rc & 0xff) != SQLITE_CONSTRAINT)
            sws_errorf(e, "%s", sqlite3_errmsg(im->db));
        sqlite3_reset(im->batch);
        if (rc == SQLITE_DONE) {
            for (int k = 0; k < n; k++)
                stored(im, &im->pend[k].row);
            return 0;
        }
        if ((rc & 0xff) != SQLITE_CONSTRAINT)
            return -1;
    }
    for (int k = 0; k < n; k++) {
        pending *p = &im->pend[k];
        im->nproblems = 0;
        int rc = store_row(im, &p->row, p->cells, e);
        if (rc < 0)
            return -1;
        if (rc == 0)
            stored(im, &p->row);
        else
            reject_row(im, &p->raw, p->raw.n);
    }
    return 0;
}

static int is_duplicate(importer *im, const cell *cells);

/* Checks one data record and stores it if it is good. Returns 0, or -1 on a
 * failure that ends the import. */
static int import_record(importer *im, const sws_csv_row *r, size_t header_n, sws_error *e)
{
    const sws_import_kind *k = im->kind;
    sws_import_row one_row = {.kind = k}, *row = &one_row;
    cell one_cells[MAX_COLS], *cells = one_cells;
    pending *p = NULL;
    char birth[11] = "", rulebuf[640];
    const int birth_col = im->birth_col, year_col = im->year_col;
    im->nproblems = 0;

    /* When rows are batched, a well-formed record is checked in the next
     * free slot, from a copy that can wait there until the batch is stored. */
    if (im->pend && !r->problem && r->n == header_n) {
        p = &im->pend[im->npend];
        if (keep_record(p, r) < 0)
            return sws_errorf(e, "out of memory");
        r = &p->raw;
        row = &p->row;
        cells = p->cells;
    }

    if (r->problem)
        problem(im, "%s", r->problem);
    else if (r->n != header_n)
        problem(im, "has %zu fields but the header has %zu (a missing or extra comma?)", r->n,
                header_n);
    for (size_t f = 0; f < r->n && !r->problem; f++)
        if (strlen(r->field[f]) != r->len[f])
            problem(im, "column %zu ('%s') holds a NUL byte at byte %zu of the field (rule: "
                        "text has no NUL bytes; a UTF-16 file? save it as UTF-8)", f + 1,
                    f < im->header_n ? im->header[f] : "past the header",
                    strlen(r->field[f]) + 1);

    for (size_t i = 0; i < k->ncols && !r->problem; i++) {
        const sws_column *col = &k->cols[i];
        int f = im->map[i];
        const char *s = (f >= 0 && (size_t)f < r->n) ? r->field[f] : "";
        row->text[i] = s;
        cells[i].type = CELL_NULL;
        if (!s[0]) {
            if (col->flags & SWS_COL_REQUIRED)
                problem(im, "column '%s' is empty (rule: required)", col->name);
            continue;
        }
        const char *rule = validate_cell(col, s, &cells[i], birth, im->last_year, rulebuf,
                                         sizeof rulebuf);
        if (col->type == SWS_COL_DATE || col->type == SWS_COL_MONTH)
            row->text[i] = cells[i].s; /* the ISO form, for cross-field rules */
        if (rule) {
            char v[96];
            shown(col, s, v, sizeof v);
            problem(im, "column '%s' \"%s\": %s", col->name, v, rule);
        }
    }
    if (r->problem)
        for (size_t i = 0; i < k->ncols; i++)
            row->text[i] = "";

    /* An ID number's birth date fills an empty birth date (or year) and
     * must agree with one that is given. */
    if (!im->nproblems && birth[0]) {
        if (birth_col >= 0 && cells[birth_col].type == CELL_NULL) {
            snprintf(cells[birth_col].buf, sizeof cells[birth_col].buf, "%s", birth);
            cells[birth_col].type = CELL_TEXT;
            cells[birth_col].s = cells[birth_col].buf;
        } else if (birth_col >= 0 && strcmp(cells[birth_col].s, birth) != 0) {
            problem(im, "column 'birth_date' \"%s\" differs from the birth date in the ID "
                        "number (rule: consistent identity)", cells[birth_col].s);
        }
        if (year_col >= 0 && cells[year_col].type == CELL_NULL) {
            cells[year_col].type = CELL_INT;
            cells[year_col].i = atoi(birth);
        } else if (year_col >= 0 && cells[year_col].i != atoi(birth)) {
            problem(im, "column 'birth_year' \"%lld\" differs from the birth year in the ID "
                        "number (rule: consistent identity)", cells[year_col].i);
        }
    }
    if (!im->nproblems && k->check) {
        const char *rule = k->check(row, rulebuf, sizeof rulebuf);
        if (rule)
            problem(im, "%s", rule);
    }
    if (!im->nproblems && im->opts->before_row) {
        const char *why = im->opts->before_row(im->opts->ud, k, row, im->path, r->line);
        if (why)
            problem(im, "%s", why);
    }
    if (!im->nproblems && is_duplicate(im, cells)) {
        if (im->opts->diag && im->res->duplicates < 10)
            fprintf(im->opts->diag, "%s:%ld: identical to a row already stored; skipped "
                    "(--allow-duplicates stores it again)\n", im->path, r->line);
        im->res->duplicates++;
        return 0;
    }
    if (!im->nproblems && p)
        return ++im->npend == BATCH_ROWS ? flush(im, e) : 0;
    if (!im->nproblems) {
        int rc = store_row(im, row, cells, e);
        if (rc < 0)
            return -1;
        if (rc == 0) {
            stored(im, row);
            if (im->opts->stored_row)
                im->opts->stored_row(im->opts->ud, k, row);
            return 0;
        }
    }
    /* A bad row. The rows waiting before it are stored (or reported) first,
     * so that problems are listed in line order; its own are kept aside. */
    if (im->npend) {
        char held[MAX_PROBLEMS][sizeof im->problems[0]];
        int n = im->nproblems;
        memcpy(held, im->problems, (size_t)n * sizeof held[0]);
        if (flush(im, e) < 0)
            return -1;
        memcpy(im->problems, held, (size_t)n * sizeof held[0]);
        im->nproblems = n;
    }
    reject_row(im, r, header_n);
    return 0;
}

/* The column a header cell names: "phone", an alias ("手机"), or both
 * forms as templates write them ("手机(phone)", full-width brackets too).
 * Returns the column name (in buf when it had to be cut out), or the cell. */
static const char *header_column(const char *name, char *buf, size_t n)
{
    const char *open = strrchr(name, '(');
    size_t olen = 1;
    const char *wide = strstr(name, "（");
    if (wide && (!open || wide > open)) {
        open = wide;
        olen = strlen("（");
    }
    if (open) {
        const char *inner = open + olen;
        size_t len = strcspn(inner, ")）");
        if (len && len < n && inner[len]) {
            memcpy(buf, inner, len);
            buf[len] = '\0';
            return buf;
        }
    }
    for (const sws_header_alias *a = sws_header_aliases; a->alias; a++)
        if (strcmp(a->alias, name) == 0)
            return a->column;
    return name;
}

/* Matches the header against the kind's columns. */
static int read_header(importer *im, sws_csv *csv, size_t *header_n, sws_error *e)
{
    sws_csv_row h;
    int rc = sws_csv_next(csv, &h, e);
    if (rc < 0)
        return -1;
    if (rc == 0)
        return sws_errorf(e, "%s: the file is empty; expected a header line naming the columns",
                          im->path);
    if (h.problem)
        return sws_errorf(e, "%s:%ld: header: %s", im->path, h.line, h.problem);
    *header_n = h.n;
    if (!(im->header = calloc(h.n ? h.n : 1, sizeof *im->header)))
        return sws_errorf(e, "out of memory");
    im->header_n = h.n;
    for (size_t f = 0; f < h.n; f++) {
        if (strlen(h.field[f]) != h.len[f])
            return sws_errorf(e, "%s:%ld: header: column %zu holds a NUL byte (a UTF-16 file? "
                              "save it as UTF-8)", im->path, h.line, f + 1);
        if (!(im->header[f] = strdup(h.field[f])))
            return sws_errorf(e, "out of memory");
    }

    char missing[512] = "";
    int nmissing = 0;
    for (size_t i = 0; i < im->kind->ncols; i++) {
        im->map[i] = -1;
        for (size_t f = 0; f < h.n; f++) {
            char canon[128];
            if (strcmp(header_column(h.field[f], canon, sizeof canon), im->kind->cols[i].name))
                continue;
            if (im->map[i] >= 0)
                return sws_errorf(e, "%s:%ld: header: column '%s' appears twice ('%s' and "
                                  "'%s')", im->path, h.line, im->kind->cols[i].name,
                                  h.field[im->map[i]], h.field[f]);
            im->map[i] = (int)f;
        }
        if (im->map[i] < 0 && (im->kind->cols[i].flags & SWS_COL_REQUIRED)) {
            snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s",
                     missing[0] ? ", " : "", im->kind->cols[i].name);
            nmissing++;
        }
    }
    char unknown[1024] = "";
    int nunknown = 0;
    for (size_t f = 0; f < h.n; f++) {
        int known = 0;
        for (size_t i = 0; i < im->kind->ncols; i++)
            known |= im->map[i] == (int)f;
        if (known)
            continue;
        im->res->ignored_columns++;
        /* A rejects file's own first and last columns: it can be fixed and imported. */
        if ((f == 0 && strcmp(h.field[f], "line") == 0) ||
            (f == h.n - 1 && strcmp(h.field[f], "reason") == 0) || im->opts->ignore_unknown)
            continue;
        sws_suggest sg;
        char hint[160];
        sws_suggest_init(&sg, h.field[f]);
        for (size_t i = 0; i < im->kind->ncols; i++) {
            sws_suggest_offer(&sg, im->kind->cols[i].name);
            for (const sws_header_alias *a = sws_header_aliases; a->alias; a++)
                if (strcmp(a->column, im->kind->cols[i].name) == 0)
                    sws_suggest_offer(&sg, a->alias);
        }
        snprintf(unknown + strlen(unknown), sizeof unknown - strlen(unknown), "%s'%s'%s",
                 unknown[0] ? ", " : "", h.field[f], sws_suggest_hint(&sg, hint, sizeof hint));
        nunknown++;
    }
    if (unknown[0])
        return sws_errorf(e, "%s:%ld: header: unknown %s %s for %s; nothing was imported "
                          "(`sws import %s --help` lists the columns; --ignore-unknown imports "
                          "without %s)", im->path, h.line,
                          sws_plural(nunknown, "column", "columns"), unknown, im->kind->name,
                          im->kind->name, sws_plural(nunknown, "it", "them"));
    if (missing[0])
        return sws_errorf(e, "%s:%ld: header: required %s missing: %s (see `sws import "
                          "%s --help`)", im->path, h.line,
                          sws_plural(nmissing, "column", "columns"), missing, im->kind->name);
    if (im->rejects) {
        if (fputs("line,", im->rejects) == EOF)
            rejects_failed(im);
        for (size_t f = 0; f < h.n; f++)
            reject_field(im, h.field[f], strlen(h.field[f]), ',');
        if (fputs("reason\n", im->rejects) == EOF)
            rejects_failed(im);
    }
    return 0;
}

/* Writes the kind's one INSERT … VALUES(…) … with BATCH_ROWS value lists,
 * each :name of list r turned into ?N, N = r * ncols + column + 1. NULL (rows
 * are then stored one by one) when the statement is not of that form. */
static char *batch_sql(const sws_import_kind *k, const char *sql)
{
    const char *v = strstr(sql, "VALUES("), *open, *close = NULL;
    if (!v)
        return NULL;
    open = v + strlen("VALUES");
    int depth = 0;
    for (const char *c = open; *c && !close; c++) {
        if (*c == '\'' && !(c = strchr(c + 1, '\'')))
            return NULL; /* skip string literals ('' is two of them) */
        else if (*c == '(')
            depth++;
        else if (*c == ')' && --depth == 0)
            close = c;
    }
    if (!close || strchr(close, ':')) /* parameters after the list: not batchable */
        return NULL;
    /* ":a" (2 bytes) becomes at most "?2048" (5): 3 bytes per byte is enough. */
    size_t head = (size_t)(open - sql), list = (size_t)(close + 1 - open);
    char *out = malloc(head + BATCH_ROWS * (3 * list + 1) + strlen(close + 1) + 1), *o = out;
    if (!out)
        return NULL;
    memcpy(o, sql, head);
    o += head;
    for (int r = 0; r < BATCH_ROWS; r++) {
        if (r)
            *o++ = ',';
        for (const char *c = open; c <= close;) {
            if (*c == '\'') { /* a literal, copied whole */
                const char *end = strchr(c + 1, '\'') + 1;
                memcpy(o, c, (size_t)(end - c));
                o += end - c;
                c = end;
                continue;
            }
            if (*c != ':') {
                *o++ = *c++;
                continue;
            }
            size_t n = 1;
            while (c[n] == '_' || (c[n] >= 'a' && c[n] <= 'z') || (c[n] >= 'A' && c[n] <= 'Z') ||
                   (c[n] >= '0' && c[n] <= '9'))
                n++;
            size_t col = 0;
            while (col < k->ncols && !(strlen(k->cols[col].name) == n - 1 &&
                                       strncmp(k->cols[col].name, c + 1, n - 1) == 0))
                col++;
            if (col == k->ncols) {
                free(out);
                return NULL;
            }
            o += sprintf(o, "?%zu", (size_t)r * k->ncols + col + 1);
            c += n;
        }
    }
    strcpy(o, close + 1);
    return out;
}

/* Splits the parenthesised list that starts at open into its top-level
 * items: start and length of each, up to max. Returns the count, -1 when
 * the list does not close. */
static int split_list(const char *open, const char **item, size_t *len, int max)
{
    int depth = 0, n = 0;
    const char *start = open + 1;
    for (const char *c = open; *c; c++) {
        if (*c == '\'' && !(c = strchr(c + 1, '\'')))
            return -1;
        if (*c == '(') {
            depth++;
        } else if ((*c == ',' && depth == 1) || (*c == ')' && --depth == 0)) {
            while (*start == ' ')
                start++;
            if (n < max) {
                item[n] = start;
                len[n] = (size_t)(c - start);
                while (len[n] && start[len[n] - 1] == ' ')
                    len[n]--;
                n++;
            }
            start = c + 1;
            if (depth == 0)
                return n;
        }
    }
    return -1;
}

/* 1 when the kind column named by `name` (len bytes) is absent from the
 * file's header and is not derived from another column (a birth date from
 * the ID number). */
static int absent_column(const importer *im, const char *name, size_t len)
{
    const sws_import_kind *k = im->kind;
    int has_id = 0;
    for (size_t i = 0; i < k->ncols; i++)
        has_id |= k->cols[i].type == SWS_COL_ID_NUMBER && im->map[i] >= 0;
    for (size_t i = 0; i < k->ncols; i++)
        if (strlen(k->cols[i].name) == len && strncmp(k->cols[i].name, name, len) == 0)
            return im->map[i] < 0 && !(has_id && (strcmp(k->cols[i].name, "birth_date") == 0 ||
                                                  strcmp(k->cols[i].name, "birth_year") == 0));
    return 0;
}

/* Rewrites an upsert so that a column the file does not have keeps its
 * stored value: after DO UPDATE SET, "excluded.c" becomes "c" for each
 * table column c whose value is made of one absent :column alone. Returns a malloc'd
 * statement (a copy when nothing changes), NULL when out of memory. */
static char *keep_absent(const importer *im, const char *sql)
{
    char *out = strdup(sql);
    const char *into = strstr(sql, "INSERT INTO "), *values = strstr(sql, "VALUES(");
    char *set = out ? strstr(out, "DO UPDATE SET") : NULL;
    const char *cols_open = into ? strchr(into, '(') : NULL;
    if (!set || !values || !cols_open || cols_open > values)
        return out;
    const char *col[MAX_COLS * 2], *val[MAX_COLS * 2];
    size_t col_len[MAX_COLS * 2], val_len[MAX_COLS * 2];
    int ncol = split_list(cols_open, col, col_len, MAX_COLS * 2);
    int nval = split_list(values + strlen("VALUES"), val, val_len, MAX_COLS * 2);
    for (int i = 0; i < ncol && i < nval; i++) {
        /* the value's one :parameter (":phone", "coalesce(:hired_via, 'direct')") */
        const char *param = NULL;
        size_t plen = 0;
        int params = 0;
        for (size_t k = 0; k < val_len[i]; k++)
            if (val[i][k] == ':') {
                params++;
                param = val[i] + k + 1;
                for (plen = 0; k + 1 + plen < val_len[i] &&
                               (param[plen] == '_' || (param[plen] >= 'a' && param[plen] <= 'z') ||
                                (param[plen] >= '0' && param[plen] <= '9'));
                     plen++)
                    ;
            }
        if (params != 1 || !absent_column(im, param, plen))
            continue;
        char from[80];
        snprintf(from, sizeof from, "excluded.%.*s", (int)col_len[i], col[i]);
        size_t flen = strlen(from);
        for (char *p = strstr(set, from); p; p = strstr(p, from)) {
            char after = p[flen];
            if (after == '_' || (after >= 'a' && after <= 'z') || (after >= '0' && after <= '9')) {
                p += flen;
                continue;
            }
            memmove(p, p + strlen("excluded."), strlen(p + strlen("excluded.")) + 1);
        }
    }
    return out;
}

/* For a kind that appends (one plain INSERT), prepares the query that
 * finds a row stored before this import identical to a new one:
 * SELECT 1 FROM t WHERE rowid <= (its rowid now) AND c1 IS (v1) AND … */
static int prepare_duplicates(importer *im, sws_error *e)
{
    const char *sql = im->sql[0], *into = strstr(sql, "INSERT INTO "),
               *values = strstr(sql, "VALUES(");
    const char *cols_open = into ? strchr(into, '(') : NULL;
    if (!into || !values || !cols_open || cols_open > values || strstr(sql, "ON CONFLICT") ||
        im->kind->sql[1])
        return 0; /* not an appended kind: rows are updated by key */
    const char *col[MAX_COLS * 2], *val[MAX_COLS * 2];
    size_t col_len[MAX_COLS * 2], val_len[MAX_COLS * 2];
    int ncol = split_list(cols_open, col, col_len, MAX_COLS * 2);
    int nval = split_list(values + strlen("VALUES"), val, val_len, MAX_COLS * 2);
    if (ncol <= 0 || ncol != nval)
        return 0;
    const char *table = into + strlen("INSERT INTO ");
    size_t tlen = (size_t)(cols_open - table), cap = strlen(sql) * 3 + 256, used = 0;
    char *q = malloc(cap);
    if (!q)
        return sws_errorf(e, "out of memory");
    char maxq[160];
    snprintf(maxq, sizeof maxq, "SELECT coalesce(max(rowid), 0) FROM %.*s", (int)tlen, table);
    long long max_rowid = sws_db_count(im->db, maxq);
    used += (size_t)snprintf(q + used, cap - used, "SELECT 1 FROM %.*s WHERE rowid <= %lld",
                             (int)tlen, table, max_rowid);
    for (int i = 0; i < ncol; i++)
        used += (size_t)snprintf(q + used, cap - used, " AND %.*s IS (%.*s)", (int)col_len[i],
                                 col[i], (int)val_len[i], val[i]);
    snprintf(q + used, cap - used, " LIMIT 1");
    int rc = max_rowid > 0 ? sws_db_prepare(im->db, q, &im->dup, e) : 0;
    free(q);
    for (size_t i = 0; im->dup && i < im->kind->ncols; i++) {
        char pname[64];
        snprintf(pname, sizeof pname, ":%s", im->kind->cols[i].name);
        im->dup_param[i] = sqlite3_bind_parameter_index(im->dup, pname);
    }
    return rc;
}

/* 1 when a valid row is identical to one stored before this import. */
static int is_duplicate(importer *im, const cell *cells)
{
    if (!im->dup)
        return 0;
    for (size_t i = 0; i < im->kind->ncols; i++)
        bind_cell(im->dup, im->dup_param[i], &cells[i]);
    int found = sqlite3_step(im->dup) == SQLITE_ROW;
    sqlite3_reset(im->dup);
    return found;
}

static int prepare(importer *im, sws_error *e)
{
    im->birth_col = im->year_col = -1;
    for (size_t i = 0; i < im->kind->ncols; i++) {
        if (strcmp(im->kind->cols[i].name, "birth_date") == 0)
            im->birth_col = (int)i;
        if (strcmp(im->kind->cols[i].name, "birth_year") == 0)
            im->year_col = (int)i;
    }
    for (int s = 0; s < 3 && im->kind->sql[s]; s++) {
        if (!(im->sql[s] = keep_absent(im, im->kind->sql[s])))
            return sws_errorf(e, "out of memory");
        if (sws_db_prepare(im->db, im->sql[s], &im->st[s], e) < 0)
            return -1;
        for (size_t i = 0; i < im->kind->ncols; i++) {
            char pname[64];
            snprintf(pname, sizeof pname, ":%s", im->kind->cols[i].name);
            im->param[s][i] = sqlite3_bind_parameter_index(im->st[s], pname);
        }
    }
    if (!im->opts->allow_duplicates && prepare_duplicates(im, e) < 0)
        return -1;
    if (im->st[1] &&
        (sws_db_prepare(im->db, "SAVEPOINT sws_import_row", &im->sp_begin, e) < 0 ||
         sws_db_prepare(im->db, "ROLLBACK TO sws_import_row", &im->sp_undo, e) < 0 ||
         sws_db_prepare(im->db, "RELEASE sws_import_row", &im->sp_release, e) < 0))
        return -1;

    /* Batches are for one-statement kinds, and not when a plugin sees each
     * row before it is stored (it may look in the database for the rows
     * before it). Without a batch statement, rows are stored one by one. */
    int max_params = sqlite3_limit(im->db, SQLITE_LIMIT_VARIABLE_NUMBER, -1);
    if (im->st[1] || im->opts->before_row || im->opts->stored_row || BATCH_ROWS * im->kind->ncols > (size_t)max_params)
        return 0;
    char *sql = batch_sql(im->kind, im->sql[0]);
    if (sql && sqlite3_prepare_v2(im->db, sql, -1, &im->batch, NULL) == SQLITE_OK &&
        (im->pend = calloc(BATCH_ROWS, sizeof *im->pend))) {
        for (int r = 0; r < BATCH_ROWS; r++)
            im->pend[r].row.kind = im->kind;
    } else {
        sqlite3_finalize(im->batch);
        im->batch = NULL;
    }
    free(sql);
    return 0;
}

/* The progress bar on stderr (progress.h), by bytes of the file read. */
static void show_progress(const importer *im, const sws_csv *csv, int done)
{
    if (!im->opts->progress)
        return;
    if (done) {
        sws_progress_done();
        return;
    }
    char label[64];
    snprintf(label, sizeof label, "import %s %ld rows", im->kind->name, im->res->rows);
    sws_progress(label, (long)(sws_csv_bytes_read(csv) >> 10), (long)(sws_csv_size(csv) >> 10));
}

/* 1 when a and b name the same existing file. */
static int same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* The absolute form of path (its folder resolved), for comparing names of
 * files that may not exist yet. */
static void absolute(const char *path, char *out, size_t n)
{
    char dir[4096], real[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    const char *base = slash ? slash + 1 : path;
    if (slash)
        *slash = '\0';
    if (!realpath(slash ? (dir[0] ? dir : "/") : ".", real))
        snprintf(real, sizeof real, "%s", slash ? dir : ".");
    snprintf(out, n, "%s/%s", strcmp(real, "/") ? real : "", base);
}

/* Creates the rejects file: never the input, the database or one of its
 * companion files, never over an existing file, readable by its owner only
 * (rejected rows hold personal data). */
static int open_rejects(importer *im, const char *rejects, sws_error *e)
{
    const char *db = sqlite3_db_filename(im->db, "main");
    char want[4200], other[4200];
    absolute(rejects, want, sizeof want);
    if (same_file(rejects, im->path))
        return sws_errorf(e, "--skip-bad %s is the file being imported; name a new file for "
                          "the rejected rows", rejects);
    static const char *const companion[] = {"", "-wal", "-shm", "-journal"};
    for (int i = 0; db && db[0] && i < 4; i++) {
        snprintf(other, sizeof other, "%s%s", db, companion[i]);
        if (strcmp(want, other) == 0 || same_file(rejects, other))
            return sws_errorf(e, "--skip-bad %s is the database%s%s; name a new file for the "
                              "rejected rows", rejects, i ? "'s " : "", i ? companion[i] + 1 : "");
    }
    int fd = open(rejects, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno == EEXIST)
        return sws_errorf(e, "--skip-bad %s already exists; name a new file (a rejects file is "
                          "never overwritten)", rejects);
    if (fd < 0 || !(im->rejects = fdopen(fd, "w"))) {
        sws_errorf(e, "cannot create the rejects file %s: %s", rejects, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return 0;
}

/* Closes the rejects file, checking that every row reached the disk.
 * 0, or -1 with e naming the file and the system's reason. */
static int close_rejects(importer *im, sws_error *e)
{
    FILE *f = im->rejects;
    im->rejects = NULL;
    if (fflush(f) != 0)
        rejects_failed(im);
    if (fclose(f) != 0)
        rejects_failed(im);
    if (!im->rejects_failed)
        return 0;
    return sws_errorf(e, "cannot write the rejects file %s: %s; nothing was imported",
                      im->opts->rejects_path, strerror(im->rejects_errno));
}

int sws_import_file(sqlite3 *db, const sws_import_kind *kind, const char *path,
                    const sws_import_opts *opts, sws_import_result *res, sws_error *e)
{
    importer im = {.db = db, .kind = kind, .path = path, .opts = opts, .res = res};
    int rc = -1, began = 0, outer = 0, created_rejects = 0;
    size_t header_n = 0;
    memset(res, 0, sizeof *res);
    im.last_year = opts->as_of_year + 1;
    if (!opts->as_of_year) {
        time_t now = time(NULL);
        struct tm today;
        localtime_r(&now, &today);
        im.last_year = today.tm_year + 1900 + 1;
    }

    sws_csv *csv = sws_csv_open_encoded(path, opts->encoding, e);
    if (!csv)
        return -1;
    if (opts->rejects_path) {
        if (open_rejects(&im, opts->rejects_path, e) < 0)
            goto cleanup;
        created_rejects = 1;
    }
    if (read_header(&im, csv, &header_n, e) < 0 || sws_chores_register(db, e) < 0 ||
        prepare(&im, e) < 0)
        goto cleanup;
    if ((outer = sws_db_begin_write(db, "sws_import", e)) < 0)
        goto cleanup;
    began = 1;
    int agg_rc;
    if (!(im.agg = sws_agg_import_begin(db, kind->table, &agg_rc, e)) && agg_rc < 0)
        goto cleanup;

    sws_csv_row r;
    int got;
    while ((got = sws_csv_next(csv, &r, e)) == 1) {
        res->rows++;
        if (import_record(&im, &r, header_n, e) < 0)
            goto cleanup;
        if ((res->rows & 0xFFFF) == 0)
            show_progress(&im, csv, 0);
    }
    show_progress(&im, csv, 1);
    if (got < 0 || flush(&im, e) < 0)
        goto cleanup;
    if (opts->max_listed && im.listed > opts->max_listed && opts->diag)
        fprintf(opts->diag, "%s: … and %ld more problems not listed (use --skip-bad REJECTS.csv "
                "to get every bad row with its reason)\n", path, im.listed - opts->max_listed);
    if (im.rejects && close_rejects(&im, e) < 0)
        goto cleanup;
    if (opts->dry_run) {
        rc = 0;
        goto cleanup; /* rolled back below: res says what would have been stored */
    }
    if (res->rejected && !opts->rejects_path) {
        sws_errorf(e, "%s: %ld of %ld %s %s bad; nothing was imported (fix %s, or use "
                   "--skip-bad REJECTS.csv to import the good rows)", path, res->rejected,
                   res->rows, sws_plural(res->rows, "row", "rows"),
                   sws_plural(res->rejected, "is", "are"), sws_plural(res->rejected, "it", "them"));
        goto cleanup;
    }
    if (sws_agg_import_end(im.agg, e) < 0)
        goto cleanup;
    began = 0; /* whatever the commit's outcome, nothing is left open */
    if (sws_db_end_write(db, "sws_import", outer, 1, e) < 0) {
        res->imported = 0;
        goto cleanup;
    }
    rc = 0;

cleanup:
    if (began) {
        sws_db_end_write(db, "sws_import", outer, 0, NULL);
        if (rc < 0)
            res->imported = 0;
    }
    sws_agg_import_free(im.agg);
    for (int s = 0; s < 3; s++) {
        sqlite3_finalize(im.st[s]);
        free(im.sql[s]);
    }
    for (size_t f = 0; f < im.header_n; f++)
        free(im.header[f]);
    free(im.header);
    sqlite3_finalize(im.sp_begin);
    sqlite3_finalize(im.sp_undo);
    sqlite3_finalize(im.sp_release);
    sqlite3_finalize(im.batch);
    sqlite3_finalize(im.dup);
    for (int slot = 0; im.pend && slot < BATCH_ROWS; slot++) {
        free(im.pend[slot].data);
        free(im.pend[slot].field);
        free(im.pend[slot].len);
    }
    free(im.pend);
    if (im.rejects)
        fclose(im.rejects);
    if (rc < 0 && created_rejects && im.rejects_failed)
        unlink(opts->rejects_path); /* a partial list of rejects would mislead */
    sws_csv_close(csv);
    return rc;
}
