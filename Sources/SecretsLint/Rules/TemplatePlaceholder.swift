/// Django project templates (`startproject --template`) and similar generators spell values as
/// `{{ secret_key }}`: the template engine fills them in when the project is created. Such a value
/// is not a key nor a credential, and the file is not a settings module yet: nothing to report or move.
enum TemplatePlaceholder {
    /// The value holds a `{{ … }}` variable tag with something between the braces, on one line.
    static func appears(in value: String) -> Bool {
        let bytes = Array(value.utf8)
        var index = 0
        while index + 1 < bytes.count {
            guard bytes[index] == UInt8(ascii: "{"), bytes[index + 1] == UInt8(ascii: "{") else {
                index += 1
                continue
            }
            var cursor = index + 2
            var hasContent = false
            while cursor + 1 < bytes.count, bytes[cursor] != UInt8(ascii: "\n"),
                  !(bytes[cursor] == UInt8(ascii: "}") && bytes[cursor + 1] == UInt8(ascii: "}")) {
                if bytes[cursor] != UInt8(ascii: " ") && bytes[cursor] != UInt8(ascii: "{") { hasContent = true }
                cursor += 1
            }
            if hasContent, cursor + 1 < bytes.count, bytes[cursor] == UInt8(ascii: "}") { return true }
            index += 2
        }
        return false
    }
}
