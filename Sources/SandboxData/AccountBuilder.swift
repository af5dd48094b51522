import Core
import Foundation

/// The mutable state of one generation.
struct AccountBuilder {
    let configuration: SandboxConfiguration
    var random: SeededRandom
    /// Days since 1970 of the window's first and last day.
    let firstDay: Int64
    let lastDay: Int64
    var charges: [Charge] = []
    var refunds: [Refund] = []
    var disputes: [Dispute] = []
    var transactions: [BalanceTransaction] = []
    var payouts: [Payout] = []
    var links: [PayoutID: [BalanceTransactionID]] = [:]
    var ledger: [SandboxLedgerRow] = []
    var truth: [PlantedDiscrepancy] = []
    var shapes: [PlantedShape] = []

    init(configuration: SandboxConfiguration) {
        self.configuration = configuration
        random = SeededRandom(seed: configuration.seed)
        lastDay = ISO8601Time.parseDay(configuration.lastDay) ?? ISO8601Time.parseDay("2026-09-30")!
        firstDay = lastDay - Int64(configuration.days) + 1
    }

    var windowStart: Int64 { firstDay * 86_400 }
    var windowEnd: Int64 { (lastDay + 1) * 86_400 }

    func account() -> SandboxAccount {
        SandboxAccount(
            stripe: StripeAccountData(
                balanceTransactions: transactions, charges: charges, refunds: refunds, disputes: disputes,
                payouts: payouts, payoutLinks: links),
            ledger: ledger, truth: truth.sorted(), shapes: shapes.sorted(),
            firstDay: ISO8601Time.formatDay(firstDay), lastDay: ISO8601Time.formatDay(lastDay))
    }

    mutating func plant(_ kind: DiscrepancyKind, _ subject: String, _ note: String) {
        truth.append(PlantedDiscrepancy(kind: kind, subjectId: subject, note: note))
    }

    /// Records a planted shape; a flagged one is also a planted discrepancy.
    mutating func plant(_ shape: PlantedShape.Shape, _ subject: String, flagged: DiscrepancyKind? = nil, _ note: String) {
        shapes.append(PlantedShape(shape, subjectId: subject, flagged: flagged, note: note))
        if let flagged { plant(flagged, subject, note) }
    }

    func planted(_ shape: PlantedShape.Shape) -> Int { shapes.count { $0.shape == shape } }

    var pricing: SandboxPricing { SandboxPricing(settlesLocally: configuration.settlesLocally) }

    /// USD per major unit of `presentment` on a day, in millionths, the same for every object of that
    /// day: EUR 1.05 to 1.15, JPY 0.0062 to 0.0072, KWD 3.20 to 3.30.
    func usdRateMicros(_ presentment: Currency, at time: Int64) -> Int64 {
        let day = time / 86_400
        switch presentment {
        case .jpy: return 6_200 + (day * 37) % 1_000
        case .kwd: return 3_200_000 + (day * 7_919) % 100_000
        default: return 1_050_000 + (day * 7_919) % 100_000
        }
    }

    /// Amount in the settlement currency, rounded half-up, and the rate applied (nil when not converted).
    func settle(_ amount: Int64, _ presentment: Currency, at time: Int64) -> (amount: Int64, rate: Decimal?) {
        let settlement = pricing.settlementCurrency(for: presentment)
        guard settlement != presentment else { return (amount, nil) }
        let micros = usdRateMicros(presentment, at: time)
        // minor × rate × 10^(settlement exponent − presentment exponent), exactly, then half-up.
        var numerator = Int128(amount.magnitude) * Int128(micros)
        var denominator = Int128(1_000_000)
        let shift = settlement.exponent - presentment.exponent
        for _ in 0..<abs(shift) {
            if shift > 0 { numerator *= 10 } else { denominator *= 10 }
        }
        let settled = Int64((numerator + denominator / 2) / denominator)
        let rate = Decimal(string: "\(micros / 1_000_000).\(String(format: "%06d", micros % 1_000_000))")
        return (amount < 0 ? -settled : settled, rate)
    }

    /// A ledger timestamp in one of the forms real exports use: Z, an offset, a fraction.
    mutating func ledgerTime(_ seconds: Int64) -> String {
        let utc = Timestamp(seconds: seconds)
        switch random.next() % 4 {
        case 0:
            // Same instant written with a +02:00 offset.
            let local = Timestamp(seconds: seconds + 7_200).iso8601.dropLast()
            return local + "+02:00"
        case 1: return String(utc.iso8601.dropLast()) + ".250Z"
        default: return utc.iso8601
        }
    }

    mutating func addLedger(
        _ entryId: String, _ plan: OrderPlan, type: String, amount: Int64, currency: Currency,
        stripeId: String?, at seconds: Int64, currencyText: String? = nil
    ) {
        let memo = random.chance(10) ? "Invoice \(plan.index + 1), \"rush\"\nsecond line" : "order \(plan.orderId)"
        ledger.append(
            SandboxLedgerRow(
                entryId: entryId, orderId: plan.orderId, type: type,
                amount: DecimalAmount.format(amount, currency: currency),
                currency: currencyText ?? (random.chance(20) ? currency.code.lowercased() : currency.code),
                stripeId: stripeId ?? "", createdAt: ledgerTime(seconds), supplierId: plan.supplierId, memo: memo))
    }
}
