#include "byte_scan.h"

#include <string.h>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

static int literal_at(const uint8_t *haystack, size_t length, size_t position, const byte_scan_literal *literal) {
    if (position + literal->length > length) return 0;
    if (!literal->caseless) return memcmp(haystack + position, literal->bytes, literal->length) == 0;
    for (size_t index = 0; index < literal->length; index++) {
        uint8_t byte = haystack[position + index];
        if (byte >= 'A' && byte <= 'Z') byte += 'a' - 'A';
        if (byte != literal->bytes[index]) return 0;
    }
    return 1;
}

/// Checks the candidate lanes of one block for one literal: 1 when the literal is at one of them.
static int confirm(const uint8_t *haystack, size_t length, size_t position, uint32_t lanes, const byte_scan_literal *literal) {
    while (lanes) {
        unsigned lane = (unsigned)__builtin_ctz(lanes);
        if (literal_at(haystack, length, position + lane, literal)) return 1;
        lanes &= lanes - 1;
    }
    return 0;
}

static size_t longest(const byte_scan_literal *literals, size_t count) {
    size_t result = 0;
    for (size_t index = 0; index < count; index++) {
        if (literals[index].length > result) result = literals[index].length;
    }
    return result;
}

#if defined(__x86_64__)
static int cpu_has_avx2(void) {
    // Every thread computes the same answer, so a relaxed cache is enough.
    static int has_avx2 = -1;
    int avx2 = __atomic_load_n(&has_avx2, __ATOMIC_RELAXED);
    if (avx2 < 0) {
        avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
        __atomic_store_n(&has_avx2, avx2, __ATOMIC_RELAXED);
    }
    return avx2;
}

// Blocks of 32 positions with AVX2 where the processor has it, else 16 with SSE2 (every x86-64 has
// that). Each block first tests the rarer anchor byte of every missing literal, in one mask; most
// blocks stop there. Returns the position where the byte-by-byte tail starts.
#define BLOCK_LOOP(WIDTH, VECTOR, LOAD, SPLAT, EQUAL, OR, AND, MASK)                                          \
    VECTOR first_splat[64], second_splat[64];                                                                  \
    for (size_t index = 0; index < count; index++) {                                                           \
        first_splat[index] = SPLAT((char)literals[index].bytes[literals[index].first]);                         \
        second_splat[index] = SPLAT((char)literals[index].bytes[literals[index].second]);                       \
    }                                                                                                          \
    size_t reach = longest(literals, count) + (WIDTH);                                                         \
    size_t position = 0;                                                                                       \
    for (; position + reach <= length && *found != all; position += (WIDTH)) {                                 \
        VECTOR any = SPLAT(0);                                                                                 \
        for (size_t index = 0; index < count; index++) {                                                       \
            if (*found & ((uint64_t)1 << index)) continue;                                                     \
            VECTOR first = LOAD((const void *)(haystack + position + literals[index].first));                  \
            any = OR(any, EQUAL(first, first_splat[index]));                                                   \
        }                                                                                                      \
        if (MASK(any) == 0) continue;                                                                          \
        for (size_t index = 0; index < count; index++) {                                                       \
            if (*found & ((uint64_t)1 << index)) continue;                                                     \
            VECTOR first = LOAD((const void *)(haystack + position + literals[index].first));                  \
            VECTOR second = LOAD((const void *)(haystack + position + literals[index].second));                \
            uint32_t lanes = (uint32_t)MASK(AND(EQUAL(first, first_splat[index]), EQUAL(second, second_splat[index]))); \
            if (lanes && confirm(haystack, length, position, lanes, &literals[index])) *found |= (uint64_t)1 << index; \
        }                                                                                                      \
    }                                                                                                          \
    return position;

