import Core
import Foundation
import Logging
import PaymentsStore
import PostgresAccess
import PostgresNIO

/// The payments tables in PostgreSQL, for `serve` as several replicas (`postgres_url_env` in its
/// config names the variable that holds the connection string). Exactly-once across replicas rests
/// on the database: the event id's unique key, leases claimed with `FOR UPDATE SKIP LOCKED` (a worker
/// never takes an event or outbox item another replica holds), the group's rows locked while it is
/// processed (an event another replica finished is not processed again), and document numbers
/// from one locked sequence row per kind, taken in the transaction that records the document.
public final class PostgresPaymentsStore: PaymentsStore, Sendable {
    let pool: PostgresConnectionPool
    /// How long an inbox event or outbox item handed to a worker stays its own: past that (its
    /// replica died), another replica takes it.
    let eventLeaseMicroseconds: Int64 = 30_000_000
    let outboxLeaseMicroseconds: Int64 = 60_000_000

    /// Connects (as `url` says), and creates or completes the tables.
    public init(url: String, variable: String, connections: Int = 8, logger: Logger = Logger(label: "payrecon.payments-postgres")) throws {
        let configuration: PostgresConnection.Configuration
        do { configuration = try PostgresURL.configuration(url) } catch {
            throw PostgresStoreError(
                operation: "connect", reason: "\(variable): \(error.reason) (expected postgres://user:password@host:5432/database)")
        }
        pool = PostgresConnectionPool(configuration: configuration, capacity: connections, logger: logger)
        try run("create the payments tables") { try PostgresPaymentsSchema.migrate($0) }
    }

    /// The store whose connection string is in `variable`.
    public static func fromEnvironment(
        variable: String, environment: [String: String] = ProcessInfo.processInfo.environment,
        logger: Logger = Logger(label: "payrecon.payments-postgres")
    ) throws -> PostgresPaymentsStore {
        guard let url = environment[variable], !url.isEmpty else {
            throw PostgresStoreError(
                operation: "connect", reason: "set \(variable) to the payments database's URL (postgres://user:password@host:5432/database)")
        }
        return try PostgresPaymentsStore(url: url, variable: variable, logger: logger)
    }

    /// Closes the connections.
    public func shutdown() { pool.shutdown() }

    /// `body` on a connection; the database's errors become `PostgresStoreError`, a handler's own pass as they are.
    @discardableResult
    func run<T>(_ operation: String, _ body: (PostgresSession) throws -> T) throws -> T {
        do { return try pool.withSession(body) } catch let error as PSQLError { throw PostgresStoreError(operation: operation, error) }
    }

    @discardableResult
    func write<T>(_ operation: String, _ body: (PostgresSession) throws -> T) throws -> T {
        try run(operation) { session in try session.transaction { try body(session) } }
    }

    /// Reads without a transaction: at READ COMMITTED one would give each statement its own snapshot
    /// all the same, and costs two round trips. What is read here is a plan that the write transaction
    /// checks again (a guessed invoice number, a page to show).
    public func readPayments<T>(at now: Timestamp, _ body: (any PaymentsTransaction) throws -> T) throws -> T {
        try run("read payments") { session in try body(PostgresPaymentsTransaction(session: session, now: now)) }
    }

    public func withPaymentsTransaction<T>(at now: Timestamp, _ body: (any PaymentsTransaction) throws -> T) throws -> T {
        try write("payments transaction") { session in try body(PostgresPaymentsTransaction(session: session, now: now)) }
    }

    public func appendAudit(_ entry: AuditEntry) throws {
        try write("append to the audit log") { session in try PostgresPaymentsTransaction(session: session, now: entry.at).appendAudit(entry) }
    }

