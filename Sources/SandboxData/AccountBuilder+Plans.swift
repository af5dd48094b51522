import Core

extension AccountBuilder {
    /// Draws every order's shape, then picks the orders that carry a planted discrepancy from
    /// the plain ones (no refund, dispute, retry or edge trap, early enough for follow-ups).
    mutating func planOrders() -> [OrderPlan] {
        let count = configuration.orders
        let span = windowEnd - windowStart
        var plans: [OrderPlan] = []
        for index in 0..<count {
            let currency: Currency
            switch random.next() % 10 {
            case 0...5: currency = .usd
            case 6, 7: currency = .eur
            case 8: currency = .jpy
            default: currency = .kwd
            }
            let amount: Int64
            switch currency {
            case .jpy: amount = random.int(1_000...500_000)
            case .kwd: amount = random.int(300...150_000) * 10
            default: amount = random.int(1_000...500_000)
            }
            // Orders spread evenly over the window, each at a random second of its slot.
            let slot = span / Int64(count)
            var created = windowStart + Int64(index) * slot + random.int(0...max(0, slot - 1))
            var ledgerDelay = random.int(1...600)
            // Edge traps: a charge at 23:59:59 whose ledger row is booked at 00:00:01 the next day
            // (on the last day of the window and every 97th order), and the mirror image on the first day.
            if index == count - 1 || index % 97 == 50 {
                created = (created / 86_400) * 86_400 + 86_399
                if index == count - 1 { created = windowEnd - 1 }
                ledgerDelay = 2
            } else if index == 0 {
                created = windowStart + 1
                ledgerDelay = -2
            }
            let styleDraw = random.next() % 10
            let style: OrderPlan.LedgerIdStyle = styleDraw < 7 ? .paymentIntent : styleDraw == 7 ? .charge : .none
            let failedFirst = random.chance(5)
            let refundDraw = random.next() % 100
            let refund: OrderPlan.RefundPattern = refundDraw < 5 ? .full : refundDraw < 13 ? .partial : refundDraw < 18 ? .split : .none
            let disputed = refund == .none && random.chance(2)
            plans.append(
                OrderPlan(
                    index: index, currency: currency, amount: amount, created: created, ledgerDelay: ledgerDelay,
                    idStyle: style, failedFirst: failedFirst, refund: refund, disputed: disputed, planted: nil))
        }
        assignPlanted(&plans)
        return plans
    }

    private mutating func assignPlanted(_ plans: inout [OrderPlan]) {
        let perKind = configuration.plantedPerKind
        let latest = windowEnd - 12 * 86_400
        var eligible = plans.indices.filter { i in
            let p = plans[i]
            return p.refund == .none && !p.disputed && !p.failedFirst && p.ledgerDelay > 2 && p.created < latest
        }
        // Fisher–Yates with the seeded generator: the same seed picks the same orders.
        for i in stride(from: eligible.count - 1, to: 0, by: -1) {
            eligible.swapAt(i, Int(random.next() % UInt64(i + 1)))
        }
        let kinds: [DiscrepancyKind] = [
            .missingInLedger, .amountMismatch, .currencyMismatch, .duplicateCharge, .feeMismatch,
            .refundMissingInLedger, .refundMissingInStripe, .refundAmountMismatch, .overRefund,
            .disputeUnrecorded,
        ]
        var cursor = eligible.makeIterator()
        var deferred: [Int] = []
        for kind in kinds {
            var assigned = 0
            while assigned < perKind {
                let i: Int
                if kind != .currencyMismatch, let waiting = deferred.popLast() {
                    i = waiting
                } else if let next = cursor.next() {
                    i = next
                } else {
                    break
                }
                // A currency mismatch is booked in the other of USD/EUR, which needs a two-decimal charge.
                if kind == .currencyMismatch, plans[i].currency != .usd, plans[i].currency != .eur {
                    deferred.append(i)
                    continue
                }
                plans[i].planted = kind
                switch kind {
                case .refundMissingInLedger, .refundAmountMismatch: plans[i].refund = .partial
                case .overRefund: plans[i].refund = .full
                case .disputeUnrecorded: plans[i].disputed = true
                default: break
                }
                assigned += 1
            }
        }
    }
}
