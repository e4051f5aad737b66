/*
 * test_json_write.c — a document whose top-level lists are written element
 * by element (sws_json_write_streamed) is byte for byte the document
 * sws_json_write writes when the lists are held whole: empty lists, one
 * element, several, nested objects and arrays, text that needs escaping.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_write.h"

/* Element i of list k: an object with a nested object and array, or a
 * string, so that indentation at every depth is exercised. */
static cJSON *element(int k, int i)
{
    if (k == 1) {
        char s[32];
        snprintf(s, sizeof s, "finding \"%d\"\n", i);
        return cJSON_CreateString(s);
    }
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "i", i);
    cJSON_AddStringToObject(o, "name", "站点");
    cJSON *in = cJSON_AddObjectToObject(o, "inner");
    cJSON_AddBoolToObject(in, "ok", i % 2);
    cJSON *list = cJSON_AddArrayToObject(o, "items");
    for (int j = 0; j < i; j++) {
        cJSON *x = cJSON_CreateObject();
        cJSON_AddNumberToObject(x, "j", j);
        cJSON_AddItemToArray(list, x);
    }
    return o;
}

static int counts[2];

static cJSON *next(void *ud, int k, int i, int *failed)
{
    (void)ud;
    (void)failed;
    return i < counts[k] ? element(k, i) : NULL;
}

static cJSON *head(void)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "year", 2022);
    cJSON_AddStringToObject(root, "phase", "final");
    return root;
}

/* Both ways of writing the document with n stations and m findings. */
static void same_bytes(int n, int m)
{
    counts[0] = n;
    counts[1] = m;
    cJSON *whole = head();
    cJSON *a = cJSON_AddArrayToObject(whole, "stations");
    cJSON *b = cJSON_AddArrayToObject(whole, "findings");
    for (int i = 0; i < n; i++)
        cJSON_AddItemToArray(a, element(0, i));
    for (int i = 0; i < m; i++)
        cJSON_AddItemToArray(b, element(1, i));
    cJSON_AddStringToObject(whole, "after", "tail");
    char *x = NULL, *y = NULL;
    size_t xn = 0, yn = 0;
    FILE *fx = open_memstream(&x, &xn), *fy = open_memstream(&y, &yn);
    assert_int_equal(sws_json_write(whole, fx), 0);
    cJSON *streamed = head();
    cJSON_AddArrayToObject(streamed, "stations");
    cJSON_AddArrayToObject(streamed, "findings");
    cJSON_AddStringToObject(streamed, "after", "tail");
    static const char *const keys[] = {"stations", "findings"};
    assert_int_equal(sws_json_write_streamed(streamed, keys, 2, next, NULL, fy), 0);
    fclose(fx);
    fclose(fy);
    assert_string_equal(y, x);
    free(x);
    free(y);
}

static void empty_lists(void **state)
{
    (void)state;
    same_bytes(0, 0);
}

static void one_element(void **state)
{
    (void)state;
    same_bytes(1, 1);
}

static void several_elements(void **state)
{
    (void)state;
    same_bytes(4, 3);
    same_bytes(0, 5);
}

/* A list key the document does not hold is an error, not a silent change. */
static void missing_list(void **state)
{
    (void)state;
    char *x = NULL;
    size_t xn = 0;
    FILE *f = open_memstream(&x, &xn);
    static const char *const keys[] = {"stations"};
    assert_int_equal(sws_json_write_streamed(head(), keys, 1, next, NULL, f), -1);
    fclose(f);
    free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_lists),
        cmocka_unit_test(one_element),
        cmocka_unit_test(several_elements),
        cmocka_unit_test(missing_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
