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

#endif
