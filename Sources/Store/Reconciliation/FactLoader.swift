import CMalloc
import Core
import Dispatch
import Facts
import GRDB

/// Loads what the reconciler needs straight from SQLite into `ReconcileFacts`: rows through the C API,
/// ids interned from SQLite's own buffers, no `Row` and no `String` per id. It reads what
/// `loadStripe`/`loadLedger` read (the same windows, and the charges outside the window that its
/// refunds and disputes belong to), minus the columns matching never looks at; payouts come with
/// their stored composition instead of their links and linked transactions.
///
/// Reading is the slow part (stepping SQLite and copying ids out of its buffers, ~0.5 µs a row), so
/// with a `SnapshotConnection` (the same data on a connection of its own) charges and transactions are
/// read on another thread while this one reads the ledger and refunds. Each table's rows go, in chunks,
/// down a `Lane`; a `FactInterner` takes the lanes one after another, always in the same order (ledger,
/// charges, refunds, charges outside the window, transactions), interning ids and storing rows on a
/// third thread. The facts, and the numbers their ids get, are the same whichever reader is faster.
struct FactLoader {
    let db: Database
    /// Nil: everything is read on `db`, one table after another.
    let helper: SnapshotConnection?
    let start: Timestamp
    let end: Timestamp
    private let interner = FactInterner()
    private let currencies = FactCurrencyCache()
    private static let chunkRows = 1_024

    init(db: Database, helper: SnapshotConnection? = nil, start: Timestamp, end: Timestamp) {
        self.db = db; self.helper = helper; self.start = start; self.end = end
    }

    func load() throws -> ReconcileFacts {
        let micro = (start.microseconds, end.microseconds)
        let seconds = (start.seconds, end.seconds)
        let ledger = try window("ledger_entry", "created_at", micro.0, micro.1)
        let charges = try window("stripe_charge", "created", seconds.0, seconds.1)
        let refunds = try window("stripe_refund", "created", seconds.0, seconds.1)
        let transactions = try window("stripe_balance_transaction", "created", seconds.0, seconds.1)
        interner.withFacts { facts in
            // Ledger entry and order per row, charge and PaymentIntent per charge, one per transaction and
            // refund; all but the entries and the transactions are joined (a ledger row's Stripe id is a
            // charge's, a PaymentIntent's or a refund's, a transaction's source a charge's or a refund's).
            facts.ids.reserve(
                ids: 2 * ledger.rows + 2 * charges.rows + transactions.rows + refunds.rows,
                findable: ledger.rows + 2 * charges.rows + refunds.rows)
            facts.ledger.reserveCapacity(ledger.rows)
            facts.charges.reserveCapacity(charges.rows)
            facts.refunds.reserveCapacity(refunds.rows)
            facts.transactions.reserveCapacity(transactions.rows)
        }
        // A lane read before the interner gets to it holds its chunks meanwhile (~130 KB each), up to
        // `readAhead`; then its reader waits.
        let readAhead = helper == nil ? 4 : 1_024
        let ledgerLane = Lane(capacity: 4)
        let chargeLane = Lane(capacity: readAhead)
        let refundLane = Lane(capacity: readAhead)
        let transactionLane = Lane(capacity: readAhead)
        for lane in [ledgerLane, chargeLane, refundLane] { interner.drain(lane) }
        let other = SnapshotReader(helper: helper, start: start, end: end)
        other?.read(charges: charges.clause, into: chargeLane, transactions: transactions.clause, into: transactionLane)
        defer {
            // After an error: stop the other reader and let the interner through every lane. (After success
            // every lane has ended already.)
            ledgerLane.finish(); refundLane.finish()
            if let other { other.stop(chargeLane, transactionLane) } else { chargeLane.finish(); transactionLane.finish() }
        }
        try loadLedger(ledger.clause, into: ledgerLane)
        if other == nil { try readHere(Self.chargeSQL(charges.clause), into: chargeLane, Self.readCharges) }
        try loadRefunds(refunds.clause, into: refundLane)
        try loadDisputes()
        try loadChargesOutside()
        interner.drain(transactionLane)
        if let other {
            try other.wait()
        } else {
            try readHere(Self.transactionSQL(transactions.clause), into: transactionLane, Self.readTransactions)
        }
        try loadPayouts()
        let facts = interner.withFacts { $0 }
        // The chunks read ahead (~140 MB at a million orders) were freed, but glibc keeps freed memory of
        // other threads' arenas mapped; give it back, or matching and writing would come on top of it
        // (peak 934 MiB instead of 784 MiB, measured).
        if helper != nil { malloc_trim(0) }
        return facts
    }

    private func window(_ table: String, _ column: String, _ first: Int64, _ last: Int64) throws -> (clause: String, rows: Int) {
        try TimeWindowClause.make(db, table: table, column: column, first: first, last: last)
    }

    private func statement(_ sql: String, _ first: Int64, _ last: Int64) throws -> RawStatement {
        try RawStatement(db, sql).bound(first, last)
    }

