import Core
import GRDB

extension PayreconStore {
    /// Writes a whole ledger file in one transaction. A row whose entry_id exists already is
    /// replaced (the newer export is the books' current truth) and keeps the new import's id.
    @discardableResult
    public func importLedger(_ entries: [LedgerEntry], source: String, at now: Timestamp) throws(StoreError) -> Int64 {
        try write("import ledger") { db in
            try db.execute(
                sql: "INSERT INTO ledger_import (source, imported_at, row_count) VALUES (?, ?, ?)",
                arguments: [source, now.microseconds, entries.count])
            let importId = db.lastInsertedRowID
            let insert = try db.cachedStatement(
                sql: """
                    INSERT OR REPLACE INTO ledger_entry
                    (entry_id, order_id, type, amount, currency, stripe_id, created_at, supplier_id, import_id)
                    VALUES (?,?,?,?,?,?,?,?,?)
                    """)
            for e in entries {
                try insert.execute(arguments: [
                    e.entryId.rawValue, e.orderId.rawValue, e.kind.rawValue, e.amount.minorUnits,
                    e.amount.currency.code, e.stripeId, e.createdAt.microseconds, e.supplierId, importId,
                ])
            }
            return importId
        }
    }

    /// Ledger entries booked in [start, end), in no particular order (the reconciler orders what it needs).
    public func loadLedger(from start: Timestamp, to end: Timestamp) throws(StoreError) -> [LedgerEntry] {
        try read("load ledger") { db in
            try Self.fetch(
                db,
                sql: """
                    SELECT entry_id, order_id, type, amount, currency, stripe_id, created_at, supplier_id FROM ledger_entry
                    WHERE created_at >= ? AND created_at < ?
                    """, [start.microseconds, end.microseconds], Self.ledgerEntry)
        }
    }

    /// Maps `entry_id, order_id, type, amount, currency, stripe_id, created_at, supplier_id` by position.
    package static func ledgerEntry(_ row: Row) throws -> LedgerEntry {
        LedgerEntry(
            entryId: LedgerEntryID(row[0] as String), orderId: OrderID(row[1] as String),
            kind: LedgerEntry.Kind(rawValue: row[2]) ?? .payment,
            amount: Money(minorUnits: row[3], currency: try Self.currency(row, 4)),
            stripeId: row[5], createdAt: Timestamp(microseconds: row[6]), supplierId: row[7])
    }

    public func ledgerCount() throws(StoreError) -> Int {
        try read("count ledger") { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM ledger_entry") ?? 0 }
    }
}
