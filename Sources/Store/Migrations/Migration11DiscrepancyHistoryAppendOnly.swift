import GRDB

/// v11: a discrepancy's history (every status it had, who resolved it and why) cannot be rewritten:
/// triggers refuse UPDATE and DELETE on discrepancy_event, as v9's do on ledger_entry_version. Frozen.
enum Migration11DiscrepancyHistoryAppendOnly {
    static let identifier = "v11-discrepancy-history-append-only"

    static func run(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TRIGGER discrepancy_event_no_update BEFORE UPDATE ON discrepancy_event
                  BEGIN SELECT RAISE(ABORT, 'discrepancy_event is append-only'); END;
                CREATE TRIGGER discrepancy_event_no_delete BEFORE DELETE ON discrepancy_event
                  BEGIN SELECT RAISE(ABORT, 'discrepancy_event is append-only'); END;
                """)
    }
}
