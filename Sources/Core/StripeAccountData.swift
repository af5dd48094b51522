/// The Stripe side of reconciliation: every object of a window and the payout links.
public struct StripeAccountData: Sendable, Equatable {
    public var balanceTransactions: [BalanceTransaction]
    public var charges: [Charge]
    public var refunds: [Refund]
    public var disputes: [Dispute]
    public var payouts: [Payout]
    /// Which balance transactions each payout paid out (from `?payout=po_`), the payout's own included.
    public var payoutLinks: [PayoutID: [BalanceTransactionID]]

    public init(
        balanceTransactions: [BalanceTransaction] = [], charges: [Charge] = [], refunds: [Refund] = [],
        disputes: [Dispute] = [], payouts: [Payout] = [], payoutLinks: [PayoutID: [BalanceTransactionID]] = [:]
    ) {
        self.balanceTransactions = balanceTransactions; self.charges = charges; self.refunds = refunds
        self.disputes = disputes; self.payouts = payouts; self.payoutLinks = payoutLinks
    }
}
