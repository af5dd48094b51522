import PostgresNIO

/// What a PostgreSQL error says, in words that never hold the connection string (it may hold a
/// password): the server's own message when it answered, else why it could not be reached.
public enum PostgresProblem {
    /// The server's message with its SQLSTATE (`… (SQLSTATE 23505)`), when the server answered.
    public static func serverMessage(_ error: PSQLError) -> (text: String, sqlState: String?)? {
        guard let message = error.serverInfo?[.message] else { return nil }
        let state = error.serverInfo?[.sqlState]
        return ("\(message)\(state.map { " (SQLSTATE \($0))" } ?? "")", state)
    }

    /// Why `database` ("the ledger database") could not be reached, with what to do about TLS.
    public static func unreachable(_ error: PSQLError, database: String) -> String {
        if error.code == .sslUnsupported { return "cannot reach \(database): the server does not offer TLS, which sslmode requires" }
        let underlying = error.underlying.map { ": \($0)" } ?? ""
        if underlying.contains("CERTIFICATE_VERIFY_FAILED") {
            return "cannot reach \(database): its TLS certificate could not be verified (sslrootcert=FILE names a private CA's)"
        }
        return "cannot reach \(database) (\(error.code))\(underlying)"
    }
}
