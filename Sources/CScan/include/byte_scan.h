#ifndef BYTE_SCAN_H
#define BYTE_SCAN_H

#include <stddef.h>
#include <stdint.h>

/// One literal of a multi-literal search, found by two of its bytes (`first`, `second`: offsets
/// into `bytes`) before the whole literal is compared.
typedef struct {
    const uint8_t *bytes;
    size_t length;
    size_t first;
    size_t second;
} byte_scan_literal;

/// Which of `count` (at most 64) literals occur in `haystack`: bit i is set when literal i does.
/// One pass over the bytes, sixteen positions at a time where SSE2 is available.
uint64_t byte_scan_occurrences(const uint8_t *haystack, size_t length, const byte_scan_literal *literals, size_t count);

/// The offset of the first line start at or after `from` (offset 0, or just after a `\n`) whose
/// first byte has a non-zero entry in `first_bytes` (256 entries, for ASCII letters only); `length`
/// when there is none.
size_t byte_scan_next_line_start(const uint8_t *haystack, size_t length, size_t from, const uint8_t *first_bytes);

#endif
