/// A value of a TOML document.
///
/// Date-times of all four TOML kinds (offset date-time, local date-time, local date, local time) are
/// kept as written: the parser validates their shape and ranges, nothing here needs them as instants.
public enum TOMLValue: Equatable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    case dateTime(String)
    case array([TOMLValue])
    case table(TOMLTable)

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    public var float: Double? {
        if case .float(let value) = self { return value }
        return nil
    }

    public var boolean: Bool? {
        if case .boolean(let value) = self { return value }
        return nil
    }

    public var dateTime: String? {
        if case .dateTime(let value) = self { return value }
        return nil
    }

    public var array: [TOMLValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var table: TOMLTable? {
        if case .table(let value) = self { return value }
        return nil
    }

    /// The TOML name of the value's type, for messages.
    public var typeName: String {
        switch self {
        case .string: return "string"
        case .integer: return "integer"
        case .float: return "float"
        case .boolean: return "boolean"
        case .dateTime: return "date-time"
        case .array: return "array"
        case .table: return "table"
        }
    }
}

/// A TOML table: its keys in document order (the order in which each key was first defined) and a
/// lookup by key. Keys are compared by their exact Unicode scalars, as TOML compares them ("é" and
/// "e\u{301}" are two keys), not by Swift's canonical equivalence.
public struct TOMLTable: Equatable, Sequence {
    public private(set) var keys: [String] = []
    private var values: [TOMLKey: TOMLValue] = [:]

    public init() {}

    /// A table of these entries in this order; a repeated key keeps its first position and last value.
    public init(_ entries: [(String, TOMLValue)]) {
        for (key, value) in entries { self[key] = value }
    }

    public subscript(key: String) -> TOMLValue? {
        get { values[TOMLKey(key)] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: TOMLKey(key)) == nil { keys.append(key) }
            } else if values.removeValue(forKey: TOMLKey(key)) != nil {
                keys.removeAll { TOMLKey($0) == TOMLKey(key) }
            }
        }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public func makeIterator() -> AnyIterator<(key: String, value: TOMLValue)> {
        var index = 0
        return AnyIterator {
            guard index < keys.count else { return nil }
            defer { index += 1 }
            return (keys[index], values[TOMLKey(keys[index])]!)
        }
    }

    public static func == (lhs: TOMLTable, rhs: TOMLTable) -> Bool {
        lhs.keys.map(TOMLKey.init) == rhs.keys.map(TOMLKey.init) && lhs.values == rhs.values
    }
}

/// A key compared and hashed by its UTF-8 bytes.
struct TOMLKey: Hashable {
    let text: String

    init(_ text: String) {
        self.text = text
    }

    static func == (lhs: TOMLKey, rhs: TOMLKey) -> Bool {
        lhs.text.utf8.elementsEqual(rhs.text.utf8)
    }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
