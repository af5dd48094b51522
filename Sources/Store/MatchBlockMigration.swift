import Core
import GRDB

/// Migration v6: matches move from a row each (`match`, clustered on occurred_at and key_hash) to a row
/// per 15-minute slot (`match_block`, see `MatchWriter` for why), and `match` becomes a view that shows
/// them as before, one row per match.
enum MatchBlockMigration {
    static func run(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE match_block (
                slot_start INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES run(id), match_count INTEGER NOT NULL,
                content_hash INTEGER NOT NULL, matches TEXT NOT NULL);
            """)
        let insert = try db.makeStatement(sql: """
            INSERT INTO match_block (slot_start, run_id, match_count, content_hash, matches) VALUES (?, ?, ?, ?, ?)
            """)
        var slot: Int64?
        var matches: [Match] = []
        var newestRun: Int64 = 0
        // A slot's row names the newest run among those that wrote its matches.
        func flush() throws {
            guard let slot, !matches.isEmpty else { return }
            let list = MatchList(matches)
            var text = ByteBuffer()
            var first = true
            MatchJSON.Source.with(list) { MatchJSON.append(list.records, of: $0, first: &first, to: &text) }
            MatchJSON.close(&text)
            let contentHash = text.withUnsafeBytes { MatchSlot.contentHash($0) }
            let json = text.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
            try insert.execute(arguments: [slot, newestRun, list.count, contentHash, json])
        }
        let rows = try Row.fetchCursor(db, sql: """
            SELECT occurred_at, run_id, rule, match_key, order_id, ledger_entry_ids, stripe_ids, currency, ledger_amount,
              stripe_currency, stripe_amount FROM match ORDER BY occurred_at, key_hash
            """)
        while let row = try rows.next() {
            let occurredAt: Int64 = row["occurred_at"]
            if slot != MatchSlot.start(of: occurredAt) {
                try flush()
                slot = MatchSlot.start(of: occurredAt)
                matches = []
                newestRun = 0
            }
            newestRun = max(newestRun, row["run_id"])
            // Before v6 a row joined its ids with spaces.
            matches.append(Match(rule: Match.Rule(rawValue: row["rule"]) ?? .stripeId, key: row["match_key"], orderId: row["order_id"],
                                 ledgerEntryIds: (row["ledger_entry_ids"] as String).split(separator: " ").map(String.init),
                                 stripeIds: (row["stripe_ids"] as String).split(separator: " ").map(String.init),
                                 ledgerAmount: Money(minorUnits: row["ledger_amount"], currency: try PayreconStore.currency(row, "currency")),
                                 stripeAmount: Money(minorUnits: row["stripe_amount"], currency: try PayreconStore.currency(row, "stripe_currency")),
                                 occurredAt: Timestamp(microseconds: occurredAt)))
        }
        try flush()
        try db.execute(sql: """
            DROP TABLE match;
            -- One row per match, as the table before v6 had them. The id lists are JSON arrays.
            CREATE VIEW match AS
              SELECT json_extract(m.value, '$[0]') AS occurred_at, b.run_id AS run_id, json_extract(m.value, '$[1]') AS rule,
                json_extract(m.value, '$[2]') AS match_key, json_extract(m.value, '$[3]') AS order_id,
                json_extract(m.value, '$[4]') AS ledger_entry_ids, json_extract(m.value, '$[5]') AS stripe_ids,
                json_extract(m.value, '$[6]') AS currency, json_extract(m.value, '$[7]') AS ledger_amount,
                json_extract(m.value, '$[8]') AS stripe_currency, json_extract(m.value, '$[9]') AS stripe_amount
              FROM match_block AS b, json_each(b.matches) AS m;
            """)
    }
}
