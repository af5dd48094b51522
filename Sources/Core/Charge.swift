/// A charge, in its presentment currency (what the buyer paid).
/// Only the card's brand and last4 are decoded: payrecon never holds card data.
/// https://docs.stripe.com/api/charges/object
public struct Charge: Hashable, Sendable, Codable, Identifiable {
    public var object: String = "charge"
    public let id: ChargeID
    public let amount: Int64
    public let amountCaptured: Int64?
    public let amountRefunded: Int64?
    public let currency: Currency
    public let captured: Bool?
    public let paid: Bool?
    public let refunded: Bool?
    public let disputed: Bool?
    public let status: ChargeStatus
    public let created: Int64
    public let paymentIntent: ExpandableID?
    public let balanceTransaction: ExpandableID?
    public let metadata: [String: String]?
    public let failureCode: String?
    public let paymentMethodDetails: PaymentMethodSummary?

    public init(
        id: ChargeID, amount: Int64, currency: Currency, status: ChargeStatus, captured: Bool = true,
        created: Int64, paymentIntent: String?, balanceTransaction: String?, metadata: [String: String],
        amountRefunded: Int64 = 0, failureCode: String? = nil, card: PaymentMethodSummary? = nil, amountCaptured: Int64? = nil
    ) {
        self.id = id; self.amount = amount; self.currency = currency; self.status = status
        self.amountCaptured = status == .succeeded && captured ? amountCaptured ?? amount : 0
        self.amountRefunded = amountRefunded; self.captured = captured; self.paid = status == .succeeded
        self.refunded = amountRefunded >= amount; self.disputed = false; self.created = created
        self.paymentIntent = paymentIntent.map { ExpandableID($0) }; self.balanceTransaction = balanceTransaction.map { ExpandableID($0) }
        self.metadata = metadata; self.failureCode = failureCode; self.paymentMethodDetails = card
    }

    enum CodingKeys: String, CodingKey {
        case object, id, amount, currency, captured, paid, refunded, disputed, status, created, metadata
        case amountCaptured = "amount_captured"
        case amountRefunded = "amount_refunded"
        case paymentIntent = "payment_intent"
        case balanceTransaction = "balance_transaction"
        case failureCode = "failure_code"
        case paymentMethodDetails = "payment_method_details"
    }

    public var createdAt: Timestamp { Timestamp(seconds: created) }
    public var money: Money { Money(minorUnits: amount, currency: currency) }
    /// The marketplace's order, from `metadata.order_id`.
    public var orderId: OrderID? { metadata?["order_id"].map { OrderID($0) } }
    /// A payment is a succeeded charge that was captured; failed and uncaptured charges are not.
    public var isPayment: Bool { status == .succeeded && captured != false }
    /// Authorized and never captured: the money was held on the card, never taken.
    public var isUncapturedAuthorization: Bool { status == .succeeded && captured == false }
    /// What Stripe took: `amount_captured` (less than `amount` after a partial capture); a charge that
    /// does not say is taken in full when it is a payment.
    public var capturedAmount: Int64 { isPayment ? amountCaptured ?? amount : 0 }
}

/// The non-sensitive part of `payment_method_details`: its type, and a card's brand and last4.
public struct PaymentMethodSummary: Hashable, Sendable, Codable {
    public struct Card: Hashable, Sendable, Codable {
        public let brand: String?
        public let last4: String?
        /// Where the card was issued (ISO 3166-1 alpha-2): it decides the international-card surcharge.
        public let country: String?
        public init(brand: String?, last4: String?, country: String? = nil) { self.brand = brand; self.last4 = last4; self.country = country }
    }
    public let type: String?
    public let card: Card?
    public init(type: String?, card: Card?) { self.type = type; self.card = card }
}
