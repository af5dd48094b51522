/// A refund, in the charge's presentment currency. https://docs.stripe.com/api/refunds/object
public struct Refund: Hashable, Sendable, Codable, Identifiable {
    public var object: String = "refund"
    public let id: RefundID
    public let amount: Int64
    public let currency: Currency
    public let charge: ExpandableID?
    public let paymentIntent: ExpandableID?
    public let status: RefundStatus?
    public let created: Int64
    public let balanceTransaction: ExpandableID?
    public let reason: String?
    public let metadata: [String: String]?
    /// The `refund_failure` balance transaction that brought the funds back when the refund failed.
    public let failureBalanceTransaction: ExpandableID?
    public let failureReason: String?

    public init(
        id: RefundID, amount: Int64, currency: Currency, charge: String?, paymentIntent: String?,
        status: RefundStatus, created: Int64, balanceTransaction: String?, reason: String? = nil,
        metadata: [String: String] = [:], failureBalanceTransaction: String? = nil, failureReason: String? = nil
    ) {
        self.id = id; self.amount = amount; self.currency = currency; self.charge = charge.map { ExpandableID($0) }
        self.paymentIntent = paymentIntent.map { ExpandableID($0) }; self.status = status; self.created = created
        self.balanceTransaction = balanceTransaction.map { ExpandableID($0) }; self.reason = reason; self.metadata = metadata
        self.failureBalanceTransaction = failureBalanceTransaction.map { ExpandableID($0) }; self.failureReason = failureReason
    }

    enum CodingKeys: String, CodingKey {
        case object, id, amount, currency, charge, status, created, reason, metadata
        case paymentIntent = "payment_intent"
        case balanceTransaction = "balance_transaction"
        case failureBalanceTransaction = "failure_balance_transaction"
        case failureReason = "failure_reason"
    }

    public var createdAt: Timestamp { Timestamp(seconds: created) }
    public var money: Money { Money(minorUnits: amount, currency: currency) }
    /// Failed and canceled refunds returned nothing to the buyer.
    public var isEffective: Bool { status != .failed && status != .canceled }
}
