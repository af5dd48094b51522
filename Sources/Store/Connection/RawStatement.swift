import GRDB
import GRDBSQLite

/// A prepared statement on GRDB's connection (or a `SnapshotConnection`), driven through the SQLite C API. Only for hot loops
/// inside a GRDB transaction; errors carry SQLite's message, never the bound values.
final class RawStatement {
    private let connection: OpaquePointer
    private let statement: OpaquePointer
    private let sql: String
    /// SQLITE_TRANSIENT: SQLite copies bound text before the call returns (a macro Swift cannot import).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    convenience init(_ db: Database, _ sql: String) throws {
        guard let connection = db.sqliteConnection else { throw StoreError(operation: "prepare", reason: "database is closed") }
        try self.init(connection: connection, sql)
    }

    /// On a connection of our own (`SnapshotConnection`), used by one thread at a time.
    init(connection: OpaquePointer, _ sql: String) throws {
        var prepared: OpaquePointer?
        guard sqlite3_prepare_v2(connection, sql, -1, &prepared, nil) == SQLITE_OK, let prepared else {
            throw StoreError(operation: "prepare", reason: String(cString: sqlite3_errmsg(connection)))
        }
        self.connection = connection
        self.statement = prepared
        self.sql = sql
    }

    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(statement, index, value) }

    /// With ?1 and ?2 bound: a time window's first and last.
    func bound(_ first: Int64, _ last: Int64) -> RawStatement {
        bind(1, first)
        bind(2, last)
        return self
    }

    func bind(_ index: Int32, _ value: String?) {
        guard var value else { sqlite3_bind_null(statement, index); return }
        // The string's own UTF-8 with its length: passing a String as `const char *` made a C copy first, and strlen'd it.
        value.withUTF8 { bind(index, bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Runs a statement that returns no rows, then resets it for the next bindings.
    func step() throws {
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard code == SQLITE_DONE else { throw error(code) }
    }

    /// Advances to the next row; false when there are no more (and the statement is reset).
    func nextRow() throws -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: sqlite3_reset(statement); return false
        case let code: sqlite3_reset(statement); throw error(code)
        }
    }

    /// Binds bytes as TEXT (copied by SQLite before the call returns).
    func bind(_ index: Int32, bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { sqlite3_bind_text(statement, index, "", 0, Self.transient); return }
        sqlite3_bind_text(statement, index, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), Self.transient)
    }

    /// Binds bytes as TEXT without copying them (SQLITE_STATIC), or NULL for nil: the bytes must stay valid
    /// and unchanged until the statement has been stepped and reset.
    func bind(_ index: Int32, borrowing bytes: UnsafeRawBufferPointer?) {
        guard let bytes else { sqlite3_bind_null(statement, index); return }
        let empty: StaticString = ""
        let base = bytes.baseAddress ?? UnsafeRawPointer(empty.utf8Start)
        sqlite3_bind_text(statement, index, base.assumingMemoryBound(to: CChar.self), Int32(bytes.count), nil)
    }

    /// The column's text as bytes in SQLite's buffer: valid until the next step, so intern or copy them first.
    func bytes(_ column: Int32) -> UnsafeRawBufferPointer {
        guard let text = sqlite3_column_text(statement, column) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: text, count: Int(sqlite3_column_bytes(statement, column)))
    }

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(statement, column) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

    func finalize() { sqlite3_finalize(statement) }

    private func error(_ code: Int32) -> StoreError {
        StoreError(
            operation: "execute \(sql.prefix(40))…", code: StoreError.Code(sqliteResultCode: code),
            reason: "SQLite error \(code): \(String(cString: sqlite3_errmsg(connection)))")
    }
}
