/* cmd_audit.c — `sws audit log`: who saw unmasked personal data, when, what and why. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "access_log.h"
#include "validate.h"

int sws_cmd_audit(sws_cli *cli, int argc, char **argv)
{
    const char *since = NULL, *format = "text";
    if (argc < 2 || strcmp(argv[1], "log") != 0)
        return sws_cli_usage_error("audit", "usage: sws audit log [--since DATE] "
                                            "[--format text|json]");
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--since") == 0 && i + 1 < argc)
            since = argv[++i];
        else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
            format = argv[++i];
        else
            return sws_cli_usage_error("audit", "unknown argument '%s'", argv[i]);
    }
    if (strcmp(format, "text") && strcmp(format, "json"))
        return sws_cli_usage_error("audit", "--format is text or json");
    if (since && sws_valid_date(since))
        return sws_cli_usage_error("audit", "--since %s: %s", since, sws_valid_date(since));
    sqlite3 *db = sws_cli_db(cli);
    if (!db)
        return SWS_EXIT_ERROR;
    sws_error e;
    if (sws_access_log_print(db, since, format, stdout, &e) < 0)
        return sws_cli_fail(&e);
    return SWS_EXIT_OK;
}
