/// A fact array's row (a ledger entry, a charge, a refund, a balance transaction) as both loaders build
/// it: the row's plain fields first, its ids staged in an `InternBatch` in `idFields` order, then
/// `ReconcileFacts.add` interns them and sets them. The loader from records and the loader from SQLite
/// differ only in where the bytes come from, so they cannot disagree on what a row's ids are.
public protocol FactRow: Sendable {
    /// The number of ids a row has.
    static var idFields: Int { get }
    /// The position (in `idFields` order) of the id that is only printed, never joined: appended to the
    /// table without being findable. nil when every id is joined.
    static var printedOnly: Int? { get }
    /// Sets the row's ids, in `idFields` order.
    mutating func setIds(_ ids: ArraySlice<FactID>)
    /// Appends rows to their fact array.
    static func append(_ rows: [Self], to facts: inout ReconcileFacts)
}

extension ReconcileFacts {
    /// The one way rows become facts: the batch holds `Row.idFields` ids per row, in row order.
    @inlinable
    public mutating func add<Row: FactRow>(_ rows: [Row], ids batch: inout InternBatch) {
        ids.intern(&batch)
        precondition(batch.results.count == rows.count * Row.idFields, "a batch holds each row's ids")
        var rows = rows
        let perRow = Row.idFields
        for k in rows.indices { rows[k].setIds(batch.results[k * perRow..<(k + 1) * perRow]) }
        Row.append(rows, to: &self)
    }
}

extension InternBatch {
    /// Stages one row's ids from strings (nil or empty: no id), marking its printed-only id.
    public mutating func add<Row: FactRow>(_ ids: [String?], of row: Row.Type) {
        precondition(ids.count == Row.idFields, "\(Row.self) has \(Row.idFields) ids")
        for (position, id) in ids.enumerated() {
            var text = id ?? ""
            text.withUTF8 { add(UnsafeRawBufferPointer($0), appendOnly: position == Row.printedOnly) }
        }
    }
}

extension ReconcileFacts.Ledger: FactRow {
    public static let idFields = 3
    /// The entry id (only printed).
    public static let printedOnly: Int? = 0
    @inlinable public mutating func setIds(_ ids: ArraySlice<FactID>) {
        entry = ids[ids.startIndex]; order = ids[ids.startIndex + 1]; stripeId = ids[ids.startIndex + 2]
    }
    @inlinable public static func append(_ rows: [Self], to facts: inout ReconcileFacts) { facts.ledger.append(contentsOf: rows) }
}

extension ReconcileFacts.Charge: FactRow {
    public static let idFields = 3
    public static let printedOnly: Int? = nil
    @inlinable public mutating func setIds(_ ids: ArraySlice<FactID>) {
        id = ids[ids.startIndex]; order = ids[ids.startIndex + 1]; paymentIntent = ids[ids.startIndex + 2]
    }
    @inlinable public static func append(_ rows: [Self], to facts: inout ReconcileFacts) { facts.charges.append(contentsOf: rows) }
}

extension ReconcileFacts.Refund: FactRow {
    public static let idFields = 3
    public static let printedOnly: Int? = nil
    @inlinable public mutating func setIds(_ ids: ArraySlice<FactID>) {
        id = ids[ids.startIndex]; charge = ids[ids.startIndex + 1]; metadataOrder = ids[ids.startIndex + 2]
    }
    @inlinable public static func append(_ rows: [Self], to facts: inout ReconcileFacts) { facts.refunds.append(contentsOf: rows) }
}

extension ReconcileFacts.Transaction: FactRow {
    public static let idFields = 4
    /// The transaction id (only printed, in fee findings).
    public static let printedOnly: Int? = 0
    @inlinable public mutating func setIds(_ ids: ArraySlice<FactID>) {
        id = ids[ids.startIndex]; source = ids[ids.startIndex + 1]; type = ids[ids.startIndex + 2]; payout = ids[ids.startIndex + 3]
    }
    @inlinable public static func append(_ rows: [Self], to facts: inout ReconcileFacts) { facts.transactions.append(contentsOf: rows) }
}
