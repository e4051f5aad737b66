/*
 * watchdog.c — the CPU-time clock of the Lua budgets (see watchdog.h).
 *
 * One process-wide timer: sws runs one Lua call at a time. The kernel checks
 * CPU-time timers at its scheduler tick (1-10 ms), so a tick does not count
 * one millisecond: the handler reads the CPU clock instead. The callback and
 * its argument are read by the handler, so they are swapped with the timer
 * stopped.
 */
#define _XOPEN_SOURCE 700 /* setitimer */
#include "watchdog.h"

#include <signal.h>
#include <stddef.h>
#include <sys/time.h>
#include <time.h>

static volatile unsigned long ticks;
static void (*volatile callback)(void *);
static void *volatile callback_ud;

/* The process's CPU time in milliseconds (clock_gettime is async-signal-safe). */
static unsigned long cpu_ms(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
        return ticks + 1;
    return (unsigned long)ts.tv_sec * 1000 + (unsigned long)ts.tv_nsec / 1000000;
}

static void on_sigprof(int sig)
{
    (void)sig;
    ticks = cpu_ms();
    void (*cb)(void *) = callback;
    if (cb)
        cb(callback_ud);
}

unsigned long sws_watchdog_ticks(void) { return ticks; }

static int set_timer(long usec)
{
    struct itimerval it = {{0, usec}, {0, usec}};
    return setitimer(ITIMER_PROF, &it, NULL);
}

int sws_watchdog_arm(void (*on_tick)(void *), void *ud)
{
    static int installed;
    if (!installed) {
        struct sigaction sa = {0};
        sa.sa_handler = on_sigprof;
        sa.sa_flags = SA_RESTART; /* a tick never fails a read or a write */
        sigemptyset(&sa.sa_mask);
        if (sigaction(SIGPROF, &sa, NULL) != 0)
            return -1;
        installed = 1;
    }
    set_timer(0);
    ticks = cpu_ms();
    callback = NULL;
    callback_ud = ud;
    callback = on_tick;
    return set_timer(1000);
}

void sws_watchdog_disarm(void)
{
    set_timer(0);
    callback = NULL;
    callback_ud = NULL;
}
