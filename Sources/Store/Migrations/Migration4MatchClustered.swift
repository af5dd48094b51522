import GRDB

/// v4: matches in one B-tree clustered on (occurred_at, key_hash) instead of a rowid table with a text
/// primary key and a time index. The id is not stored; it follows from the rule and the members, and
/// key_hash is its FNV-1a 64. Frozen, with its own copy of the hash: the live code may change, what
/// v4 does to an old store may not.
enum Migration4MatchClustered {
    static let identifier = "v4-match-clustered"

    /// FNV-1a 64 of the UTF-8 bytes, as v4 shipped it.
    static func fnv1a64(_ text: String) -> Int64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int64(bitPattern: hash)
    }

    static func run(_ db: Database) throws {
        db.add(
            function: DatabaseFunction("payrecon_fnv1a64", argumentCount: 1, pure: true) { values in
                String.fromDatabaseValue(values[0]).map(fnv1a64)
            })
        try db.execute(
            sql: """
                CREATE TABLE match_clustered (
                    occurred_at INTEGER NOT NULL, key_hash INTEGER NOT NULL, run_id INTEGER NOT NULL REFERENCES run(id),
                    rule TEXT NOT NULL, match_key TEXT NOT NULL, order_id TEXT, ledger_entry_ids TEXT NOT NULL, stripe_ids TEXT NOT NULL,
                    currency TEXT NOT NULL, ledger_amount INTEGER NOT NULL, stripe_currency TEXT NOT NULL, stripe_amount INTEGER NOT NULL,
                    content_hash INTEGER NOT NULL, PRIMARY KEY (occurred_at, key_hash)) WITHOUT ROWID;
                -- content_hash 0: the next run of a period rewrites its rows once with the new hash.
                INSERT OR REPLACE INTO match_clustered SELECT occurred_at, payrecon_fnv1a64(id), run_id, rule, match_key, order_id,
                    ledger_entry_ids, stripe_ids, currency, ledger_amount, stripe_currency, stripe_amount, 0 FROM match;
                DROP TABLE match;
                ALTER TABLE match_clustered RENAME TO match;
                """)
    }
}
