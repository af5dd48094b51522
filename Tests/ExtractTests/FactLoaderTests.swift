import Core
import Extract
import Facts
import Foundation
import GRDB
import SandboxData
import TestSupport
import Testing

@testable import Store

/// The fact loader reads charges and transactions on a second connection when it can. Whether it does
/// must change nothing: not the facts, not the numbers their ids get, and an error on either side
/// must end the load with that error, not hang it.
@Suite struct FactLoaderTests {
    static let account = SandboxGenerator.generate(SandboxConfiguration(orders: 400, seed: 11))
    static let (start, end) = (Timestamp(seconds: 0), Timestamp(seconds: 4_000_000_000))

    static func filledStore() throws -> PayreconStore { try FactsRendering.filledStore(account) }

    /// Every fact with its ids as numbers and as text, in load order.
    static func rendered(_ facts: ReconcileFacts) -> [String] { FactsRendering.lines(facts, numbered: true, sorted: false) }

    /// The loader on GRDB's connection alone.
    static func loadedOnOneConnection(_ store: PayreconStore) throws -> ReconcileFacts {
        try store.read("test") { db in try FactLoader(db: db, start: start, end: end).load() }
    }

    /// Whether a read on the store's queue gets a `SnapshotConnection` beside it, as `loadFacts` does.
    static func secondConnection(_ store: PayreconStore) throws -> Bool {
        try store.read("test") { db in try SnapshotConnection.beside(db, path: store.path) != nil }
    }

    @Test func twoReadersLoadWhatOneReads() throws {
        let store = try Self.filledStore()
        let one = Self.rendered(try Self.loadedOnOneConnection(store))
        #expect(one.count > 1_000)
        #expect(one.contains { $0.hasPrefix("R ") } && one.contains { $0.hasPrefix("T ") } && one.contains { $0.hasPrefix("D ") })
        // Nobody writes: loadFacts, which reads like this, gets its second connection.
        #expect(try Self.secondConnection(store))
        for _ in 0..<3 { #expect(Self.rendered(try store.loadFacts(from: Self.start, to: Self.end)) == one) }
    }

    @Test func whileAnotherProcessWritesTheLoadReadsOnOneConnectionWithoutWaiting() throws {
        let store = try Self.filledStore()
        let expected = Self.rendered(try Self.loadedOnOneConnection(store))
        let writer = try PayreconStore(path: store.path)
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            _ = try? writer.write("hold") { db in
                try db.execute(sql: "INSERT INTO run (stage, started_at, status, parameters) VALUES ('extract', 0, 'running', '')")
                holding.signal()
                release.wait()
            }
            finished.signal()
        }
        holding.wait()
        // The write lock is taken: no second connection can be opened on the same data, so one reads all.
        #expect(try !Self.secondConnection(store))
        let loaded = Self.rendered(try store.loadFacts(from: Self.start, to: Self.end))
        release.signal()
        finished.wait()
        #expect(loaded == expected)
        #expect(try Self.secondConnection(store))
    }

    /// Bad data in a table either reader reads: the load fails with the store's error, and returns.
    @Test(arguments: [
        "UPDATE ledger_entry SET currency = 'U$D' WHERE rowid = 7",
        "UPDATE stripe_charge SET currency = 'U$D' WHERE rowid = 7",
        "UPDATE stripe_balance_transaction SET currency = 'U$D' WHERE rowid = 7",
    ])
    func aBadRowOnEitherConnectionEndsTheLoadWithAnError(_ corruption: String) throws {
        let store = try Self.filledStore()
        try store.write("corrupt") { db in try db.execute(sql: corruption) }
        #expect(throws: (any Error).self) { try store.loadFacts(from: Self.start, to: Self.end) }
        #expect(throws: (any Error).self) { try Self.loadedOnOneConnection(store) }
    }
}
