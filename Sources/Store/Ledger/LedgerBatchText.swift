import Core

/// The text of a batch of entries (the rows of one `insertSQL` statement, one or many) in one buffer
/// of ours, bound without SQLite copying each value (SQLITE_STATIC): the buffer stays as it is until
/// the statement has stepped.
struct LedgerBatchText {
    private var bytes: [UInt8] = []
    /// Each text field's start and length in `bytes`, six a row; -1 for NULL.
    private var spans: [Int32] = []

    mutating func bindAndStep(_ batch: ArraySlice<LedgerEntry>, _ statement: RawStatement, importId: Int64) throws {
        bytes.removeAll(keepingCapacity: true)
        spans.removeAll(keepingCapacity: true)
        for e in batch {
            add(e.entryId.rawValue)
            add(e.orderId.rawValue)
            add(e.kind.rawValue)
            add(e.amount.currency.code)
            add(e.stripeId)
            add(e.supplierId)
        }
        try bytes.withUnsafeBytes { raw in
            for (row, e) in batch.enumerated() {
                let base = Int32(row * 9)
                let span = row * 12
                func text(_ k: Int) -> UnsafeRawBufferPointer? {
                    let start = Int(spans[span + 2 * k])
                    guard start >= 0 else { return nil }
                    return UnsafeRawBufferPointer(rebasing: raw[start..<start + Int(spans[span + 2 * k + 1])])
                }
                statement.bind(base + 1, borrowing: text(0))
                statement.bind(base + 2, borrowing: text(1))
                statement.bind(base + 3, borrowing: text(2))
                statement.bind(base + 4, e.amount.minorUnits)
                statement.bind(base + 5, borrowing: text(3))
                statement.bind(base + 6, borrowing: text(4))
                statement.bind(base + 7, e.createdAt.microseconds)
                statement.bind(base + 8, borrowing: text(5))
                statement.bind(base + 9, importId)
            }
            try statement.step()
        }
    }

    private mutating func add(_ text: String?) {
        guard let text else {
            spans.append(-1)
            spans.append(0)
            return
        }
        spans.append(Int32(bytes.count))
        bytes.append(contentsOf: text.utf8)
        spans.append(Int32(bytes.count) - spans[spans.count - 1])
    }
}
