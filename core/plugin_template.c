/*
 * plugin_template.c — `sws plugin new NAME`: the files of a new plugin, a
 * starting point that loads, works and passes its test: a manifest, an
 * init.lua with one event handler, one compliance rule and one command, and
 * NAME_test.lua.
 */
#include "plugin_template.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* "{{name}}" in the texts below stands for the plugin's name. */
static const char manifest[] =
    "-- {{name}}: say here what this plugin adds for the county. Data only: sws reads\n"
    "-- this before init.lua (docs/plugins.md).\n"
    "return {\n"
    "  name = \"{{name}}\",\n"
    "  version = \"0.1.0\",\n"
    "  api = 1,\n"
    "  requires = {},\n"
    "  counties = \"*\", -- or the counties it is for: { \"330302\" }\n"
    "  description = \"{{name}}: stations without an address on file\",\n"
    "}\n";

static const char init[] =
    "-- {{name}}: one event handler, one compliance rule and one command, each a\n"
    "-- model to change. {{name}}_test.lua tests them: `sws test plugins/{{name}}`.\n"
    "-- The API is in docs/lua-api.md; writing and testing plugins in docs/plugins.md.\n"
    "local sws = require \"sws\"\n"
    "\n"
    "local M = {} -- what other code gets from sws.plugin(\"{{name}}\")\n"
    "\n"
    "-- The stations (of county, or of every county) whose address is not on file:\n"
    "-- {code, name}, by code.\n"
    "function M.without_address(county)\n"
    "  return sws.db.query([[SELECT s.code, s.name FROM station s JOIN township t ON t.code = s.code\n"
    "    WHERE (s.address IS NULL OR s.address = '') AND (?1 IS NULL OR t.unit_code = ?1)\n"
    "    ORDER BY s.code]], county)\n"
    "end\n"
    "\n"
    "-- An event handler: after every import, the number of rows it stored.\n"
    "local imported = {}\n"
    "sws.on(\"import.completed\", function(ev)\n"
    "  imported[ev.kind] = (imported[ev.kind] or 0) + ev.imported\n"
    "end)\n"
    "function M.imported(kind) return imported[kind] or 0 end\n"
    "\n"
    "-- A compliance rule for `sws check`: a station needs its address on file.\n"
    "-- Its findings point at this line; a county policy may change its severity\n"
    "-- with rules = { {{rule}} = \"warning\" } (or switch it off with false).\n"
    "sws.rule(\"{{rule}}\", function(ctx)\n"
    "  for _, st in ipairs(ctx.stations) do\n"
    "    if not st.address or st.address == \"\" then\n"
    "      ctx.find(st.code, { message = \"the station's address is not on file\",\n"
    "        actual = \"no address\", required = \"an address\" })\n"
    "    end\n"
    "  end\n"
    "end, { severity = \"advice\", doc = \"the station's address is on file ({{name}})\" })\n"
    "\n"
    "-- A command: `sws {{name}} [COUNTY]` lists the stations without an address.\n"
    "sws.command(\"{{name}}\", \"stations without an address on file ([COUNTY])\", function(args)\n"
    "  local rows = M.without_address(args[1])\n"
    "  for _, r in ipairs(rows) do print(r.code .. \"  \" .. r.name) end\n"
    "  print(#rows .. \" \" .. sws.text.plural(#rows, \"station\", \"stations\") ..\n"
    "    \" without an address\")\n"
    "  return #rows > 0 and 3 or 0\n"
    "end)\n"
    "\n"
    "return M\n";

