import Core
import Foundation
import PaymentsStore
import StripeAPI

/// The body of `POST /orders/{id}/refunds`: no amount refunds all that remains.
public struct RefundRequestBody: Sendable, Decodable {
    public let amount: String?
    public let reason: String?
}

public struct RefundAnswer: Sendable, Encodable {
    public let requestKey: String
    public let orderId: String
    public let refundId: String?
    public let amount: String
    public let currency: String
    public let status: String
    public let creditNote: String?

    enum CodingKeys: String, CodingKey {
        case requestKey = "request_key"
        case orderId = "order_id"
        case refundId = "refund_id"
        case amount, currency, status
        case creditNote = "credit_note"
    }
}

extension PaymentsService {
    /// Refunds (part of) an order. The request key makes the call idempotent: the same key gives the
    /// same refund, however often it is sent. The amount is reserved against what remains before
    /// Stripe is called, so concurrent requests cannot refund more than was paid.
    public func refund(orderId: OrderID, body: RefundRequestBody, requestKey: String, actor: RequestActor = .backend) async throws(PaymentsError)
        -> RefundAnswer
    {
        guard !requestKey.isEmpty, requestKey.count <= 255 else {
            throw .invalid("Idempotency-Key", "a header of 1–255 characters naming this request")
        }
        let reason = body.reason.map(CardNumberMask.mask)
        if let reason, reason.count > 500 { throw .invalid("reason", "at most 500 characters") }
        do {
            guard let order = try store.order(orderId) else {
                throw PaymentsError(status: 404, code: "unknown_order", message: "no paid order \(orderId.rawValue)")
            }
            let amount = try body.amount.map { text throws(PaymentsError) -> Int64 in
                let minor: Int64
                do { minor = try DecimalAmount.parse(text, currency: order.amount.currency) } catch {
                    throw PaymentsError.invalid("amount", "\(error)")
                }
                guard minor > 0 else { throw PaymentsError.invalid("amount", "above zero") }
                return minor
            }
            let request: RefundRequestRecord
            switch try store.reserveRefund(requestKey: requestKey, order: orderId, amount: amount, reason: reason, at: clock()) {
            case .unknownOrder:
                throw PaymentsError(status: 404, code: "unknown_order", message: "no paid order \(orderId.rawValue)")
            case .exceedsRemaining(let remaining):
                throw PaymentsError(
                    status: 422, code: "exceeds_remaining",
                    message: "amount: at most \(remaining.decimalString) \(remaining.currency.code) remains to refund")
            case .existing(let record) where record.status != .requested:
                return try answer(record, orderId: orderId)
            case .existing(let record):
                // Sent before without an answer: send again with the same Idempotency-Key.
                request = record
            case .reserved(let record):
                request = record
                try store.appendAudit(
                    AuditEntry(
                        at: clock(), actor: actor.name, action: "refund.requested", subject: orderId.rawValue, requestId: actor.requestId,
                        after: "\(record.amount.decimalString) \(record.amount.currency.code), key \(requestKey)", note: reason))
            }
            return try await send(request, order: order)
        } catch {
            throw answer(for: error, doing: "refund")
        }
    }

    private func send(_ request: RefundRequestRecord, order: OrderRecord) async throws -> RefundAnswer {
        var form: [(String, String)] = [
            ("payment_intent", order.paymentIntentId.rawValue), ("amount", String(request.amount.minorUnits)),
            ("metadata[order_id]", order.orderId.rawValue), ("metadata[refund_request]", request.requestKey),
        ]
        if let reason = request.reason { form.append(("metadata[reason]", reason)) }
        let refund: Refund
        do {
            refund = try await stripe.post("/v1/refunds", form: form, idempotencyKey: "payrecon-refund-\(request.requestKey)")
        } catch let error as StripeError where error.status >= 400 && !error.isUnavailable && error.status != 409 {
            // Stripe's verdict on the request (not a 409 idempotency conflict, not an undecodable
            // answer to a refund that may exist): release the reservation.
            try store.refundRequestFailed(requestKey: request.requestKey, error: error.description)
            throw error
        }
        try store.refundRequestSent(requestKey: request.requestKey, refund: refund.id, status: refund.status == .succeeded ? .succeeded : .pending)
        if refund.status == .succeeded {
            try store.withPaymentsTransaction(at: clock()) { tx in try self.bookRefund(refund, order: order, in: tx) }
        }
        guard let record = try store.refundRequest(key: request.requestKey) else {
            throw PaymentsError(status: 500, code: "internal_error", message: "refund request vanished")
        }
        return try answer(record, orderId: order.orderId)
    }

    private func answer(_ record: RefundRequestRecord, orderId: OrderID) throws -> RefundAnswer {
        let note = try store.documents(order: orderId).first { $0.refundId != nil && $0.refundId == record.refundId }
        return RefundAnswer(
            requestKey: record.requestKey, orderId: orderId.rawValue, refundId: record.refundId?.rawValue,
            amount: record.amount.decimalString, currency: record.amount.currency.code, status: record.status.rawValue,
            creditNote: note?.number)
    }
}
