/// What one ledger import did: entries added, replaced (their earlier versions kept) and left unchanged.
public struct LedgerImportSummary: Hashable, Sendable, CustomStringConvertible {
    public let importId: Int64
    public var added = 0
    public var replaced = 0
    public var unchanged = 0

    public init(importId: Int64, added: Int = 0, replaced: Int = 0, unchanged: Int = 0) {
        self.importId = importId; self.added = added; self.replaced = replaced; self.unchanged = unchanged
    }

    public var entries: Int { added + replaced + unchanged }

    public var description: String { "\(added) added, \(replaced) replaced (old versions kept), \(unchanged) unchanged" }
}
