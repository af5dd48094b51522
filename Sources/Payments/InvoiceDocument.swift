import Core

/// What an invoice or credit note PDF says, with every amount already in the document's currency.
/// Built from the quote (lines, tax) and the order; the renderer only lays it out.
public struct InvoiceDocument: Hashable, Sendable {
    public enum Kind: Sendable { case invoice, creditNote }
    public struct Line: Hashable, Sendable {
        public let description: String
        public let quantity: Int64
        public let unitAmount: Money
        public let total: Money
    }

    public let kind: Kind
    public let number: String
    /// The date shown, already in the seller's time zone (YYYY-MM-DD).
    public let issueDate: String
    public let seller: Seller
    public let buyer: Quote.Party
    public let supplier: Quote.Party
    public let orderId: OrderID
    /// The Stripe object this document is about: the PaymentIntent, or the refund.
    public let reference: String
    public let lines: [Line]
    public let subtotal: Money
    public let taxRateBasisPoints: Int64
    public let tax: Money
    public let total: Money
    /// For a credit note: the invoice it corrects and why.
    public let note: String?

    public var title: String { kind == .invoice ? "Invoice" : "Credit note" }

    /// The invoice of a paid quote.
    public static func invoice(
        number: String, issueDate: String, seller: Seller, quote: Quote, orderId: OrderID,
        paymentIntent: PaymentIntentID
    ) throws -> InvoiceDocument {
        let lines = try quote.lines.map { line in
            Line(
                description: line.description, quantity: line.quantity,
                unitAmount: Money(minorUnits: line.unitAmount, currency: quote.currency), total: try quote.lineTotal(line))
        }
        return InvoiceDocument(
            kind: .invoice, number: number, issueDate: issueDate, seller: seller, buyer: quote.buyer,
            supplier: quote.supplier, orderId: orderId, reference: paymentIntent.rawValue, lines: lines,
            subtotal: try quote.subtotal(), taxRateBasisPoints: quote.taxRateBasisPoints, tax: try quote.tax(),
            total: try quote.total(), note: nil)
    }

    /// A credit note for a refund of `amount` (tax included). The tax share is worked out from the
    /// quote's rate, so that subtotal + tax = amount exactly.
    public static func creditNote(
        number: String, issueDate: String, seller: Seller, quote: Quote, orderId: OrderID,
        refund: RefundID, amount: Money, invoiceNumber: String, reason: String?
    ) -> InvoiceDocument {
        let rate = quote.taxRateBasisPoints
        let net = (amount.minorUnits * 10_000 + (10_000 + rate) / 2) / (10_000 + rate)
        let subtotal = Money(minorUnits: net, currency: amount.currency)
        let tax = Money(minorUnits: amount.minorUnits - net, currency: amount.currency)
        var note = "Credit for invoice \(invoiceNumber)"
        if let reason, !reason.isEmpty { note += ": \(reason)" }
        let line = Line(description: "Refund of order \(orderId.rawValue)", quantity: 1, unitAmount: subtotal, total: subtotal)
        return InvoiceDocument(
            kind: .creditNote, number: number, issueDate: issueDate, seller: seller, buyer: quote.buyer,
            supplier: quote.supplier, orderId: orderId, reference: refund.rawValue, lines: [line],
            subtotal: subtotal, taxRateBasisPoints: rate, tax: tax, total: amount, note: note)
    }
}

/// The marketplace as the issuer of invoices (from the configuration).
public struct Seller: Hashable, Sendable, Codable {
    public let name: String
    public let address: [String]
    public let taxId: String?
    public init(name: String, address: [String], taxId: String?) { self.name = name; self.address = address; self.taxId = taxId }
    enum CodingKeys: String, CodingKey {
        case name, address
        case taxId = "tax_id"
    }
}
