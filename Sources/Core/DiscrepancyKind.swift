/// The discrepancy taxonomy: a public contract (names, meaning, one row per subject).
/// Add kinds; never rename one: users' scripts filter on these strings.
public enum DiscrepancyKind: String, Hashable, Sendable, CaseIterable, Comparable {
    case missingInLedger = "missing_in_ledger"
    case missingInStripe = "missing_in_stripe"
    case amountMismatch = "amount_mismatch"
    case currencyMismatch = "currency_mismatch"
    case duplicateCharge = "duplicate_charge"
    case refundMissingInLedger = "refund_missing_in_ledger"
    case refundMissingInStripe = "refund_missing_in_stripe"
    case refundAmountMismatch = "refund_amount_mismatch"
    case overRefund = "over_refund"
    case feeMismatch = "fee_mismatch"
    case disputeUnrecorded = "dispute_unrecorded"
    case payoutMismatch = "payout_mismatch"
    case payoutFailed = "payout_failed"

    /// How urgently finance must look: money that left or may leave without a record ranks highest.
    public var severity: Severity {
        switch self {
        case .duplicateCharge, .payoutMismatch, .payoutFailed, .overRefund: return .critical
        case .missingInLedger, .missingInStripe, .amountMismatch, .currencyMismatch, .refundMissingInStripe: return .high
        case .refundMissingInLedger, .refundAmountMismatch, .disputeUnrecorded: return .medium
        case .feeMismatch: return .low
        }
    }

    /// Whether the other side may simply be late (a ledger booked tomorrow, a refund still settling):
    /// such findings are pending inside the settlement window. Mismatches and failures are not late.
    public var canStillArrive: Bool {
        switch self {
        case .missingInLedger, .missingInStripe, .refundMissingInLedger, .refundMissingInStripe, .disputeUnrecorded: return true
        default: return false
        }
    }

    /// What the one row stands for ("charge", "ledger entry", ...), as DESIGN.md's table says.
    public var subject: String {
        switch self {
        case .missingInLedger: return "charge"
        case .duplicateCharge: return "extra charge"
        case .missingInStripe, .amountMismatch, .currencyMismatch, .refundMissingInStripe, .refundAmountMismatch:
            return "ledger entry"
        case .refundMissingInLedger: return "refund"
        case .overRefund: return "order"
        case .feeMismatch: return "balance transaction"
        case .disputeUnrecorded: return "dispute"
        case .payoutMismatch, .payoutFailed: return "payout"
        }
    }

    private var order: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.order < rhs.order }
}

public enum Severity: String, Hashable, Sendable, CaseIterable, Comparable {
    case low, medium, high, critical
    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}
