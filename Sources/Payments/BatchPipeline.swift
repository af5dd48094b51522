import Core
import PaymentsStore

/// One batch of inbox events on its way through `PaymentsService`'s pipeline: its jobs started in
/// order, `preparationWidth` at a time, across the batch's groups; each group handed to its
/// transaction once all its preparations are in, and the transactions committed in the groups' order.
final class BatchPipeline {
    private let service: PaymentsService
    private let groups: [ArraySlice<PendingWebhookEvent>]
    private let jobs: [[PreparationJob]]
    private var outcomes: [[PreparationOutcome]]
    private var cursor = (group: 0, job: 0)
    private var commits: [Task<Int, Never>] = []

    init(service: PaymentsService, groups: [ArraySlice<PendingWebhookEvent>], jobs: [[PreparationJob]]) {
        self.service = service
        self.groups = groups
        self.jobs = jobs
        outcomes = Array(repeating: [], count: groups.count)
    }

    /// Runs the batch to its last commit; how many of its events were done with.
    func run() async -> Int {
        handInFinishedGroups()
        await withTaskGroup(of: PreparationOutcome.self) { tasks in
            var running = 0
            while true {
                while running < service.preparationWidth, let next = await nextJob() {
                    start(next, in: &tasks)
                    running += 1
                }
                guard let finished = await tasks.next() else { break }
                running -= 1
                outcomes[finished.group].append(finished)
                handInFinishedGroups()
            }
        }
        var done = 0
        for commit in commits { done += await commit.value }
        return done
    }

    /// The next job to start, once the group `groupsAhead` before its own has committed (if it has
    /// been handed in: a group still rendering is no reason to wait).
    private func nextJob() async -> (group: Int, job: Int)? {
        while cursor.group < groups.count, cursor.job == jobs[cursor.group].count { cursor = (cursor.group + 1, 0) }
        guard cursor.group < groups.count else { return nil }
        let behind = cursor.group - PaymentsService.groupsAhead - 1
        if behind >= 0, behind < commits.count { _ = await commits[behind].value }
        defer { cursor.job += 1 }
        return cursor
    }

    private func start(_ next: (group: Int, job: Int), in tasks: inout TaskGroup<PreparationOutcome>) {
        let (service, job) = (service, jobs[next.group][next.job])
        tasks.addTask {
            do { return PreparationOutcome(group: next.group, index: next.job, prepared: try await service.prepare(job), failure: nil) } catch {
                return PreparationOutcome(group: next.group, index: next.job, prepared: nil, failure: String(describing: error))
            }
        }
    }

    /// Every group whose preparations are all in goes to its transaction, in order.
    private func handInFinishedGroups() {
        while commits.count < groups.count, outcomes[commits.count].count == jobs[commits.count].count {
            let index = commits.count
            let prepared = service.ready(groups[index], jobs: jobs[index], outcomes: outcomes[index])
            outcomes[index] = []
            commits.append(service.commitInOrder(prepared, after: commits.last))
        }
    }
}
