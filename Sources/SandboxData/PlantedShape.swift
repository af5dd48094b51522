import Core

/// One money shape the sandbox planted (a partial capture, a refund that failed, an inquiry, a balance
/// transaction type…), and what the reconciler must make of it: the discrepancy kind it must report
/// (`flagged`), or nil when it must stay silent. The truth file lists them beside the discrepancies.
public struct PlantedShape: Hashable, Sendable, Codable, Comparable {
    public enum Shape: String, Sendable, Codable, CaseIterable {
        case partialCapture = "partial_capture"
        case partialCaptureBookedAuthorized = "partial_capture_booked_as_authorized"
        case uncapturedAuthorization = "uncaptured_authorization"
        case uncapturedAuthorizationBooked = "uncaptured_authorization_booked"
        case pendingRefund = "pending_refund"
        case pendingRefundUnbooked = "pending_refund_unbooked"
        case failedRefund = "refund_failed_after_success"
        case failedRefundBooked = "refund_failed_after_success_booked"
        case canceledRefund = "refund_canceled"
        case canceledRefundBooked = "refund_canceled_booked"
        case inquiry
        case wonDispute = "dispute_won"
        case convertedCharge = "converted_charge"
        case internationalCard = "international_card"
        case balanceType = "balance_type"
        case canceledPayout = "payout_canceled"
    }

    public let shape: Shape
    /// The object the shape is about: a charge, refund, dispute, balance transaction or payout id, or
    /// a ledger entry when the shape is flagged on one.
    public let subjectId: String
    /// The kind that must be reported for `subjectId`; nil: nothing may be reported for it.
    public let flagged: String?
    public let note: String

    public init(_ shape: Shape, subjectId: String, flagged: DiscrepancyKind?, note: String) {
        self.shape = shape; self.subjectId = subjectId; self.flagged = flagged?.rawValue; self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case shape
        case subjectId = "subject_id"
        case flagged, note
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.shape.rawValue, lhs.subjectId) < (rhs.shape.rawValue, rhs.subjectId) }
}
