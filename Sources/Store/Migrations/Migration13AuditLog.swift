import GRDB

/// v13: the audit log, one row per action that changes a record (a discrepancy resolved, a ledger
/// imported; the payments companion's actions join it): who, when, what, before and after. Appended
/// only: triggers refuse UPDATE and DELETE, as on discrepancy_event. Frozen.
enum Migration13AuditLog {
    static let identifier = "v13-audit-log"

    static func run(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE audit_log (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                    subject TEXT NOT NULL, request_id TEXT, before TEXT, after TEXT, note TEXT);
                CREATE INDEX audit_log_at ON audit_log(at);
                CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
                CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
                """)
    }
}
