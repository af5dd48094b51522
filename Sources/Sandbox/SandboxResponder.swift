import Core
import Foundation

/// Answers Stripe API requests from a generated account with Stripe's list semantics:
/// newest first, `limit` 1–100 (default 10), `starting_after`/`ending_before` cursors,
/// `created[gt|gte|lt|lte]` windows, filters, `expand[]=data.source`, Stripe-shaped errors.
/// Transport-free, so its semantics are tested without a socket.
struct SandboxResponder: Sendable {
    struct Reply: Sendable {
        let status: Int
        let body: Data
        var headers: [(String, String)] = []
    }

    let index: SandboxIndex

    static let listPaths: Set<String> = ["balance_transactions", "charges", "refunds", "disputes", "payouts"]

    func respond(path: String, query: SandboxQuery, authorization: String?) -> Reply {
        guard let authorization, authorization.hasPrefix("Bearer ") else {
            return Self.error(
                401, type: "invalid_request_error", code: nil,
                message: "You did not provide an API key. Provide it in the Authorization header as a bearer token.")
        }
        let key = authorization.dropFirst("Bearer ".count)
        guard key.hasPrefix("sk_test_") || key.hasPrefix("rk_test_") else {
            return Self.error(401, type: "invalid_request_error", code: "api_key_invalid", message: "Invalid API Key provided.")
        }
        let parts = path.split(separator: "/").map(String.init)
        guard parts.count >= 2, parts[0] == "v1", Self.listPaths.contains(parts[1]) else {
            return Self.error(404, type: "invalid_request_error", code: nil, message: "Unrecognized request URL (GET: \(path)).")
        }
        if parts.count == 3 { return retrieve(list: parts[1], id: parts[2]) }
        guard parts.count == 2 else {
            return Self.error(404, type: "invalid_request_error", code: nil, message: "Unrecognized request URL (GET: \(path)).")
        }
        return list(parts[1], query: query)
    }

    private func retrieve(list: String, id: String) -> Reply {
        guard let found = index.byId[id], found.list == list else {
            return Self.error(404, type: "invalid_request_error", code: "resource_missing", message: "No such object: '\(id)'", param: "id")
        }
        return Reply(status: 200, body: found.entry.json)
    }

    private func list(_ name: String, query: SandboxQuery) -> Reply {
        let limitText = query["limit"] ?? "10"
        guard let limit = Int(limitText), (1...100).contains(limit) else {
            return Self.error(
                400, type: "invalid_request_error", code: "parameter_invalid_integer",
                message: "Invalid limit: must be an integer between 1 and 100", param: "limit")
        }
        var bounds: [(String, Int64)] = []
        for op in ["gt", "gte", "lt", "lte"] {
            guard let text = query["created[\(op)]"] else { continue }
            guard let value = Int64(text) else {
                return Self.error(
                    400, type: "invalid_request_error", code: "parameter_invalid_integer",
                    message: "Invalid integer: \(text)", param: "created[\(op)]")
            }
            bounds.append((op, value))
        }
        if let exact = query["created"] {
            guard let value = Int64(exact) else {
                return Self.error(
                    400, type: "invalid_request_error", code: "parameter_invalid_integer", message: "Invalid integer: \(exact)", param: "created")
            }
            bounds += [("gte", value), ("lte", value)]
        }
        var source = index.lists[name]![...]
        if let payout = query["payout"] {
            guard name == "balance_transactions", let members = index.payoutMembers[payout] else {
                return Self.error(
                    404, type: "invalid_request_error", code: "resource_missing", message: "No such payout: '\(payout)'", param: "payout")
            }
            source = members[...]
        }
        // Lists are newest first by (created, id): a window and a cursor are found by binary search, so a
        // page costs the same at the end of a million objects as at the start.
        for (op, value) in bounds {
            switch op {
            case "lt": source = source[Self.first(in: source) { $0.created < value }...]
            case "lte": source = source[Self.first(in: source) { $0.created <= value }...]
            case "gte": source = source[..<Self.first(in: source) { $0.created < value }]
            default: source = source[..<Self.first(in: source) { $0.created <= value }]
            }
        }
        let filters = ["type", "currency", "charge", "payment_intent", "status"].compactMap { key in query[key].map { (key, $0) } }
        let items =
            filters.isEmpty
            ? source
            : source.filter { entry in filters.allSatisfy { entry.fields[$0.0] == $0.1 } }[...]
        let page: ArraySlice<SandboxIndex.Entry>
        let hasMore: Bool
        if let after = query["starting_after"] {
            guard let cursor = index.byId[after]?.entry else { return Self.missingCursor(after, "starting_after") }
            let older = items[Self.first(in: items) { ($0.created, $0.id) < (cursor.created, cursor.id) }...]
            page = older.prefix(limit)
            hasMore = older.count > limit
        } else if let before = query["ending_before"] {
            guard let cursor = index.byId[before]?.entry else { return Self.missingCursor(before, "ending_before") }
            let newer = items[..<Self.first(in: items) { ($0.created, $0.id) <= (cursor.created, cursor.id) }]
            page = newer.suffix(limit)
            hasMore = newer.count > limit
        } else {
            page = items.prefix(limit)
            hasMore = items.count > limit
        }
        let expand = name == "balance_transactions" && query.all("expand[]").contains("data.source")
        var body = Data("{\"object\":\"list\",\"data\":[".utf8)
        for (offset, entry) in page.enumerated() {
            if offset > 0 { body.append(UInt8(ascii: ",")) }
            body.append(expand ? index.expandedSources[entry.id] ?? entry.json : entry.json)
        }
        body.append(Data("],\"has_more\":\(hasMore),\"url\":\"/v1/\(name)\"}".utf8))
        return Reply(status: 200, body: body)
    }

    /// The first position in `items` (ordered so that `isPast` is false, then true) where `isPast` holds.
    static func first(in items: ArraySlice<SandboxIndex.Entry>, where isPast: (SandboxIndex.Entry) -> Bool) -> Int {
        var low = items.startIndex
        var high = items.endIndex
        while low < high {
            let middle = low + (high - low) / 2
            if isPast(items[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    private static func missingCursor(_ id: String, _ param: String) -> Reply {
        error(400, type: "invalid_request_error", code: "resource_missing", message: "No such object: '\(id)'", param: param)
    }

    static func error(_ status: Int, type: String, code: String?, message: String, param: String? = nil) -> Reply {
        var detail: [String: String] = ["type": type, "message": message]
        if let code { detail["code"] = code }
        if let param { detail["param"] = param }
        let body = (try? JSONSerialization.data(withJSONObject: ["error": detail], options: [.sortedKeys])) ?? Data()
        return Reply(status: status, body: body)
    }
}
