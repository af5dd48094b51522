import Core
import Crypto
import Foundation
import PaymentsStore

/// What a paid order and a confirmed refund write, inside the transaction of the event or request
/// that confirmed them: the document number, the PDF, the ledger entry, the outbox items.
extension PaymentsService {
    /// The invoices a batch's succeeded PaymentIntents will need, planned before their transactions
    /// under the numbers the sequence will most likely give, in the batch's order: from the next one,
    /// or from `atLeast` when invoices planned before these are not committed yet. Intents with nothing
    /// to book (no quote, or an order already) get none. Rendering (`renderInvoice`) takes milliseconds,
    /// and the write lock (which webhook acknowledgements also wait for) should not be held that long.
    func planInvoices(_ intents: [PaymentIntentID], atLeast floor: Int64, at now: Timestamp) throws -> [PaymentIntentID: PreparedInvoice] {
        guard !intents.isEmpty else { return [:] }
        return try store.readPayments(at: now) { tx in
            let quotes = try tx.quotesAwaitingOrders(intents)
            guard !quotes.isEmpty else { return [:] }
            var next = max(DocumentRecord.Kind.sequence(of: try tx.peekNextDocumentNumber(.invoice)), floor)
            var planned: [PaymentIntentID: PreparedInvoice] = [:]
            for id in intents where planned[id] == nil {
                guard let quote = quotes[id] else { continue }
                planned[id] = PreparedInvoice(number: DocumentRecord.Kind.invoice.number(next), quote: quote, document: nil, pdf: nil)
                next += 1
            }
            return planned
        }
    }

    /// The planned invoice's document and PDF.
    func renderInvoice(_ planned: PreparedInvoice, intent: PaymentIntent, charge: Charge?, at now: Timestamp) throws -> PreparedInvoice {
        let (_, document) = try invoiceDocument(number: planned.number, stored: planned.quote, intent: intent.id, charge: charge, at: now)
        return PreparedInvoice(number: planned.number, quote: planned.quote, document: document, pdf: try renderer.render(document))
    }

    func invoiceDocument(number: String, stored: StoredQuote, intent: PaymentIntentID, charge: Charge?, at now: Timestamp) throws
        -> (Quote, InvoiceDocument)
    {
        let quote = try JSONDecoder().decode(Quote.self, from: Data(stored.quoteJSON.utf8))
        let paidAt = charge.map { Timestamp(seconds: $0.created) } ?? now
        return (
            quote,
            try InvoiceDocument.invoice(
                number: number, issueDate: localDay(now), supplyDate: localDay(paidAt), paidWith: Self.paidWith(charge),
                seller: configuration.seller, quote: quote, orderId: stored.orderId, paymentIntent: intent)
        )
    }

    /// "Visa •••• 4242" for a card, the method's type ("sepa_debit") otherwise.
    static func paidWith(_ charge: Charge?) -> String? {
        guard let method = charge?.paymentMethodDetails else { return nil }
        if let card = method.card, let last4 = card.last4 {
            return "\((card.brand ?? "card").capitalized) •••• \(last4)"
        }
        return method.type
    }

    /// Books the order of a quote whose PaymentIntent succeeded, and returns it; nil if it exists
    /// already. The number is taken here, in the transaction; the prepared PDF is used when it
    /// carries that number, and rendered again otherwise.
    func bookOrder(
        _ intent: PaymentIntent, charge: Charge?, stored: StoredQuote, prepared: PreparedInvoice?,
        in tx: PaymentsTransaction
    ) throws -> OrderRecord? {
        guard try tx.order(forPaymentIntent: intent.id) == nil else { return nil }
        let number = try tx.nextDocumentNumber(.invoice)
        let paidAt = charge.map { Timestamp(seconds: $0.created) } ?? tx.now
        // The file is written here, under the number just taken, so two preparations that guessed
        // the same number can never leave one order's invoice under another's number.
        let (quote, document) = try invoiceDocument(number: number, stored: stored, intent: intent.id, charge: charge, at: tx.now)
        let pdf = try prepared.flatMap { $0.number == number && $0.document == document ? $0.pdf : nil } ?? renderer.render(document)
        let record = try saveDocument(pdf, document, kind: .invoice, orderId: stored.orderId, refund: nil, at: tx.now)
        let order = OrderRecord(
            orderId: stored.orderId, quoteId: quote.id, paymentIntentId: intent.id, chargeId: charge?.id,
            amount: stored.total, cardBrand: charge?.paymentMethodDetails?.card?.brand,
            cardLast4: charge?.paymentMethodDetails?.card?.last4, paidAt: paidAt, invoiceNumber: number,
            createdAt: tx.now)
        try tx.insertOrder(order)
        try tx.recordDocument(record)
        // The ledger books what was invoiced; if Stripe took another amount, the nightly run says so.
        try tx.appendLedger(
            LedgerEntry(
                entryId: LedgerEntryID("pay-\(stored.orderId.rawValue)"), orderId: stored.orderId, kind: .payment,
                amount: stored.total, stripeId: intent.id.rawValue, createdAt: paidAt, supplierId: quote.supplier.id))
        if let charge { try tx.upsertStripe(StripeAccountData(charges: [charge])) }
        try enqueueEmail(title: "Invoice", number: number, orderId: stored.orderId, total: stored.total, path: record.path, to: quote.buyer, in: tx)
        try enqueueNotification(event: "order.paid", orderId: stored.orderId, quote: quote, amount: stored.total, document: number, in: tx)
        logger.info("Order booked", metadata: ["order.id": "\(stored.orderId)", "invoice": "\(number)"])
        return order
    }

