/*
 * ctl.c — the control socket's server and client (see ctl.h).
 *
 * The server is a listening ev_io and one ev_io per client reading lines
 * into a bounded buffer; a request is answered in the loop, between jobs,
 * so an answer may wait for a running job to end. Answers are written with
 * blocking writes: they are small, and a client that stops reading only
 * stalls itself until its socket's timeout.
 */
#include "ctl.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_LINE 65536

typedef struct ctl_client {
    ev_io io;
    struct sws_ctl_server *server;
    struct ctl_client *next;
    char buf[MAX_LINE];
    size_t len;
} ctl_client;

struct sws_ctl_server {
    struct ev_loop *loop;
    ev_io listen;
    char path[108];
    sws_ctl_handler fn;
    void *ud;
    ctl_client *clients;
};

/* Fills a sockaddr_un for path; -1 when path is too long. */
static int make_addr(const char *path, struct sockaddr_un *a, sws_error *e)
{
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof a->sun_path)
        return sws_errorf(e, "socket path %s is too long (at most %zu bytes)", path,
                          sizeof a->sun_path - 1);
    memcpy(a->sun_path, path, strlen(path) + 1);
    return 0;
}

static void drop_client(ctl_client *c)
{
    sws_ctl_server *s = c->server;
    for (ctl_client **p = &s->clients; *p; p = &(*p)->next)
        if (*p == c) {
            *p = c->next;
            break;
        }
    ev_io_stop(s->loop, &c->io);
    close(c->io.fd);
    free(c);
}

/* Writes all of buf; -1 on error. */
static int write_all(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Answers one line; -1 when the client is gone. */
static int answer(ctl_client *c, const char *line)
{
    cJSON *req = cJSON_Parse(line), *resp;
    if (!req || !cJSON_IsObject(req)) {
        resp = cJSON_CreateObject();
        cJSON_AddBoolToObject(resp, "ok", 0);
        cJSON_AddStringToObject(resp, "error", "a request is one JSON object per line, "
                                               "e.g. {\"cmd\":\"status\"}");
    } else {
        resp = c->server->fn(c->server->ud, req);
    }
    cJSON_Delete(req);
    char *text = cJSON_PrintUnformatted(resp);
    cJSON_Delete(resp);
    int rc = text ? write_all(c->io.fd, text, strlen(text)) : -1;
    if (rc == 0)
        rc = write_all(c->io.fd, "\n", 1);
    free(text);
    return rc;
}

static void on_client(struct ev_loop *loop, ev_io *w, int revents)
{
    (void)loop;
    (void)revents;
    ctl_client *c = (ctl_client *)w;
    ssize_t n = read(w->fd, c->buf + c->len, sizeof c->buf - 1 - c->len);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        drop_client(c);
        return;
    }
    c->len += (size_t)n;
    c->buf[c->len] = '\0';
    char *nl;
    while ((nl = strchr(c->buf, '\n'))) {
        *nl = '\0';
        if (answer(c, c->buf) < 0) {
            drop_client(c);
            return;
        }
        size_t rest = c->len - (size_t)(nl + 1 - c->buf);
        memmove(c->buf, nl + 1, rest + 1);
        c->len = rest;
    }
    if (c->len >= sizeof c->buf - 1) /* a line longer than any request */
        drop_client(c);
}

static void on_accept(struct ev_loop *loop, ev_io *w, int revents)
{
    (void)revents;
    sws_ctl_server *s = (sws_ctl_server *)((char *)w - offsetof(sws_ctl_server, listen));
    int fd = accept(w->fd, NULL, NULL);
    if (fd < 0)
        return;
    ctl_client *c = calloc(1, sizeof *c);
    if (!c) {
        close(fd);
        return;
    }
    struct timeval tv = {.tv_sec = 5};
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    c->server = s;
    c->next = s->clients;
    s->clients = c;
    ev_io_init(&c->io, on_client, fd, EV_READ);
    ev_io_start(loop, &c->io);
}

sws_ctl_server *sws_ctl_listen(struct ev_loop *loop, const char *path, sws_ctl_handler fn,
                               void *ud, sws_error *e)
{
    struct sockaddr_un a;
    if (make_addr(path, &a, e) < 0)
        return NULL;
    sws_ctl_server *s = calloc(1, sizeof *s);
    if (!s) {
        sws_errorf(e, "out of memory");
        return NULL;
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        sws_errorf(e, "cannot create the control socket: %s", strerror(errno));
        free(s);
        return NULL;
    }
    unlink(path);
    mode_t old = umask(0177); /* the socket is born 0600 */
    int rc = bind(fd, (struct sockaddr *)&a, sizeof a);
    umask(old);
    if (rc < 0 || listen(fd, 16) < 0) {
        sws_errorf(e, "cannot listen on %s: %s", path, strerror(errno));
        close(fd);
        free(s);
        return NULL;
    }
    chmod(path, 0600);
    s->loop = loop;
    s->fn = fn;
    s->ud = ud;
    snprintf(s->path, sizeof s->path, "%s", path);
    ev_io_init(&s->listen, on_accept, fd, EV_READ);
    ev_io_start(loop, &s->listen);
    return s;
}

void sws_ctl_close(sws_ctl_server *s)
{
    if (!s)
        return;
    while (s->clients)
        drop_client(s->clients);
    ev_io_stop(s->loop, &s->listen);
    close(s->listen.fd);
    unlink(s->path);
    free(s);
}

int sws_ctl_request(const char *path, const char *line, double timeout, char **answer_out,
                    sws_error *e)
{
    struct sockaddr_un a;
    char *buf = NULL;
    int fd = -1, rc = -1;
    *answer_out = NULL;
    if (make_addr(path, &a, e) < 0)
        return -1;
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
        sws_errorf(e, "cannot create a socket: %s", strerror(errno));
        goto cleanup;
    }
    struct timeval tv = {.tv_sec = (long)timeout, .tv_usec = (long)((timeout - (long)timeout) * 1e6)};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        sws_errorf(e, "no daemon answers on %s (%s): is `sws serve` running?", path,
                   strerror(errno));
        goto cleanup;
    }
    if (write_all(fd, line, strlen(line)) < 0 || write_all(fd, "\n", 1) < 0) {
        sws_errorf(e, "cannot send to %s: %s", path, strerror(errno));
        goto cleanup;
    }
    size_t cap = 4096, len = 0;
    if (!(buf = malloc(cap))) {
        sws_errorf(e, "out of memory");
        goto cleanup;
    }
    for (;;) {
        if (len + 1 >= cap) {
            char *nb = cap < (1u << 26) ? realloc(buf, cap * 2) : NULL;
            if (!nb) {
                sws_errorf(e, "the answer from %s is too long", path);
                goto cleanup;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t n = read(fd, buf + len, cap - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            sws_errorf(e, "the daemon at %s did not answer%s", path,
                       n < 0 ? " in time (a job may be running)" : "");
            goto cleanup;
        }
        len += (size_t)n;
        buf[len] = '\0';
        char *nl = strchr(buf, '\n');
        if (nl) {
            *nl = '\0';
            break;
        }
    }
    *answer_out = buf;
    buf = NULL;
    rc = 0;
cleanup:
    free(buf);
    if (fd >= 0)
        close(fd);
    return rc;
}
