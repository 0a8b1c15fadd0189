import PythonSyntax

/// Branches that run only on a CI service (SPEC "Which code is looked at", CI-only branches): the body of
/// an `if` or `elif` whose condition can hold only when a variable that CI services set is set
/// (`if os.environ.get("GITHUB_WORKFLOW"):`, `if "TRAVIS" in os.environ:`, `if env.bool("CI", default=False):`).
/// Code there configures the test run, as test settings do; the `else` branch is not CI-only.
enum ContinuousIntegration {
    /// Variables that CI services set and a developer's shell does not.
    static let variables: Set<String> = [
        "CI", "CONTINUOUS_INTEGRATION", "GITHUB_ACTIONS", "GITHUB_WORKFLOW", "GITHUB_RUN_ID", "GITLAB_CI", "TRAVIS",
        "CIRCLECI", "JENKINS_URL", "JENKINS_HOME", "BUILDKITE", "TF_BUILD", "APPVEYOR", "DRONE", "BITBUCKET_BUILD_NUMBER",
        "TEAMCITY_VERSION", "CODEBUILD_BUILD_ID", "SEMAPHORE", "WOODPECKER",
    ]

    /// The condition is false wherever no CI variable is set: a read of a CI variable that is falsy when
    /// unset (`os.environ.get("CI")`, `os.getenv("CI") == "true"`, `"CI" in os.environ`), a name bound to
    /// one (`flags`), `A and B` with either part such, `A or B` with both. Any other variable read in the
    /// same test (or a name derived from one) makes it not CI-only: it may be set locally.
    static func runsOnlyInCI(_ condition: SyntaxNode, bindings: ModuleBindings, flags: Set<String>) -> Bool {
        switch condition.kind {
        case .parenthesizedExpression:
            guard let inner = condition.namedChildren.first(where: { $0.kind != .comment }) else { return false }
            return runsOnlyInCI(inner, bindings: bindings, flags: flags)
        case .booleanOperator:
            guard let left = condition.child(field: .left), let right = condition.child(field: .right) else { return false }
            let leftOnly = runsOnlyInCI(left, bindings: bindings, flags: flags)
            if condition.child(field: .operator)?.type == "and" {
                return leftOnly || runsOnlyInCI(right, bindings: bindings, flags: flags)
            }
            return leftOnly && runsOnlyInCI(right, bindings: bindings, flags: flags)
        case .identifier:
            return flags.contains(condition.text)
        default:
            return isCIRead(condition, bindings: bindings)
        }
    }

    /// An expression that reads only CI variables (at least one) and is falsy when they are unset.
    static func isCIRead(_ expression: SyntaxNode, bindings: ModuleBindings) -> Bool {
        guard bindings.hasEnvironmentReaders else { return false }
        var reads = 0
        var onlyCI = true
        expression.walk { node in
            guard onlyCI else { return false }
            switch node.kind {
            case .call, .`subscript`, .comparisonOperator:
                guard let read = bindings.environmentRead(node) else { return true }
                reads += 1
                if !(read.variableName.map(variables.contains) ?? false) { onlyCI = false }
                return false
            case .identifier:
                if bindings.environmentDerivedNames.contains(node.text) { onlyCI = false }
                return false
            case .lambda:
                onlyCI = false
                return false
            default:
                return true
            }
        }
        guard reads > 0, onlyCI, let unset = UnsetEnvironmentEvaluator(bindings: bindings).evaluate(expression) else { return false }
        return !unset.isTruthy
    }
}
