/* cmd_privacy.c — `sws privacy retention|deactivate`: the personal data of service objects. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "retention.h"
#include "text.h"
#include "validate.h"
#include "workflow.h"

int sws_cmd_privacy(sws_cli *cli, int argc, char **argv)
{
    const char *as_of = NULL, *client = NULL;
    int dry_run = 0;
    char today[11];
    if (argc < 2 || (strcmp(argv[1], "retention") && strcmp(argv[1], "deactivate")))
        return sws_cli_usage_error("privacy", "usage: sws privacy retention [--as-of DATE] "
                                              "[--dry-run] | deactivate CLIENT [--as-of DATE]");
    int deactivate = strcmp(argv[1], "deactivate") == 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--as-of") == 0 && i + 1 < argc)
            as_of = argv[++i];
        else if (strcmp(argv[i], "--dry-run") == 0 && !deactivate)
            dry_run = 1;
        else if (deactivate && !client && argv[i][0] != '-')
            client = argv[i];
        else
            return sws_cli_usage_error("privacy", "unknown argument '%s'", argv[i]);
    }
    if (deactivate && !client)
        return sws_cli_usage_error("privacy", "deactivate needs the client's code");
    if (as_of && sws_valid_date(as_of))
        return sws_cli_usage_error("privacy", "--as-of %s: %s", as_of, sws_valid_date(as_of));
    if (!as_of) {
        sws_today(today);
        as_of = today;
    }
    sws_error e;
    if (deactivate) {
        sqlite3 *db = sws_cli_db(cli);
        if (!db)
            return SWS_EXIT_ERROR;
        int rc = sws_client_deactivate(db, client, as_of, &e);
        if (rc < 0)
            return sws_cli_fail(&e);
        if (rc == 1) {
            fprintf(stderr, "sws privacy: no client '%s'\n", client);
            return SWS_EXIT_ERROR;
        }
        printf("client %s deactivated as of %s (kept for the statistics, never deleted)\n", client,
               as_of);
        return SWS_EXIT_OK;
    }
    sws_host *h = sws_cli_host(cli);
    if (!h)
        return SWS_EXIT_ERROR;
    sws_retention_result r;
    if (sws_retention_run(h, as_of, dry_run, &r, &e) < 0)
        return sws_cli_fail(&e);
    printf("%s %ld closed %s past the retention period as of %s: %ld personal %s%s\n",
           dry_run ? "would clear" : "cleared", r.cleared, sws_plural(r.cleared, "case", "cases"),
           as_of, r.fields, sws_plural(r.fields, "field", "fields"),
           dry_run ? " (dry run: nothing changed)" : " (listed in retention_log)");
    return SWS_EXIT_OK;
}
