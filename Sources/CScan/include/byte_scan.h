#ifndef BYTE_SCAN_H
#define BYTE_SCAN_H

#include <stddef.h>
#include <stdint.h>

/// One literal of a multi-literal search, found by two of its bytes (`first`, `second`: offsets
/// into `bytes`) before the whole literal is compared; or, in sets of at most eight literals, by the
/// three bytes from `window` on (fewer when the literal is shorter). A `caseless` literal (its bytes
/// in lower case) also matches its ASCII letters in upper case.
typedef struct {
    const uint8_t *bytes;
    size_t length;
    size_t first;
    size_t second;
    size_t window;
    int caseless;
} byte_scan_literal;

/// The nibble tables of a set of at most eight literals, one bit per literal: byte k of a window is
/// tested by looking its low and its high four bits up in `low[k]` and `high[k]`; a literal's bit
/// survives in both only for its own byte, so a position passes only where a whole window agrees.
typedef struct {
    uint8_t low[3][16];
    uint8_t high[3][16];
} byte_scan_nibbles;

/// Fills `nibbles` for `count` (at most eight) literals.
void byte_scan_prepare_nibbles(const byte_scan_literal *literals, size_t count, byte_scan_nibbles *nibbles);

/// Which of `count` (at most 64) literals occur in `haystack`: bit i is set when literal i does.
/// One pass over the bytes, sixteen positions at a time where SSE2 is available.
/// `nibbles`: the tables of the same literals (at most eight), or NULL; with them and AVX2, each block of
/// 32 positions is tested for every literal at once, whatever the number of literals.
uint64_t byte_scan_occurrences(const uint8_t *haystack, size_t length, const byte_scan_literal *literals, size_t count,
                               const byte_scan_nibbles *nibbles);

/// Every occurrence of `count` (at most eight) literals whose window starts at or after `from`, in the
/// order of their windows (so each literal's own occurrences come in order): `starts[i]` and
/// `kinds[i]` (the literal's index) for the returned number of them. Stops early when fewer than 256
/// places are left; `*resume` is where to go on from (`length` when the scan is done).
size_t byte_scan_collect(const uint8_t *haystack, size_t length, size_t from, const byte_scan_literal *literals, size_t count,
                         const byte_scan_nibbles *nibbles, size_t *starts, uint8_t *kinds, size_t capacity, size_t *resume);

/// The offset of the first line start at or after `from` (offset 0, or just after a `\n`) whose
/// first byte has a non-zero entry in `first_bytes` (256 entries, for ASCII letters only); `length`
/// when there is none.
size_t byte_scan_next_line_start(const uint8_t *haystack, size_t length, size_t from, const uint8_t *first_bytes);

#endif
