import Core
import Foundation
import GRDB
import TestSupport
import Testing

@testable import Store

/// A store written by each older version (its schema made by that version's migrations, with a run,
/// a ledger entry and an amount-and-window match as that version stored them) opens, migrates to the
/// same schema as a fresh store, and keeps its data.
@Suite struct OlderStoresMigrateTests {
    static func scratch() -> String { TestScratch.directory.appendingPathComponent("older-\(UUID().uuidString).sqlite").path }

    /// Every table, index and view with its SQL, and every table's columns.
    static func schema(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in
            var lines = try Row.fetchAll(
                db,
                sql: """
                    SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name
                    """
            ).map { "\($0["type"] as String) \($0["name"] as String): \($0["sql"] as String? ?? "")" }
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
                lines += try Row.fetchAll(db, sql: "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?)", arguments: [table])
                    .map { "\(table).\($0["name"] as String) \($0["type"] as String) notnull=\($0["notnull"] as Int) pk=\($0["pk"] as Int)" }
            }
            return lines
        }
    }

    static let slot: Int64 = 1_790_000_100 * 1_000_000 / (15 * 60 * 1_000_000) * (15 * 60 * 1_000_000)
    static let occurredAt = slot + 60_000_000

    /// Writes what version `version` (its first `version` migrations) stored for one run, one ledger
    /// entry and one amount-and-window match ("12.34 USD ±48h" as text, before v8).
    static func writeOlderStore(_ path: String, version: Int) throws {
        let queue = try DatabaseQueue(path: path)
        try StoreMigrations.migrator(upTo: version).migrate(queue)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO run (stage, started_at, status, parameters) VALUES ('reconcile', 0, 'succeeded', '')")
            try db.execute(sql: "INSERT INTO ledger_import (source, imported_at, row_count) VALUES ('l.csv', 0, 1)")
            try db.execute(
                sql: """
                    INSERT INTO ledger_entry (entry_id, order_id, type, amount, currency, stripe_id, created_at, import_id)
                    VALUES ('L1', 'ord_1', 'payment', 1234, 'USD', NULL, ?, 1)
                    """, arguments: [occurredAt])
            let members = ("L1", "ch_1")
            switch version {
            case 1...2:
                try db.execute(
                    sql: """
                        INSERT INTO match (id, run_id, rule, match_key, order_id, ledger_entry_ids, stripe_ids, currency, ledger_amount,
                          stripe_currency, stripe_amount, occurred_at) VALUES ('amount_time_window/L1+ch_1', 1, 'amount_time_window',
                          '12.34 USD ±48h', NULL, ?, ?, 'USD', 1234, 'USD', 1234, ?)
                        """, arguments: [members.0, members.1, occurredAt])
            case 3:
                try db.execute(
                    sql: """
                        INSERT INTO match (id, run_id, rule, match_key, order_id, ledger_entry_ids, stripe_ids, currency, ledger_amount,
                          stripe_currency, stripe_amount, occurred_at, content_hash) VALUES ('amount_time_window/L1+ch_1', 1,
                          'amount_time_window', '12.34 USD ±48h', NULL, ?, ?, 'USD', 1234, 'USD', 1234, ?, 7)
                        """, arguments: [members.0, members.1, occurredAt])
            case 4...5:
                try db.execute(
                    sql: """
                        INSERT INTO match (occurred_at, key_hash, run_id, rule, match_key, order_id, ledger_entry_ids, stripe_ids, currency,
                          ledger_amount, stripe_currency, stripe_amount, content_hash) VALUES (?, 42, 1, 'amount_time_window',
                          '12.34 USD ±48h', NULL, ?, ?, 'USD', 1234, 'USD', 1234, 7)
                        """, arguments: [occurredAt, members.0, members.1])
            case 6...7:
                try db.execute(
                    sql: """
                        INSERT INTO match_block (slot_start, run_id, match_count, content_hash, matches) VALUES (?, 1, 1, 7, ?)
                        """,
                    arguments: [
                        slot, "[[\(occurredAt),\"amount_time_window\",\"12.34 USD ±48h\",null,[\"L1\"],[\"ch_1\"],\"USD\",1234,\"USD\",1234]]",
                    ])
            default:
                // From v8 the key is data.
                try db.execute(
                    sql: "INSERT INTO match_block (slot_start, run_id, match_count, content_hash, matches) VALUES (?, 1, 1, 7, ?)",
                    arguments: [
                        slot, "[[\(occurredAt),\"amount_time_window\",[1234,\"USD\",48],null,[\"L1\"],[\"ch_1\"],\"USD\",1234,\"USD\",1234]]",
                    ])
            }
        }
    }

    @Test func everyOlderVersionMigratesToTheFreshSchemaAndKeepsItsData() throws {
        let fresh = Self.scratch()
        _ = try PayreconStore(path: fresh)
        let expected = try Self.schema(fresh)
        #expect(expected.contains { $0.hasPrefix("view match:") } && expected.contains { $0.hasPrefix("run.process_id ") })
        for version in 1..<StoreMigrations.all.count {
            let path = Self.scratch()
            try Self.writeOlderStore(path, version: version)
            let store = try PayreconStore(path: path)
            #expect(try Self.schema(path) == expected, "store of v\(version)")
            #expect(try store.runs().map(\.status) == ["succeeded"], "store of v\(version)")
            #expect(try store.loadLedger(from: Timestamp(microseconds: 0), to: Timestamp(seconds: 4_000_000_000)).map(\.entryId) == ["L1"])
            let matches = try store.matches(from: Timestamp(microseconds: Self.slot), to: Timestamp(microseconds: Self.slot + 900_000_000))
            #expect(matches.map(\.key) == [.amountWithin(try Money(decimal: "12.34", currency: .usd), hours: 48)], "store of v\(version)")
            #expect(matches.map(\.stripeIds) == [["ch_1"]] && matches.map(\.ledgerEntryIds) == [["L1"]], "store of v\(version)")
        }
    }

    @Test func aStoreThatDoesNotExistIsRefusedWhenNotToBeCreated() throws {
        let path = Self.scratch()
        let error = #expect(throws: StoreError.self) { try PayreconStore(path: path, create: false) }
        #expect(error?.code == .missing)
        #expect(error?.description.contains(path) == true)
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
