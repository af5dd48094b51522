import Core
import Foundation
import PaymentsStore

/// Orders waiting for their payment: quotes Q-<n> registered as the quote endpoint leaves them (the
/// PaymentIntent pi_<prefix>_<n> attached), and the signed-ready `payment_intent.succeeded` event that
/// books each, its charge expanded so that booking calls no Stripe. 100.00 EUR + 19 % = 119.00 EUR each.
public struct BookingFixture: Sendable {
    public let prefix: String

    public init(prefix: String) { self.prefix = prefix }

    public func registerQuotes(_ numbers: Range<Int>, in store: any PaymentsStore) throws {
        let eur = try Currency(code: "EUR")
        for number in numbers {
            let quote = Quote(
                id: "Q-\(number)", buyer: .init(id: "B", name: "Buyer", email: "buyer@example.com"),
                supplier: .init(id: "S", name: "Supplier"), currency: eur,
                lines: [.init(description: "Item", quantity: 1, unitAmount: 10_000)], taxRateBasisPoints: 1900)
            let json = String(decoding: try JSONEncoder().encode(quote), as: UTF8.self)
            _ = try store.registerQuote(
                StoredQuote(quoteId: quote.id, orderId: quote.orderId, fingerprint: "f", quoteJSON: json, total: try quote.total()),
                at: Timestamp(seconds: 0))
            try store.attachPaymentIntent(PaymentIntentID("pi_\(prefix)_\(number)"), toQuote: quote.id)
        }
    }

    public func event(_ number: Int, created: Int64) -> Data {
        Data(
            """
            {"id": "evt_\(prefix)_\(number)", "object": "event", "type": "payment_intent.succeeded", "created": \(created), "livemode": false,
             "data": {"object": {"id": "pi_\(prefix)_\(number)", "object": "payment_intent", "amount": 11900, "currency": "eur",
               "status": "succeeded", "created": \(created), "metadata": {"order_id": "ord_Q-\(number)", "quote_id": "Q-\(number)"},
               "latest_charge": {"id": "ch_\(prefix)_\(number)", "object": "charge", "amount": 11900, "currency": "eur", "status": "succeeded",
                 "captured": true, "created": \(created), "payment_intent": "pi_\(prefix)_\(number)", "metadata": {},
                 "payment_method_details": {"type": "card", "card": {"brand": "visa", "last4": "4242"}}}}}}
            """.utf8)
    }
}
