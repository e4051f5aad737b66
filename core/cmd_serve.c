/*
 * cmd_serve.c — `sws serve [--socket PATH] [--log-format text|json]
 * [--reports DIR] [--clock T] [--until T]`: the daemon (serve.c).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "schedule.h"
#include "serve.h"

static sws_host *new_host(void *ud, sqlite3 *db) { return sws_cli_new_host(ud, db); }

int sws_cmd_serve(sws_cli *cli, int argc, char **argv)
{
    sws_serve_opts o = {.db_path = cli->db_path, .home = sws_home(), .no_plugins = cli->no_plugins,
                        .new_host = new_host, .host_ud = cli};
    const char *clock = NULL, *until = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (strcmp(a, "--socket") == 0 && more)
            o.socket_path = argv[++i];
        else if (strcmp(a, "--reports") == 0 && more)
            o.reports_dir = argv[++i];
        else if (strcmp(a, "--clock") == 0 && more)
            clock = argv[++i];
        else if (strcmp(a, "--until") == 0 && more)
            until = argv[++i];
        else if (strcmp(a, "--log-format") == 0 && more) {
            const char *f = argv[++i];
            if (strcmp(f, "json") != 0 && strcmp(f, "text") != 0)
                return sws_cli_usage_error("serve", "--log-format is text or json, not '%s'", f);
            o.log_json = strcmp(f, "json") == 0;
        } else
            return sws_cli_usage_error("serve", "unknown argument '%s' (see sws serve --help)", a);
    }
    if (!sws_cli_db(cli)) /* creates and migrates the database, or says why not */
        return SWS_EXIT_ERROR;
    if (clock || until) { /* times are read in the city policy's zone */
        sws_host *h = sws_cli_new_host(cli, cli->db);
        if (!h)
            return SWS_EXIT_ERROR;
        char tz[64];
        sws_error e;
        int rc = sws_schedule_zone(h, tz, sizeof tz, &e);
        sws_host_free(h);
        if (rc < 0)
            return sws_cli_fail(&e);
        if (sws_schedule_use_zone(tz) < 0) {
            fprintf(stderr, "sws serve: the policy's timezone '%s' is not known to this system\n",
                    tz);
            return SWS_EXIT_ERROR;
        }
        if (clock && sws_schedule_parse_local(clock, &o.clock_start) < 0)
            return sws_cli_usage_error("serve", "--clock '%s' is not a time YYYY-MM-DD HH:MM",
                                       clock);
        if (until && sws_schedule_parse_local(until, &o.until) < 0)
            return sws_cli_usage_error("serve", "--until '%s' is not a time YYYY-MM-DD HH:MM",
                                       until);
    }
    sws_error e;
    if (sws_serve(&o, &e) < 0)
        return sws_cli_fail(&e);
    return SWS_EXIT_OK;
}
