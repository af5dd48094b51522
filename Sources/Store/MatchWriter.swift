import Core
import Dispatch
import GRDB

/// Writes a run's matches of a period: the reconcile stage's largest write (about a million rows at a
/// million orders). What keeps it fast:
/// - The table is clustered on (occurred_at, key_hash) and has no other index: one B-tree, grown at
///   its end, instead of a table, a text primary key and a time index.
/// - Unchanged matches are not written again: each row keeps a hash of its content, and the stored
///   keys are merged with the run's, both in key order, so a second night writes only what changed.
/// - Two threads: a planner hashes the run's matches, merges them with the stored keys and lays out
///   the rows to write (`MatchRows`), while this thread, which holds the connection, only binds and
///   steps. New rows go in multi-row INSERTs bound without copies.
struct MatchWriter {
    let db: Database

    struct Counts: Equatable, Sendable { var written = 0, unchanged = 0, removed = 0 }

    struct Stored: Sendable { let occurredAt: Int64, keyHash: Int64, contentHash: Int64 }

    /// New rows go in multi-row INSERTs of this many: SQLite's cost per statement (cursor opened and
    /// positioned from the root, statement set up) is then paid once per batch, not once per row.
    static let batchRows = 32

    func replaceMatches(of start: Timestamp, _ end: Timestamp, with list: MatchList, runId: Int64) throws -> Counts {
        let storedKeys = Handoff<[Stored]>(capacity: 1)
        let plan = Handoff<MatchWritePlanner.Block>(capacity: 4)
        // If this thread leaves early (an SQLite error), the planner's next `put` fails and it stops.
        defer { plan.cancel(); storedKeys.cancel() }
        DispatchQueue.global(qos: .userInitiated).async {
            MatchWritePlanner(list: list, runId: runId).run(storedKeys: storedKeys, into: plan)
        }
        _ = storedKeys.put(try stored(start, end))
        storedKeys.finish()

        func insertStatement(_ verb: String, rows: Int) throws -> RawStatement {
            try RawStatement(db, "\(verb) INTO match \(MatchRows.columns) VALUES "
                             + Array(repeating: "(?,?,?,?,?,?,?,?,?,?,?,?,?)", count: rows).joined(separator: ","))
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

        var counts = Counts()
        while let block = plan.take() {
            if let failure = block.failure { throw failure }
            for row in block.removed {
                delete.bind(1, row.occurredAt)
                delete.bind(2, row.keyHash)
                try delete.step()
            }
            for k in 0..<block.changed.count { try block.changed.bindAndStep(rows: k..<k + 1, replaceOne) }
            var k = 0
            while k + Self.batchRows <= block.new.count {
                try block.new.bindAndStep(rows: k..<k + Self.batchRows, insertBatch)
                k += Self.batchRows
            }
            for tail in k..<block.new.count { try block.new.bindAndStep(rows: tail..<tail + 1, insertOne) }
            counts.written += block.changed.count + block.new.count
            counts.unchanged += block.unchanged
            counts.removed += block.removed.count
        }
        return counts
    }

    /// Keys and content hashes of the matches stored for the period, in key order.
    func stored(_ start: Timestamp, _ end: Timestamp) throws -> [Stored] {
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
        list.withKeyBytes(r) { FNV.mix($0, into: &hash) }
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
