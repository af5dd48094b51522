import Core
import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

/// One execution of a stage, kept for the nightly job's history.
public struct RunRecord: Hashable, Sendable {
    public let id: Int64
    public let stage: String
    public let startedAt: Timestamp
    public let finishedAt: Timestamp?
    /// running, succeeded, failed, or abandoned (its process ended without finishing it).
    public let status: String
    public let parameters: String
    public let summary: String?
}

extension PayreconStore {
    /// This process, as a run's owner.
    static let host = ProcessInfo.processInfo.hostName
    static var processId: Int64 { Int64(getpid()) }

    public func startRun(stage: String, parameters: String, at now: Timestamp) throws(StoreError) -> Int64 {
        try write("start run") { db in
            try db.execute(
                sql: """
                    INSERT INTO run (stage, started_at, status, parameters, host, process_id) VALUES (?, ?, 'running', ?, ?, ?)
                    """, arguments: [stage, now.microseconds, parameters, Self.host, Self.processId])
            return db.lastInsertedRowID
        }
    }

    public func finishRun(_ id: Int64, status: String, summary: String?, at now: Timestamp) throws(StoreError) {
        try write("finish run") { db in
            try db.execute(
                sql: "UPDATE run SET finished_at = ?, status = ?, summary = ? WHERE id = ?",
                arguments: [now.microseconds, status, summary, id])
        }
    }

    /// Marks `abandoned` every run still `running` whose process is gone: one on this host whose process
    /// id is no longer alive (killed with SIGKILL, say), or one written before runs named their process.
    /// A run of another host is left alone: from here it cannot be told whether that process lives.
    /// Returns the ids it marked.
    @discardableResult
    public func abandonDeadRuns(at now: Timestamp) throws(StoreError) -> [Int64] {
        try write("abandon dead runs") { db in
            var dead: [(Int64, String)] = []
            for row in try Row.fetchAll(db, sql: "SELECT id, host, process_id FROM run WHERE status = 'running'") {
                let host: String? = row["host"]
                let pid: Int64? = row["process_id"]
                guard let host, let pid else { dead.append((row["id"], "its process is unknown (started before v7)")); continue }
                guard host == Self.host, !Self.isAlive(pid) else { continue }
                dead.append((row["id"], "process \(pid) on \(host) ended without finishing it"))
            }
            for (id, why) in dead {
                try db.execute(
                    sql: "UPDATE run SET finished_at = ?, status = 'abandoned', summary = ? WHERE id = ? AND status = 'running'",
                    arguments: [now.microseconds, "abandoned: \(why)", id])
            }
            return dead.map(\.0)
        }
    }

    /// Whether a process with this id exists (EPERM: it does, owned by someone else).
    static func isAlive(_ pid: Int64) -> Bool {
        guard pid > 0, pid <= Int64(Int32.max) else { return false }
        return kill(pid_t(pid), 0) == 0 || errno == EPERM
    }

    public func runs() throws(StoreError) -> [RunRecord] {
        try read("list runs") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM run ORDER BY id").map { row in
                RunRecord(
                    id: row["id"], stage: row["stage"], startedAt: Timestamp(microseconds: row["started_at"]),
                    finishedAt: (row["finished_at"] as Int64?).map(Timestamp.init(microseconds:)),
                    status: row["status"], parameters: row["parameters"], summary: row["summary"])
            }
        }
    }
}
