/*
 * validate.h — the format rules of imported data.
 *
 * Each validator returns NULL when the value passes, or a short phrase
 * naming the rule it breaks ("must be 9 digits"), which the importer puts
 * after the file, line and column. Formats are PCRE2 patterns; what a
 * pattern cannot say (calendar dates, check digits) is plain C.
 */
#ifndef SWS_VALIDATE_H
#define SWS_VALIDATE_H

#include <stddef.h>

/* A division code of exactly `digits` digits (6 county, 9 township, 12 village). */
const char *sws_valid_division_code(const char *s, int digits);

/* An 18-character resident ID number (GB 11643): 17 digits and a check
 * character (digit or X, lower-case x accepted) by ISO 7064 MOD 11-2, with
 * a real birth date. On success, writes the birth date as YYYY-MM-DD into
 * birth (11 bytes) when birth is not NULL. */
const char *sws_valid_id_number(const char *s, char birth[11]);

/* The check character (0-9 or X) that the first 17 digits call for. */
char sws_id_check_char(const char *first17);

/* A mainland mobile number: 11 digits starting 13–19, with an optional
 * +86/86 prefix and spaces or hyphens between groups. On success writes the
 * bare 11 digits into digits11 (12 bytes) when not NULL. */
const char *sws_valid_mobile(const char *s, char digits11[12]);

/* A calendar date written YYYY-MM-DD. */
const char *sws_valid_date(const char *s);

/* Excel's ways of writing a date — 2023/3/7, 2023-3-7, 2023.3.7, 2023年3月7日
 * — rewritten as YYYY-MM-DD into iso (11 bytes). Returns 1 when s has one of
 * those forms (the date itself is not checked), 0 otherwise. */
int sws_date_from_excel(const char *s, char iso[11]);

/* The same for months (2023/3, 2023-3, 2023年3月) into YYYY-MM (8 bytes). */
int sws_month_from_excel(const char *s, char iso[8]);

/* A month written YYYY-MM. */
const char *sws_valid_month(const char *s);

/* An integer / a decimal number within [min, max]; writes it to *out. */
const char *sws_valid_int(const char *s, long long min, long long max, long long *out);
const char *sws_valid_real(const char *s, double min, double max, double *out);

/* A yes/no value: 1/0, yes/no, true/false, 是/否, y/n. */
const char *sws_valid_bool(const char *s, int *out);

/* Returns the byte offset of the first byte that is not valid UTF-8, or -1
 * when all of buf[0..len) is valid. Overlong forms and surrogates are invalid. */
long sws_utf8_invalid_at(const char *buf, size_t len);

#endif
