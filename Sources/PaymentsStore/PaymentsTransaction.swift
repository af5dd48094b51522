import Core
import Foundation
import GRDB
import Store

/// What a payments handler may do inside one write transaction: everything it writes commits
/// together or not at all (an order, its invoice number, its ledger entry, its outbox items).
struct SQLitePaymentsTransaction: PaymentsTransaction {
    let db: Database
    public let now: Timestamp

    public func quote(forPaymentIntent id: PaymentIntentID) throws -> StoredQuote? {
        try Row.fetchOneCached(db, sql: "SELECT * FROM payment_quote WHERE payment_intent_id = ?", arguments: [id.rawValue])
            .map(PayreconStore.storedQuote)
    }

    public func appendAudit(_ entry: AuditEntry) throws { try PayreconStore.appendAudit(entry, db) }

    /// In one statement: the ids go in as one JSON array parameter (a batch holds hundreds, and a
    /// lookup each kept the store, which acknowledgements also wait for, busy for tens of milliseconds).
    public func quotesAwaitingOrders(_ ids: [PaymentIntentID]) throws -> [PaymentIntentID: StoredQuote] {
        guard !ids.isEmpty else { return [:] }
        let list = String(decoding: try JSONEncoder().encode(ids.map(\.rawValue)), as: UTF8.self)
        let quotes = try Row.fetchAll(
            db,
            sql: """
                SELECT q.* FROM payment_quote q WHERE q.payment_intent_id IN (SELECT value FROM json_each(?))
                AND NOT EXISTS (SELECT 1 FROM payment_order o WHERE o.payment_intent_id = q.payment_intent_id)
                """, arguments: [list]
        ).map(PayreconStore.storedQuote)
        return Dictionary(quotes.compactMap { quote in quote.paymentIntentId.map { ($0, quote) } }) { first, _ in first }
    }

    public func quote(id: String) throws -> StoredQuote? {
        try Row.fetchOneCached(db, sql: "SELECT * FROM payment_quote WHERE quote_id = ?", arguments: [id]).map(PayreconStore.storedQuote)
    }

    public func processing(forPaymentIntent id: PaymentIntentID) throws -> ProcessingRecord? {
        try Row.fetchOneCached(db, sql: "SELECT * FROM payment_processing WHERE payment_intent_id = ?", arguments: [id.rawValue]).map(Self.processing)
    }

    public func processing(order id: OrderID) throws -> ProcessingRecord? {
        try Row.fetchOneCached(db, sql: "SELECT * FROM payment_processing WHERE order_id = ? ORDER BY since DESC LIMIT 1", arguments: [id.rawValue])
            .map(Self.processing)
    }