    /// Reads a window of Stripe objects on this connection (there is no other reader), then ends the lane.
    private func readHere(_ sql: String, into lane: Lane, _ rows: (RawStatement, Lane, FactCurrencyCache) throws -> Void) throws {
        guard let connection = db.sqliteConnection else { throw StoreError(operation: "load reconciliation facts", reason: "database is closed") }
        try Self.readWindow(sql, on: connection, start, end, into: lane, currencies, rows)
    }

    /// Runs `sql` (a window, `?1` and `?2` its first and last second) on `connection` and hands its rows
    /// to `rows`, then ends the lane: for either reader.
    static func readWindow(
        _ sql: String, on connection: OpaquePointer, _ start: Timestamp, _ end: Timestamp, into lane: Lane,
        _ currencies: FactCurrencyCache, _ rows: (RawStatement, Lane, FactCurrencyCache) throws -> Void
    ) throws {
        let select = try RawStatement(connection: connection, sql).bound(start.seconds, end.seconds)
        defer { select.finalize(); lane.finish() }
        try rows(select, lane, currencies)
    }

    private func loadLedger(_ clause: String, into lane: Lane) throws {
        // Flags worked out by SQLite rather than here: one column read instead of two to four per row (each
        // read is a call into SQLite, and the reader thread is what the load waits on). The kind is
        // `LedgerEntry.Kind(rawValue:) ?? .payment`, as `loadLedger` reads it.
        let select = try statement(
            """
            SELECT entry_id, order_id, CASE type WHEN 'refund' THEN 1 WHEN 'dispute' THEN 2 ELSE 0 END, amount, currency,
                stripe_id, created_at FROM ledger_entry WHERE \(clause)
            """, start.microseconds, end.microseconds)
        defer { select.finalize(); lane.finish() }
        let currencies = self.currencies
        try Self.scan(
            select, into: lane, idColumns: [0, 1, 5],
            make: { select in
                let type = select.int64(2)
                let kind: LedgerEntry.Kind = type == 1 ? .refund : type == 2 ? .dispute : .payment
                return ReconcileFacts.Ledger(
                    entry: IdTable.none, order: IdTable.none, stripeId: IdTable.none, kind: kind,
                    currency: try currencies.currency(select.bytes(4)), amount: select.int64(3), createdAt: Microseconds(select.int64(6)))
            })
    }

    /// Reads every row of `select` into `lane`: `make` turns it into a fact with its ids still unset, and
    /// the text of `idColumns` (the row's ids in `Fact.idFields` order) is staged; on the interner's
    /// thread `ReconcileFacts.add` then interns and sets a chunk's ids, as the records path does. Stops
    /// early, without an error, when the lane was cancelled. The caller finishes the lane and finalizes `select`.
    static func scan<Fact: FactRow>(_ select: RawStatement, into lane: Lane, idColumns: [Int32], make: (RawStatement) throws -> Fact) throws {
        precondition(idColumns.count == Fact.idFields, "a column for each of the fact's ids")
        var more = true
        while more {
            var batch = InternBatch()
            var chunk: [Fact] = []
            chunk.reserveCapacity(Self.chunkRows)
            while chunk.count < Self.chunkRows {
                guard try select.nextRow() else { more = false; break }
                for (position, column) in idColumns.enumerated() { batch.add(select.bytes(column), appendOnly: position == Fact.printedOnly) }
                chunk.append(try make(select))
            }
            guard !chunk.isEmpty else { break }
            let (staged, rows) = (batch, chunk)
            let accepted = lane.put { facts in
                var batch = staged
                facts.add(rows, ids: &batch)
            }
            guard accepted else { return }
        }
    }

    /// Succeeded and captured (or not saying) is a payment: `Charge.isPayment`, worked out by SQLite as for
    /// the ledger's kind; a payment's amount is what was captured (`Charge.capturedAmount`).
    private static let chargeColumns = """
        id, order_id, payment_intent, currency, status = 'succeeded' AND (captured IS NULL OR captured != 0),
        CASE WHEN status = 'succeeded' AND (captured IS NULL OR captured != 0) THEN coalesce(amount_captured, amount) ELSE amount END,
        created, status = 'succeeded' AND captured = 0, amount, coalesce(card_country, '')
        """

    static func chargeSQL(_ clause: String) -> String { "SELECT \(chargeColumns) FROM stripe_charge WHERE \(clause)" }

    /// The charges of the window's refunds and disputes that were created before it, looked up one by one:
    /// few, where a join would look up every refund's charge.
    private func loadChargesOutside() throws {
        let wanted = interner.withFacts { facts in
            Self.missing(facts.refunds.map(\.charge) + facts.disputes.map(\.charge), from: facts.charges.map(\.id), in: facts.ids)
        }
        let lane = Lane(capacity: 4)
        interner.drain(lane)
        let select = try RawStatement(db, "SELECT \(Self.chargeColumns) FROM stripe_charge WHERE id = ?")
        defer { select.finalize(); lane.finish() }
        for id in wanted {
            select.bind(1, id)
            try Self.readCharges(select, into: lane, currencies)
        }
    }

