import Core
import Foundation
import GRDB

/// The one SQLite file that every stage reads and writes. Opened once per file; every
/// write that belongs to one stage happens in one transaction, so a failed stage leaves the
/// store as it was.
public final class PayreconStore: Sendable {
    package let queue: DatabaseQueue
    public let path: String

    /// How far a commit is durable. `.normal` (WAL, synchronous=NORMAL) survives a crash of the
    /// process: enough for nightly stages, which can be re-run. `.full` also survives a power loss:
    /// for the payments inbox, whose acknowledgements tell Stripe it may forget an event.
    public enum Durability: String, Sendable {
        case normal = "NORMAL"
        case full = "FULL"
    }

    /// The page size of a store this opens first.
    static let pageSize = 16_384

    /// How long a write waits for another connection's write transaction before it gives up.
    public static let writeWaitSeconds: TimeInterval = 30

    /// Opens the store at `path`. `create`: make it when it is missing (the stages that bring data in);
    /// false: a missing file is an error that names the path (the stages that only read or judge what is
    /// there, so that a typo is not an empty store with nothing wrong in it).
    public init(path: String, durability: Durability = .normal, create: Bool = true) throws(StoreError) {
        self.path = path
        if !create && !FileManager.default.fileExists(atPath: path) {
            throw StoreError(
                operation: "open \(path)", code: .missing,
                reason: "no store at \(path) (extract, ledger import, serve or run create one)")
        }
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
            // Two processes that open a new store at once would both create its tables: one of them
            // failed ("table … already exists"). Opening and migrating hold an exclusive lock on a file
            // beside the store, so the second waits and then finds the schema done.
            let lock = try StoreFileLock(path: path + "-lock")
            defer { lock.release() }
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try StoreMigrations.migrator.migrate(queue)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(operation: "open \(path)", underlying: error)
        }
    }

    /// Runs `body` in one write transaction, mapping database errors to `StoreError`.
    package func write<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try queue.write(body) } catch let error as StoreError { throw error } catch {
            throw StoreError(operation: operation, underlying: error)
        }
    }

    package func read<T>(_ operation: String, _ body: (Database) throws -> T) throws(StoreError) -> T {
        do { return try queue.read(body) } catch {
            throw StoreError(operation: operation, underlying: error)
        }
    }
}
