import PythonSyntax

struct DebugEnvTruthinessRule: Rule {
    static let description = RuleDescription(
        code: "DJS006",
        name: "debug-env-truthiness",
        summary: "DEBUG is an environment string used as a bool",
        rationale: """
            Environment variables are strings, and every non-empty string is true: `DEBUG=False` and \
            `DEBUG=0` turn DEBUG on. `os.getenv("DEBUG")`, `bool(os.getenv(...))`, `"DEBUG" in \
            os.environ` and django-environ's `env("DEBUG")` without a bool cast all do this, and \
            `eval()` runs whatever the variable holds. Parse the value into a bool, defaulting to off. A \
            proper conversion (`ast.literal_eval`, `json.loads`, `strtobool`, `int`, a comparison with \
            true words) is not this rule's: DJS007 judges it by what it gives when the variable is unset.
            """,
        triggeringExamples: [
            "import os\n↓DEBUG = os.environ.get(\"DEBUG\", \"False\")\n",
            "import os\n↓DEBUG = bool(os.getenv(\"DJANGO_DEBUG\"))\n",
            "import os\n↓DEBUG = \"DEBUG\" in os.environ\n",
            "import os\n↓DEBUG = eval(os.environ.get(\"DEBUG\", \"False\"))\n",
            "import environ\nenv = environ.Env()\n↓DEBUG = env(\"DEBUG\")\n",
            "from decouple import config\n↓DEBUG = config(\"DEBUG\")\n",
        ],
        nonTriggeringExamples: [
            "import os\nDEBUG = os.environ.get(\"DEBUG\", \"False\").lower() in (\"1\", \"true\")\n",
            "import os\nDEBUG = os.getenv(\"DEBUG\") == \"1\"\n",
            "import environ\nenv = environ.Env(DEBUG=(bool, False))\nDEBUG = env(\"DEBUG\")\n",
            "import environ\nenv = environ.Env()\nDEBUG = env.bool(\"DEBUG\", default=False)\n",
            "from decouple import config\nDEBUG = config(\"DEBUG\", default=False, cast=bool)\n",
            "import os\nDEBUG = int(os.environ.get(\"DEBUG\", 0))\n",
            "import ast, os\nDEBUG = ast.literal_eval(os.getenv(\"DEBUG\", \"False\"))\n",
            "import os\nfrom distutils.util import strtobool\nDEBUG = bool(strtobool(os.getenv(\"DEBUG\", \"no\")))\n",
        ],
        corrections: [(
            before: "DEBUG = os.environ.get(\"DEBUG\", \"False\")\n",
            after: "DEBUG = os.environ.get(\"DEBUG\", \"False\").lower() in (\"1\", \"true\", \"yes\", \"on\")\n"
        )],
        fix: .sometimes,
        severity: .warning,
        isDebugRule: true)

    func check(_ context: RuleContext) -> [Finding] {
        DebugReadAnalysis.all(in: context).filter { $0.verdict == .stringTruthiness }.map { analysis in
            context.finding(
                Self.description, at: analysis.assignment.anchor, statement: analysis.assignment.statement,
                message: "DEBUG takes the string in \(analysis.read.variableName ?? "the variable") as a bool: \"False\" and \"0\" turn it on; parse it, defaulting to off",
                fix: analysis.fix())
        }
    }
}
