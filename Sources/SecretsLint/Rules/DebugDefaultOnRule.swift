import PythonSyntax

struct DebugDefaultOnRule: Rule {
    static let description = RuleDescription(
        code: "DJS007",
        name: "debug-default-on",
        summary: "DEBUG is read from the environment with a default that means on",
        rationale: """
            With a default of `True`, a production server whose environment lacks the variable runs \
            with DEBUG on and shows settings and tracebacks to anyone (security.W018). The default must \
            fail closed: off unless development asks for it. A helper of the same file \
            (`get_bool_from_env("DEBUG", True)`) is followed into its body to see what it gives unset, \
            and so are conversions of the string: `ast.literal_eval`, `json.loads`, `strtobool`, `int`, \
            a function of the same file (`str2bool`), a comparison with true words. One that raises \
            when the variable is unset fails closed and is not reported.
            """,
        triggeringExamples: [
            "import os\n↓DEBUG = os.environ.get(\"DEBUG\", True)\n",
            "import os\n↓DEBUG = os.getenv(\"DEBUG\", \"1\") == \"1\"\n",
            "import os\n↓DEBUG = os.environ.get(\"DJANGO_DEBUG\", \"True\").lower() == \"true\"\n",
            "import ast, os\n↓DEBUG = ast.literal_eval(os.getenv(\"DEBUG\", \"True\"))\n",
            "import environ\nenv = environ.Env()\n↓DEBUG = env.bool(\"DEBUG\", default=True)\n",
            "from decouple import config\n↓DEBUG = config(\"DEBUG\", default=True, cast=bool)\n",
            "import environ\n↓env = environ.Env(DEBUG=(bool, True))\nDEBUG = env(\"DEBUG\")\n",
            "import os\ndef get_bool_from_env(name, default):\n    return os.environ.get(name, str(default)).lower() == \"true\"\n↓DEBUG = get_bool_from_env(\"DEBUG\", True)\n",
            "from configurations import Configuration, values\nclass Base(Configuration):\n    ↓DEBUG = values.BooleanValue(True)\n",
            "from configurations import Configuration, values\nclass Dev(Configuration):\n    ↓DEBUG = values.BooleanValue(True)\nclass Prod(Dev):\n    pass\n",
        ],
        nonTriggeringExamples: [
            "import os\nDEBUG = os.environ.get(\"DEBUG\", \"False\").lower() == \"true\"\n",
            "import ast, os\nDEBUG = ast.literal_eval(os.getenv(\"DEBUG\", \"False\"))\n",
            "import json, os\nDEBUG = json.loads(os.environ[\"DEBUG\"])\n",
            "import environ\nenv = environ.Env(DEBUG=(bool, False))\nDEBUG = env(\"DEBUG\")\n",
            "from decouple import config\nDEBUG = config(\"DEBUG\", default=False, cast=bool)\n",
            "import os\ndef get_bool_from_env(name, default):\n    return os.environ.get(name, str(default)).lower() == \"true\"\nDEBUG = get_bool_from_env(\"DEBUG\", False)\n",
            "from configurations import Configuration, values\nclass Base(Configuration):\n    DEBUG = values.BooleanValue(False)\n",
            "from configurations import Configuration, values\nclass Dev(Configuration):\n    DEBUG = values.BooleanValue(True)\n",
            "from configurations import Configuration, values\nclass LocalSettings(Configuration):\n    DEBUG = True\n",
        ],
        corrections: [(
            before: "DEBUG = os.environ.get(\"DEBUG\", True)\n",
            after: "DEBUG = os.environ.get(\"DEBUG\", \"False\").lower() in (\"1\", \"true\", \"yes\", \"on\")  # .env: DEBUG=True\n"
        ), (
            before: "class Base(Configuration):\n    DEBUG = values.BooleanValue(True)\n",
            after: "class Base(Configuration):\n    DEBUG = values.BooleanValue(False)  # .env: DJANGO_DEBUG=True\n"
        )],
        fix: .sometimes,
        severity: .warning,
        isDebugRule: true)

    func check(_ context: RuleContext) -> [Finding] {
        var findings = DebugReadAnalysis.all(in: context).filter { $0.verdict == .defaultOn }.map { analysis in
            context.finding(
                Self.description, at: analysis.assignment.anchor, statement: analysis.assignment.statement,
                message: "DEBUG defaults to on when \(analysis.read.variableName ?? "the variable") is unset; default to off",
                fix: analysis.fix())
        }
        guard !context.isDevelopmentSettings else { return [] }
        // django-configurations: `DEBUG = values.BooleanValue(True)` reads DJANGO_DEBUG and is on without it.
        for assignment in context.model.assignments where assignment.path == ["DEBUG"] && assignment.context.inClassBody {
            guard let value = ConfigurationValue(assignment.value, setting: "DEBUG", bindings: context.bindings),
                  value.kind == "BooleanValue", let fallback = value.defaultNode,
                  let meaning = StaticValue.evaluate(fallback), DebugReadAnalysis.meansOn(meaning) else { continue }
            findings.append(context.finding(
                Self.description, at: assignment.anchor, statement: assignment.statement,
                message: "DEBUG defaults to on when \(value.variable ?? "its variable") is unset; default to off",
                fix: value.variable.map { variable in
                    .replaceWithRead(
                        expression: fallback.byteRange, setting: ["DEBUG"], variable: variable, form: .literal("False"),
                        stored: .debugFlag(true), style: ConfigurationValue.fixStyle)
                }))
        }
        // django-environ schemes: `environ.Env(DEBUG=(bool, True))`, reported where declared.
        var reported = Set<Int>()
        for (_, scheme) in context.bindings.envInstances.sorted(by: { $0.key < $1.key }) {
            for (variable, entry) in scheme.entries.sorted(by: { $0.key < $1.key }) {
                guard variable.uppercased().hasSuffix("DEBUG"), entry.castName == "bool",
                      let fallback = entry.defaultNode, let value = StaticValue.evaluate(fallback),
                      DebugReadAnalysis.meansOn(value), reported.insert(entry.declaration.startByte).inserted
                else { continue }
                let statement = entry.declaration.enclosingStatement
                findings.append(context.finding(
                    Self.description, at: statement, statement: statement,
                    message: "the django-environ scheme gives \(variable) a default that means on; default to False",
                    fix: .replaceWithRead(
                        expression: fallback.byteRange, setting: ["DEBUG"], variable: variable, form: .literal("False"),
                        stored: .debugFlag(true))))
            }
        }
        return findings
    }
}
