/* cmd_plugin.c — `sws plugin list [--county CODE]`. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "host.h"
#include "plugin.h"
#include "text.h"

static void print_command(const char *name, const char *help, const char *owner, void *ud)
{
    (void)ud;
    printf("  sws %-14s %s (plugin %s)\n", name, help, owner);
}

static void print_job(const char *name, const char *help, const char *owner, void *ud)
{
    (void)ud;
    printf("  job %-14s %s (plugin %s)\n", name, help, owner);
}

int sws_cmd_plugin(sws_cli *cli, int argc, char **argv)
{
    const char *county = NULL;
    if (argc < 2 || strcmp(argv[1], "list") != 0)
        return sws_cli_usage_error("plugin", "usage: sws plugin list [--county CODE]");
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--county") == 0 && i + 1 < argc)
            county = argv[++i];
        else
            return sws_cli_usage_error("plugin", "unknown argument '%s'", argv[i]);
    }
    sqlite3 *db = sws_cli_db(cli);
    if (!db)
        return SWS_EXIT_ERROR;
    sws_host *h = sws_cli_new_host(cli, db);
    if (!h)
        return SWS_EXIT_ERROR;
    sws_plugins ps;
    sws_plugins_load(h, county, 0, &ps);
    static const char *const state[] = {"loaded", "disabled", "failed"};
    printf("%-20s %-10s %-9s %s\n", "plugin", "version", "state", "description / reason");
    for (int i = 0; i < ps.n; i++) {
        const sws_plugin *p = &ps.list[i];
        printf("%-20s %-10s %-9s %s\n", p->name, p->version[0] ? p->version : "?",
               state[p->state], p->state == SWS_PLUGIN_LOADED ? p->description : p->reason);
    }
    printf("\ncommands added by plugins:\n");
    sws_plugin_each_command(h, print_command, NULL);
    printf("\njobs added by plugins (sws job run NAME):\n");
    sws_plugin_each_job(h, print_job, NULL);
    sws_plugins_free(&ps);
    sws_host_free(h);
    return SWS_EXIT_OK;
}
