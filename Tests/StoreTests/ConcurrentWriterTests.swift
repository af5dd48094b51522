import Core
import Foundation
import GRDB
import TestSupport
import Testing

@testable import Store

/// `payrecon serve` and the nightly stages are separate processes on one store: a write that meets
/// another's transaction must wait its turn, not fail with "database is locked".
@Suite struct ConcurrentWriterTests {
    @Test func aWriteWaitsForAnotherConnectionsTransactionInsteadOfFailing() throws {
        let path = TestScratch.directory.appendingPathComponent("writers-\(UUID().uuidString).sqlite").path
        let nightly = try PayreconStore(path: path)
        let server = try PayreconStore(path: path, durability: .full)
        let now = Timestamp(seconds: 1_790_000_000)
        let holding = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let held = Duration.milliseconds(400)
        DispatchQueue.global().async {
            // A stage's long write transaction (the first reconciliation of a big period takes seconds).
            _ = try? nightly.write("hold") { db in
                try db.execute(sql: "INSERT INTO run (stage, started_at, status, parameters) VALUES ('reconcile', 0, 'running', '')")
                holding.signal()
                Thread.sleep(forTimeInterval: Double(held.components.seconds) + Double(held.components.attoseconds) / 1e18)
            }
            finished.signal()
        }
        holding.wait()
        let clock = ContinuousClock()
        let started = clock.now
        let run = try server.startRun(stage: "webhook", parameters: "", at: now)
        let waited = started.duration(to: clock.now)
        finished.wait()
        // It waited for the other transaction to end (less the time it took to start), then wrote after it.
        #expect(waited >= held - .milliseconds(100))
        #expect(run == 2)
        let stages = try server.read("stages") { db in try String.fetchAll(db, sql: "SELECT stage FROM run ORDER BY id") }
        #expect(stages == ["reconcile", "webhook"])
    }
}
