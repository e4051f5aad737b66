/* cmd_cron.c — `sws cron next EXPR [--from T] [--count N]`: the next times of a cron expression. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cron.h"

int sws_cmd_cron(sws_cli *cli, int argc, char **argv)
{
    (void)cli;
    const char *expr = NULL, *from = NULL;
    long count = 5;
    if (argc < 2 || strcmp(argv[1], "next") != 0)
        return sws_cli_usage_error("cron", "usage: sws cron next EXPR [--from T] [--count N]");
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
            from = argv[++i];
        else if (strcmp(argv[i], "--count") == 0 && i + 1 < argc) {
            char *end;
            count = strtol(argv[++i], &end, 10);
            if (*end || count < 1 || count > 100000)
                return sws_cli_usage_error("cron", "--count '%s' is not a number from 1 to 100000",
                                           argv[i]);
        } else if (argv[i][0] == '-' && argv[i][1] == '-')
            return sws_cli_usage_error("cron", "unknown option '%s'", argv[i]);
        else if (!expr)
            expr = argv[i];
        else
            return sws_cli_usage_error("cron", "one expression only (quote it: \"0 9 30 11 *\")");
    }
    if (!expr)
        return sws_cli_usage_error("cron", "usage: sws cron next EXPR [--from T] [--count N]");
    sws_cron c;
    char why[200];
    if (sws_cron_parse(expr, &c, why, sizeof why) < 0) {
        fprintf(stderr, "sws cron: invalid cron '%s': %s\n", expr, why);
        return SWS_EXIT_ERROR;
    }
    struct tm t;
    if (from) {
        if (sws_cron_parse_time(from, &t) < 0)
            return sws_cli_usage_error("cron", "--from '%s' is not a time YYYY-MM-DD HH:MM", from);
    } else {
        time_t now = time(NULL);
        localtime_r(&now, &t);
    }
    for (long i = 0; i < count; i++) {
        if (sws_cron_next(&c, &t, &t) < 0) {
            fprintf(stderr, "sws cron: '%s' matches no time in the next 28 years\n", expr);
            return i ? SWS_EXIT_OK : SWS_EXIT_ERROR;
        }
        char buf[32];
        strftime(buf, sizeof buf, "%Y-%m-%d %H:%M %a", &t);
        puts(buf);
    }
    return SWS_EXIT_OK;
}
