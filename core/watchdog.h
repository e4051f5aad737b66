/*
 * watchdog.h — a CPU-time clock for the Lua budgets that costs nothing on
 * the path it watches.
 *
 * While armed, the process's CPU time (user + system, ITIMER_PROF) ticks
 * about once a millisecond; each tick raises SIGPROF, whose handler samples
 * the CPU clock and calls the armed callback (in the handler: it may only set flags and call
 * async-signal-safe functions such as lua_sethook).
 */
#ifndef SWS_WATCHDOG_H
#define SWS_WATCHDOG_H

/* The process's CPU time in milliseconds as of the last tick (or arming). */
unsigned long sws_watchdog_ticks(void);

/* Starts the ticks, each calling on_tick(ud) from the signal handler, and
 * returns 0; or -1 when the timer cannot be set (the caller then has no
 * CPU-time limit and says so). Arming again replaces the callback. */
int sws_watchdog_arm(void (*on_tick)(void *), void *ud);

/* Stops the ticks (a tick already raised may still call the callback
 * before this returns, never after). */
void sws_watchdog_disarm(void);

#endif
