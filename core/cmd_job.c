/* cmd_job.c — `sws job run NAME`: run a job a plugin registered with sws.job. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "plugin.h"

int sws_cmd_job(sws_cli *cli, int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[1], "run") != 0)
        return sws_cli_usage_error("job", "usage: sws job run NAME");
    sws_host *h = sws_cli_host(cli);
    if (!h)
        return SWS_EXIT_ERROR;
    sws_error e;
    if (sws_plugin_run_job(h, argv[2], &e) < 0)
        return sws_cli_fail(&e);
    printf("job %s done\n", argv[2]);
    return SWS_EXIT_OK;
}
