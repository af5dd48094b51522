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
        var members: Set<String>?
        if let payout = query["payout"] {
            guard name == "balance_transactions", let set = index.payoutMembers[payout] else {
                return Self.error(
                    404, type: "invalid_request_error", code: "resource_missing", message: "No such payout: '\(payout)'", param: "payout")
            }
            members = set
        }
        let filters = ["type", "currency", "charge", "payment_intent", "status"].compactMap { key in query[key].map { (key, $0) } }
        let items = index.lists[name]!.filter { entry in
            if let members, !members.contains(entry.id) { return false }
            for (key, value) in filters where entry.fields[key] != value { return false }
            for (op, value) in bounds {
                switch op {
                case "gt": if entry.created <= value { return false }
                case "gte": if entry.created < value { return false }
                case "lt": if entry.created >= value { return false }
                default: if entry.created > value { return false }
                }
            }
            return true
        }
        let page: ArraySlice<SandboxIndex.Entry>
        let hasMore: Bool
        if let after = query["starting_after"] {
            guard let cursor = index.byId[after]?.entry else { return Self.missingCursor(after, "starting_after") }
            let older = items.drop { ($0.created, $0.id) >= (cursor.created, cursor.id) }
            page = older.prefix(limit)
            hasMore = older.count > limit
        } else if let before = query["ending_before"] {
            guard let cursor = index.byId[before]?.entry else { return Self.missingCursor(before, "ending_before") }
            let newer = items.prefix { ($0.created, $0.id) > (cursor.created, cursor.id) }
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
