import Core
import Foundation
import PaymentsStore
import Synchronization

/// The inbox on its way through `PaymentsService`'s pipeline, batch after batch: jobs started in
/// order, `preparationWidth` at a time, across groups and batches; each group handed to its
/// transaction once all its preparations are in; transactions committed in the groups' order. The
/// next batch is read and planned (on `planQueue`) while the last group of the one before renders,
/// so the cores do not wait for the inbox between batches. Ends when a batch comes back empty.
final class InboxPipeline {
    private let service: PaymentsService
    /// Every group so far; one handed in keeps only its ids.
    private var groups: [PipelineGroup] = []
    private var cursor = (group: 0, job: 0)
    /// One per group handed in, in order.
    private var commits: [Task<Int, Never>] = []
    /// How many of `commits` have finished; they finish in order.
    private let committed = CommitTally()
    private var nextInvoice: Int64 = 0
    private var refill: Task<PlannedBatch, Never>?
    private var exhausted = false

    init(service: PaymentsService) { self.service = service }

    /// Runs until the inbox has nothing more for this worker; how many events were done with.
    func run() async -> Int {
        append(await startRefill().value)
        await withTaskGroup(of: PreparationOutcome.self) { tasks in
            var running = 0
            while true {
                while running < service.preparationWidth, let next = await nextJob() {
                    start(next, in: &tasks)
                    running += 1
                }
                guard let finished = await tasks.next() else { break }
                running -= 1
                groups[finished.group].outcomes.append(finished)
                handInPreparedGroups()
            }
        }
        var done = 0
        for commit in commits { done += await commit.value }
        return done
    }

    /// The next job to start, once the group `groupsAhead` before its own has committed (if it has
    /// been handed in: a group still rendering is no reason to wait). The next batch is asked for
    /// when the last group of those planned starts.
    private func nextJob() async -> (group: Int, job: Int)? {
        while true {
            while cursor.group < groups.count, cursor.job == groups[cursor.group].size { cursor = (cursor.group + 1, 0) }
            if cursor.group < groups.count {
                if cursor.group == groups.count - 1, refill == nil, !exhausted { startRefill() }
                let behind = cursor.group - PaymentsService.groupsAhead - 1
                if behind >= 0, behind < commits.count { _ = await commits[behind].value }
                defer { cursor.job += 1 }
                return cursor
            }
            guard let next = refill ?? (exhausted ? nil : startRefill()) else { return nil }
            append(await next.value)
            if exhausted { return nil }
        }
    }

    /// Reads and plans the next batch, less the events of groups not committed yet.
    @discardableResult
    private func startRefill() -> Task<PlannedBatch, Never> {
        let excluded = Set(groups[min(committed.count, groups.count)...].flatMap(\.ids))
        let (service, floor) = (service, nextInvoice)
        let task = Task { await service.planQueue.run { service.nextBatch(excluding: excluded, invoicesFrom: floor) } }
        refill = task
        return task
    }

    private func append(_ batch: PlannedBatch) {
        refill = nil
        guard !batch.groups.isEmpty, !Task.isCancelled else {
            exhausted = true
            return
        }
        groups += batch.groups
        nextInvoice = max(nextInvoice, batch.nextInvoice)
        handInPreparedGroups()
    }

    private func start(_ next: (group: Int, job: Int), in tasks: inout TaskGroup<PreparationOutcome>) {
        let (service, job) = (service, groups[next.group].jobs[next.job])
        tasks.addTask {
            do { return PreparationOutcome(group: next.group, index: next.job, prepared: try await service.prepare(job), failure: nil) } catch {
                return PreparationOutcome(group: next.group, index: next.job, prepared: nil, failure: String(describing: error))
            }
        }
    }

    /// Every group whose preparations are all in goes to its transaction, in order.
    private func handInPreparedGroups() {
        while commits.count < groups.count, groups[commits.count].isPrepared {
            let index = commits.count
            let prepared = service.ready(groups[index])
            (groups[index].jobs, groups[index].outcomes) = ([], [])
            let (service, previous, committed) = (service, commits.last, committed)
            commits.append(
                Task {
                    let done = await service.commitInOrder(prepared, after: previous)
                    committed.add()
                    return done
                })
        }
    }
}

/// A count that commit tasks raise as they finish.
final class CommitTally: Sendable {
    private let value = Atomic<Int>(0)
    var count: Int { value.load(ordering: .acquiring) }
    func add() { value.add(1, ordering: .releasing) }
}
