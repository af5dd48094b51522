import Core

extension AccountBuilder {
    /// Daily automatic payouts at 06:00 UTC per settlement currency of everything available
    /// and not yet paid out. Planted: payouts whose amount is off, and failed payouts whose
    /// funds return to the balance (payout_failure) and go out with the next payout.
    mutating func buildPayouts() {
        let perKind = configuration.plantedPerKind
        // Per currency, oldest available first, with a cursor: each transaction is looked at once.
        // (available_on is never before created, so "available by then" implies "created by then".)
        let queues: [Currency: [BalanceTransaction]] = Dictionary(grouping: transactions, by: \.currency).mapValues {
            $0.sorted { ($0.availableOn ?? $0.created, $0.id) < ($1.availableOn ?? $1.created, $1.id) }
        }
        var cursors: [Currency: Int] = [:]
        var returned: [Currency: [BalanceTransaction]] = [:]
        var payoutNumber = 0
        var day = firstDay
        while day <= lastDay {
            let at = day * 86_400 + 6 * 3_600
            for currency in [Currency.usd, .jpy, .kwd] {
                let queue = queues[currency] ?? []
                var cursor = cursors[currency] ?? 0
                var due: [BalanceTransaction] = []
                while cursor < queue.count, (queue[cursor].availableOn ?? queue[cursor].created) <= at {
                    due.append(queue[cursor])
                    cursor += 1
                }
                let back = returned[currency] ?? []
                due += back.filter { ($0.availableOn ?? $0.created) <= at }
                let net = due.reduce(0) { $0 + $1.net }
                guard net > 0 else { continue }
                cursors[currency] = cursor
                returned[currency] = back.filter { ($0.availableOn ?? $0.created) > at }
                payoutNumber += 1
                // Planting spreads over the window: every 7th payout, alternating kinds, until each has its share.
                let planted: DiscrepancyKind? =
                    payoutNumber % 7 == 3 && plantedCount(.payoutMismatch) < perKind
                    ? .payoutMismatch
                    : payoutNumber % 7 == 5 && plantedCount(.payoutFailed) < perKind && day < lastDay ? .payoutFailed : nil
                if let failure = addPayout(currency: currency, due: due, net: net, at: at, planted: planted) {
                    returned[currency, default: []].append(failure)
                }
            }
            day += 1
        }
    }

    private func plantedCount(_ kind: DiscrepancyKind) -> Int { truth.count { $0.kind == kind.rawValue } }

    /// Adds the payout and its links; returns the payout_failure transaction when it failed.
    private mutating func addPayout(
        currency: Currency, due: [BalanceTransaction], net: Int64, at: Int64,
        planted: DiscrepancyKind?
    ) -> BalanceTransaction? {
        let payoutId = PayoutID(random.id("po_"))
        let amount = planted == .payoutMismatch ? net - (currency == .jpy ? 100 : 1_000) : net
        let own = BalanceTransaction(
            id: BalanceTransactionID(random.id("txn_")), amount: -amount, currency: currency, net: -amount, fee: 0, feeDetails: [],
            created: at, availableOn: at, type: .payout, reportingCategory: "payout", source: ExpandableID(payoutId.rawValue),
            description: "STRIPE PAYOUT")
        transactions.append(own)
        links[payoutId] = due.map(\.id) + [own.id]
        let arrival = at + 2 * 86_400
        var failure: BalanceTransaction?
        /// The transaction that brings a payout's funds back to the balance.
        func returning(_ type: BalanceTransactionType, after seconds: Int64, _ description: String) -> BalanceTransaction {
            let returned = BalanceTransaction(
                id: BalanceTransactionID(random.id("txn_")), amount: amount, currency: currency, net: amount, fee: 0, feeDetails: [],
                created: at + seconds, availableOn: at + seconds, type: type, reportingCategory: "payout_reversal",
                source: ExpandableID(payoutId.rawValue), description: description)
            transactions.append(returned)
            failure = returned
            return returned
        }
        if planted == .payoutFailed, plantedCount(.payoutFailed) % 2 == 1 {
            // Canceled before it left: a payout_cancel transaction returns the funds within the hour.
            _ = returning(.payoutCancel, after: 3_600, "Payout cancellation")
            payouts.append(
                Payout(
                    id: payoutId, amount: amount, currency: currency, status: .canceled, created: at, arrivalDate: arrival,
                    balanceTransaction: own.id.rawValue))
            plant(.canceledPayout, payoutId.rawValue, flagged: .payoutFailed, "payout canceled; its funds returned by payout_cancel")
        } else if planted == .payoutFailed {
            let returned = returning(.payoutFailure, after: 86_400 - 3_600, "Payout failure")
            payouts.append(
                Payout(
                    id: payoutId, amount: amount, currency: currency, status: .failed, created: at, arrivalDate: arrival,
                    balanceTransaction: own.id.rawValue, failureBalanceTransaction: returned.id.rawValue,
                    failureCode: "account_closed", failureMessage: "The bank account has been closed"))
            plant(.payoutFailed, payoutId.rawValue, "bank returned the payout")
        } else {
            payouts.append(
                Payout(
                    id: payoutId, amount: amount, currency: currency, status: arrival < windowEnd ? .paid : .inTransit,
                    created: at, arrivalDate: arrival, balanceTransaction: own.id.rawValue))
            if planted == .payoutMismatch { plant(.payoutMismatch, payoutId.rawValue, "payout amount differs from its transactions") }
        }
        return failure
    }
}
