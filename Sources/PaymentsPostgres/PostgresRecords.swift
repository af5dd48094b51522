import Core
import Foundation
import PaymentsStore
import PostgresNIO

/// The payments records from their PostgreSQL rows (the columns of `PostgresPaymentsSchema`).
enum PostgresRecords {
    static func storedQuote(_ row: PostgresRandomAccessRow) throws -> StoredQuote {
        StoredQuote(
            quoteId: try row.string("quote_id"), orderId: OrderID(try row.string("order_id")), fingerprint: try row.string("fingerprint"),
            quoteJSON: try row.string("quote"), total: try money(row, "total", "currency"),
            paymentIntentId: try row.optionalString("payment_intent_id").map { PaymentIntentID($0) })
    }

    static func order(_ row: PostgresRandomAccessRow) throws -> OrderRecord {
        OrderRecord(
            orderId: OrderID(try row.string("order_id")), quoteId: try row.string("quote_id"),
            paymentIntentId: PaymentIntentID(try row.string("payment_intent_id")),
            chargeId: try row.optionalString("charge_id").map { ChargeID($0) }, amount: try money(row, "amount", "currency"),
            cardBrand: try row.optionalString("card_brand"), cardLast4: try row.optionalString("card_last4"),
            paidAt: Timestamp(microseconds: try row.int64("paid_at")), invoiceNumber: try row.string("invoice_number"),
            createdAt: Timestamp(microseconds: try row.int64("created_at")))
    }

    static func document(_ row: PostgresRandomAccessRow) throws -> DocumentRecord {
        DocumentRecord(
            number: try row.string("number"), kind: DocumentRecord.Kind(rawValue: try row.string("kind")) ?? .invoice,
            orderId: OrderID(try row.string("order_id")), refundId: try row.optionalString("refund_id").map { RefundID($0) },
            total: try money(row, "total", "currency"), path: try row.string("path"), sha256: try row.string("sha256"),
            createdAt: Timestamp(microseconds: try row.int64("created_at")))
    }

    static func ledgerEntry(_ row: PostgresRandomAccessRow) throws -> LedgerEntry {
        let type = try row.string("type")
        guard let kind = LedgerEntry.Kind(rawValue: type) else {
            throw PostgresStoreError(operation: "read the payments ledger", reason: "entry \(try row.string("entry_id")): unknown type '\(type)'")
        }
        return LedgerEntry(
            entryId: LedgerEntryID(try row.string("entry_id")), orderId: OrderID(try row.string("order_id")), kind: kind,
            amount: try money(row, "amount", "currency"), stripeId: try row.optionalString("stripe_id"),
            createdAt: Timestamp(microseconds: try row.int64("created_at")), supplierId: try row.optionalString("supplier_id"))
    }

    static func processing(_ row: PostgresRandomAccessRow) throws -> ProcessingRecord {
        ProcessingRecord(
            paymentIntentId: PaymentIntentID(try row.string("payment_intent_id")), orderId: OrderID(try row.string("order_id")),
            quoteId: try row.string("quote_id"), status: ProcessingRecord.Status(rawValue: try row.string("status")) ?? .processing,
            paymentMethod: try row.optionalString("payment_method"), since: Timestamp(microseconds: try row.int64("since")),
            updatedAt: Timestamp(microseconds: try row.int64("updated_at")))
    }

    static func refundRequest(_ row: PostgresRandomAccessRow) throws -> RefundRequestRecord {
        RefundRequestRecord(
            requestKey: try row.string("request_key"), orderId: OrderID(try row.string("order_id")),
            amount: try money(row, "amount", "currency"), reason: try row.optionalString("reason"),
            status: RefundRequestRecord.Status(rawValue: try row.string("status")) ?? .requested,
            refundId: try row.optionalString("refund_id").map { RefundID($0) }, error: try row.optionalString("error"))
    }

    static func outboxItem(_ row: PostgresRandomAccessRow) throws -> OutboxItem {
        OutboxItem(
            id: try row.int64("id"), channel: OutboxItem.Channel(rawValue: try row.string("channel")) ?? .email,
            dedupeKey: try row.string("dedupe_key"), orderId: try row.optionalString("order_id").map { OrderID($0) },
            payload: [UInt8](try row.bytes("payload")), status: OutboxItem.Status(rawValue: try row.string("status")) ?? .pending,
            attempts: Int(try row.int64("attempts")), nextAttemptAt: Timestamp(microseconds: try row.int64("next_attempt_at")),
            lastError: try row.optionalString("last_error"), deliveredAt: try row.optionalInt64("delivered_at").map { Timestamp(microseconds: $0) })
    }

    static func auditEntry(_ row: PostgresRandomAccessRow) throws -> AuditEntry {
        AuditEntry(
            at: Timestamp(microseconds: try row.int64("at")), actor: try row.string("actor"), action: try row.string("action"),
            subject: try row.string("subject"), requestId: try row.optionalString("request_id"), before: try row.optionalString("before"),
            after: try row.optionalString("after"), note: try row.optionalString("note"))
    }

    static func money(_ row: PostgresRandomAccessRow, _ amount: String, _ currency: String) throws -> Money {
        Money(minorUnits: try row.int64(amount), currency: try Currency(code: try row.string(currency)))
    }
}
