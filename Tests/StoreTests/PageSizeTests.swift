import Foundation
import GRDB
import TestSupport
import Testing

@testable import Store

@Suite struct PageSizeTests {
    static func scratch() -> String { TestScratch.directory.appendingPathComponent("pages-\(UUID().uuidString).sqlite").path }

    static func pageSize(_ queue: DatabaseQueue) throws -> Int? { try queue.read { try Int.fetchOne($0, sql: "PRAGMA page_size") } }

    @Test func aNewStoreHasSixteenKiBPagesAndAnOlderOneKeepsItsOwn() throws {
        let fresh = try PayreconStore(path: Self.scratch())
        #expect(try Self.pageSize(fresh.queue) == 16_384)

        // A store made before (SQLite's default 4 KiB) opens, migrates and works as it is: changing its
        // page size would take a VACUUM, which is the operator's call (docs/performance.md).
        let olderPath = Self.scratch()
        do {
            let queue = try DatabaseQueue(path: olderPath)
            try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA journal_mode = WAL") }
            try StoreMigrations.migrator.migrate(queue, upTo: "v5-payout-composition")
            #expect(try Self.pageSize(queue) == 4_096)
        }
        let older = try PayreconStore(path: olderPath)
        #expect(try Self.pageSize(older.queue) == 4_096)
        let run = try older.startRun(stage: "reconcile", parameters: "test", at: .init(seconds: 0))
        #expect(run == 1)
    }
}
