/// A problem found in input, with where it is: file, line, column and field.
/// Recoverable problems are values, collected and reported together, not thrown one at a time.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable { case error, warning }
    public let severity: Severity
    public let file: String
    public let line: Int?
    public let column: Int?
    public let field: String?
    public let message: String

    public init(_ severity: Severity = .error, file: String, line: Int? = nil, column: Int? = nil, field: String? = nil, message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.column = column
        self.field = field
        self.message = message
    }

    /// `ledger.csv:12:4: error: amount: '12.345' has more decimals than USD allows (2)`
    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += ":\(column)" }
        return "\(place): \(severity.rawValue): " + (field.map { "\($0): " } ?? "") + message
    }
}
