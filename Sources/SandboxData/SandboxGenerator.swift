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
        builder.buildMoneyShapes()
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
    /// A charge made outside the checkout (a dashboard charge, say): no metadata.order_id on it. Its
    /// refund carries the order in its own metadata, and the ledger books the refund without an id, so
    /// only the refund's metadata ties the two together. Every tenth plain partially refunded order.
    var orderlessCharge: Bool { planted == nil && refund == .partial && !failedFirst && !disputed && index % 10 == 3 }
}
