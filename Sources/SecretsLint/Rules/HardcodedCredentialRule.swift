import PythonSyntax

struct HardcodedCredentialRule: Rule {
    static let description = RuleDescription(
        code: "DJS008",
        name: "hardcoded-credential",
        summary: "A password, token or API key setting is a string literal",
        rationale: """
            Database passwords, mail passwords and API keys in the settings travel with every clone \
            and backup of the code. They belong in the environment. The fix moves the value verbatim: \
            it cannot be rotated from here, so rotate it at its provider if the code was ever shared.
            """,
        triggeringExamples: [
            "↓EMAIL_HOST_PASSWORD = \"hunter22\"\n",
            "↓AWS_SECRET_ACCESS_KEY = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"\n",
            "DATABASES = {\n    \"default\": {\n        \"ENGINE\": \"django.db.backends.postgresql\",\n        ↓\"PASSWORD\": \"s3cret-pw\",\n    }\n}\n",
            "↓DATABASES[\"default\"][\"PASSWORD\"] = \"s3cret-pw\"\n",
            "↓STRIPE_API_KEY = \"sk_live_abc123\"\n",
            "↓STRIPE_SECRET_KEY = \"sk_live_abc123\"\n",
            "↓DB_PASSWORD_PROD = \"prod-only-pw\"\n",
            "↓INSTANCE_KEY = \"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"\n",
            "↓AZURE_ACCOUNT_KEY = \"Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsu/K1SZFPTOtr==\"\n",
        ],
        nonTriggeringExamples: [
            "PASSWORD_HASHERS = [\"django.contrib.auth.hashers.Argon2PasswordHasher\"]\n",
            "AUTH_PASSWORD_VALIDATORS = [{\"NAME\": \"django.contrib.auth.password_validation.MinimumLengthValidator\"}]\n",
            "PASSWORD_RESET_TIMEOUT = 259200\n",
            "EMAIL_HOST_PASSWORD = \"\"\n",
            "EMAIL_HOST_PASSWORD = \"{{ email_password }}\"  # a project template placeholder\n",
            "REST_FRAMEWORK = {\"TOKEN_MODEL\": \"rest_framework.authtoken.models.Token\"}\n",
            "import os\nEMAIL_HOST_PASSWORD = os.environ[\"EMAIL_HOST_PASSWORD\"]\n",
            "AWS_ACCESS_KEY_ID = \"AKIAIOSFODNN7EXAMPLE\"\n",
            "SIMPLE_JWT = {\"TOKEN_TYPE_CLAIM\": \"token_type\", \"TOKEN_USER_CLASS\": \"rest_framework_simplejwt.models.TokenUser\"}\n",
            "ACCOUNT_RATE_LIMITS = {\"change_password\": \"1/m/user\", \"reset_password\": \"20/m/ip,5/m/key\"}\n",
            "PASSWORD_RESET_TOKEN = \"accounts.tokens.PasswordResetTokenGenerator\"\n",
            "STRIPE_PUBLISHABLE_KEY = \"pk_live_51HxYzAbCdEfGhIjKlMnOpQr\"\n",
            "RECAPTCHA_SITE_KEY = \"6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI\"\n",
            "SORT_KEY = \"created_at\"\n",
            "CACHES = {\"default\": {\"KEY\": \"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\"}}\n",
        ],
        corrections: [(
            before: "EMAIL_HOST_PASSWORD = \"hunter22\"\n",
            after: "EMAIL_HOST_PASSWORD = os.environ[\"DJANGO_EMAIL_HOST_PASSWORD\"]  # .env: the value, moved\n"
        )],
        fix: .always)

    /// Settings Django itself defines: a module assigning one of them is a settings module, whatever its name.
    static let djangoSettingNames: Set<String> = [
        "SECRET_KEY", "INSTALLED_APPS", "DATABASES", "MIDDLEWARE", "ROOT_URLCONF", "ALLOWED_HOSTS", "DEBUG",
        "TEMPLATES", "STATIC_URL", "EMAIL_BACKEND", "EMAIL_HOST", "CACHES", "AUTH_PASSWORD_VALIDATORS",
    ]

    // Credentials in ordinary modules (test fixtures, form constants) are not settings: the linter keeps
    // findings of settings modules only (`SettingsRole`).
    func check(_ context: RuleContext) -> [Finding] {
        let secrets = SecretSettings(settings: context.settings)
        return context.model.assignments.compactMap { assignment in
            guard case .string(let value)? = StaticValue.evaluate(assignment.value), !value.isEmpty,
                  secrets.isCredentialSetting(assignment.path)
                    || (assignment.path.count == 1 && SecretSettings.isGeneratedKey(name: assignment.name, value: value)),
                  !SecretSettings.looksLikeReference(value),
                  // A URL with a password is DJS013's.
                  CredentialURL(value) == nil
            else { return nil }
            // A `secret_key` entry (`SECRETS = {"secret_key": "a"}`, read into SECRET_KEY) is Django's key: a weak one is replaced.
            let isKey = assignment.isNestedEntry && secrets.isDjangoKeyName(assignment.path[assignment.path.count - 1])
            let placeholder = SecretSettings.isPlaceholder(value) ? ", a placeholder" : ""
            return context.finding(
                Self.description, at: assignment.anchor, statement: assignment.statement,
                message: "\(SecretSettings.display(assignment.path)) is hardcoded (\(SecretMask.mask(value))\(placeholder)); read it from the environment",
                fix: .replaceWithRead(
                    expression: assignment.value.byteRange, setting: assignment.path, variable: nil, form: .required,
                    stored: isKey ? .secretKey(current: value, alwaysReplace: false) : .verbatim(value)),
                secret: SecretInUse(setting: SecretSettings.display(assignment.path), value: value, isKey: isKey),
                spelledBy: assignment.value)
        }
    }
}
