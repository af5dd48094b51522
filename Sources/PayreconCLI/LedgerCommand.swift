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
        abstract: "Import a ledger CSV, all or nothing.",
        discussion: "Columns: entry_id, order_id, type, amount, currency, stripe_id, created_at, supplier_id (any order; extra columns ignored).")

    @Argument(help: "The ledger CSV file.")
    var file: String
    @OptionGroup var store: StoreOptions
    @Option(name: .long, help: "JSON column mapping for other layouts.")
    var mapping: String?
    @Flag(name: .long, help: "Accept a file that holds a header and no entries (otherwise that is an error).")
    var allowEmpty = false
    @Option(name: .long, help: "The longest field accepted, in bytes.")
    var maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes

    func validate() throws {
        guard maxFieldBytes >= 64 else { throw ValidationError("--max-field-bytes must be at least 64") }
    }

    func run() async throws {
        try await failingWithExitCode2 {
            let columns = try mapping.map(ColumnMapping.load) ?? ColumnMapping(columns: [:])
            let db = try PayreconStore(path: store.db)
            let summary = try LedgerImportStage(runner: StageRunner(store: db))
                .run(path: file, mapping: columns, allowEmpty: allowEmpty, maxFieldBytes: maxFieldBytes)
            print("imported \(summary.entries) ledger entries from \(file): \(summary)")
        }
    }
}