static const char test[] =
    "-- Tests of {{name}}, each on its own temporary database with the plugins\n"
    "-- loaded: `sws test plugins/{{name}}`.\n"
    "local function setup()\n"
    "  fixture.import(\"counties\", \"code,name\\n330302,鹿城区\\n\")\n"
    "  fixture.import(\"townships\", \"code,name,county_code\\n330302001,五马街道,330302\\n\" ..\n"
    "    \"330302002,松台街道,330302\\n\")\n"
    "  fixture.import(\"stations\", \"code,name,address\\n330302001,五马街道社会工作站,解放街1号\\n\" ..\n"
    "    \"330302002,松台街道社会工作站,\\n\")\n"
    "end\n"
    "\n"
    "test(\"the event handler counts the rows each import stored\", function()\n"
    "  setup()\n"
    "  assert_eq(sws.plugin(\"{{name}}\").imported(\"stations\"), 2)\n"
    "end)\n"
    "\n"
    "test(\"the rule finds the station without an address, and points at the plugin\", "
    "function()\n"
    "  setup()\n"
    "  local found = {}\n"
    "  for _, f in ipairs(sws.check{ county = \"330302\", year = 2022, as_of = \"2022-12-31\" }"
    ".findings) do\n"
    "    if f.rule == \"{{rule}}\" then found[#found + 1] = f end\n"
    "  end\n"
    "  assert_eq(#found, 1)\n"
    "  assert_eq(found[1].station, \"330302002\")\n"
    "  assert_eq(found[1].severity, \"advice\")\n"
    "  assert_eq(found[1].plugin, \"{{name}}\")\n"
    "  assert_true(found[1].layer:find(\"{{name}}/init.lua:%d+$\"), found[1].layer)\n"
    "end)\n"
    "\n"
    "test(\"the command's list: the stations without an address\", function()\n"
    "  setup()\n"
    "  assert_eq(sws.plugin(\"{{name}}\").without_address(\"330302\"),\n"
    "    { { code = \"330302002\", name = \"松台街道社会工作站\" } })\n"
    "  assert_eq(#sws.plugin(\"{{name}}\").without_address(\"330303\"), 0)\n"
    "end)\n";

/* Writes text to dir/file with every "{{name}}" replaced by name and every
 * "{{rule}}" by rule; the file must be new. 0, or -1 with e. */
static int write_file(const char *dir, const char *file, const char *text, const char *name,
                      const char *rule, sws_error *e)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "wx");
    if (!f)
        return sws_errorf(e, "cannot create %s: %s", path, strerror(errno));
    for (const char *p = text; *p;) {
        if (strncmp(p, "{{name}}", 8) == 0) {
            fputs(name, f);
            p += 8;
        } else if (strncmp(p, "{{rule}}", 8) == 0) {
            fputs(rule, f);
            p += 8;
        } else {
            fputc(*p++, f);
        }
    }
    if (fclose(f) != 0)
        return sws_errorf(e, "cannot write %s: %s", path, strerror(errno));
    return 0;
}

const char *sws_plugin_name_problem(const char *name)
{
    if (!name[0] || strlen(name) > 40)
        return "a plugin name has 1 to 40 characters";
    if (!(name[0] >= 'a' && name[0] <= 'z'))
        return "a plugin name begins with a letter a-z";
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return "a plugin name may use only a-z, 0-9 and _";
    return NULL;
}

int sws_plugin_template(const char *dir, const char *name, char *made, size_t made_size,
                        sws_error *e)
{
    const char *problem = sws_plugin_name_problem(name);
    if (problem)
        return sws_errorf(e, "plugin name '%s': %s", name, problem);
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return sws_errorf(e, "%s is not a folder (name an existing one with --dir DIR)", dir);
    snprintf(made, made_size, "%s/%s", dir, name);
    if (mkdir(made, 0755) != 0)
        return sws_errorf(e, errno == EEXIST ? "%s exists already: choose another name"
                                             : "cannot create %s: %s", made, strerror(errno));
    char rule[64], test_file[64];
    snprintf(rule, sizeof rule, "%s_address", name);
    snprintf(test_file, sizeof test_file, "%s_test.lua", name);
    if (write_file(made, "manifest.lua", manifest, name, rule, e) < 0 ||
        write_file(made, "init.lua", init, name, rule, e) < 0 ||
        write_file(made, test_file, test, name, rule, e) < 0)
        return -1;
    return 0;
}
