/// A table while the document is read, with how it came to be, which decides what may still add to it.
final class TOMLTableBuilder {
    enum Origin {
        /// Created as the parent of a `[a.b]` header's last part; a later `[a]` may still define it.
        case implicit
        /// Defined by its own `[header]` or `[[header]]` (and the root); never defined again, and
        /// dotted keys of another table cannot reach into it.
        case header
        /// Created by a dotted key; headers may add sub-tables to it but never define it.
        case dotted
        /// The braces of an inline table, frozen once read (it is stored as a value).
        case inline
    }

    enum Entry {
        /// A finished value: strings, numbers, static arrays and inline tables, all immutable.
        case value(TOMLValue)
        case table(TOMLTableBuilder)
        /// `[[name]]` elements; headers reach into the last one.
        case arrayOfTables(ArrayOfTables)
    }

    final class ArrayOfTables {
        var elements: [TOMLTableBuilder]
        init(_ first: TOMLTableBuilder) { elements = [first] }
    }

    var origin: Origin
    /// Tables above this one (the root is 0).
    let depth: Int
    private(set) var keys: [String] = []
    private(set) var entries: [TOMLKey: Entry] = [:]

    init(origin: Origin, depth: Int) {
        self.origin = origin
        self.depth = depth
    }

    func add(_ key: String, _ entry: Entry) {
        keys.append(key)
        entries[TOMLKey(key)] = entry
    }

    /// The finished table, its sub-tables finished too.
    func table() -> TOMLTable {
        var result = TOMLTable()
        for key in keys {
            switch entries[TOMLKey(key)]! {
            case .value(let value): result[key] = value
            case .table(let table): result[key] = .table(table.table())
            case .arrayOfTables(let array): result[key] = .array(array.elements.map { .table($0.table()) })
            }
        }
        return result
    }
}

/// The rules of TOML 1.0 for defining tables: by header, by dotted key, as an array of tables.
extension TOMLParser {
    /// `[key]`: defines the table (once), creating missing parents as implicit tables.
    func defineTable(_ key: [KeyPart], in root: TOMLTableBuilder) throws -> TOMLTableBuilder {
        let parent = try headerParent(key, in: root)
        let last = key[key.count - 1]
        switch parent.entries[TOMLKey(last.name)] {
        case nil:
            return try child(of: parent, last, origin: .header)
        case .table(let table)?:
            switch table.origin {
            case .implicit:
                table.origin = .header
                return table
            case .header, .inline:
                throw error("table [\(path(key))] is defined more than once", at: last.offset)
            case .dotted:
                throw error("table [\(path(key))] was already defined by dotted keys", at: last.offset)
            }
        case .arrayOfTables?:
            throw error("[\(path(key))] is an array of tables; a table of the same name is not allowed", at: last.offset)
        case .value(let value)?:
            throw error(conflict(key, key.count, value), at: last.offset)
        }
    }

    /// `[[key]]`: appends a table to the array of tables, creating the array the first time.
    func appendArrayTable(_ key: [KeyPart], in root: TOMLTableBuilder) throws -> TOMLTableBuilder {
        let parent = try headerParent(key, in: root)
        let last = key[key.count - 1]
        switch parent.entries[TOMLKey(last.name)] {
        case nil:
            try checkDepth(parent, last)
            let element = TOMLTableBuilder(origin: .header, depth: parent.depth + 1)
            parent.add(last.name, .arrayOfTables(.init(element)))
            return element
        case .arrayOfTables(let array)?:
            let element = TOMLTableBuilder(origin: .header, depth: parent.depth + 1)
            array.elements.append(element)
            return element
        case .table?:
            throw error("[[\(path(key))]] names a table, not an array of tables", at: last.offset)
        case .value(let value)?:
            if value.array != nil {
                throw error("[[\(path(key))]] cannot append to an array defined as a value", at: last.offset)
            }
            throw error(conflict(key, key.count, value, wanted: "an array of tables"), at: last.offset)
        }
    }

