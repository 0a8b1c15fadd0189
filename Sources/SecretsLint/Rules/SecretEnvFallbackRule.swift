import PythonSyntax

struct SecretEnvFallbackRule: Rule {
    static let description = RuleDescription(
        code: "DJS004",
        name: "secret-env-fallback",
        summary: "An environment read for a secret falls back to a hardcoded string",
        rationale: """
            A fallback such as `os.environ.get("SECRET_KEY", "dev-key")` puts the secret back in the \
            code, and a production server that misses the variable runs silently with the published \
            value instead of failing. Require the variable; keep the development value in `.env`.
            """,
        triggeringExamples: [
            "import os\n↓SECRET_KEY = os.environ.get(\"SECRET_KEY\", \"dev-only-key\")\n",
            "import os\n↓SECRET_KEY = os.getenv(\"DJANGO_SECRET_KEY\", default=\"dev\")\n",
            "import os\n↓SECRET_KEY = os.environ.get(\"SECRET_KEY\") or \"django-insecure-abc\"\n",
            "from os import getenv\n↓EMAIL_HOST_PASSWORD = getenv(\"EMAIL_PASSWORD\", \"hunter22\")\n",
            "import os\n↓os.environ.setdefault(\"DJANGO_SECRET_KEY\", \"dev\")\n",
            "import environ\nenv = environ.Env()\n↓SECRET_KEY = env(\"SECRET_KEY\", default=\"dev\")\n",
            "from decouple import config\n↓SECRET_KEY = config(\"SECRET_KEY\", default=\"dev\")\n",
            "import os\n↓SECRET_KEY = os.getenv(\"SECRET_KEY\") if os.getenv(\"SECRET_KEY\") else \"dev-only-key\"\n",
            "import os\n↓SECRET_KEY = \"dev-only-key\" if \"SECRET_KEY\" not in os.environ else os.environ[\"SECRET_KEY\"]\n",
            "import os\nenv = os.environ\n↓SECRET_KEY = env.get(\"SECRET_KEY\", \"dev-only-key\")\n",
            "from decouple import config as env\n↓SECRET_KEY = env(\"SECRET_KEY\", default=\"dev-only-key\")\n",
            "from decouple import AutoConfig\nconfig = AutoConfig(search_path=\"/srv/app\")\n↓EMAIL_HOST_PASSWORD = config(\"EMAIL_HOST_PASSWORD\", default=\"hunter22\")\n",
            "import os\n↓MAPQUEST_KEY = os.environ.get(\"MAPQUEST_KEY\", \"Fmjtd7u2Xn0Yq3Lp9Zr4Kd8Wb1Hc6Va5\")\n",
            "from configurations import Configuration, values\nclass Prod(Configuration):\n    ↓SECRET_KEY = values.Value(\"dev-only-key\")\n",
            "from configurations import Configuration, values\nclass Prod(Configuration):\n    ↓EMAIL_HOST_PASSWORD = values.Value(\"hunter22\", environ_prefix=\"SHOP\")\n",
            "import os\n↓DB_PASSWORD_PROD = os.environ.get(\"DB_PASSWORD_PROD\", \"prod-only-pw\")\n",
            "import os\nDATABASES = {\n    \"default\": {\n        ↓\"PASSWORD\": os.environ.get(\"DB_PASSWORD\", \"postgres\"),\n    }\n}\n",
            "import environ\n↓env = environ.Env(SECRET_KEY=(str, \"dev-only-key\"))\nSECRET_KEY = env(\"SECRET_KEY\")\n",
            "import environ\n↓env = environ.Env(\n    DEBUG=(bool, False),\n    EMAIL_HOST_PASSWORD=(str, \"hunter22\"),\n)\n",
        ],
        nonTriggeringExamples: [
            "import os\nSECRET_KEY = os.environ[\"SECRET_KEY\"]\n",
            "import os\nSECRET_KEY = os.environ.get(\"SECRET_KEY\", \"\")\n",
            "import os\nSECRET_KEY = os.environ.get(\"DJANGO_SECRET_KEY\", \"{{ secret_key }}\")  # a project template\n",
            "import os\nTIME_ZONE = os.environ.get(\"TIME_ZONE\", \"UTC\")\n",
            "import os\nos.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", \"mysite.settings\")\n",
            "import environ\nenv = environ.Env(DEBUG=(bool, False), SECRET_KEY=(str, \"\"))\n",
            "import os\nAWS_ACCESS_KEY_ID = os.environ.get(\"AWS_ACCESS_KEY_ID\", \"AKIAIOSFODNN7EXAMPLE\")\n",
            "import os\nACCESS_TOKEN_LIFETIME = os.environ.get(\"ACCESS_TOKEN_LIFETIME\", \"5m\")\n",
            "import os\nSECRET_KEY = os.getenv(\"SECRET_KEY\") if os.getenv(\"SECRET_KEY\") else None\n",
            "import os\nSECRET_KEY = os.getenv(\"SECRET_KEY\") if DEBUG else \"dev-only-key\"\n",
            "import os\nMAPQUEST_KEY = os.environ.get(\"MAPQUEST_KEY\", \"not a generated value\")\n",
            "from configurations import Configuration, values\nclass Prod(Configuration):\n    SECRET_KEY = values.SecretValue()\n    TIME_ZONE = values.Value(\"UTC\")\n",
            "import os\nLOGIN_RATE_TOKEN = os.environ.get(\"LOGIN_RATE_TOKEN\", \"5/m/ip\")\n",
        ],
        corrections: [
            (
                before: "SECRET_KEY = os.environ.get(\"SECRET_KEY\", \"dev-only-key\")\n",
                after: "SECRET_KEY = os.environ[\"SECRET_KEY\"]  # .env gets a new key (the fallback was weak)\n"
            ),
            (
                before: "env = environ.Env(EMAIL_HOST_PASSWORD=(str, \"hunter22\"))\n",
                after: "env = environ.Env(EMAIL_HOST_PASSWORD=str)  # .env gets EMAIL_HOST_PASSWORD=hunter22\n"
            ),
        ],
        fix: .sometimes)

