import Core
import Foundation
import GRDB
@testable import Store
import Testing
import TestSupport

@Suite struct MatchMigrationTests {
    @Test func matchesStoredBeforeTheClusteredTableReadBackTheSame() throws {
        let path = TestScratch.directory.appendingPathComponent("migrate-\(UUID().uuidString).sqlite").path
        let match = Match(rule: .metadataOrderId, key: "ord_7", orderId: "ord_7", ledgerEntryIds: ["L7a", "L7b"], stripeIds: ["ch_7"],
                          ledgerAmount: Money(minorUnits: 700, currency: .eur), stripeAmount: Money(minorUnits: 700, currency: .eur),
                          occurredAt: Timestamp(seconds: 1_790_000_000))
        do {
            let queue = try DatabaseQueue(path: path)
            try Schema.migrator.migrate(queue, upTo: "v3-match-content-hash")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO run (stage, started_at, status, parameters) VALUES ('reconcile', 0, 'succeeded', '')")
                try db.execute(sql: """
                    INSERT INTO match (id, run_id, rule, match_key, order_id, ledger_entry_ids, stripe_ids, currency, ledger_amount,
                      stripe_currency, stripe_amount, occurred_at, content_hash) VALUES (?, 1, 'metadata_order_id', 'ord_7', 'ord_7',
                      'L7a L7b', 'ch_7', 'EUR', 700, 'EUR', 700, ?, 99)
                    """, arguments: [match.id, match.occurredAt.microseconds])
            }
        }
        let store = try PayreconStore(path: path)
        let window = (Timestamp(seconds: 1_789_999_999), Timestamp(seconds: 1_790_000_001))
        #expect(try store.matches(from: window.0, to: window.1) == [match])
        let keyHash = try store.queue.read { db in try Int64.fetchOne(db, sql: "SELECT key_hash FROM match") }
        #expect(keyHash == match.keyHash)
    }
}
