/// The pipeline's defaults, in one place: the CLI's flags, the stages and the rules all read them here.
public enum Defaults {
    /// Hours of ledger and Stripe data read on each side of a reconciled period, so rows across the edge still match.
    public static let marginHours: Int64 = 72
    /// Hours during which an item missing its counterpart is pending, not a discrepancy.
    public static let settlementWindowHours: Int64 = 48
    /// How far apart a ledger row and an order-less charge may be for the amount-and-time rule.
    public static let matchWindowHours: Int64 = 48
    /// How far behind its watermark an incremental extraction starts again (objects that were still changing).
    public static let extractLookbackSeconds: Int64 = 7 * 86_400
}
