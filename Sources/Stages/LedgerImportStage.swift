import Core
import Dispatch
import Extract
import Facts
import Store

/// Imports the ledger from its sources (a CSV file, its refunds file, a PostgreSQL query), all or
/// nothing, as one recorded run and one import. The sources are read on the calling task while a
/// thread of its own writes the checked entries, chunk by chunk, inside the import's one
/// transaction: at a million rows the two halves take seconds each, and overlap. A problem anywhere
/// rolls the transaction back, so the store is as it was.
public struct LedgerImportStage {
    public let runner: StageRunner
    /// Entries per chunk handed from the reader to the writer.
    static let chunkSize = 8_192

    public init(runner: StageRunner) { self.runner = runner }

    /// The ledger file alone, canonical or through a column mapping.
    public func run(
        path: String, mapping: ColumnMapping = ColumnMapping(), allowEmpty: Bool = false, maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes
    ) async throws -> LedgerImportSummary {
        try await run([CSVLedgerSource(path: path, mapping: mapping, maxFieldBytes: maxFieldBytes)], allowEmpty: allowEmpty)
    }

    /// What the import did, in all and per source; the run record keeps the same counts. An entry_id is
    /// unique across all the sources. Only the first source (the ledger itself) must hold entries unless
    /// `allowEmpty`: a night without refunds leaves a refunds file with a header only.
    public func run(_ sources: [any LedgerSource], allowEmpty: Bool = false) async throws -> LedgerImportSummary {
        precondition(!sources.isEmpty, "an import reads at least one source")
        let labels = sources.map(\.label)
        let store = runner.store
        let now = runner.clock()
        return try await runner.run("ledger_import", parameters: "source=" + labels.joined(separator: " + ")) { _ in
            let chunks = BoundedHandoff<(source: Int, entries: [LedgerEntry])>(capacity: 4)
            let outcome = ReadOutcome()
            async let written = Self.write(chunks, outcome, labels: labels, into: store, at: now)
            do throws(LedgerImportError) {
                var earlier: [LedgerChecker.Seen] = []
                for (index, source) in sources.enumerated() {
                    var checker = LedgerChecker(
                        source: source.label, mapping: source.mapping, allowEmpty: allowEmpty || index > 0, chunkSize: Self.chunkSize,
                        earlier: earlier)
                    // `put` waits while the writer is four chunks behind: a source is read no faster than it is stored.
                    try await source.read(&checker) { chunks.put((index, $0)) }
                    earlier.append(checker.seenEntries)
                }
            } catch {
                outcome.error = error
            }
            // Written before `finish`, read by the writer after `take` returned nil: the handoff's lock orders them.
            chunks.finish()
            let summary = try await written
            return .init(summary, summary: Self.record(summary))
        }
    }

    /// The writing half, on a thread of its own: SQLite blocks, and so does waiting for the next chunk.
    static func write(
        _ chunks: BoundedHandoff<(source: Int, entries: [LedgerEntry])>, _ outcome: ReadOutcome, labels: [String], into store: PayreconStore,
        at now: Timestamp
    ) async throws -> LedgerImportSummary {
        try await DispatchQueue(label: "payrecon.ledger-writer").run { () throws -> LedgerImportSummary in
            do {
                var counts = [LedgerImportCounts](repeating: LedgerImportCounts(), count: labels.count)
                var summary = try store.importLedger(source: labels.joined(separator: " + "), at: now) { write in
                    while let chunk = chunks.take() { counts[chunk.source] = counts[chunk.source] + (try write(chunk.entries)) }
                    if let error = outcome.error { throw error }
                }
                summary.sources = zip(labels, counts).map { LedgerImportSummary.Source(label: $0, counts: $1) }
                return summary
            } catch {
                chunks.cancel()
                throw error
            }
        }
    }

    /// The run record's summary: the totals, then each source's when there is more than one.
    static func record(_ summary: LedgerImportSummary) -> String {
        let total = "entries=\(summary.entries) \(summary.total.fields)"
        guard summary.sources.count > 1 else { return total }
        return ([total] + summary.sources.map { "\($0.label): entries=\($0.counts.entries) \($0.counts.fields)" }).joined(separator: "; ")
    }
}

/// The reading side's error, handed to the writer: written before the reader finishes the handoff,
/// read by the writer after that, which orders the two.
final class ReadOutcome: @unchecked Sendable {
    var error: LedgerImportError?
}
