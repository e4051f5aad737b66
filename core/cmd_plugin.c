/* cmd_plugin.c — `sws plugin list [--county CODE]` and `sws plugin new NAME
 * [--dir DIR]` (the files are plugin_template.c's). */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "host.h"
#include "plugin.h"
#include "plugin_template.h"
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

/* `plugin new NAME [--dir DIR]`: writes the template into DIR (default: the
 * plugins folder of the share folder, where sws loads it from). */
static int new_plugin(int argc, char **argv)
{
    const char *name = NULL, *dir = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc)
            dir = argv[++i];
        else if (argv[i][0] != '-' && !name)
            name = argv[i];
        else
            return sws_cli_usage_error("plugin", "usage: sws plugin new NAME [--dir DIR]");
    }
    if (!name)
        return sws_cli_usage_error("plugin", "usage: sws plugin new NAME [--dir DIR]");
    if (sws_plugin_name_problem(name))
        return sws_cli_usage_error("plugin", "plugin name '%s': %s", name,
                                   sws_plugin_name_problem(name));
    char plugins[4200], made[4300];
    if (!dir) {
        snprintf(plugins, sizeof plugins, "%s/plugins", sws_home());
        dir = plugins;
    }
    sws_error e;
    if (sws_plugin_template(dir, name, made, sizeof made, &e) < 0)
        return sws_cli_fail(&e);
    printf("wrote %s/: manifest.lua, init.lua (an event handler, the rule '%s_address' and "
           "the command `sws %s`) and %s_test.lua\n", made, name, name, name);
    if (dir == plugins)
        printf("try it: sws test %s; then change it to what the county needs\n", made);
    else
        printf("sws loads plugins from %s/plugins (the share folder, or $SWS_HOME): put it "
               "there, then `sws test %s/plugins/%s`\n", sws_home(), sws_home(), name);
    return SWS_EXIT_OK;
}

int sws_cmd_plugin(sws_cli *cli, int argc, char **argv)
{
    const char *county = NULL;
    if (argc >= 2 && strcmp(argv[1], "new") == 0)
        return new_plugin(argc, argv);
    if (argc < 2 || strcmp(argv[1], "list") != 0)
        return sws_cli_usage_error("plugin", "usage: sws plugin list [--county CODE] | "
                                             "new NAME [--dir DIR]");
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
