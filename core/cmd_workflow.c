/* cmd_workflow.c — `sws workflow start|advance|status|history|graph|migrate`. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "validate.h"
#include "workflow.h"

typedef struct wf_args {
    const char *pos[3];
    int npos;
    const char *actor, *role, *reason, *as_of, *county, *format, *version;
    char *maps[32];
    int nmaps, dry_run;
} wf_args;

/* Parses the words after the subcommand; returns 0 or a usage exit code. */
static int parse(int argc, char **argv, wf_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 0; i < argc; i++) {
        const char *o = argv[i];
        const char **slot = strcmp(o, "--actor") == 0 ? &a->actor
                          : strcmp(o, "--role") == 0 ? &a->role
                          : strcmp(o, "--reason") == 0 ? &a->reason
                          : strcmp(o, "--as-of") == 0 ? &a->as_of
                          : strcmp(o, "--county") == 0 ? &a->county
                          : strcmp(o, "--format") == 0 ? &a->format
                          : strcmp(o, "--to-version") == 0 ? &a->version : NULL;
        if (slot || strcmp(o, "--map") == 0) {
            if (i + 1 >= argc)
                return sws_cli_usage_error("workflow", "%s needs a value", o);
            if (slot)
                *slot = argv[++i];
            else if (a->nmaps < 32)
                a->maps[a->nmaps++] = argv[++i];
        } else if (strcmp(o, "--dry-run") == 0) {
            a->dry_run = 1;
        } else if (o[0] == '-' && o[1]) {
            return sws_cli_usage_error("workflow", "unknown option '%s'", o);
        } else if (a->npos < 3) {
            a->pos[a->npos++] = o;
        } else {
            return sws_cli_usage_error("workflow", "too many arguments");
        }
    }
    if (a->role && sws_wf_role_invalid(a->role))
        return sws_cli_usage_error("workflow", "--role %s: %s", a->role,
                                   sws_wf_role_invalid(a->role));
    if (a->as_of && sws_valid_date(a->as_of))
        return sws_cli_usage_error("workflow", "--as-of \"%s\": %s (YYYY-MM-DD)", a->as_of,
                                   sws_valid_date(a->as_of));
    return 0;
}

int sws_cmd_workflow(sws_cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return sws_cli_usage_error("workflow", "which subcommand? (see `sws workflow --help`)");
    const char *sub = argv[1];
    wf_args a;
    int usage = parse(argc - 2, argv + 2, &a);
    if (usage)
        return usage;
    if (a.dry_run && strcmp(sub, "advance") != 0 && strcmp(sub, "migrate") != 0)
        return sws_cli_usage_error("workflow", "--dry-run is for advance and migrate");
    int needs_actor = strcmp(sub, "start") == 0 || strcmp(sub, "advance") == 0;
    if (!needs_actor && a.role)
        return sws_cli_usage_error("workflow", "--role is for start and advance, not %s", sub);
    if (needs_actor && !a.actor)
        return sws_cli_usage_error("workflow", "%s needs --actor NAME (it goes into the audit "
                                               "trail)", sub);
    /* status, history and graph only read */
    cli->read_only = strcmp(sub, "status") == 0 || strcmp(sub, "history") == 0 ||
                     strcmp(sub, "graph") == 0;
    sws_host *h = sws_cli_host(cli);
    if (!h)
        return SWS_EXIT_ERROR;
    sws_error e;
    int rc;
    if (strcmp(sub, "start") == 0) {
        if (a.npos != 1)
            return sws_cli_usage_error("workflow", "start STATION --actor NAME");
        if ((rc = sws_workflow_start(h, a.pos[0], a.actor, a.role, a.as_of, &e)) == 0)
            printf("station %s: workflow started\n", a.pos[0]);
    } else if (strcmp(sub, "advance") == 0) {
        if (a.npos != 2)
            return sws_cli_usage_error("workflow", "advance STATION STAGE --actor NAME");
        sws_wf_move m = {.station = a.pos[0], .to = a.pos[1], .actor = a.actor,
                         .reason = a.reason, .as_of = a.as_of, .role = a.role,
                         .report = stdout, .dry_run = a.dry_run};
        rc = sws_workflow_advance(h, &m, &e);
        if (rc == SWS_WF_REFUSED)
            return SWS_EXIT_ERROR;
    } else if (strcmp(sub, "status") == 0) {
        if (a.npos > 1)
            return sws_cli_usage_error("workflow", "status [STATION | --county CODE]");
        if (a.npos == 1) {
            rc = sws_workflow_status(h, a.pos[0], NULL, a.as_of, stdout, &e);
        } else { /* the city's pipeline, or the county's and then its stations */
            rc = sws_workflow_pipeline(h, a.county, a.as_of, stdout, &e);
            if (rc == 0 && a.county) {
                printf("\n");
                rc = sws_workflow_status(h, NULL, a.county, a.as_of, stdout, &e);
            }
        }
    } else if (strcmp(sub, "history") == 0) {
        if (a.npos != 1)
            return sws_cli_usage_error("workflow", "history STATION");
        rc = sws_workflow_history(h, a.pos[0], stdout, &e);
    } else if (strcmp(sub, "graph") == 0) {
        const char *fmt = a.format ? a.format : "dot";
        if (a.npos != 1 || (strcmp(fmt, "dot") != 0 && strcmp(fmt, "mermaid") != 0))
            return sws_cli_usage_error("workflow", "graph COUNTY [--format dot|mermaid]");
        rc = sws_workflow_graph(h, a.pos[0], fmt, stdout, &e);
    } else if (strcmp(sub, "migrate") == 0) {
        if (!a.version || a.npos)
            return sws_cli_usage_error("workflow", "migrate --to-version V [--county CODE] "
                                                   "[--map OLD=NEW] [--dry-run]");
        rc = sws_workflow_migrate(h, a.county, a.version, a.maps, a.nmaps, a.dry_run,
                                  a.actor ? a.actor : "sws workflow migrate", stdout, &e);
        if (rc > 0)
            return SWS_EXIT_FINDINGS;
    } else {
        return sws_cli_usage_error("workflow", "no subcommand '%s'", sub);
    }
    return rc < 0 ? sws_cli_fail(&e) : SWS_EXIT_OK;
}
