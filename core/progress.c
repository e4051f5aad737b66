/* progress.c — the progress bar on stderr (see progress.h). */
#include "progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int drawn; /* a bar is on the screen */
static long last_permille = -1;
static char last_label[64];

/* Whether to draw: stderr is a terminal, or $SWS_PROGRESS says so. */
static int enabled(void)
{
    static int state = -1;
    if (state < 0) {
        const char *env = getenv("SWS_PROGRESS");
        state = env && env[0] ? strcmp(env, "0") != 0 : isatty(STDERR_FILENO);
    }
    return state;
}

void sws_progress(const char *label, long done, long total)
{
    if (!enabled())
        return;
    long permille = total > 0 ? (done >= total ? 1000 : done * 1000 / total) : done;
    if (permille / 10 == last_permille / 10 &&
        strncmp(label, last_label, sizeof last_label - 1) == 0)
        return;
    last_permille = permille;
    snprintf(last_label, sizeof last_label, "%s", label);
    char bar[31];
    int filled = total > 0 ? (int)(permille * 30 / 1000) : 0;
    for (int i = 0; i < 30; i++)
        bar[i] = i < filled ? '#' : '.';
    bar[30] = '\0';
    if (total > 0)
        fprintf(stderr, "\r\033[K%-24.24s [%s] %3ld%% %ld/%ld", label, bar, permille / 10, done,
                total);
    else
        fprintf(stderr, "\r\033[K%-24.24s %ld", label, done);
    fflush(stderr);
    drawn = 1;
}

void sws_progress_done(void)
{
    if (drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    drawn = 0;
    last_permille = -1;
    last_label[0] = '\0';
}
