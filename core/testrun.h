/*
 * testrun.h — running *_test.lua files inside the host (cmd_test.c), for
 * `sws test` and `sws policy test`.
 */
#ifndef SWS_TESTRUN_H
#define SWS_TESTRUN_H

#include "cli.h"

/* Called with each test file's host after its tests ran, before it is freed. */
typedef void (*sws_test_after)(sws_host *h, void *ud);

/* Runs the test files at (or below) each path; prints one line per test. */
void sws_test_run_paths(const sws_cli *cli, char **paths, int n, sws_test_after after, void *ud,
                        int *passed, int *failed);

#endif
