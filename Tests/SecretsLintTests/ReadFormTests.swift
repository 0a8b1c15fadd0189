import Testing
@testable import SecretsLint

/// SPEC "Real-world shapes (round 2)": the other spellings of environment reads, and their fixes.
struct ReadFormTests {
    let snapshots = FixSnapshotTests()

    @Test func conditionalFallbacksBecomeRequiredReads() {
        let outcome = snapshots.fix("import os\nSECRET_KEY = os.getenv('SECRET_KEY') if os.getenv('SECRET_KEY') else 'dev-key'\nAPI_TOKEN = 'tok-dev' if 'API_TOKEN' not in os.environ else os.environ['API_TOKEN']\n")
        #expect(outcome.source == "import os\nSECRET_KEY = os.environ[\"SECRET_KEY\"]\nAPI_TOKEN = os.environ[\"API_TOKEN\"]\n")
        #expect(outcome.env == ["SECRET_KEY=<NEW_KEY>", "API_TOKEN=tok-dev"])
        #expect(outcome.remaining.isEmpty)
        // Only a string literal is a fallback; a branch on something else is no read with a fallback.
        #expect(lint("import os\nSECRET_KEY = os.getenv('SECRET_KEY') if os.getenv('SECRET_KEY') else None\n").isEmpty)
        #expect(lint("import os\nSECRET_KEY = os.getenv('SECRET_KEY') if READY else 'x'\n").allSatisfy { $0.code != "DJS004" })
    }

    @Test func aNameBoundToOsEnvironReadsTheEnvironment() {
        let outcome = snapshots.fix("import os\nenv = os.environ\nSECRET_KEY = env.get('SECRET_KEY', 'dev-key')\nDEBUG = env.get('DEBUG', 'True')\n")
        #expect(outcome.source == "import os\nenv = os.environ\nSECRET_KEY = env[\"SECRET_KEY\"]\nDEBUG = env.get(\"DEBUG\", \"False\").lower() in (\"1\", \"true\", \"yes\", \"on\")\n")
        #expect(lint("import os\nvariables = os.environ.copy()\nEMAIL_HOST_PASSWORD = variables.get('EMAIL_HOST_PASSWORD', 'pw')\n").map(\.code) == ["DJS004"])
        #expect(lint("import os\nenv = {}\nEMAIL_HOST_PASSWORD = env.get('EMAIL_HOST_PASSWORD', 'pw')\n").isEmpty)
    }

    @Test func decoupleUnderAnotherNameOrAsAnInstance() {
        let alias = snapshots.fix("from decouple import config as env\nSECRET_KEY = env('SECRET_KEY', default='dev-key')\n")
        #expect(alias.source == "from decouple import config as env\nSECRET_KEY = env(\"SECRET_KEY\")\n")
        let instance = snapshots.fix("from decouple import Config, RepositoryEnv\ncfg = Config(RepositoryEnv('/srv/app/.env'))\nEMAIL_HOST_PASSWORD = cfg('EMAIL_HOST_PASSWORD', default='mailpw')\nDEBUG = cfg('DEBUG', default=True, cast=bool)\n")
        #expect(instance.source == "from decouple import Config, RepositoryEnv\ncfg = Config(RepositoryEnv('/srv/app/.env'))\nEMAIL_HOST_PASSWORD = cfg(\"EMAIL_HOST_PASSWORD\")\nDEBUG = cfg(\"DEBUG\", default=False, cast=bool)\n")
        #expect(instance.env == ["EMAIL_HOST_PASSWORD=mailpw", "DEBUG=True"])
    }

    @Test func schemeDefaultsGeneratedAtImportBecomeOneStoredKey() {
        let outcome = snapshots.fix("import environ\nfrom django.core.management.utils import get_random_secret_key\nenv = environ.Env(DEBUG=(bool, False), SECRET_KEY=(str, get_random_secret_key()))\nSECRET_KEY = env('SECRET_KEY')\n")
        #expect(outcome.source == "import os\nimport environ\nfrom django.core.management.utils import get_random_secret_key\nenv = environ.Env(DEBUG=(bool, False), SECRET_KEY=str)\nenviron.Env.read_env(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), \".env\"))\nSECRET_KEY = env('SECRET_KEY')\n")
        #expect(outcome.env == ["SECRET_KEY=<NEW_KEY>"])
        #expect(outcome.remaining.isEmpty)
        let decouple = snapshots.fix("from decouple import config\nfrom django.core.management.utils import get_random_secret_key\nSECRET_KEY = config('SECRET_KEY', default=get_random_secret_key())\n")
        #expect(decouple.source.hasSuffix("SECRET_KEY = config(\"SECRET_KEY\")\n"))
        #expect(decouple.env == ["SECRET_KEY=<NEW_KEY>"])
    }

