import Core
import Foundation
import GRDB
import SandboxData
import Store
import TestSupport
import Testing

/// An extraction killed with SIGKILL mid-pull keeps every page it committed, a reconcile of the period
/// says the pull is unfinished instead of reporting what was not pulled yet, and the next extract
/// resumes from the checkpoints and ends with exactly the account: nothing twice, nothing missing.
@Suite(.serialized) struct ResumableExtractTests {
    static let orders = 1_000
    static let seed: UInt64 = 11
    static let account = SandboxGenerator.generate(SandboxConfiguration(orders: orders, seed: seed))

    @Test func aPullKilledMidwayResumesToTheWholeAccount() throws {
        let folder = TestScratch.directory.appendingPathComponent("payrecon-resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let db = folder.appendingPathComponent("resume.sqlite").path
        // Slow enough that the pull is still walking its lists when it is killed.
        let (sandbox, port) = try PayreconBinary.startServer([
            "sandbox", "--port", "0", "--orders", "\(Self.orders)", "--seed", "\(Self.seed)",
            "--ledger-out", folder.appendingPathComponent("ledger.csv").path, "--truth-out", folder.appendingPathComponent("t.json").path,
            "--latency-ms", "80",
        ])
        defer { sandbox.terminate(); sandbox.waitUntilExit() }
        let environment = ["STRIPE_API_KEY": "sk_test_resume"]
        let arguments = ["extract", "--db", db, "--api-base", "http://127.0.0.1:\(port)", "--full", "--requests-per-second", "1000"]
        let extract = Process()
        extract.executableURL = URL(fileURLWithPath: PayreconBinary.path)
        extract.arguments = arguments
        extract.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        extract.standardOutput = FileHandle.nullDevice
        extract.standardError = FileHandle.nullDevice
        try extract.run()
        // Kill it once a few pages are in.
        let deadline = Date().addingTimeInterval(60)
        var pages = 0
        while pages < 6, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
            pages = (try? PayreconStore(path: db, create: false).extractCheckpoints().reduce(0) { $0 + $1.pages }) ?? 0
        }
        kill(extract.processIdentifier, SIGKILL)
        extract.waitUntilExit()
        #expect(extract.terminationReason == .uncaughtSignal)

        let store = try PayreconStore(path: db, create: false)
        let stored = try store.extractCheckpoints()
        let storedPages = stored.reduce(0) { $0 + $1.pages }
        #expect(storedPages >= 6 && stored.contains { !$0.done }, "killed after \(storedPages) pages")
        // What the committed pages hold is in the store, each object once.
        let partial = try store.stripeCounts()
        #expect(partial["stripe_balance_transaction", default: 0] + partial["stripe_charge", default: 0] > 0)

        // A reconcile now would call every charge not pulled yet missing: it says so and stops.
        let early = try PayreconBinary.run(["reconcile", "--db", db, "--from", Self.account.firstDay, "--to", Self.account.lastDay])
        #expect(early.status == 2)
        #expect(early.stderr.contains("the last extract stopped before it covered"), "\(early.stderr)")

        let resumed = try PayreconBinary.run(arguments, environment: environment)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("resumed an interrupted pull: \(storedPages) pages were already stored"), "\(resumed.stdout)")
        #expect(try store.extractCheckpoints() == [])
        let stripe = Self.account.stripe
        let counts = try store.stripeCounts()
        #expect(counts["stripe_balance_transaction"] == stripe.balanceTransactions.count)
        #expect(counts["stripe_charge"] == stripe.charges.count)
        #expect(counts["stripe_refund"] == stripe.refunds.count)
        #expect(counts["stripe_dispute"] == stripe.disputes.count)
        #expect(counts["stripe_payout"] == stripe.payouts.count)
        #expect(counts["payout_link"] == stripe.payoutLinks.values.map(\.count).reduce(0, +))
        let loaded = try store.loadStripe(from: Timestamp(seconds: 0), to: Timestamp(seconds: 4_000_000_000))
        #expect(Set(loaded.charges.map(\.id)) == Set(stripe.charges.map(\.id)))
        #expect(Set(loaded.balanceTransactions.map(\.id)) == Set(stripe.balanceTransactions.map(\.id)))
        #expect(loaded.payoutLinks.mapValues(Set.init) == stripe.payoutLinks.mapValues(Set.init))

