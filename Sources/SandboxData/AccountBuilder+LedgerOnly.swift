import Core

extension AccountBuilder {
    /// Orders the ledger booked as paid that Stripe never charged: half reference a PaymentIntent
    /// whose only charge was declined (a failed charge is never a payment), half carry no id.
    mutating func buildLedgerOnlyOrders() {
        let count = configuration.plantedPerKind
        for n in 0..<count {
            let index = configuration.orders + n
            let created = windowStart + Int64(n + 1) * (windowEnd - windowStart) / Int64(count + 2)
            let plan = OrderPlan(
                index: index, currency: .usd, amount: random.int(1_000...90_000), created: created, ledgerDelay: 30,
                idStyle: .none, failedFirst: true, refund: .none, disputed: false, planted: .missingInStripe)
            var stripeId: String?
            if n % 2 == 0 {
                let intent = random.id("pi_")
                charges.append(
                    Charge(
                        id: ChargeID(random.id("ch_")), amount: plan.amount, currency: .usd, status: .failed,
                        captured: false, created: created, paymentIntent: intent, balanceTransaction: nil,
                        metadata: ["order_id": plan.orderId], failureCode: "card_declined"))
                stripeId = intent
            }
            let entryId = "le-\(plan.orderId)-p"
            addLedger(entryId, plan, type: "payment", amount: plan.amount, currency: .usd, stripeId: stripeId, at: created + 30)
            plant(.missingInStripe, entryId, stripeId == nil ? "never charged" : "its only charge was declined")
        }
    }

    /// Monthly Radar fees: balance transactions without a source, reported in the Summary only.
    mutating func buildPlatformFees() {
        var day = firstDay
        while day <= lastDay {
            let (_, _, dayOfMonth) = ISO8601Time.civil(fromDays: day)
            if dayOfMonth == 1 || day == firstDay {
                let amount = -(500 + random.int(0...4_500))
                transactions.append(
                    BalanceTransaction(
                        id: BalanceTransactionID(random.id("txn_")), amount: amount, currency: .usd, net: amount, fee: 0,
                        feeDetails: [], created: day * 86_400 + 3_600, availableOn: day * 86_400 + 3_600, type: .stripeFee,
                        reportingCategory: "fee", source: nil, description: "Radar (monthly)"))
            }
            day += 1
        }
    }
}
