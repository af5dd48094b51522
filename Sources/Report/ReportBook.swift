import Store

/// A report as it is written: its sheets in order, any of them streamed, and the Summary, made last
/// from what the sheets held and shown first.
public struct ReportBook: Sendable {
    public let summary: @Sendable () throws(StoreError) -> ReportTable
    public let sheets: [ReportTable]

    public init(summary: @escaping @Sendable () throws(StoreError) -> ReportTable, sheets: [ReportTable]) {
        self.summary = summary; self.sheets = sheets
    }
}
