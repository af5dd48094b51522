/// A dispute (chargeback) on a charge. https://docs.stripe.com/api/disputes/object
public struct Dispute: Hashable, Sendable, Codable, Identifiable {
    public var object: String = "dispute"
    public let id: DisputeID
    public let amount: Int64
    public let currency: Currency
    public let charge: ExpandableID?
    public let paymentIntent: ExpandableID?
    public let status: DisputeStatus
    public let reason: String?
    public let created: Int64
    public let balanceTransactions: [BalanceTransaction]?

    public init(
        id: DisputeID, amount: Int64, currency: Currency, charge: String?, paymentIntent: String?,
        status: DisputeStatus, reason: String?, created: Int64, balanceTransactions: [BalanceTransaction]
    ) {
        self.id = id; self.amount = amount; self.currency = currency; self.charge = charge.map { ExpandableID($0) }
        self.paymentIntent = paymentIntent.map { ExpandableID($0) }; self.status = status; self.reason = reason
        self.created = created; self.balanceTransactions = balanceTransactions
    }

    enum CodingKeys: String, CodingKey {
        case object, id, amount, currency, charge, status, reason, created
        case paymentIntent = "payment_intent"
        case balanceTransactions = "balance_transactions"
    }

    public var createdAt: Timestamp { Timestamp(seconds: created) }
    public var money: Money { Money(minorUnits: amount, currency: currency) }
}
