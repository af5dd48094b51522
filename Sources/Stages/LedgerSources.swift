import Extract
import Foundation
import Logging

/// The sources one ledger import reads, as `ledger import` and the nightly run's ledger sync name
/// them: the ledger itself (a CSV file, through a column mapping when given, or a PostgreSQL query)
/// and an optional file of refunds read through the mapping's refunds layout.
public enum LedgerSources {
    public static func make(
        csv: String?, postgresQuery: String?, postgresURLEnv: String, refunds: String?, mapping: String?,
        maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes, environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger = Logger(label: "payrecon.ledger-postgres")
    ) throws -> [any LedgerSource] {
        let layout = try mapping.map(ColumnMapping.load) ?? ColumnMapping()
        var sources: [any LedgerSource] = []
        if let postgresQuery {
            sources.append(
                try PostgresLedgerSource(urlEnvironmentVariable: postgresURLEnv, query: postgresQuery, environment: environment, logger: logger))
        } else if let csv {
            sources.append(CSVLedgerSource(path: csv, mapping: layout, maxFieldBytes: maxFieldBytes))
        }
        if let refunds { sources.append(CSVLedgerSource(path: refunds, mapping: layout.refunds, maxFieldBytes: maxFieldBytes)) }
        return sources
    }
}
