import Core

extension AccountBuilder {
    /// Refunds as the plan says, and how the ledger books them (or fails to).
    mutating func buildRefunds(_ plan: OrderPlan, charge: Charge) {
        if plan.planted == .refundMissingInStripe {
            let entryId = "le-\(plan.orderId)-r1"
            let fakeId = plan.index % 2 == 0 ? random.id("re_") : nil
            addLedger(
                entryId, plan, type: "refund", amount: fraction(plan, 30), currency: plan.currency, stripeId: fakeId,
                at: plan.created + 3 * 86_400)
            plant(.refundMissingInStripe, entryId, "refund booked that Stripe never made")
            return
        }
        let amounts: [Int64]
        switch plan.refund {
        case .none: return
        case .full: amounts = [plan.amount]
        case .partial: amounts = [fraction(plan, plan.planted == nil ? 25 + Int64(plan.index % 50) : 40)]
        case .split: amounts = [fraction(plan, 30), fraction(plan, 20)]
        }
        var made: [Refund] = []
        var at = plan.created + random.int(86_400...10 * 86_400)
        for amount in amounts {
            guard at < windowEnd - 3_600 else { break }
            made.append(addRefund(plan, charge: charge, amount: amount, at: at))
            at += random.int(600...86_400)
        }
        guard !made.isEmpty else { return }
        bookRefunds(plan, made)
    }

    private mutating func bookRefunds(_ plan: OrderPlan, _ made: [Refund]) {
        let bookedAt = made.last!.created + random.int(60...7_200)
        switch plan.planted {
        case .refundMissingInLedger?:
            plant(.refundMissingInLedger, made[0].id.rawValue, "refund never booked")
        case .refundAmountMismatch?:
            let entryId = "le-\(plan.orderId)-r1"
            addLedger(
                entryId, plan, type: "refund", amount: made[0].amount + 10, currency: plan.currency,
                stripeId: made[0].id.rawValue, at: bookedAt)
            plant(.refundAmountMismatch, entryId, "refund booked 10 minor units too high")
        case .overRefund?:
            // The full refund booked twice: both rows carry the id, or neither does.
            let withId = plan.index % 2 == 0
            for n in 1...2 {
                addLedger(
                    "le-\(plan.orderId)-r\(n)", plan, type: "refund", amount: made[0].amount, currency: plan.currency,
                    stripeId: withId ? made[0].id.rawValue : nil, at: bookedAt + Int64(n))
            }
            plant(.overRefund, plan.orderId, "full refund booked twice")
        default:
            if made.count > 1, plan.index % 2 == 0 {
                // Two partial refunds booked as one row: matched by their sum.
                addLedger(
                    "le-\(plan.orderId)-r1", plan, type: "refund", amount: made.reduce(0) { $0 + $1.amount },
                    currency: plan.currency, stripeId: nil, at: bookedAt)
            } else {
                for (n, refund) in made.enumerated() {
                    let withId = random.chance(50) && !plan.orderlessCharge
                    addLedger(
                        "le-\(plan.orderId)-r\(n + 1)", plan, type: "refund", amount: refund.amount, currency: plan.currency,
                        stripeId: withId ? refund.id.rawValue : nil, at: refund.created + random.int(60...7_200))
                }
            }
        }
    }

    private mutating func addRefund(_ plan: OrderPlan, charge: Charge, amount: Int64, at created: Int64) -> Refund {
        let refundId = RefundID(random.id("re_"))
        let transactionId = BalanceTransactionID(random.id("txn_"))
        let (settled, rate) = settle(-amount, plan.currency, at: created)
        transactions.append(
            BalanceTransaction(
                id: transactionId, amount: settled, currency: pricing.settlementCurrency(for: plan.currency), net: settled,
                fee: 0, feeDetails: [], exchangeRate: rate, created: created, availableOn: created, type: .refund,
                reportingCategory: "refund", source: ExpandableID(refundId.rawValue), description: "REFUND FOR CHARGE"))
        let refund = Refund(
            id: refundId, amount: amount, currency: plan.currency, charge: charge.id.rawValue,
            paymentIntent: charge.paymentIntent?.id, status: .succeeded, created: created,
            balanceTransaction: transactionId.rawValue, reason: "requested_by_customer",
            metadata: plan.orderlessCharge ? ["order_id": plan.orderId] : [:])
        refunds.append(refund)
        return refund
    }

    /// `percent` of the order's amount, kept to Stripe's 10-fils step for KWD.
    func fraction(_ plan: OrderPlan, _ percent: Int64) -> Int64 {
        let value = max(1, plan.amount * percent / 100)
        return plan.currency == .kwd ? max(10, value / 10 * 10) : value
    }
}
