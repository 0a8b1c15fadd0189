/// What test settings are held to (SPEC "Test settings"): they run a test suite, in CI without `.env`,
/// so their keys and passwords are fixtures. Key rules and DEBUG rules do not apply; a credential is
/// reported only when its value looks generated (a real token is a leak wherever it sits), and is
/// never rewritten: moving it to a `.env` that CI never has would stop the test suite.
enum TestSettings {
    /// Rules about credentials, kept for generated-looking values.
    static let credentialRuleCodes: Set<String> = ["DJS004", "DJS008", "DJS013"]

    static let advice = "in test settings: move the value into the CI's secret store (not fixed: the test suite runs without .env)"
    static let ciBranchAdvice = "in a branch that runs only on CI: move the value into the CI's secret store (not fixed: CI runs without .env)"

    /// The findings test settings keep, unfixable, with the advice in their message.
    static func adjust(_ findings: [Finding], advice: String = advice) -> [Finding] {
        findings.compactMap { finding in
            guard credentialRuleCodes.contains(finding.code), let secret = finding.secret, !secret.isKey,
                  looksGenerated(secret.value, code: finding.code) else { return nil }
            var kept = finding
            kept.fix = nil
            kept.message += "; " + advice
            return kept
        }
    }

    /// The test of "Generated-looking keys", on the password of a URL for DJS013.
    static func looksGenerated(_ value: String, code: String) -> Bool {
        if code == CredentialInUrlRule.description.code {
            guard let password = CredentialURL(value)?.password else { return false }
            return SecretSettings.looksGenerated(String(password))
        }
        return SecretSettings.looksGenerated(value)
    }
}
