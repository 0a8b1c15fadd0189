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
}

extension String {
    fileprivate func replacingControlCharacters() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0.value < 0x20 || $0 == "'" ? "?" : $0 }))
    }
}
