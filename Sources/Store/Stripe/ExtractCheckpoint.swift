import Core

/// Where one window of a list stands: its bounds (`created_lt` of a list's newest window fixed when the
/// pull began, so a resumed walk sees the same objects), the last object committed, and whether it is done.
public struct ExtractCheckpoint: Hashable, Sendable {
    /// Set by the store when the window is written; 0 before.
    public var windowId: Int64
    /// The endpoint's last path component: "charges", "balance_transactions", ….
    public let list: String
    /// The watermark's object name: "charge", "balance_transaction", ….
    public let object: String
    /// nil: from the account's beginning (a full pull's oldest window).
    public var createdGte: Int64?
    public let createdLt: Int64
    public var cursor: String?
    /// The cursor object's `created`: everything from here to `createdLt` is in the store.
    public var cursorCreated: Int64?
    public var pages: Int
    public var objects: Int
    /// The newest object of the pull (its first), which becomes the watermark when the list is done.
    public var maxCreated: Int64?
    public var done: Bool
    public let startedAt: Timestamp

    public init(
        windowId: Int64 = 0, list: String, object: String, createdGte: Int64?, createdLt: Int64, cursor: String? = nil,
        cursorCreated: Int64? = nil, pages: Int = 0, objects: Int = 0, maxCreated: Int64? = nil, done: Bool = false, startedAt: Timestamp
    ) {
        self.windowId = windowId; self.list = list; self.object = object; self.createdGte = createdGte; self.createdLt = createdLt;
        self.cursor = cursor
        self.cursorCreated = cursorCreated; self.pages = pages; self.objects = objects; self.maxCreated = maxCreated; self.done = done
        self.startedAt = startedAt
    }

    /// The part of the window not in the store yet: from `createdGte` up to the cursor (the walk goes
    /// newest first). nil when the list is done.
    public var missing: Range<Int64>? {
        guard !done else { return nil }
        let top = cursorCreated ?? createdLt
        let bottom = createdGte ?? Int64.min
        return bottom < top ? bottom..<top : nil
    }
}
