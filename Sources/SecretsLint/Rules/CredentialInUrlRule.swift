#if canImport(Glibc)
import Glibc
#endif
import PythonSyntax

struct CredentialInUrlRule: Rule {
    static let description = RuleDescription(
        code: "DJS013",
        name: "credential-in-url",
        summary: "A database, cache or broker URL in the settings carries a password",
        rationale: """
            The password in `postgres://app:pw@db/app` is a password like any other: written in the settings, or as \
            the default of an environment read, it travels with every clone of the code, and a server \
            that misses the variable connects silently with the published one. The fix moves the whole \
            URL verbatim to `.env` under the variable the reader uses (`DATABASE_URL` for \
            dj-database-url and `env.db()`) and makes the read required, so a missing variable fails \
            at import. `dj_database_url.config(default=…)` becomes `dj_database_url.parse(<required \
            read>, …)`: `config()` without a default silently gives an empty database. Placeholders \
            filled in elsewhere (`${DB_PASSWORD}`, `%(password)s`, `{password}`) are not passwords.
            """,
        triggeringExamples: [
            "↓DATABASE_URL = \"postgres://app:s3cret@db:5432/app\"\n",
            "CACHES = {\n    \"default\": {\n        \"BACKEND\": \"django.core.cache.backends.redis.RedisCache\",\n        ↓\"LOCATION\": \"redis://:s3cret@cache:6379/0\",\n    }\n}\n",
            "import os\n↓CELERY_BROKER_URL = os.environ.get(\"CELERY_BROKER_URL\", \"amqp://app:s3cret@rabbit//\")\n",
            "import dj_database_url\nDATABASES = {\n    ↓\"default\": dj_database_url.config(default=\"postgres://app:s3cret@db/app\", conn_max_age=600),\n}\n",
            "import dj_database_url\n↓DATABASES = {\"default\": dj_database_url.parse(\"postgres://app:s3cret@db/app\")}\n",
            "import environ\nenv = environ.Env()\n↓DATABASES = {\"default\": env.db(\"DATABASE_URL\", default=\"postgres://app:s3cret@db/app\")}\n",
            "import environ\nenv = environ.Env()\nCACHES = {↓\"default\": env.cache(default=\"redis://:s3cret@cache:6379/1\")}\n",
            "from decouple import config\n↓EMAIL_URL = config(\"EMAIL_URL\", default=\"smtp://mail:s3cret@smtp.example.com:587\")\n",
            "from configurations import Configuration, values\nclass Prod(Configuration):\n    ↓DATABASES = values.DatabaseURLValue(\"postgres://app:s3cret@db/app\")\n",
        ],
        nonTriggeringExamples: [
            "DATABASE_URL = \"postgres://app@db:5432/app\"\n",
            "BROKER_URL = \"amqp://guest:${RABBIT_PASSWORD}@rabbit//\"\n",
            "DATABASE_URL = \"postgres://app:%(password)s@db/app\"\n",
            "import os\nDATABASE_URL = \"postgres://app:{password}@db/app\".format(password=os.environ[\"DB_PASSWORD\"])\n",
            "import dj_database_url\nDATABASES = {\"default\": dj_database_url.config(default=\"sqlite:///db.sqlite3\")}\n",
            "import dj_database_url\nDATABASES = {\"default\": dj_database_url.parse(os.environ[\"DATABASE_URL\"])}\n",
            "SITE_URL = \"https://user@example.com/path?next=a:b@c\"\n",
            "REDIS_URL = \"redis://:@cache:6379/0\"\n",
        ],
        corrections: [
            (
                before: "import dj_database_url\nDATABASES = {\"default\": dj_database_url.config(default=\"postgres://app:s3cret@db/app\", conn_max_age=600)}\n",
                after: "import dj_database_url\nDATABASES = {\"default\": dj_database_url.parse(os.environ[\"DATABASE_URL\"], conn_max_age=600)}  # .env: DATABASE_URL, the URL moved\n"
            ),
            (
                before: "CELERY_BROKER_URL = \"amqp://app:s3cret@rabbit//\"\n",
                after: "CELERY_BROKER_URL = os.environ[\"DJANGO_CELERY_BROKER_URL\"]  # .env: the URL, moved\n"
            ),
            (
                before: "DATABASES = {\"default\": env.db(\"DATABASE_URL\", default=\"postgres://app:s3cret@db/app\")}\n",
                after: "DATABASES = {\"default\": env.db(\"DATABASE_URL\")}  # .env: DATABASE_URL, the URL moved\n"
            ),
        ],
        fix: .sometimes)

