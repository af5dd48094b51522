import Core

/// What the reconciler reads, in the lean form it matches on: only the fields matching uses, ids as
/// `IdTable` integers, currencies as two bytes. At a million orders this is a few hundred MB where the
/// Codable records were over 4 GiB. The store loads it straight from SQLite; `init(stripe:ledger:)`
/// builds it from records, for tests and callers that have them.
public struct ReconcileFacts: Sendable {
    public struct Ledger: Sendable {
        /// `append`ed (never joined, only printed).
        public var entry: FactID
        public var order: FactID
        /// `IdTable.none` when the row has no (or an empty) stripe_id.
        public var stripeId: FactID
        public var kind: LedgerEntry.Kind
        public var currency: Currency
        public var amount: Int64
        public var createdAt: Microseconds
        public init(
            entry: FactID, order: FactID, stripeId: FactID, kind: LedgerEntry.Kind, currency: Currency, amount: Int64, createdAt: Microseconds
        ) {
            self.entry = entry; self.order = order; self.stripeId = stripeId; self.kind = kind; self.currency = currency
            self.amount = amount; self.createdAt = createdAt
        }
        public var money: Money { Money(minorUnits: amount, currency: currency) }
        public var timestamp: Timestamp { createdAt.timestamp }
    }

    public struct Charge: Sendable {
        public var id: FactID
        /// metadata.order_id, or none.
        public var order: FactID
        public var paymentIntent: FactID
        public var currency: Currency
        /// Succeeded and captured: failed and uncaptured charges are not payments.
        public var isPayment: Bool
        /// Succeeded but never captured: an authorization that took no money.
        public var isAuthorization: Bool
        /// Where the card was issued, or `CountryCode.unknown`.
        public var cardCountry: CountryCode
        /// What was taken: `amount_captured` for a payment (below `authorized` after a partial capture),
        /// the authorized amount for any other charge.
        public var amount: Int64
        /// What was authorized (`charge.amount`).
        public var authorized: Int64
        /// Seconds, as Stripe counts.
        public var created: StripeSeconds
        public init(
            id: FactID, order: FactID, paymentIntent: FactID, currency: Currency, isPayment: Bool, amount: Int64, created: StripeSeconds,
            authorized: Int64? = nil, isAuthorization: Bool = false, cardCountry: CountryCode = .unknown
        ) {
            self.id = id; self.order = order; self.paymentIntent = paymentIntent; self.currency = currency
            self.isPayment = isPayment; self.amount = amount; self.created = created
            self.authorized = authorized ?? amount; self.isAuthorization = isAuthorization; self.cardCountry = cardCountry
        }
        public var money: Money { Money(minorUnits: amount, currency: currency) }
        public var authorizedMoney: Money { Money(minorUnits: authorized, currency: currency) }
        public var timestamp: Timestamp { created.timestamp }
    }

    public struct Transaction: Sendable {
        /// `append`ed: only printed (fee findings), never joined.
        public var id: FactID
        public var source: FactID
        /// Interned `type` ("charge", "refund", …).
        public var type: FactID
        public var currency: Currency
        public var amount: Int64
        public var fee: Int64
        public var net: Int64
        public var created: StripeSeconds
        /// The payout it went out in (`stripe_balance_transaction.payout_id`), or none.
        public var payout: FactID
        public init(
            id: FactID, source: FactID, type: FactID, currency: Currency, amount: Int64, fee: Int64, net: Int64, created: StripeSeconds,
            payout: FactID = IdTable.none
        ) {
            self.id = id; self.source = source; self.type = type; self.currency = currency
            self.amount = amount; self.fee = fee; self.net = net; self.created = created; self.payout = payout
        }
    }

    public struct Refund: Sendable {
        /// What became of a refund: only an effective one (succeeded, pending, requires_action, or not
        /// saying) returns money; a failed or canceled one returned nothing, or took it back.
        public enum Outcome: UInt8, Sendable {
            case effective, failed, canceled
            public init(status: RefundStatus?) {
                switch status {
                case .failed?: self = .failed
                case .canceled?: self = .canceled
                default: self = .effective
                }
            }
        }
        public var id: FactID
        public var charge: FactID
        /// The refund's own metadata.order_id (for refunds whose charge is unknown).
        public var metadataOrder: FactID
        public var currency: Currency
        public var outcome: Outcome
        public var amount: Int64
        public var created: StripeSeconds
        public init(id: FactID, charge: FactID, metadataOrder: FactID, currency: Currency, outcome: Outcome, amount: Int64, created: StripeSeconds) {
            self.id = id; self.charge = charge; self.metadataOrder = metadataOrder; self.currency = currency
            self.outcome = outcome; self.amount = amount; self.created = created
        }
        /// Not failed or canceled: it returned money.
        public var isEffective: Bool { outcome == .effective }
        public var money: Money { Money(minorUnits: amount, currency: currency) }
        public var timestamp: Timestamp { created.timestamp }
    }

    /// Disputes and payouts are few (thousands, hundreds): they keep their records, with interned ids beside.
    public struct DisputeFact: Sendable {
        public var id: FactID
        public var charge: FactID
        public var record: Dispute
        public init(id: FactID, charge: FactID, record: Dispute) { self.id = id; self.charge = charge; self.record = record }
    }

