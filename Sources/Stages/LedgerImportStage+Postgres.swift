import Core
import Dispatch
import Extract
import Facts
import Logging
import Store

extension LedgerImportStage {
    /// Imports the ledger from the marketplace's PostgreSQL, all or nothing, as one recorded run: the
    /// rows are streamed from the query while a thread of its own writes the checked entries, chunk by
    /// chunk, inside the import's one transaction.
    public func run(postgres source: PostgresLedgerSource, allowEmpty: Bool = false, logger: Logger = Logger(label: "payrecon"))
        async throws -> LedgerImportSummary
    {
        let store = runner.store
        let now = runner.clock()
        return try await runner.run("ledger_import", parameters: "source=postgres:\(source.urlEnvironmentVariable)") { _ in
            let chunks = BoundedHandoff<[LedgerEntry]>(capacity: 4)
            let outcome = ReadOutcome()
            async let written: LedgerImportSummary = withCheckedThrowingContinuation { continuation in
                // SQLite blocks, and so does waiting for the next chunk: a thread of its own, not the task pool.
                DispatchQueue(label: "payrecon.ledger-writer").async {
                    do {
                        let summary = try store.importLedger(source: source.label, at: now) { write in
                            while let chunk = chunks.take() { try write(chunk) }
                            if let error = outcome.error { throw error }
                        }
                        continuation.resume(returning: summary)
                    } catch {
                        chunks.cancel()
                        continuation.resume(throwing: error)
                    }
                }
            }
            do throws(LedgerImportError) {
                // `put` waits while the writer is four chunks behind: the query is read no faster than it is stored.
                try await source.read(allowEmpty: allowEmpty, chunkSize: Self.chunkSize, logger: logger) { chunks.put($0) }
            } catch {
                outcome.error = error
            }
            // Written before `finish`, read by the writer after `take` returned nil: the handoff's lock orders them.
            chunks.finish()
            let summary = try await written
            return .init(
                summary, summary: "entries=\(summary.entries) added=\(summary.added) replaced=\(summary.replaced) unchanged=\(summary.unchanged)")
        }
    }
}
