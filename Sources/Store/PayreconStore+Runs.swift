import Core
import GRDB

/// One execution of a stage, kept for the nightly job's history.
public struct RunRecord: Hashable, Sendable {
    public let id: Int64
    public let stage: String
    public let startedAt: Timestamp
    public let finishedAt: Timestamp?
    public let status: String
    public let parameters: String
    public let summary: String?
}

extension PayreconStore {
    public func startRun(stage: String, parameters: String, at now: Timestamp) throws(StoreError) -> Int64 {
        try write("start run") { db in
            try db.execute(sql: "INSERT INTO run (stage, started_at, status, parameters) VALUES (?, ?, 'running', ?)",
                           arguments: [stage, now.microseconds, parameters])
            return db.lastInsertedRowID
        }
    }

    public func finishRun(_ id: Int64, status: String, summary: String?, at now: Timestamp) throws(StoreError) {
        try write("finish run") { db in
            try db.execute(sql: "UPDATE run SET finished_at = ?, status = ?, summary = ? WHERE id = ?",
                           arguments: [now.microseconds, status, summary, id])
        }
    }

    public func runs() throws(StoreError) -> [RunRecord] {
        try read("list runs") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM run ORDER BY id").map { row in
                RunRecord(id: row["id"], stage: row["stage"], startedAt: Timestamp(microseconds: row["started_at"]),
                          finishedAt: (row["finished_at"] as Int64?).map(Timestamp.init(microseconds:)),
                          status: row["status"], parameters: row["parameters"], summary: row["summary"])
            }
        }
    }
}
