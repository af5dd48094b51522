import Yams

/// Every key the nightly config file may hold, with its type: the file is checked against it before
/// anything runs, so a misspelt key, a wrong type or a missing value stops the run with the key's
/// name, line and column (exit 64), instead of a setting silently falling back to its default.
public indirect enum ConfigSchema: Sendable {
    case string, integer, number, boolean, strings
    case section([String: ConfigSchema])
    /// A section read by another part (serve's settings): its own keys are checked there.
    case opaque

    /// The whole file (docs/configuration.md describes each key).
    public static let nightly: ConfigSchema = .section([
        "store": .string,
        "stripe": .section([
            "api_base": .string, "api_key_env": .string, "api_key_file": .string, "requests_per_second": .number,
            "concurrency": .integer, "lookback_hours": .integer, "snapshot_out": .string,
        ]),
        "ledger": .section([
            "csv": .string, "refunds_csv": .string, "mapping": .string, "max_field_bytes": .integer, "allow_empty": .boolean,
            "postgres": .section(["url_env": .string, "query": .string]),
        ]),
        "reconcile": .section([
            "time_zone": .string, "fail_on": .string, "fee_schedule": .string, "pricing": .string, "margin_hours": .integer,
            "settlement_window_hours": .integer, "first_run_days": .integer,
        ]),
        "report": .section(["out": .string, "formats": .strings]),
        "export": .section(["out": .string]),
        "retention": .section(["reports_days": .integer, "exports_days": .integer, "snapshots_days": .integer]),
        "notifications": .section([
            "attempts": .integer, "timeout_seconds": .integer,
            "email": .section([
                "smtp_url": .string, "from": .string, "to": .strings, "username_env": .string, "password_env": .string,
                "require_tls": .boolean, "ca_file": .string, "attach_workbook": .boolean,
            ]),
            "webhook": .section(["url": .string, "url_env": .string]),
        ]),
        "metrics": .section(["textfile": .string]),
        "logging": .section(["format": .string]),
        "serve": .opaque,
    ])

    var expected: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .number: "a number"
        case .boolean: "true or false"
        case .strings: "a list of strings"
        case .section: "a section of keys"
        case .opaque: "a section"
        }
    }

    /// Checks a parsed YAML document against this schema; every problem found, in file order.
    func problems(in node: Node, at path: [String] = [], file: String) -> [ConfigError] {
        func error(_ node: Node, _ message: String) -> ConfigError {
            ConfigError(
                file: file, line: node.mark.map { $0.line }, column: node.mark.map { $0.column }, key: path.joined(separator: "."), message: message)
        }
        switch self {
        case .opaque:
            return node.mapping == nil ? [error(node, "expected \(expected)")] : []
        case .section(let keys):
            guard let mapping = node.mapping else { return [error(node, "expected \(expected)")] }
            var found: [ConfigError] = []
            for (keyNode, value) in mapping {
                guard let key = keyNode.string else { found.append(error(keyNode, "a key must be a string")); continue }
                guard let schema = keys[key] else {
                    var unknown = error(keyNode, "unknown key (known here: \(keys.keys.sorted().joined(separator: ", ")))")
                    unknown.key = (path + [key]).joined(separator: ".")
                    found.append(unknown)
                    continue
                }
                found += schema.problems(in: value, at: path + [key], file: file)
            }
            return found
        case .strings:
            guard let sequence = node.sequence else {
                // One string where a list is expected is a list of one.
                return node.scalar != nil ? [] : [error(node, "expected \(expected)")]
            }
            return sequence.compactMap { $0.scalar == nil ? error($0, "expected \(expected)") : nil }
        case .string, .integer, .number, .boolean:
            guard let scalar = node.scalar else { return [error(node, "expected \(expected)")] }
            return accepts(scalar.string) ? [] : [error(node, "expected \(expected), got '\(scalar.string)'")]
        }
    }

    /// Whether a scalar's text is of this type (as YAML 1.2's core schema reads it).
    func accepts(_ text: String) -> Bool {
        switch self {
        case .integer: Int(text) != nil
        case .number: Double(text) != nil
        case .boolean: ["true", "false"].contains(text.lowercased())
        default: true
        }
    }
}
