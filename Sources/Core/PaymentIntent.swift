/// A PaymentIntent: what the buyer is asked to pay for a quote. `clientSecret` goes to the Payment
/// Element in the browser and nowhere else (never logged, never stored).
/// https://docs.stripe.com/api/payment_intents/object
public struct PaymentIntent: Hashable, Sendable, Codable, Identifiable {
    public let id: PaymentIntentID
    public let amount: Int64
    public let currency: Currency
    public let status: String
    public let clientSecret: String?
    public let latestCharge: ExpandableID?
    public let metadata: [String: String]?
    public let created: Int64

    enum CodingKeys: String, CodingKey {
        case id, amount, currency, status, metadata, created
        case clientSecret = "client_secret"
        case latestCharge = "latest_charge"
    }

    public var money: Money { Money(minorUnits: amount, currency: currency) }
}
