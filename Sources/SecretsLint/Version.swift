/// The one version string: the binary prints it, and `make dist` reads it from the binary for the wheel,
/// the pre-commit mirror's pinned requirement and its tag (`Packaging/make_dist.py`); a test holds the
/// README's pre-commit `rev:` to it.
public enum Version {
    public static let current = "0.1.0"
}
