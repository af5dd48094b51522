import Core

extension AccountBuilder {
    /// The money shapes real accounts have beyond a plain payment, on orders of their own, each with
    /// the answer the truth file gives: partial captures, authorizations never captured, refunds
    /// pending, failed after succeeding and canceled (each booked and not), inquiries and won disputes.
    mutating func buildMoneyShapes() {
        let perShape = configuration.shapesPerKind
        let orderShapes: [PlantedShape.Shape] = [
            .partialCapture, .partialCaptureBookedAuthorized, .uncapturedAuthorization, .uncapturedAuthorizationBooked, .pendingRefund,
            .pendingRefundUnbooked, .failedRefund, .failedRefundBooked, .canceledRefund, .canceledRefundBooked, .inquiry, .wonDispute,
        ]
        let total = orderShapes.count * perShape
        // After the plain and ledger-only orders; spread over the window, early enough for what follows
        // (a refund failing three days later, a dispute won eight days later).
        let first = configuration.orders + configuration.plantedPerKind
        let span = windowEnd - 14 * 86_400 - windowStart
        for (k, shape) in orderShapes.enumerated() {
            for n in 0..<perShape {
                let slot = k * perShape + n
                let currency = [Currency.usd, .eur, .jpy, .kwd][slot % 4]
                let amount = currency == .kwd ? random.int(300...150_000) * 10 : random.int(1_000...500_000)
                let plan = OrderPlan(
                    index: first + slot, currency: currency, amount: amount,
                    created: windowStart + 3_600 + Int64(slot) * span / Int64(total) + random.int(0...3_600), ledgerDelay: 45,
                    idStyle: .paymentIntent, failedFirst: false, refund: .none, disputed: false, planted: nil)
                build(shape, plan, n)
            }
        }
        buildBalanceTypes()
    }

    private mutating func build(_ shape: PlantedShape.Shape, _ plan: OrderPlan, _ n: Int) {
        let intent = random.id("pi_")
        switch shape {
        case .partialCapture, .partialCaptureBookedAuthorized:
            let captured = fraction(plan, 88)
            let charge = addCharge(plan, intent: intent, at: plan.created, feeDelta: 0, captured: captured)
            let booked = shape == .partialCapture ? captured : plan.amount
            let entry = bookShapePayment(plan, amount: booked, stripeId: n % 2 == 0 ? intent : nil)
            let what =
                "captured \(DecimalAmount.format(captured, currency: plan.currency)) of \(DecimalAmount.format(plan.amount, currency: plan.currency))"
            if shape == .partialCapture {
                plant(.partialCapture, charge.id.rawValue, "\(what); the ledger books the captured amount")
            } else {
                plant(.partialCaptureBookedAuthorized, entry, flagged: .amountMismatch, "\(what); the ledger books the authorized amount")
            }
        case .uncapturedAuthorization, .uncapturedAuthorizationBooked:
            let charge = Charge(
                id: ChargeID(random.id("ch_")), amount: plan.amount, currency: plan.currency, status: .succeeded, captured: false,
                created: plan.created, paymentIntent: intent, balanceTransaction: nil, metadata: ["order_id": plan.orderId],
                card: card(country: cardCountry(plan.currency)))
            charges.append(charge)
            if n % 2 == 1 {
                // The PaymentIntent was canceled: Stripe refunds the authorization, with no balance transaction.
                refunds.append(
                    Refund(
                        id: RefundID(random.id("re_")), amount: plan.amount, currency: plan.currency, charge: charge.id.rawValue,
                        paymentIntent: intent, status: .succeeded, created: plan.created + 86_400, balanceTransaction: nil))
            }
            if shape == .uncapturedAuthorization {
                plant(.uncapturedAuthorization, charge.id.rawValue, "authorized, never captured, not booked")
            } else {
                let entry = bookShapePayment(plan, amount: plan.amount, stripeId: n % 2 == 0 ? intent : nil)
                plant(.uncapturedAuthorizationBooked, entry, flagged: .missingInStripe, "booked as paid; the authorization was never captured")
            }
        case .pendingRefund, .pendingRefundUnbooked, .failedRefund, .failedRefundBooked, .canceledRefund, .canceledRefundBooked:
            buildRefundShape(shape, plan, n, intent: intent)
        case .inquiry:
            let charge = addCharge(plan, intent: intent, at: plan.created, feeDelta: 0)
            _ = bookShapePayment(plan, amount: plan.amount, stripeId: intent)
            let status = [DisputeStatus.warningNeedsResponse, .warningUnderReview, .warningClosed][n % 3]
            let dispute = Dispute(
                id: DisputeID(random.id("dp_")), amount: plan.amount, currency: plan.currency, charge: charge.id.rawValue,
                paymentIntent: intent, status: status, reason: "product_not_received", created: plan.created + 2 * 86_400,
                balanceTransactions: [])
            disputes.append(dispute)
            plant(.inquiry, dispute.id.rawValue, "inquiry (\(status)): no funds moved, nothing to book")
        case .wonDispute:
            let charge = addCharge(plan, intent: intent, at: plan.created, feeDelta: 0)
            _ = bookShapePayment(plan, amount: plan.amount, stripeId: intent)
            buildWonDispute(plan, charge: charge)
        case .convertedCharge, .internationalCard, .balanceType, .canceledPayout:
            preconditionFailure("\(shape) is planted where it happens")
        }
    }

