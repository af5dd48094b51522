import Foundation
import Logging
import PostgresNIO

/// One checked-out connection: statements (every value a bound parameter, through `PostgresQuery`'s
/// interpolation) and transactions, each waited for.
struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger

    @discardableResult
    func query(_ query: PostgresQuery) throws -> PostgresQueryResult {
        try connection.query(query, logger: logger).wait()
    }

    func rows(_ query: PostgresQuery) throws -> [PostgresRandomAccessRow] {
        try self.query(query).rows.map { $0.makeRandomAccess() }
    }

    func row(_ query: PostgresQuery) throws -> PostgresRandomAccessRow? { try rows(query).first }

    /// How many rows an INSERT, UPDATE or DELETE touched.
    @discardableResult
    func execute(_ query: PostgresQuery) throws -> Int { try self.query(query).metadata.rows ?? 0 }

    /// `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try query("BEGIN")
        do {
            let result = try body()
            try query("COMMIT")
            return result
        } catch {
            _ = try? query("ROLLBACK")
            throw error
        }
    }

    /// `body` in a savepoint of the open transaction: what it wrote is undone when it throws, and the
    /// transaction goes on (PostgreSQL aborts a whole transaction on an error outside one).
    func savepoint<T>(_ body: () throws -> T) throws -> T {
        try query("SAVEPOINT payrecon_step")
        do {
            let result = try body()
            try query("RELEASE SAVEPOINT payrecon_step")
            return result
        } catch {
            try query("ROLLBACK TO SAVEPOINT payrecon_step")
            throw error
        }
    }
}

extension PostgresRandomAccessRow {
    func string(_ column: String) throws -> String { try self[column].decode(String.self) }
    func optionalString(_ column: String) throws -> String? { try self[column].decode(String?.self) }
    func int64(_ column: String) throws -> Int64 { try self[column].decode(Int64.self) }
    func optionalInt64(_ column: String) throws -> Int64? { try self[column].decode(Int64?.self) }
    func bytes(_ column: String) throws -> Data { try self[column].decode(Data.self) }
}
