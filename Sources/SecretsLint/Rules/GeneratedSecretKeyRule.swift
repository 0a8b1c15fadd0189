import PythonSyntax

struct GeneratedSecretKeyRule: Rule {
    static let description = RuleDescription(
        code: "DJS009",
        name: "secret-key-generated-at-import",
        summary: "SECRET_KEY is generated when the settings are imported",
        rationale: """
            A key generated at import differs on every restart and in every worker process: sessions \
            end at each deploy, and a password-reset link made by one worker fails on another. Store \
            one key in the environment instead.
            """,
        triggeringExamples: [
            "from django.core.management.utils import get_random_secret_key\n↓SECRET_KEY = get_random_secret_key()\n",
            "import secrets\n↓SECRET_KEY = secrets.token_urlsafe(50)\n",
            "import random, string\n↓SECRET_KEY = \"\".join(random.SystemRandom().choice(string.ascii_letters) for _ in range(50))\n",
            "import os\nfrom django.core.management.utils import get_random_secret_key\n↓SECRET_KEY = os.environ.get(\"SECRET_KEY\", get_random_secret_key())\n",
            "import os, secrets\n↓SECRET_KEY = os.getenv(\"SECRET_KEY\") or secrets.token_hex(32)\n",
            "from decouple import config\nfrom django.core.management.utils import get_random_secret_key\n↓SECRET_KEY = config(\"SECRET_KEY\", default=get_random_secret_key())\n",
            "import environ\nfrom django.core.management.utils import get_random_secret_key\n↓env = environ.Env(SECRET_KEY=(str, get_random_secret_key()))\nSECRET_KEY = env(\"SECRET_KEY\")\n",
        ],
        nonTriggeringExamples: [
            "import os\nSECRET_KEY = os.environ[\"SECRET_KEY\"]\n",
            "from django.core.management.utils import get_random_secret_key\nDEBUG = False\nif DEBUG:\n    SECRET_KEY = get_random_secret_key()\n",
            "def make_key():\n    import secrets\n    return secrets.token_urlsafe(50)\n",
        ],
        corrections: [(
            before: "SECRET_KEY = get_random_secret_key()\n",
            after: "SECRET_KEY = os.environ[\"DJANGO_SECRET_KEY\"]  # .env gets one new key\n"
        )],
        fix: .sometimes)

    static let generatorNames: Set<String> = [
        "get_random_secret_key", "get_random_string", "token_urlsafe", "token_hex", "token_bytes", "urandom",
        "uuid4", "uuid1", "choice", "choices", "sample", "randint", "getrandbits", "randbytes", "SystemRandom",
    ]

    func check(_ context: RuleContext) -> [Finding] {
        assignmentFindings(context) + schemeFindings(context)
    }

    /// `environ.Env(SECRET_KEY=(str, get_random_secret_key()))`: the default of every read of the variable,
    /// reported once, where the scheme declares it.
    private func schemeFindings(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        var reported = Set<Int>()
        for (_, scheme) in context.bindings.envInstances.sorted(by: { $0.key < $1.key }) {
            for (variable, entry) in scheme.entries.sorted(by: { $0.key < $1.key }) {
                guard SecretSettings.isKeyName(variable), let castName = entry.castName, let fallback = entry.defaultNode,
                      generatesKey(fallback, bindings: context.bindings), let declared = entry.declaration.child(field: .value),
                      reported.insert(entry.declaration.startByte).inserted else { continue }
                let statement = entry.declaration.enclosingStatement
                findings.append(context.finding(
                    Self.description, at: statement, statement: statement,
                    message: "the django-environ scheme generates a default for \(variable) at import: every restart and worker gets another key; store one in the environment",
                    fix: .replaceWithRead(
                        expression: declared.byteRange, setting: [variable], variable: variable, form: .literal(castName),
                        stored: .secretKey(current: nil, alwaysReplace: true))))
            }
        }
        return findings
    }

    private func assignmentFindings(_ context: RuleContext) -> [Finding] {
        context.model.assignments.compactMap { assignment in
            guard assignment.path == ["SECRET_KEY"], !assignment.context.debugGuarded,
                  generatesKey(assignment.value, bindings: context.bindings) else { return nil }
            var variable: String?
            var style: EnvStyle?
            var expression = assignment.value
            if let read = envReadAround(assignment.value, bindings: context.bindings) {
                variable = read.variableName
                style = read.style
                if read.variableName == nil { return finding(context, assignment, fix: nil) }
            }
            expression = assignment.value
            return finding(context, assignment, fix: .replaceWithRead(
                expression: expression.byteRange, setting: assignment.path, variable: variable, form: .required,
                stored: .secretKey(current: nil, alwaysReplace: true), style: style))
        }
    }

    private func finding(_ context: RuleContext, _ assignment: SettingAssignment, fix: FixIntent?) -> Finding {
        context.finding(
            Self.description, at: assignment.anchor, statement: assignment.statement,
            message: "SECRET_KEY is generated at import: every restart and worker gets another key; store one in the environment",
            fix: fix)
    }

    private func envReadAround(_ value: SyntaxNode, bindings: ModuleBindings) -> EnvironmentRead? {
        if let read = bindings.environmentRead(value) { return read }
        if value.kind == .booleanOperator, let left = value.child(field: .left) { return bindings.environmentRead(left) }
        if value.kind == .parenthesizedExpression, let inner = value.namedChild(0) { return envReadAround(inner, bindings: bindings) }
        if value.kind == .conditionalExpression {
            return value.namedChildren.filter { $0.kind != .comment && $0.kind != .string }.lazy.compactMap(bindings.environmentRead).first
        }
        return nil
    }

    /// A call to a random source anywhere in the value, the env read's default or the `or` fallback included.
    private func generatesKey(_ value: SyntaxNode, bindings: ModuleBindings) -> Bool {
        var found = false
        value.walk { node in
            guard !found else { return false }
            if node.kind == .lambda { return false }
            guard node.kind == .call, let function = node.child(field: .function) else { return true }
            let name = function.kind == .attribute ? function.child(field: .attribute)?.text ?? "" : function.text
            guard Self.generatorNames.contains(name) else { return true }
            if function.kind == .attribute {
                let object = function.child(field: .object)
                let root = object?.text.split(separator: ".").first.map(String.init) ?? ""
                let isRandomSource = bindings.randomModules.contains(root) || bindings.secretsModules.contains(root)
                    || ["random", "secrets", "os", "uuid", "utils", "crypto"].contains(root)
                    || object?.kind == .call
                found = isRandomSource || name == "get_random_secret_key" || name == "get_random_string"
            } else {
                found = bindings.randomKeyFunctions.contains(name) || bindings.secretsFunctions.contains(name)
                    || bindings.randomFunctions.contains(name) || name == "get_random_secret_key"
                    || name == "get_random_string"
            }
            return !found
        }
        return found
    }
}
