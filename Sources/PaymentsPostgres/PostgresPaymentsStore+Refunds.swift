import Core
import PaymentsStore

extension PostgresPaymentsStore {
    /// As the SQLite store's, with the order's row locked first: concurrent requests on any replica
    /// reserve one after the other, and together never more than was paid.
    public func reserveRefund(requestKey: String, order orderId: OrderID, amount: Int64?, reason: String?, at now: Timestamp) throws
        -> RefundReservation
    {
        try write("reserve refund") { session in
            guard let order = try session.row("SELECT amount, currency FROM payment_order WHERE order_id = \(orderId.rawValue) FOR UPDATE") else {
                if let existing = try Self.refundRequest(session, key: requestKey) { return .existing(existing) }
                return .unknownOrder
            }
            if let existing = try Self.refundRequest(session, key: requestKey) { return .existing(existing) }
            let paid = try PostgresRecords.money(order, "amount", "currency")
            let held =
                try session.row(
                    """
                    SELECT COALESCE(SUM(amount), 0)::bigint AS held FROM payment_refund
                    WHERE order_id = \(orderId.rawValue) AND status IN ('requested', 'pending', 'succeeded')
                    """
                ).map { try $0.int64("held") } ?? 0
            // Refunds made elsewhere (the Dashboard) reach the ledger through webhooks only.
            let elsewhere =
                try session.row(
                    """
                    SELECT COALESCE(SUM(amount), 0)::bigint AS elsewhere FROM ledger_entry WHERE order_id = \(orderId.rawValue) AND type = 'refund'
                    AND (stripe_id IS NULL OR stripe_id NOT IN (SELECT refund_id FROM payment_refund WHERE refund_id IS NOT NULL))
                    """
                ).map { try $0.int64("elsewhere") } ?? 0
            let remaining = paid.minorUnits - held - elsewhere
            let wanted = amount ?? remaining
            guard wanted > 0, wanted <= remaining else {
                return .exceedsRemaining(remaining: Money(minorUnits: max(0, remaining), currency: paid.currency))
            }
            try session.execute(
                """
                INSERT INTO payment_refund (request_key, order_id, amount, currency, reason, status, requested_at)
                VALUES (\(requestKey), \(orderId.rawValue), \(wanted), \(paid.currency.code), \(reason), 'requested', \(now.microseconds))
                """)
            guard let record = try Self.refundRequest(session, key: requestKey) else {
                throw PostgresStoreError(operation: "reserve refund", reason: "row vanished")
            }
            return .reserved(record)
        }
    }

    public func refundRequestSent(requestKey: String, refund: RefundID, status: RefundRequestRecord.Status) throws {
        try write("record refund request") { session in
            try session.execute(
                """
                UPDATE payment_refund SET refund_id = \(refund.rawValue), status = \(status.rawValue)
                WHERE request_key = \(requestKey) AND status = 'requested'
                """)
        }
    }

    public func refundRequestFailed(requestKey: String, error: String) throws {
        try write("record refund failure") { session in
            try session.execute(
                "UPDATE payment_refund SET status = 'failed', error = \(CardNumberMask.mask(error)) WHERE request_key = \(requestKey)")
        }
    }

    public func refundRequest(key: String) throws -> RefundRequestRecord? {
        try run("read refund request") { session in try Self.refundRequest(session, key: key) }
    }

    static func refundRequest(_ session: PostgresSession, key: String) throws -> RefundRequestRecord? {
        try session.row("SELECT * FROM payment_refund WHERE request_key = \(key)").map(PostgresRecords.refundRequest)
    }
}
