/* cmd_doctor.c — `sws doctor [--repair]`: are the kept aggregates and
 * verdicts in step with the records? */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "aggregates.h"
#include "chores_policy.h"
#include "host.h"
#include "text.h"

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
    long counts = sws_agg_doctor(sws_host_db(h), stdout, 50, repair, &e);
    if (counts < 0)
        return sws_cli_fail(&e);
    long station_years = sws_agg_doctor_years(sws_host_db(h), stdout, 50, repair, &e);
    if (station_years < 0)
        return sws_cli_fail(&e);
    long worker_years = sws_agg_doctor_workers(sws_host_db(h), stdout, 50, repair, &e);
    if (worker_years < 0)
        return sws_cli_fail(&e);
    long volunteer_years = sws_agg_doctor_volunteers(sws_host_db(h), stdout, 50, repair, &e);
    if (volunteer_years < 0)
        return sws_cli_fail(&e);
    long stations = sws_agg_doctor_clients(sws_host_db(h), stdout, 50, repair, &e);
    if (stations < 0)
        return sws_cli_fail(&e);
    long contacts = sws_agg_doctor_contacts(sws_host_db(h), stdout, 50, repair, &e);
    if (contacts < 0)
        return sws_cli_fail(&e);
    if (!verdicts && !counts && !station_years && !worker_years && !volunteer_years && !stations &&
        !contacts) {
        printf("service_month agrees with the service records, service_year with "
               "service_month, worker_year with the "
               "trainings and working time, volunteer_year with the volunteer service "
               "records, station_clients with the service objects and "
               "village_contact_worker with the contacts and their workers; every record is "
               "judged with its unit's chore patterns\n");
        return SWS_EXIT_OK;
    }
    const char *fixed = repair ? "; recomputed from the records" : "";
    if (counts)
        printf("%ld %s of service_month %s from the service records%s\n", counts,
               sws_plural(counts, "station-month", "station-months"),
               sws_plural(counts, "differs", "differ"), fixed);
    if (station_years)
        printf("%ld %s of service_year %s from service_month%s\n", station_years,
               sws_plural(station_years, "station-year", "station-years"),
               sws_plural(station_years, "differs", "differ"), repair ? "; recomputed" : "");
    if (worker_years)
        printf("%ld %s of worker_year %s from the trainings and working time%s\n", worker_years,
               sws_plural(worker_years, "worker-year", "worker-years"),
               sws_plural(worker_years, "differs", "differ"), fixed);
    if (volunteer_years)
        printf("%ld %s of volunteer_year %s from the volunteer service records%s\n",
               volunteer_years, sws_plural(volunteer_years, "volunteer-year", "volunteer-years"),
               sws_plural(volunteer_years, "differs", "differ"), fixed);
    if (stations)
        printf("%ld %s of station_clients %s from the service objects%s\n", stations,
               sws_plural(stations, "station", "stations"),
               sws_plural(stations, "differs", "differ"), fixed);
    if (contacts)
        printf("%ld %s of village_contact_worker %s from the contacts and their workers%s\n",
               contacts, sws_plural(contacts, "contact", "contacts"),
               sws_plural(contacts, "differs", "differ"), fixed);
    if (verdicts && repair)
        printf("the chore verdicts are in step with the policies again\n");
    if (!repair)
        printf("run `sws doctor --repair` to recompute them\n");
    return repair ? SWS_EXIT_OK : SWS_EXIT_FINDINGS;
}
