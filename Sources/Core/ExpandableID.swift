/// A Stripe reference that is an id string, or the whole object when the request
/// asked for `expand[]`. payrecon keeps the id either way; it fetches objects by their own lists.
public struct ExpandableID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let id: String
    public init(_ id: String) { self.id = id }

    private struct Expanded: Decodable { let id: String }

    public init(from decoder: any Decoder) throws {
        if let id = try? decoder.singleValueContainer().decode(String.self) {
            self.id = id
        } else {
            self.id = try Expanded(from: decoder).id
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(id)
    }

    public var description: String { id }
}
