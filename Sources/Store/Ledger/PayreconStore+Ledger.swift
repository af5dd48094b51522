import Core
import GRDB

extension PayreconStore {
    /// Writes a whole ledger file in one transaction. An entry whose entry_id is new is added; one that
    /// exists with the same values is left as it is; one that exists with other values is replaced (the
    /// newer export is the books' current truth) and its earlier version kept in `ledger_entry_version`.
    @discardableResult
    public func importLedger(_ entries: [LedgerEntry], source: String, at now: Timestamp) throws(StoreError) -> LedgerImportSummary {
        do { return try importLedger(source: source, at: now) { write in _ = try write(entries) } } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(operation: "import ledger", underlying: error)
        }
    }

    /// The same, with the entries handed over in chunks: `feed` runs inside the import's one transaction
    /// and calls `write` for each chunk, which says what it did with the chunk. If `feed` throws (the rest
    /// of the file had a problem), its error is rethrown as it is and nothing of the import stays.
    @discardableResult
    public func importLedger(source: String, at now: Timestamp, _ feed: (_ write: ([LedgerEntry]) throws -> LedgerImportCounts) throws -> Void)
        throws
        -> LedgerImportSummary
    {
        do {
            return try queue.write { db in try Self.importLedger(source: source, at: now, feed, db) }
        } catch let error as DatabaseError {
            throw StoreError(operation: "import ledger", underlying: error)
        }
    }

    private static func importLedger(
        source: String, at now: Timestamp, _ feed: (_ write: ([LedgerEntry]) throws -> LedgerImportCounts) throws -> Void,
        _ db: Database
    ) throws -> LedgerImportSummary {
        try db.execute(
            sql: "INSERT INTO ledger_import (source, imported_at, row_count) VALUES (?, ?, 0)",
            arguments: [source, now.microseconds])
        let importId = db.lastInsertedRowID
        let existing = try db.cachedStatement(
            sql: "SELECT order_id, type, amount, currency, stripe_id, created_at, supplier_id, import_id FROM ledger_entry WHERE entry_id = ?")
        // New entries (most of them) cost a share of one statement: an insert of many rows that does nothing
        // on a known entry_id, bound through the C API (GRDB's arguments were 4 of the 6.5 µs a row, measured
        // at 1.2 M rows), its text from one buffer SQLite does not copy (`LedgerBatchText`).
        let insertMany = try RawStatement(db, Self.insertSQL(rows: Self.rowsPerInsert))
        defer { insertMany.finalize() }
        let insertOne = try RawStatement(db, Self.insertSQL(rows: 1))
        defer { insertOne.finalize() }
        let keep = try db.cachedStatement(
            sql: """
                INSERT INTO ledger_entry_version (entry_id, order_id, type, amount, currency, stripe_id, created_at, supplier_id,
                  import_id, replaced_by_import, replaced_at)
                SELECT entry_id, order_id, type, amount, currency, stripe_id, created_at, supplier_id, import_id, ?, ?
                FROM ledger_entry WHERE entry_id = ?
                """)
        let replace = try db.cachedStatement(
            sql: """
                UPDATE ledger_entry SET order_id = ?, type = ?, amount = ?, currency = ?, stripe_id = ?, created_at = ?,
                  supplier_id = ?, import_id = ? WHERE entry_id = ?
                """)
        /// An entry the insert may have skipped: added (it carries this import's id, and entry ids are unique
        /// within an import), left as it was, or replaced with its earlier version kept.
        func settle(_ e: LedgerEntry, _ counts: inout LedgerImportCounts) throws {
            guard let row = try Row.fetchOne(existing, arguments: [e.entryId.rawValue]) else { return }
            if row[7] as Int64 == importId {
                counts.added += 1
                return
            }
            let values: [DatabaseValueConvertible?] = [
                e.orderId.rawValue, e.kind.rawValue, e.amount.minorUnits, e.amount.currency.code, e.stripeId, e.createdAt.microseconds,
                e.supplierId,
            ]
            let stored = (0..<values.count).map { row[$0] as DatabaseValue }
            guard stored != values.map({ $0?.databaseValue ?? .null }) else {
                counts.unchanged += 1
                return
            }
            try keep.execute(arguments: [importId, now.microseconds, e.entryId.rawValue])
            try replace.execute(arguments: StatementArguments(values + [importId, e.entryId.rawValue]))
            counts.replaced += 1
        }
        var summary = LedgerImportSummary(importId: importId)
        var texts = LedgerBatchText()
        try feed { entries in
            var counts = LedgerImportCounts()
            defer { summary.total = summary.total + counts }
            var start = entries.startIndex
            while start < entries.endIndex {
                if entries.endIndex - start >= Self.rowsPerInsert {
                    let batch = entries[start..<start + Self.rowsPerInsert]
                    try texts.bindAndStep(batch, insertMany, importId: importId)
                    if db.changesCount == Self.rowsPerInsert {
                        counts.added += Self.rowsPerInsert
                    } else {
                        for e in batch { try settle(e, &counts) }
                    }
                    start += Self.rowsPerInsert
                } else {
                    try texts.bindAndStep(entries[start..<start + 1], insertOne, importId: importId)
                    if db.changesCount > 0 { counts.added += 1 } else { try settle(entries[start], &counts) }
                    start += 1
                }
            }
            return counts
        }
        try db.execute(
            sql: "UPDATE ledger_import SET row_count = ?, added = ?, replaced = ?, unchanged = ? WHERE id = ?",
            arguments: [summary.entries, summary.added, summary.replaced, summary.unchanged, importId])
        try appendAudit(
            AuditEntry(
                at: now, actor: commandActor, action: "ledger.import", subject: "\(importId)",
                after:
                    "source=\(source) entries=\(summary.entries) added=\(summary.added) replaced=\(summary.replaced) unchanged=\(summary.unchanged)"),
            db)
        return summary
    }

    /// Rows in one insert statement of an import (9 parameters each, far below SQLite's limit).
    static let rowsPerInsert = 32

    static func insertSQL(rows: Int) -> String {
        "INSERT INTO ledger_entry (entry_id, order_id, type, amount, currency, stripe_id, created_at, supplier_id, import_id) VALUES "
            + Array(repeating: "(?,?,?,?,?,?,?,?,?)", count: rows).joined(separator: ",") + " ON CONFLICT(entry_id) DO NOTHING"
    }

    /// The earlier versions of an entry that later imports replaced, oldest first.
    public func ledgerEntryVersions(_ entryId: LedgerEntryID) throws(StoreError) -> [LedgerEntry] {
        try read("load ledger entry versions") { db in
            try Self.fetch(
                db,
                sql: """
                    SELECT \(Self.ledgerEntryColumns) FROM ledger_entry_version
                    WHERE entry_id = ? ORDER BY seq
                    """, [entryId.rawValue], Self.ledgerEntry)
        }
    }

    /// Ledger entries booked in [start, end), in no particular order (the reconciler orders what it needs).
    public func loadLedger(from start: Timestamp, to end: Timestamp) throws(StoreError) -> [LedgerEntry] {
        try read("load ledger") { db in
            try Self.fetch(
                db,
                sql: """
                    SELECT \(Self.ledgerEntryColumns) FROM ledger_entry
                    WHERE created_at >= ? AND created_at < ?
                    """, [start.microseconds, end.microseconds], Self.ledgerEntry)
        }
    }

    /// The columns `ledgerEntry` maps, in its order.
    package static let ledgerEntryColumns = "entry_id, order_id, type, amount, currency, stripe_id, created_at, supplier_id"

    /// Maps `ledgerEntryColumns` by position.
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
