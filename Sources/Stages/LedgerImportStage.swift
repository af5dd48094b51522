import Core
import Extract
import Foundation
import Store

/// Imports a ledger file, all or nothing, as one recorded run.
public struct LedgerImportStage {
    public let runner: StageRunner

    public init(runner: StageRunner) { self.runner = runner }

    /// The number of entries imported.
    public func run(path: String, mapping: ColumnMapping) throws -> Int {
        try runner.run("ledger_import", parameters: "source=\(path)") { _ in
            guard let data = FileManager.default.contents(atPath: path) else {
                throw LedgerImportError(diagnostics: [Diagnostic(file: path, message: "cannot read the file")])
            }
            let entries = try LedgerParser(fileName: path, mapping: mapping).parse([UInt8](data))
            try runner.store.importLedger(entries, source: path, at: runner.clock())
            return .init(entries.count, summary: "entries=\(entries.count)")
        }
    }
}
