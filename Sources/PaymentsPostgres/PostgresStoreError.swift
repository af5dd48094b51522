import PostgresAccess
import PostgresNIO

/// A payments-database failure: what was being done and the server's words for why (its message and
/// SQLSTATE), or why the connection failed. Never the connection string, which may hold a password.
public struct PostgresStoreError: Error, CustomStringConvertible, Sendable {
    public let operation: String
    public let reason: String
    /// The SQLSTATE the server gave, when it gave one (`23505`: a unique key taken).
    public let sqlState: String?

    public var description: String { "payments database: \(operation): \(reason)" }

    init(operation: String, reason: String, sqlState: String? = nil) {
        self.operation = operation
        self.reason = reason
        self.sqlState = sqlState
    }

    init(operation: String, _ error: PSQLError) {
        if let server = PostgresProblem.serverMessage(error) {
            self.init(operation: operation, reason: server.text, sqlState: server.sqlState)
        } else {
            self.init(operation: operation, reason: PostgresProblem.unreachable(error, database: "the database"))
        }
    }
}
