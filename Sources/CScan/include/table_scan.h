#ifndef TABLE_SCAN_H
#define TABLE_SCAN_H

#include <stddef.h>
#include <stdint.h>

/// The offset of the first byte of `bytes[start..<end - 1]` that may start a word of a set: its entry in
/// `seconds` (256 entries) is not 0 and equals the next byte with ASCII letters in lower case (`| 0x20`).
/// `end` when there is none. The entry of a byte is the second byte, in lower case, of the words it
/// starts (one per first byte). Byte-at-a-time scans in Swift pay bounds checks and array look-ups on
/// every byte; this loop is the few instructions the test needs.
size_t table_scan_first_pair(const uint8_t *bytes, size_t start, size_t end, const uint8_t *seconds);

#endif
