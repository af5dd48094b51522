import Core
import Facts

/// What a reconciliation is asked: the period, and the rules' settings.
public struct ReconcileParameters: Sendable {
    public var periodStart: Timestamp
    public var periodEnd: Timestamp
    public var feeSchedule: FeeSchedule
    /// How far apart a ledger row and an order-less charge may be for the amount-and-time rule.
    public var matchWindowSeconds: Int64
    /// The reconciliation's "now". An item whose counterpart can still arrive (missing on one side,
    /// younger than `settlementWindowSeconds`) is pending, not a discrepancy. nil: nothing is pending.
    public var now: Timestamp?
    public var settlementWindowSeconds: Int64

    public init(
        periodStart: Timestamp, periodEnd: Timestamp, feeSchedule: FeeSchedule = .standard,
        matchWindowSeconds: Int64 = Defaults.matchWindowHours * 3_600,
        now: Timestamp? = nil, settlementWindowSeconds: Int64 = Defaults.settlementWindowHours * 3_600
    ) {
        self.periodStart = periodStart; self.periodEnd = periodEnd; self.feeSchedule = feeSchedule
        self.matchWindowSeconds = matchWindowSeconds; self.now = now; self.settlementWindowSeconds = settlementWindowSeconds
    }

    func inPeriod(_ time: Timestamp) -> Bool { time >= periodStart && time < periodEnd }
}

/// Everything one reconciliation looks at, as records. Both sides should be loaded with a margin
/// around the period, so that a ledger row booked seconds across the edge from its charge still
/// matches; only subjects inside [periodStart, periodEnd) are reported.
public struct ReconcileInput: Sendable {
    public var stripe: StripeAccountData
    public var ledger: [LedgerEntry]
    public var parameters: ReconcileParameters

    public init(
        stripe: StripeAccountData, ledger: [LedgerEntry], periodStart: Timestamp, periodEnd: Timestamp,
        feeSchedule: FeeSchedule = .standard, matchWindowSeconds: Int64 = Defaults.matchWindowHours * 3_600, now: Timestamp? = nil,
        settlementWindowSeconds: Int64 = Defaults.settlementWindowHours * 3_600
    ) {
        self.stripe = stripe; self.ledger = ledger
        parameters = ReconcileParameters(
            periodStart: periodStart, periodEnd: periodEnd, feeSchedule: feeSchedule,
            matchWindowSeconds: matchWindowSeconds, now: now, settlementWindowSeconds: settlementWindowSeconds)
    }
}

/// What a reconciliation found: in a deterministic order, ids included.
public struct ReconcileResult: Sendable {
    public var matches: MatchList
    public var discrepancies: [Discrepancy]
    /// Items still inside the settlement window: their counterpart can still arrive.
    public var pending: [Discrepancy]
    /// Problems that are not discrepancies (a fee with no schedule entry, a link to an unknown transaction).
    public var diagnostics: [String]
}
