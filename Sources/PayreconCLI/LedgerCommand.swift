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

    func run() async throws {
        try await failingWithExitCode2 {
            let columns = try mapping.map(ColumnMapping.load) ?? ColumnMapping(columns: [:])
            let db = try PayreconStore(path: store.db)
            let count = try LedgerImportStage(runner: StageRunner(store: db)).run(path: file, mapping: columns)
            print("imported \(count) ledger entries from \(file)")
        }
    }
}
