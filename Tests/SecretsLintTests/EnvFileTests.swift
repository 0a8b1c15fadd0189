import Testing
@testable import SecretsLint

struct EnvFileTests {
    @Test func parsesCommonForms() {
        let file = EnvFile(bytes: Array("# comment\nA=1\nexport B='two words'\nC=\"x#y\" # note\nD=plain # note\n\nbroken line\n".utf8))
        #expect(file.values["A"] == "1")
        #expect(file.values["B"] == "two words")
        #expect(file.values["C"] == "x#y")
        #expect(file.values["D"] == "plain")
        #expect(file.names == ["A", "B", "C", "D"])
    }

    @Test func appendingKeepsEveryByteAndTheLineEnding() {
        let original = Array("# keep me\r\nA=1".utf8)
        let merged = EnvFile(bytes: original).appending([("B", "x y")])
        #expect(String(decoding: merged, as: UTF8.self) == "# keep me\r\nA=1\r\nB='x y'\r\n")
        #expect(Array(merged.prefix(original.count)) == original)
    }

    @Test func valuesThatReadersDisagreeOnAreRefused() {
        #expect(EnvFile.unstorableReason("abc$def") != nil)
        #expect(EnvFile.unstorableReason("it's") != nil)
        #expect(EnvFile.unstorableReason("back\\slash") != nil)
        #expect(EnvFile.unstorableReason("two\nlines") != nil)
        #expect(EnvFile.unstorableReason("p@ss#word!") == nil)
    }

    @Test func generatedKeysAreStrongAndPlain() {
        let key = KeyGenerator.newKey()
        #expect(key.count == 64)
        #expect(KeyGenerator.isStrong(key))
        #expect(EnvFile.line(name: "K", value: key) == "K=\(key)")
        #expect(KeyGenerator.newKey() != key)
    }

    @Test func masksNeverShowTheWholeSecret() {
        #expect(SecretMask.mask("django-insecure-abc") == "django-insecure-…")
        #expect(SecretMask.mask("abcdefghijklmnop") == "'abcd…' (16 chars)")
        #expect(SecretMask.mask("abc") == "'a…' (3 chars)")
        #expect(SecretMask.mask("ab") == "'…' (2 chars)")
    }
}
