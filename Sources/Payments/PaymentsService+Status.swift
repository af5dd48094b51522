import Core
import PaymentsStore

/// `GET /orders/{id}`: an order with its documents, ledger entries and the delivery state of its
/// emails and notifications, so the backend (and on-call) can see what went out.
public struct OrderStatus: Sendable, Encodable {
    public struct Document: Sendable, Encodable { let number: String; let kind: String; let total: String; let sha256: String }
    public struct Entry: Sendable, Encodable {
        let entryId: String; let type: String; let amount: String; let stripeId: String?
        enum CodingKeys: String, CodingKey {
            case entryId = "entry_id"
            case type, amount
            case stripeId = "stripe_id"
        }
    }
    public struct Delivery: Sendable, Encodable {
        let channel: String; let status: String; let attempts: Int; let lastError: String?
        enum CodingKeys: String, CodingKey {
            case channel, status, attempts
            case lastError = "last_error"
        }
    }
    let orderId: String
    /// paid, processing (a bank debit Stripe has not settled; no invoice yet) or payment_failed.
    let status: String
    let paymentIntentId: String
    let amount: String
    let currency: String
    /// Absent until the order is paid.
    let invoiceNumber: String?
    let paymentMethod: String?
    let cardBrand: String?
    let cardLast4: String?
    let documents: [Document]
    let ledger: [Entry]
    let deliveries: [Delivery]

    enum CodingKeys: String, CodingKey {
        case orderId = "order_id"
        case paymentIntentId = "payment_intent_id"
        case paymentMethod = "payment_method"
        case amount, currency, status
        case invoiceNumber = "invoice_number"
        case cardBrand = "card_brand"
        case cardLast4 = "card_last4"
        case documents, ledger, deliveries
    }
}

extension PaymentsService {
    public func orderStatus(_ id: OrderID) throws(PaymentsError) -> OrderStatus {
        do {
            let deliveries = try store.outboxItems(order: id).map {
                OrderStatus.Delivery(channel: $0.channel.rawValue, status: $0.status.rawValue, attempts: $0.attempts, lastError: $0.lastError)
            }
            guard let order = try store.order(id) else {
                // Not paid: perhaps a bank debit still processing, or one that failed.
                let processing = try store.readPayments(at: clock()) { try $0.processing(order: id) }
                let quote = try processing.flatMap { record in try store.readPayments(at: clock()) { try $0.quote(id: record.quoteId) } }
                guard let processing, let quote else {
                    throw PaymentsError(status: 404, code: "unknown_order", message: "no paid order \(id.rawValue)")
                }
                return OrderStatus(
                    orderId: id.rawValue, status: processing.status == .failed ? "payment_failed" : "processing",
                    paymentIntentId: processing.paymentIntentId.rawValue, amount: quote.total.decimalString, currency: quote.total.currency.code,
                    invoiceNumber: nil, paymentMethod: processing.paymentMethod, cardBrand: nil, cardLast4: nil, documents: [], ledger: [],
                    deliveries: deliveries)
            }
            return OrderStatus(
                orderId: id.rawValue, status: "paid", paymentIntentId: order.paymentIntentId.rawValue, amount: order.amount.decimalString,
                currency: order.amount.currency.code, invoiceNumber: order.invoiceNumber,
                paymentMethod: order.cardBrand == nil ? nil : "card", cardBrand: order.cardBrand, cardLast4: order.cardLast4,
                documents: try store.documents(order: id).map {
                    .init(number: $0.number, kind: $0.kind.rawValue, total: $0.total.decimalString, sha256: $0.sha256)
                },
                ledger: try store.ledgerEntries(order: id).map {
                    .init(entryId: $0.entryId.rawValue, type: $0.kind.rawValue, amount: $0.amount.decimalString, stripeId: $0.stripeId)
                },
                deliveries: deliveries)
        } catch {
            throw answer(for: error, doing: "read the order")
        }
    }
}
