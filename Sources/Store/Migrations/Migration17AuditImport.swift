import GRDB

/// v17: how far the audit log kept elsewhere (serve's, in PostgreSQL) has been copied into this one:
/// the last copied entry's number per source, advanced in the transaction that copies. Frozen.
enum Migration17AuditImport {
    static let identifier = "v17-audit-import"

    static func run(_ db: Database) throws {
        try db.execute(sql: "CREATE TABLE audit_import (source TEXT PRIMARY KEY, last_seq INTEGER NOT NULL)")
    }
}
