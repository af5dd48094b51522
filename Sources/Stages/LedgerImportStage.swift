import Core
import Extract
import Foundation
import Store

/// Imports a ledger file, all or nothing, as one recorded run.
public struct LedgerImportStage {
    public let runner: StageRunner

    public init(runner: StageRunner) { self.runner = runner }

    /// What the import did; the run record keeps the same counts.
    public func run(
        path: String, mapping: ColumnMapping, allowEmpty: Bool = false,
        maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes
    ) throws -> LedgerImportSummary {
        try runner.run("ledger_import", parameters: "source=\(path)") { _ in
            guard let data = FileManager.default.contents(atPath: path) else {
                throw LedgerImportError(diagnostics: [Diagnostic(file: path, message: "cannot read the file")])
            }
            let parser = LedgerParser(fileName: path, mapping: mapping, allowEmpty: allowEmpty, maxFieldBytes: maxFieldBytes)
            let entries = try parser.parse([UInt8](data))
            let summary = try runner.store.importLedger(entries, source: path, at: runner.clock())
            return .init(
                summary, summary: "entries=\(entries.count) added=\(summary.added) replaced=\(summary.replaced) unchanged=\(summary.unchanged)")
        }
    }
}
