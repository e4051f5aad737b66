/*
 * cmd_ctl.c — `sws ctl [--socket PATH] status|jobs|reload|run JOB`: talks to
 * the daemon over its control socket (ctl.c) and prints its answer as JSON.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "ctl.h"

int sws_cmd_ctl(sws_cli *cli, int argc, char **argv)
{
    char socket_path[4200];
    snprintf(socket_path, sizeof socket_path, "%s.sock", cli->db_path);
    const char *cmd = NULL, *job = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--socket") == 0 && i + 1 < argc)
            snprintf(socket_path, sizeof socket_path, "%s", argv[++i]);
        else if (!cmd)
            cmd = argv[i];
        else if (strcmp(cmd, "run") == 0 && !job)
            job = argv[i];
        else
            return sws_cli_usage_error("ctl", "unexpected argument '%s'", argv[i]);
    }
    if (!cmd || (strcmp(cmd, "status") != 0 && strcmp(cmd, "jobs") != 0 &&
                 strcmp(cmd, "reload") != 0 && strcmp(cmd, "run") != 0))
        return sws_cli_usage_error("ctl", "usage: sws ctl [--socket PATH] status|jobs|reload|run JOB");
    if (strcmp(cmd, "run") == 0 && !job)
        return sws_cli_usage_error("ctl", "usage: sws ctl run JOB (a job as `sws ctl jobs` names it)");
    cJSON *req = cJSON_CreateObject();
    cJSON_AddStringToObject(req, "cmd", cmd);
    if (job)
        cJSON_AddStringToObject(req, "job", job);
    char *line = cJSON_PrintUnformatted(req), *answer = NULL;
    cJSON_Delete(req);
    sws_error e;
    /* a run or a reload waits for the job in progress: allow for the longest budget */
    int rc = line ? sws_ctl_request(socket_path, line, 3600, &answer, &e) : -1;
    free(line);
    if (rc < 0) {
        free(answer);
        return sws_cli_fail(&e);
    }
    cJSON *a = cJSON_Parse(answer);
    free(answer);
    if (!a) {
        fprintf(stderr, "sws ctl: the daemon's answer is not JSON\n");
        return SWS_EXIT_ERROR;
    }
    char *pretty = cJSON_Print(a);
    int ok = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "ok"));
    if (pretty)
        printf("%s\n", pretty);
    if (!ok) {
        const cJSON *err = cJSON_GetObjectItemCaseSensitive(a, "error");
        fprintf(stderr, "sws ctl %s: %s\n", cmd, cJSON_IsString(err) ? err->valuestring : "failed");
    }
    free(pretty);
    cJSON_Delete(a);
    return ok ? SWS_EXIT_OK : SWS_EXIT_ERROR;
}
