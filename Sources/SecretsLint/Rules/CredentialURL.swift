/// A URL's user part, read the way `urllib.parse.urlsplit` (and so dj-database-url, django-environ and
/// Celery) reads it: the authority runs from `//` to the first `/`, `?` or `#`, and the user part ends
/// at its last `@`.
struct CredentialURL {
    let scheme: Substring
    let user: Substring
    /// Nil when the user part has no `:`; empty for `user:@host`.
    let password: Substring?
    /// What follows the user part's `@` (host, path, query), or the authority when there is no user part.
    let rest: Substring

    init?(_ text: String) {
        // One byte search finds the separator (most values hold none); `://` is ASCII, so its UTF-8 offsets
        // are character boundaries.
        var bytes = text
        let marker: StaticString = "://"
        guard let offset = bytes.withUTF8({
            ByteSearch.firstIndex(of: UnsafeBufferPointer(start: marker.utf8Start, count: marker.utf8CodeUnitCount), in: $0)
        }) else { return nil }
        let start = text.utf8.index(text.utf8.startIndex, offsetBy: offset)
        let separator = start..<text.utf8.index(start, offsetBy: 3)
        let scheme = text[..<separator.lowerBound]
        guard let first = scheme.first, first.isASCII, first.isLetter,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) else { return nil }
        let afterScheme = text[separator.upperBound...]
        let authorityEnd = afterScheme.firstIndex { "/?#".contains($0) } ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        self.scheme = scheme
        guard let at = authority.lastIndex(of: "@") else {
            user = ""
            password = nil
            rest = afterScheme
            return
        }
        let userInfo = authority[..<at]
        rest = afterScheme[afterScheme.index(after: at)...]
        if let colon = userInfo.firstIndex(of: ":") {
            user = userInfo[..<colon]
            password = userInfo[userInfo.index(after: colon)...]
        } else {
            user = userInfo
            password = nil
        }
    }

    /// A non-empty password that is not a placeholder filled in elsewhere (`${DB_PASSWORD}`,
    /// `$DB_PASSWORD`, `%(password)s`, `{password}`, `<password>`, a project template's `{{ db_password }}`).
    var hasRealPassword: Bool {
        guard let password, !password.isEmpty else { return false }
        return !Self.isPlaceholder(password) && !TemplatePlaceholder.appears(in: String(password))
    }

    static func isPlaceholder(_ text: Substring) -> Bool {
        func isName(_ name: Substring) -> Bool {
            !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        }
        if text.hasPrefix("${") && text.hasSuffix("}") { return isName(text.dropFirst(2).dropLast()) || text.dropFirst(2).contains(":") }
        if text.hasPrefix("$") { return isName(text.dropFirst()) }
        if text.hasPrefix("%(") && text.hasSuffix(")s") { return isName(text.dropFirst(2).dropLast(2)) }
        if text.hasPrefix("{") && text.hasSuffix("}") { return isName(text.dropFirst().dropLast()) || text.dropFirst().dropLast().isEmpty }
        if text.hasPrefix("<") && text.hasSuffix(">") { return text.count > 2 }
        return false
    }

    /// The URL with its password hidden, and its query too (it may hold more): `postgres://app:****@db/app`.
    var masked: String {
        let place = rest.firstIndex(of: "?").map { rest[..<$0] + "?…" } ?? rest
        guard password != nil else { return "\(scheme)://\(user)@\(place)" }
        return "\(scheme)://\(user):****@\(place)"
    }
}
