/*
 * json_write.h — writing a cJSON document to a stream, the one way the
 * reports end (pretty-printed, one trailing newline).
 */
#ifndef SWS_JSON_WRITE_H
#define SWS_JSON_WRITE_H

#include <cjson/cJSON.h>
#include <stdio.h>

/* Writes root (indented) and a newline to out, then deletes root. 0, or -1
 * when out of memory (root is deleted all the same). */
int sws_json_write(cJSON *root, FILE *out);

/* Makes element i of streamed list k, or NULL when the list has ended (or
 * on out of memory: *failed is then set). */
typedef cJSON *(*sws_json_next)(void *ud, int k, int i, int *failed);

/* Writes root as sws_json_write does, but each top-level array keys[k]
 * (which root holds, empty, in that order) is written element by element
 * from next(ud, k, i), each element made, printed and deleted before the
 * next: a list of any length needs the memory of one element. The bytes are
 * those sws_json_write would write had root held the elements. Deletes
 * root. 0, or -1 when out of memory. */
int sws_json_write_streamed(cJSON *root, const char *const keys[], int nkeys, sws_json_next next,
                            void *ud, FILE *out);

#endif
