import Core
import Store

/// The reconcile stage at the store's edge: load both sides with a margin around the period, match,
/// and write matches and discrepancies back in one transaction, as one recorded run.
public struct ReconcileStage {
    public struct Options: Sendable {
        public var feeSchedule: FeeSchedule
        /// Read on each side of the period, so rows across the edge still match.
        public var marginSeconds: Int64
        public var settlementWindowSeconds: Int64
        public var matchWindowSeconds: Int64

        public init(feeSchedule: FeeSchedule = .standard, marginSeconds: Int64 = 72 * 3_600,
                    settlementWindowSeconds: Int64 = 48 * 3_600, matchWindowSeconds: Int64 = 48 * 3_600) {
            self.feeSchedule = feeSchedule; self.marginSeconds = marginSeconds
            self.settlementWindowSeconds = settlementWindowSeconds; self.matchWindowSeconds = matchWindowSeconds
        }
    }

    /// Where the time went, for the benchmark and the run log.
    public struct Timings: Sendable, CustomStringConvertible {
        public var load: Duration = .zero
        public var match: Duration = .zero
        public var write: Duration = .zero
        public var description: String { "load \(load), match \(match), write \(write)" }
    }

    let store: PayreconStore

    public init(store: PayreconStore) { self.store = store }

    public func run(period: ReportingPeriod, options: Options, now: Timestamp) throws -> (result: ReconcileResult, timings: Timings) {
        var timings = Timings()
        let clock = ContinuousClock()
        let run = try store.startRun(stage: "reconcile", parameters: "period=\(period) margin_s=\(options.marginSeconds)", at: now)
        var started = clock.now
        let loadStart = period.start.adding(seconds: -options.marginSeconds)
        let loadEnd = period.end.adding(seconds: options.marginSeconds)
        let facts = try store.loadFacts(from: loadStart, to: loadEnd)
        let parameters = ReconcileParameters(periodStart: period.start, periodEnd: period.end, feeSchedule: options.feeSchedule,
                                             matchWindowSeconds: options.matchWindowSeconds, now: now,
                                             settlementWindowSeconds: options.settlementWindowSeconds)
        timings.load = started.duration(to: clock.now)
        started = clock.now
        let result = Reconciler.reconcile(facts, parameters)
        timings.match = started.duration(to: clock.now)
        started = clock.now
        try store.saveReconciliation(runId: run, start: period.start, end: period.end, matches: result.matches,
                                     discrepancies: result.discrepancies, pending: result.pending, at: now)
        timings.write = started.duration(to: clock.now)
        try store.finishRun(run, status: "succeeded", summary: "matches=\(result.matches.count) discrepancies="
                            + "\(result.discrepancies.count) pending=\(result.pending.count) (\(timings))", at: now)
        return (result, timings)
    }
}
