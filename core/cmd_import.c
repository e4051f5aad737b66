/* cmd_import.c — `sws import KIND FILE.csv [--skip-bad REJECTS.csv]`. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "host.h"
#include "import.h"
#include "lapi.h"

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
           "%s — %s (table %s)\n\ncolumns (* required):\n", k->name, k->name, k->summary,
           k->table);
    for (size_t i = 0; i < k->ncols; i++) {
        const sws_column *c = &k->cols[i];
        printf("  %-16s %c %-20s %s\n", c->name, (c->flags & SWS_COL_REQUIRED) ? '*' : ' ',
               type_name(c), c->doc);
        if (c->type == SWS_COL_ENUM)
            for (size_t t = 0; t < c->vocab->n; t++)
                printf("  %-16s     %-20s %s\n", "", c->vocab->terms[t].code,
                       c->vocab->terms[t].label);
    }
}

int sws_cmd_import(sws_cli *cli, int argc, char **argv)
{
    const char *rejects = NULL, *args[2];
    int nargs = 0, help = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--skip-bad") == 0) {
            if (++i >= argc)
                return sws_cli_usage_error("import", "--skip-bad needs a file name for the "
                                                     "rejected rows");
            rejects = argv[i];
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
        return sws_cli_usage_error("import", "no kind '%s' (see `sws import --help`)", args[0]);
    if (help) {
        print_kind_help(k);
        return SWS_EXIT_OK;
    }
    if (nargs < 2)
        return sws_cli_usage_error("import", "which FILE.csv?");

    sws_host *h = sws_cli_host(cli); /* plugins may watch and veto rows */
    if (!h)
        return SWS_EXIT_ERROR;
    sws_import_opts opts = {
        .rejects_path = rejects, .diag = stderr, .progress = isatty(2), .max_listed = 1000};
    sws_import_result res;
    sws_error e;
    if (sws_lapi_import(h, k, args[1], &opts, &res, &e) < 0)
        return sws_cli_fail(&e);
    printf("%s: imported %ld of %ld rows into %s", args[1], res.imported, res.rows, k->table);
    if (res.rejected)
        printf("; %ld bad rows written to %s", res.rejected, rejects);
    if (res.ignored_columns)
        printf(" (%ld unknown columns ignored)", res.ignored_columns);
    printf("\n");
    return res.rejected ? SWS_EXIT_FINDINGS : SWS_EXIT_OK;
}
