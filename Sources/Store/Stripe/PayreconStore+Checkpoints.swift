import Core
import GRDB

extension PayreconStore {
    /// The pull in progress, if any: one checkpoint per list.
    public func extractCheckpoints() throws(StoreError) -> [ExtractCheckpoint] {
        try read("read extraction checkpoints") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM extract_checkpoint ORDER BY window_id").map { row in
                ExtractCheckpoint(
                    windowId: row["window_id"], list: row["list"], object: row["object"], createdGte: row["created_gte"],
                    createdLt: row["created_lt"], cursor: row["cursor"],
                    cursorCreated: row["cursor_created"], pages: row["pages"], objects: row["objects"], maxCreated: row["max_created"],
                    done: row["done"], startedAt: Timestamp(microseconds: row["started_at"]))
            }
        }
    }

    /// A pull writes a million objects into indexes keyed by random ids: with the store's 64 MiB of page
    /// cache most inserts miss it and wait on the disk. A pull's connection keeps `mebibytes` instead
    /// (still inside a pull's memory budget).
    public func widenCache(mebibytes: Int) throws(StoreError) {
        try write("widen the page cache") { db in try db.execute(sql: "PRAGMA cache_size = -\(mebibytes * 1_024)") }
    }

    /// Starts a pull: its windows replace any earlier ones; returned with their ids.
    public func beginPull(_ checkpoints: [ExtractCheckpoint]) throws(StoreError) -> [ExtractCheckpoint] {
        try write("begin a pull") { db in
            try db.execute(sql: "DELETE FROM extract_checkpoint")
            return try checkpoints.map { try Self.insert($0, db) }
        }
    }

    private static func insert(_ c: ExtractCheckpoint, _ db: Database) throws -> ExtractCheckpoint {
        try db.execute(
            sql: """
                INSERT INTO extract_checkpoint (list, object, created_gte, created_lt, cursor, cursor_created, pages, objects, max_created,
                  done, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                c.list, c.object, c.createdGte, c.createdLt, c.cursor, c.cursorCreated, c.pages, c.objects, c.maxCreated, c.done,
                c.startedAt.microseconds,
            ])
        var stored = c
        stored.windowId = db.lastInsertedRowID
        return stored
    }

    /// Splits a window: `kept` (its lower bound raised, its cursor as it was) goes on walking, `split`
    /// (the older part) is added; one transaction, so a kill leaves one or the other.
    public func splitWindow(_ kept: ExtractCheckpoint, _ split: ExtractCheckpoint) throws(StoreError) -> ExtractCheckpoint {
        try write("split a window") { db in
            try db.execute(
                sql: "UPDATE extract_checkpoint SET created_gte = ? WHERE window_id = ?", arguments: [kept.createdGte, kept.windowId])
            return try Self.insert(split, db)
        }
    }

    /// Pages of windows, each with its checkpoint, in one transaction (a page and its checkpoint always
    /// commit together; pages that arrived together share the commit). The page that finishes a list's
    /// last window also moves the list's watermark to the newest object of the pull.
    public func savePages(_ pages: [(data: StripeAccountData, checkpoint: ExtractCheckpoint)], at now: Timestamp) throws(StoreError) {
        try write("save pages") { db in
            for (data, c) in pages {
                try Self.upsertStripe(data, db)
                try db.execute(
                    sql: """
                        UPDATE extract_checkpoint SET cursor = ?, cursor_created = ?, pages = ?, objects = ?, max_created = ?, done = ?
                        WHERE window_id = ?
                        """, arguments: [c.cursor, c.cursorCreated, c.pages, c.objects, c.maxCreated, c.done, c.windowId])
                guard c.done else { continue }
                let open = try Int.fetchOne(db, sql: "SELECT count(*) FROM extract_checkpoint WHERE list = ? AND NOT done", arguments: [c.list]) ?? 0
                if open == 0,
                    let newest = try Int64.fetchOne(db, sql: "SELECT max(max_created) FROM extract_checkpoint WHERE list = ?", arguments: [c.list])
                {
                    try db.execute(
                        sql: """
                            INSERT INTO extract_watermark (object, max_created, extracted_at) VALUES (?, ?, ?)
                            ON CONFLICT(object) DO UPDATE SET max_created = max(max_created, excluded.max_created), extracted_at = excluded.extracted_at
                            """, arguments: [c.object, newest, now.microseconds])
                }
            }
        }
    }

    /// The pull is whole (lists and payout compositions): its checkpoints go.
    public func finishPull() throws(StoreError) {
        try write("finish a pull") { db in try db.execute(sql: "DELETE FROM extract_checkpoint") }
    }

    /// Payouts whose links are due: never fetched, or fetched before the payout's row was written again
    /// (it was pulled again) and it is now completed, failed or canceled: its composition is final.
    public func payoutsToLink() throws(StoreError) -> [PayoutID] {
        try read("read payouts to link") { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT id FROM stripe_payout p WHERE links_fetched IS NULL
                      AND (reconciliation_status = 'completed' OR status IN ('failed', 'canceled')
                        OR NOT EXISTS (SELECT 1 FROM payout_link l WHERE l.payout_id = p.id))
                    ORDER BY id
                    """
            ).map { PayoutID($0) }
        }
    }

    /// Payouts' links (and the transactions they link, when given), marked fetched, in one transaction:
    /// a pull's composition of one payout, or a snapshot's links whose transactions are already stored.
    public func saveLinks(
        _ links: [PayoutID: [BalanceTransactionID]], transactions: [BalanceTransaction] = [], at now: Timestamp
    ) throws(StoreError) {
        try write("save payout links") { db in
            try Self.upsertStripe(StripeAccountData(balanceTransactions: transactions, payoutLinks: links), db)
            for payout in links.keys {
                try db.execute(sql: "UPDATE stripe_payout SET links_fetched = ? WHERE id = ?", arguments: [now.microseconds, payout.rawValue])
            }
        }
    }

    /// Objects older than their list's pull window (`floors`: the window's lower bound per list) that can
    /// still change, which the window does not reach: payouts not yet paid or failed, disputes not closed,
    /// refunds still pending, and the charges whose refunds or disputes were pulled now (their
    /// amount_refunded and disputed moved). By list.
    public func stillChanging(floors: [String: Int64]) throws(StoreError) -> [(list: String, id: String)] {
        try read("find objects that can still change") { db in
            var due: [(String, String)] = []
            let queries: [(String, String)] = [
                ("payouts", "SELECT id FROM stripe_payout WHERE created < ? AND status IN ('pending', 'in_transit') ORDER BY id"),
                (
                    "disputes",
                    """
                    SELECT id FROM stripe_dispute WHERE created < ?
                      AND status IN ('needs_response', 'under_review', 'warning_needs_response', 'warning_under_review') ORDER BY id
                    """
                ),
                ("refunds", "SELECT id FROM stripe_refund WHERE created < ? AND status IN ('pending', 'requires_action') ORDER BY id"),
            ]
            for (list, sql) in queries {
                guard let before = floors[list] else { continue }
                due += try String.fetchAll(db, sql: sql, arguments: [before]).map { (list, $0) }
            }
            guard let before = floors["charges"], let refunds = floors["refunds"], let disputes = floors["disputes"] else { return due }
            due += try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT c.id FROM stripe_charge c
                    WHERE c.created < ? AND c.id IN (
                      SELECT charge_id FROM stripe_refund WHERE created >= ? UNION SELECT charge_id FROM stripe_dispute WHERE created >= ?)
                    ORDER BY c.id
                    """, arguments: [before, refunds, disputes]
            ).map { ("charges", $0) }
            return due
        }
    }
}
