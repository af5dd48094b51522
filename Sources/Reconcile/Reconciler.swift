import Core

/// The matching engine: a pure function from records to matches and discrepancies.
/// It never touches the network or the store, so the same input always gives the same output.
public enum Reconciler {
    public static func reconcile(_ input: ReconcileInput) -> ReconcileResult {
        var pass = ReconciliationPass(input: input)
        pass.matchPayments()
        pass.matchRefunds()
        pass.matchDisputes()
        pass.checkFees()
        pass.checkPayouts()
        return pass.result()
    }
}

/// The state of one reconciliation while its steps run, with the indexes they share.
struct ReconciliationPass {
    let input: ReconcileInput
    /// The ledger oldest first (ties by entry id): pairing within an order must not depend on file order.
    let ledger: [LedgerEntry]
    let chargesById: [ChargeID: Charge]
    /// Payment charges (succeeded and captured) per order, oldest first.
    let paymentsByOrder: [OrderID: [Charge]]
    let paymentsByIntent: [String: [Charge]]
    /// Payment charges (succeeded and captured), oldest first.
    let payments: [Charge]
    /// Payment charges without metadata.order_id, by amount and currency, for the time-window rule.
    let paymentsWithoutOrder: [PaymentKey: [Charge]]
    var matches: [Match] = []
    var discrepancies: [Discrepancy] = []
    var diagnostics: [String] = []
    var matchedCharges = Set<ChargeID>()

    init(input: ReconcileInput) {
        self.input = input
        ledger = input.ledger.sorted { ($0.createdAt, $0.entryId) < ($1.createdAt, $1.entryId) }
        let charges = input.stripe.charges.sorted { ($0.created, $0.id) < ($1.created, $1.id) }
        chargesById = Dictionary(charges.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
        let payments = charges.filter(\.isPayment)
        self.payments = payments
        paymentsByOrder = Dictionary(grouping: payments.filter { $0.orderId != nil }, by: { $0.orderId! })
        paymentsByIntent = Dictionary(grouping: payments.filter { $0.paymentIntent != nil }, by: { $0.paymentIntent!.id })
        paymentsWithoutOrder = Dictionary(grouping: payments.filter { $0.orderId == nil }) { PaymentKey(amount: $0.amount, currency: $0.currency) }
    }

    /// True when the ledger rows and the Stripe amounts are all in one currency and add up to the same
    /// total: the group rule for payments and refunds alike.
    static func totalsAgree(_ entries: [LedgerEntry], _ amounts: [Money]) -> Bool {
        guard let currency = entries.first?.amount.currency, !amounts.isEmpty,
              entries.allSatisfy({ $0.amount.currency == currency }), amounts.allSatisfy({ $0.currency == currency })
        else { return false }
        return entries.reduce(Int64(0)) { $0 + $1.amount.minorUnits } == amounts.reduce(Int64(0)) { $0 + $1.minorUnits }
    }

    /// The order a charge belongs to, by its metadata.
    func order(ofCharge id: String?) -> OrderID? { id.flatMap { chargesById[ChargeID($0)]?.orderId } }

    var pending: [Discrepancy] = []

    /// Reports a finding of the period: as pending while its counterpart can still arrive.
    mutating func flag(_ discrepancy: Discrepancy) {
        guard input.inPeriod(discrepancy.occurredAt) else { return }
        if discrepancy.kind.canStillArrive, let now = input.now,
           now.seconds - discrepancy.occurredAt.seconds < input.settlementWindowSeconds {
            pending.append(discrepancy)
        } else {
            discrepancies.append(discrepancy)
        }
    }

    mutating func record(_ match: Match) {
        guard input.inPeriod(match.occurredAt) else { return }
        matches.append(match)
    }

    func result() -> ReconcileResult {
        ReconcileResult(
            matches: matches.sorted { ($0.occurredAt, $0.id) < ($1.occurredAt, $1.id) },
            discrepancies: discrepancies.sorted { ($0.kind, $0.occurredAt, $0.id) < ($1.kind, $1.occurredAt, $1.id) },
            pending: pending.sorted { ($0.kind, $0.occurredAt, $0.id) < ($1.kind, $1.occurredAt, $1.id) },
            diagnostics: diagnostics)
    }
}

struct PaymentKey: Hashable {
    let amount: Int64
    let currency: Currency
}
