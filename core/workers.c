/* workers.c — the chunks of a long run shared among worker processes (see
 * workers.h). */
#define _GNU_SOURCE /* memfd_create */
#include "workers.h"

#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "text.h"

#define MAX_JOBS 8

/* What every process sees: the next chunk to claim, the units done, and
 * whether a process failed (then none claims another chunk). */
typedef struct shared {
    atomic_int next;
    atomic_int stop;
    atomic_long done;
} shared;

struct sws_workers {
    shared *sh;
    int nchunks;
    int n; /* workers started */
    pid_t pid[MAX_JOBS];
    FILE *results[MAX_JOBS]; /* each worker's results: an in-memory file */
    FILE *out;               /* in a worker, its own; NULL in the caller */
};

int sws_workers_default(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (int)n;
}

sws_workers *sws_workers_start(sqlite3 *db, int jobs, int nchunks, sws_error *e)
{
    sws_workers *w = calloc(1, sizeof *w);
    if (w)
        w->sh =
            mmap(NULL, sizeof *w->sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (!w || w->sh == MAP_FAILED) {
        free(w);
        sws_errorf(e, "out of memory");
        return NULL;
    }
    atomic_init(&w->sh->next, 0);
    atomic_init(&w->sh->stop, 0);
    atomic_init(&w->sh->done, 0);
    w->nchunks = nchunks;
    if (jobs > MAX_JOBS)
        jobs = MAX_JOBS;
    if (jobs > nchunks)
        jobs = nchunks;
    fflush(NULL); /* nothing buffered before the fork is written twice */
    /* a worker that cannot be started leaves its chunks to the others */
    for (int k = 0; k + 1 < jobs; k++) {
        int fd = memfd_create("sws-worker", MFD_CLOEXEC);
        FILE *f = fd >= 0 ? fdopen(fd, "w+b") : NULL;
        if (!f) {
            if (fd >= 0)
                close(fd);
            break;
        }
        pid_t pid = fork();
        if (pid < 0) {
            fclose(f);
            break;
        }
        if (pid == 0) {
            for (int i = 0; i < w->n; i++)
                fclose(w->results[i]);
            w->n = 0;
            w->out = f;
            if (sqlite3_exec(db, "PRAGMA query_only = ON", NULL, NULL, NULL) != SQLITE_OK)
                sws_workers_exit(w, "a worker process could not make its connection read-only");
            return w;
        }
        w->pid[w->n] = pid;
        w->results[w->n++] = f;
    }
    return w;
}

void sws_workers_describe(const sws_workers *w, char *line, size_t n)
{
    snprintf(line, n, "%d %s of stations, %d %s", w->nchunks,
             sws_plural(w->nchunks, "chunk", "chunks"), w->n + 1,
             sws_plural(w->n + 1, "process", "processes"));
}

int sws_workers_next(sws_workers *w)
{
    if (atomic_load(&w->sh->stop))
        return -1;
    int i = atomic_fetch_add(&w->sh->next, 1);
    return i < w->nchunks ? i : -1;
}

long sws_workers_add_done(sws_workers *w, long n) { return atomic_fetch_add(&w->sh->done, n) + n; }

FILE *sws_workers_out(const sws_workers *w) { return w->out; }

void sws_workers_stop(sws_workers *w)
{
    if (w)
        atomic_store(&w->sh->stop, 1);
}

_Noreturn void sws_workers_exit(sws_workers *w, const char *why)
{
    int status = 0;
    if (why) {
        /* the stream holds only the error */
        sws_workers_stop(w);
        fflush(w->out);
        if (ftruncate(fileno(w->out), 0) == 0) {
            rewind(w->out);
            fputs(why, w->out);
        }
        status = 1;
    }
    if (fflush(w->out) != 0 || ferror(w->out))
        status = 2;
    _exit(status); /* no atexit handler: the caller's connection and files stay its own */
}

/* The error a worker wrote to f (at most e's size). */
static int worker_error(FILE *f, sws_error *e)
{
    char why[sizeof e->msg];
    size_t n = fread(why, 1, sizeof why - 1, f);
    why[n] = '\0';
    return sws_errorf(e, "%s", n ? why : "a worker process failed");
}

int sws_workers_finish(sws_workers *w, int (*read)(FILE *in, void *ud, sws_error *e), void *ud,
                       sws_error *e)
{
    if (!w)
        return 0;
    int rc = 0;
    for (int k = 0; k < w->n; k++) {
        int status = 0;
        pid_t got;
        while ((got = waitpid(w->pid[k], &status, 0)) < 0 && errno == EINTR)
            ;
        rewind(w->results[k]);
        if (rc < 0)
            ;
        else if (got < 0)
            rc = sws_errorf(e, "a worker process was lost: %s", strerror(errno));
        else if (WIFSIGNALED(status))
            rc = sws_errorf(e, "a worker process was stopped by signal %d (%s)", WTERMSIG(status),
                            strsignal(WTERMSIG(status)));
        else if (WEXITSTATUS(status) == 1)
            rc = worker_error(w->results[k], e);
        else if (WEXITSTATUS(status) != 0)
            rc = sws_errorf(e, "a worker process could not hand back its results");
        else
            rc = read(w->results[k], ud, e);
        fclose(w->results[k]);
    }
    munmap(w->sh, sizeof *w->sh);
    free(w);
    return rc;
}

/* ---- the values of a result stream ------------------------------------------ */

#define NO_STRING UINT32_MAX

void sws_workers_put_str(FILE *out, const char *s)
{
    uint32_t n = s ? (uint32_t)strlen(s) : NO_STRING;
    fwrite(&n, sizeof n, 1, out);
    if (s)
        fwrite(s, 1, n, out);
}

void sws_workers_put_int(FILE *out, long long v) { fwrite(&v, sizeof v, 1, out); }

void sws_workers_put_num(FILE *out, double v) { fwrite(&v, sizeof v, 1, out); }

int sws_workers_get_str(FILE *in, char **s)
{
    uint32_t n;
    *s = NULL;
    if (fread(&n, sizeof n, 1, in) != 1)
        return -1;
    if (n == NO_STRING)
        return 0;
    char *b = malloc((size_t)n + 1);
    if (!b || fread(b, 1, n, in) != n) {
        free(b);
        return -1;
    }
    b[n] = '\0';
    *s = b;
    return 0;
}

int sws_workers_get_int(FILE *in, long long *v) { return fread(v, sizeof *v, 1, in) == 1 ? 0 : -1; }

int sws_workers_get_num(FILE *in, double *v) { return fread(v, sizeof *v, 1, in) == 1 ? 0 : -1; }
