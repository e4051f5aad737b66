/* json_write.c — writing a cJSON document (see json_write.h). */
#include "json_write.h"

#include <stdlib.h>

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
