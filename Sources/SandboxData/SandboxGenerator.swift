import Core
import Foundation

/// Builds a deterministic synthetic Stripe account and its ledger, with discrepancies of every
/// kind planted on orders that have nothing else unusual about them, so that each planted item
/// has exactly one right answer.
public enum SandboxGenerator {
    public static func generate(_ configuration: SandboxConfiguration) -> SandboxAccount {
        var builder = AccountBuilder(configuration: configuration)
        builder.buildOrders()
        builder.buildLedgerOnlyOrders()
        builder.buildPlatformFees()
        builder.buildPayouts()
        return builder.account()
    }
}

/// What one order will look like, drawn before anything is built so that planting can pick
/// orders by their shape.
struct OrderPlan {
    enum RefundPattern { case none, full, partial, split }
    enum LedgerIdStyle { case paymentIntent, charge, none }
    let index: Int
    let currency: Currency
    let amount: Int64
    let created: Int64
    var ledgerDelay: Int64
    let idStyle: LedgerIdStyle
    let failedFirst: Bool
    var refund: RefundPattern
    var disputed: Bool
    var planted: DiscrepancyKind?
    var orderId: String { "ord_" + String(format: "%06d", index + 1) }
    var supplierId: String { "sup_" + String(format: "%02d", index % 37 + 1) }
}
