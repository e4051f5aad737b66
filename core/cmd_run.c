/* cmd_run.c — `sws run SCRIPT.lua [ARGS…]`: an admin script in the sandbox. */
#include <lua.h>
#include <stdio.h>
#include <sys/stat.h>

#include "cli.h"
#include "host.h"

int sws_cmd_run(sws_cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return sws_cli_usage_error("run", "which SCRIPT.lua?");
    struct stat sb; /* a missing file is the loader's to report */
    if (stat(argv[1], &sb) == 0 && !S_ISREG(sb.st_mode))
        return sws_cli_usage_error("run", "%s is %s, not a script: name a SCRIPT.lua file", argv[1],
                                   S_ISDIR(sb.st_mode) ? "a folder" : "not a file");
    sws_host *h = sws_cli_host(cli);
    if (!h)
        return SWS_EXIT_ERROR;
    lua_State *L = sws_host_lua(h);
    lua_createtable(L, argc - 2, 0);
    for (int i = 2; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i - 1);
    }
    sws_host_set_global(h, "arg");
    for (int i = 2; i < argc; i++)
        lua_pushstring(L, argv[i]);
    char who[300];
    snprintf(who, sizeof who, "script %s", argv[1]);
    sws_error e;
    if (sws_host_run_file(h, argv[1], who, SWS_CALLER_SCRIPT, NULL, argc - 2, &e) < 0)
        return sws_cli_fail(&e);
    int status = lua_isinteger(L, -1) ? (int)lua_tointeger(L, -1) : SWS_EXIT_OK;
    lua_pop(L, 2);
    return status;
}
