import Core

extension AccountBuilder {
    mutating func buildOrders() {
        for plan in planOrders() { buildOrder(plan) }
    }

    private mutating func buildOrder(_ plan: OrderPlan) {
        let intent = random.id("pi_")
        if plan.failedFirst {
            // A declined attempt on the same PaymentIntent, then the retry that succeeds: not a duplicate.
            charges.append(
                Charge(
                    id: ChargeID(random.id("ch_")), amount: plan.amount, currency: plan.currency, status: .failed,
                    captured: false, created: plan.created - 60, paymentIntent: intent, balanceTransaction: nil,
                    metadata: ["order_id": plan.orderId], failureCode: "card_declined"))
        }
        let charge = addCharge(
            plan, intent: intent, at: plan.created, feeDelta: plan.planted == .feeMismatch ? 7 : 0,
            withOrder: !plan.orderlessCharge)
        if plan.planted == .feeMismatch {
            plant(.feeMismatch, charge.balanceTransaction!.id, "fee 7 minor units above the schedule")
        }
        if plan.planted == .duplicateCharge {
            let extra = addCharge(plan, intent: random.id("pi_"), at: plan.created + random.int(120...3_600), feeDelta: 0)
            plant(.duplicateCharge, extra.id.rawValue, "second PaymentIntent charged for the same order")
        }
        bookPayment(plan, charge: charge)
        buildRefunds(plan, charge: charge)
        if plan.disputed { buildDispute(plan, charge: charge) }
    }

    /// A succeeded charge and its balance transaction, available two days later. `captured` below the
    /// amount is a partial capture: the balance transaction and its fee are on what was captured.
    mutating func addCharge(
        _ plan: OrderPlan, intent: String, at created: Int64, feeDelta: Int64, withOrder: Bool = true, captured: Int64? = nil
    ) -> Charge {
        let chargeId = ChargeID(random.id("ch_"))
        let transactionId = BalanceTransactionID(random.id("txn_"))
        let settlement = pricing.settlementCurrency(for: plan.currency)
        let taken = captured ?? plan.amount
        let (settled, rate) = settle(taken, plan.currency, at: created)
        let country = cardCountry(plan.currency)
        let fee = pricing.chargeFee(settled: settled, presentment: plan.currency, cardCountry: country) + feeDelta
        transactions.append(
            BalanceTransaction(
                id: transactionId, amount: settled, currency: settlement, net: settled - fee, fee: fee,
                feeDetails: [FeeDetail(amount: fee, currency: settlement, type: "stripe_fee", description: "Stripe processing fees")],
                exchangeRate: rate, created: created, availableOn: created + 2 * 86_400, type: .charge,
                reportingCategory: "charge", source: ExpandableID(chargeId.rawValue), description: "Order \(plan.orderId)"))
        let charge = Charge(
            id: chargeId, amount: plan.amount, currency: plan.currency, status: .succeeded, created: created,
            paymentIntent: intent, balanceTransaction: transactionId.rawValue,
            metadata: withOrder ? ["order_id": plan.orderId, "supplier_id": plan.supplierId] : ["supplier_id": plan.supplierId],
            card: card(country: country), amountCaptured: taken)
        charges.append(charge)
        // A few of the ordinary charges, named in the truth: their fee must agree with the account's pricing.
        if settlement != plan.currency, planted(.convertedCharge) < configuration.shapesPerKind, feeDelta == 0 {
            plant(.convertedCharge, transactionId.rawValue, "\(plan.currency) settled in \(settlement): the conversion surcharge")
        }
        if country != "US", !configuration.settlesLocally, planted(.internationalCard) < configuration.shapesPerKind, feeDelta == 0 {
            plant(.internationalCard, transactionId.rawValue, "card issued in \(country): the international-card surcharge")
        }
        return charge
    }

    /// A card's brand and last4 (never more) and where it was issued.
    mutating func card(country: String) -> PaymentMethodSummary {
        let last4 = ["4242", "5556", "0005", "1117"][Int(random.next() % 4)]
        let brand = ["visa", "mastercard", "amex", "discover"][Int(random.next() % 4)]
        return PaymentMethodSummary(type: "card", card: .init(brand: brand, last4: last4, country: country))
    }

    /// Mostly cards of the currency's home; a tenth to a third from elsewhere (international cards).
    mutating func cardCountry(_ currency: Currency) -> String {
        let draw = random.next() % 10
        switch currency {
        case .eur: return draw < 4 ? "DE" : draw < 7 ? "FR" : "US"
        case .jpy: return draw < 7 ? "JP" : "US"
        case .kwd: return draw < 7 ? "KW" : "US"
        default: return draw < 8 ? "US" : draw == 8 ? "CA" : "GB"
        }
    }

    private mutating func bookPayment(_ plan: OrderPlan, charge: Charge) {
        let entryId = "le-\(plan.orderId)-p"
        var amount = plan.amount
        var currency = plan.currency
        var currencyText: String?
        switch plan.planted {
        case .missingInLedger?:
            plant(.missingInLedger, charge.id.rawValue, "payment never booked")
            return
        case .amountMismatch?:
            amount += plan.index % 2 == 0 ? 1 : -(plan.amount / 20)
            plant(.amountMismatch, entryId, "ledger amount \(amount) for a charge of \(plan.amount)")
        case .currencyMismatch?:
            currency = plan.currency == .usd ? .eur : .usd
            currencyText = currency.code
            plant(.currencyMismatch, entryId, "booked in \(currency) for a \(plan.currency) charge")
        default:
            break
        }
        let stripeId: String?
        // An order-less charge is only found by its id.
        switch plan.orderlessCharge ? .charge : plan.idStyle {
        case .paymentIntent: stripeId = charge.paymentIntent?.id
        case .charge: stripeId = charge.id.rawValue
        case .none: stripeId = nil
        }
        addLedger(
            entryId, plan, type: "payment", amount: amount, currency: currency, stripeId: stripeId,
            at: plan.created + plan.ledgerDelay, currencyText: currencyText)
    }
}
