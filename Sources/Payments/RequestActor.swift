/// Who made a request and its id, for the audit log: a named token (`token:ops-ana`), `backend` (the
/// shared token), or `stripe` for what webhooks did.
public struct RequestActor: Sendable, Hashable {
    public let name: String
    public let requestId: String?
    public init(name: String, requestId: String?) { self.name = name; self.requestId = requestId }

    public static let backend = RequestActor(name: "backend", requestId: nil)
    /// Stripe, through a webhook: the event id stands in for a request id.
    public static func stripe(event: String) -> RequestActor { RequestActor(name: "stripe", requestId: event) }
}
