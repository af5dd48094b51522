import Core
import Foundation
import GRDB
import Store

extension PayreconStore {
    /// Pending items whose next attempt is due, oldest first.
    public func dueOutboxItems(at now: Timestamp, limit: Int) throws(StoreError) -> [OutboxItem] {
        try read("read outbox") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?
                    """, arguments: [now.microseconds, limit]
            ).map(Self.outboxItem)
        }
    }

    public func outboxItems(order id: OrderID?) throws(StoreError) -> [OutboxItem] {
        try read("read outbox") { db in
            if let id {
                return try Row.fetchAll(db, sql: "SELECT * FROM outbox WHERE order_id = ? ORDER BY id", arguments: [id.rawValue]).map(Self.outboxItem)
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY id").map(Self.outboxItem)
        }
    }

    public func markOutboxDelivered(_ id: Int64, at now: Timestamp) throws(StoreError) {
        try write("mark outbox delivered") { db in
            try db.execute(
                sql: """
                    UPDATE outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = ?, last_error = NULL WHERE id = ?
                    """, arguments: [now.microseconds, id])
        }
    }

    /// Records a failed attempt: tried again at `retryAt`, or given up on (`failed`) when nil.
    public func markOutboxAttemptFailed(_ id: Int64, error: String, retryAt: Timestamp?) throws(StoreError) {
        try write("mark outbox attempt failed") { db in
            try db.execute(
                sql: """
                    UPDATE outbox SET attempts = attempts + 1, last_error = ?, status = ?, next_attempt_at = COALESCE(?, next_attempt_at)
                    WHERE id = ?
                    """, arguments: [CardNumberMask.mask(error), retryAt == nil ? "failed" : "pending", retryAt?.microseconds, id])
        }
    }

    static func outboxItem(_ row: Row) -> OutboxItem {
        OutboxItem(
            id: row["id"], channel: OutboxItem.Channel(rawValue: row["channel"]) ?? .email, dedupeKey: row["dedupe_key"],
            orderId: (row["order_id"] as String?).map { OrderID($0) }, payload: [UInt8](row["payload"] as Data),
            status: OutboxItem.Status(rawValue: row["status"]) ?? .pending, attempts: row["attempts"],
            nextAttemptAt: Timestamp(microseconds: row["next_attempt_at"]), lastError: row["last_error"],
            deliveredAt: (row["delivered_at"] as Int64?).map { Timestamp(microseconds: $0) })
    }
}