    private mutating func buildRefundShape(_ shape: PlantedShape.Shape, _ plan: OrderPlan, _ n: Int, intent: String) {
        let charge = addCharge(plan, intent: intent, at: plan.created, feeDelta: 0)
        _ = bookShapePayment(plan, amount: plan.amount, stripeId: intent)
        let amount = fraction(plan, 50)
        let at = plan.created + 2 * 86_400
        let status: RefundStatus =
            switch shape {
            case .pendingRefund, .pendingRefundUnbooked: n % 2 == 0 ? .pending : .requiresAction
            case .failedRefund, .failedRefundBooked: .failed
            default: .canceled
            }
        let refundId = RefundID(random.id("re_"))
        let (settled, rate) = settle(-amount, plan.currency, at: at)
        let settlement = pricing.settlementCurrency(for: plan.currency)
        var transaction: BalanceTransactionID?
        var failure: BalanceTransactionID?
        if status != .canceled {
            let id = BalanceTransactionID(random.id("txn_"))
            transactions.append(
                BalanceTransaction(
                    id: id, amount: settled, currency: settlement, net: settled, fee: 0, feeDetails: [], exchangeRate: rate, created: at,
                    availableOn: at, type: .refund, reportingCategory: "refund", source: ExpandableID(refundId.rawValue),
                    description: "REFUND FOR CHARGE"))
            transaction = id
        }
        if status == .failed {
            // The bank refused the refund three days later: the funds come back, converted again at that day's rate.
            let back = at + 3 * 86_400
            let (returned, backRate) = settle(amount, plan.currency, at: back)
            let id = BalanceTransactionID(random.id("txn_"))
            transactions.append(
                BalanceTransaction(
                    id: id, amount: returned, currency: settlement, net: returned, fee: 0, feeDetails: [], exchangeRate: backRate,
                    created: back, availableOn: back, type: .refundFailure, reportingCategory: "refund_failure",
                    source: ExpandableID(refundId.rawValue), description: "REFUND FAILURE"))
            failure = id
        }
        refunds.append(
            Refund(
                id: refundId, amount: amount, currency: plan.currency, charge: charge.id.rawValue, paymentIntent: intent, status: status,
                created: at, balanceTransaction: transaction?.rawValue, reason: "requested_by_customer",
                failureBalanceTransaction: failure?.rawValue, failureReason: status == .failed ? "expired_or_canceled_card" : nil))
        let booked = [PlantedShape.Shape.pendingRefund, .failedRefundBooked, .canceledRefundBooked].contains(shape)
        var entry: String?
        if booked {
            let id = "le-\(plan.orderId)-r1"
            addLedger(
                id, plan, type: "refund", amount: amount, currency: plan.currency, stripeId: n % 2 == 0 ? refundId.rawValue : nil,
                at: at + 600)
            entry = id
        }
        switch shape {
        case .pendingRefund: plant(shape, refundId.rawValue, "\(status) refund, booked: the money is leaving")
        case .pendingRefundUnbooked: plant(shape, refundId.rawValue, flagged: .refundMissingInLedger, "\(status) refund, not booked")
        case .failedRefund: plant(shape, refundId.rawValue, "refund failed after it succeeded, not booked: nothing left the balance")
        case .canceledRefund: plant(shape, refundId.rawValue, "canceled refund, not booked")
        default: plant(shape, entry!, flagged: .refundMissingInStripe, "ledger books a refund that \(status == .failed ? "failed" : "was canceled")")
        }
    }

    /// A dispute won: the funds and the fee withdrawn, then the funds reinstated eight days later (the
    /// fee is not returned); the ledger booked the dispute.
    private mutating func buildWonDispute(_ plan: OrderPlan, charge: Charge) {
        let disputeId = DisputeID(random.id("dp_"))
        let settlement = pricing.settlementCurrency(for: plan.currency)
        let at = plan.created + 86_400
        let (withdrawn, rate) = settle(-plan.amount, plan.currency, at: at)
        let fee = pricing.disputeFee(settlement: settlement)
        let withdrawal = BalanceTransaction(
            id: BalanceTransactionID(random.id("txn_")), amount: withdrawn, currency: settlement, net: withdrawn - fee, fee: fee,
            feeDetails: [FeeDetail(amount: fee, currency: settlement, type: "stripe_fee", description: "Dispute fee")], exchangeRate: rate,
            created: at, availableOn: at, type: .adjustment, reportingCategory: "dispute", source: ExpandableID(disputeId.rawValue),
            description: "Chargeback withdrawal for \(charge.id)")
        let back = at + 8 * 86_400
        let (reinstated, backRate) = settle(plan.amount, plan.currency, at: back)
        let reinstatement = BalanceTransaction(
            id: BalanceTransactionID(random.id("txn_")), amount: reinstated, currency: settlement, net: reinstated, fee: 0, feeDetails: [],
            exchangeRate: backRate, created: back, availableOn: back, type: .adjustment, reportingCategory: "dispute_reversal",
            source: ExpandableID(disputeId.rawValue), description: "Chargeback reversal for \(charge.id)")
        transactions += [withdrawal, reinstatement]
        disputes.append(
            Dispute(
                id: disputeId, amount: plan.amount, currency: plan.currency, charge: charge.id.rawValue, paymentIntent: charge.paymentIntent?.id,
                status: .won, reason: "fraudulent", created: at, balanceTransactions: [withdrawal, reinstatement]))
        addLedger(
            "le-\(plan.orderId)-d", plan, type: "dispute", amount: plan.amount, currency: plan.currency, stripeId: disputeId.rawValue,
            at: at + 3_600)
        plant(.wonDispute, disputeId.rawValue, "won: withdrawal \(withdrawn), reinstatement \(reinstated) (\(settlement)), booked")
    }

    /// A shape order's ledger payment; returns its entry id.
    private mutating func bookShapePayment(_ plan: OrderPlan, amount: Int64, stripeId: String?) -> String {
        let entry = "le-\(plan.orderId)-p"
        addLedger(entry, plan, type: "payment", amount: amount, currency: plan.currency, stripeId: stripeId, at: plan.created + plan.ledgerDelay)
        return entry
    }
}
