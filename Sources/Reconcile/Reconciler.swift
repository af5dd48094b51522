import Core
import Facts

/// The matching engine: a pure function from facts to matches and discrepancies.
/// It never touches the network or the store, so the same input always gives the same output.
public enum Reconciler {
    public static func reconcile(_ input: ReconcileInput) -> ReconcileResult {
        reconcile(ReconcileFacts(stripe: input.stripe, ledger: input.ledger), input.parameters)
    }

    public static func reconcile(_ facts: ReconcileFacts, _ parameters: ReconcileParameters) -> ReconcileResult {
        let pass = ReconciliationPass(facts: facts, parameters: parameters)
        // Payments are the only step that claims charges (`matchedCharge`); the others read the shared
        // indexes only, so they run on two threads, each step on its own copy of the pass (its findings
        // only; the indexes are shared). Findings are put together in the order the steps had when they
        // ran one after another, so the result does not depend on which thread finished first.
        // Each thread sorts its own matches: the final sort then meets two long sorted runs and only
        // merges them (Swift's sort finds runs), instead of sorting a million records on one thread.
        let (payments, (refunds, disputes, fees, payouts)) = Parallel.both(
            {
                var payments = pass
                payments.matchPayments()
                payments.matches.sort()
                return payments
            },
            {
                var refunds = pass
                var disputes = pass
                var fees = pass
                var payouts = pass
                refunds.matchRefunds()
                disputes.matchDisputes()
                fees.checkFees()
                payouts.checkPayouts()
                refunds.matches.sort()
                disputes.matches.sort()
                return (refunds, disputes, fees, payouts)
            })
        // `consume`: the payments' matches (most of a million) grow in place instead of being copied.
        var all = consume payments
        for step in [refunds, disputes, fees, payouts] { all.absorb(step) }
        return all.result()
    }
}

/// The state of one reconciliation while its steps run, with the indexes they share. Everything is
/// keyed by ids (`FactID`) and typed fact positions (`LedgerIndex`, `ChargeIndex`, …): dense arrays, not
/// dictionaries of strings.
struct ReconciliationPass: Sendable {
    let facts: ReconcileFacts
    let parameters: ReconcileParameters
    /// Ledger rows oldest first (ties by entry id): pairing within an order must not depend on file order.
    let ledgerOrder: [LedgerIndex]
    /// Charge position by charge id (the last of equal ids, oldest first), none if unknown.
    let chargeById: IdMap<ChargeIndex>
    /// Payment charges (succeeded and captured), oldest first (ties by id).
    let payments: [ChargeIndex]
    /// Payment charges per order and per PaymentIntent, oldest first.
    let paymentsByOrder: Groups<ReconcileFacts.Charge>
    let paymentsByIntent: Groups<ReconcileFacts.Charge>
    /// Payment charges without metadata.order_id, by amount and currency, for the time-window rule.
    let paymentsWithoutOrder: [PaymentKey: [ChargeIndex]]
    /// Authorizations never captured, by their charge id, PaymentIntent and order (few: a dictionary),
    /// so that a ledger payment left without a charge can say why.
    let authorizations: [FactID: ChargeIndex]
    var matchedCharge: FactColumn<ReconcileFacts.Charge, Bool>
    var matches: MatchList
    var discrepancies: [Discrepancy] = []
    var pending: [Discrepancy] = []
    var diagnostics: [String] = []

    var ids: IdTable { facts.ids }

    init(facts: ReconcileFacts, parameters: ReconcileParameters) {
        self.facts = facts
        self.parameters = parameters
        let ids = facts.ids
        let ledger = facts.ledger
        let charges = facts.charges
        let (ledgerOrder, chargeOrder) = Parallel.both(
            {
                Self.sorted(ledger, time: { $0.createdAt }, tie: { ids.precedes(ledger[$0].entry, ledger[$1].entry) })
            },
            {
                Self.sorted(charges, time: { $0.created }, tie: { ids.precedes(charges[$0].id, charges[$1].id) })
            })
        self.ledgerOrder = ledgerOrder
        var byId = IdMap<ChargeIndex>(repeating: .none, count: ids.count)
        for c in chargeOrder { byId[charges[c].id] = c }
        chargeById = byId
        let payments = chargeOrder.filter { charges[$0].isPayment }
        self.payments = payments
        paymentsByOrder = Groups(payments, keyCount: ids.count, itemCount: charges.count) { charges[$0].order }
        paymentsByIntent = Groups(payments, keyCount: ids.count, itemCount: charges.count) { charges[$0].paymentIntent }
        paymentsWithoutOrder = Dictionary(grouping: payments.filter { charges[$0].order == IdTable.none }) {
            PaymentKey(amount: charges[$0].amount, currency: charges[$0].currency)
        }
        var authorizations: [FactID: ChargeIndex] = [:]
        for c in chargeOrder where charges[c].isAuthorization {
            for key in [charges[c].id, charges[c].paymentIntent, charges[c].order] where key != IdTable.none { authorizations[key] = c }
        }
        self.authorizations = authorizations
        matchedCharge = FactColumn(repeating: false, count: charges.count)
        matches = MatchList(ids: ids, windowHours: parameters.matchWindowSeconds / 3_600)
    }

