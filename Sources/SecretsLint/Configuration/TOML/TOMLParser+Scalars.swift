/// Integers, floats and the four date-time kinds.
extension TOMLParser {
    /// A value starting with a digit, a sign, `i` or `n`.
    mutating func numberOrDateTime() throws -> TOMLValue {
        if TOMLByte.isDigit(current) && TOMLByte.isDigit(byte(at: position + 1)) {
            if TOMLByte.isDigit(byte(at: position + 2)) && TOMLByte.isDigit(byte(at: position + 3))
                && byte(at: position + 4) == TOMLByte.minus {
                return try dateTime()
            }
            if byte(at: position + 2) == TOMLByte.colon {
                let start = position
                try time()
                return .dateTime(text(start, position))
            }
        }
        let start = position
        while TOMLByte.isNumberToken(current) { position += 1 }
        return try number(start, position)
    }

    // MARK: - Numbers

    private func number(_ start: Int, _ end: Int) throws -> TOMLValue {
        var index = start
        let sign = byte(at: index)
        let signed = sign == TOMLByte.plus || sign == TOMLByte.minus
        let negative = sign == TOMLByte.minus
        if signed { index += 1 }
        if end - index == 3 {
            if matches("inf", at: index) { return .float(negative ? -.infinity : .infinity) }
            if matches("nan", at: index) { return .float(negative ? -.nan : .nan) }
        }
        let invalid = { () -> TOMLError in
            self.error("invalid number '\(self.text(start, end))'", at: start)
        }
        // 0x, 0o, 0b
        if byte(at: index) == UInt8(ascii: "0") && index + 1 < end {
            let radix: Int64
            switch byte(at: index + 1) {
            case UInt8(ascii: "x"): radix = 16
            case UInt8(ascii: "o"): radix = 8
            case UInt8(ascii: "b"): radix = 2
            default: radix = 0
            }
            if radix != 0 {
                if signed { throw error("a hexadecimal, octal or binary integer cannot have a sign", at: start) }
                index += 2
                var value: Int64 = 0
                try digits(&index, end, radix: radix) { digit in
                    let (shifted, overflow) = value.multipliedReportingOverflow(by: radix)
                    let (sum, carry) = shifted.addingReportingOverflow(digit)
                    if overflow || carry { throw self.error("integer '\(self.text(start, end))' does not fit in 64 bits", at: start) }
                    value = sum
                }
                guard index == end else { throw invalid() }
                return .integer(value)
            }
        }
        // Decimal: the integer part, then a fraction and/or an exponent make it a float.
        let integerStart = index
        var magnitude: Int64 = 0  // negative, so that Int64.min fits
        var overflow = false
        try digits(&index, end, radix: 10) { digit in
            let (shifted, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.subtractingReportingOverflow(digit)
            overflow = overflow || overflow1 || overflow2
            magnitude = sum
        }
        if byte(at: integerStart) == UInt8(ascii: "0") && index - integerStart > 1 {
            throw error("leading zeros are not allowed in '\(text(start, end))'", at: start)
        }
        var isFloat = false
        if index < end && byte(at: index) == TOMLByte.dot {
            isFloat = true
            index += 1
            try digits(&index, end, radix: 10) { _ in }
        }
        if index < end && (byte(at: index) == UInt8(ascii: "e") || byte(at: index) == UInt8(ascii: "E")) {
            isFloat = true
            index += 1
            if byte(at: index) == TOMLByte.plus || byte(at: index) == TOMLByte.minus { index += 1 }
            try digits(&index, end, radix: 10) { _ in }
        }
        guard index == end else { throw invalid() }
        if isFloat {
            var literal = ""
            literal.reserveCapacity(end - start)
            for offset in start..<end where bytes[offset] != TOMLByte.underscore {
                literal.unicodeScalars.append(Unicode.Scalar(bytes[offset]))
            }
            guard let value = Double(literal) else { throw invalid() }
            return .float(value)
        }
        if overflow || !negative && magnitude == .min {
            throw error("integer '\(text(start, end))' does not fit in 64 bits", at: start)
        }
        return .integer(negative ? magnitude : -magnitude)
    }

    /// One or more digits of `radix` from `index`, single underscores allowed between digits.
    private func digits(_ index: inout Int, _ end: Int, radix: Int64, _ each: (Int64) throws -> Void) throws {
        var expectDigit = true
        let first = index
        while index < end {
            let value = byte(at: index)
            if value == TOMLByte.underscore {
                guard !expectDigit else { break }
                expectDigit = true
                index += 1
                continue
            }
            guard let digit = TOMLByte.hexValue(value), Int64(digit) < radix else { break }
            try each(Int64(digit))
            expectDigit = false
            index += 1
        }
        if expectDigit {
            let what = index == first ? "a digit" : "a digit after '_'"
            throw error("invalid number '\(text(numberStart(first), end))': expected \(what)", at: index)
        }
    }

    /// Where the number token around `offset` starts, for messages.
    private func numberStart(_ offset: Int) -> Int {
        var start = offset
        while start > 0 && TOMLByte.isNumberToken(bytes[start - 1]) { start -= 1 }
        return start
    }

    private func matches(_ word: StaticString, at offset: Int) -> Bool {
        word.withUTF8Buffer { word in
            word.indices.allSatisfy { byte(at: offset + $0) == word[$0] }
        }
    }

    // MARK: - Date-times

    /// `YYYY-MM-DD`, optionally followed by `T` (or `t`, or a space) and a time, optionally followed by
    /// `Z` (or `z`) or `±HH:MM`.
    private mutating func dateTime() throws -> TOMLValue {
        let start = position
        let year = try fixedDigits(4, "year")
        try expect(TOMLByte.minus, "'-' in the date")
        let month = try fixedDigits(2, "month")
        try expect(TOMLByte.minus, "'-' in the date")
        let day = try fixedDigits(2, "day")
        guard (1...12).contains(month) else { throw error("invalid month \(month) in the date", at: start) }
        guard day >= 1 && day <= Self.days(inMonth: month, year: year) else {
            throw error("invalid day \(day) in the date", at: start)
        }
        let separator = current
        let hasTime = separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t")
            || separator == TOMLByte.space && TOMLByte.isDigit(byte(at: position + 1))
            && TOMLByte.isDigit(byte(at: position + 2)) && byte(at: position + 3) == TOMLByte.colon
        if hasTime {
            position += 1
            try time()
            switch current {
            case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                position += 1
            case TOMLByte.plus, TOMLByte.minus:
                position += 1
                let offsetStart = position
                let hours = try fixedDigits(2, "offset hour")
                try expect(TOMLByte.colon, "':' in the offset")
                let minutes = try fixedDigits(2, "offset minute")
                guard hours <= 23 && minutes <= 59 else { throw error("invalid time offset", at: offsetStart) }
            default:
                break
            }
        }
        return .dateTime(text(start, position))
    }

    /// `HH:MM:SS` with an optional fraction of a second.
    private mutating func time() throws {
        let start = position
        let hour = try fixedDigits(2, "hour")
        try expect(TOMLByte.colon, "':' in the time")
        let minute = try fixedDigits(2, "minute")
        try expect(TOMLByte.colon, "':' in the time (seconds are required)")
        let second = try fixedDigits(2, "second")
        guard hour <= 23 else { throw error("invalid hour \(hour) in the time", at: start) }
        guard minute <= 59 else { throw error("invalid minute \(minute) in the time", at: start) }
        guard second <= 59 else { throw error("invalid second \(second) in the time", at: start) }
        if current == TOMLByte.dot {
            position += 1
            guard TOMLByte.isDigit(current) else { throw error("expected digits after '.' in the time") }
            while TOMLByte.isDigit(current) { position += 1 }
        }
    }

    private mutating func fixedDigits(_ count: Int, _ what: String) throws -> Int {
        var value = 0
        for _ in 0..<count {
            guard TOMLByte.isDigit(current) else {
                throw error("expected \(count) digits for the \(what), found \(describe(at: position))")
            }
            value = value * 10 + Int(current - 0x30)
            position += 1
        }
        return value
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard current == byte else { throw error("expected \(what), found \(describe(at: position))") }
        position += 1
    }

    static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

extension TOMLByte {
    /// The bytes a number token is made of: digits, letters (`inf`, `nan`, prefixes, exponents), `_`,
    /// `.`, `+` and `-`. The token is then checked as a whole.
    static func isNumberToken(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, underscore, dot, plus, minus: return true
        default: return false
        }
    }
}
