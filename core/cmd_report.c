/* cmd_report.c — `sws report KIND`: coverage, annual, station and volunteer reports. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access_log.h"
#include "db.h"
#include "progress.h"
#include "report.h"
#include "validate.h"
#include "workflow.h"

/* Checks the options of a report; NULL when fine, else the usage message. */
static const char *check_opts(const sws_report_opts *o, const char *year, char *buf, size_t n)
{
    if (strcmp(o->format, "html") && strcmp(o->format, "md") && strcmp(o->format, "csv") &&
        strcmp(o->format, "json"))
        return "--format is html, md, csv or json";
    const char *why;
    if (o->county && (why = sws_valid_division_code(o->county, 6)))
        return snprintf(buf, n, "--county %s: %s", o->county, why), buf;
    if (o->station && (why = sws_valid_division_code(o->station, 9)))
        return snprintf(buf, n, "--station %s: %s", o->station, why), buf;
    const char *dates[] = {o->as_of, o->from, o->to}, *names[] = {"--as-of", "--from", "--to"};
    for (int k = 0; k < 3; k++)
        if (dates[k] && (why = sws_valid_date(dates[k])))
            return snprintf(buf, n, "%s %s: %s", names[k], dates[k], why), buf;
    if (year && (atoi(year) < 2000 || atoi(year) > 2100 || strspn(year, "0123456789") != 4))
        return snprintf(buf, n, "--year %s: a year such as 2022", year), buf;
    if (o->from && o->to && strcmp(o->from, o->to) > 0)
        return snprintf(buf, n, "--from %s is after --to %s", o->from, o->to), buf;
    if (strcmp(o->kind, "station") == 0 && !o->station)
        return "the station report needs --station CODE";
    if (strcmp(o->kind, "annual") == 0 && !o->county && !o->station)
        return "the annual report is a county's: give --county CODE";
    if ((o->from || o->to) && strcmp(o->kind, "volunteers") != 0)
        return "--from and --to are for the volunteers report";
    return NULL;
}

/* 1 when station lies in administering unit `unit` (a county, or a zone
 * whose townships lie inside NBS counties) or is not on file (the report
 * says so); else 0 with the reason in buf. */
static int station_in_unit(sqlite3 *db, const char *station, const char *unit, char *buf, size_t n)
{
    sqlite3_stmt *st;
    sws_error e;
    if (sws_db_prepare(db,
                       "SELECT t.unit_code, coalesce(c.name, '') FROM township t "
                       "LEFT JOIN county c ON c.code = t.unit_code WHERE t.code = ?",
                       &st, &e) < 0)
        return 1; /* the report itself then says what is wrong with the database */
    sqlite3_bind_text(st, 1, station, -1, SQLITE_STATIC);
    int in = 1;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
        strcmp((const char *)sqlite3_column_text(st, 0), unit) != 0) {
        snprintf(buf, n, "--station %s does not lie in --county %s: it is administered by %s %s",
                 station, unit, (const char *)sqlite3_column_text(st, 1),
                 (const char *)sqlite3_column_text(st, 0));
        in = 0;
    }
    sqlite3_finalize(st);
    return in;
}

/* What the access log says was output. */
static void describe(const sws_report_opts *o, const char *out, char *buf, size_t n)
{
    snprintf(buf, n, "report %s --format %s%s%s%s%s%s%s", o->kind, o->format,
             o->county ? " --county " : "", o->county ? o->county : "",
             o->station ? " --station " : "", o->station ? o->station : "", out ? " --out " : "",
             out ? out : "");
}

/* PATH with "{county}" replaced by the county code, into buf. */
static const char *out_path(const char *pattern, const char *county, char *buf, size_t n)
{
    const char *at = strstr(pattern, "{county}");
    if (!at)
        return pattern;
    snprintf(buf, n, "%.*s%s%s", (int)(at - pattern), pattern, county, at + 8);
    return buf;
}

/* Renders one report, logs an unmasked one, writes it. 0, or -1 with e. */
static int render_one(sws_cli *cli, sws_host *h, const sws_report_opts *o, const char *out, int bom,
                      const char *reason, const char *actor, sws_error *e)
{
    char *doc = NULL;
    size_t len = 0;
    int rc = sws_report_render(h, o, &doc, &len, e);
    sws_progress_done();
    if (rc == 0 && o->reveal) {
        char who[128], what[400];
        describe(o, out, what, sizeof what);
        rc = sws_access_log_add(sws_cli_db(cli), actor ? actor : sws_access_who(who, sizeof who),
                                what, reason, o->as_of, e);
    }
    if (rc == 0)
        rc = sws_report_write(out, doc, len, bom, e);
    free(doc);
    if (rc == 0 && out)
        fprintf(stderr, "wrote %s\n", out);
    return rc;
}

