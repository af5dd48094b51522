/// Ledger entries and Stripe objects that agree, and the rule and key that paired them.
public struct Match: Hashable, Sendable {
    public enum Rule: String, Hashable, Sendable, CaseIterable {
        /// The ledger row carries the Stripe id (pi_, ch_, re_, du_/dp_).
        case stripeId = "stripe_id"
        /// The charge's metadata.order_id is the ledger row's order.
        case metadataOrderId = "metadata_order_id"
        /// A ledger payment without id matched an order-less charge of the same amount and currency close in time.
        case amountTimeWindow = "amount_time_window"
        /// Ledger refunds without ids matched the order's Stripe refunds by their sum.
        case refundSum = "refund_sum"
        /// Ledger refund without id matched one Stripe refund of the order with the same amount.
        case refundAmount = "refund_amount"
        /// Ledger dispute without id matched the order's dispute.
        case disputeOrder = "dispute_order"
        /// A won dispute's reinstatement (funds back) matched to its withdrawal: two Stripe transactions.
        case disputeReinstatement = "dispute_reinstatement"
    }

    public let rule: Rule
    /// The value the rule matched on (the id, the order id, or the amount and window).
    public let key: MatchKey
    public let orderId: String?
    public let ledgerEntryIds: [String]
    public let stripeIds: [String]
    public let ledgerAmount: Money
    public let stripeAmount: Money
    /// When the Stripe side happened: it decides the reporting period a match belongs to.
    public let occurredAt: Timestamp
    /// Fee, net and payouts of the match's balance transactions; nil when they are not in the store yet
    /// (or, rarely, settle in more than one currency).
    public var settlement: MatchSettlement?
    /// Deterministic id from its members, computed once: matches are sorted by it.
    public let id: String

    public init(
        rule: Rule, key: MatchKey, orderId: String?, ledgerEntryIds: [String], stripeIds: [String],
        ledgerAmount: Money, stripeAmount: Money, occurredAt: Timestamp, settlement: MatchSettlement? = nil
    ) {
        self.settlement = settlement
        self.rule = rule; self.key = key; self.orderId = orderId; self.ledgerEntryIds = ledgerEntryIds
        self.stripeIds = stripeIds; self.ledgerAmount = ledgerAmount; self.stripeAmount = stripeAmount; self.occurredAt = occurredAt
        self.id = "\(rule.rawValue)/" + (ledgerEntryIds + stripeIds).joined(separator: "+")
    }
}