static size_t scan_sse2(const uint8_t *haystack, size_t length, const byte_scan_literal *literals, size_t count,
                        uint64_t all, uint64_t *found) {
    BLOCK_LOOP(16, __m128i, _mm_loadu_si128, _mm_set1_epi8, _mm_cmpeq_epi8, _mm_or_si128, _mm_and_si128, _mm_movemask_epi8)
}

__attribute__((target("avx2")))
static size_t scan_avx2(const uint8_t *haystack, size_t length, const byte_scan_literal *literals, size_t count,
                        uint64_t all, uint64_t *found) {
    BLOCK_LOOP(32, __m256i, _mm256_loadu_si256, _mm256_set1_epi8, _mm256_cmpeq_epi8, _mm256_or_si256, _mm256_and_si256,
               _mm256_movemask_epi8)
}

// At most eight literals, one bit each: every block of 32 window starts is tested for all of them at
// once, each of the three window bytes by two table look-ups (its low and its high four bits), so the
// cost does not grow with the number of literals and common bytes do not stop the blocks. A block
// goes on only where a whole window agrees; the last bytes are copied into a zero-padded block.
// Where the occurrences go: a bit per literal found (`starts` NULL), or each occurrence listed.
typedef struct {
    uint64_t found;
    size_t *starts;
    uint8_t *kinds;
    size_t count;
} nibble_sink;

__attribute__((target("avx2"), always_inline))
static inline void nibble_block_avx2(const uint8_t *block, size_t position, const uint8_t *haystack, size_t length,
                                     const byte_scan_literal *literals, const __m256i *low, const __m256i *high,
                                     nibble_sink *sink) {
    const __m256i low_bits = _mm256_set1_epi8(0x0f);
    __m256i hits = _mm256_set1_epi8((char)(uint8_t)~sink->found);
    for (int k = 0; k < 3; k++) {
        __m256i bytes = _mm256_loadu_si256((const __m256i *)(block + k));
        __m256i lows = _mm256_shuffle_epi8(low[k], _mm256_and_si256(bytes, low_bits));
        __m256i highs = _mm256_shuffle_epi8(high[k], _mm256_and_si256(_mm256_srli_epi16(bytes, 4), low_bits));
        hits = _mm256_and_si256(hits, _mm256_and_si256(lows, highs));
    }
    if (_mm256_testz_si256(hits, hits)) return;
    uint8_t lanes[32];
    _mm256_storeu_si256((__m256i *)lanes, hits);
    uint32_t nonzero = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(hits, _mm256_setzero_si256()));
    while (nonzero) {
        unsigned lane = (unsigned)__builtin_ctz(nonzero);
        size_t window_start = position + lane;
        unsigned bits = lanes[lane] & (unsigned)~sink->found;
        while (bits) {
            unsigned index = (unsigned)__builtin_ctz(bits);
            const byte_scan_literal *literal = &literals[index];
            if (window_start >= literal->window && literal_at(haystack, length, window_start - literal->window, literal)) {
                if (sink->starts == NULL) {
                    sink->found |= (uint64_t)1 << index;
                } else {
                    sink->starts[sink->count] = window_start - literal->window;
                    sink->kinds[sink->count] = (uint8_t)index;
                    sink->count++;
                }
            }
            bits &= bits - 1;
        }
        nonzero &= nonzero - 1;
    }
}

