import CPCRE2
import Glibc

public struct RegexError: Error, CustomStringConvertible {
    public let pattern: String
    public let message: String
    public let offset: Int
    public var description: String { "invalid pattern \(pattern) at offset \(offset): \(message)" }
}

/// A PCRE2 pattern compiled once, matched against UTF-8 bytes. `jit` patterns are also compiled to
/// machine code: worth it for the prefilter's patterns, run on every file of a tree, not for the
/// names a settings file holds (the compilation costs more than an editor save's whole check).
/// Matching allocates its match data per call, so one instance can be shared across threads.
public final class BytePattern: @unchecked Sendable {
    private let code: OpaquePointer
    public let pattern: String

    public init(_ pattern: String, caseInsensitive: Bool = false, jit: Bool = false) throws {
        self.pattern = pattern
        var errorCode: Int32 = 0
        var errorOffset = 0
        var options = UInt32(PCRE2_UTF | PCRE2_MATCH_INVALID_UTF)
        if caseInsensitive { options |= UInt32(PCRE2_CASELESS) }
        let utf8 = Array(pattern.utf8)
        let compiled = utf8.withUnsafeBufferPointer { buffer in
            pcre2_compile_8(buffer.baseAddress, buffer.count, options, &errorCode, &errorOffset, nil)
        }
        guard let compiled else {
            var message = [UInt8](repeating: 0, count: 256)
            let length = pcre2_get_error_message_8(errorCode, &message, message.count)
            throw RegexError(
                pattern: pattern,
                message: String(decoding: message.prefix(max(Int(length), 0)), as: UTF8.self),
                offset: errorOffset)
        }
        code = compiled
        // JIT failure is not an error: the interpreter gives the same answers, slower.
        if jit { _ = pcre2_jit_compile_8(code, UInt32(PCRE2_JIT_COMPLETE)) }
    }

    deinit { pcre2_code_free_8(code) }

    /// Byte range of the first match in `bytes[range]`, if any.
    public func firstMatch(in bytes: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        guard let matchData = pcre2_match_data_create_from_pattern_8(code, nil) else { return nil }
        defer { pcre2_match_data_free_8(matchData) }
        let base = bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
        let status = pcre2_match_8(code, base, bytes.count, 0, 0, matchData, nil)
        guard status > 0, let ovector = pcre2_get_ovector_pointer_8(matchData) else { return nil }
        return Int(ovector[0])..<Int(ovector[1])
    }

    /// True when `bytes` holds a match, and also when matching fails before it can tell (a resource
    /// limit such as the JIT stack on a pathological line): a filter built on this never drops what it
    /// could not judge.
    public func mayMatch(in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let matchData = pcre2_match_data_create_from_pattern_8(code, nil) else { return true }
        defer { pcre2_match_data_free_8(matchData) }
        let base = bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
        return pcre2_match_8(code, base, bytes.count, 0, 0, matchData, nil) != PCRE2_ERROR_NOMATCH
    }

    /// `mayMatch` for a match that starts at `offset` (a pattern that begins with `\G`).
    public func mayMatch(in bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        guard let matchData = pcre2_match_data_create_from_pattern_8(code, nil) else { return true }
        defer { pcre2_match_data_free_8(matchData) }
        let base = bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
        return pcre2_match_8(code, base, bytes.count, offset, 0, matchData, nil) != PCRE2_ERROR_NOMATCH
    }

    /// The match that starts exactly at `offset`, for a pattern that begins with `\G`, with match data kept
    /// for many such tries in a row (`MatchScratch`, one per thread); `.failed` when matching fails before
    /// it can tell (a resource limit), which a filter treats as a match.
    public func match(in bytes: UnsafeBufferPointer<UInt8>, at offset: Int, using scratch: MatchScratch) -> AnchoredMatch {
        let base = bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
        let status = pcre2_match_8(code, base, bytes.count, offset, 0, scratch.data, nil)
        if status == PCRE2_ERROR_NOMATCH { return .none }
        // 0: a match with more groups than the match data holds; its own range is there all the same.
        guard status >= 0, let ovector = pcre2_get_ovector_pointer_8(scratch.data) else { return .failed }
        return .match(Int(ovector[0])..<Int(ovector[1]))
    }

    /// The ranges of successive matches (at most `limit`), or nil when matching fails before it can
    /// tell, as `mayMatch` treats such failures.
    public func allMatches(in bytes: UnsafeBufferPointer<UInt8>, limit: Int = 1000) -> [Range<Int>]? {
        guard let matchData = pcre2_match_data_create_from_pattern_8(code, nil) else { return nil }
        defer { pcre2_match_data_free_8(matchData) }
        let base = bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
        var ranges: [Range<Int>] = []
        var start = 0
        while start <= bytes.count && ranges.count < limit {
            let status = pcre2_match_8(code, base, bytes.count, start, 0, matchData, nil)
            if status == PCRE2_ERROR_NOMATCH { break }
            guard status > 0, let ovector = pcre2_get_ovector_pointer_8(matchData) else { return nil }
            let range = Int(ovector[0])..<Int(ovector[1])
            ranges.append(range)
            start = range.isEmpty ? range.upperBound + 1 : range.upperBound
        }
        return ranges
    }

