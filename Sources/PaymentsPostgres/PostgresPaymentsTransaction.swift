import Core
import Foundation
import PaymentsStore
import PostgresNIO

/// What a payments handler may do inside one PostgreSQL transaction (READ COMMITTED): the same
/// writes as the SQLite store's, with the row locks that make them safe beside other replicas.
struct PostgresPaymentsTransaction: PaymentsTransaction {
    let session: PostgresSession
    let now: Timestamp

    func quote(forPaymentIntent id: PaymentIntentID) throws -> StoredQuote? {
        try session.row("SELECT * FROM payment_quote WHERE payment_intent_id = \(id.rawValue)").map(PostgresRecords.storedQuote)
    }

    func quotesAwaitingOrders(_ ids: [PaymentIntentID]) throws -> [PaymentIntentID: StoredQuote] {
        guard !ids.isEmpty else { return [:] }
        let quotes = try session.rows(
            """
            SELECT q.* FROM payment_quote q WHERE q.payment_intent_id = ANY(\(ids.map(\.rawValue))::text[])
            AND NOT EXISTS (SELECT 1 FROM payment_order o WHERE o.payment_intent_id = q.payment_intent_id)
            """
        ).map(PostgresRecords.storedQuote)
        return Dictionary(quotes.compactMap { quote in quote.paymentIntentId.map { ($0, quote) } }) { first, _ in first }
    }

    func quote(id: String) throws -> StoredQuote? {
        try session.row("SELECT * FROM payment_quote WHERE quote_id = \(id)").map(PostgresRecords.storedQuote)
    }

    func appendAudit(_ entry: AuditEntry) throws {
        try session.execute(
            """
            INSERT INTO audit_log (at, actor, action, subject, request_id, before, after, note)
            VALUES (\(entry.at.microseconds), \(entry.actor), \(entry.action), \(entry.subject), \(entry.requestId), \(entry.before),
                    \(entry.after), \(entry.note))
            """)
    }

    func processing(forPaymentIntent id: PaymentIntentID) throws -> ProcessingRecord? {
        try session.row("SELECT * FROM payment_processing WHERE payment_intent_id = \(id.rawValue)").map(PostgresRecords.processing)
    }

    func processing(order id: OrderID) throws -> ProcessingRecord? {
        try session.row("SELECT * FROM payment_processing WHERE order_id = \(id.rawValue) ORDER BY since DESC LIMIT 1").map(
            PostgresRecords.processing)
    }

    @discardableResult
    func markProcessing(_ record: ProcessingRecord) throws -> Bool {
        try session.execute(
            """
            INSERT INTO payment_processing (payment_intent_id, order_id, quote_id, status, payment_method, since, updated_at)
            VALUES (\(record.paymentIntentId.rawValue), \(record.orderId.rawValue), \(record.quoteId), \(record.status.rawValue),
                    \(record.paymentMethod), \(record.since.microseconds), \(record.updatedAt.microseconds))
            ON CONFLICT DO NOTHING
            """) > 0
    }

    @discardableResult
    func endProcessing(_ id: PaymentIntentID, status: ProcessingRecord.Status) throws -> Bool {
        try session.execute(
            """
            UPDATE payment_processing SET status = \(status.rawValue), updated_at = \(now.microseconds)
            WHERE payment_intent_id = \(id.rawValue) AND status = 'processing'
            """) > 0
    }

    func order(_ id: OrderID) throws -> OrderRecord? {
        try session.row("SELECT * FROM payment_order WHERE order_id = \(id.rawValue)").map(PostgresRecords.order)
    }

    func order(forPaymentIntent id: PaymentIntentID) throws -> OrderRecord? {
        try session.row("SELECT * FROM payment_order WHERE payment_intent_id = \(id.rawValue)").map(PostgresRecords.order)
    }

    func order(forCharge id: ChargeID) throws -> OrderRecord? {
        try session.row("SELECT * FROM payment_order WHERE charge_id = \(id.rawValue)").map(PostgresRecords.order)
    }

    /// The kind's sequence row stays locked until this transaction ends, so replicas take numbers one
    /// after the other, and a rolled-back transaction gives its number back: no gaps, no repeats.
    func nextDocumentNumber(_ kind: DocumentRecord.Kind) throws -> String {
        let row = try session.row(
            """
            INSERT INTO document_sequence (kind, last) VALUES (\(kind.rawValue), 1)
            ON CONFLICT (kind) DO UPDATE SET last = document_sequence.last + 1 RETURNING last
            """)
        return kind.number(try row?.int64("last") ?? 1)
    }

