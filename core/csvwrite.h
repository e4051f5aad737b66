/*
 * csvwrite.h — writing CSV cells that a spreadsheet cannot turn into code.
 *
 * Every CSV sws writes (check and eval reports, rejects, generated data)
 * goes through sws_csv_put: RFC 4180 quoting (libcsv), and a cell that a
 * spreadsheet would read as a formula — one starting with =, +, -, @, a tab
 * or a carriage return — gets a leading apostrophe. Plain numbers ("-5",
 * "-0.25") are left as they are: no spreadsheet runs them. Lua writes its
 * CSV cells with the same rule through sws.csv.cell (sws_csv_cell).
 */
#ifndef SWS_CSVWRITE_H
#define SWS_CSVWRITE_H

#include <stdio.h>

/* Writes s as one CSV cell (quoted when needed, neutralized when it could
 * be a formula); no separator. Returns 0, or -1 on a write error. */
int sws_csv_put(FILE *out, const char *s);

/* Writes s (len bytes) as one CSV cell into out, which has room for at
 * least SWS_CSV_CELL_MAX(len) bytes: neutralized as sws_csv_put does, and
 * quoted only when it holds a comma, a quote, CR or LF. Returns the cell's
 * length (out is not NUL-terminated). */
#define SWS_CSV_CELL_MAX(len) (2 * (len) + 3)
size_t sws_csv_cell(const char *s, size_t len, char *out);

/* Whether s would be read as a formula by a spreadsheet. */
int sws_csv_is_formula(const char *s);

/* Creates (or truncates) PATH for personal data: mode 0600, whatever the
 * umask. NULL with errno on failure. */
FILE *sws_csv_create_private(const char *path);

#endif
