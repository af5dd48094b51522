import Core

/// Match rows on their way into an INSERT: their text columns (rule, key, order, ledger ids, Stripe
/// ids, currencies) laid out in one buffer per block of rows and bound without copies
/// (`bind(_:borrowing:)`), so a row costs no allocation of its own on the way into SQLite.
struct MatchRows: Sendable {
    /// Text columns in the order `textColumns` names them, and where each field ends in `text`.
    private var text = ByteBuffer(capacity: 64 * 1_024)
    private var ends: [Int] = []
    private var orderIsNull: [Bool] = []
    /// Integer columns in the order `integerColumns` names them.
    private var integers: [Int64] = []
    private(set) var count = 0

    /// The match INSERT's columns; `textColumns` and `integerColumns` are 1-based positions in it.
    static let columns = """
        (occurred_at, key_hash, run_id, rule, match_key, order_id, ledger_entry_ids, stripe_ids,
        currency, ledger_amount, stripe_currency, stripe_amount, content_hash)
        """
    private static let textColumns: [Int32] = [4, 5, 6, 7, 8, 9, 11]
    private static let integerColumns: [Int32] = [1, 2, 3, 10, 12, 13]
    private static let orderField = 2
    private static let columnsPerRow: Int32 = 13

    mutating func add(_ r: MatchList.Record, of list: MatchList, runId: Int64, contentHash: Int64) {
        text.append(r.rule.rawValue); ends.append(text.count)
        list.withKeyBytes(r) { text.append($0) }
        ends.append(text.count)
        orderIsNull.append(r.order == IdTable.none)
        if r.order != IdTable.none { list.ids.withBytes(r.order) { text.append($0) } }
        ends.append(text.count)
        join(list.ledgerIds(r), of: list.ids)
        join(list.stripeIds(r), of: list.ids)
        text.append(r.ledgerCurrency.code); ends.append(text.count)
        text.append(r.stripeCurrency.code); ends.append(text.count)
        // One by one: an array literal here would be an allocation per row.
        integers.append(r.occurredAt); integers.append(r.keyHash); integers.append(runId)
        integers.append(r.ledgerAmount); integers.append(r.stripeAmount); integers.append(contentHash)
        count += 1
    }

    /// Ids separated by spaces, as the match row stores them.
    private mutating func join(_ members: ArraySlice<Int32>, of ids: IdTable) {
        let start = text.count
        for id in members {
            if text.count > start { text.append(bytesOf: UInt8(ascii: " ")) }
            ids.withBytes(id) { text.append($0) }
        }
        ends.append(text.count)
    }

    /// Binds `rows` to `statement` (which has parameters for that many rows) and steps it.
    func bindAndStep(rows: Range<Int>, _ statement: RawStatement) throws {
        let fields = Self.textColumns.count
        try text.withUnsafeBytes { all in
            for (slot, row) in rows.enumerated() {
                let base = Int32(slot) * Self.columnsPerRow
                for (k, column) in Self.integerColumns.enumerated() { statement.bind(base + column, integers[row * Self.integerColumns.count + k]) }
                for (k, column) in Self.textColumns.enumerated() {
                    let field = row * fields + k
                    let start = field == 0 ? 0 : ends[field - 1]
                    let isNull = k == Self.orderField && orderIsNull[row]
                    statement.bind(base + column, borrowing: isNull ? nil : UnsafeRawBufferPointer(rebasing: all[start..<ends[field]]))
                }
            }
            try statement.step()
        }
    }
}
