import PythonSyntax

/// The only way a secret value reaches any output: a short prefix, an ellipsis and the length.
public enum SecretMask {
    public static func mask(_ secret: String) -> String {
        if secret.hasPrefix(SecretKeyLiteral.insecurePrefix) { return "django-insecure-…" }
        let scalars = secret.unicodeScalars
        // Never more than a third of a short secret, never more than 4 characters.
        let shown = min(4, scalars.count / 3)
        let prefix = String(String.UnicodeScalarView(scalars.prefix(shown)))
            .replacingControlCharacters()
        return "'\(prefix)…' (\(scalars.count) chars)"
    }

    /// Text that quotes source (a diff's removed and context lines) with every finding's secret
    /// masked, fixed or not: its value, and the source of each string literal spelling it (escapes,
    /// implicit concatenation and line breaks can hide the value from a plain search).
    public static func maskSecrets(in text: String, of findings: [Finding], tree: SyntaxTree) -> String {
        var replacements: [(text: String, mask: String)] = []
        for finding in findings {
            guard let secret = finding.secret else { continue }
            let mask = mask(secret.value)
            let range = secret.range ?? finding.range
            replacements.append((secret.value, mask))
            tree.root.walk { node in
                guard node.endByte > range.lowerBound, node.startByte < range.upperBound else { return false }
                guard node.type == "string" else { return true }
                for part in node.text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
                    let trimmed = part.trimmingCharacters(in: " \t\r")
                    if !trimmed.isEmpty { replacements.append((trimmed, mask)) }
                }
                return false
            }
        }
        var masked = text
        for replacement in replacements.sorted(by: { $0.text.count > $1.text.count }) {
            masked = masked.replacingAll(replacement.text, with: replacement.mask)
        }
        return masked
    }
}

extension String {
    fileprivate func replacingControlCharacters() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0.value < 0x20 || $0 == "'" ? "?" : $0 }))
    }
}
