import Core
import Foundation
import GRDB

extension PayreconStore {
    /// Appends an entry inside the caller's transaction, so an action and its record commit together.
    package static func appendAudit(_ entry: AuditEntry, _ db: Database) throws {
        try db.cachedStatement(
            sql: "INSERT INTO audit_log (at, actor, action, subject, request_id, before, after, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        ).execute(arguments: [
            entry.at.microseconds, entry.actor, entry.action, entry.subject, entry.requestId, entry.before, entry.after, entry.note,
        ])
    }

    /// The entries made in [start, end), in the order they were made.
    public func auditLog(from start: Timestamp, to end: Timestamp) throws(StoreError) -> [AuditEntry] {
        try read("read the audit log") { db in
            try Row.fetchAll(
                db, sql: "SELECT at, actor, action, subject, request_id, before, after, note FROM audit_log WHERE at >= ? AND at < ? ORDER BY seq",
                arguments: [start.microseconds, end.microseconds]
            ).map { row in
                AuditEntry(
                    at: Timestamp(microseconds: row[0]), actor: row[1], action: row[2], subject: row[3], requestId: row[4], before: row[5],
                    after: row[6], note: row[7])
            }
        }
    }

    /// Who a command runs as, for the log: the operating-system user (commands carry no login of their own).
    public static var commandActor: String {
        let environment = ProcessInfo.processInfo.environment
        return "user:" + (environment["USER"] ?? environment["LOGNAME"] ?? "unknown")
    }
}
