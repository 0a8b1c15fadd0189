#ifndef CPCRE2_SHIM_H
#define CPCRE2_SHIM_H
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stddef.h>

/* glibc's memmem is a GNU extension that Swift's Glibc module does not export. */
void *memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

static inline int cpcre2_contains_bytes(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length) {
    return memmem(haystack, haystack_length, needle, needle_length) != NULL;
}

/* The offset of the first occurrence, or -1. */
static inline long cpcre2_find_bytes(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length) {
    const void *found = memmem(haystack, haystack_length, needle, needle_length);
    return found == NULL ? -1 : (long)((const char *)found - (const char *)haystack);
}
#endif
