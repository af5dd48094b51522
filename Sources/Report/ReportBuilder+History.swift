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

extension ReportBuilder {
    static let auditColumns = ["at", "actor", "action", "subject", "request_id", "before", "after", "note"]

    /// The audit log's entries made in the period: every action that changed a record, who took it, and
    /// what the record was before and after.
    public func auditTable() throws(StoreError) -> ReportTable {
        var table = ReportTable(name: "Audit log", fileName: "audit_log.csv", columns: Self.auditColumns)
        for entry in try store.auditLog(from: period.start, to: period.end) {
            table.rows.append([
                timeCell(entry.at), .text(entry.actor), .text(entry.action), .text(entry.subject), .optionalText(entry.requestId),
                .optionalText(entry.before), .optionalText(entry.after), .optionalText(entry.note),
            ])
        }
        return table
    }
}
