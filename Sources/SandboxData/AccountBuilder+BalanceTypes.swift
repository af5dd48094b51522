import Core

extension AccountBuilder {
    /// One balance transaction of each type a marketplace's account sees besides charges, refunds,
    /// disputes and payouts, plus one of a type payrecon has no name for (Stripe adds types): none has
    /// a fee to check, every one goes out in a payout whose sum must still be exact, and the Summary
    /// totals them by reporting category.
    mutating func buildBalanceTypes() {
        let kinds: [(type: String, category: String, amount: Int64, source: String?, description: String)] = [
            ("adjustment", "other_adjustment", 1_250, nil, "Balance correction"),
            ("tax_fee", "tax", -412, nil, "Tax on Stripe fees"),
            ("application_fee", "platform_earning", 2_000, "fee_", "Platform fee from a connected account"),
            ("transfer", "transfer", -15_000, "tr_", "Transfer to a supplier"),
            ("reserve_transaction", "risk_reserved_funds", -5_000, nil, "Reserve held"),
            ("reserve_transaction", "risk_reserved_funds", 5_000, nil, "Reserve released"),
            ("contribution", "contribution", -300, nil, "Stripe Climate contribution"),
            ("payment_network_reserve_hold", "payment_network_reserve", -700, nil, "A type payrecon has no name for"),
        ]
        let span = windowEnd - 10 * 86_400 - windowStart
        for (n, kind) in kinds.enumerated() {
            let at = windowStart + 7_200 + Int64(n + 1) * span / Int64(kinds.count + 1)
            let id = BalanceTransactionID(random.id("txn_"))
            transactions.append(
                BalanceTransaction(
                    id: id, amount: kind.amount, currency: .usd, net: kind.amount, fee: 0, feeDetails: [], created: at, availableOn: at,
                    type: BalanceTransactionType(rawValue: kind.type), reportingCategory: kind.category,
                    source: kind.source.map { ExpandableID(random.id($0)) }, description: kind.description))
            plant(.balanceType, id.rawValue, "\(kind.type) (\(kind.category)): no fee to check, counted in its payout")
        }
    }
}
