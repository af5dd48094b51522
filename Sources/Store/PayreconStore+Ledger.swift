import Core
import GRDB

extension PayreconStore {
    /// Writes a whole ledger file in one transaction. A row whose entry_id exists already is
    /// replaced (the newer export is the books' current truth) and keeps the new import's id.
    @discardableResult
    public func importLedger(_ entries: [LedgerEntry], source: String, at now: Timestamp) throws(StoreError) -> Int64 {
        try write("import ledger") { db in
            try db.execute(sql: "INSERT INTO ledger_import (source, imported_at, row_count) VALUES (?, ?, ?)",
                           arguments: [source, now.microseconds, entries.count])
            let importId = db.lastInsertedRowID
            let insert = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO ledger_entry
                (entry_id, order_id, type, amount, currency, stripe_id, created_at, supplier_id, import_id)
                VALUES (?,?,?,?,?,?,?,?,?)
                """)
            for e in entries {
                try insert.execute(arguments: [e.entryId.rawValue, e.orderId.rawValue, e.kind.rawValue, e.amount.minorUnits,
                                               e.amount.currency.code, e.stripeId, e.createdAt.microseconds, e.supplierId, importId])
            }
            return importId
        }
    }

    /// Ledger entries booked in [start, end), oldest first.
    public func loadLedger(from start: Timestamp, to end: Timestamp) throws(StoreError) -> [LedgerEntry] {
        try read("load ledger") { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM ledger_entry WHERE created_at >= ? AND created_at < ? ORDER BY created_at, entry_id
                """, arguments: [start.microseconds, end.microseconds]).map { row in
                LedgerEntry(entryId: LedgerEntryID(row["entry_id"] as String), orderId: OrderID(row["order_id"] as String),
                            kind: LedgerEntry.Kind(rawValue: row["type"]) ?? .payment,
                            amount: Money(minorUnits: row["amount"], currency: try Self.currency(row, "currency")),
                            stripeId: row["stripe_id"], createdAt: Timestamp(microseconds: row["created_at"]),
                            supplierId: row["supplier_id"])
            }
        }
    }

    public func ledgerCount() throws(StoreError) -> Int {
        try read("count ledger") { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM ledger_entry") ?? 0 }
    }
}
