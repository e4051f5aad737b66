/*
 * serve.h — the daemon (`sws serve`): one libev loop that runs every
 * scheduled job exactly once, runs the plugins' timers, reloads policies and
 * plugins without a restart, and answers the control socket.
 */
#ifndef SWS_SERVE_H
#define SWS_SERVE_H

#include <sqlite3.h>
#include <time.h>

#include "error.h"
#include "host.h"

typedef struct sws_serve_opts {
    const char *db_path;
    const char *home;          /* the folder with policies/ and plugins/ (watched) */
    const char *socket_path;   /* NULL: DB.sock */
    const char *reports_dir;   /* NULL: reports/ beside the database */
    int log_json;              /* log lines as JSON objects instead of text */
    int no_plugins;            /* load no plugin */
    time_t clock_start;        /* 0: the real clock; else "now" starts here and runs on */
    time_t until;              /* 0: run until stopped; else jump from one due time to the
                                  next without waiting, and stop when "now" reaches it */
    /* Creates a host with the sws API on db, without plugins (the CLI's). */
    sws_host *(*new_host)(void *ud, sqlite3 *db);
    void *host_ud;
} sws_serve_opts;

/* Runs the daemon until SIGTERM/SIGINT (or `until`). 0 after a clean stop,
 * -1 with e when it cannot start (another daemon holds the database's
 * lock, a policy or plugin does not load, the socket cannot be made). */
int sws_serve(const sws_serve_opts *o, sws_error *e);

#endif
