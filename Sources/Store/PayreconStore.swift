import Core
import Foundation
import GRDB

/// The one SQLite file that every stage reads and writes. Opened once per file; every
/// write that belongs to one stage happens in one transaction, so a failed stage leaves the
/// store as it was.
public final class PayreconStore: Sendable {
    let queue: DatabaseQueue
    public let path: String

    /// How far a commit is durable. `.normal` (WAL, synchronous=NORMAL) survives a crash of the
    /// process: enough for nightly stages, which can be re-run. `.full` also survives a power loss:
    /// for the payments inbox, whose acknowledgements tell Stripe it may forget an event.
    public enum Durability: String, Sendable { case normal = "NORMAL", full = "FULL" }

    /// The page size of a store this opens first.
    static let pageSize = 16_384

    /// How long a write waits for another connection's write transaction before it gives up.
    public static let writeWaitSeconds: TimeInterval = 30

    public init(path: String, durability: Durability = .normal) throws(StoreError) {
        self.path = path
        do {
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            // `payrecon serve` and the nightly stages are separate processes on one file: a write that meets
            // another's transaction waits for it (a first reconciliation of a big period writes for seconds)
            // instead of failing at once with SQLITE_BUSY, which was GRDB's default.
            configuration.busyMode = .timeout(Self.writeWaitSeconds)
            configuration.prepareDatabase { db in
                // 16 KiB pages for a new store (a no-op for one that exists, whose pages stay as they are):
                // at a million orders a first reconciliation took ~0.4 s less than with SQLite's 4 KiB (reading
                // 1 GB in a quarter of the page reads; see docs/performance.md). It must come before WAL,
                // which fixes the page size of an empty file.
                try db.execute(sql: "PRAGMA page_size = \(Self.pageSize)")
                // WAL lets reports read while a stage writes.
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try db.execute(sql: "PRAGMA synchronous = \(durability.rawValue)")
                // 64 MiB of page cache (SQLite's default is 2 MiB, which turns a million index updates of an
                // extraction into page reads). Not more: the reconcile stage's 1 GiB budget at a million
                // orders counts it, and its one big write (matches) appends to one B-tree.
                try db.execute(sql: "PRAGMA cache_size = -65536")
            }
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try Schema.migrator.migrate(queue)
        } catch {
            throw StoreError(operation: "open \(path)", underlying: error)
        }
    }

    /// Runs `body` in one write transaction, mapping database errors to `StoreError`.
    func write<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try queue.write(body) } catch let error as StoreError { throw error } catch {
            throw StoreError(operation: operation, underlying: error)
        }
    }

    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try queue.read(body) } catch {
            throw StoreError(operation: operation, underlying: error)
        }
    }
}

/// A store operation that failed. The message names the operation and SQLite's result code,
/// never the bound values (which may be customer data).
public struct StoreError: Error, CustomStringConvertible, @unchecked Sendable {
    public let operation: String
    public let reason: String

    public init(operation: String, reason: String) { self.operation = operation; self.reason = reason }

    init(operation: String, underlying: any Error) {
        self.operation = operation
        if let error = underlying as? DatabaseError {
            self.reason = "\(error.resultCode) \(error.message ?? "")" + (error.resultCode == .SQLITE_BUSY
                ? " (another process held the store's write lock for over \(Int(PayreconStore.writeWaitSeconds)) s; run again when it is done)" : "")
        } else {
            self.reason = String(describing: underlying)
        }
    }

    public var description: String { "store: \(operation) failed: \(reason)" }
}
