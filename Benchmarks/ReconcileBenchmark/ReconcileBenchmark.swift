import Core
import Foundation
import GRDB
import Reconcile
import SandboxData
import Stages
import Store

/// The reconcile-stage benchmark of the reconciliation issue: a store with N orders (about N charges,
/// N balance transactions and N ledger rows), reconciled over the whole 90-day window. Preparing runs
/// in its own process so that the peak memory reported is the reconcile stage's alone.
enum ReconcileBenchmark {
    static func main(_ arguments: [String]) -> Int32 {
        func value(_ flag: String) -> String? {
            arguments.firstIndex(of: flag).flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
        }
        do {
            switch arguments.first {
            case "prepare":
                guard let db = value("--db"), let orders = value("--orders").flatMap(Int.init) else { return usage() }
                try prepare(orders: orders, seed: value("--seed").flatMap(UInt64.init) ?? 42, db: db)
            case "run":
                guard let db = value("--db") else { return usage() }
                try run(db: db, repeats: value("--repeat").flatMap(Int.init) ?? 1, fresh: arguments.contains("--fresh"))
            case "match":
                guard let db = value("--db") else { return usage() }
                try match(db: db, repeats: value("--repeat").flatMap(Int.init) ?? 5)
            default:
                return usage()
            }
            return 0
        } catch {
            FileHandle.standardError.write(Data("reconcile-bench: \(error)\n".utf8))
            return 2
        }
    }

    static func usage() -> Int32 {
        FileHandle.standardError.write(
            Data(
                "usage: reconcile-bench prepare --orders N --db FILE [--seed S] | run --db FILE [--repeat K] [--fresh] | match --db FILE [--repeat K]\n"
                    .utf8))
        return 64
    }

    static func prepare(orders: Int, seed: UInt64, db: String) throws {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        let clock = ContinuousClock()
        let started = clock.now
        let account = SandboxGenerator.generate(SandboxConfiguration(orders: orders, seed: seed))
        let generated = clock.now
        let store = try PayreconStore(path: db)
        let now = Timestamp(seconds: Int64(Date().timeIntervalSince1970))
        try store.saveStripe(account.stripe, at: now)
        let ledger = try account.ledger.map { row in
            let currency = try Currency(code: row.currency)
            return LedgerEntry(
                entryId: LedgerEntryID(row.entryId), orderId: OrderID(row.orderId), kind: LedgerEntry.Kind(rawValue: row.type)!,
                amount: try Money(decimal: row.amount, currency: currency), stripeId: row.stripeId.isEmpty ? nil : row.stripeId,
                createdAt: ISO8601Time.parse(row.createdAt)!, supplierId: row.supplierId)
        }
        try store.importLedger(ledger, source: "benchmark", at: now)
        try Data("\(account.firstDay) \(account.lastDay) \(account.truth.count)".utf8).write(to: URL(fileURLWithPath: db + ".window"))
        print(
            "prepared \(orders) orders: \(account.stripe.charges.count) charges, \(account.stripe.balanceTransactions.count) balance transactions, "
                + "\(account.stripe.refunds.count) refunds, \(account.ledger.count) ledger rows, \(account.truth.count) planted "
                + "(generate \(generated - started), store \(generated.duration(to: clock.now)))")
    }

