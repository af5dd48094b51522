import Core

/// Everything one reconciliation looks at. Both sides should be loaded with a margin around the
/// period, so that a ledger row booked seconds across the edge from its charge still matches;
/// only subjects inside [periodStart, periodEnd) are reported.
public struct ReconcileInput: Sendable {
    public var stripe: StripeAccountData
    public var ledger: [LedgerEntry]
    public var periodStart: Timestamp
    public var periodEnd: Timestamp
    public var feeSchedule: FeeSchedule

    public init(stripe: StripeAccountData, ledger: [LedgerEntry], periodStart: Timestamp, periodEnd: Timestamp,
                feeSchedule: FeeSchedule = .standard) {
        self.stripe = stripe; self.ledger = ledger; self.periodStart = periodStart; self.periodEnd = periodEnd
        self.feeSchedule = feeSchedule
    }

    func inPeriod(_ time: Timestamp) -> Bool { time >= periodStart && time < periodEnd }
}

/// What a reconciliation found: in a deterministic order, ids included.
public struct ReconcileResult: Sendable {
    public var matches: [Match]
    public var discrepancies: [Discrepancy]
    /// Problems that are not discrepancies (a fee with no schedule entry, a link to an unknown transaction).
    public var diagnostics: [String]
}
