/*
 * progress.h — a progress bar on stderr for long runs (imports, reports,
 * evaluation over a province).
 *
 * Drawn only when stderr is a terminal (and $SWS_PROGRESS is not "0"), so
 * logs, pipes and tests stay quiet; $SWS_PROGRESS=1 forces it on. The bar
 * is redrawn at most every 1 % or when the label changes, and erased by
 * sws_progress_done.
 */
#ifndef SWS_PROGRESS_H
#define SWS_PROGRESS_H

/* Shows `done` of `total` with a label ("import workers", "annual 330302").
 * total <= 0 shows only the label and the count. */
void sws_progress(const char *label, long done, long total);

/* Erases the bar (nothing when none was drawn). */
void sws_progress_done(void);

#endif
