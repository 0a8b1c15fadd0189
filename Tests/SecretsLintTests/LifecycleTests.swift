import Testing
@testable import SecretsLint

/// The pieces `rotate`, the DJS010/DJS014 fix, `env` and the example file are made of.
struct LifecycleTests {
    @Test func rotateRewritesADefinitionInPlaceKeepingEveryOtherByte() {
        let file = EnvFile(bytes: Array("# keep\r\nexport DJANGO_SECRET_KEY=old\r\nOTHER='x y'\r\n".utf8))
        let bytes = file.assigning([("DJANGO_SECRET_KEY", "new"), ("DJANGO_SECRET_KEY_FALLBACKS", "old")])
        #expect(String(decoding: bytes, as: UTF8.self)
            == "# keep\r\nexport DJANGO_SECRET_KEY=new\r\nOTHER='x y'\r\nDJANGO_SECRET_KEY_FALLBACKS=old\r\n")
        let emptied = EnvFile(bytes: bytes).assigning([("DJANGO_SECRET_KEY_FALLBACKS", "")])
        #expect(EnvFile(bytes: emptied).values["DJANGO_SECRET_KEY_FALLBACKS"] == "")
    }

    @Test(arguments: [
        ("Django==4.0\n", "4.0"), ("django>=4.2,<5.0\n", "4.2"), ("[tool.poetry.dependencies]\ndjango = \"^5.1\"\n", "5.1"),
        ("Django~=4.1.3\n", "4.1"), ("django-environ==0.11\nDjango[argon2]==5.2.1\n", "5.2"), ("dependencies = [\"Django>=4.2\"]\n", "4.2"),
    ])
    func declaredDjangoVersions(text: String, expected: String) {
        let version = DjangoVersion.requirement(in: text)
        #expect(version.map { "\($0.major).\($0.minor)" } == expected)
    }

    @Test func noDjangoRequirementIsFoundInOtherPackagesOrUpperBounds() {
        #expect(DjangoVersion.requirement(in: "django-environ==0.11\ndjangorestframework==3.15\n") == nil)
        #expect(DjangoVersion.requirement(in: "django<5\n") == nil)
    }

    @Test func eachReaderRefusesWhatItWouldNotReadBack() {
        let key = "Kq#7!x@Z%9^m&W*2(p)L-8_r=V+3aB4cD5eF6gH7iJ8kL9mN0oP1qR2sT3uV4w"
        #expect(FallbackReader.split(.os(module: "os")).unreadableReason(key) == nil)
        #expect(FallbackReader.environList(instance: "env").unreadableReason(key) == nil)
        #expect(FallbackReader.listValue(module: "values").unreadableReason(key) == nil)
        #expect(FallbackReader.decoupleCsv(config: "config").unreadableReason(key)?.contains("Csv") == true)
        for reader in [FallbackReader.split(.os(module: "os")), .environList(instance: "env"), .decoupleCsv(config: "config")] {
            #expect(reader.unreadableReason("a,b") != nil)
            #expect(reader.unreadableReason("$abc") != nil)
            #expect(reader.unreadableReason("a b") != nil)
        }
    }

    @Test func theListReadInEachStyle() {
        #expect(FallbackReader.split(.os(module: "os")).expression("K_FALLBACKS")
            == "[k for k in os.environ.get(\"K_FALLBACKS\", \"\").split(\",\") if k]")
        #expect(FallbackReader.environList(instance: "env").expression("K") == "env.list(\"K\", default=[])")
        #expect(FallbackReader.decoupleCsv(config: "config").expression("K") == "config(\"K\", default=\"\", cast=Csv())")
        #expect(FallbackReader.listValue(module: "values").expression("DJANGO_SECRET_KEY_FALLBACKS")
            == "values.ListValue([], environ_name=\"SECRET_KEY_FALLBACKS\")")
        #expect(FallbackReader.listValue(module: "values").expression("OLD_KEYS")
            == "values.ListValue([], environ_name=\"OLD_KEYS\", environ_prefix=None)")
    }

    @Test func theFallbacksFixFollowsTheKeyVariableAndTheStyle() throws {
        let source = "import environ\nenv = environ.Env()\nSECRET_KEY = env(\"APP_KEY\")\nSECRET_KEY_FALLBACKS = [\"k2Zx7Qp9LmN4vB8cR1tY6wE3uI0oP5aS7dF2gH9jK4lZ8xC1vB6nM3qW0eR5tY2u\"]\n"
        let finding = try #require(lint(source).first { $0.code == "DJS010" })
        guard case .replaceWithRead(_, _, let variable?, .literal(let text), .fallbackKeys(let keys, _), _)? = finding.fix else {
            Issue.record("no fallbacks fix")
            return
        }
        #expect(variable == "APP_KEY_FALLBACKS")
        #expect(text == "env.list(\"APP_KEY_FALLBACKS\", default=[])")
        #expect(keys.count == 1)
    }

    @Test func theExampleFileGainsNamesOnlyOnce() {
        let entries = [
            EnvExample.Entry(name: "DJANGO_SECRET_KEY", setting: "SECRET_KEY", kind: .secret(hint: "make one")),
            EnvExample.Entry(name: "DJANGO_DEBUG", setting: "DEBUG", kind: .debugOff),
            EnvExample.Entry(name: "KEPT", setting: "KEPT", kind: .secret(hint: "x")),
        ]
        let merged = EnvExample.merged(Array("# KEPT=\nA=1".utf8), adding: entries)
        let text = String(decoding: merged, as: UTF8.self)
        #expect(text == "# KEPT=\nA=1\n# SECRET_KEY, secret: make one\nDJANGO_SECRET_KEY=\n# DEBUG: True only for local development\nDJANGO_DEBUG=False\n")
        #expect(EnvExample.merged(merged, adding: entries) == merged)
    }

    @Test func theContractNamesEachReadWithItsTypeAndNeed() {
        let source = """
            import os
            import environ
            env = environ.Env(DEBUG=(bool, False))
            SECRET_KEY = env("SECRET_KEY")
            DEBUG = env("DEBUG")
            DATABASES = {"default": env.db()}
            EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 587))
            ALLOWED_HOSTS = os.environ.get("ALLOWED_HOSTS", "localhost").split(",")
            EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="hunter22")
            if os.environ.get("SENTRY_DSN"):
                SENTRY = True

            """
        // As `ProjectSettings.load` analyses modules: whole (the contract lists every read, not only those a rule reads).
        var linter = Linter(settings: LintSettings())
        linter.usesStatementSelection = false
        let analysis = try! linter.analyze(path: "mysite/settings.py", source: SourceText(source), parser: PythonParser())
        let module = ProjectSettings.Module(path: "mysite/settings.py", analysis: analysis)
        let project = ProjectSettings(root: "/p", modules: [module], entryModule: nil)
        let contract = EnvContract(project: project, settings: LintSettings())
        let summary = contract.variables.map { variable in
            "\(variable.name) \(variable.uses[0].type) \(variable.required ? "required" : variable.uses[0].defaultText ?? "hidden") \(variable.secret) \(variable.uses[0].setting ?? "-")"
        }
        #expect(summary == [
            "SECRET_KEY str required true SECRET_KEY",
            "DEBUG bool False false DEBUG",
            "DATABASE_URL database URL required false DATABASES[\"default\"]",
            "EMAIL_PORT int 587 false EMAIL_PORT",
            "ALLOWED_HOSTS list \"localhost\" false ALLOWED_HOSTS",
            "EMAIL_HOST_PASSWORD str hidden true EMAIL_HOST_PASSWORD",
            "SENTRY_DSN str None false -",
        ])
        #expect(contract.problems(environment: ["SECRET_KEY": String(repeating: "aB3dE5", count: 10), "DATABASE_URL": "sqlite://"]).isEmpty)
        let problems = contract.problems(environment: ["SECRET_KEY": "short", "DEBUG": "yes"])
        #expect(problems.count == 3)
        #expect(problems.contains { $0.hasPrefix("DATABASE_URL is required") })
        #expect(problems.contains { $0.contains("weak") } && problems.contains { $0.hasPrefix("DEBUG would be on") })
        #expect(!problems.joined().contains("short"))
    }
}
