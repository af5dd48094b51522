import Core
import Foundation
import Logging
import PostgresAccess
import PostgresNIO

/// The marketplace's own database as a ledger source: a query that returns the canonical ledger
/// columns (DESIGN.md), run in a read-only transaction and streamed row by row (never loaded whole).
/// Each row is checked exactly as a CSV row is (`LedgerChecker`), after two conversions done by
/// PostgreSQL itself: every column is read as text, and `created_at` (timestamptz) as ISO 8601 in UTC.
/// A `numeric` amount may carry trailing zeros past its currency's decimals (`12.3400` USD is 12.34);
/// any other extra digit is refused.
///
/// The connection string comes from an environment variable (never argv), read as `PostgresURL` says.
public struct PostgresLedgerSource: LedgerSource {
    public let urlEnvironmentVariable: String
    public let query: String
    let configuration: PostgresConnection.Configuration
    let logger: Logger
    /// The query returns the canonical columns, amounts in major units.
    public var mapping: ColumnMapping { ColumnMapping() }

    /// Names the rows in diagnostics: `<variable> query:<row>:<column>`.
    public var label: String { "\(urlEnvironmentVariable) query" }

    public init(
        urlEnvironmentVariable: String, query: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger = Logger(label: "payrecon.ledger-postgres")
    ) throws(LedgerImportError) {
        self.urlEnvironmentVariable = urlEnvironmentVariable
        self.query = query
        self.logger = logger
        guard let url = environment[urlEnvironmentVariable], !url.isEmpty else {
            throw LedgerImportError(diagnostics: [
                Diagnostic(
                    file: urlEnvironmentVariable,
                    message: "set \(urlEnvironmentVariable) to the ledger database's URL (postgres://user:password@host:5432/database)")
            ])
        }
        configuration = try Self.configuration(url, variable: urlEnvironmentVariable)
    }

    static func configuration(_ text: String, variable: String) throws(LedgerImportError) -> PostgresConnection.Configuration {
        do { return try PostgresURL.configuration(text) } catch {
            throw LedgerImportError(diagnostics: [
                Diagnostic(file: variable, message: "\(error.reason) (expected postgres://user:password@host:5432/database)")
            ])
        }
    }

    /// The order of `wrappedQuery`'s columns, which the checker takes as the header.
    static let columns: [LedgerColumn] = [.entryId, .orderId, .type, .amount, .currency, .stripeId, .createdAt, .supplierId]
    static let amountIndex = columns.firstIndex(of: .amount)!

    /// The operator's query, its columns read as text by PostgreSQL, in the order of `columns`.
    var wrappedQuery: String {
        """
        SELECT entry_id::text, order_id::text, type::text, amount::text, currency::text, stripe_id::text,
          to_char(created_at::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), supplier_id::text
        FROM (\(query)) AS ledger
        """
    }

    /// Streams the rows through the checker (`LedgerSource`); each row is numbered from 1 in diagnostics.
    public func read(_ checker: inout LedgerChecker, _ chunk: ([LedgerEntry]) -> Bool) async throws(LedgerImportError) {
        _ = checker.take(CSVReader.Record(line: 0, fields: Self.columns.map(\.rawValue)))
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
            do {
                // Read-only: a ledger source never writes the marketplace's database; UTC so times read the same anywhere.
                try await connection.query("BEGIN TRANSACTION READ ONLY", logger: logger)
                try await connection.query("SET LOCAL TIME ZONE 'UTC'", logger: logger)
                let rows = try await connection.query(PostgresQuery(unsafeSQL: wrappedQuery), logger: logger)
                var number = 0
                for try await row in rows {
                    number += 1
                    var fields: [String] = []
                    fields.reserveCapacity(8)
                    for cell in row { fields.append(try cell.decode(String?.self) ?? "") }
                    fields[Self.amountIndex] = Self.withoutTrailingZeros(fields[Self.amountIndex])
                    guard checker.take(CSVReader.Record(line: number, fields: fields), handingTo: chunk) else { break }
                }
                _ = try? await connection.query("ROLLBACK", logger: logger)
                try? await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }
        } catch let error as LedgerImportError {
            throw error
        } catch {
            throw LedgerImportError(diagnostics: [Diagnostic(file: label, message: Self.describe(error))])
        }
        try checker.finish(handingTo: chunk)
    }

    /// `12.3400` → `12.34`, `1500.00` → `1500`: a numeric's scale, not a precision the ledger claims.
    /// On the UTF-8 bytes: Foundation's `contains` and Character-wise trimming were a tenth of the reader's time.
    static func withoutTrailingZeros(_ amount: String) -> String {
        let bytes = amount.utf8
        guard let last = bytes.last, last == UInt8(ascii: "0") || last == UInt8(ascii: "."), bytes.contains(UInt8(ascii: ".")) else {
            return amount
        }
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[bytes.index(before: end)] == UInt8(ascii: "0") { end = bytes.index(before: end) }
        if end > bytes.startIndex, bytes[bytes.index(before: end)] == UInt8(ascii: ".") { end = bytes.index(before: end) }
        return String(amount[..<end])
    }

    /// What went wrong, in words, without the connection string: the server's message and SQLSTATE, or
    /// why the connection failed.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "the ledger database could not be read: \(error)" }
        if let server = PostgresProblem.serverMessage(error) { return "the ledger query failed: \(server.text)" }
        return PostgresProblem.unreachable(error, database: "the ledger database")
    }
}
