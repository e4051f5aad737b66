/* json_write.c — writing a cJSON document (see json_write.h). */
#include "json_write.h"

#include <stdlib.h>
#include <string.h>

int sws_json_write(cJSON *root, FILE *out)
{
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return -1;
    fprintf(out, "%s\n", text);
    free(text);
    return 0;
}

/* Writes text with the indentation of an element of a top-level array: two
 * tabs after every line break (cJSON indents by depth, one tab a level). */
static void write_nested(const char *text, FILE *out)
{
    for (const char *nl; (nl = strchr(text, '\n')); text = nl + 1) {
        fwrite(text, 1, (size_t)(nl - text + 1), out);
        fputs("\t\t", out);
    }
    fputs(text, out);
}

int sws_json_write_streamed(cJSON *root, const char *const keys[], int nkeys, sws_json_next next,
                            void *ud, FILE *out)
{
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    if (!text)
        return -1;
    const char *rest = text;
    int failed = 0;
    for (int k = 0; k < nkeys && !failed; k++) {
        char mark[128];
        snprintf(mark, sizeof mark, "\n\t\"%s\":\t[]", keys[k]);
        const char *at = strstr(rest, mark);
        if (!at) {
            failed = 1;
            break;
        }
        at += strlen(mark) - 1; /* at the closing bracket of the empty list */
        fwrite(rest, 1, (size_t)(at - rest), out);
        cJSON *item;
        for (int i = 0; (item = next(ud, k, i, &failed)); i++) {
            char *one = cJSON_Print(item);
            cJSON_Delete(item);
            if (!one) {
                failed = 1;
                break;
            }
            if (i)
                fputs(", ", out);
            write_nested(one, out);
            free(one);
        }
        rest = at;
    }
    if (!failed)
        fprintf(out, "%s\n", rest);
    free(text);
    return failed ? -1 : 0;
}
