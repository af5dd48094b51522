import Core
import Store

extension ReportBuilder {
    static let historyColumns = ["discrepancy_id", "at", "status", "actor", "note", "run_id"]

    /// Every event of the period's discrepancies (opened, seen again, closed, reopened, resolved): who, when, why.
    public func historyTable() throws(StoreError) -> ReportTable {
        var table = ReportTable(name: "History", fileName: "discrepancy_history.csv", columns: Self.historyColumns)
        for event in try store.discrepancyEvents(from: period.start, to: period.end) {
            table.rows.append([
                .text(event.discrepancyId), timeCell(event.at), .text(event.status), .text(event.actor), .optionalText(event.note),
                event.runId.map { .integer($0) } ?? .empty,
            ])
        }
        return table
    }
}
