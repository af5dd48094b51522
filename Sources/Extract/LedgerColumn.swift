/// The canonical ledger columns (DESIGN.md), in the order of their contract.
public enum LedgerColumn: String, CaseIterable, Sendable {
    case entryId = "entry_id"
    case orderId = "order_id"
    case type
    case amount
    case currency
    case createdAt = "created_at"
    case stripeId = "stripe_id"
    case supplierId = "supplier_id"

    public var isOptional: Bool { self == .stripeId || self == .supplierId }

    /// Where each column is in a file's header: found once per file, then read for every row by index
    /// (a dictionary of names hashed eight strings a row).
    struct Positions {
        private var indexes = [Int](repeating: -1, count: LedgerColumn.allCases.count)

        subscript(column: LedgerColumn) -> Int? {
            get { indexes[column.ordinal] < 0 ? nil : indexes[column.ordinal] }
            set { indexes[column.ordinal] = newValue ?? -1 }
        }
    }

    var ordinal: Int {
        switch self {
        case .entryId: 0
        case .orderId: 1
        case .type: 2
        case .amount: 3
        case .currency: 4
        case .createdAt: 5
        case .stripeId: 6
        case .supplierId: 7
        }
    }
}
