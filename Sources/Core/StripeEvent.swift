/// A webhook event. `data.object` is kept as JSON: its shape depends on `type`.
/// https://docs.stripe.com/api/events/object
public struct StripeEvent: Hashable, Sendable, Codable, Identifiable {
    public struct Payload: Hashable, Sendable, Codable {
        public let object: JSONValue
        public let previousAttributes: JSONValue?
        enum CodingKeys: String, CodingKey {
            case object
            case previousAttributes = "previous_attributes"
        }
    }
    public let id: EventID
    public let type: String
    public let created: Int64
    public let apiVersion: String?
    public let livemode: Bool?
    public let data: Payload

    enum CodingKeys: String, CodingKey {
        case id, type, created, livemode, data
        case apiVersion = "api_version"
    }
}

/// One page of a Stripe list. https://docs.stripe.com/api/pagination
public struct StripeList<Element: Codable & Sendable>: Codable, Sendable {
    public var object: String = "list"
    public let data: [Element]
    public let hasMore: Bool
    public let url: String?

    public init(data: [Element], hasMore: Bool, url: String?) { self.data = data; self.hasMore = hasMore; self.url = url }

    enum CodingKeys: String, CodingKey {
        case object, data, url
        case hasMore = "has_more"
    }
}
