import Foundation
import GRDB

/// A store operation that failed. The message names the operation and SQLite's result code,
/// never the bound values (which may be customer data). `code` lets callers tell a busy store, a
/// broken constraint or a corrupt file apart without reading the text.
public struct StoreError: Error, CustomStringConvertible, @unchecked Sendable {
    public let operation: String
    public let code: Code
    public let reason: String

    /// What kind of failure it was. A struct over a private enum, so that kinds can be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: Hashable, Sendable {
            case busy, constraint, corrupt, notADatabase, readOnly, full, io, missing, other
        }
        private let kind: Kind
        /// SQLite's primary result code, when SQLite gave one.
        public let sqliteCode: Int32?

        private init(_ kind: Kind, _ sqliteCode: Int32? = nil) { self.kind = kind; self.sqliteCode = sqliteCode }

        /// Another connection held the lock for longer than the store waits (SQLITE_BUSY, SQLITE_LOCKED).
        public static let busy = Code(.busy)
        /// A UNIQUE, NOT NULL, CHECK or foreign key constraint refused the write (SQLITE_CONSTRAINT).
        public static let constraint = Code(.constraint)
        /// The file is damaged (SQLITE_CORRUPT).
        public static let corrupt = Code(.corrupt)
        /// The file is not an SQLite database (SQLITE_NOTADB).
        public static let notADatabase = Code(.notADatabase)
        public static let readOnly = Code(.readOnly)
        /// The disk is full (SQLITE_FULL).
        public static let full = Code(.full)
        /// Reading or writing the file failed, or it could not be opened (SQLITE_IOERR, SQLITE_CANTOPEN).
        public static let io = Code(.io)
        /// The store does not exist and the caller did not ask to create it.
        public static let missing = Code(.missing)
        /// Anything else (a malformed value read back, an SQLite error without its own kind here).
        public static let other = Code(.other)

        /// The kind of an SQLite result code (extended codes fold into their primary code).
        public init(sqliteResultCode: Int32) {
            let primary = sqliteResultCode & 0xff
            let kind: Kind =
                switch primary {
                case 5, 6: .busy
                case 19: .constraint
                case 11: .corrupt
                case 26: .notADatabase
                case 8: .readOnly
                case 13: .full
                case 10, 14: .io
                default: .other
                }
            self.init(kind, primary)
        }

        public static func == (lhs: Code, rhs: Code) -> Bool { lhs.kind == rhs.kind }
        public func hash(into hasher: inout Hasher) { hasher.combine(kind) }

        public var description: String {
            let name =
                switch kind {
                case .busy: "busy"
                case .constraint: "constraint"
                case .corrupt: "corrupt"
                case .notADatabase: "not a database"
                case .readOnly: "read-only"
                case .full: "disk full"
                case .io: "I/O"
                case .missing: "missing"
                case .other: "other"
                }
            return sqliteCode.map { "\(name) (SQLite \($0))" } ?? name
        }
    }

    public init(operation: String, code: Code = .other, reason: String) {
        self.operation = operation; self.code = code; self.reason = reason
    }

    init(operation: String, underlying: any Error) {
        self.operation = operation
        if let error = underlying as? DatabaseError {
            code = Code(sqliteResultCode: error.resultCode.primaryResultCode.rawValue)
            reason =
                "\(error.resultCode) \(error.message ?? "")"
                + (code == .busy
                    ? " (another process held the store's write lock for over \(Int(PayreconStore.writeWaitSeconds)) s; run again when it is done)"
                    : "")
        } else if let error = underlying as? StoreError {
            code = error.code
            reason = error.reason
        } else {
            code = .other
            reason = String(describing: underlying)
        }
    }

    public var description: String { "store: \(operation) failed: \(reason)" }
}
