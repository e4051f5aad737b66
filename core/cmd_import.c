/* cmd_import.c — `sws import KIND FILE.csv [--skip-bad REJECTS.csv] …` and
 * `sws import KIND --template FILE.csv`. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "host.h"
#include "import.h"
#include "lapi.h"
#include "suggest.h"
#include "text.h"
#include "validate.h"
#include "workflow.h"

static const char *type_name(const sws_column *c)
{
    switch (c->type) {
    case SWS_COL_TEXT: return "text";
    case SWS_COL_INT: return "whole number";
    case SWS_COL_REAL: return "number";
    case SWS_COL_BOOL: return "yes/no";
    case SWS_COL_DATE: return "date YYYY-MM-DD";
    case SWS_COL_MONTH: return "month YYYY-MM";
    case SWS_COL_COUNTY: return "6-digit code";
    case SWS_COL_TOWNSHIP: return "9-digit code";
    case SWS_COL_VILLAGE: return "12-digit code";
    case SWS_COL_ID_NUMBER: return "resident ID number";
    case SWS_COL_MOBILE: return "mobile number";
    case SWS_COL_ENUM: return c->vocab->name;
    }
    return "?";
}

static void print_kind_help(const sws_import_kind *k)
{
    printf("usage: sws [--db PATH] import %s FILE.csv [--skip-bad REJECTS.csv]\n\n"
           "%s — %s (table %s)\n\ncolumns (* required; a header may use the Chinese name):\n",
           k->name, k->name, k->summary, k->table);
    for (size_t i = 0; i < k->ncols; i++) {
        const sws_column *c = &k->cols[i];
        const char *alias = sws_header_alias_of(c->name);
        printf("  %-16s %c %-20s %s%s%s%s\n", c->name, (c->flags & SWS_COL_REQUIRED) ? '*' : ' ',
               type_name(c), c->doc, alias ? " (" : "", alias ? alias : "", alias ? ")" : "");
        if (c->type == SWS_COL_ENUM)
            for (size_t t = 0; t < c->vocab->n; t++)
                printf("  %-16s     %-20s %s\n", "", c->vocab->terms[t].code,
                       c->vocab->terms[t].label);
    }
}

/* An example value of a column, for the template's one row. */
static const char *example(const sws_column *c)
{
    if (c->parent && !(c->flags & SWS_COL_REQUIRED))
        return ""; /* an optional reference: left empty, it needs no parent record */
    switch (c->type) {
    case SWS_COL_INT: return c->min > 1000 ? "2022" : "1";
    case SWS_COL_REAL: return c->min > 1 ? "120" : "1.5";
    case SWS_COL_BOOL: return "否";
    case SWS_COL_DATE: return strcmp(c->name, "birth_date") == 0 ? "1990-05-17" : "2022-03-07";
    case SWS_COL_MONTH: return "2022-03";
    case SWS_COL_COUNTY: return "330302";
    case SWS_COL_TOWNSHIP: return "330302006";
    case SWS_COL_VILLAGE: return "330302006001";
    case SWS_COL_ID_NUMBER: return "330302199005170014";
    case SWS_COL_MOBILE: return "13800000000";
    case SWS_COL_ENUM: return c->vocab->n ? c->vocab->terms[0].code : "";
    case SWS_COL_TEXT: break;
    }
    return "示例"; /* "example" */
}

/* Writes an empty CSV of kind k: a header in both forms ("姓名(name)") and
 * one example row. The file is created new, never overwritten. */
static int write_template(const sws_import_kind *k, const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        fprintf(stderr, "sws import: cannot create %s: %s%s\n", path, strerror(errno),
                errno == EEXIST ? " (a template never overwrites a file)" : "");
        if (fd >= 0)
            close(fd);
        return SWS_EXIT_ERROR;
    }
    for (size_t i = 0; i < k->ncols; i++) {
        const char *alias = sws_header_alias_of(k->cols[i].name);
        if (alias)
            fprintf(f, "%s%s(%s)", i ? "," : "", alias, k->cols[i].name);
        else
            fprintf(f, "%s%s", i ? "," : "", k->cols[i].name);
    }
    fputc('\n', f);
    for (size_t i = 0; i < k->ncols; i++)
        fprintf(f, "%s%s", i ? "," : "", example(&k->cols[i]));
    fputc('\n', f);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) {
        fprintf(stderr, "sws import: cannot write %s\n", path);
        return SWS_EXIT_ERROR;
    }
    printf("%s: template for %s written (header and one example row to replace)\n", path,
           k->name);
    return SWS_EXIT_OK;
}