int sws_cmd_report(sws_cli *cli, int argc, char **argv)
{
    sws_report_opts o = {.format = NULL};
    const char *year = NULL, *out = NULL, *reason = NULL, *actor = NULL;
    int no_bom = 0;
    char today[11], buf[200];
    if (argc < 2 || argv[1][0] == '-')
        return sws_cli_usage_error("report", "name the report: coverage, annual, station or "
                                             "volunteers (see `sws report --help`)");
    o.kind = argv[1];
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = strcmp(a, "--county") == 0    ? &o.county
                            : strcmp(a, "--station") == 0 ? &o.station
                            : strcmp(a, "--as-of") == 0   ? &o.as_of
                            : strcmp(a, "--year") == 0    ? &year
                            : strcmp(a, "--from") == 0    ? &o.from
                            : strcmp(a, "--to") == 0      ? &o.to
                            : strcmp(a, "--format") == 0  ? &o.format
                            : strcmp(a, "--out") == 0     ? &out
                            : strcmp(a, "--reason") == 0  ? &reason
                            : strcmp(a, "--actor") == 0   ? &actor
                                                          : NULL;
        if (slot && i + 1 < argc)
            *slot = argv[++i];
        else if (strcmp(a, "--no-bom") == 0)
            no_bom = 1;
        else if (strcmp(a, "--reveal") == 0)
            o.reveal = 1;
        else
            return sws_cli_usage_error("report", "unknown argument '%s' (see `sws report --help`)",
                                       a);
    }
    if (!o.format)
        return sws_cli_usage_error("report", "--format is required: html, md, csv or json");
    /* --county A,B,… renders one report per county, into --out with {county} */
    char list[800] = "", *counties[64];
    int ncounties = 0;
    snprintf(list, sizeof list, "%s", o.county ? o.county : "");
    for (char *save = NULL, *c = strtok_r(list, ",", &save); c && ncounties < 64;
         c = strtok_r(NULL, ",", &save))
        counties[ncounties++] = c;
    if (ncounties > 1 && (!out || !strstr(out, "{county}")))
        return sws_cli_usage_error("report", "several counties need --out with {county} in "
                                             "the file name (e.g. --out annual-{county}.html)");
    if (out && strstr(out, "{county}") && ncounties < 1)
        return sws_cli_usage_error("report", "{county} in --out needs --county");
    for (int k = 0; k < (ncounties ? ncounties : 1); k++) {
        o.county = ncounties ? counties[k] : NULL;
        const char *bad = check_opts(&o, year, buf, sizeof buf);
        if (bad)
            return sws_cli_usage_error("report", "%s", bad);
    }
    if (o.reveal && (!reason || !reason[strspn(reason, " \t")]))
        return sws_cli_usage_error("report",
                                   "--reveal needs --reason TEXT: why unmasked "
                                   "personal data is needed (it is written to the access log)");
    if ((reason || actor) && !o.reveal)
        return sws_cli_usage_error("report", "--reason and --actor are for --reveal");
    if (no_bom && strcmp(o.format, "csv") != 0)
        return sws_cli_usage_error("report", "--no-bom is for --format csv");
    if (!o.as_of) {
        sws_today(today);
        o.as_of = today;
    }
    o.year = year ? atoi(year) : 0;

    sws_host *h = sws_cli_host(cli);
    if (!h)
        return SWS_EXIT_ERROR;
    sws_error e;
    for (int k = 0; o.station && k < ncounties; k++)
        if (!station_in_unit(sws_cli_db(cli), o.station, counties[k], buf, sizeof buf))
            return sws_cli_usage_error("report", "%s", buf);
    char path[4096];
    o.batch = "sws report"; /* the counties of one command share their city's evaluation */
    for (int k = 0; k < (ncounties ? ncounties : 1); k++) {
        o.county = ncounties ? counties[k] : NULL;
        const char *to = out ? out_path(out, o.county, path, sizeof path) : NULL;
        if (render_one(cli, h, &o, to, strcmp(o.format, "csv") == 0 && !no_bom, reason, actor, &e) <
            0)
            return sws_cli_fail(&e);
    }
    return SWS_EXIT_OK;
}
