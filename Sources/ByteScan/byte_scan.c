#include "byte_scan.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

static int literal_at(const uint8_t *haystack, size_t length, size_t position, const byte_scan_literal *literal) {
    return position + literal->length <= length && memcmp(haystack + position, literal->bytes, literal->length) == 0;
}

uint64_t byte_scan_occurrences(const uint8_t *haystack, size_t length, const byte_scan_literal *literals, size_t count) {
    if (count == 0 || count > 64 || haystack == NULL) return 0;
    const uint64_t all = count == 64 ? UINT64_MAX : ((uint64_t)1 << count) - 1;
    uint64_t found = 0;
    size_t position = 0;
#if defined(__SSE2__)
    size_t reach = 0;
    for (size_t index = 0; index < count; index++) {
        if (literals[index].length > reach) reach = literals[index].length;
    }
    reach += 16;
    __m128i first_splat[64], second_splat[64];
    for (size_t index = 0; index < count; index++) {
        first_splat[index] = _mm_set1_epi8((char)literals[index].bytes[literals[index].first]);
        second_splat[index] = _mm_set1_epi8((char)literals[index].bytes[literals[index].second]);
    }
    for (; position + reach <= length && found != all; position += 16) {
        // The rarer anchor of every missing literal first, in one mask: most blocks stop here.
        __m128i any = _mm_setzero_si128();
        for (size_t index = 0; index < count; index++) {
            if (found & ((uint64_t)1 << index)) continue;
            __m128i first = _mm_loadu_si128((const __m128i *)(haystack + position + literals[index].first));
            any = _mm_or_si128(any, _mm_cmpeq_epi8(first, first_splat[index]));
        }
        if (_mm_movemask_epi8(any) == 0) continue;
        for (size_t index = 0; index < count; index++) {
            if (found & ((uint64_t)1 << index)) continue;
            const byte_scan_literal *literal = &literals[index];
            __m128i first = _mm_loadu_si128((const __m128i *)(haystack + position + literal->first));
            __m128i second = _mm_loadu_si128((const __m128i *)(haystack + position + literal->second));
            unsigned lanes = (unsigned)_mm_movemask_epi8(
                _mm_and_si128(_mm_cmpeq_epi8(first, first_splat[index]), _mm_cmpeq_epi8(second, second_splat[index])));
            while (lanes) {
                unsigned lane = (unsigned)__builtin_ctz(lanes);
                if (literal_at(haystack, length, position + lane, literal)) {
                    found |= (uint64_t)1 << index;
                    break;
                }
                lanes &= lanes - 1;
            }
        }
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
