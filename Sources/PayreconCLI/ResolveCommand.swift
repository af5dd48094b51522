import ArgumentParser
import Foundation
import Stages
import Store

struct ResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve", abstract: "Mark a discrepancy resolved, with who and why; its history is kept.")

    @Argument(help: "The discrepancy id, e.g. missing_in_ledger/ch_123 (first column of discrepancies.csv).")
    var id: String
    @Option(name: .long, help: "Why it is resolved.")
    var note: String
    @Option(name: .long, help: "Who resolved it.")
    var by: String
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard !note.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--note must say why") }
        guard !by.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--by must name who") }
    }

    func run() async throws {
        try await failingWithExitCode2 {
            let item = try PayreconStore(path: store.db, create: false).resolve(id: id, note: note, by: by, at: StageClock.now())
            print("\(item.discrepancy.id): \(item.status.rawValue) by \(by)")
        }
    }
}
