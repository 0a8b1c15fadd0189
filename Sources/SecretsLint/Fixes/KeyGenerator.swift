/// New SECRET_KEY values: 64 characters from [A-Za-z0-9], drawn from the system CSPRNG
/// (`SystemRandomNumberGenerator` reads getrandom(2) on Linux). No character needs quoting in any
/// .env dialect, and the key is far above Django's W009 thresholds.
public enum KeyGenerator {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")

    public static func newKey(length: Int = 64) -> String {
        var generator = SystemRandomNumberGenerator()
        return String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
    }

    /// Django's security.W009 test, plus the startproject prefix.
    public static func isStrong(_ key: String) -> Bool {
        key.unicodeScalars.count >= 50 && Set(key.unicodeScalars).count >= 5
            && !key.hasPrefix(SecretKeyLiteral.insecurePrefix)
    }
}
