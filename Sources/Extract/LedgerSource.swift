import Core

/// Where ledger rows come from: the canonical CSV, another system's CSV through a column mapping (a
/// refunds file being one more source), or the rows of a query against the marketplace's PostgreSQL.
/// Every source feeds the same `LedgerChecker`, so every source refuses the same things with the same
/// messages, and the import stage treats them all alike.
public protocol LedgerSource: Sendable {
    /// Names the source in diagnostics, the import's output and its run record.
    var label: String { get }
    /// How the source's columns are named and its amounts written; the checker reads rows through it.
    var mapping: ColumnMapping { get }
    /// Feeds `checker` the source's header and then its rows, handing each chunk of checked entries to
    /// `chunk` as it is ready (false from `chunk` stops reading), and the last one (`take(_:handingTo:)`, `finish(handingTo:)`).
    /// Throws when the source cannot be read or any row had a problem: the chunks handed over must then be
    /// thrown away. A source that blocks while it reads (a file) blocks the calling task.
    func read(_ checker: inout LedgerChecker, _ chunk: ([LedgerEntry]) -> Bool) async throws(LedgerImportError)
}

/// A ledger CSV file, canonical or laid out as its column mapping says.
public struct CSVLedgerSource: LedgerSource {
    public let path: String
    public let mapping: ColumnMapping
    public let maxFieldBytes: Int

    public init(path: String, mapping: ColumnMapping = ColumnMapping(), maxFieldBytes: Int = CSVReader.defaultMaxFieldBytes) {
        self.path = path; self.mapping = mapping; self.maxFieldBytes = maxFieldBytes
    }

    public var label: String { path }

    public func read(_ checker: inout LedgerChecker, _ chunk: ([LedgerEntry]) -> Bool) async throws(LedgerImportError) {
        try LedgerParser(fileName: path, mapping: mapping, maxFieldBytes: maxFieldBytes).parse(fileAt: path, checker: &checker, chunk)
    }
}
