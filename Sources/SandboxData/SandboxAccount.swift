import Core

/// A generated account: Stripe's side, the marketplace ledger that goes with it, and the truth.
public struct SandboxAccount: Sendable {
    public let stripe: StripeAccountData
    public let ledger: [SandboxLedgerRow]
    public let truth: [PlantedDiscrepancy]
    /// Every money shape planted, flagged or silent (the flagged ones are in `truth` too).
    public let shapes: [PlantedShape]
    public let firstDay: String
    public let lastDay: String
}

/// One ledger row as the marketplace's export writes it (text, with its quirks: mixed-case
/// currencies, timestamps with offsets and fractions, memos with commas and quotes).
public struct SandboxLedgerRow: Hashable, Sendable {
    public let entryId: String
    public let orderId: String
    public let type: String
    public let amount: String
    public let currency: String
    public let stripeId: String
    public let createdAt: String
    public let supplierId: String
    public let memo: String
}
