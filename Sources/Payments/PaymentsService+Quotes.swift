import Core
import Crypto
import Foundation
import PaymentsStore
import StripeAPI

/// What the Payment Element needs to collect the payment.
public struct PaymentIntentAnswer: Sendable, Encodable {
    public let paymentIntentId: String
    public let clientSecret: String
    public let orderId: String
    public let amount: String
    public let currency: String
    public let status: String
    /// The buyer's signed, expiring link to the checkout page, when one is configured.
    public let checkoutURL: String?

    enum CodingKeys: String, CodingKey {
        case paymentIntentId = "payment_intent_id"
        case clientSecret = "client_secret"
        case orderId = "order_id"
        case checkoutURL = "checkout_url"
        case amount, currency, status
    }
}

extension PaymentsService {
    /// `POST /quotes/{id}/payment-intent`: the PaymentIntent for an approved quote. The amount is
    /// the quote's total computed here. Asking again for the same quote returns the same
    /// PaymentIntent; the same id with other content is refused.
    public func paymentIntent(quoteId: String, request: QuoteRequest, actor: RequestActor = .backend) async throws(PaymentsError)
        -> PaymentIntentAnswer
    {
        let quote = try request.quote(id: quoteId)
        let total: Money
        let quoteJSON: String
        do {
            total = try quote.total()
            quoteJSON = String(decoding: try Self.canonicalEncoder.encode(quote), as: UTF8.self)
        } catch { throw .invalid("lines", "a total that fits in 64-bit minor units") }
        let fingerprint = Hex.encode(SHA256.hash(data: Data(quoteJSON.utf8)))
        do {
            return try await quoteLocks.run(quoteId) {
                let stored = try self.store.registerQuote(
                    StoredQuote(
                        quoteId: quoteId, orderId: quote.orderId, fingerprint: fingerprint,
                        quoteJSON: quoteJSON, total: total), at: self.clock())
                guard stored.fingerprint == fingerprint else {
                    throw PaymentsError(
                        status: 409, code: "quote_changed",
                        message: "quote \(quoteId) was already submitted for payment with other lines, parties or currency")
                }
                let intent: PaymentIntent
                if let existing = stored.paymentIntentId {
                    intent = try await self.stripe.get("/v1/payment_intents/\(existing.rawValue)")
                } else {
                    intent = try await self.stripe.post(
                        "/v1/payment_intents", form: self.paymentIntentForm(quote, total: total),
                        idempotencyKey: "payrecon-quote-\(quoteId)-\(fingerprint.prefix(16))")
                    try self.store.attachPaymentIntent(intent.id, toQuote: quoteId)
                    let now = self.clock()
                    try self.store.appendAudit(
                        AuditEntry(
                            at: now, actor: actor.name, action: "quote.priced", subject: quoteId, requestId: actor.requestId,
                            after:
                                "order \(quote.orderId.rawValue), total \(total.decimalString) \(total.currency.code), sha256 \(fingerprint.prefix(16))"
                        ))
                    try self.store.appendAudit(
                        AuditEntry(
                            at: now, actor: actor.name, action: "payment_intent.created", subject: intent.id.rawValue, requestId: actor.requestId,
                            after: "\(total.decimalString) \(total.currency.code) for quote \(quoteId)"))
                    self.logger.info("Created PaymentIntent", metadata: ["quote.id": "\(quoteId)", "stripe.payment_intent": "\(intent.id)"])
                }
                guard let secret = intent.clientSecret else {
                    throw PaymentsError(status: 502, code: "stripe_error", message: "Stripe returned no client_secret")
                }
                return PaymentIntentAnswer(
                    paymentIntentId: intent.id.rawValue, clientSecret: secret, orderId: quote.orderId.rawValue,
                    amount: total.decimalString, currency: total.currency.code, status: intent.status,
                    checkoutURL: self.checkoutURL(quoteId: quoteId))
            }
        } catch {
            throw answer(for: error, doing: "create a PaymentIntent")
        }
    }

    func paymentIntentForm(_ quote: Quote, total: Money) -> [(String, String)] {
        var form: [(String, String)] = [
            ("amount", String(total.minorUnits)), ("currency", total.currency.code.lowercased()),
            ("metadata[order_id]", quote.orderId.rawValue), ("metadata[quote_id]", quote.id),
            ("metadata[buyer_id]", quote.buyer.id), ("metadata[supplier_id]", quote.supplier.id),
        ]
        if let types = configuration.stripe.paymentMethodTypes {
            form += types.map { ("payment_method_types[]", $0) }
        } else {
            form.append(("automatic_payment_methods[enabled]", "true"))
        }
        return form
    }

    static var canonicalEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
