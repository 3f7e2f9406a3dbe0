import { campaignOwningMinimum, campaignWindows, restoreGraceMs, scheduledMinimumIgnored } from "./campaign-window";

const blackFriday = { name: "black-friday", start: "2026-11-27T00:00", end: "2026-11-30T23:59", timeZone: "Europe/Amsterdam", minCapacity: 8 };
const at = (iso: string) => new Date(iso);

test("a window runs from the local start to the local end, read in the campaign's time zone", () => {
    const [w] = campaignWindows([blackFriday]);
    expect(w.start.toISOString()).toBe("2026-11-26T23:00:00.000Z");
    expect(w.end.toISOString()).toBe("2026-11-30T22:59:00.000Z");
    expect(w.ownedUntil.getTime() - w.end.getTime()).toBe(restoreGraceMs);
});

test.each([
    ["2026-11-26T22:59:59Z", false, "a second before the start"],
    ["2026-11-26T23:00:00Z", true, "at the start"],
    ["2026-11-29T12:00:00Z", true, "inside"],
    ["2026-11-30T23:30:00Z", true, "after the end, while the restoring action may still be late"],
    ["2026-11-30T23:59:00Z", false, "once the grace has passed"],
])("at %s the schedule owns the minimum: %s (%s)", (now, owned) => {
    expect(campaignOwningMinimum([blackFriday], at(now))?.schedule.name).toBe(owned ? "black-friday" : undefined);
    expect(scheduledMinimumIgnored("minSize", [blackFriday], at(now))).toEqual(owned ? ["minSize"] : []);
});

test("no schedules, no owner", () => {
    expect(campaignOwningMinimum(undefined, at("2026-11-29T12:00:00Z"))).toBeUndefined();
    expect(scheduledMinimumIgnored("spec.minReplicas", [], at("2026-11-29T12:00:00Z"))).toEqual([]);
});

test("of two campaigns, the one whose window holds the moment", () => {
    const cyberMonday = { ...blackFriday, name: "cyber-monday", start: "2026-12-07T00:00", end: "2026-12-07T23:59" };
    expect(campaignOwningMinimum([blackFriday, cyberMonday], at("2026-12-07T10:00:00Z"))?.schedule.name).toBe("cyber-monday");
});