    /// Positions 0..<count by time, equal times by `tie`. The sort runs over (time, position) pairs, so
    /// a comparison reads one array instead of two facts elsewhere in memory (at a million rows that
    /// halved the sorts); inputs arrive nearly in time order, which Swift's merge sort exploits.
    static func sorted<Fact, Time: Comparable>(_ facts: [Fact], time: (Fact) -> Time, tie: (FactIndex<Fact>, FactIndex<Fact>) -> Bool)
        -> [FactIndex<Fact>]
    {
        var keyed = facts.indices.map { (time: time(facts[$0]), position: FactIndex<Fact>($0)) }
        keyed.sort { $0.time != $1.time ? $0.time < $1.time : tie($0.position, $1.position) }
        return keyed.map(\.position)
    }

    /// True when the ledger rows and the Stripe amounts are all in one currency and add up to the same
    /// total: the group rule for payments and refunds alike.
    func totalsAgree(_ entries: [LedgerIndex], _ amounts: [Money]) -> Bool {
        guard let first = entries.first, !amounts.isEmpty else { return false }
        let currency = facts.ledger[first].currency
        guard entries.allSatisfy({ facts.ledger[$0].currency == currency }), amounts.allSatisfy({ $0.currency == currency }) else { return false }
        return entries.reduce(Int64(0)) { $0 + facts.ledger[$1].amount } == amounts.reduce(Int64(0)) { $0 + $1.minorUnits }
    }

    /// The charge fact of a charge id, if loaded.
    func charge(_ id: FactID) -> ReconcileFacts.Charge? {
        guard !id.isNone, !chargeById[id].isNone else { return nil }
        return facts.charges[chargeById[id]]
    }

    /// The order a charge belongs to, by its metadata; none if unknown.
    func order(ofCharge id: FactID) -> FactID { charge(id)?.order ?? IdTable.none }

    /// Reports a finding of the period: as pending while its counterpart can still arrive.
    mutating func flag(_ discrepancy: Discrepancy) {
        guard parameters.inPeriod(discrepancy.occurredAt) else { return }
        if discrepancy.kind.canStillArrive, let now = parameters.now,
            now.seconds - discrepancy.occurredAt.seconds < parameters.settlementWindowSeconds
        {
            pending.append(discrepancy)
        } else {
            discrepancies.append(discrepancy)
        }
    }

    /// Records a match of the period.
    mutating func record(
        _ rule: Match.Rule, key: FactID, order: FactID, ledger: some Collection<LedgerIndex>, stripe: some Collection<FactID>,
        ledgerAmount: Money, stripeAmount: Money, occurredAt: Timestamp
    ) {
        guard parameters.inPeriod(occurredAt) else { return }
        if ledger.count == 1, stripe.count == 1 {
            matches.append(
                rule: rule, key: key, order: order, ledgerEntry: facts.ledger[ledger.first!].entry, stripeId: stripe.first!,
                ledgerAmount: ledgerAmount, stripeAmount: stripeAmount, occurredAt: occurredAt)
        } else {
            let rows = facts.ledger
            matches.append(
                rule: rule, key: key, order: order, ledgerEntries: ledger.map { rows[$0].entry }, stripeIds: Array(stripe),
                ledgerAmount: ledgerAmount, stripeAmount: stripeAmount, occurredAt: occurredAt)
        }
    }

    /// Takes in what another pass over the same facts found (its matches, findings and notes after ours).
    mutating func absorb(_ other: ReconciliationPass) {
        matches.append(contentsOf: other.matches)
        discrepancies += other.discrepancies
        pending += other.pending
        diagnostics += other.diagnostics
    }

    mutating func result() -> ReconcileResult {
        settleMatches()
        matches.sort()
        let order: (Discrepancy, Discrepancy) -> Bool = { ($0.kind, $0.occurredAt, $0.id) < ($1.kind, $1.occurredAt, $1.id) }
        return ReconcileResult(
            matches: matches, discrepancies: discrepancies.sorted(by: order), pending: pending.sorted(by: order),
            diagnostics: diagnostics)
    }
}

struct PaymentKey: Hashable {
    let amount: Int64
    let currency: Currency
}
