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

    /// The number of the last entry copied from `source`'s audit log (0: none yet).
    public func lastImportedAuditSeq(source: String) throws(StoreError) -> Int64 {
        try read("read the audit import") { db in
            try Int64.fetchOne(db, sql: "SELECT last_seq FROM audit_import WHERE source = ?", arguments: [source]) ?? 0
        }
    }

    /// Copies entries of another audit log (serve's, in PostgreSQL) into this one, in their order, and
    /// records how far: together, so a failed copy leaves neither. Entries at or below the number
    /// already copied are skipped; returns how many were copied.
    public func importAudit(_ entries: [(seq: Int64, entry: AuditEntry)], source: String) throws(StoreError) -> Int {
        try write("import the audit log of \(source)") { db in
            let last = try Int64.fetchOne(db, sql: "SELECT last_seq FROM audit_import WHERE source = ?", arguments: [source]) ?? 0
            let fresh = entries.filter { $0.seq > last }.sorted { $0.seq < $1.seq }
            guard let newest = fresh.last?.seq else { return 0 }
            for (_, entry) in fresh { try Self.appendAudit(entry, db) }
            try db.execute(
                sql: "INSERT INTO audit_import (source, last_seq) VALUES (?, ?) ON CONFLICT(source) DO UPDATE SET last_seq = excluded.last_seq",
                arguments: [source, newest])
            return fresh.count
        }
    }

    /// Who a command runs as, for the log: the operating-system user (commands carry no login of their own).
    public static var commandActor: String {
        let environment = ProcessInfo.processInfo.environment
        return "user:" + (environment["USER"] ?? environment["LOGNAME"] ?? "unknown")
    }
}
