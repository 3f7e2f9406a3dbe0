/**
 * Campaign scale-ups (flash sales, holidays): one declaration in the stack
 * configuration, `multicloud:campaigns`, that each cloud's kit turns into its
 * native schedule. The schema states the shape; `checkCampaigns` the rules that
 * need time zones and the group's maximum.
 */
import { z } from "zod";
import { isTimeZone, localDateTimePattern, scheduleInstant, scheduleNamePattern, type CapacitySchedule } from "../components/contracts";
import { campaignOwningMinimum } from "../components/core/campaign-window";
import { ConfigError } from "./config";

const localDateTime = z.string().regex(localDateTimePattern, "a local date-time without offset, YYYY-MM-DDThh:mm (e.g. 2026-11-27T06:00)");

export const campaignSchema = z
    .object({
        name: z
            .string()
            .regex(scheduleNamePattern, "lowercase letters, digits and dashes, starting with a letter, at most 40 characters")
            .describe("The campaign's name, part of the schedules' resource names (e.g. black-friday-2026)."),
        start: localDateTime.describe("When the raised minimum starts, local time in timeZone (YYYY-MM-DDThh:mm)."),
        end: localDateTime.describe("When the group returns to its own minimum, local time in timeZone (YYYY-MM-DDThh:mm)."),
        timeZone: z.string().min(1).describe("IANA time zone of start and end, e.g. Europe/Amsterdam."),
        minCapacity: z.number().int().min(1).describe("Fewest instances (tasks, pods) the group keeps during the campaign; at most the group's maximum."),
    })
    .strict();

/** The value of `multicloud:campaigns`. */
export const campaignsSchema = z
    .array(campaignSchema)
    .default([])
    .describe("Campaign scale-ups: between start and end the workload's group keeps at least minCapacity; none by default.");

export type Campaign = z.output<typeof campaignSchema>;

export interface CheckCampaignsOptions {
    /** The stack file, for the message. */
    stackFile: string;
    /** The most the group may run: a campaign cannot ask for more. */
    maxCapacity: number;
    /** The configuration key of the list; `multicloud:campaigns` unless told. */
    key?: string;
    /** The key that sets `maxCapacity`, named in the message (e.g. `multicloud:workers.maxSize`). */
    maxCapacityKey?: string;
}

/**
 * Throws a ConfigError naming the stack file, the key, the bad value and what
 * would be valid, for: a malformed date-time, an unknown time zone, an end not
 * after its start, two campaigns that overlap in time (compared as instants, so
 * campaigns in different zones compare correctly), a repeated name, and a
 * minimum above the group's maximum.
 */
export function checkCampaigns(campaigns: readonly Campaign[], options: CheckCampaignsOptions): CapacitySchedule[] {
    const key = options.key ?? "multicloud:campaigns";
    const fail = (at: string, value: unknown, fix: string): never => {
        throw new ConfigError(`Invalid configuration in ${options.stackFile}:\n  ${key}${at} = ${JSON.stringify(value)}: ${fix}`);
    };
    const windows = campaigns.map((c, i) => {
        if (!isTimeZone(c.timeZone))
            fail(
                `[${i}].timeZone`,
                c.timeZone,
                "not an IANA time zone this runtime knows; valid values look like Europe/Amsterdam, America/New_York, Asia/Shanghai, UTC",
            );
        const start = scheduleInstant(c.start, c.timeZone);
        if (!start) fail(`[${i}].start`, c.start, "must be a real local date-time YYYY-MM-DDThh:mm without offset, e.g. 2026-11-27T06:00");
        const end = scheduleInstant(c.end, c.timeZone);
        if (!end) fail(`[${i}].end`, c.end, "must be a real local date-time YYYY-MM-DDThh:mm without offset, e.g. 2026-11-30T23:59");
        if (end!.getTime() <= start!.getTime()) fail(`[${i}].end`, c.end, `must be after ${key}[${i}].start (${c.start})`);
        // Cloud schedules (GCP's shortest) need a window of at least five minutes.
        if (end!.getTime() - start!.getTime() < 5 * 60_000) fail(`[${i}].end`, c.end, `must be at least 5 minutes after ${key}[${i}].start (${c.start})`);
        if (c.minCapacity > options.maxCapacity) {
            const of = options.maxCapacityKey ? `${options.maxCapacityKey} = ${options.maxCapacity}` : `${options.maxCapacity}`;
            fail(`[${i}].minCapacity`, c.minCapacity, `must be at most the group's maximum (${of}); lower it or raise the maximum`);
        }
        const first = campaigns.findIndex((other) => other.name === c.name);
        if (first !== i) fail(`[${i}].name`, c.name, `is already used by ${key}[${first}]; campaign names must be unique`);
        return { start: start!.getTime(), end: end!.getTime() };
    });
    windows.forEach((a, i) =>
        windows.forEach((b, j) => {
            if (j > i && a.start < b.end && b.start < a.end) {
                const [earlier, later] = a.start <= b.start ? [i, j] : [j, i];
                const other = campaigns[earlier];
                fail(
                    `[${later}].start`,
                    campaigns[later].start,
                    `overlaps ${key}[${earlier}] (${other.name}, ${other.start} to ${other.end} ${other.timeZone}); ` +
                        `start it at or after ${new Date(windows[earlier].end).toISOString()} (the end of ${other.name}) or merge the two campaigns`,
                );
            }
        }),
    );
    return campaigns.map((c) => ({ ...c }));
}

export interface RunningCampaign {
    campaign: Campaign;
    /** Until when its schedule owns the raised minimum: the end, plus the time a late restoring action may take. */
    ownedUntil: Date;
}

/**
 * The campaign running at `now`, whose schedule owns the minimum it raised: the
 * kits leave that minimum out of Pulumi's changes for as long (see
 * components/core/campaign-window.ts), and the drift report names the campaign
 * instead of calling the raised minimum drift.
 */
export function runningCampaign(campaigns: readonly Campaign[], now: Date): RunningCampaign | undefined {
    const window = campaignOwningMinimum(campaigns, now);
    return window && { campaign: window.schedule, ownedUntil: window.ownedUntil };
}

/** One line for a report: which campaign runs, until when, and what that means for drift. */
export function describeRunningCampaign({ campaign }: RunningCampaign): string {
    return `campaign \`${campaign.name}\` is running (to ${campaign.end} ${campaign.timeZone}, minimum ${campaign.minCapacity}): its raised minimum belongs to its schedule, not drift`;
}
