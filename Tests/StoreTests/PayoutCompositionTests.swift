import Core
import Facts
import Foundation
import GRDB
import TestSupport
import Testing

@testable import Store

@Suite struct PayoutCompositionTests {
    static let created: Int64 = 1_790_000_000

    static func transaction(_ id: String, net: Int64, type: BalanceTransactionType = .charge) -> BalanceTransaction {
        BalanceTransaction(
            id: BalanceTransactionID(id), amount: net + 30, currency: .usd, net: net, fee: 30, exchangeRate: nil,
            created: created, availableOn: nil, type: type, reportingCategory: nil, source: nil)
    }

    static func payout(_ id: String, _ amount: Int64, own: String?) -> Payout {
        Payout(
            id: PayoutID(id), amount: amount, currency: .usd, status: .paid, created: created + 86_400, arrivalDate: nil,
            balanceTransaction: own)
    }

    /// The composition the reconciler gets through the store, by payout id.
    static func loaded(_ store: PayreconStore) throws -> [String: ReconcileFacts.PayoutComposition?] {
        let facts = try store.loadFacts(from: Timestamp(seconds: created - 86_400), to: Timestamp(seconds: created + 3 * 86_400))
        return Dictionary(uniqueKeysWithValues: zip(facts.payouts.map(\.id.rawValue), facts.payoutCompositions))
    }

