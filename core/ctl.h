/*
 * ctl.h — the daemon's control socket: a Unix domain socket (mode 0600)
 * speaking JSON lines. Each request is one JSON object on one line
 * ({"cmd":"status"}); each answer is one JSON object on one line, with
 * "ok": true or "ok": false and "error".
 */
#ifndef SWS_CTL_H
#define SWS_CTL_H

#include <cjson/cJSON.h>
#include <ev.h>

#include "error.h"

/* Answers one request; returns a new object (the server frees it). */
typedef cJSON *(*sws_ctl_handler)(void *ud, const cJSON *request);

typedef struct sws_ctl_server sws_ctl_server;

/* Listens on PATH (a stale socket file is replaced: the caller holds the
 * daemon's lock) with fn answering requests on loop. NULL with e. */
sws_ctl_server *sws_ctl_listen(struct ev_loop *loop, const char *path, sws_ctl_handler fn,
                               void *ud, sws_error *e);

/* Closes the clients and the socket, and removes the socket file. */
void sws_ctl_close(sws_ctl_server *s);

/* Client side: sends `line` to the daemon at PATH and reads its one-line
 * answer into *answer (malloc'd). 0, or -1 with e (no daemon there, …). */
int sws_ctl_request(const char *path, const char *line, double timeout, char **answer,
                    sws_error *e);

#endif
