import ArgumentParser
import Extract
import Stages
import Store

struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "The marketplace's order ledger.",
        subcommands: [LedgerImportCommand.self])
}

struct LedgerImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a ledger CSV (and its refunds file), or the rows of a PostgreSQL query, all or nothing.",
        discussion: """
            Columns: entry_id, order_id, type, amount, currency, stripe_id, created_at, supplier_id (any order; extra columns ignored). \
            --mapping names another layout's columns and units (fixtures/ledger-mapping.example.json); --refunds adds a file of \
            refunds only, read through the mapping's "refunds" layout (its type column is optional). \
            With --postgres-query, the query runs in a read-only transaction on the database whose URL is in the environment \
            variable --postgres-url-env names, and returns those columns (amount numeric, created_at timestamptz).
            """)

    @Argument(help: "The ledger CSV file (not with --postgres-query).")
    var file: String?
    @Option(name: .long, help: "A SELECT returning the canonical ledger columns, read from PostgreSQL instead of a file.")
    var postgresQuery: String?
    @Option(name: .long, help: "The environment variable holding the ledger database's postgres:// URL.")
    var postgresUrlEnv: String = "LEDGER_DATABASE_URL"
    @Option(name: .long, help: "A CSV file of refunds only, imported with the ledger as one import.")
    var refunds: String?
    @OptionGroup var store: StoreOptions
    @Option(name: .long, help: "JSON column mapping for other layouts.")
    var mapping: String?
    @Flag(name: .long, help: "Accept a ledger that holds a header and no entries (otherwise that is an error).")
    var allowEmpty = false
    @Option(name: .long, help: "The longest field accepted, in bytes.")
    var maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes

    func validate() throws {
        guard maxFieldBytes >= 64 else { throw ValidationError("--max-field-bytes must be at least 64") }
        guard (file == nil) != (postgresQuery == nil) else { throw ValidationError("give a ledger CSV file or --postgres-query, one of the two") }
        if postgresQuery != nil, mapping != nil, refunds == nil {
            throw ValidationError("--mapping is for CSV files; a query names its columns itself")
        }
    }

    func run() async throws {
        try await failingWithExitCode2 {
            let sources = try LedgerSources.make(
                csv: file, postgresQuery: postgresQuery, postgresURLEnv: postgresUrlEnv, refunds: refunds, mapping: mapping,
                maxFieldBytes: maxFieldBytes)
            let db = try PayreconStore(path: store.db)
            let summary = try await LedgerImportStage(runner: StageRunner(store: db)).run(sources, allowEmpty: allowEmpty)
            print(Self.report(summary))
        }
    }

    /// `imported 12 ledger entries from ledger.csv: 12 added, ...`; with a refunds file, a line per source too.
    static func report(_ summary: LedgerImportSummary) -> String {
        guard summary.sources.count > 1 else {
            return "imported \(summary.entries) ledger entries from \(summary.sources.first?.label ?? "?"): \(summary)"
        }
        let lines = summary.sources.map { "  \($0.label): \($0.counts.entries) entries: \($0.counts)" }
        return (["imported \(summary.entries) ledger entries: \(summary)"] + lines).joined(separator: "\n")
    }
}
