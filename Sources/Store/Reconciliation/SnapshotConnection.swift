import GRDB
import GRDBSQLite

/// A second, read-only connection to the store that sees exactly what GRDB's connection sees, so the
/// fact loader can read two tables at once (a SQLite connection is used by one thread at a time).
///
/// Two connections see the same data only if no commit falls between the starts of their read
/// transactions. `WriteGate` makes sure of that: it holds the write lock on a third connection while
/// both reads start, for a few milliseconds, and writes nothing. When the lock cannot be had at once
/// (another process is writing), or the store is not a file, there is no second connection and the
/// loader reads everything on GRDB's connection.
final class SnapshotConnection: @unchecked Sendable {
    let handle: OpaquePointer

    private init(handle: OpaquePointer) { self.handle = handle }

    /// A connection on the same data as `db`, whose read transaction has begun but not read yet, or nil.
    /// The gate is taken inside GRDB's transaction, not before it: taken before, it would hold the write
    /// lock while this process's other users of the queue wait, one of which may be waiting for that lock.
    static func beside(_ db: Database, path: String) throws -> SnapshotConnection? {
        guard let connection = db.sqliteConnection, sqlite3_txn_state(connection, "main") == SQLITE_TXN_NONE,
            let gate = WriteGate(path: path)
        else { return nil }
        defer { gate.release() }
        // GRDB's snapshot, then the other's, with no commit possible in between.
        try db.execute(sql: "SELECT count(*) FROM sqlite_schema")
        return open(path: path)
    }

    /// Opens a connection and starts its read transaction, or nil. Call while a `WriteGate` is held and
    /// after GRDB's connection has started reading.
    private static func open(path: String) -> SnapshotConnection? {
        guard let handle = connect(path, flags: SQLITE_OPEN_READONLY) else { return nil }
        let connection = SnapshotConnection(handle: handle)
        // BEGIN alone takes no snapshot; the first read does.
        guard sqlite3_exec(handle, "BEGIN; SELECT count(*) FROM sqlite_schema", nil, nil, nil) == SQLITE_OK else { return nil }
        return connection
    }

    deinit {
        sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
        sqlite3_close_v2(handle)
    }

    fileprivate static func connect(_ path: String, flags: Int32) -> OpaquePointer? {
        guard !path.isEmpty, path != ":memory:", !path.hasPrefix("file:") else { return nil }
        var handle: OpaquePointer?
        guard sqlite3_open_v2(path, &handle, flags | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let handle else {
            if let handle { sqlite3_close_v2(handle) }
            return nil
        }
        return handle
    }

    /// The write lock, held on a connection of its own while the loader's connections start reading.
    final class WriteGate {
        private let handle: OpaquePointer
        private var held = true

        /// Nil when another connection holds the write lock, or the store cannot be opened twice.
        init?(path: String) {
            guard let handle = SnapshotConnection.connect(path, flags: SQLITE_OPEN_READWRITE) else { return nil }
            guard sqlite3_exec(handle, "BEGIN IMMEDIATE", nil, nil, nil) == SQLITE_OK else {
                sqlite3_close_v2(handle)
                return nil
            }
            self.handle = handle
        }

        func release() {
            guard held else { return }
            held = false
            sqlite3_exec(handle, "ROLLBACK", nil, nil, nil)
            sqlite3_close_v2(handle)
        }

        deinit { release() }
    }
}