// Scans the windows that start at `from` or after, until every literal is found (`all`) or, when
// listing, fewer than 256 places are left in the list; returns where it stopped.
__attribute__((target("avx2")))
static size_t scan_nibbles_avx2(const uint8_t *haystack, size_t length, size_t from, const byte_scan_literal *literals,
                                const byte_scan_nibbles *nibbles, uint64_t all, nibble_sink *sink, size_t capacity) {
    __m256i low[3], high[3];
    for (int k = 0; k < 3; k++) {
        low[k] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)nibbles->low[k]));
        high[k] = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)nibbles->high[k]));
    }
    size_t position = from;
    // The windows that start in a block reach two bytes past it; a block lists at most 32 x 8 occurrences.
    for (; position + 34 <= length && sink->found != all; position += 32) {
        if (sink->starts != NULL && capacity - sink->count < 256) return position;
        nibble_block_avx2(haystack + position, position, haystack, length, literals, low, high, sink);
    }
    if (position < length && sink->found != all) {
        if (sink->starts != NULL && capacity - sink->count < 256) return position;
        // At most 33 bytes left, so one block of a zero-padded copy holds every window that can still
        // start a literal (at least two bytes long). A window that reaches into the padding only costs a
        // comparison: a literal is always compared against the buffer itself.
        uint8_t tail[32 + 2] = {0};
        memcpy(tail, haystack + position, length - position);
        nibble_block_avx2(tail, position, haystack, length, literals, low, high, sink);
    }
    return length;
}
#endif

void byte_scan_prepare_nibbles(const byte_scan_literal *literals, size_t count, byte_scan_nibbles *nibbles) {
    memset(nibbles, 0, sizeof *nibbles);
    for (size_t index = 0; index < count && index < 8; index++) {
        const byte_scan_literal *literal = &literals[index];
        const uint8_t bit = (uint8_t)(1u << index);
        for (size_t k = 0; k < 3; k++) {
            if (literal->window + k < literal->length) {
                const uint8_t byte = literal->bytes[literal->window + k];
                nibbles->low[k][byte & 0x0f] |= bit;
                nibbles->high[k][byte >> 4] |= bit;
                if (literal->caseless && byte >= 'a' && byte <= 'z') {  // the same low bits, and 4 or 5 for high
                    nibbles->high[k][(byte - ('a' - 'A')) >> 4] |= bit;
                }
            } else {  // a literal shorter than the window: any byte passes there
                for (size_t nibble = 0; nibble < 16; nibble++) {
                    nibbles->low[k][nibble] |= bit;
                    nibbles->high[k][nibble] |= bit;
                }
            }
        }
    }
}

uint64_t byte_scan_occurrences(const uint8_t *haystack, size_t length, const byte_scan_literal *literals, size_t count,
                               const byte_scan_nibbles *nibbles) {
    if (count == 0 || count > 64 || haystack == NULL) return 0;
    const uint64_t all = count == 64 ? UINT64_MAX : ((uint64_t)1 << count) - 1;
    uint64_t found = 0;
    size_t position = 0;
#if defined(__x86_64__)
    const int avx2 = cpu_has_avx2();
    if (avx2 && nibbles != NULL && count <= 8) {
        nibble_sink sink = {0, NULL, NULL, 0};
        scan_nibbles_avx2(haystack, length, 0, literals, nibbles, all, &sink, 0);
        return sink.found;
    }
    int caseless = 0;
    for (size_t index = 0; index < count; index++) caseless |= literals[index].caseless;
    // The anchor bytes are compared as they are: caseless literals go byte by byte.
    if (!caseless) {
        position = avx2 ? scan_avx2(haystack, length, literals, count, all, &found)
                        : scan_sse2(haystack, length, literals, count, all, &found);
    }
#endif
    for (; position < length && found != all; position++) {
        for (size_t index = 0; index < count; index++) {
            if (!(found & ((uint64_t)1 << index)) && literal_at(haystack, length, position, &literals[index])) {
                found |= (uint64_t)1 << index;
            }
        }
    }
    return found;
}

