import Core
import GRDB

/// Where an export's data comes from: how far each Stripe list was pulled, the newest ledger entry and
/// the last ledger import, for an auditor's manifest.
public struct ExportProvenance: Hashable, Sendable {
    /// Per Stripe object type, the newest `created` (Unix seconds) extracted so far.
    public let stripeWatermarks: [String: Int64]
    public let newestLedgerEntry: Timestamp?
    public let lastLedgerImport: Int64?
}

/// One event in a discrepancy's history: opened, seen again, closed, reopened, resolved, with who and why.
public struct DiscrepancyEvent: Hashable, Sendable {
    public let discrepancyId: String
    public let at: Timestamp
    public let status: String
    public let actor: String
    public let note: String?
    public let runId: Int64?
}

extension PayreconStore {
    public func exportProvenance() throws(StoreError) -> ExportProvenance {
        try read("load export provenance") { db in
            let watermarks = try Row.fetchAll(db, sql: "SELECT object, max_created FROM extract_watermark ORDER BY object")
            return ExportProvenance(
                stripeWatermarks: Dictionary(uniqueKeysWithValues: watermarks.map { ($0[0] as String, $0[1] as Int64) }),
                newestLedgerEntry: try Int64.fetchOne(db, sql: "SELECT max(created_at) FROM ledger_entry").map(Timestamp.init(microseconds:)),
                lastLedgerImport: try Int64.fetchOne(db, sql: "SELECT max(id) FROM ledger_import"))
        }
    }

    /// The history of every discrepancy that occurred in [start, end), by discrepancy id, oldest event first.
    public func discrepancyEvents(from start: Timestamp, to end: Timestamp) throws(StoreError) -> [DiscrepancyEvent] {
        try read("load discrepancy history") { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT e.discrepancy_id, e.at, e.status, e.actor, e.note, e.run_id FROM discrepancy_event e
                    JOIN discrepancy d ON d.id = e.discrepancy_id
                    WHERE d.occurred_at >= ? AND d.occurred_at < ? ORDER BY e.discrepancy_id, e.seq
                    """, arguments: [start.microseconds, end.microseconds]
            ).map {
                DiscrepancyEvent(
                    discrepancyId: $0[0], at: Timestamp(microseconds: $0[1]), status: $0[2], actor: $0[3], note: $0[4], runId: $0[5])
            }
        }
    }
}
