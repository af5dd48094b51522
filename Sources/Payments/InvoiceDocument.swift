import Core

/// What an invoice or credit note PDF says, with every amount already in the document's currency.
/// Built from the quote (lines, tax) and the order; the renderer only lays it out.
public struct InvoiceDocument: Hashable, Sendable {
    public enum Kind: Sendable { case invoice, creditNote }
    public struct Line: Hashable, Sendable {
        public let description: String
        public let quantity: Int64
        public let unitAmount: Money
        /// Net: quantity × unit amount.
        public let total: Money
        /// The line's share of the document's tax (shares of the rounded total, so they add up to it).
        public var tax: Money
    }

    public let kind: Kind
    public let number: String
    /// The date shown, already in the seller's time zone (YYYY-MM-DD).
    public let issueDate: String
    /// When the goods or services were supplied: the day the payment was taken (YYYY-MM-DD).
    public let supplyDate: String
    /// How it was paid: "Visa •••• 4242", or the payment method's type ("sepa_debit"); nil when not known.
    public let paidWith: String?
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
        number: String, issueDate: String, supplyDate: String? = nil, paidWith: String? = nil, seller: Seller, quote: Quote,
        orderId: OrderID, paymentIntent: PaymentIntentID
    ) throws -> InvoiceDocument {
        let (lines, tax) = try invoicedLines(quote)
        return InvoiceDocument(
            kind: .invoice, number: number, issueDate: issueDate, supplyDate: supplyDate ?? issueDate, paidWith: paidWith,
            seller: seller, buyer: quote.buyer, supplier: quote.supplier, orderId: orderId, reference: paymentIntent.rawValue,
            lines: lines, subtotal: try quote.subtotal(), taxRateBasisPoints: quote.taxRateBasisPoints, tax: tax, total: try quote.total(),
            note: nil)
    }

    /// The quote's lines as invoiced, each with its share of the quote's tax, and that tax.
    static func invoicedLines(_ quote: Quote) throws -> (lines: [Line], tax: Money) {
        let lines = try quote.lines.map { line in
            Line(
                description: line.description, quantity: line.quantity,
                unitAmount: Money(minorUnits: line.unitAmount, currency: quote.currency), total: try quote.lineTotal(line),
                tax: Money(minorUnits: 0, currency: quote.currency))
        }
        let tax = try quote.tax()
        return (sharing(tax, over: lines), tax)
    }

    /// Each line's share of `tax`, in proportion to its net, the remainder's minor units going to the
    /// largest fractions first (ties to the earlier line): the shares add up to the tax exactly.
    static func sharing(_ tax: Money, over lines: [Line]) -> [Line] {
        let net = lines.reduce(Int64(0)) { $0 + $1.total.minorUnits }
        guard net > 0 else { return lines }
        var shares = lines.map { line -> (whole: Int64, remainder: Int64) in
            let product = line.total.minorUnits.multipliedFullWidth(by: tax.minorUnits)
            let (quotient, remainder) = net.dividingFullWidth(product)
            return (quotient, remainder)
        }
        var left = tax.minorUnits - shares.reduce(Int64(0)) { $0 + $1.whole }
        let order = shares.indices.sorted { (-shares[$0].remainder, $0) < (-shares[$1].remainder, $1) }
        for index in order where left > 0 {
            shares[index].whole += 1
            left -= 1
        }
        return zip(lines, shares).map { line, share in
            var line = line
            line.tax = Money(minorUnits: share.whole, currency: tax.currency)
            return line
        }
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
        // A full refund credits every line of the invoice (its subtotal and tax as invoiced); a partial
        // one is one line of its own.
        if let whole = try? quote.total(), whole == amount, let invoiced = try? invoicedLines(quote), let invoicedNet = try? quote.subtotal() {
            return InvoiceDocument(
                kind: .creditNote, number: number, issueDate: issueDate, supplyDate: issueDate, paidWith: nil, seller: seller,
                buyer: quote.buyer, supplier: quote.supplier, orderId: orderId, reference: refund.rawValue, lines: invoiced.lines,
                subtotal: invoicedNet, taxRateBasisPoints: rate, tax: invoiced.tax, total: amount, note: note)
        }
        let line = Line(description: "Refund of order \(orderId.rawValue)", quantity: 1, unitAmount: subtotal, total: subtotal, tax: tax)
        return InvoiceDocument(
            kind: .creditNote, number: number, issueDate: issueDate, supplyDate: issueDate, paidWith: nil, seller: seller,
            buyer: quote.buyer, supplier: quote.supplier, orderId: orderId, reference: refund.rawValue, lines: [line],
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
