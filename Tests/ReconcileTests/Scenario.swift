import Core
import Foundation
import Reconcile

/// A small hand-built account and ledger: every number in these tests is chosen by hand.
struct Scenario {
    var stripe = StripeAccountData()
    var ledger: [LedgerEntry] = []
    /// 2026-09-01T00:00:00Z
    static let day0: Int64 = 1_788_220_800
    var start = Timestamp(seconds: Scenario.day0)
    var end = Timestamp(seconds: Scenario.day0 + 30 * 86_400)
    var fees = FeeSchedule.standard

    @discardableResult
    mutating func charge(
        _ id: String, order: String?, amount: Int64, currency: Currency = .usd, at: Int64 = 3_600,
        intent: String? = nil, status: ChargeStatus = .succeeded
    ) -> Charge {
        let charge = Charge(
            id: ChargeID(id), amount: amount, currency: currency, status: status, captured: status == .succeeded,
            created: Self.day0 + at, paymentIntent: intent ?? "pi_" + id.dropFirst(3), balanceTransaction: nil,
            metadata: order.map { ["order_id": $0] } ?? [:])
        stripe.charges.append(charge)
        return charge
    }

    mutating func refund(
        _ id: String, charge: String, amount: Int64, currency: Currency = .usd, at: Int64 = 86_400,
        order: String? = nil, status: RefundStatus = .succeeded
    ) {
        stripe.refunds.append(
            Refund(
                id: RefundID(id), amount: amount, currency: currency, charge: charge, paymentIntent: nil,
                status: status, created: Self.day0 + at, balanceTransaction: nil,
                metadata: order.map { ["order_id": $0] } ?? [:]))
    }

    /// A manual-capture charge: `captured` of `amount` taken (0: the authorization was never captured).
    mutating func authorization(_ id: String, order: String?, amount: Int64, captured: Int64, at: Int64 = 3_600) {
        stripe.charges.append(
            Charge(
                id: ChargeID(id), amount: amount, currency: .usd, status: .succeeded, captured: captured > 0, created: Self.day0 + at,
                paymentIntent: "pi_" + id.dropFirst(3), balanceTransaction: nil, metadata: order.map { ["order_id": $0] } ?? [:],
                amountCaptured: captured))
    }

    /// A balance transaction of the scenario's day; net is amount − fee.
    mutating func transaction(
        _ id: String, amount: Int64, fee: Int64 = 0, currency: Currency = .usd, type: BalanceTransactionType, source: String?,
        at: Int64 = 5_000
    ) {
        stripe.balanceTransactions.append(
            BalanceTransaction(
                id: BalanceTransactionID(id), amount: amount, currency: currency, net: amount - fee, fee: fee, created: Self.day0 + at,
                availableOn: nil, type: type, reportingCategory: nil, source: source.map { ExpandableID($0) }))
    }

    mutating func book(
        _ entry: String, order: String, _ amount: String, _ currency: Currency = .usd,
        kind: LedgerEntry.Kind = .payment, stripeId: String? = nil, at: Int64 = 3_700
    ) {
        ledger.append(
            LedgerEntry(
                entryId: LedgerEntryID(entry), orderId: OrderID(order), kind: kind,
                amount: try! Money(decimal: amount, currency: currency), stripeId: stripeId,
                createdAt: Timestamp(seconds: Self.day0 + at), supplierId: nil))
    }

    func run() -> ReconcileResult {
        Reconciler.reconcile(ReconcileInput(stripe: stripe, ledger: ledger, periodStart: start, periodEnd: end, feeSchedule: fees))
    }

    /// "kind/subject" of every discrepancy, sorted.
    func findings() -> [String] { run().discrepancies.map(\.id).sorted() }
}
