import Core
import Facts
import Reconcile
import Store

/// The reconcile stage: load both sides with a margin around the period, match (pure), and write
/// matches and discrepancies back in one transaction, as one recorded run.
public struct ReconcileStage {
    public struct Options: Sendable {
        public var feeSchedule: FeeSchedule
        /// Read on each side of the period, so rows across the edge still match.
        public var marginSeconds: Int64
        public var settlementWindowSeconds: Int64
        public var matchWindowSeconds: Int64

        public init(
            feeSchedule: FeeSchedule = .standard, marginSeconds: Int64 = Defaults.marginHours * 3_600,
            settlementWindowSeconds: Int64 = Defaults.settlementWindowHours * 3_600,
            matchWindowSeconds: Int64 = Defaults.matchWindowHours * 3_600
        ) {
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

    public let runner: StageRunner

    public init(runner: StageRunner) { self.runner = runner }
    public init(store: PayreconStore) { self.init(runner: StageRunner(store: store)) }

    /// `now` is the reconciliation's "now" (what is still pending is judged against it).
    public func run(period: ReportingPeriod, options: Options, now: Timestamp) throws -> (result: ReconcileResult, timings: Timings) {
        let store = runner.store
        return try runner.run("reconcile", parameters: "period=\(period) margin_s=\(options.marginSeconds)") { run in
            try Self.refuseAnUnfinishedPull(store, period, marginSeconds: options.marginSeconds)
            var timings = Timings()
            let clock = ContinuousClock()
            var started = clock.now
            let facts = try store.loadFacts(
                from: period.start.adding(seconds: -options.marginSeconds),
                to: period.end.adding(seconds: options.marginSeconds))
            let parameters = ReconcileParameters(
                periodStart: period.start, periodEnd: period.end, feeSchedule: options.feeSchedule,
                matchWindowSeconds: options.matchWindowSeconds, now: now,
                settlementWindowSeconds: options.settlementWindowSeconds)
            timings.load = started.duration(to: clock.now)
            started = clock.now
            let result = Reconciler.reconcile(facts, parameters)
            timings.match = started.duration(to: clock.now)
            started = clock.now
            try store.saveReconciliation(
                runId: run, start: period.start, end: period.end, matches: result.matches,
                discrepancies: result.discrepancies, pending: result.pending, at: now)
            timings.write = started.duration(to: clock.now)
            return .init(
                (result, timings),
                summary: "matches=\(result.matches.count) discrepancies=\(result.discrepancies.count) "
                    + "pending=\(result.pending.count) (\(timings))")
        }
    }

    public struct UnfinishedPull: Error, CustomStringConvertible {
        public let description: String
    }

    /// A pull that stopped part-way has stored a list only from its newest object down to its cursor: a
    /// period reaching below that would show every charge not yet pulled as missing_in_stripe. Said, and
    /// nothing reconciled, until `extract` has resumed and finished it.
    static func refuseAnUnfinishedPull(_ store: PayreconStore, _ period: ReportingPeriod, marginSeconds: Int64) throws {
        let needed = period.start.seconds - marginSeconds..<period.end.seconds + marginSeconds
        let short = try store.extractCheckpoints().filter { $0.missing?.overlaps(needed) == true }
        guard !short.isEmpty else { return }
        let lists = short.map { c in
            "\(c.list) (\(c.pages) pages in, down to \(c.cursorCreated.map { Timestamp(seconds: $0).iso8601 } ?? "nothing yet"))"
        }
        throw UnfinishedPull(
            description: "the last extract stopped before it covered \(period): \(lists.joined(separator: ", ")); "
                + "run payrecon extract again (it resumes where it stopped), then reconcile")
    }
}
