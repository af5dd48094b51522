import Core

/// One data row of a ledger file being turned into a `LedgerEntry`, collecting its problems.
struct LedgerRow {
    let record: CSVReader.Record
    let position: LedgerColumn.Positions
    let fileName: String
    let mapping: ColumnMapping
    var diagnostics: [Diagnostic] = []

    init(record: CSVReader.Record, position: LedgerColumn.Positions, fileName: String, mapping: ColumnMapping) {
        self.record = record
        self.position = position
        self.fileName = fileName
        self.mapping = mapping
    }

    mutating func problem(_ column: LedgerColumn, _ message: String) {
        diagnostics.append(
            Diagnostic(file: fileName, line: record.line, column: position[column].map { $0 + 1 }, field: column.rawValue, message: message))
    }

    func value(_ column: LedgerColumn) -> String? {
        guard let index = position[column], index < record.fields.count else { return nil }
        let text = Self.trimmed(record.fields[index])
        return text.isEmpty ? nil : text
    }

    /// Without spaces and tabs at either end. Foundation's `trimmingCharacters` went through NSString and
    /// was 40 % of an import's time (perf, 100,000 orders); a field almost never needs trimming, and then
    /// this returns it as it is.
    static func trimmed(_ text: String) -> String {
        let utf8 = text.utf8
        func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        guard let first = utf8.first, let last = utf8.last, isBlank(first) || isBlank(last) else { return text }
        let start = utf8.firstIndex { !isBlank($0) } ?? utf8.endIndex
        guard start != utf8.endIndex, let end = utf8.lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(text[start...end])
    }

    mutating func entry() -> LedgerEntry? {
        let entryId = value(.entryId)
        let orderId = value(.orderId)
        if entryId == nil { problem(.entryId, "empty (expected the ledger's unique entry id)") }
        if orderId == nil { problem(.orderId, "empty (expected the order the entry belongs to)") }
        let kind = self.kind()

        var currency: Currency?
        do { currency = try Currency(code: value(.currency) ?? "") } catch { problem(.currency, error.description) }
        var amount: Money?
        if let currency {
            let text = value(.amount) ?? ""
            do {
                let parsed = try mapping.amounts == .minorUnits ? Self.minorUnits(text, currency: currency) : Money(decimal: text, currency: currency)
                if parsed.minorUnits <= 0 {
                    problem(.amount, "'\(text)' must be positive (refunds and disputes are positive too; the type says the direction)")
                } else {
                    amount = parsed
                }
            } catch { problem(.amount, error.description) }
        }
        let createdText = value(.createdAt) ?? ""
        let created = ISO8601Time.parse(createdText)
        if created == nil { problem(.createdAt, "'\(createdText)' " + (ISO8601Time.problem(createdText) ?? "is not a time")) }
        let stripeId = value(.stripeId)
        if let stripeId, let kind, !Self.allowedPrefixes[kind]!.contains(where: { stripeId.hasPrefix($0) }) {
            problem(
                .stripeId,
                "'\(stripeId)' does not fit a \(kind.rawValue) (expected an id starting with \(Self.allowedPrefixes[kind]!.joined(separator: " or ")))"
            )
        }
        guard diagnostics.isEmpty, let entryId, let orderId, let kind, let amount, let created else { return nil }
        return LedgerEntry(
            entryId: LedgerEntryID(entryId), orderId: OrderID(orderId), kind: kind, amount: amount,
            stripeId: stripeId, createdAt: created, supplierId: value(.supplierId))
    }

    /// The row's type: its type column's, or the one every row of this file has (a refunds file), which
    /// a type column, when the file has one anyway, must agree with.
    mutating func kind() -> LedgerEntry.Kind? {
        let text = value(.type)?.lowercased()
        if let only = mapping.kind {
            if let text, text != only.rawValue {
                problem(.type, "'\(text)' in a file of \(only.rawValue)s only (expected \(only.rawValue), or no type column)")
            }
            return only
        }
        guard let kind = LedgerEntry.Kind(rawValue: text ?? "") else {
            problem(.type, "'\(text ?? "")' is not a type (expected payment, refund or dispute)")
            return nil
        }
        return kind
    }

    /// An amount in whole minor units (`1234` is 12.34 USD, 1,234 JPY), as the column mapping says.
    static func minorUnits(_ text: String, currency: Currency) throws(MoneyError) -> Money {
        guard let units = Int64(text) else { throw .notMinorUnits(text, currency: currency) }
        return Money(minorUnits: units, currency: currency)
    }

    static let allowedPrefixes: [LedgerEntry.Kind: [String]] = [
        .payment: ["pi_", "ch_", "py_"], .refund: ["re_", "pyr_"], .dispute: ["du_", "dp_"],
    ]
}