        let imported = try PayreconBinary.run(["ledger", "import", folder.appendingPathComponent("ledger.csv").path, "--db", db])
        #expect(imported.status == 0, "\(imported.stderr)")
        let reconciled = try PayreconBinary.run(["reconcile", "--db", db, "--from", Self.account.firstDay, "--to", Self.account.lastDay])
        #expect(reconciled.status == 0, "\(reconciled.stderr)")
        #expect(reconciled.stdout.contains("\(Self.account.truth.count) discrepancies"), "\(reconciled.stdout)")
    }

    /// Every Stripe table's rows as text, sorted; the times a run wrote (when links were fetched, when a
    /// watermark moved) left out.
    static func dump(_ db: String) throws -> [String: [String]] {
        let tables = [
            "stripe_balance_transaction": "*", "stripe_charge": "*", "stripe_refund": "*", "stripe_dispute": "*",
            "stripe_payout": "id, amount, currency, status, created, arrival_date, balance_transaction, reconciliation_status",
            "payout_link": "*", "payout_composition": "*", "extract_watermark": "object, max_created",
        ]
        var dump: [String: [String]] = [:]
        let queue = try DatabaseQueue(path: db)
        try queue.read { db in
            for (table, columns) in tables {
                dump[table] = try Row.fetchAll(db, sql: "SELECT \(columns) FROM \(table)").map { "\($0)" }.sorted()
            }
        }
        return dump
    }

    /// Ten pulls killed at random points (the seeds print), each resumed: every table ends as an
    /// uninterrupted pull left it, and the reconcile after it finds the same discrepancies.
    @Test func pullsKilledAtRandomPointsEndAsAnUninterruptedPull() throws {
        let folder = TestScratch.directory.appendingPathComponent("payrecon-kills-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let ledger = folder.appendingPathComponent("ledger.csv").path
        let (sandbox, port) = try PayreconBinary.startServer([
            "sandbox", "--port", "0", "--orders", "600", "--seed", "\(Self.seed)", "--ledger-out", ledger,
            "--truth-out", folder.appendingPathComponent("t.json").path, "--latency-ms", "15", "--fail-rate", "0.02",
        ])
        defer { sandbox.terminate(); sandbox.waitUntilExit() }
        let environment = ["STRIPE_API_KEY": "sk_test_kills"]
        func pull(_ db: String) throws -> [String] {
            ["extract", "--db", db, "--api-base", "http://127.0.0.1:\(port)", "--full", "--requests-per-second", "400", "--concurrency", "6"]
        }
        func reconcile(_ db: String) throws -> Set<String> {
            #expect(try PayreconBinary.run(["ledger", "import", ledger, "--db", db]).status == 0)
            let range = ["--from", "2026-07-03", "--to", "2026-09-30"]
            #expect(try PayreconBinary.run(["reconcile", "--db", db] + range).status == 0)
            let out = folder.appendingPathComponent("report-\(UUID().uuidString)").path
            #expect(try PayreconBinary.run(["report", "--db", db, "--out", out, "--format", "csv"] + range).status == 0)
            let csv = try String(contentsOfFile: out + "/discrepancies.csv", encoding: .utf8)
            return Set(csv.components(separatedBy: "\r\n").dropFirst().compactMap { $0.split(separator: ",").first.map(String.init) })
        }
        let reference = folder.appendingPathComponent("reference.sqlite").path
        #expect(try PayreconBinary.run(try pull(reference), environment: environment).status == 0)
        let expected = try Self.dump(reference)
        let expectedFindings = try reconcile(reference)
        #expect(expected["stripe_charge"]?.isEmpty == false && !expectedFindings.isEmpty)

        var random = SystemRandomNumberGenerator()
        var interrupted = 0
        for run in 0..<10 {
            let seed = UInt64.random(in: 0..<1_000_000, using: &random)
            var generator = SeededRandom(seed: seed)
            // Killed after 0 to 400 ms: before the first page, among the lists, or among the payout links.
            let delay = Double(generator.next() % 400) / 1_000
            let db = folder.appendingPathComponent("killed-\(run).sqlite").path
            let extract = Process()
            extract.executableURL = URL(fileURLWithPath: PayreconBinary.path)
            extract.arguments = try pull(db)
            extract.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            extract.standardOutput = FileHandle.nullDevice
            extract.standardError = FileHandle.nullDevice
            try extract.run()
            Thread.sleep(forTimeInterval: delay)
            kill(extract.processIdentifier, SIGKILL)
            extract.waitUntilExit()
            let stored = (try? PayreconStore(path: db, create: false).extractCheckpoints().reduce(0) { $0 + $1.pages }) ?? 0
            if stored > 0 { interrupted += 1 }
            print("kill run \(run): seed \(seed), SIGKILL after \(Int(delay * 1_000)) ms, \(stored) pages stored")
            let resumed = try PayreconBinary.run(try pull(db), environment: environment)
            #expect(resumed.status == 0, "seed \(seed): \(resumed.stderr)")
            let dump = try Self.dump(db)
            for (table, rows) in expected { #expect(dump[table] == rows, "seed \(seed): \(table)") }
            #expect(try reconcile(db) == expectedFindings, "seed \(seed)")
        }
        // Most kills land mid-pull (the rest before the first page, or after the last).
        #expect(interrupted >= 3)
    }
}
