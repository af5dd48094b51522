import Core
import GRDB

/// A discrepancy id that is not in the store.
public struct UnknownDiscrepancy: Error, CustomStringConvertible, Sendable {
    public let id: String
    public var description: String { "no discrepancy '\(id)' in the store (ids look like missing_in_ledger/ch_…; see discrepancies.csv)" }
}

extension PayreconStore {
    /// Marks a discrepancy resolved by a person, with why. Later runs keep it resolved; the note,
    /// who and when are kept on the row and appended to its history, never overwritten there.
    public func resolve(id: String, note: String, by name: String, at now: Timestamp) throws -> TrackedDiscrepancy {
        let updated: Int = try write("resolve discrepancy") { db in
            let before = try String.fetchOne(db, sql: "SELECT status FROM discrepancy WHERE id = ?", arguments: [id])
            try db.execute(
                sql: """
                    UPDATE discrepancy SET status = 'resolved', note = ?, resolved_by = ?, resolved_at = ? WHERE id = ?
                    """, arguments: [note, name, now.microseconds, id])
            guard db.changesCount > 0 else { return 0 }
            try db.execute(
                sql: """
                    INSERT INTO discrepancy_event (discrepancy_id, run_id, at, status, actor, note) VALUES (?, NULL, ?, 'resolved', ?, ?)
                    """, arguments: [id, now.microseconds, name, note])
            try Self.appendAudit(
                AuditEntry(at: now, actor: name, action: "discrepancy.resolve", subject: id, before: before, after: "resolved", note: note), db)
            return 1
        }
        guard updated == 1, let item = try discrepancy(id: id) else { throw UnknownDiscrepancy(id: id) }
        return item
    }

    public func discrepancy(id: String) throws(StoreError) -> TrackedDiscrepancy? {
        try read("load discrepancy") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM discrepancy WHERE id = ?", arguments: [id]).map(Self.trackedDiscrepancy)
        }
    }

    /// The append-only history of one discrepancy, oldest first: (time, status, actor, note).
    public func history(of id: String) throws(StoreError) -> [(at: Timestamp, status: String, actor: String, note: String?)] {
        try read("load discrepancy history") { db in
            try Row.fetchAll(
                db, sql: "SELECT at, status, actor, note FROM discrepancy_event WHERE discrepancy_id = ? ORDER BY seq",
                arguments: [id]
            ).map { (Timestamp(microseconds: $0["at"]), $0["status"], $0["actor"], $0["note"]) }
        }
    }
}
