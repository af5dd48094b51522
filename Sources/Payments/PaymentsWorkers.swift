import Foundation
import Logging
import ServiceLifecycle

/// The background half of `payrecon serve`: processes the webhook inbox (at once when an event
/// arrives, and every few seconds for retries and deferred events) and delivers the outbox.
public struct PaymentsWorkers: Service {
    let service: PaymentsService

    public init(service: PaymentsService) { self.service = service }

    public func run() async throws {
        let poll = Duration.milliseconds(service.configuration.outbox.pollMilliseconds)
        // On shutdown the loops are cancelled; the inbox and outbox keep whatever is not done yet.
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !Task.isCancelled {
                        await service.processPendingEvents()
                        await service.doorbell.wait(timeout: .seconds(2))
                    }
                }
                group.addTask {
                    while !Task.isCancelled {
                        // A store may hand out fewer items than asked (PostgreSQL's lease a few at a time):
                        // after a batch that delivered something, look again at once.
                        if await service.deliverDueOutbox() == 0 { try? await Task.sleep(for: poll) }
                    }
                }
                await group.waitForAll()
            }
        }
    }
}
