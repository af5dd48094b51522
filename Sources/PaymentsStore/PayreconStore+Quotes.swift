import Core
import GRDB
import Store

extension PayreconStore {
    public func appendAudit(_ entry: AuditEntry) throws(StoreError) {
        try write("append to the audit log") { db in try Self.appendAudit(entry, db) }
    }

    /// Records a quote the first time it is asked to be paid and returns what is stored: the
    /// caller compares fingerprints to tell a retry from a different quote under the same id.
    public func registerQuote(_ quote: StoredQuote, at now: Timestamp) throws(StoreError) -> StoredQuote {
        try write("register quote") { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO payment_quote (quote_id, order_id, fingerprint, quote, currency, total, created_at)
                    VALUES (?,?,?,?,?,?,?)
                    """,
                arguments: [
                    quote.quoteId, quote.orderId.rawValue, quote.fingerprint, quote.quoteJSON,
                    quote.total.currency.code, quote.total.minorUnits, now.microseconds,
                ])
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM payment_quote WHERE quote_id = ?", arguments: [quote.quoteId]) else {
                throw StoreError(operation: "register quote", reason: "quote vanished")
            }
            return try Self.storedQuote(row)
        }
    }

    public func attachPaymentIntent(_ id: PaymentIntentID, toQuote quoteId: String) throws(StoreError) {
        try write("attach PaymentIntent") { db in
            try db.execute(
                sql: "UPDATE payment_quote SET payment_intent_id = ? WHERE quote_id = ? AND payment_intent_id IS NULL",
                arguments: [id.rawValue, quoteId])
        }
    }

    public func order(_ id: OrderID) throws(StoreError) -> OrderRecord? {
        try read("read order") { db in try Self.order(db, .orderId, id.rawValue) }
    }

    public func documents(order id: OrderID) throws(StoreError) -> [DocumentRecord] {
        try read("read documents") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM document WHERE order_id = ? ORDER BY created_at, number", arguments: [id.rawValue])
                .map { row in
                    DocumentRecord(
                        number: row["number"], kind: DocumentRecord.Kind(rawValue: row["kind"]) ?? .invoice,
                        orderId: OrderID(row["order_id"] as String), refundId: (row["refund_id"] as String?).map { RefundID($0) },
                        total: Money(minorUnits: row["total"], currency: try Currency(code: row["currency"])),
                        path: row["path"], sha256: row["sha256"], createdAt: Timestamp(microseconds: row["created_at"]))
                }
        }
    }

    /// Ledger entries of one order, oldest first (what the payments module booked).
    public func ledgerEntries(order id: OrderID) throws(StoreError) -> [LedgerEntry] {
        try read("read order ledger") { db in
            try Self.fetch(
                db,
                sql: """
                    SELECT \(Self.ledgerEntryColumns) FROM ledger_entry
                    WHERE order_id = ? ORDER BY created_at, entry_id
                    """, [id.rawValue], Self.ledgerEntry)
        }
    }

    /// Failed payment attempts recorded for a PaymentIntent: (code, message), oldest first.
    public func paymentFailures(paymentIntent id: PaymentIntentID) throws(StoreError) -> [(code: String?, message: String?)] {
        try read("read payment failures") { db in
            try Row.fetchAll(
                db, sql: "SELECT code, message FROM payment_failure WHERE payment_intent_id = ? ORDER BY at, event_id",
                arguments: [id.rawValue]
            ).map { (code: $0["code"], message: $0["message"]) }
        }
    }
}
