import Core
import Facts
import GRDB

extension PayreconStore {
    /// Records a reconciliation of `[start, end)` in one transaction:
    /// - matches of the period are replaced by this run's (rows that did not change are left as they
    ///   are, with the run that first recorded them);
    /// - each discrepancy found is opened, or kept open with its first_seen (a resolved one stays resolved);
    /// - a pending one (its counterpart may still arrive) is kept as 'pending' until it opens or closes;
    /// - an open discrepancy of the period that this run did not find closes: its counterpart arrived.
    /// Every status change is appended to discrepancy_event.
    public func saveReconciliation(
        runId: Int64, start: Timestamp, end: Timestamp, matches: MatchList,
        discrepancies: [Discrepancy], pending: [Discrepancy] = [], at now: Timestamp
    ) throws(StoreError) {
        try write("save reconciliation") { db in
            let period: StatementArguments = [start.microseconds, end.microseconds]
            _ = try MatchWriter(db: db).replaceMatches(of: start, end, with: matches, runId: runId)

            // Only the open and pending items of the period can close; a period's closed history can be
            // millions of rows (a bad ledger import found once), and is looked up per finding instead.
            var previous: [String: String] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT id, status FROM discrepancy WHERE occurred_at >= ? AND occurred_at < ? AND status IN ('open', 'pending')
                    """, arguments: period)
            {
                previous[row["id"]] = row["status"]
            }
            let statusOf = try db.cachedStatement(sql: "SELECT status FROM discrepancy WHERE id = ?")
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO discrepancy (id, kind, severity, subject_id, order_id, ledger_entry_id, stripe_id, currency,
                      expected_currency, expected_amount, actual_amount, occurred_at, detail, status, first_seen, last_seen, last_run_id)
                    VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
                    ON CONFLICT(id) DO UPDATE SET severity = excluded.severity, order_id = excluded.order_id,
                      ledger_entry_id = excluded.ledger_entry_id, stripe_id = excluded.stripe_id, currency = excluded.currency,
                      expected_currency = excluded.expected_currency, expected_amount = excluded.expected_amount,
                      actual_amount = excluded.actual_amount, occurred_at = excluded.occurred_at, detail = excluded.detail,
                      status = CASE WHEN discrepancy.status = 'resolved' THEN 'resolved' ELSE excluded.status END,
                      last_seen = excluded.last_seen, last_run_id = excluded.last_run_id
                    """)
            let event = try db.cachedStatement(
                sql: """
                    INSERT INTO discrepancy_event (discrepancy_id, run_id, at, status, actor, note) VALUES (?, ?, ?, ?, 'reconcile', ?)
                    """)
            var found = Set<String>()
            let findings = discrepancies.map { ($0, "open") } + pending.map { ($0, "pending") }
            for (d, status) in findings {
                found.insert(d.id)
                let before = try previous[d.id] ?? String.fetchOne(statusOf, arguments: [d.id])
                try upsert.execute(arguments: [
                    d.id, d.kind.rawValue, d.severity.rawValue, d.subjectId, d.orderId, d.ledgerEntryId,
                    d.stripeId, d.currency.code, d.expectedCurrency?.code, d.expected, d.actual,
                    d.occurredAt.microseconds, d.detail, status, now.microseconds, now.microseconds, runId,
                ])
                switch (before, status) {
                case (nil, _): try event.execute(arguments: [d.id, runId, now.microseconds, status, "found"])
                case ("closed", _): try event.execute(arguments: [d.id, runId, now.microseconds, status, "reopened: found again"])
                case ("pending", "open"): try event.execute(arguments: [d.id, runId, now.microseconds, "open", "settlement window passed"])
                default: break
                }
            }
            let close = try db.cachedStatement(sql: "UPDATE discrepancy SET status = 'closed', last_run_id = ? WHERE id = ?")
            for (id, status) in previous.sorted(by: { $0.key < $1.key }) where (status == "open" || status == "pending") && !found.contains(id) {
                try close.execute(arguments: [runId, id])
                try event.execute(arguments: [id, runId, now.microseconds, "closed", "counterpart found"])
            }
        }
    }

    /// Discrepancies whose subject happened in [start, end), in a stable order.
    public func discrepancies(from start: Timestamp, to end: Timestamp) throws(StoreError) -> [TrackedDiscrepancy] {
        try read("load discrepancies") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM discrepancy WHERE occurred_at >= ? AND occurred_at < ? ORDER BY kind, occurred_at, id
                    """, arguments: [start.microseconds, end.microseconds]
            ).map(Self.trackedDiscrepancy)
        }
    }

    /// The matches stored for [start, end), in their published order (occurred_at, then key hash).
    public func matches(from start: Timestamp, to end: Timestamp) throws(StoreError) -> [Match] {
        var result: [Match] = []
        try forEachMatch(from: start, to: end) { result.append($0) }
        return result
    }

    /// The matches that occurred in [start, end), block by block as stored, two 15-minute blocks in memory at a
    /// time (a report of a million matches never holds them all): the next is parsed while `body` takes these.
    public func forEachMatch(from start: Timestamp, to end: Timestamp, _ body: (Match) throws -> Void) throws(StoreError) {
        try read("load matches") { db in
            let select = try RawStatement(
                db,
                """
                SELECT slot_start, matches FROM match_block WHERE slot_start >= ? AND slot_start < ? ORDER BY slot_start
                """)
            defer { select.finalize() }
            select.bind(1, MatchSlot.start(of: start.microseconds))
            select.bind(2, end.microseconds)
            let parser = MatchBlockParser()
            // A block in flight when the body throws is waited for: its thread writes the parser's result.
            defer { _ = try? parser.finish() }
            func deliver(_ matches: [Match]) throws {
                for match in matches where match.occurredAt >= start && match.occurredAt < end { try body(match) }
            }
            while try select.nextRow() { try deliver(try parser.parse(select.bytes(1), slotStart: select.int64(0))) }
            try deliver(try parser.finish())
        }
    }

    static func trackedDiscrepancy(_ row: Row) throws -> TrackedDiscrepancy {
        let kind = DiscrepancyKind(rawValue: row["kind"]) ?? .missingInLedger
        let discrepancy = Discrepancy(
            kind: kind, subjectId: row["subject_id"], orderId: row["order_id"], ledgerEntryId: row["ledger_entry_id"],
            stripeId: row["stripe_id"], currency: try currency(row, "currency"),
            expectedCurrency: try (row["expected_currency"] as String?).map { try Currency(code: $0) },
            expected: row["expected_amount"], actual: row["actual_amount"],
            occurredAt: Timestamp(microseconds: row["occurred_at"]), detail: row["detail"])
        return TrackedDiscrepancy(
            discrepancy: discrepancy, status: TrackedDiscrepancy.Status(rawValue: row["status"]) ?? .open,
            firstSeen: Timestamp(microseconds: row["first_seen"]), lastSeen: Timestamp(microseconds: row["last_seen"]),
            note: row["note"], resolvedBy: row["resolved_by"])
    }
}
