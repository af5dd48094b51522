import Core
import GRDB
import Store

/// What `reserveRefund` decided.
public enum RefundReservation: Hashable, Sendable {
    /// New request; its amount is now held against the order until Stripe answers.
    case reserved(RefundRequestRecord)
    /// The same request key was used before: its record, unchanged.
    case existing(RefundRequestRecord)
    case exceedsRemaining(remaining: Money)
    case unknownOrder
}

extension PayreconStore {
    /// Reserves a refund of `amount` (nil: all that remains) for `order` under `requestKey`, in
    /// one transaction, so two concurrent requests can never refund more than was paid together.
    public func reserveRefund(
        requestKey: String, order orderId: OrderID, amount: Int64?, reason: String?,
        at now: Timestamp
    ) throws(StoreError) -> RefundReservation {
        try write("reserve refund") { db in
            if let existing = try Self.refundRequest(db, key: requestKey) { return .existing(existing) }
            guard
                let order = try Row.fetchOne(
                    db, sql: "SELECT amount, currency FROM payment_order WHERE order_id = ?",
                    arguments: [orderId.rawValue])
            else { return .unknownOrder }
            let currency = try Self.currency(order, "currency")
            let paid: Int64 = order["amount"]
            let held =
                try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT COALESCE(SUM(amount), 0) FROM payment_refund WHERE order_id = ? AND status IN ('requested', 'pending', 'succeeded')
                        """, arguments: [orderId.rawValue]) ?? 0
            // Refunds made elsewhere (the Dashboard) reach the ledger through webhooks only.
            let elsewhere =
                try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT COALESCE(SUM(amount), 0) FROM ledger_entry WHERE order_id = ? AND type = 'refund'
                        AND (stripe_id IS NULL OR stripe_id NOT IN (SELECT refund_id FROM payment_refund WHERE refund_id IS NOT NULL))
                        """, arguments: [orderId.rawValue]) ?? 0
            let remaining = paid - held - elsewhere
            let wanted = amount ?? remaining
            guard wanted > 0, wanted <= remaining else {
                return .exceedsRemaining(remaining: Money(minorUnits: max(0, remaining), currency: currency))
            }
            try db.execute(
                sql: """
                    INSERT INTO payment_refund (request_key, order_id, amount, currency, reason, status, requested_at)
                    VALUES (?, ?, ?, ?, ?, 'requested', ?)
                    """, arguments: [requestKey, orderId.rawValue, wanted, currency.code, reason, now.microseconds])
            guard let record = try Self.refundRequest(db, key: requestKey) else {
                throw StoreError(operation: "reserve refund", reason: "row vanished")
            }
            return .reserved(record)
        }
    }

    /// Stripe took the request: its refund id and status (pending or succeeded).
    public func refundRequestSent(requestKey: String, refund: RefundID, status: RefundRequestRecord.Status) throws(StoreError) {
        try write("record refund request") { db in
            try db.execute(
                sql: "UPDATE payment_refund SET refund_id = ?, status = ? WHERE request_key = ? AND status = 'requested'",
                arguments: [refund.rawValue, status.rawValue, requestKey])
        }
    }

    /// Stripe refused the request: the reservation is released.
    public func refundRequestFailed(requestKey: String, error: String) throws(StoreError) {
        try write("record refund failure") { db in
            try db.execute(
                sql: "UPDATE payment_refund SET status = 'failed', error = ? WHERE request_key = ?",
                arguments: [CardNumberMask.mask(error), requestKey])
        }
    }

    public func refundRequest(key: String) throws(StoreError) -> RefundRequestRecord? {
        try read("read refund request") { db in try Self.refundRequest(db, key: key) }
    }

    static func refundRequest(_ db: Database, key: String) throws -> RefundRequestRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM payment_refund WHERE request_key = ?", arguments: [key]).map { row in
            RefundRequestRecord(
                requestKey: row["request_key"], orderId: OrderID(row["order_id"] as String),
                amount: Money(minorUnits: row["amount"], currency: try Self.currency(row, "currency")),
                reason: row["reason"], status: RefundRequestRecord.Status(rawValue: row["status"]) ?? .requested,
                refundId: (row["refund_id"] as String?).map { RefundID($0) }, error: row["error"])
        }
    }
}
