import Core
import Foundation
import PaymentsStore

extension PostgresPaymentsStore {
    /// Items handed to one worker at a time: few, so that the lease outlasts their delivery however
    /// slow the SMTP server or the notification service is.
    static let outboxClaim = 8

    /// Hands due items to this worker for a lease, oldest first, skipping those another replica holds:
    /// two replicas never send the same email at once. A replica that dies mid-delivery leaves its items
    /// to be taken again when the lease ends.
    public func dueOutboxItems(at now: Timestamp, limit: Int) throws -> [OutboxItem] {
        try write("claim outbox items") { session in
            try session.rows(
                """
                UPDATE outbox SET next_attempt_at = \(now.microseconds + outboxLeaseMicroseconds)
                WHERE id IN (
                    SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= \(now.microseconds)
                    ORDER BY next_attempt_at, id LIMIT \(Int64(min(limit, Self.outboxClaim))) FOR UPDATE SKIP LOCKED)
                RETURNING *
                """
            ).map(PostgresRecords.outboxItem).sorted { $0.id < $1.id }
        }
    }

    public func outboxItems(order id: OrderID?) throws -> [OutboxItem] {
        try run("read outbox") { session in
            if let id {
                return try session.rows("SELECT * FROM outbox WHERE order_id = \(id.rawValue) ORDER BY id").map(PostgresRecords.outboxItem)
            }
            return try session.rows("SELECT * FROM outbox ORDER BY id").map(PostgresRecords.outboxItem)
        }
    }

    public func markOutboxDelivered(_ id: Int64, at now: Timestamp) throws {
        try write("mark outbox delivered") { session in
            try session.execute(
                """
                UPDATE outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = \(now.microseconds), last_error = NULL
                WHERE id = \(id)
                """)
        }
    }

    public func markOutboxAttemptFailed(_ id: Int64, error: String, retryAt: Timestamp?) throws {
        try write("mark outbox attempt failed") { session in
            try session.execute(
                """
                UPDATE outbox SET attempts = attempts + 1, last_error = \(CardNumberMask.mask(error)),
                  status = \(retryAt == nil ? "failed" : "pending"), next_attempt_at = COALESCE(\(retryAt?.microseconds), next_attempt_at)
                WHERE id = \(id)
                """)
        }
    }
}
