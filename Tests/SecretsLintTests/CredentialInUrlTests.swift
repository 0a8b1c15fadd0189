import Testing
@testable import SecretsLint

/// DJS013: URLs with a password, their masked messages and their fixes in each env style.
struct CredentialInUrlTests {
    let snapshots = FixSnapshotTests()

    @Test func theUserPartIsReadAsUrlsplitReadsIt() throws {
        let url = try #require(CredentialURL("postgres://app:p@ss:w0rd@db:5432/app?sslmode=require"))
        #expect(url.user == "app" && url.password == "p@ss:w0rd".split(separator: "@").joined(separator: "@")[...])
        #expect(url.masked == "postgres://app:****@db:5432/app?…")
        #expect(CredentialURL("redis://:s3cret@cache:6379/0")?.masked == "redis://:****@cache:6379/0")
        #expect(CredentialURL("https://example.com/a@b:c")?.password == nil)
        #expect(CredentialURL("not a url") == nil && CredentialURL("x y://a:b@c") == nil)
        for placeholder in ["${DB_PASSWORD}", "$DB_PASSWORD", "%(password)s", "{password}", "<password>", "", "{{ db_password }}"] {
            #expect(CredentialURL("postgres://app:\(placeholder)@db/app")?.hasRealPassword == false, "\(placeholder)")
        }
    }

    @Test func messagesNameTheSettingAndMaskThePassword() {
        let findings = lint("CELERY_BROKER_URL = 'amqp://app:br0ker-pw@rabbit//'\n")
        #expect(findings.map(\.code) == ["DJS013"])
        #expect(findings[0].message.contains("CELERY_BROKER_URL") && findings[0].message.contains("amqp://app:****@rabbit//"))
        #expect(!findings[0].message.contains("br0ker-pw"))
        #expect(findings[0].secret?.value == "amqp://app:br0ker-pw@rabbit//")
    }

    @Test func literalsCountOnlyInSettings() {
        #expect(lint("BROKER = 'amqp://app:pw@rabbit//'\n", path: "app/tasks.py").isEmpty)
        #expect(lint("BROKER = 'amqp://app:pw@rabbit//'\nINSTALLED_APPS = []\n", path: "app/tasks.py").map(\.code) == ["DJS013"])
        // A read's default too: a finding needs a settings module (SPEC "Which code is looked at").
        #expect(lint("import os\nBROKER = os.environ.get('BROKER', 'amqp://app:pw@rabbit//')\n", path: "app/tasks.py").isEmpty)
        #expect(lint("import os\nBROKER = os.environ.get('BROKER', 'amqp://app:pw@rabbit//')\n", path: "app/settings.py").map(\.code) == ["DJS013"])
    }

    @Test func oneFindingPerUrlWhateverTheSettingIsNamed() {
        let code = "import os\nDB_PASSWORD = 'postgres://app:pw@db/app'\nAPI_TOKEN = os.environ.get('API_TOKEN', 'https://t:tok@api/x')\n"
        #expect(lint(code).map(\.code) == ["DJS013", "DJS013"])
    }

