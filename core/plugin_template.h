/*
 * plugin_template.h — the files of a new plugin (`sws plugin new NAME`).
 */
#ifndef SWS_PLUGIN_TEMPLATE_H
#define SWS_PLUGIN_TEMPLATE_H

#include <stddef.h>

#include "error.h"

/* Why name cannot be a plugin's name, or NULL when it can (a-z first, then
 * a-z, 0-9 and _; its rule and table names are made from it). */
const char *sws_plugin_name_problem(const char *name);

/* Creates dir/name/ with manifest.lua, init.lua (one event handler, one
 * compliance rule `name_address`, one command `sws name`) and
 * name_test.lua, which passes. The folder must be new; its path is put in
 * made. 0, or -1 with e (files written before the failure stay). */
int sws_plugin_template(const char *dir, const char *name, char *made, size_t made_size,
                        sws_error *e);

#endif
