/// A wake-up for a background loop: `ring()` any number of times; `wait` returns at the first
/// ring since the last wait, or after the timeout.
actor Doorbell {
    private var rung = false
    private var waiter: (id: Int, continuation: CheckedContinuation<Void, Never>)?
    private var nextId = 0

    nonisolated func ring() { Task { await self.press() } }

    private func press() {
        if let waiter {
            self.waiter = nil
            waiter.continuation.resume()
        } else {
            rung = true
        }
    }

    func wait(timeout: Duration) async {
        if rung { rung = false; return }
        nextId += 1
        let id = nextId
        await withCheckedContinuation { continuation in
            waiter = (id, continuation)
            Task {
                try? await Task.sleep(for: timeout); self.expire(id)
            }
        }
    }

    private func expire(_ id: Int) {
        guard let waiter, waiter.id == id else { return }
        self.waiter = nil
        waiter.continuation.resume()
    }
}
