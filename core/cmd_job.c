/* cmd_job.c — `sws job run NAME`: run a job a plugin registered with sws.job. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "plugin.h"
#include "suggest.h"

static void offer_job(const char *name, const char *help, const char *owner, void *ud)
{
    (void)help;
    (void)owner;
    sws_suggest_offer(ud, name);
}

int sws_cmd_job(sws_cli *cli, int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[1], "run") != 0)
        return sws_cli_usage_error("job", "usage: sws job run NAME");
    sws_host *h = sws_cli_host(cli);
    if (!h)
        return SWS_EXIT_ERROR;
    sws_error e;
    sws_suggest sg;
    sws_suggest_init(&sg, argv[2]);
    sws_plugin_each_job(h, offer_job, &sg);
    if (sws_suggest_best(&sg)) { /* no job of that name, and one close to it */
        char hint[160];
        fprintf(stderr, "sws job: no job '%s'%s; `sws plugin list` lists them\n", argv[2],
                sws_suggest_hint(&sg, hint, sizeof hint));
        return SWS_EXIT_USAGE;
    }
    if (sws_plugin_run_job(h, argv[2], &e) < 0)
        return sws_cli_fail(&e);
    printf("job %s done\n", argv[2]);
    return SWS_EXIT_OK;
}
