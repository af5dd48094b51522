import Core

/// One discrepancy the sandbox planted on purpose: the truth file that tests check the reconciler against.
public struct PlantedDiscrepancy: Hashable, Sendable, Codable, Comparable {
    public let kind: String
    /// The id DESIGN.md's "one row per" names: charge, ledger entry, refund, order, transaction, dispute or payout.
    public let subjectId: String
    public let note: String

    public init(kind: DiscrepancyKind, subjectId: String, note: String) {
        self.kind = kind.rawValue; self.subjectId = subjectId; self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case kind
        case subjectId = "subject_id"
        case note
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.kind, lhs.subjectId) < (rhs.kind, rhs.subjectId) }
}