    /// django-environ's URL readers, and the variable each reads when the call names none.
    static let environURLReaders: [String: String] = [
        "db": "DATABASE_URL", "db_url": "DATABASE_URL", "cache": "CACHE_URL", "cache_url": "CACHE_URL",
        "email": "EMAIL_URL", "email_url": "EMAIL_URL", "search_url": "SEARCH_URL",
    ]
    /// django-configurations' URL values, and the variable each reads.
    static let configurationURLValues: [String: String] = [
        "DatabaseURLValue": "DATABASE_URL", "CacheURLValue": "CACHE_URL", "EmailURLValue": "EMAIL_URL",
        "SearchURLValue": "SEARCH_URL",
    ]
    static let databaseURLVariable = "DATABASE_URL"

    /// A URL with a password found in the settings, and how to take it out.
    private struct Hit {
        let url: String
        let literal: SyntaxNode
        let fix: FixIntent?
    }

    func check(_ context: RuleContext) -> [Finding] {
        var findings: [Finding] = []
        var reported = Set<Int>()
        // DEBUG reads are the DEBUG rules'; SECRET_KEY and its fallbacks have their own rules.
        let otherRules = Set(context.model.assignments.filter {
            $0.path == ["DEBUG"] || $0.path == ["SECRET_KEY"] || $0.path.first == "SECRET_KEY_FALLBACKS"
        }.map(\.statement.startByte))
        // The innermost entry first, so that a finding lands on the entry that holds the URL.
        let all = context.model.assignments
        let order = all.indices.sorted { all[$0].path.count != all[$1].path.count ? all[$0].path.count > all[$1].path.count : $0 < $1 }
        for assignment in order.lazy.map({ all[$0] }) where !otherRules.contains(assignment.statement.startByte) {
            lazy var display = SecretSettings.display(assignment.path)
            if Self.mayHoldColon(assignment.value, in: context.source), case .string(let value)? = StaticValue.evaluate(assignment.value),
               let url = Self.urlWithPassword(value), reported.insert(assignment.value.startByte).inserted {
                findings.append(finding(
                    context, Hit(
                        url: value, literal: assignment.value,
                        fix: .replaceWithRead(
                            expression: assignment.value.byteRange, setting: assignment.path, variable: nil, form: .required,
                            stored: .verbatim(value))),
                    masked: url.masked, setting: display, anchor: assignment.anchor, statement: assignment.statement))
                continue
            }
            for hit in hits(in: assignment.value, setting: assignment.path, context: context)
            where reported.insert(hit.literal.startByte).inserted {
                findings.append(finding(
                    context, hit, masked: CredentialURL(hit.url)?.masked ?? "", setting: display,
                    anchor: assignment.anchor, statement: assignment.statement))
            }
        }
        for statement in context.model.expressions {
            if let read = context.bindings.environmentRead(statement.expression), read.kind == .setdefault,
               let variable = read.variableName, let defaultNode = read.defaultNode,
               case .string(let value)? = StaticValue.evaluate(defaultNode), let url = Self.urlWithPassword(value) {
                reported.insert(defaultNode.startByte)
                findings.append(finding(
                    context, Hit(
                        url: value, literal: defaultNode,
                        fix: .deleteStatement(
                            statement: statement.statement.byteRange, setting: [variable], variable: variable,
                            stored: .verbatim(value))),
                    masked: url.masked, setting: variable, anchor: statement.statement, statement: statement.statement))
                continue
            }
            for hit in hits(in: statement.expression, setting: [], context: context)
            where reported.insert(hit.literal.startByte).inserted {
                findings.append(finding(
                    context, Hit(url: hit.url, literal: hit.literal, fix: nil),
                    masked: CredentialURL(hit.url)?.masked ?? "", setting: "the statement",
                    anchor: statement.statement, statement: statement.statement))
            }
        }
        return findings
    }

