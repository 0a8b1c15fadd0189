import PythonSyntax

struct DebugEnabledRule: Rule {
    static let description = RuleDescription(
        code: "DJS005",
        name: "debug-enabled",
        summary: "DEBUG is set to a truthy literal",
        rationale: """
            With DEBUG on, every error page shows settings, SQL and tracebacks to whoever triggers it \
            (security.W018). A settings file that turns DEBUG on unconditionally does so in production \
            too. Read it from the environment, defaulting to off; local development sets the variable.
            """,
        triggeringExamples: [
            "↓DEBUG = True\n",
            "↓DEBUG = (1)\n",
            "class Base:\n    ↓DEBUG = True\n",
        ],
        nonTriggeringExamples: [
            "DEBUG = False\n",
            "import os\nif os.environ.get(\"DJANGO_ENV\") == \"development\":\n    DEBUG = True\n",
            "def local():\n    DEBUG = True\n",
        ],
        corrections: [(
            before: "DEBUG = True\n",
            after: "import os\nDEBUG = os.environ.get(\"DJANGO_DEBUG\", \"False\").lower() in (\"1\", \"true\", \"yes\", \"on\")\n"
        )],
        fix: .always,
        severity: .warning,
        isDebugRule: true)

    /// `True`, `1` or a non-empty string. Other numbers are log-level constants (`DEBUG = 10`).
    static func turnsDebugOn(_ value: StaticValue) -> Bool {
        switch value {
        case .bool(true), .integer(1): return true
        case .string(let text): return !text.isEmpty
        default: return false
        }
    }

    func check(_ context: RuleContext) -> [Finding] {
        guard !context.isDevelopmentSettings else { return [] }
        return context.model.assignments.compactMap { assignment in
            guard assignment.path == ["DEBUG"], !assignment.context.environmentGated,
                  let value = StaticValue.evaluate(assignment.value), Self.turnsDebugOn(value)
            else { return nil }
            return context.finding(
                Self.description, at: assignment.anchor, statement: assignment.statement,
                message: "DEBUG is on unconditionally; read it from the environment, defaulting to off",
                fix: .replaceWithRead(
                    expression: assignment.value.byteRange, setting: assignment.path, variable: nil, form: .bool,
                    stored: .debugFlag(true)))
        }
    }
}
