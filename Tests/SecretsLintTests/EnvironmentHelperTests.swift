import Testing
@testable import SecretsLint

/// Calls of a module-level helper of the same file are environment reads: what they give with the
/// variable unset comes from the helper's body with the call's arguments bound.
struct EnvironmentHelperTests {
    let snapshots = FixSnapshotTests()

    static let helpers = """
        import os


        def get_bool_from_env(name, default):
            return os.environ.get(name, str(default)).lower() == "true"


        def get_env(name, default=None):
            if name in os.environ:
                return os.environ[name]
            return default


        """

    @Test func aBoolHelperDefaultingOnIsFixedInTheFileStyle() {
        let outcome = snapshots.fix(Self.helpers + "DEBUG = get_bool_from_env(\"DEBUG\", True)\n")
        #expect(outcome.source == Self.helpers + "DEBUG = os.environ.get(\"DEBUG\", \"False\").lower() in (\"1\", \"true\", \"yes\", \"on\")\n")
        #expect(outcome.env == ["DEBUG=True"])
        #expect(outcome.remaining.isEmpty)
    }

    @Test func aSecretFallbackThroughAHelperBecomesARequiredRead() {
        let outcome = snapshots.fix(Self.helpers + "SECRET_KEY = get_env(\"DJANGO_SECRET_KEY\", \"django-insecure-0123456789abcdef\")\nEMAIL_HOST_PASSWORD = get_env(\"EMAIL_PASSWORD\", \"hunter22\")\n")
        #expect(outcome.source == Self.helpers + "SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]\nEMAIL_HOST_PASSWORD = os.environ[\"EMAIL_PASSWORD\"]\n")
        #expect(outcome.env == ["DJANGO_SECRET_KEY=<NEW_KEY>", "EMAIL_PASSWORD=hunter22"])
        #expect(outcome.remaining.isEmpty)
    }

    @Test func aHelperOverDjangoEnvironAnswersInThatStyle() {
        let source = """
            import environ

            env = environ.Env()


            def secret(name, default=None):
                return env.str(name, default=default)


            EMAIL_HOST_PASSWORD = secret("EMAIL_PASSWORD", "hunter22")

            """
        let outcome = snapshots.fix(source)
        #expect(outcome.source.hasSuffix("EMAIL_HOST_PASSWORD = env(\"EMAIL_PASSWORD\")\n"))
        #expect(outcome.env == ["EMAIL_PASSWORD=hunter22"])
    }

    @Test func aHelperReturningTheRawStringMakesDebugAStringUsedAsABool() {
        let source = "import os\n\n\ndef env(name, default=None):\n    return os.environ.get(name, default)\n\n\nDEBUG = env(\"DEBUG\", \"False\")\n"
        #expect(lint(source).map(\.code) == ["DJS006"])
        #expect(snapshots.fix(source).source.hasSuffix("DEBUG = os.environ.get(\"DEBUG\", \"False\").lower() in (\"1\", \"true\", \"yes\", \"on\")\n"))
    }

    /// What a call gives with the variable unset, for the helper bodies public settings use.
    @Test(arguments: [
        ("return os.environ.get(name, str(default)).lower() == \"true\"", "True", true),
        ("return os.environ.get(name, str(default)).lower() == \"true\"", "False", false),
        ("value = os.environ.get(name)\n    if value is None:\n        return default\n    return value == \"1\"", "True", true),
        ("value = os.getenv(name)\n    if not value:\n        return default\n    return value == \"1\"", "False", false),
        ("try:\n        return os.environ[name] == \"1\"\n    except KeyError:\n        return default", "True", true),
        ("return os.environ[name] == \"1\" if name in os.environ else default", "True", true),
        ("return os.environ[name] == \"1\" if name in os.environ else default", "False", false),
        ("if name not in os.environ:\n        raise RuntimeError(name)\n    return os.environ[name] == \"1\"", "True", false),
    ])
    func unsetValueFollowsTheBody(body: String, argument: String, isOn: Bool) {
        let source = "import os\n\n\ndef flag(name, default):\n    \(body)\n\n\nDEBUG = flag(\"DEBUG\", \(argument))\n"
        #expect(lint(source).contains { $0.code == "DJS007" } == isOn, "\(source)")
    }

    @Test func aHelperThatDoesNotReadItsParameterIsNoRead() {
        let source = "import os\n\n\ndef flag(name, default):\n    return default\n\n\nDEBUG = flag(\"DEBUG\", True)\n"
        #expect(lint(source).filter { ["DJS006", "DJS007"].contains($0.code) }.isEmpty)
    }
}
