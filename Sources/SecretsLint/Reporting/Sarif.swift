/// SARIF 2.1.0 with every rule described, so code scanning shows the rule's help beside a result.
enum Sarif {
    static let schema = "https://json.schemastore.org/sarif-2.1.0.json"

    static func render(_ findings: [ReportedFinding]) -> String {
        let descriptions = RuleRegistry.descriptions
        let rules: [JSON] = descriptions.map { rule in
            .object([
                ("id", .string(rule.code)),
                ("name", .string(rule.name)),
                ("shortDescription", .object([("text", .string(rule.summary))])),
                ("fullDescription", .object([("text", .string(rule.rationale))])),
                ("help", .object([("text", .string(rule.summary + "\n\n" + rule.rationale))])),
                ("defaultConfiguration", .object([("level", .string(level(rule.severity)))])),
            ])
        }
        let results: [JSON] = findings.map { finding in
            .object([
                ("ruleId", .string(finding.code)),
                ("ruleIndex", .number(descriptions.firstIndex { $0.code == finding.code } ?? 0)),
                ("level", .string(level(finding.severity))),
                ("message", .object([("text", .string(finding.message))])),
                ("locations", .array([.object([
                    ("physicalLocation", .object([
                        ("artifactLocation", .object([("uri", .string(uri(finding.path)))])),
                        ("region", .object([
                            ("startLine", .number(finding.line)),
                            ("startColumn", .number(finding.column)),
                            ("endLine", .number(finding.endLine)),
                            ("endColumn", .number(finding.endColumn)),
                        ])),
                    ])),
                ])])),
            ])
        }
        let log: JSON = .object([
            ("$schema", .string(schema)),
            ("version", .string("2.1.0")),
            ("runs", .array([.object([
                ("tool", .object([("driver", .object([
                    ("name", .string("djlint-secrets")),
                    ("version", .string(Version.current)),
                    ("informationUri", .string("https://github.com/djlint-secrets/djlint-secrets")),
                    ("rules", .array(rules)),
                ]))])),
                ("columnKind", .string("unicodeCodePoints")),
                ("results", .array(results)),
            ])])),
        ])
        return log.rendered()
    }

    static func level(_ severity: Severity) -> String { severity == .error ? "error" : "warning" }

    static func uri(_ path: String) -> String {
        var trimmed = path
        while trimmed.hasPrefix("./") { trimmed.removeFirst(2) }
        var result = ""
        for byte in trimmed.utf8 {
            let safe = (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || "-._~/".utf8.contains(byte)
            result += safe ? String(UnicodeScalar(byte)) : "%" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
        }
        return result
    }
}
