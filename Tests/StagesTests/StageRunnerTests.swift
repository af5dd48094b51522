import Core
import Foundation
import Stages
import Store
import TestSupport
import Testing

@Suite struct StageRunnerTests {
    static func store() throws -> PayreconStore {
        try PayreconStore(path: TestScratch.directory.appendingPathComponent("stages-\(UUID().uuidString).sqlite").path)
    }

    struct Boom: Error, CustomStringConvertible { var description: String { "the load broke" } }

    @Test func aFailingStageLeavesItsRunFailedNotRunning() throws {
        let store = try Self.store()
        let runner = StageRunner(store: store, clock: { Timestamp(seconds: 1_000) })
        #expect(throws: Boom.self) { try runner.run("reconcile", parameters: "p") { _ -> StageRunner.Outcome<Int> in throw Boom() } }
        let value = try runner.run("report", parameters: "q") { _ in .init(7, summary: "files=7") }
        #expect(value == 7)
        let runs = try store.runs()
        #expect(runs.map(\.status) == ["failed", "succeeded"])
        #expect(runs[0].summary == "the load broke")
        #expect(runs[1].summary == "files=7")
        #expect(runs.allSatisfy { $0.finishedAt == Timestamp(seconds: 1_000) })
    }
}
