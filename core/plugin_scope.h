/*
 * plugin_scope.h — the counties a plugin serves, enforced wherever it acts.
 *
 * A manifest's `counties` is "*" (or absent: every county) or a list of
 * administering units (counties, and the industrial zones 330391/330392; a
 * station's unit is its township's unit_code). A plugin with a list:
 *   - its event handlers are not called for an event of another unit (the
 *     event's county, station, or imported row says whose it is; an event
 *     that names no place reaches every plugin, and a city-wide
 *     evaluation.scored reaches it with only its units' results);
 *   - its rules see a view of the check's context holding only its units'
 *     stations, and their findings elsewhere are dropped (core/lua/rules.lua);
 *   - its jobs refuse a county outside the list (`job@COUNTY`), and the
 *     daemon schedules no per-county run of them there;
 *   - its commands refuse `--county` outside the list.
 * In a run for one county (`--county`) the plugin is not loaded at all
 * unless it serves that county (plugin.c).
 */
#ifndef SWS_PLUGIN_SCOPE_H
#define SWS_PLUGIN_SCOPE_H

#include <lua.h>
#include <stddef.h>

/* Records the manifest value at idx as plugin's counties. Returns 0, or -1
 * with why when it is neither "*", nil, nor a list of 6-digit codes. */
int sws_plugin_scope_read(lua_State *L, int idx, const char *plugin, char *why, size_t whylen);

/* Pushes plugin's counties as a set {code = true}, or nothing; returns
 * whether it pushed (0: the plugin serves every county). */
int sws_plugin_scope_push(lua_State *L, const char *plugin);

/* Whether plugin (NULL or "": none) acts for unit `county`. */
int sws_plugin_serves(lua_State *L, const char *plugin, const char *county);

/* "330302, 330303": plugin's counties in code order, for messages ("every
 * county" when it has no list). */
void sws_plugin_scope_text(lua_State *L, const char *plugin, char *out, size_t n);

/* Replaces the event handler on top of the stack with one that calls it
 * only for events of plugin's counties (nothing when the plugin serves
 * every county). */
void sws_plugin_scope_wrap_handler(lua_State *L, const char *plugin);

/* Refuses `--county X` / `--county=X` among args outside plugin's
 * counties: 0, or -1 with the reason in why. */
int sws_plugin_scope_check_args(lua_State *L, const char *plugin, int argc, char **argv,
                                char *why, size_t whylen);

#endif