    @Test func generatedLookingValuesUnderKeyNames() {
        let outcome = snapshots.fix("import os\nINSTALLED_APPS = []\nINSTANCE_KEY = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'\nMAPQUEST_KEY = os.environ.get('MAPQUEST_KEY', 'Fmjtd7u2Xn0Yq3Lp9Zr4Kd8Wb1Hc6Va5')\n")
        #expect(outcome.source == "import os\nINSTALLED_APPS = []\nINSTANCE_KEY = os.environ[\"DJANGO_INSTANCE_KEY\"]\nMAPQUEST_KEY = os.environ[\"MAPQUEST_KEY\"]\n")
        #expect(outcome.env == ["DJANGO_INSTANCE_KEY=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "MAPQUEST_KEY=Fmjtd7u2Xn0Yq3Lp9Zr4Kd8Wb1Hc6Va5"])
        #expect(SecretSettings.looksGenerated("9f86d081884c7d659a2feaa0c55ad015"))
        #expect(!SecretSettings.looksGenerated("9f86d081884c7d659a2feaa0c55ad01"))  // 31 hex digits, two classes
        #expect(SecretSettings.looksGenerated("Abcdefghij1234567890"))
        #expect(!SecretSettings.looksGenerated("abcdefghij1234567890"))
        #expect(!SecretSettings.looksGenerated("Abc defghij 1234567890"))
        #expect(!SecretSettings.looksGenerated("https://example.com/Path/To/Key1"))
        for name in ["STRIPE_PUBLIC_KEY", "STRIPE_PUBLISHABLE_KEY", "RECAPTCHA_SITE_KEY", "AWS_KEY_ID", "SSH_KEY_PATH", "JWT_KEY_FILE",
                     "CACHE_KEY_PREFIX", "CACHE_KEY", "SECRET_KEY", "DJANGO_SECRET_KEY"] {
            #expect(!SecretSettings.isGenericKeyName(name), "\(name)")
        }
        #expect(SecretSettings.isGenericKeyName("INSTANCE_KEY") && SecretSettings.isGenericKeyName("AZURE_ACCOUNT_KEY_PROD"))
        #expect(!SecretSettings.isGenericKeyName("instance_key") && !SecretSettings.isGenericKeyName("cache_key"))
    }
}

/// django-configurations classes: `values.*` read `DJANGO_<NAME>`; development classes keep DEBUG on.
struct ConfigurationsTests {
    let snapshots = FixSnapshotTests()

    @Test func debugAndSecretsBecomeFailClosedValues() {
        let outcome = snapshots.fix("""
            from configurations import Configuration, values


            class Base(Configuration):
                DEBUG = values.BooleanValue(True)
                SECRET_KEY = values.Value("dev-only-key")
                EMAIL_HOST_PASSWORD = values.Value("hunter22", environ_prefix="SHOP", environ_name="MAIL_PASSWORD")
                TIME_ZONE = values.Value("UTC")

            """)
        #expect(outcome.source == """
            from configurations import Configuration, values


            class Base(Configuration):
                DEBUG = values.BooleanValue(False)
                SECRET_KEY = values.SecretValue()
                EMAIL_HOST_PASSWORD = values.SecretValue(environ_prefix="SHOP", environ_name="MAIL_PASSWORD")
                TIME_ZONE = values.Value("UTC")

            """)
        #expect(outcome.env == ["DJANGO_DEBUG=True", "DJANGO_SECRET_KEY=<NEW_KEY>", "SHOP_MAIL_PASSWORD=hunter22"])
        #expect(outcome.remaining.isEmpty)
    }

    @Test func developmentClassesKeepDebugUnlessProductionInheritsThem() {
        let code = """
            from configurations import Configuration, values
            class Dev(Configuration):
                DEBUG = values.BooleanValue(True)
            class LocalSettings(Configuration):
                DEBUG = True
            class TestConfig(Configuration):
                DEBUG = values.BooleanValue(True)
            class Prod(TestConfig):
                pass
            class Production(Configuration):
                DEBUG = True

            """
        let findings = lint(code)
        #expect(findings.map(\.code) == ["DJS007", "DJS005"])
        #expect(lines(of: findings, code: code, rule: "DJS007") == [7])
        #expect(lines(of: findings, code: code, rule: "DJS005") == [11])
        #expect(DevelopmentClasses.camelCaseWords("CISettings") == ["ci", "settings"])
        #expect(DevelopmentClasses.camelCaseWords("DevConfig") == ["dev", "config"])
        #expect(!DevelopmentClasses.isDevelopmentName("Latest") && !DevelopmentClasses.isDevelopmentName("Devices"))
    }

    @Test func valuesThatReadNothingOrAreNotValuesAreLeftAlone() {
        #expect(lint("from configurations import Configuration, values\nclass P(Configuration):\n    DEBUG = values.BooleanValue(False)\n    SECRET_KEY = values.SecretValue()\n").isEmpty)
        #expect(lint("class P:\n    DEBUG = values.BooleanValue(True)\n").isEmpty)
    }
}
