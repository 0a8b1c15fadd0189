import Testing
@testable import SecretsLint
import PythonSyntax

struct StaticValueTests {
    func value(_ expression: String) -> StaticValue? {
        let tree = try! PythonParser().parse(SourceText("X = " + expression + "\n"))
        let assignment = tree.root.namedChild(0)!.namedChild(0)!
        return StaticValue.evaluate(assignment.child(field: "right")!)
    }

    @Test func escapesAreEvaluated() {
        #expect(value(#"'a\nb'"#) == .string("a\nb"))
        #expect(value(#"r'a\nb'"#) == .string(#"a\nb"#))
        #expect(value(#"'\x41\u00e9\U0001F600\101'"#) == .string("Aé😀A"))
        #expect(value(#"'it\'s'"#) == .string("it's"))
        #expect(value(#"'a\qb'"#) == .string(#"a\qb"#))
        #expect(value(#"b'\xff'"#) == .bytes([0xFF]))
        #expect(value("'''multi\nline'''") == .string("multi\nline"))
        #expect(value("'a\\\nb'") == .string("ab"))
    }

    @Test func concatenationAndParentheses() {
        #expect(value("'a' 'b' \"c\"") == .string("abc"))
        #expect(value("('a' + 'b') + 'c'") == .string("abc"))
        #expect(value("'a' + b'b'") == nil)
        #expect(value("f'{{x}}'") == .string("{x}"))
        #expect(value("f'{x}'") == nil)
        #expect(value("'a' * 3") == nil)
    }

    @Test func scalars() {
        #expect(value("True") == .bool(true))
        #expect(value("None") == StaticValue.none)
        #expect(value("0x10") == .integer(16))
        #expect(value("1_000") == .integer(1000))
    }
}

struct SourceTextTests {
    @Test func locationsCountCharactersAndSkipTheBOM() {
        let source = SourceText("\u{FEFF}ab\r\né🎉x\r\n")
        #expect(source.hasBOM)
        #expect(source.lineEnding == "\r\n")
        #expect(source.location(ofByte: 3) == (1, 1))
        let x = Array(source.bytes).firstIndex(of: UInt8(ascii: "x"))!
        #expect(source.location(ofByte: x) == (2, 3))
    }

    @Test func invalidUTF8IsDetected() {
        #expect(!SourceText(bytes: [0x41, 0xFF, 0x42]).isValidUTF8)
        #expect(SourceText("é").isValidUTF8)
    }
}

struct GlobTests {
    @Test func globs() {
        #expect(Glob.matches("*.py", path: "settings.py"))
        #expect(!Glob.matches("*.py", path: "a/settings.py"))
        #expect(Glob.matches("**/settings/*.py", path: "src/app/settings/dev.py"))
        #expect(Glob.matches("settings/[dl]*.py", path: "settings/local.py"))
        #expect(Glob.matches("**", path: "a/b"))
    }
}

struct TemplatePlaceholderTests {
    @Test func placeholdersAreVariableTagsWithContent() {
        #expect(TemplatePlaceholder.appears(in: "{{ secret_key }}"))
        #expect(TemplatePlaceholder.appears(in: "{{secret_key}}"))
        #expect(TemplatePlaceholder.appears(in: "django-insecure-{{ secret_key }}"))
        #expect(TemplatePlaceholder.appears(in: "{{ cookiecutter.db_password }}"))
        #expect(!TemplatePlaceholder.appears(in: "{{}}"))
        #expect(!TemplatePlaceholder.appears(in: "{{   }}"))
        #expect(!TemplatePlaceholder.appears(in: "{ {x} }"))
        #expect(!TemplatePlaceholder.appears(in: "{{ never closed"))
        #expect(!TemplatePlaceholder.appears(in: "{{ x\n}}"))
        #expect(!TemplatePlaceholder.appears(in: "k2Zx{7Qp}9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u"))
    }
}
