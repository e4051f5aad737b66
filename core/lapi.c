/* lapi.c — assembles the `sws` table from its modules. */
#include "lapi.h"

#include <lauxlib.h>


void sws_lapi_open(lua_State *L)
{
    lua_newtable(L);
    int sws = lua_gettop(L);
    lua_pushstring(L, SWS_VERSION);
    lua_setfield(L, sws, "version");
    lua_pushinteger(L, SWS_API_VERSION);
    lua_setfield(L, sws, "api_version");

    sws_lapi_open_db(L);
    lua_setfield(L, sws, "db");
    sws_lapi_open_re(L);
    lua_setfield(L, sws, "re");
    sws_lapi_open_json(L);
    lua_setfield(L, sws, "json");
    sws_lapi_open_date(L);
    lua_setfield(L, sws, "date");
    sws_lapi_open_log(L);
    lua_setfield(L, sws, "log");
    sws_lapi_open_text(L);
    lua_setfield(L, sws, "text");
    sws_lapi_open_workflow(L);
    lua_setfield(L, sws, "workflow");
    sws_lapi_open_eval(L);
    lua_setfield(L, sws, "eval");
    sws_lapi_open_csv(L);
    lua_setfield(L, sws, "csv");
    sws_lapi_open_mask(L);
    lua_setfield(L, sws, "mask");
    sws_lapi_open_cron(L);
    lua_setfield(L, sws, "cron");
    sws_lapi_open_timer(L);
    lua_setfield(L, sws, "timer");
    sws_lapi_open_event(L, sws);
    sws_lapi_open_plugin(L, sws);
    sws_lapi_open_check(L, sws);
    sws_lapi_open_policy(L, sws);
}
