import Core
import Foundation
import Store
import TestSupport
import Testing

/// What the store does when processes meet it in the ways production does: two opening a new store at
/// once, one killed in the middle of its run, one pointed at a file that does not exist.
@Suite struct StoreSafetyTests {
    static func folder() throws -> URL {
        let url = TestScratch.directory.appendingPathComponent("store-safety-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func ledger(in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("ledger.csv").path
        try Data(
            """
            entry_id,order_id,type,amount,currency,stripe_id,created_at
            L1,ord_1,payment,12.34,USD,,2026-09-01T10:00:00Z
            L2,ord_2,payment,5.00,EUR,,2026-09-02T10:00:00Z

            """.utf8
        ).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Before the lock around the migrator, one of the two failed ("table … already exists") in most rounds.
    @Test func twoProcessesCreatingOneStoreAtOnceBothSucceed() throws {
        let folder = try Self.folder()
        let ledger = try Self.ledger(in: folder)
        for round in 0..<8 {
            let db = folder.appendingPathComponent("new-\(round).sqlite").path
            let results = Outcomes()
            DispatchQueue.concurrentPerform(iterations: 2) { _ in
                results.add(try? PayreconBinary.run(["ledger", "import", ledger, "--db", db]))
            }
            for case let outcome? in results.all {
                #expect(outcome.status == 0, "round \(round): \(outcome.stderr)")
            }
            #expect(results.all.count == 2 && results.all.allSatisfy { $0 != nil })
            #expect(try PayreconStore(path: db, create: false).runs().map(\.status) == ["succeeded", "succeeded"])
        }
    }

    /// Two processes' outcomes, collected from two threads.
    final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private var outcomes: [PayreconBinary.Outcome?] = []
        func add(_ outcome: PayreconBinary.Outcome?) { lock.lock(); outcomes.append(outcome); lock.unlock() }
        var all: [PayreconBinary.Outcome?] { lock.lock(); defer { lock.unlock() }; return outcomes }
    }

    @Test func aRunKilledWithSIGKILLIsMarkedAbandonedWhenTheNextRunStarts() throws {
        let folder = try Self.folder()
        let db = folder.appendingPathComponent("killed.sqlite").path
        // A slow sandbox, so the extraction is still running when it is killed.
        let (sandbox, port) = try PayreconBinary.startServer([
            "sandbox", "--port", "0", "--orders", "300", "--seed", "3",
            "--ledger-out", folder.appendingPathComponent("l.csv").path,
            "--truth-out", folder.appendingPathComponent("t.json").path,
            "--latency-ms", "400",
        ])
        defer { sandbox.terminate(); sandbox.waitUntilExit() }
        let extract = Process()
        extract.executableURL = URL(fileURLWithPath: PayreconBinary.path)
        extract.arguments = ["extract", "--db", db, "--api-base", "http://127.0.0.1:\(port)", "--full"]
        extract.environment = ProcessInfo.processInfo.environment.merging(["STRIPE_API_KEY": "sk_test_killed"]) { $1 }
        extract.standardOutput = FileHandle.nullDevice
        extract.standardError = FileHandle.nullDevice
        try extract.run()
        // Wait for its run to be recorded, then kill it where it stands.
        let deadline = Date().addingTimeInterval(30)
        var running = false
        while !running, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            running =
                FileManager.default.fileExists(atPath: db)
                && ((try? PayreconStore(path: db, create: false).runs().contains { $0.status == "running" }) ?? false)
        }
        #expect(running)
        kill(extract.processIdentifier, SIGKILL)
        extract.waitUntilExit()
        #expect(extract.terminationReason == .uncaughtSignal)
        #expect(try PayreconStore(path: db, create: false).runs().map(\.status) == ["running"])

        let next = try PayreconBinary.run(["ledger", "import", try Self.ledger(in: folder), "--db", db])
        #expect(next.status == 0, "\(next.stderr)")
        let runs = try PayreconStore(path: db, create: false).runs()
        #expect(runs.map(\.status) == ["abandoned", "succeeded"])
        #expect(runs.first?.summary?.contains("process \(extract.processIdentifier)") == true)
        #expect(runs.first?.finishedAt != nil)
    }

    @Test func commandsThatOnlyReadRefuseAStoreThatDoesNotExist() throws {
        let typo = try Self.folder().appendingPathComponent("typo.sqlite").path
        let period = ["--from", "2026-09-01", "--to", "2026-09-30"]
        for arguments in [
            ["reconcile", "--db", typo] + period, ["report", "--db", typo, "--out", typo + "-out"] + period,
            ["resolve", "fee_mismatch/txn_1", "--note", "n", "--by", "ana", "--db", typo],
        ] {
            let outcome = try PayreconBinary.run(arguments)
            #expect(outcome.status == 2, "\(arguments[0])")
            #expect(outcome.stderr.contains("no store at \(typo)"), "\(arguments[0]): \(outcome.stderr)")
            #expect(!FileManager.default.fileExists(atPath: typo), "\(arguments[0]) created it")
        }
    }
}