    /// The period `prepare` wrote beside the store (first day, last day, planted count), or why there is none.
    static func preparedWindow(_ db: String) throws -> ([String], ReportingPeriod) {
        let path = db + ".window"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw BenchmarkSetupError(description: "\(path) is missing: it is written by `reconcile-bench prepare --db \(db)` beside its store")
        }
        let window = text.split(separator: " ").map(String.init)
        guard window.count == 3 else { throw BenchmarkSetupError(description: "\(path) is not `FIRST LAST PLANTED`") }
        return (window, try ReportingPeriod(from: window[0], to: window[1]))
    }

    /// `fresh`: forget earlier reconciliations first, so round 1 is a period's first run (every match
    /// new) and later rounds are nights that reconcile it again.
    static func run(db: String, repeats: Int, fresh: Bool) throws {
        let (window, period) = try preparedWindow(db)
        if fresh {
            let queue = try DatabaseQueue(path: db)
            try queue.write { db in
                for table in ["match_block", "discrepancy_event", "discrepancy"] { try db.execute(sql: "DELETE FROM \(table)") }
            }
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        }
        let store = try PayreconStore(path: db)
        var stages: [Duration] = []
        for round in 1...max(1, repeats) {
            let clock = ContinuousClock()
            let started = clock.now
            let (result, timings) = try ReconcileStage(store: store).run(
                period: period, options: .init(),
                now: Timestamp(seconds: Int64(Date().timeIntervalSince1970)))
            let total = started.duration(to: clock.now)
            stages.append(total)
            print(
                "round \(round): reconcile stage \(seconds(total)) s (load \(seconds(timings.load)) s, match \(seconds(timings.match)) s, "
                    + "write \(seconds(timings.write)) s); \(result.matches.count) matches, \(result.discrepancies.count) discrepancies "
                    + "(planted \(window[2])); peak RSS \(peakResidentMiB()) MiB")
        }
        if stages.count > 2 {
            let again = stages.dropFirst().sorted()
            print(
                "round 1 \(seconds(stages[0])) s; rounds 2-\(stages.count): median \(seconds(again[again.count / 2])) s "
                    + "(\(seconds(again.first!))-\(seconds(again.last!)) s); peak RSS \(peakResidentMiB()) MiB")
        }
        // What the report stage reads: every stored match of the period, unfolded from its slot's JSON.
        let clock = ContinuousClock()
        let started = clock.now
        let stored = try store.matches(from: period.start, to: period.end)
        print("read back: \(stored.count) stored matches in \(seconds(started.duration(to: clock.now))) s (outside the stage)")
    }

    /// Matching alone, on facts loaded once: this VM's timings vary by ±15 % from run to run, so a
    /// change to the matcher is judged by the median of several rounds over the same input.
    static func match(db: String, repeats: Int) throws {
        let (window, period) = try preparedWindow(db)
        let store = try PayreconStore(path: db)
        let options = ReconcileStage.Options()
        let loadStart = ContinuousClock.now
        let loadCPU = cpuSeconds()
        let facts = try store.loadFacts(
            from: period.start.adding(seconds: -options.marginSeconds), to: period.end.adding(seconds: options.marginSeconds))
        let parameters = ReconcileParameters(
            periodStart: period.start, periodEnd: period.end, feeSchedule: options.feeSchedule,
            matchWindowSeconds: options.matchWindowSeconds, now: Timestamp(seconds: Int64(Date().timeIntervalSince1970)),
            settlementWindowSeconds: options.settlementWindowSeconds)
        // The load's own peak: the first load of a process, so fresh memory is faulted in as in a nightly run.
        // CPU seconds of all threads as well: on two cores the load is bound by it, and it varies less than wall time.
        print(
            "load \(seconds(loadStart.duration(to: .now))) s, \(String(format: "%.2f", cpuSeconds() - loadCPU)) s of CPU; "
                + "peak RSS after loading \(peakResidentMiB()) MiB")
        var times: [Duration] = []
        for round in 1...max(1, repeats) {
            let clock = ContinuousClock()
            let started = clock.now
            let result = Reconciler.reconcile(facts, parameters)
            times.append(started.duration(to: clock.now))
            print("match round \(round): \(seconds(times.last!)) s; \(result.matches.count) matches, \(result.discrepancies.count) discrepancies")
        }
        print("match median \(seconds(times.sorted()[times.count / 2])) s over \(times.count) rounds; peak RSS \(peakResidentMiB()) MiB")
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.2f", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }

    /// User and system CPU time of this process so far, all threads.
    static func cpuSeconds() -> Double {
        let usage = resourceUsage()
        let time = { (t: timeval) in Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return time(usage.ru_utime) + time(usage.ru_stime)
    }

    /// Peak resident set size of this process (Linux reports ru_maxrss in KiB).
    static func peakResidentMiB() -> Int { resourceUsage().ru_maxrss / 1024 }

    private static func resourceUsage() -> rusage {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage
    }
}

struct BenchmarkSetupError: Error, CustomStringConvertible {
    let description: String
}
