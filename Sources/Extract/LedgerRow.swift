import Core

/// One data row of a ledger file being turned into a `LedgerEntry`, collecting its problems.
struct LedgerRow {
    let record: CSVReader.Record
    let position: [String: Int]
    let fileName: String
    var diagnostics: [Diagnostic] = []

    init(record: CSVReader.Record, position: [String: Int], fileName: String) {
        self.record = record
        self.position = position
        self.fileName = fileName
    }

    mutating func problem(_ column: String, _ message: String) {
        diagnostics.append(Diagnostic(file: fileName, line: record.line, column: position[column].map { $0 + 1 }, field: column, message: message))
    }

    func value(_ column: String) -> String? {
        guard let index = position[column], index < record.fields.count else { return nil }
        let text = record.fields[index].trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? nil : text
    }

    mutating func entry() -> LedgerEntry? {
        let entryId = value("entry_id")
        let orderId = value("order_id")
        if entryId == nil { problem("entry_id", "empty (expected the ledger's unique entry id)") }
        if orderId == nil { problem("order_id", "empty (expected the order the entry belongs to)") }
        let kindText = value("type")?.lowercased() ?? ""
        let kind = LedgerEntry.Kind(rawValue: kindText)
        if kind == nil { problem("type", "'\(kindText)' is not a type (expected payment, refund or dispute)") }

        var currency: Currency?
        do { currency = try Currency(code: value("currency") ?? "") } catch { problem("currency", error.description) }
        var amount: Money?
        if let currency {
            let text = value("amount") ?? ""
            do {
                let parsed = try Money(decimal: text, currency: currency)
                if parsed.minorUnits <= 0 {
                    problem("amount", "'\(text)' must be positive (refunds and disputes are positive too; the type says the direction)")
                } else {
                    amount = parsed
                }
            } catch { problem("amount", error.description) }
        }
        let createdText = value("created_at") ?? ""
        let created = ISO8601Time.parse(createdText)
        if created == nil { problem("created_at", "'\(createdText)' " + (ISO8601Time.problem(createdText) ?? "is not a time")) }
        let stripeId = value("stripe_id")
        if let stripeId, let kind, !Self.allowedPrefixes[kind]!.contains(where: { stripeId.hasPrefix($0) }) {
            problem(
                "stripe_id",
                "'\(stripeId)' does not fit a \(kind.rawValue) (expected an id starting with \(Self.allowedPrefixes[kind]!.joined(separator: " or ")))"
            )
        }
        guard diagnostics.isEmpty, let entryId, let orderId, let kind, let amount, let created else { return nil }
        return LedgerEntry(
            entryId: LedgerEntryID(entryId), orderId: OrderID(orderId), kind: kind, amount: amount,
            stripeId: stripeId, createdAt: created, supplierId: value("supplier_id"))
    }

    static let allowedPrefixes: [LedgerEntry.Kind: [String]] = [
        .payment: ["pi_", "ch_", "py_"], .refund: ["re_", "pyr_"], .dispute: ["du_", "dp_"],
    ]
}
