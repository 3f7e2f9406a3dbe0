import { campaignsSchema, checkCampaigns, describeRunningCampaign, runningCampaign, type Campaign } from "./campaigns";
import { ConfigError } from "./config";

const stackFile = "stacks/Pulumi.backend-prod.yaml";
const blackFriday: Campaign = { name: "black-friday-2026", start: "2026-11-27T00:00", end: "2026-11-30T23:59", timeZone: "Europe/Amsterdam", minCapacity: 8 };
const check =
    (campaigns: Campaign[], maxCapacity = 12) =>
    () =>
        checkCampaigns(campaigns, { stackFile, maxCapacity, maxCapacityKey: "multicloud:servers.maxSize" });

test("no campaigns by default, and every field is described", () => {
    expect(campaignsSchema.parse(undefined)).toEqual([]);
    const fields = campaignsSchema.unwrap().element.shape;
    for (const [field, schema] of Object.entries(fields)) expect([field, schema.description]).toEqual([field, expect.any(String)]);
});

test("the schema rejects a date-time with an offset", () => {
    expect(campaignsSchema.safeParse([{ ...blackFriday, start: "2026-11-27T00:00+01:00" }]).success).toBe(false);
});

test("a valid campaign passes and becomes a schedule", () => {
    expect(check([blackFriday])()).toEqual([blackFriday]);
});

test("an end before its start names the key, the value and the start", () => {
    expect(check([blackFriday, { ...blackFriday, name: "cyber-monday", start: "2026-12-07T00:00", end: "2026-12-06T00:00" }])).toThrow(
        'Invalid configuration in stacks/Pulumi.backend-prod.yaml:\n  multicloud:campaigns[1].end = "2026-12-06T00:00": must be after multicloud:campaigns[1].start (2026-12-07T00:00)',
    );
});

test("an end equal to its start is refused", () => {
    expect(check([{ ...blackFriday, end: blackFriday.start }])).toThrow('multicloud:campaigns[0].end = "2026-11-27T00:00": must be after');
});

test("a date that does not exist is refused", () => {
    expect(check([{ ...blackFriday, end: "2026-11-31T23:59" }])).toThrow(
        'multicloud:campaigns[0].end = "2026-11-31T23:59": must be a real local date-time YYYY-MM-DDThh:mm without offset, e.g. 2026-11-30T23:59',
    );
});

test("an unknown time zone is refused with examples of valid ones", () => {
    expect(check([{ ...blackFriday, timeZone: "Europe/Amsterdan" }])).toThrow(
        'multicloud:campaigns[0].timeZone = "Europe/Amsterdan": not an IANA time zone this runtime knows; valid values look like Europe/Amsterdam',
    );
});

test("campaigns overlap as instants: 01:00 in Amsterdam is still the night before in New York", () => {
    const us = { ...blackFriday, name: "cyber-monday-us", start: "2026-11-30T18:00", end: "2026-12-01T23:59", timeZone: "America/New_York" };
    // 18:00 New York on Nov 30 is 00:00 Amsterdam on Dec 1, after Black Friday ends at 23:59: no overlap.
    expect(check([blackFriday, us])()).toHaveLength(2);
    const early = { ...us, start: "2026-11-30T17:00" };
    expect(check([blackFriday, early])).toThrow(
        'multicloud:campaigns[1].start = "2026-11-30T17:00": overlaps multicloud:campaigns[0] (black-friday-2026, 2026-11-27T00:00 to 2026-11-30T23:59 Europe/Amsterdam); ' +
            "start it at or after 2026-11-30T22:59:00.000Z (the end of black-friday-2026) or merge the two campaigns",
    );
});

test("a minimum above the group's maximum names the maximum's key", () => {
    expect(check([{ ...blackFriday, minCapacity: 20 }])).toThrow(
        "multicloud:campaigns[0].minCapacity = 20: must be at most the group's maximum (multicloud:servers.maxSize = 12); lower it or raise the maximum",
    );
});

test("errors are ConfigErrors", () => {
    expect(check([{ ...blackFriday, minCapacity: 20 }])).toThrow(ConfigError);
});

describe("a running campaign", () => {
    const cyberMonday: Campaign = { ...blackFriday, name: "cyber-monday-2026", start: "2026-12-07T00:00", end: "2026-12-07T23:59" };

    test("is the one whose window holds the moment, until an hour past its end", () => {
        expect(runningCampaign([blackFriday, cyberMonday], new Date("2026-11-28T12:00:00Z"))?.campaign.name).toBe("black-friday-2026");
        expect(runningCampaign([blackFriday, cyberMonday], new Date("2026-11-30T23:30:00Z"))?.ownedUntil.toISOString()).toBe("2026-11-30T23:59:00.000Z");
        expect(runningCampaign([blackFriday, cyberMonday], new Date("2026-12-03T12:00:00Z"))).toBeUndefined();
    });

    test("is described by name, end and minimum, as not drift", () => {
        const running = runningCampaign([blackFriday], new Date("2026-11-28T12:00:00Z"))!;
        expect(describeRunningCampaign(running)).toBe(
            "campaign `black-friday-2026` is running (to 2026-11-30T23:59 Europe/Amsterdam, minimum 8): its raised minimum belongs to its schedule, not drift",
        );
    });
});