    public func matches(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { firstMatch(in: $0) != nil }
    }

    public func matches(_ string: String) -> Bool {
        var copy = string
        return copy.withUTF8 { firstMatch(in: $0) != nil }
    }
}

public enum AnchoredMatch: Equatable {
    case match(Range<Int>)
    case none
    case failed
}

/// Match data for many matches in a row on one thread: allocated once, not for every try.
public final class MatchScratch {
    fileprivate let data: OpaquePointer

    public init() {
        guard let data = pcre2_match_data_create_8(1, nil) else { fatalError("out of memory") }
        self.data = data
    }

    deinit { pcre2_match_data_free_8(data) }
}

/// Literal byte search through the C library's `memmem`, which is vectorised and far faster than a
/// regex whose first byte is a common letter.
public enum ByteSearch {
    /// Whether a NUL byte occurs (memchr: a generic `contains(0)` costs some 7 instructions a byte).
    public static func containsNUL(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            return memchr(base, 0, buffer.count) != nil
        }
    }

    public static func contains(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: StaticString) -> Bool {
        guard let base = haystack.baseAddress, haystack.count >= needle.utf8CodeUnitCount else { return false }
        return cpcre2_contains_bytes(base, haystack.count, needle.utf8Start, needle.utf8CodeUnitCount) != 0
    }

    /// ASCII letters compared without case; `literal` must be lower-case.
    public static func equalsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        bytes.count == literal.utf8CodeUnitCount && matchesIgnoringCase(bytes, at: 0, literal)
    }

    public static func hasPrefixIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        bytes.count >= literal.utf8CodeUnitCount && matchesIgnoringCase(bytes, at: 0, literal)
    }

    public static func hasSuffixIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        bytes.count >= literal.utf8CodeUnitCount && matchesIgnoringCase(bytes, at: bytes.count - literal.utf8CodeUnitCount, literal)
    }

    public static func containsIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard length > 0 else { return true }
        guard bytes.count >= length else { return false }
        let first = literal.utf8Start[0]
        var start = 0
        while start <= bytes.count - length {
            let byte = bytes[start]
            if (byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte) == first && matchesIgnoringCase(bytes, at: start, literal) { return true }
            start += 1
        }
        return false
    }

    static func matchesIgnoringCase(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int, _ literal: StaticString) -> Bool {
        let pattern = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        for index in pattern.indices {
            let byte = bytes[start + index]
            let lowered = byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte
            if lowered != pattern[index] { return false }
        }
        return true
    }

    /// The offset of the first occurrence of `needle` in `haystack` at or after `start`.
    public static func firstIndex(
        of needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>, from start: Int = 0
    ) -> Int? {
        guard let base = haystack.baseAddress, let pattern = needle.baseAddress, start >= 0,
              haystack.count - start >= needle.count, needle.count > 0 else { return nil }
        let offset = cpcre2_find_bytes(base + start, haystack.count - start, pattern, needle.count)
        return offset < 0 ? nil : start + offset
    }
}

extension String {
    /// Whether `needle` occurs in the string, compared byte for byte: no grapheme breaking and no regex engine,
    /// which `String.contains(_:)` brings (some 30,000 instructions for a short name).
    public func containsBytes(_ needle: StaticString) -> Bool {
        var haystack = self
        return haystack.withUTF8 { ByteSearch.contains($0, needle) }
    }
}

/// A few lower-case words looked for together in short texts (setting names), ASCII letters compared without
/// case: one pass over the bytes, each byte tested with one table look-up for the words that start with it.
public final class CaselessWords: @unchecked Sendable {
    private let words: [StaticString]
    /// For each byte, the words (bit i for word i) whose first byte it is in either case.
    private let starts: UnsafeMutablePointer<UInt64>

    /// At most 64 words, each non-empty and in lower case.
    public init(_ words: [StaticString]) {
        precondition(words.count <= 64 && words.allSatisfy { $0.utf8CodeUnitCount > 0 })
        self.words = words
        starts = .allocate(capacity: 256)
        starts.initialize(repeating: 0, count: 256)
        for (index, word) in words.enumerated() {
            let first = word.utf8Start[0]
            starts[Int(first)] |= 1 << UInt64(index)
            if first >= 0x61 && first <= 0x7A { starts[Int(first - 0x20)] |= 1 << UInt64(index) }
        }
    }

    deinit { starts.deallocate() }

    /// Whether any of the words occurs in `bytes`: `ByteSearch.containsIgnoringCase` of each, in one pass.
    public func occur(in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        for start in bytes.indices {
            var candidates = starts[Int(bytes[start])]
            while candidates != 0 {
                let index = candidates.trailingZeroBitCount
                candidates &= candidates - 1
                let word = words[index]
                if bytes.count - start >= word.utf8CodeUnitCount && ByteSearch.matchesIgnoringCase(bytes, at: start, word) { return true }
            }
        }
        return false
    }
}
