/*
 * error.h — the one way the core reports a failure to its caller.
 *
 * Functions that can fail take an `sws_error *` and return 0 on success or
 * -1 after writing a message that a county administrator can act on. The
 * message carries its place (file:line, row, rule) because the caller only
 * prints it.
 */
#ifndef SWS_ERROR_H
#define SWS_ERROR_H

#include <stddef.h>

/* Process exit codes of the CLI; later checks rely on them. */
enum {
    SWS_EXIT_OK = 0,
    SWS_EXIT_ERROR = 1,
    SWS_EXIT_USAGE = 2,
    SWS_EXIT_FINDINGS = 3
};

typedef struct sws_error {
    char msg[1024];
} sws_error;

/* Sets the message (printf-style) and returns -1, so `return sws_errorf(...)` reads well. */
int sws_errorf(sws_error *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prefixes the existing message with more context ("importing x.csv: ..."). Returns -1. */
int sws_error_prefix(sws_error *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