    /// Records a refund Stripe confirmed (succeeded): ledger refund, credit note, email and
    /// notification, once per refund id however often it is reported.
    func bookRefund(_ refund: Refund, order: OrderRecord, in tx: PaymentsTransaction) throws {
        try tx.upsertStripe(StripeAccountData(refunds: [refund]))
        try tx.updateRefundRequest(refund: refund.id, status: .succeeded)
        guard let stored = try tx.quote(forPaymentIntent: order.paymentIntentId) else { return }
        let quote = try JSONDecoder().decode(Quote.self, from: Data(stored.quoteJSON.utf8))
        let booked = try tx.appendLedger(
            LedgerEntry(
                entryId: LedgerEntryID("ref-\(refund.id.rawValue)"), orderId: order.orderId, kind: .refund,
                amount: refund.money, stripeId: refund.id.rawValue, createdAt: refund.createdAt,
                supplierId: quote.supplier.id))
        guard booked else { return }
        let number = try tx.nextDocumentNumber(.creditNote)
        let reason = refund.metadata?["reason"] ?? refund.reason
        let document = InvoiceDocument.creditNote(
            number: number, issueDate: localDay(tx.now), seller: configuration.seller, quote: quote,
            orderId: order.orderId, refund: refund.id, amount: refund.money,
            invoiceNumber: order.invoiceNumber, reason: reason.map(CardNumberMask.mask))
        let record = try saveDocument(
            try renderer.render(document), document, kind: .creditNote, orderId: order.orderId, refund: refund.id, at: tx.now)
        try tx.recordDocument(record)
        try tx.appendAudit(
            AuditEntry(
                at: tx.now, actor: "stripe", action: "refund.booked", subject: refund.id.rawValue,
                after: "\(refund.money.decimalString) \(refund.money.currency.code) of order \(order.orderId.rawValue), credit note \(number)"))
        try enqueueEmail(
            title: document.title, number: number, orderId: order.orderId, total: document.total, path: record.path,
            to: quote.buyer, in: tx)
        try enqueueNotification(event: "order.refunded", orderId: order.orderId, quote: quote, amount: refund.money, document: number, in: tx)
        logger.info("Refund booked", metadata: ["order.id": "\(order.orderId)", "stripe.refund": "\(refund.id)", "credit_note": "\(number)"])
    }

    /// Writes the PDF (whole, and flushed before the transaction that records it commits).
    func saveDocument(
        _ bytes: [UInt8], _ document: InvoiceDocument, kind: DocumentRecord.Kind, orderId: OrderID, refund: RefundID?,
        at now: Timestamp
    ) throws -> DocumentRecord {
        let path = URL(fileURLWithPath: configuration.documentsDirectory).appendingPathComponent("\(document.number).pdf").path
        try DurableFile.write(bytes, to: path)
        let digest = Hex.encode(SHA256.hash(data: bytes))
        return DocumentRecord(
            number: document.number, kind: kind, orderId: orderId, refundId: refund, total: document.total,
            path: path, sha256: digest, createdAt: now)
    }

    func enqueueEmail(
        title: String, number: String, orderId: OrderID, total: Money, path: String, to buyer: Quote.Party,
        in tx: PaymentsTransaction
    ) throws {
        guard let address = buyer.email else { return }
        let body = """
            Hello \(buyer.name),

            please find attached \(title.lowercased()) \(number) for order \(orderId.rawValue): \(total.decimalString) \(total.currency.code).

            \(configuration.seller.name)
            """
        let message = EmailMessage(
            from: configuration.email.from, to: address, subject: "\(title) \(number) – order \(orderId.rawValue)",
            body: body,
            attachments: [EmailMessage.Attachment(filename: "\(number).pdf", contentType: "application/pdf", path: path)],
            messageId: "\(number).\(orderId.rawValue)@payrecon")
        try tx.enqueue(.email, key: "email:\(number)", orderId: orderId, payload: Array(try JSONEncoder().encode(message)))
    }

    func enqueueNotification(event: String, orderId: OrderID, quote: Quote, amount: Money, document: String, in tx: PaymentsTransaction) throws {
        let notification = SupplierNotification(
            event: event, orderId: orderId.rawValue, quoteId: quote.id, supplierId: quote.supplier.id,
            amount: amount.decimalString, currency: amount.currency.code, document: document,
            occurredAt: tx.now.iso8601)
        try tx.enqueue(
            .supplierNotification, key: "notify:\(event):\(document)", orderId: orderId,
            payload: Array(try Self.canonicalEncoder.encode(notification)))
    }

    /// A day in the configured time zone, for dates printed on documents.
    func localDay(_ time: Timestamp) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: configuration.timeZone) ?? TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(time.seconds)))
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}

/// An invoice rendered ahead of its transaction, under the number it expects to get.
struct PreparedInvoice: Sendable {
    let number: String
    let quote: StoredQuote
    let document: InvoiceDocument?
    let pdf: [UInt8]?
}

/// The JSON a supplier's notification service receives.
public struct SupplierNotification: Hashable, Sendable, Codable {
    public let event: String
    public let orderId: String
    public let quoteId: String
    public let supplierId: String
    public let amount: String
    public let currency: String
    public let document: String
    public let occurredAt: String

    enum CodingKeys: String, CodingKey {
        case event, amount, currency, document
        case orderId = "order_id"
        case quoteId = "quote_id"
        case supplierId = "supplier_id"
        case occurredAt = "occurred_at"
    }
}
