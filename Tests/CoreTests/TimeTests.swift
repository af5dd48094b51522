import Core
import Testing

@Suite struct TimeTests {
    @Test func parsesTheForms() throws {
        let z = try #require(ISO8601Time.parse("2026-09-30T23:59:59Z"))
        #expect(z.seconds == 1_790_812_799)
        #expect(ISO8601Time.parse("2026-10-01T01:59:59+02:00") == z)
        #expect(ISO8601Time.parse("2026-09-30T18:59:59-0500") == z)
        #expect(ISO8601Time.parse("2026-09-30 23:59:59Z") == z)
        #expect(ISO8601Time.parse("2026-09-30T23:59:59.25Z")?.microseconds == z.microseconds + 250_000)
        #expect(ISO8601Time.parse("2026-09-30T23:59:59.1234567Z")?.microseconds == z.microseconds + 123_456)
    }

    @Test(arguments: [
        "2026-09-30T23:59:59", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-09-30T24:00:00Z",
        "30/09/2026 23:59", "2026-09-30", "2026-09-30T23:59:59.Z", "2026-09-30T23:59:59Zjunk", "",
    ])
    func rejectsAmbiguousOrInvalidTimes(text: String) {
        #expect(ISO8601Time.parse(text) == nil)
    }

    @Test func leapDaysAndCalendarRoundTrip() throws {
        #expect(ISO8601Time.parse("2024-02-29T12:00:00Z") != nil)
        #expect(ISO8601Time.parse("2026-02-29T12:00:00Z") == nil)
        for day in stride(from: Int64(-800_000), to: 800_000, by: 997) {
            let (y, m, d) = ISO8601Time.civil(fromDays: day)
            #expect(ISO8601Time.days(year: y, month: m, day: d) == day)
        }
        #expect(ISO8601Time.formatDay(0) == "1970-01-01")
        #expect(Timestamp(seconds: 1_790_812_799).iso8601 == "2026-09-30T23:59:59Z")
        #expect(Timestamp(microseconds: 1_500_000).iso8601 == "1970-01-01T00:00:01.5Z")
        #expect(Timestamp(microseconds: 1_000_010).iso8601 == "1970-01-01T00:00:01.00001Z")
        #expect(Timestamp(microseconds: -1).iso8601 == "1969-12-31T23:59:59.999999Z")
        #expect(Timestamp(seconds: 253_402_300_800).iso8601 == "10000-01-01T00:00:00Z")
        let berlinTime = try ReportingPeriod(from: "2026-09-01", to: "2026-09-30", timeZone: "Europe/Berlin")
        #expect(berlinTime.localTime(of: Timestamp(seconds: 1_790_812_799)) == "2026-10-01 01:59:59")
        #expect(Timestamp(microseconds: -1).seconds == -1)
    }

    @Test func periodsCoverLocalDaysInUTC() throws {
        let berlin = try ReportingPeriod(from: "2026-09-01", to: "2026-09-30", timeZone: "Europe/Berlin")
        #expect(berlin.start.iso8601 == "2026-08-31T22:00:00Z")
        #expect(berlin.end.iso8601 == "2026-09-30T22:00:00Z")
        // The day summer time ends in Berlin has 25 hours.
        let fallBack = try ReportingPeriod(from: "2026-10-25", to: "2026-10-25", timeZone: "Europe/Berlin")
        #expect(fallBack.end.seconds - fallBack.start.seconds == 25 * 3_600)
        #expect(berlin.contains(try #require(ISO8601Time.parse("2026-09-30T21:59:59Z"))))
        #expect(!berlin.contains(try #require(ISO8601Time.parse("2026-09-30T22:00:00Z"))))
        #expect(berlin.localTime(of: berlin.start) == "2026-09-01 00:00:00")
    }

    @Test func badPeriodsAreRefused() {
        #expect(throws: PeriodError.self) { try ReportingPeriod(from: "2026-09-30", to: "2026-09-01") }
        #expect(throws: PeriodError.self) { try ReportingPeriod(from: "2026-09-01", to: "2026-09-31") }
        #expect(throws: PeriodError.self) { try ReportingPeriod(from: "2026-09-01", to: "2026-09-30", timeZone: "Mars/Olympus") }
    }
}
