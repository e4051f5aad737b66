/*
 * fuzz_csv.c — libFuzzer target: the CSV reader and the cell validators.
 *
 * Each input is written to a scratch file (the reader reads files), read
 * record by record, and every field goes through each validator the
 * importer uses. Built by scripts/fuzz.sh; seeds in tests/fuzz/csv/.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvread.h"
#include "validate.h"

static char scratch[64];

/* Writes the input to the scratch file; 0 on success. */
static int write_scratch(const uint8_t *data, size_t size)
{
    if (!scratch[0]) {
        snprintf(scratch, sizeof scratch, "/tmp/sws-fuzz-csv-XXXXXX");
        int fd = mkstemp(scratch);
        if (fd < 0)
            abort();
        close(fd);
    }
    FILE *f = fopen(scratch, "wb");
    if (!f)
        return -1;
    size_t put = size ? fwrite(data, 1, size, f) : 0;
    return fclose(f) == 0 && put == size ? 0 : -1;
}

static void validate_field(const char *s)
{
    char birth[11], digits[12];
    long long n;
    double d;
    int b;
    sws_valid_division_code(s, 9);
    sws_valid_id_number(s, birth);
    sws_valid_mobile(s, digits);
    sws_valid_date(s);
    sws_valid_month(s);
    sws_valid_int(s, -1000000, 1000000, &n);
    sws_valid_real(s, -1e9, 1e9, &d);
    sws_valid_bool(s, &b);
    sws_utf8_invalid_at(s, strlen(s));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (write_scratch(data, size) < 0)
        return 0;
    sws_error e;
    sws_csv *c = sws_csv_open(scratch, &e);
    if (!c)
        return 0;
    sws_csv_row r;
    while (sws_csv_next(c, &r, &e) == 1)
        for (size_t i = 0; !r.problem && i < r.n; i++)
            validate_field(r.field[i]);
    sws_csv_close(c);
    return 0;
}
