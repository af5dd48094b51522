import Core
import Foundation
import PaymentsStore

/// Payments that settle days later (bank debits such as SEPA and ACH): `payment_intent.processing`
/// books the order as processing, without an invoice or a ledger entry (no money has arrived); then
/// `succeeded` invoices it as any payment, and `payment_failed` ends it and tells the buyer and the
/// supplier. Events that come late or twice change nothing.
extension PaymentsService {
    func markProcessing(_ intent: ProcessingIntent, in tx: PaymentsTransaction) throws -> WebhookDisposition {
        guard let stored = try tx.quote(forPaymentIntent: intent.id) else { return .ignored }
        // Paid already (the events came out of order): nothing is processing any more.
        guard try tx.order(forPaymentIntent: intent.id) == nil else { return .processed }
        let record = ProcessingRecord(
            paymentIntentId: intent.id, orderId: stored.orderId, quoteId: stored.quoteId, status: .processing,
            paymentMethod: intent.method, since: tx.now, updatedAt: tx.now)
        if try tx.markProcessing(record) {
            try tx.appendAudit(
                AuditEntry(
                    at: tx.now, actor: "stripe", action: "order.processing", subject: stored.orderId.rawValue, requestId: intent.id.rawValue,
                    after: "processing \(stored.total.decimalString) \(stored.total.currency.code) by \(intent.method ?? "an unknown method")"))
            logger.info("Payment processing", metadata: ["order.id": "\(stored.orderId)", "payment_method": "\(intent.method ?? "?")"])
        }
        return .processed
    }

    /// A processing payment that failed: the order is off, the buyer is asked to pay another way, the
    /// supplier is told not to ship.
    func endFailedProcessing(_ failure: PaymentFailure, in tx: PaymentsTransaction) throws {
        guard try tx.endProcessing(failure.id, status: .failed), let stored = try tx.quote(forPaymentIntent: failure.id) else { return }
        let quote = try JSONDecoder().decode(Quote.self, from: Data(stored.quoteJSON.utf8))
        try tx.appendAudit(
            AuditEntry(
                at: tx.now, actor: "stripe", action: "order.payment_failed", subject: stored.orderId.rawValue, requestId: failure.id.rawValue,
                before: "processing", after: "payment_failed", note: failure.lastPaymentError?.message.map(CardNumberMask.mask)))
        logger.warning("Processing payment failed", metadata: ["order.id": "\(stored.orderId)", "stripe.payment_intent": "\(failure.id)"])
        if let address = quote.buyer.email {
            let reason = failure.lastPaymentError?.message.map(CardNumberMask.mask) ?? "your bank did not pay it"
            let message = EmailMessage(
                from: configuration.email.from, to: address, subject: "Payment failed – order \(stored.orderId.rawValue)",
                body: """
                    Hello \(quote.buyer.name),

                    the payment of \(stored.total.decimalString) \(stored.total.currency.code) for order \(stored.orderId.rawValue) did not \
                    go through: \(reason). Nothing was charged and the order is not shipped; please pay it another way.

                    \(configuration.seller.name)
                    """,
                attachments: [], messageId: "failed.\(failure.id.rawValue)@payrecon")
            try tx.enqueue(
                .email, key: "email:failed:\(failure.id.rawValue)", orderId: stored.orderId, payload: Array(try JSONEncoder().encode(message)))
        }
        try enqueueNotification(
            event: "order.payment_failed", orderId: stored.orderId, quote: quote, amount: stored.total, document: failure.id.rawValue, in: tx)
    }
}