    @Test func djDatabaseUrlConfigBecomesParseOfARequiredRead() {
        let outcome = snapshots.fix("""
            import dj_database_url
            DATABASES = {
                "default": dj_database_url.config(default="postgres://app:s3cret@db/app", conn_max_age=600),
            }

            """)
        #expect(outcome.source == """
            import os
            import dj_database_url
            DATABASES = {
                "default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=600),
            }

            """)
        #expect(outcome.env == ["DATABASE_URL=postgres://app:s3cret@db/app"])
        #expect(outcome.remaining.isEmpty)
        let named = snapshots.fix("import dj_database_url as dburl\nDATABASES = {'default': dburl.config('PRIMARY_DB', 'mysql://u:pw@db/x', ssl_require=True)}\n")
        #expect(named.source == "import os\nimport dj_database_url as dburl\nDATABASES = {'default': dburl.parse(os.environ[\"PRIMARY_DB\"], ssl_require=True)}\n")
        #expect(named.env == ["PRIMARY_DB=mysql://u:pw@db/x"])
        // Imported by name, `config` keeps its spelling: its default becomes the required read.
        let bare = snapshots.fix("from dj_database_url import config\nDATABASES = {'default': config(default='postgres://a:pw@db/a')}\n")
        #expect(bare.source == "import os\nfrom dj_database_url import config\nDATABASES = {'default': config(default=os.environ[\"DATABASE_URL\"])}\n")
    }

    @Test func parseAndOtherDatabasesGetTheirOwnVariables() {
        let outcome = snapshots.fix("import os\nimport dj_database_url\nDATABASES = {\n    'default': dj_database_url.parse('postgres://a:pw1@db/a'),\n    'replica': dj_database_url.parse('postgres://r:pw2@db2/a'),\n}\n")
        #expect(outcome.source == "import os\nimport dj_database_url\nDATABASES = {\n    'default': dj_database_url.parse(os.environ[\"DATABASE_URL\"]),\n    'replica': dj_database_url.parse(os.environ[\"DJANGO_DATABASES_REPLICA\"]),\n}\n")
        #expect(outcome.env == ["DATABASE_URL=postgres://a:pw1@db/a", "DJANGO_DATABASES_REPLICA=postgres://r:pw2@db2/a"])
    }

    @Test func djangoEnvironUrlReadersLoseTheirDefault() {
        let outcome = snapshots.fix("import environ\nenv = environ.Env()\nDATABASES = {'default': env.db('DATABASE_URL', default='postgres://a:pw@db/a')}\nCACHES = {'default': env.cache(default='redis://:pw2@cache:6379/1', backend='x')}\nBROKER_URL = env('BROKER_URL', default='amqp://u:pw3@mq//')\n")
        // The URLs now live only in .env: the Env that never read a file learns to, so the local run keeps working.
        #expect(outcome.source == "import os\nimport environ\nenv = environ.Env()\nenviron.Env.read_env(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), \".env\"))\nDATABASES = {'default': env.db('DATABASE_URL')}\nCACHES = {'default': env.cache(backend='x')}\nBROKER_URL = env(\"BROKER_URL\")\n")
        #expect(outcome.env == ["DATABASE_URL=postgres://a:pw@db/a", "CACHE_URL=redis://:pw2@cache:6379/1", "BROKER_URL=amqp://u:pw3@mq//"])
    }

    @Test func literalsAndFallbacksInEachStyle() {
        let decouple = snapshots.fix("from decouple import config\nEMAIL_URL = config('EMAIL_URL', default='smtp://m:pw@smtp/')\nCELERY_BROKER_URL = 'amqp://u:pw@mq//'\n")
        #expect(decouple.source == "from decouple import config\nEMAIL_URL = config(\"EMAIL_URL\")\nCELERY_BROKER_URL = config(\"DJANGO_CELERY_BROKER_URL\")\n")
        let os = snapshots.fix("import os\nSENTRY_DSN = os.getenv('SENTRY_DSN') or 'https://k:pw@sentry/1'\nos.environ.setdefault('REDIS_URL', 'redis://:pw@cache/0')\nX = 1\n")
        #expect(os.source == "import os\nSENTRY_DSN = os.environ[\"SENTRY_DSN\"]\nX = 1\n")
        #expect(os.env == ["SENTRY_DSN=https://k:pw@sentry/1", "REDIS_URL=redis://:pw@cache/0"])
    }

    @Test func djangoConfigurationsValuesBecomeRequired() {
        let outcome = snapshots.fix("from configurations import Configuration, values\nclass Prod(Configuration):\n    DATABASES = values.DatabaseURLValue('postgres://a:pw@db/a')\n    CACHES = values.CacheURLValue('redis://:pw2@c/0', environ_name='REDIS_URL')\n")
        #expect(outcome.source == "from configurations import Configuration, values\nclass Prod(Configuration):\n    DATABASES = values.DatabaseURLValue(environ_required=True)\n    CACHES = values.CacheURLValue(environ_required=True, environ_name='REDIS_URL')\n")
        #expect(outcome.env == ["DATABASE_URL=postgres://a:pw@db/a", "REDIS_URL=redis://:pw2@c/0"])
    }

    @Test func aUrlThatCannotBeStoredExactlyStaysAndSaysWhy() {
        let outcome = snapshots.fix("CELERY_BROKER_URL = \"amqp://u:p'w@mq//\"\n")
        #expect(outcome.source == "CELERY_BROKER_URL = \"amqp://u:p'w@mq//\"\n")
        #expect(outcome.remaining == ["DJS013"])
    }
}