    /// The table a header's last part goes into: headers walk through any table and into the last
    /// element of an array of tables, never into values (inline tables, static arrays).
    private func headerParent(_ key: [KeyPart], in root: TOMLTableBuilder) throws -> TOMLTableBuilder {
        var table = root
        for (index, part) in key.dropLast().enumerated() {
            switch table.entries[TOMLKey(part.name)] {
            case nil: table = try child(of: table, part, origin: .implicit)
            case .table(let next)?: table = next
            case .arrayOfTables(let array)?: table = array.elements[array.elements.count - 1]
            case .value(let value)?: throw error(conflict(key, index + 1, value), at: part.offset)
            }
        }
        return table
    }

    /// `a.b.c = value` in `section` (whose key is `sectionKey`, or nothing in an inline table):
    /// creates or walks the tables of the dotted key, then defines the last part.
    func insert(_ value: TOMLValue, at key: [KeyPart], into section: TOMLTableBuilder, under sectionKey: [KeyPart]) throws {
        var table = section
        for (index, part) in key.dropLast().enumerated() {
            switch table.entries[TOMLKey(part.name)] {
            case nil:
                table = try child(of: table, part, origin: .dotted)
            case .table(let next)?:
                switch next.origin {
                case .header:
                    throw error(
                        "table '\(path(sectionKey + key.prefix(index + 1)))' was defined by a [header]; dotted keys cannot add to it",
                        at: part.offset)
                case .implicit:
                    next.origin = .dotted
                case .dotted, .inline:
                    break
                }
                table = next
            case .arrayOfTables?:
                throw error("'\(path(sectionKey + key.prefix(index + 1)))' is an array of tables; dotted keys cannot add to it", at: part.offset)
            case .value(let existing)?:
                throw error(conflict(sectionKey + key, sectionKey.count + index + 1, existing), at: part.offset)
            }
        }
        let last = key[key.count - 1]
        guard table.entries[TOMLKey(last.name)] == nil else {
            throw error("key '\(path(sectionKey + key))' is defined more than once", at: last.offset)
        }
        table.add(last.name, .value(value))
    }

    private func child(of parent: TOMLTableBuilder, _ part: KeyPart, origin: TOMLTableBuilder.Origin) throws -> TOMLTableBuilder {
        try checkDepth(parent, part)
        let table = TOMLTableBuilder(origin: origin, depth: parent.depth + 1)
        parent.add(part.name, .table(table))
        return table
    }

    private func checkDepth(_ parent: TOMLTableBuilder, _ part: KeyPart) throws {
        guard parent.depth < Self.maximumNesting else {
            throw error("arrays and tables nest deeper than \(Self.maximumNesting) levels", at: part.offset)
        }
    }

    /// The first `count` parts of `key` name `value`, where `wanted` (a table, an array of tables) was
    /// needed.
    private func conflict(_ key: [KeyPart], _ count: Int, _ value: TOMLValue, wanted: String = "a table") -> String {
        let name = path(key.prefix(count))
        if value.table != nil { return "'\(name)' is an inline table, which cannot be extended or defined again" }
        let article = value.typeName.first.map { "aeiou".contains($0) } == true ? "an" : "a"
        return "'\(name)' is already \(article) \(value.typeName), not \(wanted)"
    }

    /// A key as it could be written: bare parts as they are, others quoted.
    func path<Parts: Collection>(_ parts: Parts) -> String where Parts.Element == KeyPart {
        parts.map { part in
            if !part.name.isEmpty && part.name.utf8.allSatisfy(TOMLByte.isBareKey) { return part.name }
            var quoted = "\""
            for scalar in part.name.unicodeScalars {
                switch scalar {
                case "\"": quoted += "\\\""
                case "\\": quoted += "\\\\"
                default:
                    if scalar.value < 0x20 || scalar.value == 0x7F {
                        let hex = String(scalar.value, radix: 16, uppercase: true)
                        quoted += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        quoted.unicodeScalars.append(scalar)
                    }
                }
            }
            return quoted + "\""
        }.joined(separator: ".")
    }
}
