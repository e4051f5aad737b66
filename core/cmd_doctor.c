/* cmd_doctor.c — `sws doctor [--repair]`: are the kept aggregates and
 * verdicts in step with the records? */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "aggregates.h"
#include "chores_policy.h"
#include "host.h"
#include "text.h"

/* The kept aggregates, in the order doctor compares them: each with what it
 * is recomputed from, what one of its differing rows is, and what a repair
 * does. */
static const struct kept {
    long (*compare)(sqlite3 *db, FILE *out, int max_listed, int repair, sws_error *e);
    const char *table, *source, *one, *many, *repaired;
} kept[] = {
    {sws_agg_doctor, "service_month", "the service records", "station-month", "station-months",
     "recomputed from the records"},
    {sws_agg_doctor_years, "service_year", "service_month", "station-year", "station-years",
     "recomputed"},
    {sws_agg_doctor_workers, "worker_year", "the trainings and working time", "worker-year",
     "worker-years", "recomputed from the records"},
    {sws_agg_doctor_volunteers, "volunteer_year", "the volunteer service records", "volunteer-year",
     "volunteer-years", "recomputed from the records"},
    {sws_agg_doctor_clients, "station_clients", "the service objects", "station", "stations",
     "recomputed from the records"},
    {sws_agg_doctor_contacts, "village_contact_worker", "the contacts and their workers", "contact",
     "contacts", "recomputed from the records"},
};
enum { NKEPT = sizeof kept / sizeof kept[0] };

int sws_cmd_doctor(sws_cli *cli, int argc, char **argv)
{
    int repair = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--repair") == 0)
            repair = 1;
        else
            return sws_cli_usage_error("doctor", "unknown argument '%s'", argv[i]);
    }
    sws_host *h = sws_cli_host(cli);
    if (!h)
        return SWS_EXIT_ERROR;
    sws_error e;
    long long verdicts = sws_chores_out_of_step(h, stdout, &e);
    if (verdicts < 0)
        return sws_cli_fail(&e);
    if (verdicts && repair && sws_chores_sync(h, stdout, &e) < 0)
        return sws_cli_fail(&e);
    long differ[NKEPT];
    int any = verdicts != 0;
    for (int k = 0; k < NKEPT; k++) {
        differ[k] = kept[k].compare(sws_host_db(h), stdout, 50, repair, &e);
        if (differ[k] < 0)
            return sws_cli_fail(&e);
        any |= differ[k] != 0;
    }
    if (!any) {
        for (int k = 0; k < NKEPT; k++) {
            const char *joint = k == 0 ? "" : k == NKEPT - 1 ? " and " : ", ";
            printf("%s%s %s %s", joint, kept[k].table, k == 0 ? "agrees with" : "with",
                   kept[k].source);
        }
        printf("; every record is judged with its unit's chore patterns\n");
        return SWS_EXIT_OK;
    }
    for (int k = 0; k < NKEPT; k++)
        if (differ[k])
            printf("%ld %s of %s %s from %s%s%s\n", differ[k],
                   sws_plural(differ[k], kept[k].one, kept[k].many), kept[k].table,
                   sws_plural(differ[k], "differs", "differ"), kept[k].source, repair ? "; " : "",
                   repair ? kept[k].repaired : "");
    if (verdicts && repair)
        printf("the chore verdicts are in step with the policies again\n");
    if (!repair)
        printf("run `sws doctor --repair` to recompute them\n");
    return repair ? SWS_EXIT_OK : SWS_EXIT_FINDINGS;
}
