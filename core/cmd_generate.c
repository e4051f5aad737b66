/* cmd_generate.c — `sws generate`: write synthetic CSV files for townships. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "gen.h"
#include "validate.h"

/* Parses a whole number in [min, max] (digits only: no spaces, signs,
 * fractions or overflow); -1 when it is not one. */
static long long parse_count(const char *s, long long min, long long max)
{
    long long v;
    return sws_valid_int(s, min, max, &v) || s[0] == '+' || s[0] == '-' ? -1 : v;
}

/* Parses a share above 0 and at most 1 ("0.75"); -1 when it is not one. */
static int parse_share(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);
    if (!*s || *end || !(v > 0 && v <= 1))
        return -1;
    *out = v;
    return 0;
}

int sws_cmd_generate(sws_cli *cli, int argc, char **argv)
{
    (void)cli;
    sws_gen_opts o = {.services = -1, .year = 2022, .seed = 1, .coverage = 1};
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i];
        if (i + 1 >= argc)
            return sws_cli_usage_error("generate", "'%s' needs a value", opt);
        const char *val = argv[++i];
        long long n = parse_count(val, 0, strcmp(opt, "--year") == 0 ? 2100 : 1000000000LL);
        if (strcmp(opt, "--townships") == 0)
            o.townships_csv = val;
        else if (strcmp(opt, "--counties") == 0)
            o.counties_csv = val;
        else if (strcmp(opt, "--out") == 0)
            o.out_dir = val;
        else if (strcmp(opt, "--services") == 0 && n >= 0)
            o.services = (long)n;
        else if (strcmp(opt, "--year") == 0 && n >= 2000 && n <= 2100)
            o.year = (int)n;
        else if (strcmp(opt, "--seed") == 0 && n >= 0)
            o.seed = (unsigned long long)n;
        else if (strcmp(opt, "--coverage") == 0 && parse_share(val, &o.coverage) == 0)
            ;
        else
            return sws_cli_usage_error("generate", "%s \"%s\": not an option, or not a value it "
                                       "takes (--year 2000-2100, --services and --seed whole "
                                       "numbers from 0)", opt, val);
    }
    if (!o.townships_csv || !o.out_dir)
        return sws_cli_usage_error("generate", "needs --townships FILE.csv and --out DIR");
    sws_gen_counts c;
    sws_error e;
    if (sws_generate(&o, &c, &e) < 0)
        return sws_cli_fail(&e);
    printf("wrote synthetic data to %s: %ld stations, %ld villages, %ld workers, %ld service "
           "records\n", o.out_dir, c.stations, c.villages, c.workers, c.services);
    return SWS_EXIT_OK;
}