    private func finding(
        _ context: RuleContext, _ hit: Hit, masked: String, setting: String, anchor: SyntaxNode, statement: SyntaxNode
    ) -> Finding {
        context.finding(
            Self.description, at: anchor, statement: statement,
            message: "\(setting) holds a URL with a password (\(masked)); read the URL from the environment",
            fix: hit.fix, secret: SecretInUse(setting: setting, value: hit.url, isKey: false), spelledBy: hit.literal)
    }

    private static func mentionsURL(_ node: SyntaxNode, in source: SourceText) -> Bool {
        source.bytes.withUnsafeBufferPointer { bytes in
            let range = node.byteRange.clamped(to: 0..<bytes.count)
            return ByteSearch.contains(UnsafeBufferPointer(rebasing: bytes[range]), "://")
        }
    }

    /// False for a string literal whose text holds neither `:` nor a backslash: its value has no `:`, so no URL.
    private static func mayHoldColon(_ node: SyntaxNode, in source: SourceText) -> Bool {
        guard node.kind == .string else { return true }
        return source.bytes.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress, node.endByte <= bytes.count else { return true }
            let count = node.endByte - node.startByte
            return memchr(base + node.startByte, Int32(UInt8(ascii: ":")), count) != nil
                || memchr(base + node.startByte, Int32(UInt8(ascii: "\\")), count) != nil
        }
    }

    static func urlWithPassword(_ value: String) -> CredentialURL? {
        guard let url = CredentialURL(value), url.hasRealPassword else { return nil }
        return url
    }

    /// Reads and URL helpers inside `expression` whose literal URL carries a password.
    private func hits(in expression: SyntaxNode, setting: [String], context: RuleContext) -> [Hit] {
        // A URL with a password spells `://` inside the expression that holds it (the prefilter's own
        // condition): one vectorised search spares walking every other value on each keystroke and save.
        guard Self.mentionsURL(expression, in: context.source) else { return [] }
        let bindings = context.bindings
        var hits: [Hit] = []
        expression.walk { node in
            if let (read, fallback, fallbackNode, whole) = bindings.literalFallbackRead(node), Self.urlWithPassword(fallback) != nil {
                hits.append(Hit(url: fallback, literal: fallbackNode, fix: readFix(read, whole: whole, fallbackNode: fallbackNode, url: fallback, setting: setting)))
                return false
            }
            if node.kind == .call, let hit = helperHit(node, bindings: bindings, setting: setting) {
                hits.append(hit)
                return false
            }
            return true
        }
        return hits
    }

    /// An environment read with the URL as its fallback: the read becomes required. django-environ's URL
    /// readers (`env.db(…, default=URL)`) keep their method and lose the default.
    private func readFix(_ read: EnvironmentRead, whole: SyntaxNode, fallbackNode: SyntaxNode, url: String, setting: [String]) -> FixIntent? {
        if case .environCall(let method?) = read.kind, let defaultVariable = Self.environURLReaders[method] {
            guard whole.kind == .call, let text = Self.call(whole, without: fallbackNode) else { return nil }
            return .replaceWithRead(
                expression: whole.byteRange, setting: setting, variable: read.variableName ?? defaultVariable,
                form: .literal(text), stored: .verbatim(url), style: read.style)
        }
        guard let variable = read.variableName else { return nil }
        return .replaceWithRead(
            expression: whole.byteRange, setting: setting, variable: variable, form: .required, stored: .verbatim(url),
            style: read.style)
    }

    /// `dj_database_url.config(default=URL)` / `dj_database_url.parse(URL)` / `values.DatabaseURLValue(URL)`.
    private func helperHit(_ call: SyntaxNode, bindings: ModuleBindings, setting: [String]) -> Hit? {
        guard let function = call.child(field: .function) else { return nil }
        let arguments = CallArguments(call)
        switch Self.databaseURLFunction(function, bindings: bindings) {
        case "config"?:
            guard let urlNode = arguments.keyword("default") ?? arguments.positional(1),
                  case .string(let url)? = StaticValue.evaluate(urlNode), Self.urlWithPassword(url) != nil else { return nil }
            let variableNode = arguments.keyword("env") ?? arguments.positional(0)
            let variable = variableNode.map { StaticValue.evaluate($0)?.stringValue } ?? Self.databaseURLVariable
            guard let variable else { return Hit(url: url, literal: urlNode, fix: nil) }
            // `config()` without a default gives `{}` when the variable is missing: `parse` of a required read fails instead.
            if function.kind == .attribute, let name = function.child(field: .attribute),
               let list = call.child(field: .arguments) {
                let dropped = [urlNode.byteRange] + (variableNode.map { [$0.byteRange] } ?? [])
                let kept = Self.arguments(of: list, dropping: dropped)
                return Hit(url: url, literal: urlNode, fix: .replaceWithRead(
                    expression: name.startByte..<call.endByte, setting: setting, variable: variable,
                    form: .requiredInside(before: "parse(", after: kept.map { ", " + $0 }.joined() + ")"),
                    stored: .verbatim(url)))
            }
            return Hit(url: url, literal: urlNode, fix: .replaceWithRead(
                expression: urlNode.byteRange, setting: setting, variable: variable, form: .required, stored: .verbatim(url)))
        case "parse"?:
            guard let urlNode = arguments.positional(0) ?? arguments.keyword("url"),
                  case .string(let url)? = StaticValue.evaluate(urlNode), Self.urlWithPassword(url) != nil else { return nil }
            // The project's one database reads DATABASE_URL; another database of the dict gets its own variable.
            let isDefaultDatabase = setting.count < 2 || setting == ["DATABASES", "default"]
            return Hit(url: url, literal: urlNode, fix: .replaceWithRead(
                expression: urlNode.byteRange, setting: setting, variable: isDefaultDatabase ? Self.databaseURLVariable : nil,
                form: .required, stored: .verbatim(url)))
        default:
            break
        }
        guard function.kind == .attribute, let module = function.child(field: .object),
              bindings.configurationValuesModules.contains(module.text),
              let valueClass = function.child(field: .attribute)?.text,
              let defaultVariable = Self.configurationURLValues[valueClass],
              let urlNode = arguments.positional(0) ?? arguments.keyword("value"),
              case .string(let url)? = StaticValue.evaluate(urlNode), Self.urlWithPassword(url) != nil else { return nil }
        // django-configurations reads the variable itself; `environ_required=True` makes it fail when missing.
        let variable = arguments.keyword("environ_name").map { StaticValue.evaluate($0)?.stringValue } ?? defaultVariable
        guard let variable, arguments.keyword("environ_prefix") == nil, arguments.positionals.count <= 1,
              arguments.keyword("environ") == nil, arguments.keyword("environ_required") == nil else {
            return Hit(url: url, literal: urlNode, fix: nil)
        }
        let range = urlNode.parent?.kind == .keywordArgument ? urlNode.parent!.byteRange : urlNode.byteRange
        return Hit(url: url, literal: urlNode, fix: .replaceWithRead(
            expression: range, setting: setting, variable: variable, form: .literal("environ_required=True"),
            stored: .verbatim(url), style: ConfigurationValue.fixStyle))
    }

    /// `config` or `parse` when `function` is dj-database-url's.
    private static func databaseURLFunction(_ function: SyntaxNode, bindings: ModuleBindings) -> String? {
        switch function.kind {
        case .identifier:
            return bindings.databaseURLFunctions[function.text]
        case .attribute:
            guard let module = function.child(field: .object), module.kind == .identifier,
                  bindings.databaseURLModules.contains(module.text),
                  let name = function.child(field: .attribute)?.text, name == "config" || name == "parse" else { return nil }
            return name
        default:
            return nil
        }
    }

    /// The call's text without the argument that holds `value`: `env.db("N", default=URL)` → `env.db("N")`.
    static func call(_ call: SyntaxNode, without value: SyntaxNode) -> String? {
        guard let function = call.child(field: .function), let list = call.child(field: .arguments) else { return nil }
        return function.text + "(" + arguments(of: list, dropping: [value.byteRange]).joined(separator: ", ") + ")"
    }

    /// The argument texts of `list` but those that are, or whose keyword value is, one of `dropped`.
    static func arguments(of list: SyntaxNode, dropping dropped: [Range<Int>]) -> [String] {
        list.namedChildren.filter { argument in
            argument.kind != .comment && !dropped.contains(argument.byteRange)
                && !(argument.child(field: .value).map { dropped.contains($0.byteRange) } ?? false)
        }.map(\.text)
    }
}
