import Core
import Foundation
import Logging
import Payments
import PaymentsStore
import Store
import StripeAPI
import TestSupport
import Testing

/// The inbox worked through as one pipeline across batches (500 events each): the next batch is read
/// and planned while the last group of the one before is rendering and committing.
@Suite struct InboxPipelineTests {
    static let fixture = BookingFixture(prefix: "pipe")

    /// 1,100 events in three batches, three of them paying for quotes: one in the first batch, one in
    /// the second, one in the third. Each later order's invoice was planned before the orders before
    /// it had committed, so its number had to be carried over from the batch before.
    @Test func ordersInLaterBatchesGetTheNextNumbersAndTheirOwnInvoices() async throws {
        let directory = TestScratch.directory.appendingPathComponent("pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let configuration = PaymentsConfiguration.offline(in: directory, seller: "Marketplace GmbH")
        let store = try PayreconStore(path: configuration.database, durability: .full)
        let service = try PaymentsService(
            configuration: configuration,
            secrets: PaymentsSecrets(
                apiKey: try APIKey("sk_test_pipeline"), webhookSecrets: ["whsec_pipeline"], apiToken: "pipeline-token-0123456789"),
            store: store, logger: Logger(label: "pipeline") { _ in SwiftLogNoOpLogHandler() })
        let paid = [3, 600, 1_050]
        for number in paid { try Self.fixture.registerQuotes(number..<number + 1, in: store) }
        let events = (0..<1_100).map { number in
            IncomingWebhookEvent(
                id: EventID("evt_pipe_\(number)"), type: "payment_intent.succeeded", created: 1_000 + Int64(number),
                payload: Self.fixture.event(number, created: 1_000 + Int64(number)))
        }
        #expect(try store.receiveWebhookEvents(events, at: Timestamp(seconds: 1_800_000_000)).allSatisfy { $0 })

        #expect(await service.processPendingEvents() == 1_100)

        let records = try store.webhookEvents()
        #expect(records.count == 1_100)
        #expect(records.filter { $0.status == "processed" }.map(\.eventId) == paid.map { EventID("evt_pipe_\($0)") })
        #expect(records.filter { $0.status == "ignored" }.count == 1_100 - paid.count)
        #expect(records.allSatisfy { $0.attempts == 1 }, "an event was processed more than once")
        for (index, number) in paid.enumerated() {
            let invoice = "INV-\(String(format: "%06d", index + 1))"
            let order = try #require(try store.order(OrderID("ord_Q-\(number)")))
            #expect(order.invoiceNumber == invoice)
            let documents = try store.documents(order: order.orderId)
            #expect(documents.map(\.number) == [invoice])
            let text = try PDFText.extract(path: try #require(documents.first).path)
            #expect(text.contains(invoice), "\(invoice) does not show its own number")
            #expect(text.contains("ord_Q-\(number)"), "\(invoice) is not the invoice of ord_Q-\(number)")
            #expect(text.contains("pi_pipe_\(number)"))
        }
        // Nothing else was booked.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: configuration.documentsDirectory).sorted() == [
                "INV-000001.pdf", "INV-000002.pdf", "INV-000003.pdf",
            ])
    }
}
