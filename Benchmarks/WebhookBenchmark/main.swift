import Foundation

// webhook-bench [--events N] [--concurrency C] [--book]
// Posts N signed payment_intent.succeeded events from 127.0.0.1 to `payrecon serve`'s webhook
// endpoint (in-process, durable SQLite inbox) with C in flight; prints sustained events/s and
// acknowledgement latency percentiles. --book makes every event a real paid quote, so orders,
// invoices and outbox items are written in the background while the acknowledgements are timed.
await WebhookBenchmark.main(Array(CommandLine.arguments.dropFirst()))
