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
        abstract: "Import a ledger CSV, or the rows of a PostgreSQL query, all or nothing.",
        discussion: """
            Columns: entry_id, order_id, type, amount, currency, stripe_id, created_at, supplier_id (any order; extra columns ignored). \
            With --postgres-query, the query runs in a read-only transaction on the database whose URL is in the environment \
            variable --postgres-url-env names, and returns those columns (amount numeric, created_at timestamptz).
            """)

    @Argument(help: "The ledger CSV file (not with --postgres-query).")
    var file: String?
    @Option(name: .long, help: "A SELECT returning the canonical ledger columns, read from PostgreSQL instead of a file.")
    var postgresQuery: String?
    @Option(name: .long, help: "The environment variable holding the ledger database's postgres:// URL.")
    var postgresUrlEnv: String = "LEDGER_DATABASE_URL"
    @OptionGroup var store: StoreOptions
    @Option(name: .long, help: "JSON column mapping for other layouts.")
    var mapping: String?
    @Flag(name: .long, help: "Accept a file that holds a header and no entries (otherwise that is an error).")
    var allowEmpty = false
    @Option(name: .long, help: "The longest field accepted, in bytes.")
    var maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes

    func validate() throws {
        guard maxFieldBytes >= 64 else { throw ValidationError("--max-field-bytes must be at least 64") }
        guard (file == nil) != (postgresQuery == nil) else { throw ValidationError("give a ledger CSV file or --postgres-query, one of the two") }
        if postgresQuery != nil, mapping != nil { throw ValidationError("--mapping is for CSV files; a query names its columns itself") }
    }

    func run() async throws {
        try await failingWithExitCode2 {
            if let postgresQuery {
                let source = try PostgresLedgerSource(urlEnvironmentVariable: postgresUrlEnv, query: postgresQuery)
                let db = try PayreconStore(path: store.db)
                let summary = try await LedgerImportStage(runner: StageRunner(store: db)).run(postgres: source, allowEmpty: allowEmpty)
                print("imported \(summary.entries) ledger entries from \(source.label): \(summary)")
                return
            }
            let file = file ?? ""
            let columns = try mapping.map(ColumnMapping.load) ?? ColumnMapping(columns: [:])
            let db = try PayreconStore(path: store.db)
            let summary = try LedgerImportStage(runner: StageRunner(store: db))
                .run(path: file, mapping: columns, allowEmpty: allowEmpty, maxFieldBytes: maxFieldBytes)
            print("imported \(summary.entries) ledger entries from \(file): \(summary)")
        }
    }
}
