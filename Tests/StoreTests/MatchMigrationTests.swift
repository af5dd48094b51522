import Core
import Facts
import Foundation
import GRDB
import TestSupport
import Testing

@testable import Store

@Suite struct MatchMigrationTests {
    static func scratch() -> String { TestScratch.directory.appendingPathComponent("migrate-\(UUID().uuidString).sqlite").path }

    @Test func matchesStoredBeforeTheClusteredTableReadBackTheSame() throws {
        let path = Self.scratch()
        let match = Match(
            rule: .metadataOrderId, key: "ord_7", orderId: "ord_7", ledgerEntryIds: ["L7a", "L7b"], stripeIds: ["ch_7"],
            ledgerAmount: Money(minorUnits: 700, currency: .eur), stripeAmount: Money(minorUnits: 700, currency: .eur),
            occurredAt: Timestamp(seconds: 1_790_000_000))
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreMigrations.migrator.migrate(queue, upTo: "v3-match-content-hash")
            try queue.write { db in
                try db.execute(sql: "INSERT INTO run (stage, started_at, status, parameters) VALUES ('reconcile', 0, 'succeeded', '')")
                try db.execute(
                    sql: """
                        INSERT INTO match (id, run_id, rule, match_key, order_id, ledger_entry_ids, stripe_ids, currency, ledger_amount,
                          stripe_currency, stripe_amount, occurred_at, content_hash) VALUES (?, 1, 'metadata_order_id', 'ord_7', 'ord_7',
                          'L7a L7b', 'ch_7', 'EUR', 700, 'EUR', 700, ?, 99)
                        """, arguments: [match.id, match.occurredAt.microseconds])
            }
        }
        let store = try PayreconStore(path: path)
        let window = (Timestamp(seconds: 1_789_999_999), Timestamp(seconds: 1_790_000_001))
        #expect(try store.matches(from: window.0, to: window.1) == [match])
        let viewed = try store.queue.read { db in try Row.fetchOne(db, sql: "SELECT rule, ledger_entry_ids, run_id FROM match") }
        #expect(viewed?["rule"] == "metadata_order_id")
        #expect(viewed?["ledger_entry_ids"] == #"["L7a","L7b"]"#)
        #expect(viewed?["run_id"] == 1)
    }

    /// v6 folds a row per match into a row per slot: the matches read back as they were, each slot names
    /// the newest run among its matches, and the next run of the period finds every slot unchanged
    /// (the migration's hash is the writer's).
    @Test func rowsPerMatchBecomeSlotsThatTheNextRunLeavesAlone() throws {
        let path = Self.scratch()
        let usd = try Currency(code: "USD")
        let slot: Int64 = 1_789_999_200
        func match(_ n: Int, at seconds: Int64, ledger: [String], stripe: [String]) -> Match {
            Match(
                rule: ledger.count > 1 ? .refundSum : .stripeId, key: .id("k\(n)"), orderId: n == 2 ? nil : "ord_\(n)", ledgerEntryIds: ledger,
                stripeIds: stripe, ledgerAmount: Money(minorUnits: Int64(n), currency: usd),
                stripeAmount: Money(minorUnits: Int64(n), currency: usd), occurredAt: Timestamp(seconds: seconds))
        }
        let matches = [
            match(1, at: slot + 10, ledger: ["L1"], stripe: ["ch_1"]),
            match(2, at: slot + 20, ledger: ["L2a", "L2b"], stripe: ["re_2a", "re_2b"]),
            match(3, at: slot + 900, ledger: ["L3"], stripe: ["ch_3"]),
        ]
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreMigrations.migrator.migrate(queue, upTo: "v5-payout-composition")
            try queue.write { db in
                for _ in 0..<2 {
                    try db.execute(sql: "INSERT INTO run (stage, started_at, status, parameters) VALUES ('reconcile', 0, 'succeeded', '')")
                }
                for (m, run) in zip(matches, [2, 1, 1]) {
                    try db.execute(
                        sql: """
                            INSERT INTO match (occurred_at, key_hash, run_id, rule, match_key, order_id, ledger_entry_ids, stripe_ids, currency,
                              ledger_amount, stripe_currency, stripe_amount, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'USD', ?, 'USD', ?, 5)
                            """,
                        arguments: [
                            m.occurredAt.microseconds, m.keyHash, run, m.rule.rawValue, m.key.id, m.orderId,
                            m.ledgerEntryIds.joined(separator: " "), m.stripeIds.joined(separator: " "),
                            m.ledgerAmount.minorUnits, m.stripeAmount.minorUnits,
                        ])
                }
            }
        }
        let store = try PayreconStore(path: path)
        let (start, end) = (Timestamp(seconds: slot), Timestamp(seconds: slot + 1_800))
        #expect(try store.matches(from: start, to: end) == matches)
        let slots = try store.queue.read { db in
            try Row.fetchAll(db, sql: "SELECT slot_start, run_id, match_count FROM match_block ORDER BY slot_start").map {
                [$0["slot_start"] as Int64, $0["run_id"] as Int64, $0["match_count"] as Int64]
            }
        }
        #expect(slots == [[slot * 1_000_000, 2, 2], [(slot + 900) * 1_000_000, 1, 1]])
        let counts = try store.queue.write { db in
            try MatchWriter(db: db).replaceMatches(of: start, end, with: MatchList(matches), runId: 2)
        }
        #expect(counts == .init(written: 0, unchanged: 2, removed: 0))
    }
}
