import Core
import Extract
import Foundation
import Logging
import Reconcile
import Report
import Store
import StripeAPI

/// The stages as functions, shared by the single-stage commands and `demo`.
enum Pipeline {
    static let logger = Logger(label: "payrecon")

    static func extract(store: PayreconStore, apiBase: String, key: APIKey, options: StripeExtractor.Options,
                        requestsPerSecond: Double?) async throws -> StripeExtractor.Summary {
        let client = StripeClient(baseURL: apiBase, apiKey: key, requestsPerSecond: requestsPerSecond, logger: logger)
        let run = try store.startRun(stage: "extract", parameters: "api_base=\(apiBase) full=\(options.full)", at: now())
        do {
            let summary = try await StripeExtractor(client: client, store: store, logger: logger).run(options, now: now())
            try store.finishRun(run, status: "succeeded", summary: "\(summary.counts.sorted { $0.key < $1.key })", at: now())
            return summary
        } catch {
            try? store.finishRun(run, status: "failed", summary: String(describing: error), at: now())
            throw error
        }
    }

    static func importLedger(store: PayreconStore, path: String, mapping: ColumnMapping) throws -> Int {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LedgerImportError(diagnostics: [Diagnostic(file: path, message: "cannot read the file")])
        }
        let entries = try LedgerParser(fileName: path, mapping: mapping).parse([UInt8](data))
        try store.importLedger(entries, source: path, at: now())
        return entries.count
    }

    /// Reconciles a period (see ReconcileStage) and records the outcome.
    static func reconcile(store: PayreconStore, period: ReportingPeriod, feeSchedule: FeeSchedule, marginSeconds: Int64,
                          settlementWindowSeconds: Int64 = 48 * 3_600) throws -> ReconcileResult {
        let options = ReconcileStage.Options(feeSchedule: feeSchedule, marginSeconds: marginSeconds,
                                             settlementWindowSeconds: settlementWindowSeconds)
        return try ReconcileStage(store: store).run(period: period, options: options, now: now()).result
    }

    static func report(store: PayreconStore, period: ReportingPeriod, out: String, formats: Set<ReportWriter.Format>) throws -> [URL] {
        let tables = try ReportBuilder(store: store, period: period, now: now()).tables()
        return try ReportWriter.write(tables, to: URL(fileURLWithPath: out), formats: formats)
    }

    static func loadFeeSchedule(_ path: String?) throws -> FeeSchedule {
        guard let path else { return .standard }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FeeScheduleError(description: "cannot read fee schedule \(path)")
        }
        do { return try JSONDecoder().decode(FeeSchedule.self, from: data) } catch {
            throw FeeScheduleError(description: "\(path): not a fee schedule (see fixtures/fee-schedule.json): \(DecodingProblem.describe(error))")
        }
    }
}
