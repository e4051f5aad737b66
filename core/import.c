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
#include "import.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvwrite.h"
#include "csvread.h"
#include "db.h"
#include "mask.h"
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
    sqlite3_stmt *st[3];
    int param[3][MAX_COLS];          /* kind column -> parameter index per statement */
    sqlite3_stmt *sp_begin, *sp_undo, *sp_release; /* per-row savepoint, multi-statement kinds */
    sqlite3_stmt *batch;             /* st[0] with BATCH_ROWS value lists, or NULL */
    pending *pend;                   /* BATCH_ROWS slots when batch is not NULL */
    int npend;                       /* valid rows waiting in pend */
    int birth_col, year_col;         /* kind columns birth_date and birth_year, or -1 */
    FILE *rejects;
    char problems[MAX_PROBLEMS][384];
    int nproblems;
    long listed;
} importer;

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

/* Validates one non-empty value; fills the cell or returns the broken rule. */
static const char *validate_cell(const sws_column *col, const char *s, cell *c, char *birth,
                                 char *buf, size_t n)
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
        rule = sws_valid_date(s);
        break;
    case SWS_COL_MONTH:
        rule = sws_valid_month(s);
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

static void write_reject(importer *im, const sws_csv_row *r, size_t header_n)
{
    if (!im->rejects)
        return;
    fprintf(im->rejects, "%ld,", r->line);
    for (size_t i = 0; i < header_n; i++) {
        const char *v = i < r->n ? r->field[i] : "";
        sws_csv_put(im->rejects, v);
        fputc(',', im->rejects);
    }
    char reason[MAX_PROBLEMS * 384] = "";
    for (int i = 0; i < im->nproblems; i++) {
        if (i)
            strncat(reason, "; ", sizeof reason - strlen(reason) - 1);
        strncat(reason, im->problems[i], sizeof reason - strlen(reason) - 1);
    }
    sws_csv_put(im->rejects, reason);
    fputc('\n', im->rejects);
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
            im->res->imported += n;
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
            im->res->imported++;
        else
            reject_row(im, &p->raw, p->raw.n);
    }
    return 0;
}

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
        const char *rule = validate_cell(col, s, &cells[i], birth, rulebuf, sizeof rulebuf);
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
    if (!im->nproblems && p)
        return ++im->npend == BATCH_ROWS ? flush(im, e) : 0;
    if (!im->nproblems) {
        int rc = store_row(im, row, cells, e);
        if (rc < 0)
            return -1;
        if (rc == 0) {
            im->res->imported++;
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

    char missing[512] = "";
    for (size_t i = 0; i < im->kind->ncols; i++) {
        im->map[i] = -1;
        for (size_t f = 0; f < h.n; f++)
            if (strcmp(h.field[f], im->kind->cols[i].name) == 0) {
                if (im->map[i] >= 0)
                    return sws_errorf(e, "%s:%ld: header: column '%s' appears twice", im->path,
                                      h.line, h.field[f]);
                im->map[i] = (int)f;
            }
        if (im->map[i] < 0 && (im->kind->cols[i].flags & SWS_COL_REQUIRED))
            snprintf(missing + strlen(missing), sizeof missing - strlen(missing), "%s%s",
                     missing[0] ? ", " : "", im->kind->cols[i].name);
    }
    if (missing[0])
        return sws_errorf(e, "%s:%ld: header: required column(s) missing: %s (see `sws import "
                          "%s --help`)", im->path, h.line, missing, im->kind->name);
    for (size_t f = 0; f < h.n; f++) {
        int known = 0;
        for (size_t i = 0; i < im->kind->ncols; i++)
            known |= im->map[i] == (int)f;
        im->res->ignored_columns += !known;
    }
    if (im->rejects) {
        fputs("line,", im->rejects);
        for (size_t f = 0; f < h.n; f++) {
            sws_csv_put(im->rejects, h.field[f]);
            fputc(',', im->rejects);
        }
        fputs("reason\n", im->rejects);
    }
    return 0;
}

/* Writes the kind's one INSERT … VALUES(…) … with BATCH_ROWS value lists,
 * each :name of list r turned into ?N, N = r * ncols + column + 1. NULL (rows
 * are then stored one by one) when the statement is not of that form. */
static char *batch_sql(const sws_import_kind *k)
{
    const char *sql = k->sql[0], *v = strstr(sql, "VALUES("), *open, *close = NULL;
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
        if (sws_db_prepare(im->db, im->kind->sql[s], &im->st[s], e) < 0)
            return -1;
        for (size_t i = 0; i < im->kind->ncols; i++) {
            char pname[64];
            snprintf(pname, sizeof pname, ":%s", im->kind->cols[i].name);
            im->param[s][i] = sqlite3_bind_parameter_index(im->st[s], pname);
        }
    }
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
    char *sql = batch_sql(im->kind);
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

static void show_progress(const importer *im, const sws_csv *csv, int done)
{
    if (!im->opts->progress || !im->opts->diag)
        return;
    if (done) {
        fputs("\r\033[K", im->opts->diag);
        return;
    }
    long long size = sws_csv_size(csv);
    int pct = size > 0 ? (int)(100 * sws_csv_bytes_read(csv) / size) : 0;
    fprintf(im->opts->diag, "\r%s: %d%% (%ld rows)", im->path, pct, im->res->rows);
    fflush(im->opts->diag);
}

int sws_import_file(sqlite3 *db, const sws_import_kind *kind, const char *path,
                    const sws_import_opts *opts, sws_import_result *res, sws_error *e)
{
    importer im = {.db = db, .kind = kind, .path = path, .opts = opts, .res = res};
    int rc = -1, began = 0, outer = 0;
    size_t header_n = 0;
    memset(res, 0, sizeof *res);

    sws_csv *csv = sws_csv_open(path, e);
    if (!csv)
        return -1;
    if (opts->rejects_path && !(im.rejects = fopen(opts->rejects_path, "w"))) {
        sws_errorf(e, "cannot write the rejects file %s", opts->rejects_path);
        goto cleanup;
    }
    if (read_header(&im, csv, &header_n, e) < 0 || prepare(&im, e) < 0)
        goto cleanup;
    if ((outer = sws_db_begin_write(db, "sws_import", e)) < 0)
        goto cleanup;
    began = 1;

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
    if (res->rejected && !opts->rejects_path) {
        sws_errorf(e, "%s: %ld of %ld rows are bad; nothing was imported (fix them, or use "
                   "--skip-bad REJECTS.csv to import the good rows)", path, res->rejected,
                   res->rows);
        goto cleanup;
    }
    began = 0; /* whatever the commit's outcome, nothing is left open */
    if (sws_db_end_write(db, "sws_import", outer, 1, e) < 0) {
        res->imported = 0;
        goto cleanup;
    }
    rc = 0;

cleanup:
    if (began) {
        sws_db_end_write(db, "sws_import", outer, 0, NULL);
        res->imported = 0;
    }
    for (int s = 0; s < 3; s++)
        sqlite3_finalize(im.st[s]);
    sqlite3_finalize(im.sp_begin);
    sqlite3_finalize(im.sp_undo);
    sqlite3_finalize(im.sp_release);
    sqlite3_finalize(im.batch);
    for (int slot = 0; im.pend && slot < BATCH_ROWS; slot++) {
        free(im.pend[slot].data);
        free(im.pend[slot].field);
        free(im.pend[slot].len);
    }
    free(im.pend);
    if (im.rejects)
        fclose(im.rejects);
    sws_csv_close(csv);
    return rc;
}
