import GRDB

/// v6: matches move from a row each (`match`, clustered on occurred_at and key_hash) to a row per
/// 15-minute slot (`match_block`, a JSON array of the slot's matches), and `match` becomes a view that
/// shows them as before, one row per match.
///
/// Frozen: the slot arithmetic, the JSON it writes and the slot hash are copies of what v6 shipped
/// (`MatchSlot`, `MatchJSON`), byte for byte, so that a later change to the live writer cannot change
/// what this migration does to an old store. A slot it writes is what the writer of v6 would have
/// written, so the next reconciliation finds it unchanged.
enum Migration6MatchBlocks {
    static let identifier = "v6-match-blocks"
    static let slotMicroseconds: Int64 = 15 * 60 * 1_000_000

    static func slotStart(of time: Int64) -> Int64 {
        let remainder = time % slotMicroseconds
        return remainder < 0 ? time - remainder - slotMicroseconds : time - remainder
    }

    static func run(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE match_block (
                    slot_start INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES run(id), match_count INTEGER NOT NULL,
                    content_hash INTEGER NOT NULL, matches TEXT NOT NULL);
                """)
        let insert = try db.makeStatement(
            sql: """
                INSERT INTO match_block (slot_start, run_id, match_count, content_hash, matches) VALUES (?, ?, ?, ?, ?)
                """)
        var slot: Int64?
        var json: [UInt8] = []
        var count = 0
        var newestRun: Int64 = 0
        // A slot's row names the newest run among those that wrote its matches.
        func flush() throws {
            guard let slot, count > 0 else { return }
            json.append(UInt8(ascii: "]"))
            let hash = json.withUnsafeBytes(contentHash)
            try insert.execute(arguments: [slot, newestRun, count, hash, String(decoding: json, as: UTF8.self)])
        }
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT occurred_at, run_id, rule, match_key, order_id, ledger_entry_ids, stripe_ids, currency, ledger_amount,
                  stripe_currency, stripe_amount FROM match ORDER BY occurred_at, key_hash
                """)
        while let row = try rows.next() {
            let occurredAt: Int64 = row["occurred_at"]
            if slot != slotStart(of: occurredAt) {
                try flush()
                slot = slotStart(of: occurredAt)
                json = []
                count = 0
                newestRun = 0
            }
            newestRun = max(newestRun, row["run_id"])
            json.append(count == 0 ? UInt8(ascii: "[") : UInt8(ascii: ","))
            // Before v6 a row joined its ids with spaces.
            let ledger = (row["ledger_entry_ids"] as String).split(separator: " ").map(String.init)
            let stripe = (row["stripe_ids"] as String).split(separator: " ").map(String.init)
            let order: String? = row["order_id"]
            json += Array("[\(occurredAt as Int64),".utf8)
            appendString(row["rule"], to: &json); json.append(UInt8(ascii: ","))
            appendString(row["match_key"], to: &json); json.append(UInt8(ascii: ","))
            if let order { appendString(order, to: &json) } else { json += Array("null".utf8) }
            json.append(UInt8(ascii: ","))
            appendArray(ledger, to: &json); json.append(UInt8(ascii: ","))
            appendArray(stripe, to: &json); json.append(UInt8(ascii: ","))
            appendString(row["currency"], to: &json)
            json += Array(",\(row["ledger_amount"] as Int64),".utf8)
            appendString(row["stripe_currency"], to: &json)
            json += Array(",\(row["stripe_amount"] as Int64)]".utf8)
            count += 1
        }
        try flush()
        try db.execute(
            sql: """
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

    /// A JSON string as v6 wrote it: quote, backslash and control characters escaped (`\u00xx`), all else as it is.
    static func appendString(_ text: String, to json: inout [UInt8]) {
        json.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            if byte < 0x20 {
                json += Array("\\u00".utf8)
                json.append(hexDigit(byte >> 4)); json.append(hexDigit(byte & 0xf))
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                json.append(UInt8(ascii: "\\")); json.append(byte)
            } else {
                json.append(byte)
            }
        }
        json.append(UInt8(ascii: "\""))
    }

    static func appendArray(_ texts: [String], to json: inout [UInt8]) {
        json.append(UInt8(ascii: "["))
        for (position, text) in texts.enumerated() {
            if position > 0 { json.append(UInt8(ascii: ",")) }
            appendString(text, to: &json)
        }
        json.append(UInt8(ascii: "]"))
    }

    static func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10 }

    /// The slot hash as v6 shipped it (see `MatchSlot.contentHash`).
    static func contentHash(_ bytes: UnsafeRawBufferPointer) -> Int64 {
        let multiplier: UInt64 = 0x9e37_79b9_7f4a_7c15
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            hash = (hash ^ word) &* multiplier
            hash ^= hash >> 32
            offset += 8
        }
        var tail: UInt64 = 0
        for (k, byte) in bytes[offset...].enumerated() { tail |= UInt64(byte) << (8 * UInt64(k)) }
        hash = (hash ^ tail) &* multiplier
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash &*= 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return Int64(bitPattern: hash)
    }
}
