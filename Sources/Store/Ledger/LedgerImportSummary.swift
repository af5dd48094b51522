/// Entries added, replaced (their earlier versions kept) and left unchanged.
public struct LedgerImportCounts: Hashable, Sendable, CustomStringConvertible {
    public var added = 0
    public var replaced = 0
    public var unchanged = 0

    public init(added: Int = 0, replaced: Int = 0, unchanged: Int = 0) {
        self.added = added; self.replaced = replaced; self.unchanged = unchanged
    }

    public var entries: Int { added + replaced + unchanged }

    public static func + (a: Self, b: Self) -> Self {
        Self(added: a.added + b.added, replaced: a.replaced + b.replaced, unchanged: a.unchanged + b.unchanged)
    }

    public var description: String { "\(added) added, \(replaced) replaced (old versions kept), \(unchanged) unchanged" }

    /// `added=3 replaced=0 unchanged=1`: the run record's words.
    public var fields: String { "added=\(added) replaced=\(replaced) unchanged=\(unchanged)" }
}

/// What one ledger import did, in all and per source (a ledger file and its refunds file are one import).
public struct LedgerImportSummary: Hashable, Sendable, CustomStringConvertible {
    public let importId: Int64
    public var total: LedgerImportCounts
    /// Each source's label and counts, in the order they were read.
    public var sources: [Source]

    public struct Source: Hashable, Sendable {
        public let label: String
        public let counts: LedgerImportCounts
        public init(label: String, counts: LedgerImportCounts) { self.label = label; self.counts = counts }
    }

    public init(importId: Int64, added: Int = 0, replaced: Int = 0, unchanged: Int = 0, sources: [Source] = []) {
        self.importId = importId
        self.total = LedgerImportCounts(added: added, replaced: replaced, unchanged: unchanged)
        self.sources = sources
    }

    public var added: Int { total.added }
    public var replaced: Int { total.replaced }
    public var unchanged: Int { total.unchanged }
    public var entries: Int { total.entries }

    public var description: String { total.description }
}
