import Core
import Dispatch
import Extract
import Facts
import Foundation
import Store

/// Imports a ledger file, all or nothing, as one recorded run. The file is parsed on a thread of its own
/// while this one writes the checked entries, chunk by chunk, inside the import's one transaction: at a
/// million rows the two halves take seconds each, and overlap. A problem anywhere in the file rolls
/// the transaction back, so the store is as it was.
public struct LedgerImportStage {
    public let runner: StageRunner
    /// Entries per chunk handed from the parser to the writer.
    static let chunkSize = 8_192

    public init(runner: StageRunner) { self.runner = runner }

    /// What the import did; the run record keeps the same counts.
    public func run(
        path: String, mapping: ColumnMapping, allowEmpty: Bool = false, maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes
    ) throws -> LedgerImportSummary {
        try runner.run("ledger_import", parameters: "source=\(path)") { _ in
            let parser = LedgerParser(fileName: path, mapping: mapping, allowEmpty: allowEmpty, maxFieldBytes: maxFieldBytes)
            let summary = try Self.importPipelined(path, parser: parser, into: runner.store, source: path, at: runner.clock())
            return .init(
                summary, summary: "entries=\(summary.entries) added=\(summary.added) replaced=\(summary.replaced) unchanged=\(summary.unchanged)")
        }
    }

    /// The file is read a chunk at a time by the parser's thread: memory stays flat whatever its size.
    static func importPipelined(_ path: String, parser: LedgerParser, into store: PayreconStore, source: String, at now: Timestamp) throws
        -> LedgerImportSummary
    {
        let chunks = BoundedHandoff<[LedgerEntry]>(capacity: 4)
        let outcome = ReadOutcome()
        let parsing = DispatchGroup()
        DispatchQueue(label: "payrecon.ledger-parser").async(group: parsing) {
            do throws(LedgerImportError) { try parser.parse(fileAt: path, chunkSize: chunkSize) { chunks.put($0) } } catch { outcome.error = error }
            chunks.finish()
        }
        // However the write ends, the parser is stopped and waited for.
        defer {
            chunks.cancel()
            parsing.wait()
        }
        return try store.importLedger(source: source, at: now) { write in
            while let chunk = chunks.take() { try write(chunk) }
            parsing.wait()
            if let error = outcome.error { throw error }
        }
    }
}

/// The reading side's error, handed to the writer: written before the reader finishes the handoff (or
/// leaves its group), read by the writer after that, which orders the two.
final class ReadOutcome: @unchecked Sendable {
    var error: LedgerImportError?
}
