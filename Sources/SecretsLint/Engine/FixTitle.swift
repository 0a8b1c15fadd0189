extension Finding {
    /// What carrying out this finding's fix does, in the words an editor shows for a quick fix
    /// ("Move SECRET_KEY to .env"); nil when the finding has no fix. Never holds the value.
    public func fixTitle(envFileName: String) -> String? {
        guard let fix else { return nil }
        let setting: [String]
        let stored: StoredValue
        switch fix {
        case .replaceWithRead(_, let path, _, _, let value, _):
            (setting, stored) = (path, value)
        case .deleteStatement(_, let path, _, let value):
            (setting, stored) = (path, value)
        }
        let name = SecretSettings.display(setting)
        switch stored {
        case .secretKey: return "Move \(name) to \(envFileName) (a new key when the old one is burnt)"
        case .verbatim: return "Move \(name) to \(envFileName)"
        case .debugFlag: return "Read \(name) from the environment (off unless set)"
        case .fallbackKeys: return "Move \(name) to \(envFileName) (leaked keys dropped)"
        }
    }
}
