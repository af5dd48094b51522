import Core
import GRDB

/// Writes a run's matches of a period: the reconcile stage's largest write (about a million rows at a
/// million orders). What keeps it fast:
/// - The table is clustered on (occurred_at, key_hash) and has no other index: one B-tree, grown at
///   its end, instead of a table, a text primary key and a time index.
/// - Unchanged matches are not written again: each row keeps a hash of its content, and the stored
///   keys are merged with the run's, both in key order, so a second night writes only what changed.
/// - Rows go through one prepared statement bound with the SQLite C API, straight from the run's
///   `IdTable` bytes.
struct MatchWriter {
    let db: Database

    struct Counts: Equatable { var written = 0, unchanged = 0, removed = 0 }

    private struct Stored { let occurredAt: Int64, keyHash: Int64, contentHash: Int64 }

    /// New rows go in multi-row INSERTs of this many: SQLite's cost per statement (cursor opened and
    /// positioned from the root, statement set up) is then paid once per batch, not once per row.
    static let batchRows = 32

    func replaceMatches(of start: Timestamp, _ end: Timestamp, with list: MatchList, runId: Int64) throws -> Counts {
        let previous = try stored(start, end)
        var counts = Counts()
        func insertStatement(_ verb: String, rows: Int) throws -> RawStatement {
            try RawStatement(db, """
                \(verb) INTO match (occurred_at, key_hash, run_id, rule, match_key, order_id, ledger_entry_ids, stripe_ids,
                currency, ledger_amount, stripe_currency, stripe_amount, content_hash) VALUES
                """ + Array(repeating: "(?,?,?,?,?,?,?,?,?,?,?,?,?)", count: rows).joined(separator: ","))
        }
        // A key the period has not stored yet is a plain INSERT; REPLACE (a delete, then an insert, under a
        // statement journal) is only for a stored match whose content changed.
        let insertBatch = try insertStatement("INSERT", rows: Self.batchRows)
        defer { insertBatch.finalize() }
        let insertOne = try insertStatement("INSERT", rows: 1)
        defer { insertOne.finalize() }
        let replaceOne = try insertStatement("INSERT OR REPLACE", rows: 1)
        defer { replaceOne.finalize() }
        let delete = try RawStatement(db, "DELETE FROM match WHERE occurred_at = ? AND key_hash = ?")
        defer { delete.finalize() }
        func remove(_ row: Stored) throws {
            delete.bind(1, row.occurredAt)
            delete.bind(2, row.keyHash)
            try delete.step()
            counts.removed += 1
        }
        var p = 0
        var new = MatchRows(), changed = MatchRows()
        for (position, r) in list.records.enumerated() {
            if position > 0, list.records[position - 1].occurredAt == r.occurredAt, list.records[position - 1].keyHash == r.keyHash {
                throw StoreError(operation: "save matches", reason: "two matches at \(Timestamp(microseconds: r.occurredAt)) share key hash \(r.keyHash)")
            }
            while p < previous.count, (previous[p].occurredAt, previous[p].keyHash) < (r.occurredAt, r.keyHash) {
                try remove(previous[p])
                p += 1
            }
            let hash = Self.contentHash(r, in: list)
            if p < previous.count, previous[p].occurredAt == r.occurredAt, previous[p].keyHash == r.keyHash {
                p += 1
                if previous[p - 1].contentHash == hash { counts.unchanged += 1; continue }
                changed.add(r, of: list, runId: runId, contentHash: hash)
                try changed.write(with: replaceOne)
            } else {
                new.add(r, of: list, runId: runId, contentHash: hash)
                if new.count == Self.batchRows { try new.write(with: insertBatch) }
            }
            counts.written += 1
        }
        while p < previous.count {
            try remove(previous[p])
            p += 1
        }
        while new.count > 0 { try new.writeLast(with: insertOne) }
        return counts
    }

    /// Keys and content hashes of the matches stored for the period, in key order.
    private func stored(_ start: Timestamp, _ end: Timestamp) throws -> [Stored] {
        let select = try RawStatement(db, """
            SELECT occurred_at, key_hash, content_hash FROM match WHERE occurred_at >= ? AND occurred_at < ? ORDER BY occurred_at, key_hash
            """)
        defer { select.finalize() }
        select.bind(1, start.microseconds)
        select.bind(2, end.microseconds)
        var result: [Stored] = []
        while try select.nextRow() { result.append(Stored(occurredAt: select.int64(0), keyHash: select.int64(1), contentHash: select.int64(2))) }
        return result
    }

    /// FNV-1a over every stored field but the run, the same in every process.
    static func contentHash(_ r: MatchList.Record, in list: MatchList) -> Int64 {
        var hash = FNV.offset
        let separator: Int64 = 0x1f
        FNV.mix(r.rule.rawValue, into: &hash)
        FNV.mix(separator, into: &hash)
        if r.key == IdTable.none { FNV.mix(list.key(r), into: &hash) } else { list.ids.mix(r.key, into: &hash) }
        FNV.mix(separator, into: &hash)
        if r.order != IdTable.none { list.ids.mix(r.order, into: &hash) }
        FNV.mix(r.order == IdTable.none ? 0 : separator, into: &hash)
        for id in list.ledgerIds(r) { list.ids.mix(id, into: &hash); FNV.mix(separator, into: &hash) }
        FNV.mix(-1, into: &hash)
        for id in list.stripeIds(r) { list.ids.mix(id, into: &hash); FNV.mix(separator, into: &hash) }
        FNV.mix(r.ledgerCurrency.code, into: &hash); FNV.mix(r.ledgerAmount, into: &hash)
        FNV.mix(r.stripeCurrency.code, into: &hash); FNV.mix(r.stripeAmount, into: &hash)
        FNV.mix(r.occurredAt, into: &hash)
        return Int64(bitPattern: hash)
    }

    static func contentHash(_ match: Match) -> Int64 {
        let list = MatchList([match])
        return contentHash(list.records[0], in: list)
    }
}
