/// One thing that does not agree between Stripe and the ledger: one row per subject and kind.
public struct Discrepancy: Hashable, Sendable, Identifiable {
    /// Stable across runs: "<kind>/<subject id>", so a night's finding is the same item the next night.
    public let id: String
    public let kind: DiscrepancyKind
    public let subjectId: String
    public let orderId: String?
    public let ledgerEntryId: String?
    public let stripeId: String?
    /// Currency of `actual` (Stripe's side, or the ledger's when Stripe has nothing).
    public let currency: Currency
    /// Currency of `expected` when it differs (currency_mismatch); nil means `currency`.
    public let expectedCurrency: Currency?
    /// What the reference side says (the ledger, the fee schedule, the sum of a payout's transactions).
    public let expected: Int64?
    /// What was found (the charge, the refund, the fee charged, the payout amount).
    public let actual: Int64?
    /// When the subject happened; it decides which reporting period the row belongs to.
    public let occurredAt: Timestamp
    public let detail: String

    public init(
        kind: DiscrepancyKind, subjectId: String, orderId: String?, ledgerEntryId: String?, stripeId: String?,
        currency: Currency, expectedCurrency: Currency? = nil, expected: Int64?, actual: Int64?,
        occurredAt: Timestamp, detail: String
    ) {
        self.id = "\(kind.rawValue)/\(subjectId)"
        self.kind = kind; self.subjectId = subjectId; self.orderId = orderId; self.ledgerEntryId = ledgerEntryId
        self.stripeId = stripeId; self.currency = currency; self.expectedCurrency = expectedCurrency
        self.expected = expected; self.actual = actual; self.occurredAt = occurredAt; self.detail = detail
    }

    public var severity: Severity { kind.severity }

    /// actual − expected, a missing side counting as zero; nil across two currencies.
    public var difference: Int64? {
        guard expectedCurrency == nil || expectedCurrency == currency else { return nil }
        return (actual ?? 0) - (expected ?? 0)
    }
}

/// A discrepancy as the store tracks it across nights.
public struct TrackedDiscrepancy: Hashable, Sendable {
    public enum Status: String, Hashable, Sendable { case open, pending, closed, resolved }
    public let discrepancy: Discrepancy
    public let status: Status
    public let firstSeen: Timestamp
    public let lastSeen: Timestamp
    public let note: String?
    public let resolvedBy: String?

    public init(discrepancy: Discrepancy, status: Status, firstSeen: Timestamp, lastSeen: Timestamp, note: String?, resolvedBy: String?) {
        self.discrepancy = discrepancy; self.status = status; self.firstSeen = firstSeen; self.lastSeen = lastSeen
        self.note = note; self.resolvedBy = resolvedBy
    }

    /// Whole days from first sighting to `now`.
    public func ageDays(now: Timestamp) -> Int64 { max(0, (now.seconds - firstSeen.seconds) / 86_400) }
}
