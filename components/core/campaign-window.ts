/**
 * Who owns an autoscaled group's minimum at a given moment. Between a campaign's
 * start and its end the cloud's schedule has raised the minimum at run time: the
 * schedule owns it, so a deploy must not put the configured minimum back and a
 * refresh must not call the raised one drift. Outside every window the program
 * owns it again and sets it as configured.
 */
import { scheduleInstant, type CapacitySchedule } from "../contracts";

/**
 * How long after its end a campaign still owns the minimum: the restoring action
 * may fire late (a CronJob within its hour of starting deadline, an ESS
 * scheduled task within its half hour of launch expiration), and until it has
 * run the live minimum is still the raised one.
 */
export const restoreGraceMs = 60 * 60_000;

export interface CampaignWindow {
    schedule: CapacitySchedule;
    start: Date;
    end: Date;
    /** The end plus the grace: until then the schedule owns the minimum. */
    ownedUntil: Date;
}

/** The window of each schedule, in the order given; schedules whose times do not parse are left out (validation refuses them). */
export function campaignWindows(schedules: readonly CapacitySchedule[]): CampaignWindow[] {
    return schedules.flatMap((schedule) => {
        const start = scheduleInstant(schedule.start, schedule.timeZone);
        const end = scheduleInstant(schedule.end, schedule.timeZone);
        if (!start || !end) return [];
        return [{ schedule, start, end, ownedUntil: new Date(end.getTime() + restoreGraceMs) }];
    });
}

/** The campaign whose schedule owns the minimum at `now`, if any: from its start to its end plus the grace. */
export function campaignOwningMinimum(schedules: readonly CapacitySchedule[] | undefined, now: Date): CampaignWindow | undefined {
    const at = now.getTime();
    return campaignWindows(schedules ?? []).find((w) => w.start.getTime() <= at && at < w.ownedUntil.getTime());
}

/**
 * `ignoreChanges` for a group whose minimum is `minimumPath`: the path while a
 * campaign owns the minimum, nothing otherwise (a change of the configured
 * minimum outside campaigns must reach the cloud).
 */
export function scheduledMinimumIgnored(minimumPath: string, schedules: readonly CapacitySchedule[] | undefined, now: Date): string[] {
    return campaignOwningMinimum(schedules, now) ? [minimumPath] : [];
}