    /// What a payout is made of: how many transactions are linked to it, how many of them (its own
    /// transaction aside) are not in the store, and the sum of the nets of the others that are.
    public struct PayoutComposition: Sendable, Equatable {
        public var links: Int
        public var unknown: Int
        public var net: Int64
        public init(links: Int, unknown: Int, net: Int64) { self.links = links; self.unknown = unknown; self.net = net }
    }

    public var ids = IdTable()
    public var ledger: [Ledger] = []
    public var charges: [Charge] = []
    public var transactions: [Transaction] = []
    public var refunds: [Refund] = []
    public var disputes: [DisputeFact] = []
    public var payouts: [Payout] = []
    /// By payout index; nil when the payout's links are not known yet.
    public var payoutCompositions: [PayoutComposition?] = []

    public init() {}
}

extension ReconcileFacts {
    /// Facts from Codable records, through the same builder as the store's loader (`add`), in the same
    /// order: ledger, charges, refunds, disputes, transactions, payouts.
    public init(stripe: StripeAccountData, ledger entries: [LedgerEntry]) {
        self.init()
        func rows<Record, Row: FactRow>(_ records: [Record], _ make: (Record) -> (Row, [String?])) -> ([Row], InternBatch) {
            var batch = InternBatch()
            let rows = records.map { record in
                let (row, ids) = make(record)
                batch.add(ids, of: Row.self)
                return row
            }
            return (rows, batch)
        }
        var (ledgerRows, ledgerIds) = rows(entries) { entry in
            (
                Ledger(
                    entry: IdTable.none, order: IdTable.none, stripeId: IdTable.none, kind: entry.kind, currency: entry.amount.currency,
                    amount: entry.amount.minorUnits, createdAt: Microseconds(entry.createdAt.microseconds)),
                [entry.entryId.rawValue, entry.orderId.rawValue, entry.stripeId]
            )
        }
        add(ledgerRows, ids: &ledgerIds)
        ledgerRows = []
        var (chargeRows, chargeIds) = rows(stripe.charges) { charge in
            (
                Charge(
                    id: IdTable.none, order: IdTable.none, paymentIntent: IdTable.none, currency: charge.currency,
                    isPayment: charge.isPayment, amount: charge.isPayment ? charge.capturedAmount : charge.amount,
                    created: StripeSeconds(charge.created), authorized: charge.amount, isAuthorization: charge.isUncapturedAuthorization,
                    cardCountry: CountryCode(charge.paymentMethodDetails?.card?.country)),
                [charge.id.rawValue, charge.orderId?.rawValue, charge.paymentIntent?.id]
            )
        }
        add(chargeRows, ids: &chargeIds)
        var (refundRows, refundIds) = rows(stripe.refunds) { refund in
            (
                Refund(
                    id: IdTable.none, charge: IdTable.none, metadataOrder: IdTable.none, currency: refund.currency,
                    outcome: .init(status: refund.status), amount: refund.amount, created: StripeSeconds(refund.created)),
                [refund.id.rawValue, refund.charge?.id, refund.metadata?["order_id"]]
            )
        }
        add(refundRows, ids: &refundIds)
        addDisputes(stripe.disputes)
        let payoutOf = Self.payoutOfTransaction(stripe)
        var (transactionRows, transactionIds) = rows(stripe.balanceTransactions) { t in
            (
                Transaction(
                    id: IdTable.none, source: IdTable.none, type: IdTable.none, currency: t.currency, amount: t.amount, fee: t.fee,
                    net: t.net, created: StripeSeconds(t.created)),
                [t.id.rawValue, t.source?.id, t.type.rawValue, payoutOf[t.id.rawValue]]
            )
        }
        add(transactionRows, ids: &transactionIds)
        // The store keeps the same three numbers up to date as it writes (Store's `PayoutCompositionTable`).
        var netById: [String: Int64] = [:]
        for t in stripe.balanceTransactions where netById[t.id.rawValue] == nil { netById[t.id.rawValue] = t.net }
        payouts = stripe.payouts
        payoutCompositions = stripe.payouts.map { payout in
            guard let links = stripe.payoutLinks[payout.id], !links.isEmpty else { return nil }
            var composition = PayoutComposition(links: links.count, unknown: 0, net: 0)
            for link in links where link.rawValue != payout.balanceTransaction?.id {
                if let net = netById[link.rawValue] { composition.net += net } else { composition.unknown += 1 }
            }
            return composition
        }
    }

    /// The payout each linked transaction went out in, as the store keeps it (`payout_id`): a payout's
    /// own transaction is not "in" it, and of two payouts linking one transaction the smaller id wins.
    static func payoutOfTransaction(_ stripe: StripeAccountData) -> [String: String] {
        let own = Set(stripe.payouts.compactMap { $0.balanceTransaction?.id })
        var result: [String: String] = [:]
        for (payout, links) in stripe.payoutLinks {
            for link in links where !own.contains(link.rawValue) {
                if let other = result[link.rawValue], other <= payout.rawValue { continue }
                result[link.rawValue] = payout.rawValue
            }
        }
        return result
    }

    /// Disputes are few: they keep their records, their id and charge interned beside.
    public mutating func addDisputes(_ records: [Dispute]) {
        for dispute in records {
            disputes.append(
                DisputeFact(
                    id: ids.intern(dispute.id.rawValue),
                    charge: dispute.charge.map { ids.intern($0.id) } ?? IdTable.none, record: dispute))
        }
    }
}
