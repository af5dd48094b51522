import Core

extension AccountBuilder {
    /// A dispute of the whole charge: its withdrawal and fee land in the balance as an adjustment.
    mutating func buildDispute(_ plan: OrderPlan, charge: Charge) {
        let created = min(plan.created + random.int(2 * 86_400...10 * 86_400), windowEnd - 3_600)
        let disputeId = DisputeID(random.id("dp_"))
        let settlement = pricing.settlementCurrency(for: plan.currency)
        let (settled, rate) = settle(-plan.amount, plan.currency, at: created)
        let fee = pricing.disputeFee(settlement: settlement)
        let transaction = BalanceTransaction(
            id: BalanceTransactionID(random.id("txn_")), amount: settled, currency: settlement, net: settled - fee, fee: fee,
            feeDetails: [FeeDetail(amount: fee, currency: settlement, type: "stripe_fee", description: "Dispute fee")],
            exchangeRate: rate, created: created, availableOn: created, type: .adjustment, reportingCategory: "dispute",
            source: ExpandableID(disputeId.rawValue), description: "Chargeback withdrawal for \(charge.id)")
        transactions.append(transaction)
        disputes.append(
            Dispute(
                id: disputeId, amount: plan.amount, currency: plan.currency, charge: charge.id.rawValue,
                // Disputes a month old are decided (lost: the funds stay withdrawn); the recent ones still await evidence.
                paymentIntent: charge.paymentIntent?.id, status: created < windowEnd - 30 * 86_400 ? .lost : .needsResponse, reason: "fraudulent",
                created: created, balanceTransactions: [transaction]))
        if plan.planted == .disputeUnrecorded {
            plant(.disputeUnrecorded, disputeId.rawValue, "dispute never booked")
            return
        }
        addLedger(
            "le-\(plan.orderId)-d", plan, type: "dispute", amount: plan.amount, currency: plan.currency,
            stripeId: random.chance(70) ? disputeId.rawValue : nil, at: created + random.int(60...86_400))
    }
}
