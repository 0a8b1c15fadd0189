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
                  let value = StaticValue.evaluate(assignment.value)?.stringValue, !value.isEmpty
            else { return nil }
            return SecretKeyLiteral(assignment: assignment, value: value)
        }
    }

    func fix(alwaysReplace: Bool) -> FixIntent {
        .replaceWithRead(
            expression: assignment.value.byteRange, setting: assignment.path, variable: nil, form: .required,
            stored: .secretKey(current: value, alwaysReplace: alwaysReplace))
    }
}
