import Core
import GRDB

extension PayreconStore {
    /// The pull in progress, if any: one checkpoint per list.
    public func extractCheckpoints() throws(StoreError) -> [ExtractCheckpoint] {
        try read("read extraction checkpoints") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM extract_checkpoint ORDER BY list").map { row in
                ExtractCheckpoint(
                    list: row["list"], object: row["object"], createdGte: row["created_gte"], createdLt: row["created_lt"], cursor: row["cursor"],
                    cursorCreated: row["cursor_created"], pages: row["pages"], objects: row["objects"], maxCreated: row["max_created"],
                    done: row["done"], startedAt: Timestamp(microseconds: row["started_at"]))
            }
        }
    }

    /// Starts a pull: its checkpoints replace any earlier ones.
    public func beginPull(_ checkpoints: [ExtractCheckpoint]) throws(StoreError) {
        try write("begin a pull") { db in
            try db.execute(sql: "DELETE FROM extract_checkpoint")
            for c in checkpoints {
                try db.execute(
                    sql: """
                        INSERT INTO extract_checkpoint (list, object, created_gte, created_lt, cursor, cursor_created, pages, objects, max_created,
                          done, started_at) VALUES (?, ?, ?, ?, NULL, NULL, 0, 0, NULL, 0, ?)
                        """, arguments: [c.list, c.object, c.createdGte, c.createdLt, c.startedAt.microseconds])
            }
        }
    }

    /// One page of a list and its checkpoint, in one transaction; the last page (`checkpoint.done`) also
    /// moves the list's watermark.
    public func savePage(_ data: StripeAccountData, checkpoint c: ExtractCheckpoint, at now: Timestamp) throws(StoreError) {
        try write("save a page") { db in
            try Self.upsertStripe(data, db)
            try db.execute(
                sql: """
                    UPDATE extract_checkpoint SET cursor = ?, cursor_created = ?, pages = ?, objects = ?, max_created = ?, done = ? WHERE list = ?
                    """, arguments: [c.cursor, c.cursorCreated, c.pages, c.objects, c.maxCreated, c.done, c.list])
            if c.done, let newest = c.maxCreated {
                try db.execute(
                    sql: """
                        INSERT INTO extract_watermark (object, max_created, extracted_at) VALUES (?, ?, ?)
                        ON CONFLICT(object) DO UPDATE SET max_created = max(max_created, excluded.max_created), extracted_at = excluded.extracted_at
                        """, arguments: [c.object, newest, now.microseconds])
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

    /// A payout's links and transactions, and that they are fetched, in one transaction.
    public func savePayoutLinks(_ payout: PayoutID, _ transactions: [BalanceTransaction], at now: Timestamp) throws(StoreError) {
        try write("save payout links") { db in
            try Self.upsertStripe(StripeAccountData(balanceTransactions: transactions, payoutLinks: [payout: transactions.map(\.id)]), db)
            try db.execute(sql: "UPDATE stripe_payout SET links_fetched = ? WHERE id = ?", arguments: [now.microseconds, payout.rawValue])
        }
    }
}
