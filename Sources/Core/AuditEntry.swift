/// One action in the audit log: who did what to which record, when, and what it was before and after.
public struct AuditEntry: Hashable, Sendable {
    public let at: Timestamp
    /// A person (`resolve --by`), a named API token, or the operating-system user a command ran as.
    public let actor: String
    /// Dotted and stable: `discrepancy.resolve`, `ledger.import`.
    public let action: String
    /// The record acted on: a discrepancy id, a ledger import id.
    public let subject: String
    public let requestId: String?
    public let before: String?
    public let after: String?
    public let note: String?

    public init(
        at: Timestamp, actor: String, action: String, subject: String, requestId: String? = nil, before: String? = nil, after: String? = nil,
        note: String? = nil
    ) {
        self.at = at; self.actor = actor; self.action = action; self.subject = subject; self.requestId = requestId
        self.before = before; self.after = after; self.note = note
    }
}
