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
        #expect(EnvFile.unstorableReason("it's") != nil)
        #expect(EnvFile.unstorableReason("two\\\\backslashes") != nil)
        #expect(EnvFile.unstorableReason("final\\") != nil)
        #expect(EnvFile.unstorableReason("two\nlines") != nil)
        #expect(EnvFile.unstorableReason("line\u{2028}separator") != nil)
        #expect(EnvFile.unstorableReason("$OTHER") != nil)
        #expect(EnvFile.unstorableReason("a${HOME}b") != nil)
        #expect(EnvFile.unstorableReason("a${NOPE:-x}b") != nil)
        #expect(EnvFile.unstorableReason("\"quoted\"") != nil)
    }

    @Test func valuesEveryReaderKeepsAreStored() {
        #expect(EnvFile.unstorableReason("p@ss#word!") == nil)
        #expect(EnvFile.unstorableReason("k3$m@9q!zw2e#r5t^y8u&i1o*p4a-s7d=f0g+h6j%l)x_cvbnm") == nil)
        #expect(EnvFile.unstorableReason("a${never-closed") == nil)
        #expect(EnvFile.unstorableReason("a${b:c}d") == nil)
        #expect(EnvFile.unstorableReason("one\\backslash") == nil)
        #expect(EnvFile.unstorableReason(" spaces around ") == nil)
        #expect(EnvFile.unstorableReason("%(name)s") == nil)
        #expect(EnvFile.unstorableReason("\"") == nil)
        #expect(EnvFile.line(name: "K", value: "k3$m@9q ") == "K='k3$m@9q '")
        #expect(EnvFile(bytes: Array("K='k3$m@9q '\n".utf8)).values["K"] == "k3$m@9q ")
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
