/// A problem with the config file or an environment variable that overrides it: where, which key,
/// and what was expected. The run stops before doing anything (exit 64).
public struct ConfigError: Error, Hashable, Sendable, CustomStringConvertible {
    public var file: String
    /// 1-based, when the problem is in the file.
    public var line: Int?
    public var column: Int?
    /// The dotted key, e.g. `stripe.requests_per_second`.
    public var key: String
    public var message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, key: String, message: String) {
        self.file = file; self.line = line; self.column = column; self.key = key; self.message = message
    }

    public var description: String {
        let place = [file, line.map(String.init), column.map(String.init)].compactMap { $0 }.joined(separator: ":")
        return "\(place): \(key.isEmpty ? "" : "\(key): ")\(message)"
    }
}

/// Every problem found in a config file, each on its own line.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    public let errors: [ConfigError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
