/*
 * lapi_workflow.c — sws.workflow: the workflow engine for scripts and plugins.
 *
 *   sws.workflow.start(station, actor [, as_of [, role]])  -> true
 *   sws.workflow.advance(station, stage, actor [, {reason =, as_of =, role =}])
 *                                                           -> true | false, reasons
 *   sws.workflow.stage(station)                             -> stage or nil
 *   sws.workflow.next(station)                              -> {stage, ...} it may move to
 *
 * These are model functions: they write the workflow tables through the
 * engine, with its guards and audit, on behalf of a plugin or script. A
 * policy may not call them (its guards run inside an advance).
 */
#include "lapi.h"

#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "host.h"
#include "policy.h"
#include "workflow.h"

static sws_host *writer(lua_State *L, const char *fn)
{
    sws_host *h = sws_host_from_lua(L);
    if (sws_host_current_caller(h, NULL) == SWS_CALLER_POLICY)
        luaL_error(L, "sws.workflow.%s: a policy may not move stations", fn);
    if (!sws_host_db(h))
        luaL_error(L, "sws.workflow.%s: no database is open", fn);
    return h;
}

static int l_start(lua_State *L)
{
    sws_host *h = writer(L, "start");
    const char *station = luaL_checkstring(L, 1), *actor = luaL_checkstring(L, 2);
    const char *as_of = luaL_optstring(L, 3, NULL), *role = luaL_optstring(L, 4, NULL);
    if (role && sws_wf_role_invalid(role))
        return luaL_error(L, "sws.workflow.start: role '%s': %s", role, sws_wf_role_invalid(role));
    sws_error e;
    sws_caller was = sws_host_swap_caller(h, SWS_CALLER_CORE);
    int rc = sws_workflow_start(h, station, actor, role, as_of, &e);
    sws_host_swap_caller(h, was);
    if (rc < 0)
        return luaL_error(L, "sws.workflow.start: %s", e.msg);
    lua_pushboolean(L, 1);
    return 1;
}

static int l_advance(lua_State *L)
{
    sws_host *h = writer(L, "advance");
    sws_wf_move m = {.station = luaL_checkstring(L, 1), .to = luaL_checkstring(L, 2),
                     .actor = luaL_checkstring(L, 3)};
    if (lua_istable(L, 4)) {
        lua_getfield(L, 4, "reason");
        m.reason = lua_tostring(L, -1);
        lua_getfield(L, 4, "as_of");
        m.as_of = lua_tostring(L, -1);
        lua_getfield(L, 4, "role");
        m.role = lua_tostring(L, -1); /* all kept alive on the stack */
        if (m.role && sws_wf_role_invalid(m.role))
            return luaL_error(L, "sws.workflow.advance: role '%s': %s", m.role,
                              sws_wf_role_invalid(m.role));
    }
    char *report = NULL;
    size_t len = 0;
    m.report = open_memstream(&report, &len);
    m.quiet = 1;
    sws_error e;
    const char *plugin;
    sws_caller was = sws_host_current_caller(h, &plugin);
    sws_host_swap_caller(h, SWS_CALLER_CORE);
    int rc = sws_workflow_advance(h, &m, &e);
    sws_host_swap_caller(h, was);
    sws_host_set_plugin(h, plugin);
    if (m.report)
        fclose(m.report);
    if (rc < 0) {
        free(report);
        return luaL_error(L, "sws.workflow.advance: %s", e.msg);
    }
    lua_pushboolean(L, rc == SWS_WF_MOVED);
    if (rc == SWS_WF_MOVED) {
        free(report);
        return 1;
    }
    lua_pushstring(L, report ? report : "");
    free(report);
    return 2;
}

static int l_stage(lua_State *L)
{
    sws_host *h = sws_host_from_lua(L);
    sws_wf_instance in;
    sws_error e;
    int found = sws_workflow_instance(h, luaL_checkstring(L, 1), &in, &e);
    if (found < 0)
        return luaL_error(L, "sws.workflow.stage: %s", e.msg);
    if (found)
        lua_pushstring(L, in.stage);
    else
        lua_pushnil(L);
    return 1;
}

static int l_next(lua_State *L)
{
    sws_host *h = sws_host_from_lua(L);
    const char *station = luaL_checkstring(L, 1);
    sws_wf_instance in;
    sws_error e;
    int found = sws_workflow_instance(h, station, &in, &e);
    if (found < 0)
        return luaL_error(L, "sws.workflow.next: %s", e.msg);
    if (!found)
        return luaL_error(L, "sws.workflow.next: station %s has no workflow", station);
    sws_policy p;
    if (sws_policy_load(h, in.policy, &p, &e) < 0)
        return luaL_error(L, "sws.workflow.next: %s", e.msg);
    char allowed[512];
    sws_policy_can_move(&p, in.stage, "", allowed, sizeof allowed);
    sws_policy_release(&p);
    lua_newtable(L);
    lua_Integer n = 0;
    for (char *tok = strtok(allowed, ", "); tok; tok = strtok(NULL, ", ")) {
        lua_pushstring(L, tok);
        lua_rawseti(L, -2, ++n);
    }
    return 1;
}

void sws_lapi_open_workflow(lua_State *L)
{
    static const luaL_Reg fns[] = {{"start", l_start}, {"advance", l_advance}, {"stage", l_stage},
                                   {"next", l_next}, {NULL, NULL}};
    luaL_newlib(L, fns);
}