    public func registerQuote(_ quote: StoredQuote, at now: Timestamp) throws -> StoredQuote {
        try write("register quote") { session in
            try session.execute(
                """
                INSERT INTO payment_quote (quote_id, order_id, fingerprint, quote, currency, total, created_at)
                VALUES (\(quote.quoteId), \(quote.orderId.rawValue), \(quote.fingerprint), \(quote.quoteJSON), \(quote.total.currency.code),
                        \(quote.total.minorUnits), \(now.microseconds))
                ON CONFLICT DO NOTHING
                """)
            guard let stored = try PostgresPaymentsTransaction(session: session, now: now).quote(id: quote.quoteId) else {
                throw PostgresStoreError(operation: "register quote", reason: "order \(quote.orderId.rawValue) belongs to another quote")
            }
            return stored
        }
    }

    public func attachPaymentIntent(_ id: PaymentIntentID, toQuote quoteId: String) throws {
        try write("attach PaymentIntent") { session in
            try session.execute(
                "UPDATE payment_quote SET payment_intent_id = \(id.rawValue) WHERE quote_id = \(quoteId) AND payment_intent_id IS NULL")
        }
    }

    public func order(_ id: OrderID) throws -> OrderRecord? {
        try run("read order") { session in try PostgresPaymentsTransaction(session: session, now: Timestamp(microseconds: 0)).order(id) }
    }

    public func documents(order id: OrderID) throws -> [DocumentRecord] {
        try run("read documents") { session in
            try session.rows("SELECT * FROM document WHERE order_id = \(id.rawValue) ORDER BY created_at, number").map(PostgresRecords.document)
        }
    }

    public func ledgerEntries(order id: OrderID) throws -> [LedgerEntry] {
        try run("read order ledger") { session in
            try session.rows("SELECT * FROM ledger_entry WHERE order_id = \(id.rawValue) ORDER BY created_at, entry_id").map(
                PostgresRecords.ledgerEntry)
        }
    }

    public func paymentFailures(paymentIntent id: PaymentIntentID) throws -> [(code: String?, message: String?)] {
        try run("read payment failures") { session in
            try session.rows("SELECT code, message FROM payment_failure WHERE payment_intent_id = \(id.rawValue) ORDER BY at, event_id")
                .map { (code: try $0.optionalString("code"), message: try $0.optionalString("message")) }
        }
    }

    /// The ledger entries `serve` booked, in the ledger's canonical columns (amount in major units,
    /// created_at a timestamptz): the nightly run's ledger source for them.
    public static let ledgerQuery = """
        SELECT entry_id, order_id, type, amount_major AS amount, currency, stripe_id,
          timestamptz 'epoch' + created_at * interval '1 microsecond' AS created_at, supplier_id
        FROM ledger_entry
        """

    /// Every ledger entry `serve` booked, oldest first (the nightly run imports them as a ledger source).
    public func ledgerEntries() throws -> [LedgerEntry] {
        try run("read the payments ledger") { session in
            try session.rows("SELECT * FROM ledger_entry ORDER BY created_at, entry_id").map(PostgresRecords.ledgerEntry)
        }
    }

    /// Audit entries numbered after `seq`, made before `before`, in their order, with their numbers:
    /// what the nightly run copies into the store the auditor export reads. Numbers are taken at insert
    /// and a transaction may commit after a later one; `before` (a few minutes ago) leaves entries of
    /// transactions still open for the next copy, so none is skipped.
    public func auditEntries(after seq: Int64, before: Timestamp) throws -> [(seq: Int64, entry: AuditEntry)] {
        try run("read the audit log") { session in
            try session.rows("SELECT * FROM audit_log WHERE seq > \(seq) AND at < \(before.microseconds) ORDER BY seq").map { row in
                (try row.int64("seq"), try PostgresRecords.auditEntry(row))
            }
        }
    }

    /// The audit entries made in [start, end), in the order they were made.
    public func auditLog(from start: Timestamp, to end: Timestamp) throws -> [AuditEntry] {
        try run("read the audit log") { session in
            try session.rows("SELECT * FROM audit_log WHERE at >= \(start.microseconds) AND at < \(end.microseconds) ORDER BY seq")
                .map(PostgresRecords.auditEntry)
        }
    }
}
