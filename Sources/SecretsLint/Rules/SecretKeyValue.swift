import PythonSyntax

/// A SECRET_KEY assignment whose value is built only from literals.
struct SecretKeyLiteral {
    let assignment: SettingAssignment
    let value: String

    static let insecurePrefix = "django-insecure-"

    /// Django's security.W009 thresholds, measured on the evaluated string.
    var isWeak: Bool {
        value.unicodeScalars.count < 50 || Set(value.unicodeScalars).count < 5
    }

    var isInsecure: Bool { value.hasPrefix(Self.insecurePrefix) }

    static func all(in context: RuleContext) -> [SecretKeyLiteral] {
        context.model.assignments.compactMap { assignment in
            guard assignment.path == ["SECRET_KEY"],
                  let value = StaticValue.evaluate(assignment.value)?.stringValue, !value.isEmpty,
                  !TemplatePlaceholder.appears(in: value)
            else { return nil }
            return SecretKeyLiteral(assignment: assignment, value: value)
        }
    }

    var secret: SecretInUse { SecretInUse(setting: "SECRET_KEY", value: value, isKey: true) }

    func fix(alwaysReplace: Bool) -> FixIntent {
        .replaceWithRead(
            expression: assignment.value.byteRange, setting: assignment.path, variable: nil, form: .required,
            stored: .secretKey(current: value, alwaysReplace: alwaysReplace))
    }
}

extension SecretKeyLiteral {
    /// A line that assigns SECRET_KEY a string literal: `SECRET_KEY = "…"`, annotated or indented (class body).
    /// Tried on every line the history added, so compiled to machine code.
    static let historyLinePattern = try! BytePattern(#"^[ \t]*SECRET_KEY[ \t]*(?::[^=\n]*)?=[ \t]*\(?[ \t]*[rRuUbB]{0,2}['"]"#, jit: true)

    /// The value of one source line such as `SECRET_KEY = 'k2Zx…'` (a line a commit added), or nil when the
    /// line is not such an assignment or its value is not built only from literals.
    static func value(inLine line: UnsafeBufferPointer<UInt8>, parser: PythonParser) -> String? {
        guard historyLinePattern.firstMatch(in: line) != nil else { return nil }
        var bytes = Array(line.drop { $0 == 0x20 || $0 == 0x09 })
        if bytes.last == 0x0D { bytes.removeLast() }
        guard let tree = try? parser.parse(SourceText(bytes: bytes)) else { return nil }
        let model = SettingsModel(root: tree.root, everyClassIsSettings: true)
        guard let assignment = model.assignments.first(where: { $0.path == ["SECRET_KEY"] }),
              let value = StaticValue.evaluate(assignment.value)?.stringValue, !value.isEmpty,
              !TemplatePlaceholder.appears(in: value)
        else { return nil }
        return value
    }
}
