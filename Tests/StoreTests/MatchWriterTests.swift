import Core
import Foundation
import GRDB
@testable import Store
import Testing
import TestSupport

@Suite struct MatchWriterTests {
    static let usd = try! Currency(code: "USD")

    /// Every fifth match has no order (a NULL column inside a batch insert), every seventh is a group.
    static func match(_ number: Int, amount: Int64 = 1000, at seconds: Int64 = 1_790_000_000) -> Match {
        let group = number % 7 == 0
        return Match(rule: group ? .refundSum : .stripeId, key: "pi_\(number)", orderId: number % 5 == 0 ? nil : "ord_\(number)",
                     ledgerEntryIds: group ? ["L\(number)a", "L\(number)b"] : ["L\(number)"],
                     stripeIds: group ? ["re_\(number)a", "re_\(number)b", "re_\(number)c"] : ["ch_\(number)"],
                     ledgerAmount: Money(minorUnits: amount, currency: usd), stripeAmount: Money(minorUnits: amount, currency: usd),
                     occurredAt: Timestamp(seconds: seconds + Int64(number)))
    }

    @Test func onlyWhatChangedIsWrittenAndWhatVanishedIsRemoved() throws {
        let path = TestScratch.directory.appendingPathComponent("matches-\(UUID().uuidString).sqlite").path
        let store = try PayreconStore(path: path)
        let start = Timestamp(seconds: 1_789_999_000), end = Timestamp(seconds: 1_790_100_000)
        for _ in 1...5 { _ = try store.startRun(stage: "reconcile", parameters: "test", at: start) }
        // More than one batch of new rows (`MatchWriter.batchRows`), and a tail that does not fill one.
        let first = (0..<(2 * MatchWriter.batchRows + 13)).map { Self.match($0) }
        func save(_ matches: [Match], run: Int64) throws -> MatchWriter.Counts {
            try store.queue.write { db in try MatchWriter(db: db).replaceMatches(of: start, end, with: MatchList(matches), runId: run) }
        }
        #expect(try save(first, run: 1) == .init(written: first.count, unchanged: 0, removed: 0))
        #expect(try store.matches(from: start, to: end) == first.sorted { ($0.occurredAt, $0.keyHash) < ($1.occurredAt, $1.keyHash) })
        #expect(try save(first, run: 2) == .init(written: 0, unchanged: first.count, removed: 0))
        var second = first
        second[7] = Self.match(7, amount: 999)
        second.removeLast()
        second.append(Self.match(500))
        #expect(try save(second, run: 3) == .init(written: 2, unchanged: first.count - 2, removed: 1))
        // What is stored reads back as what was saved, unchanged rows keeping the run that recorded them.
        #expect(try store.matches(from: start, to: end) == second.sorted { ($0.occurredAt, $0.keyHash) < ($1.occurredAt, $1.keyHash) })
        let runs = try store.queue.read { db in try Int64.fetchAll(db, sql: "SELECT DISTINCT run_id FROM match ORDER BY run_id") }
        #expect(runs == [1, 3])
        // A match outside the period is never touched.
        let outside = Self.match(1000, at: 1_800_000_000)
        try store.queue.write { db in _ = try MatchWriter(db: db).replaceMatches(of: Timestamp(seconds: 1_800_000_000),
                                                                                 Timestamp(seconds: 1_800_100_000), with: MatchList([outside]), runId: 4) }
        #expect(try save(second, run: 5) == .init(written: 0, unchanged: second.count, removed: 0))
        #expect(try store.matches(from: Timestamp(seconds: 1_800_000_000), to: Timestamp(seconds: 1_800_100_000)) == [outside])
    }

    @Test func aFailedWriteStopsThePlannerAndLeavesNothingBehind() throws {
        let path = TestScratch.directory.appendingPathComponent("matches-\(UUID().uuidString).sqlite").path
        let store = try PayreconStore(path: path)
        let start = Timestamp(seconds: 1_789_999_000), end = Timestamp(seconds: 1_790_100_000)
        let run = try store.startRun(stage: "reconcile", parameters: "test", at: start)
        func save(_ matches: [Match], run: Int64) throws {
            try store.queue.write { db in _ = try MatchWriter(db: db).replaceMatches(of: start, end, with: MatchList(matches), runId: run) }
        }
        // Two matches with one key: the planner's error reaches the writer, and the transaction rolls back.
        #expect(throws: StoreError.self) { try save((0..<100).map { Self.match($0) } + [Self.match(50)], run: run) }
        // SQLite refuses the first batch (no such run): the writer leaves while the planner still has
        // many blocks to hand over; the planner must stop rather than wait for a reader that is gone.
        #expect(throws: (any Error).self) { try save((0..<20_000).map { Self.match($0) }, run: run + 1_000) }
        #expect(try store.matches(from: start, to: end).isEmpty)
        try save((0..<10).map { Self.match($0) }, run: run)
        #expect(try store.matches(from: start, to: end).count == 10)
    }

    @Test func theHashSeesEveryField() {
        let base = Self.match(1)
        let variants = [
            Match(rule: .metadataOrderId, key: base.key, orderId: base.orderId, ledgerEntryIds: base.ledgerEntryIds, stripeIds: base.stripeIds,
                  ledgerAmount: base.ledgerAmount, stripeAmount: base.stripeAmount, occurredAt: base.occurredAt),
            Match(rule: base.rule, key: base.key, orderId: nil, ledgerEntryIds: base.ledgerEntryIds, stripeIds: base.stripeIds,
                  ledgerAmount: base.ledgerAmount, stripeAmount: base.stripeAmount, occurredAt: base.occurredAt),
            Match(rule: base.rule, key: base.key, orderId: base.orderId, ledgerEntryIds: base.ledgerEntryIds, stripeIds: base.stripeIds,
                  ledgerAmount: base.ledgerAmount, stripeAmount: Money(minorUnits: 1000, currency: try! Currency(code: "EUR")),
                  occurredAt: base.occurredAt),
            Match(rule: base.rule, key: base.key, orderId: base.orderId, ledgerEntryIds: base.ledgerEntryIds, stripeIds: base.stripeIds,
                  ledgerAmount: base.ledgerAmount, stripeAmount: base.stripeAmount, occurredAt: base.occurredAt.adding(seconds: 1)),
        ]
        for variant in variants { #expect(MatchWriter.contentHash(variant) != MatchWriter.contentHash(base)) }
        #expect(MatchWriter.contentHash(base) == MatchWriter.contentHash(Self.match(1)))
    }
}