/* "no kind 'X'" with the nearest kind suggested. */
static int unknown_kind(const char *name)
{
    sws_suggest sg;
    char hint[160];
    sws_suggest_init(&sg, name);
    for (size_t i = 0; i < sws_import_kind_count; i++)
        sws_suggest_offer(&sg, sws_import_kinds[i].name);
    return sws_cli_usage_error("import", "no kind '%s'%s; `sws import --help` lists the kinds",
                               name, sws_suggest_hint(&sg, hint, sizeof hint));
}

int sws_cmd_import(sws_cli *cli, int argc, char **argv)
{
    const char *rejects = NULL, *args[2], *encoding = NULL, *as_of = NULL, *template = NULL;
    int nargs = 0, help = 0, dry_run = 0, ignore_unknown = 0, allow_duplicates = 0;
    for (int i = 1; i < argc; i++) {
        const char **slot = strcmp(argv[i], "--skip-bad") == 0 ? &rejects
                          : strcmp(argv[i], "--encoding") == 0 ? &encoding
                          : strcmp(argv[i], "--as-of") == 0 ? &as_of
                          : strcmp(argv[i], "--template") == 0 ? &template : NULL;
        if (slot) {
            if (++i >= argc)
                return sws_cli_usage_error("import", "%s needs a value (see `sws import "
                                                     "--help`)", argv[i - 1]);
            *slot = argv[i];
        } else if (strcmp(argv[i], "--dry-run") == 0) {
            dry_run = 1;
        } else if (strcmp(argv[i], "--ignore-unknown") == 0) {
            ignore_unknown = 1;
        } else if (strcmp(argv[i], "--allow-duplicates") == 0) {
            allow_duplicates = 1;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            help = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return sws_cli_usage_error("import", "unknown option '%s'", argv[i]);
        } else if (nargs < 2) {
            args[nargs++] = argv[i];
        } else {
            return sws_cli_usage_error("import", "too many arguments (one KIND and one FILE)");
        }
    }
    if (nargs < 1)
        return sws_cli_usage_error("import", "which KIND? (see `sws import --help`)");
    const sws_import_kind *k = sws_import_find(args[0]);
    if (!k)
        return unknown_kind(args[0]);
    if (help) {
        print_kind_help(k);
        return SWS_EXIT_OK;
    }
    if (template)
        return nargs > 1 ? sws_cli_usage_error("import", "--template FILE.csv writes a file; "
                                                         "it takes no input file")
                         : write_template(k, template);
    if (nargs < 2)
        return sws_cli_usage_error("import", "which FILE.csv?");
    if (dry_run && rejects)
        return sws_cli_usage_error("import", "--dry-run stores nothing and writes nothing: "
                                             "leave out --skip-bad");
    if (as_of && sws_valid_date(as_of))
        return sws_cli_usage_error("import", "--as-of \"%s\": %s (YYYY-MM-DD)", as_of,
                                   sws_valid_date(as_of));
    char today[11];
    if (!as_of) {
        sws_today(today);
        as_of = today;
    }

    sws_host *h = sws_cli_host(cli); /* plugins may watch and veto rows */
    if (!h)
        return SWS_EXIT_ERROR;
    sws_import_opts opts = {.rejects_path = rejects, .encoding = encoding, .dry_run = dry_run,
                            .ignore_unknown = ignore_unknown,
                            .allow_duplicates = allow_duplicates, .as_of_year = atoi(as_of),
                            .diag = stderr, .progress = isatty(2), .max_listed = 1000};
    sws_import_result res;
    sws_error e;
    if (sws_lapi_import(h, k, args[1], &opts, &res, &e) < 0)
        return sws_cli_fail(&e);
    char dups[160] = "";
    if (res.duplicates)
        snprintf(dups, sizeof dups, "; %ld %s identical to stored ones skipped "
                 "(--allow-duplicates stores them again)", res.duplicates,
                 sws_plural(res.duplicates, "row", "rows"));
    if (dry_run) {
        printf("%s: dry run: %ld of %ld %s would be imported into %s, %ld bad%s; nothing was "
               "written\n", args[1], res.imported, res.rows, sws_plural(res.rows, "row", "rows"),
               k->table, res.rejected, dups);
        return res.rejected ? SWS_EXIT_FINDINGS : SWS_EXIT_OK;
    }
    printf("%s: imported %ld of %ld %s into %s", args[1], res.imported, res.rows,
           sws_plural(res.rows, "row", "rows"), k->table);
    if (res.rejected)
        printf("; %ld bad %s written to %s", res.rejected,
               sws_plural(res.rejected, "row", "rows"), rejects);
    if (res.ignored_columns)
        printf(" (%ld unknown %s ignored)", res.ignored_columns,
               sws_plural(res.ignored_columns, "column", "columns"));
    fputs(dups, stdout);
    printf("\n");
    return res.rejected ? SWS_EXIT_FINDINGS : SWS_EXIT_OK;
}
