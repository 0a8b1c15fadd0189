#include "table_scan.h"

size_t table_scan_first_pair(const uint8_t *bytes, size_t start, size_t end, const uint8_t *seconds) {
    if (end == 0) return end;
    for (size_t index = start; index + 1 < end; index++) {
        uint8_t second = seconds[bytes[index]];
        if (second != 0 && (uint8_t)(bytes[index + 1] | 0x20) == second) return index;
    }
    return end;
}