    func peekNextDocumentNumber(_ kind: DocumentRecord.Kind) throws -> String {
        let last = try session.row("SELECT last FROM document_sequence WHERE kind = \(kind.rawValue)").map { try $0.int64("last") } ?? 0
        return kind.number(last + 1)
    }

    func insertOrder(_ order: OrderRecord) throws {
        try session.execute(
            """
            INSERT INTO payment_order (order_id, quote_id, payment_intent_id, charge_id, amount, currency, card_brand, card_last4,
                                       paid_at, invoice_number, created_at)
            VALUES (\(order.orderId.rawValue), \(order.quoteId), \(order.paymentIntentId.rawValue), \(order.chargeId?.rawValue),
                    \(order.amount.minorUnits), \(order.amount.currency.code), \(order.cardBrand), \(order.cardLast4),
                    \(order.paidAt.microseconds), \(order.invoiceNumber), \(order.createdAt.microseconds))
            """)
    }

    func recordDocument(_ document: DocumentRecord) throws {
        try session.execute(
            """
            INSERT INTO document (number, kind, order_id, refund_id, currency, total, path, sha256, created_at)
            VALUES (\(document.number), \(document.kind.rawValue), \(document.orderId.rawValue), \(document.refundId?.rawValue),
                    \(document.total.currency.code), \(document.total.minorUnits), \(document.path), \(document.sha256),
                    \(document.createdAt.microseconds))
            """)
    }

    @discardableResult
    func appendLedger(_ entry: LedgerEntry) throws -> Bool {
        try session.execute(
            """
            INSERT INTO ledger_entry (entry_id, order_id, type, amount, amount_major, currency, stripe_id, created_at, supplier_id, booked_at)
            VALUES (\(entry.entryId.rawValue), \(entry.orderId.rawValue), \(entry.kind.rawValue), \(entry.amount.minorUnits),
                    \(entry.amount.decimalString)::numeric, \(entry.amount.currency.code), \(entry.stripeId), \(entry.createdAt.microseconds),
                    \(entry.supplierId), \(now.microseconds))
            ON CONFLICT (entry_id) DO NOTHING
            """) > 0
    }

    func enqueue(_ channel: OutboxItem.Channel, key: String, orderId: OrderID?, payload: [UInt8]) throws {
        try session.execute(
            """
            INSERT INTO outbox (channel, dedupe_key, order_id, payload, status, attempts, next_attempt_at, created_at)
            VALUES (\(channel.rawValue), \(key), \(orderId?.rawValue), \(Data(payload)), 'pending', 0, \(now.microseconds), \(now.microseconds))
            ON CONFLICT (dedupe_key) DO NOTHING
            """)
    }

    func recordPaymentFailure(eventId: EventID, paymentIntent: PaymentIntentID, code: String?, message: String?) throws {
        try session.execute(
            """
            INSERT INTO payment_failure (event_id, payment_intent_id, code, message, at)
            VALUES (\(eventId.rawValue), \(paymentIntent.rawValue), \(code), \(message), \(now.microseconds))
            ON CONFLICT DO NOTHING
            """)
    }

    /// Kept as JSON by id, the newest version winning (the nightly run pulls the objects from Stripe itself).
    func upsertStripe(_ data: StripeAccountData) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var objects: [(id: String, object: String, body: Data)] = []
        for charge in data.charges { objects.append((charge.id.rawValue, "charge", try encoder.encode(charge))) }
        for refund in data.refunds { objects.append((refund.id.rawValue, "refund", try encoder.encode(refund))) }
        for dispute in data.disputes { objects.append((dispute.id.rawValue, "dispute", try encoder.encode(dispute))) }
        for payout in data.payouts { objects.append((payout.id.rawValue, "payout", try encoder.encode(payout))) }
        for object in objects {
            try session.execute(
                """
                INSERT INTO stripe_object (object_id, object, body, updated_at)
                VALUES (\(object.id), \(object.object), \(String(decoding: object.body, as: UTF8.self)), \(now.microseconds))
                ON CONFLICT (object_id) DO UPDATE SET body = EXCLUDED.body, updated_at = EXCLUDED.updated_at
                """)
        }
    }

    func updateRefundRequest(refund: RefundID, status: RefundRequestRecord.Status) throws {
        try session.execute(
            """
            UPDATE payment_refund SET status = \(status.rawValue),
              confirmed_at = CASE WHEN \(status.rawValue) = 'succeeded' THEN \(now.microseconds) ELSE confirmed_at END
            WHERE refund_id = \(refund.rawValue) AND status != 'succeeded'
            """)
    }
}
