/* Just enough JSON reading and writing for the example apps, which use only
 * the TIM API and plain C99 (a real app would use a JSON library). */
#ifndef TIMCLIENT_EXAMPLE_JSON_H_
#define TIMCLIENT_EXAMPLE_JSON_H_

#include <stddef.h>

/* The value of "key" among the members of the object starting at `object`
 * (its top level only), or NULL. */
const char* ej_member(const char* object, const char* key);
/* Copies the JSON string value at `value`, unescaped, into out (cut to size).
 * Returns 0, or -1 when `value` is not a string. */
int ej_string(const char* value, char* out, size_t size);
/* 1 when the value is the literal true. */
int ej_true(const char* value);
/* Just past the JSON value starting at p (after leading blanks). */
const char* ej_skip(const char* p);
/* Array iteration: ej_first(array) gives the first element (NULL if empty),
 * ej_next(element) the next one (NULL at the end). */
const char* ej_first(const char* array);
const char* ej_next(const char* element);
/* Writes `in` as a JSON string literal (with quotes) into out (cut to size). */
void ej_quote(const char* in, char* out, size_t size);

#endif
