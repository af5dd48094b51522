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

    static func filledStore() throws -> PayreconStore {
        let store = try PayreconStore(path: TestScratch.directory.appendingPathComponent("facts-\(UUID().uuidString).sqlite").path)
        let now = Timestamp(seconds: 1_800_000_000)
        try store.saveStripe(account.stripe, at: now)
        _ = try store.importLedger(try LedgerParser(fileName: "ledger.csv").parse(Array(account.ledgerCSV().utf8)), source: "test", at: now)
        return store
    }

    /// Every fact with its ids as numbers and as text, in load order.
    static func rendered(_ facts: ReconcileFacts) -> [String] {
        let ids = facts.ids
        func id(_ n: FactID) -> String { "\(n.raw):\(ids.optionalString(n) ?? "-")" }
        let ledger: [String] = facts.ledger.map {
            "L \(id($0.entry)) \(id($0.order)) \(id($0.stripeId)) \($0.kind) \($0.money) \($0.createdAt.value)"
        }
        let charges: [String] = facts.charges.map {
            "C \(id($0.id)) \(id($0.order)) \(id($0.paymentIntent)) \($0.isPayment) \($0.money) \($0.created.value)"
        }
        let refunds: [String] = facts.refunds.map {
            "R \(id($0.id)) \(id($0.charge)) \(id($0.metadataOrder)) \($0.isEffective) \($0.currency) \($0.amount) \($0.created.value)"
        }
        let transactions: [String] = facts.transactions.map {
            "T \(id($0.id)) \(id($0.source)) \(id($0.type)) \($0.currency) \($0.amount) \($0.fee) \($0.net) \($0.created.value)"
        }
        let disputes: [String] = facts.disputes.map { "D \(id($0.id)) \(id($0.charge))" }
        return ledger + charges + refunds + transactions + disputes + ["ids \(ids.count)", "payouts \(facts.payouts.map(\.id.rawValue))"]
    }

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
