/* cmd_summary.c — `sws summary [--format text|json]`. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "summary.h"

int sws_cmd_summary(sws_cli *cli, int argc, char **argv)
{
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--format") == 0 && i + 1 < argc) {
            const char *f = argv[++i];
            if (strcmp(f, "json") == 0)
                json = 1;
            else if (strcmp(f, "text") != 0)
                return sws_cli_usage_error("summary", "--format is text or json, not '%s'", f);
        } else {
            return sws_cli_usage_error("summary", "unknown argument '%s'", argv[i]);
        }
    }
    cli->read_only = 1;
    sqlite3 *db = sws_cli_db(cli);
    if (!db)
        return SWS_EXIT_ERROR;
    sws_error e;
    if (sws_summary_print(db, stdout, json, &e) < 0)
        return sws_cli_fail(&e);
    return SWS_EXIT_OK;
}