    /// The ids of `wanted` that are not in `loaded`, each once, as text.
    private static func missing(_ wanted: [FactID], from loaded: [FactID], in ids: IdTable) -> [String] {
        var seen = IdMap(repeating: false, count: ids.count)
        for id in loaded { seen[id] = true }
        var missing: [String] = []
        for id in wanted where !id.isNone && !seen[id] {
            seen[id] = true
            missing.append(ids.string(id))
        }
        return missing
    }

    static func readCharges(_ select: RawStatement, into lane: Lane, _ currencies: FactCurrencyCache) throws {
        try scan(
            select, into: lane, idColumns: [0, 1, 2],
            make: { select in
                ReconcileFacts.Charge(
                    id: IdTable.none, order: IdTable.none, paymentIntent: IdTable.none,
                    currency: try currencies.currency(select.bytes(3)), isPayment: select.int64(4) != 0,
                    amount: select.int64(5), created: StripeSeconds(select.int64(6)), authorized: select.int64(8),
                    isAuthorization: select.int64(7) != 0, cardCountry: CountryCode(bytes: select.bytes(9)))
            })
    }

    private func loadRefunds(_ clause: String, into lane: Lane) throws {
        // `Refund.Outcome`: a failed or canceled refund gives nothing back; any other status (or none) does.
        let select = try statement(
            """
            SELECT id, charge_id, currency, CASE status WHEN 'failed' THEN 1 WHEN 'canceled' THEN 2 ELSE 0 END, amount, created,
                json_extract(metadata, '$.order_id')
            FROM stripe_refund WHERE \(clause)
            """, start.seconds, end.seconds)
        defer { select.finalize(); lane.finish() }
        let currencies = self.currencies
        // Its own metadata.order_id, for a refund whose charge names no order (`ReconciliationPass.refundOrder`).
        try Self.scan(
            select, into: lane, idColumns: [0, 1, 6],
            make: { select in
                ReconcileFacts.Refund(
                    id: IdTable.none, charge: IdTable.none, metadataOrder: IdTable.none,
                    currency: try currencies.currency(select.bytes(2)),
                    outcome: ReconcileFacts.Refund.Outcome(rawValue: UInt8(select.int64(3))) ?? .effective,
                    amount: select.int64(4), created: StripeSeconds(select.int64(5)))
            })
    }

    private func loadDisputes() throws {
        let disputes = try PayreconStore.fetch(
            db,
            sql: """
                SELECT \(PayreconStore.Columns.dispute) FROM stripe_dispute WHERE created >= ? AND created < ?
                """, [start.seconds, end.seconds], PayreconStore.dispute)
        interner.withFacts { $0.addDisputes(disputes) }
    }

    static func transactionSQL(_ clause: String) -> String {
        "SELECT id, source_id, type, currency, amount, fee, net, created, payout_id FROM stripe_balance_transaction WHERE \(clause)"
    }

    static func readTransactions(_ select: RawStatement, into lane: Lane, _ currencies: FactCurrencyCache) throws {
        try scan(
            select, into: lane, idColumns: [0, 1, 2, 8],
            make: { select in
                ReconcileFacts.Transaction(
                    id: IdTable.none, source: IdTable.none, type: IdTable.none,
                    currency: try currencies.currency(select.bytes(3)), amount: select.int64(4), fee: select.int64(5),
                    net: select.int64(6), created: StripeSeconds(select.int64(7)))
            })
    }

    /// The window's payouts and what each is made of: one stored row per payout (`payout_composition`,
    /// kept by the writes), where reading and joining every link took a tenth of the stage.
    private func loadPayouts() throws {
        let payouts = try PayreconStore.fetch(
            db,
            sql: """
                SELECT \(PayreconStore.Columns.payout) FROM stripe_payout WHERE created >= ? AND created < ? ORDER BY created, id
                """, [start.seconds, end.seconds], PayreconStore.payout)
        let select = try RawStatement(db, "SELECT links, unknown, net FROM payout_composition WHERE payout_id = ?")
        defer { select.finalize() }
        var compositions: [ReconcileFacts.PayoutComposition?] = []
        for payout in payouts {
            select.bind(1, payout.id.rawValue)
            var composition: ReconcileFacts.PayoutComposition?
            while try select.nextRow() {
                composition = .init(links: Int(select.int64(0)), unknown: Int(select.int64(1)), net: select.int64(2))
            }
            compositions.append(composition)
        }
        interner.withFacts { facts in
            facts.payouts = payouts
            facts.payoutCompositions = compositions
        }
    }
}

extension PayreconStore {
    /// The reconciler's input for [start, end): see `FactLoader`.
    public func loadFacts(from start: Timestamp, to end: Timestamp) throws(StoreError) -> ReconcileFacts {
        try read("load reconciliation facts") { db in
            try FactLoader(db: db, helper: SnapshotConnection.beside(db, path: path), start: start, end: end).load()
        }
    }
}