size_t byte_scan_collect(const uint8_t *haystack, size_t length, size_t from, const byte_scan_literal *literals, size_t count,
                         const byte_scan_nibbles *nibbles, size_t *starts, uint8_t *kinds, size_t capacity, size_t *resume) {
    *resume = length;
    if (haystack == NULL || count == 0 || count > 8 || capacity < 256) return 0;
    nibble_sink sink = {0, starts, kinds, 0};
#if defined(__x86_64__)
    if (cpu_has_avx2() && nibbles != NULL) {
        *resume = scan_nibbles_avx2(haystack, length, from, literals, nibbles, UINT64_MAX, &sink, capacity);
        return sink.count;
    }
#endif
    // Byte by byte, in the same order: by window start.
    size_t window_start = from;
    for (; window_start < length; window_start++) {
        if (capacity - sink.count < 8) break;
        for (size_t index = 0; index < count; index++) {
            const byte_scan_literal *literal = &literals[index];
            if (window_start >= literal->window && literal_at(haystack, length, window_start - literal->window, literal)) {
                starts[sink.count] = window_start - literal->window;
                kinds[sink.count] = (uint8_t)index;
                sink.count++;
            }
        }
    }
    *resume = window_start;
    return sink.count;
}

#if defined(__x86_64__)
// 32 positions at a time: the newlines followed by a letter. Returns the first line start whose byte is
// in the table, or where the blocks end (the caller goes on from there).
__attribute__((target("avx2")))
static size_t next_line_start_avx2(const uint8_t *haystack, size_t length, size_t position, const uint8_t *first_bytes,
                                   int *found) {
    const __m256i newline = _mm256_set1_epi8('\n');
    const __m256i lower = _mm256_set1_epi8(0x20), a = _mm256_set1_epi8('a'), z_span = _mm256_set1_epi8(25);
    for (; position + 33 <= length; position += 32) {
        __m256i here = _mm256_loadu_si256((const __m256i *)(haystack + position));
        __m256i next = _mm256_loadu_si256((const __m256i *)(haystack + position + 1));
        __m256i offset = _mm256_sub_epi8(_mm256_or_si256(next, lower), a);
        __m256i letter = _mm256_cmpeq_epi8(_mm256_min_epu8(offset, z_span), offset);
        uint32_t lanes = (uint32_t)_mm256_movemask_epi8(_mm256_and_si256(_mm256_cmpeq_epi8(here, newline), letter));
        while (lanes) {
            size_t start = position + (unsigned)__builtin_ctz(lanes) + 1;
            if (first_bytes[haystack[start]]) {
                *found = 1;
                return start;
            }
            lanes &= lanes - 1;
        }
    }
    return position;
}
#endif

size_t byte_scan_next_line_start(const uint8_t *haystack, size_t length, size_t from, const uint8_t *first_bytes) {
    if (haystack == NULL) return length;
    if (from == 0 && length > 0 && first_bytes[haystack[0]]) return 0;
    // A line start is the byte after a newline: look for newlines from `from - 1`.
    size_t position = from == 0 ? 0 : from - 1;
#if defined(__x86_64__)
    if (cpu_has_avx2()) {
        int found = 0;
        position = next_line_start_avx2(haystack, length, position, first_bytes, &found);
        if (found) return position;
    }
    // Only newlines followed by a letter reach the table: most lines are indented.
    const __m128i newline = _mm_set1_epi8('\n');
    const __m128i lower = _mm_set1_epi8(0x20), a = _mm_set1_epi8('a'), z_span = _mm_set1_epi8(25);
    for (; position + 17 <= length; position += 16) {
        __m128i here = _mm_loadu_si128((const __m128i *)(haystack + position));
        __m128i next = _mm_loadu_si128((const __m128i *)(haystack + position + 1));
        __m128i offset = _mm_sub_epi8(_mm_or_si128(next, lower), a);
        __m128i letter = _mm_cmpeq_epi8(_mm_min_epu8(offset, z_span), offset);
        unsigned lanes = (unsigned)_mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(here, newline), letter));
        while (lanes) {
            size_t start = position + (unsigned)__builtin_ctz(lanes) + 1;
            if (first_bytes[haystack[start]]) return start;
            lanes &= lanes - 1;
        }
    }
#endif
    for (; position < length; position++) {
        if (haystack[position] == '\n' && position + 1 < length && first_bytes[haystack[position + 1]]) return position + 1;
    }
    return length;
}