    func check(_ context: RuleContext) -> [Finding] {
        let secrets = SecretSettings(settings: context.settings)
        var findings: [Finding] = []
        // DEBUG reads are DJS006/DJS007's, whatever variable they name, also in a chain
        // (`DEBUG = X = env(…)`): a fix here would hand them a string read for the next run to fix again.
        let debugStatements = Set(context.model.assignments.filter { $0.path == ["DEBUG"] }.map(\.statement.startByte))
        // Variables this module reads into SECRET_KEY: their fallbacks are Django's key wherever they are given.
        var keyVariables = Set<String>()
        for assignment in context.model.assignments where assignment.path == ["SECRET_KEY"] {
            let read = context.bindings.environmentRead(assignment.value) ?? context.bindings.literalFallbackRead(assignment.value)?.0
            if let name = read?.variableName { keyVariables.insert(name) }
        }
        let reads = context.model.assignments.compactMap { assignment -> (SettingAssignment, (EnvironmentRead, String, SyntaxNode, SyntaxNode))? in
            guard !debugStatements.contains(assignment.statement.startByte),
                  let read = context.bindings.literalFallbackRead(assignment.value) else { return nil }
            return (assignment, read)
        }
        // `.env` holds one value per variable: one that some read here gives Django's key is Django's key for every
        // read (`env = OLD_SECRET_KEY = os.getenv("SECRET_KEY", "dev-key")`), so their fixes store the same value.
        for (assignment, (read, _, _, _)) in reads {
            guard let variable = read.variableName, !keyVariables.contains(variable),
                  secrets.holdsDjangoKey(setting: assignment.path, variable: variable, keyVariables: keyVariables) else { continue }
            keyVariables.insert(variable)
        }
        for (assignment, (read, fallback, fallbackNode, expression)) in reads {
            let variableIsSecret = read.variableName.map {
                secrets.isSecretVariable($0) || SecretSettings.isGeneratedKey(name: $0, value: fallback)
            } ?? false
            let settingIsSecret = secrets.isSecretSetting(assignment.path)
                || (assignment.path.count == 1 && SecretSettings.isGeneratedKey(name: assignment.name, value: fallback))
            guard settingIsSecret || variableIsSecret else { continue }
            let isKey = secrets.holdsDjangoKey(setting: assignment.path, variable: read.variableName, keyVariables: keyVariables)
            guard isKey || Self.canBeCredential(fallback) else { continue }
            let fix: FixIntent? = read.variableName.map { variable in
                .replaceWithRead(
                    expression: expression.byteRange, setting: assignment.path, variable: variable, form: .required,
                    stored: isKey ? .secretKey(current: fallback, alwaysReplace: false) : .verbatim(fallback),
                    style: read.style)
            }
            findings.append(context.finding(
                Self.description, at: assignment.anchor, statement: assignment.statement,
                message: "\(SecretSettings.display(assignment.path)) falls back to a hardcoded value (\(SecretMask.mask(fallback))) when \(read.variableName ?? "the variable") is unset; require the variable",
                fix: fix,
                secret: SecretInUse(setting: SecretSettings.display(assignment.path), value: fallback, isKey: isKey),
                spelledBy: fallbackNode))
        }
        // django-configurations: `SECRET_KEY = values.Value("…")` reads DJANGO_SECRET_KEY and falls back to the literal.
        for assignment in context.model.assignments
        where assignment.path.count == 1 && assignment.context.inClassBody && !debugStatements.contains(assignment.statement.startByte) {
            guard let value = ConfigurationValue(assignment.value, setting: assignment.name, bindings: context.bindings),
                  ["Value", "StringValue"].contains(value.kind), let fallbackNode = value.defaultNode,
                  case .string(let fallback)? = StaticValue.evaluate(fallbackNode), !fallback.isEmpty else { continue }
            let isKey = assignment.path == ["SECRET_KEY"]
            guard isKey || ((secrets.isCredentialSetting(assignment.path) || SecretSettings.isGeneratedKey(name: assignment.name, value: fallback))
                            && Self.canBeCredential(fallback)) else { continue }
            findings.append(context.finding(
                Self.description, at: assignment.anchor, statement: assignment.statement,
                message: "\(assignment.name) falls back to a hardcoded value (\(SecretMask.mask(fallback))) when \(value.variable ?? "its variable") is unset; make it a SecretValue",
                fix: value.variable.map { variable in
                    .replaceWithRead(
                        expression: value.call.byteRange, setting: assignment.path, variable: variable,
                        form: .literal(value.replacement(kind: "SecretValue")),
                        stored: isKey ? .secretKey(current: fallback, alwaysReplace: false) : .verbatim(fallback),
                        style: ConfigurationValue.fixStyle)
                },
                secret: SecretInUse(setting: assignment.name, value: fallback, isKey: isKey), spelledBy: fallbackNode))
        }
        for statement in context.model.expressions {
            guard let read = context.bindings.environmentRead(statement.expression), read.kind == .setdefault,
                  let variable = read.variableName,
                  let fallback = read.defaultNode.flatMap({ StaticValue.evaluate($0)?.stringValue }), !fallback.isEmpty,
                  secrets.isSecretVariable(variable) || SecretSettings.isGeneratedKey(name: variable, value: fallback)
            else { continue }
            let isKey = secrets.holdsDjangoKey(setting: [], variable: variable, keyVariables: keyVariables)
            guard isKey || Self.canBeCredential(fallback) else { continue }
            findings.append(context.finding(
                Self.description, at: statement.statement, statement: statement.statement,
                message: "os.environ.setdefault gives \(variable) a hardcoded value (\(SecretMask.mask(fallback))); keep it in .env instead",
                fix: .deleteStatement(
                    statement: statement.statement.byteRange, setting: [variable], variable: variable,
                    stored: isKey ? .secretKey(current: fallback, alwaysReplace: false) : .verbatim(fallback)),
                secret: SecretInUse(setting: variable, value: fallback, isKey: isKey), spelledBy: read.defaultNode))
        }
        // django-environ schemes: `environ.Env(SECRET_KEY=(str, "…"))` is a fallback for every read of
        // the variable, reported where the scheme declares it.
        var reported = Set<Int>()
        for (_, scheme) in context.bindings.envInstances.sorted(by: { $0.key < $1.key }) {
            for (variable, entry) in scheme.entries.sorted(by: { $0.key < $1.key }) {
                guard secrets.isSecretVariable(variable), let castName = entry.castName,
                      let fallbackNode = entry.defaultNode,
                      let fallback = StaticValue.evaluate(fallbackNode)?.stringValue, !fallback.isEmpty,
                      let declared = entry.declaration.child(field: .value),
                      reported.insert(entry.declaration.startByte).inserted
                else { continue }
                let isKey = secrets.holdsDjangoKey(setting: [], variable: variable, keyVariables: keyVariables)
                guard isKey || Self.canBeCredential(fallback) else { continue }
                let statement = entry.declaration.enclosingStatement
                findings.append(context.finding(
                    Self.description, at: statement, statement: statement,
                    message: "the django-environ scheme gives \(variable) a hardcoded default (\(SecretMask.mask(fallback))); require the variable",
                    fix: .replaceWithRead(
                        expression: declared.byteRange, setting: [variable], variable: variable, form: .literal(castName),
                        stored: isKey ? .secretKey(current: fallback, alwaysReplace: false) : .verbatim(fallback)),
                    secret: SecretInUse(setting: variable, value: fallback, isKey: isKey),
                    spelledBy: fallbackNode))
            }
        }
        return findings.filter { !TemplatePlaceholder.appears(in: $0.secret?.value ?? "") }
    }

    /// A module path, a rate-limit spec or a URL without a password is no credential; a URL with one is DJS013's.
    static func canBeCredential(_ value: String) -> Bool {
        !SecretSettings.looksLikeReference(value) && CredentialURL(value) == nil
    }
}