    @Test func keptUpToDateAsLinksPayoutsAndLateTransactionsArrive() throws {
        let store = try PayreconStore(path: TestScratch.directory.appendingPathComponent("composition-\(UUID().uuidString).sqlite").path)
        let now = Timestamp(seconds: Self.created)
        // The payout and its links come first; of its two charges, only one is in the store yet.
        try store.saveStripe(
            StripeAccountData(
                balanceTransactions: [Self.transaction("txn_a", net: 970), Self.transaction("txn_po", net: -1_940, type: .payout)],
                payouts: [Self.payout("po_1", 1_940, own: "txn_po"), Self.payout("po_empty", 5, own: nil)],
                payoutLinks: [PayoutID("po_1"): ["txn_a", "txn_b", "txn_po"]]), at: now)
        #expect(try Self.loaded(store) == ["po_1": .init(links: 3, unknown: 1, net: 970), "po_empty": nil])
        // The late transaction arrives in a later extraction that has nothing else of the payout.
        try store.saveStripe(StripeAccountData(balanceTransactions: [Self.transaction("txn_b", net: 970)]), at: now)
        #expect(try Self.loaded(store)["po_1"] == .init(links: 3, unknown: 0, net: 1_940))
        // A payout row written again (a webhook) keeps what its links say.
        try store.saveStripe(StripeAccountData(payouts: [Self.payout("po_1", 1_940, own: "txn_po")]), at: now)
        #expect(try Self.loaded(store)["po_1"] == .init(links: 3, unknown: 0, net: 1_940))
        // The same numbers as the reconciler computes from the records themselves.
        let records = try store.loadStripe(from: Timestamp(seconds: Self.created - 86_400), to: Timestamp(seconds: Self.created + 3 * 86_400))
        let fromRecords = ReconcileFacts(stripe: records, ledger: [])
        #expect(
            Dictionary(uniqueKeysWithValues: zip(fromRecords.payouts.map(\.id.rawValue), fromRecords.payoutCompositions)) == (try Self.loaded(store)))
    }

    @Test func theMigrationCountsThePayoutsAStoreAlreadyHas() throws {
        let path = TestScratch.directory.appendingPathComponent("composition-migrate-\(UUID().uuidString).sqlite").path
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreMigrations.migrator.migrate(queue, upTo: "v4-match-clustered")
            // A store of the previous version: a payout, its three links, two of its transactions.
            try queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO stripe_payout (id, amount, currency, status, created, balance_transaction) VALUES ('po_1', 1940, 'USD', 'paid', ?, 'txn_po');
                        INSERT INTO stripe_balance_transaction (id, amount, currency, net, fee, created, type) VALUES
                          ('txn_a', 1000, 'USD', 970, 30, ?, 'charge'), ('txn_po', -1940, 'USD', -1940, 0, ?, 'payout');
                        INSERT INTO payout_link (payout_id, balance_transaction_id) VALUES ('po_1', 'txn_a'), ('po_1', 'txn_b'), ('po_1', 'txn_po');
                        """, arguments: [Self.created + 86_400, Self.created, Self.created])
            }
        }
        let store = try PayreconStore(path: path)
        #expect(try Self.loaded(store)["po_1"] == .init(links: 3, unknown: 1, net: 970))
    }
}

@Suite struct MetadataJSONTests {
    /// The metadata column is JSON that SQLite's json_extract and any JSON reader take back as it was.
    @Test func metadataSurvivesQuotesBackslashesControlsAndUnicode() throws {
        let metadata = ["order_id": "o\"1\\2", "memo": "line\nnext\ttab\r\u{1}", "name": "Łódź €", "path": "a/b"]
        let text = try #require(PayreconStore.json(metadata))
        let decoded = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String]
        #expect(decoded == metadata)
        #expect(text.hasPrefix("{\"memo\":"))
        #expect(PayreconStore.json([:]) == nil && PayreconStore.json(nil) == nil)
    }
}

/// `stripe_balance_transaction.payout_id`: the payout a transaction went out in, as the reconciler loads
/// it, whichever of the links and the transaction arrives first.
@Suite struct TransactionPayoutTests {
    typealias Fixture = PayoutCompositionTests

    static func payouts(_ store: PayreconStore) throws -> [String: String] {
        let facts = try store.loadFacts(
            from: Timestamp(seconds: Fixture.created - 86_400), to: Timestamp(seconds: Fixture.created + 3 * 86_400))
        var result: [String: String] = [:]
        for t in facts.transactions where !t.payout.isNone { result[facts.ids.string(t.id)] = facts.ids.string(t.payout) }
        return result
    }

    @Test func linksAndTransactionsInEitherOrderGiveEachTransactionItsPayout() throws {
        let store = try PayreconStore(path: TestScratch.directory.appendingPathComponent("txn-payout-\(UUID().uuidString).sqlite").path)
        let now = Timestamp(seconds: Fixture.created)
        // Links before one of the transactions; the payout's own transaction is not "in" it.
        try store.saveStripe(
            StripeAccountData(
                balanceTransactions: [Fixture.transaction("txn_a", net: 970), Fixture.transaction("txn_po", net: -1_940, type: .payout)],
                payouts: [Fixture.payout("po_2", 1_940, own: "txn_po")], payoutLinks: [PayoutID("po_2"): ["txn_a", "txn_b", "txn_po"]]),
            at: now)
        #expect(try Self.payouts(store) == ["txn_a": "po_2"])
        try store.saveStripe(StripeAccountData(balanceTransactions: [Fixture.transaction("txn_b", net: 970)]), at: now)
        #expect(try Self.payouts(store) == ["txn_a": "po_2", "txn_b": "po_2"])
        // Pulled again (a later night's overlap): the transaction keeps its payout.
        try store.saveStripe(StripeAccountData(balanceTransactions: [Fixture.transaction("txn_a", net: 970)]), at: now)
        #expect(try Self.payouts(store) == ["txn_a": "po_2", "txn_b": "po_2"])
        // A second payout linking txn_b: the smaller id wins, whichever was written first.
        try store.saveStripe(
            StripeAccountData(payouts: [Fixture.payout("po_1", 970, own: nil)], payoutLinks: [PayoutID("po_1"): ["txn_b"]]), at: now)
        try store.saveStripe(
            StripeAccountData(payouts: [Fixture.payout("po_3", 970, own: nil)], payoutLinks: [PayoutID("po_3"): ["txn_a"]]), at: now)
        #expect(try Self.payouts(store) == ["txn_a": "po_2", "txn_b": "po_1"])
        // The records' path (`ReconcileFacts(stripe:ledger:)`) agrees with the store's.
        let records = try store.loadStripe(
            from: Timestamp(seconds: Fixture.created - 86_400), to: Timestamp(seconds: Fixture.created + 3 * 86_400))
        let fromRecords = ReconcileFacts(stripe: records, ledger: [])
        var recordPayouts: [String: String] = [:]
        for t in fromRecords.transactions where !t.payout.isNone {
            recordPayouts[fromRecords.ids.string(t.id)] = fromRecords.ids.string(t.payout)
        }
        #expect(recordPayouts == (try Self.payouts(store)))
    }

    @Test func theMigrationStampsTheTransactionsAStoreAlreadyLinks() throws {
        let path = TestScratch.directory.appendingPathComponent("txn-payout-migrate-\(UUID().uuidString).sqlite").path
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreMigrations.migrator.migrate(queue, upTo: Migration14ExtractCheckpoint.identifier)
            try queue.write { db in
                for (id, type) in [("txn_a", "charge"), ("txn_b", "charge"), ("txn_po", "payout")] {
                    try db.execute(
                        sql: """
                            INSERT INTO stripe_balance_transaction (id, amount, currency, net, fee, created, type) VALUES (?, 1000, 'usd', 970, 30, ?, ?)
                            """, arguments: [id, Fixture.created, type])
                }
                try db.execute(
                    sql:
                        "INSERT INTO stripe_payout (id, amount, currency, status, created, balance_transaction) VALUES ('po_9', 1940, 'usd', 'paid', ?, 'txn_po')",
                    arguments: [Fixture.created])
                for (payout, txn) in [("po_9", "txn_a"), ("po_9", "txn_po"), ("po_8", "txn_b"), ("po_9", "txn_b")] {
                    try db.execute(sql: "INSERT INTO payout_link (payout_id, balance_transaction_id) VALUES (?, ?)", arguments: [payout, txn])
                }
            }
        }
        let store = try PayreconStore(path: path)
        #expect(try Self.payouts(store) == ["txn_a": "po_9", "txn_b": "po_8"])
    }
}