    @discardableResult
    public func markProcessing(_ record: ProcessingRecord) throws -> Bool {
        try db.executeCached(
            sql: """
                INSERT OR IGNORE INTO payment_processing (payment_intent_id, order_id, quote_id, status, payment_method, since, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                record.paymentIntentId.rawValue, record.orderId.rawValue, record.quoteId, record.status.rawValue, record.paymentMethod,
                record.since.microseconds, record.updatedAt.microseconds,
            ])
        return db.changesCount > 0
    }

    @discardableResult
    public func endProcessing(_ id: PaymentIntentID, status: ProcessingRecord.Status) throws -> Bool {
        try db.executeCached(
            sql: "UPDATE payment_processing SET status = ?, updated_at = ? WHERE payment_intent_id = ? AND status = 'processing'",
            arguments: [status.rawValue, now.microseconds, id.rawValue])
        return db.changesCount > 0
    }

    static func processing(_ row: Row) -> ProcessingRecord {
        ProcessingRecord(
            paymentIntentId: PaymentIntentID(row["payment_intent_id"] as String), orderId: OrderID(row["order_id"] as String),
            quoteId: row["quote_id"], status: ProcessingRecord.Status(rawValue: row["status"]) ?? .processing,
            paymentMethod: row["payment_method"], since: Timestamp(microseconds: row["since"]),
            updatedAt: Timestamp(microseconds: row["updated_at"]))
    }

    public func order(_ id: OrderID) throws -> OrderRecord? { try PayreconStore.order(db, .orderId, id.rawValue) }

    public func order(forPaymentIntent id: PaymentIntentID) throws -> OrderRecord? { try PayreconStore.order(db, .paymentIntent, id.rawValue) }

    public func order(forCharge id: ChargeID) throws -> OrderRecord? { try PayreconStore.order(db, .charge, id.rawValue) }

    /// The next number of `kind`. Taken inside the transaction that records the document, so a
    /// rolled-back order gives its number back and the sequence has no gaps.
    public func nextDocumentNumber(_ kind: DocumentRecord.Kind) throws -> String {
        try db.executeCached(
            sql: """
                INSERT INTO document_sequence (kind, last) VALUES (?, 1) ON CONFLICT(kind) DO UPDATE SET last = last + 1
                """, arguments: [kind.rawValue])
        return kind.number(try lastDocumentNumber(kind) ?? 1)
    }

    /// The number `nextDocumentNumber` would give now (for rendering before the transaction).
    public func peekNextDocumentNumber(_ kind: DocumentRecord.Kind) throws -> String {
        return kind.number((try lastDocumentNumber(kind) ?? 0) + 1)
    }

    private func lastDocumentNumber(_ kind: DocumentRecord.Kind) throws -> Int64? {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT last FROM document_sequence WHERE kind = ?"), arguments: [kind.rawValue])
    }

    public func insertOrder(_ order: OrderRecord) throws {
        try db.executeCached(
            sql: """
                INSERT INTO payment_order (order_id, quote_id, payment_intent_id, charge_id, amount, currency, card_brand, card_last4,
                                           paid_at, invoice_number, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)
                """,
            arguments: [
                order.orderId.rawValue, order.quoteId, order.paymentIntentId.rawValue, order.chargeId?.rawValue,
                order.amount.minorUnits, order.amount.currency.code, order.cardBrand, order.cardLast4,
                order.paidAt.microseconds, order.invoiceNumber, order.createdAt.microseconds,
            ])
    }

    public func recordDocument(_ document: DocumentRecord) throws {
        try db.executeCached(
            sql: """
                INSERT INTO document (number, kind, order_id, refund_id, currency, total, path, sha256, created_at) VALUES (?,?,?,?,?,?,?,?,?)
                """,
            arguments: [
                document.number, document.kind.rawValue, document.orderId.rawValue, document.refundId?.rawValue,
                document.total.currency.code, document.total.minorUnits, document.path, document.sha256,
                document.createdAt.microseconds,
            ])
    }

    /// Appends a ledger entry written by the payments module. Returns false when the entry exists
    /// already (a handler running twice appends once).
    @discardableResult
    public func appendLedger(_ entry: LedgerEntry) throws -> Bool {
        try db.executeCached(
            sql: "INSERT OR IGNORE INTO ledger_import (id, source, imported_at, row_count) VALUES (?, 'payments', ?, 0)",
            arguments: [PayreconStore.paymentsLedgerImportId, now.microseconds])
        try db.executeCached(
            sql: """
                INSERT OR IGNORE INTO ledger_entry (entry_id, order_id, type, amount, currency, stripe_id, created_at, supplier_id, import_id)
                VALUES (?,?,?,?,?,?,?,?,?)
                """,
            arguments: [
                entry.entryId.rawValue, entry.orderId.rawValue, entry.kind.rawValue, entry.amount.minorUnits,
                entry.amount.currency.code, entry.stripeId, entry.createdAt.microseconds, entry.supplierId,
                PayreconStore.paymentsLedgerImportId,
            ])
        guard db.changesCount > 0 else { return false }
        try db.executeCached(
            sql: "UPDATE ledger_import SET row_count = row_count + 1 WHERE id = ?", arguments: [PayreconStore.paymentsLedgerImportId])
        return true
    }

    /// Queues an email or notification; a second item with the same key is ignored.
    public func enqueue(_ channel: OutboxItem.Channel, key: String, orderId: OrderID?, payload: [UInt8]) throws {
        try db.executeCached(
            sql: """
                INSERT OR IGNORE INTO outbox (channel, dedupe_key, order_id, payload, status, attempts, next_attempt_at, created_at)
                VALUES (?, ?, ?, ?, 'pending', 0, ?, ?)
                """, arguments: [channel.rawValue, key, orderId?.rawValue, Data(payload), now.microseconds, now.microseconds])
    }

    public func recordPaymentFailure(eventId: EventID, paymentIntent: PaymentIntentID, code: String?, message: String?) throws {
        try db.executeCached(
            sql: "INSERT OR IGNORE INTO payment_failure (event_id, payment_intent_id, code, message, at) VALUES (?,?,?,?,?)",
            arguments: [eventId.rawValue, paymentIntent.rawValue, code, message, now.microseconds])
    }

    /// Stripe objects that webhooks carried (a charge, a refund, a dispute, a payout), for the nightly run.
    public func upsertStripe(_ data: StripeAccountData) throws { try PayreconStore.upsertStripe(data, db) }

    /// Marks the request that asked for `refund` with Stripe's verdict.
    public func updateRefundRequest(refund: RefundID, status: RefundRequestRecord.Status) throws {
        try db.executeCached(
            sql: """
                UPDATE payment_refund SET status = ?, confirmed_at = CASE WHEN ? = 'succeeded' THEN ? ELSE confirmed_at END
                WHERE refund_id = ? AND status != 'succeeded'
                """, arguments: [status.rawValue, status.rawValue, now.microseconds, refund.rawValue])
    }
}

extension PayreconStore: PaymentsStore {
    /// The ledger_import row that every entry written by the payments module belongs to.
    static let paymentsLedgerImportId: Int64 = 0

    /// Runs `body` on a read-only snapshot (work prepared before a write transaction).
    public func readPayments<T>(at now: Timestamp, _ body: (PaymentsTransaction) throws -> T) throws -> T {
        try queue.read { db in try body(SQLitePaymentsTransaction(db: db, now: now)) }
    }

    /// Runs `body` in one write transaction of the payments module.
    public func withPaymentsTransaction<T>(at now: Timestamp, _ body: (PaymentsTransaction) throws -> T) throws -> T {
        try queue.write { db in try body(SQLitePaymentsTransaction(db: db, now: now)) }
    }

    static func storedQuote(_ row: Row) throws -> StoredQuote {
        StoredQuote(
            quoteId: row["quote_id"], orderId: OrderID(row["order_id"] as String), fingerprint: row["fingerprint"],
            quoteJSON: row["quote"], total: Money(minorUnits: row["total"], currency: try Currency(code: row["currency"])),
            paymentIntentId: (row["payment_intent_id"] as String?).map { PaymentIntentID($0) })
    }

    /// The columns an order is looked up by (each unique).
    enum OrderKey: String {
        case orderId = "order_id"
        case paymentIntent = "payment_intent_id"
        case charge = "charge_id"
    }

    static func order(_ db: Database, _ key: OrderKey, _ value: String) throws -> OrderRecord? {
        try Row.fetchOneCached(db, sql: "SELECT * FROM payment_order WHERE \(key.rawValue) = ?", arguments: [value]).map(orderRecord)
    }

    static func orderRecord(_ row: Row) throws -> OrderRecord {
        OrderRecord(
            orderId: OrderID(row["order_id"] as String), quoteId: row["quote_id"],
            paymentIntentId: PaymentIntentID(row["payment_intent_id"] as String),
            chargeId: (row["charge_id"] as String?).map { ChargeID($0) },
            amount: Money(minorUnits: row["amount"], currency: try Currency(code: row["currency"])),
            cardBrand: row["card_brand"], cardLast4: row["card_last4"], paidAt: Timestamp(microseconds: row["paid_at"]),
            invoiceNumber: row["invoice_number"], createdAt: Timestamp(microseconds: row["created_at"]))
    }
}
