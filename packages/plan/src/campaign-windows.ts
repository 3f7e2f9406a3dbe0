/**
 * Campaign windows read back from the schedules a plan declares: the time a
 * group's raised minimum holds, the group it raises and to what. Each cloud
 * writes a campaign its own way (GCP autoscaler scaling schedules, AWS
 * autoscaling schedules and Application Auto Scaling scheduled actions, ESS
 * scheduled tasks, Kubernetes CronJobs that patch an HPA); the estimate prices
 * the extra capacity for the window's hours.
 */
import type { PlanResource } from "./model";

export interface CampaignWindow {
    /** The campaign's name as the schedules carry it (`black-friday-2026`). */
    campaign: string;
    /** The group whose minimum is raised: a VM group, an ECS service or a Kubernetes workload. */
    group: PlanResource;
    start: Date;
    end: Date;
    /** The raised minimum. */
    capacity: number;
    /** The minimum the window ends with, where a schedule says it. */
    restoredTo?: number;
}

const knownNumber = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined);
const knownString = (v: unknown) => (typeof v === "string" && v !== "" && !/^\[.*\]$/.test(v) ? v : undefined);
/** A name as the resource spells it, or the fallback where it spells none. */
const nameOr = (v: unknown, fallback: string) => (typeof v === "string" ? v : fallback);

/** The offset of a time zone from UTC at an instant, in minutes. */
function offsetMinutes(instant: number, timeZone: string): number {
    const parts = Object.fromEntries(
        new Intl.DateTimeFormat("en-US", {
            timeZone,
            hourCycle: "h23",
            year: "numeric",
            month: "2-digit",
            day: "2-digit",
            hour: "2-digit",
            minute: "2-digit",
            second: "2-digit",
        })
            .formatToParts(new Date(instant))
            .map((p) => [p.type, p.value]),
    );
    const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
    return (asUtc - instant) / 60_000;
}

/** The instant of a wall-clock time in a time zone (UTC when none is given). */
export function zonedInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone = "UTC"): Date {
    const wall = Date.UTC(year, month - 1, day, hour, minute);
    let instant = wall - offsetMinutes(wall, timeZone) * 60_000;
    // A second pass settles instants near a change of offset (summer time).
    instant = wall - offsetMinutes(instant, timeZone) * 60_000;
    return new Date(instant);
}

/** `2026-11-27T00:00[:00][Z]` as wall-clock parts, or undefined. */
function wallClock(text: string): [number, number, number, number, number] | undefined {
    const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::\d{2})?/.exec(text);
    return m ? [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])] : undefined;
}

function instantOf(text: string | undefined, timeZone?: string): Date | undefined {
    if (!text) return undefined;
    const parts = wallClock(text);
    if (!parts) return undefined;
    return zonedInstant(...parts, text.endsWith("Z") ? "UTC" : timeZone);
}

/** A schedule's campaign: its name without the `-start`/`-end` edge and without its component's name in front. */
function campaignName(name: string, schedule?: PlanResource): string {
    const component = schedule?.parent?.split("::").pop();
    const own = component && name.startsWith(`${component}-`) ? name.slice(component.length + 1) : name;
    return own.replace(/-(start|end)$/, "");
}

/** Pairs a group's dated minimums into windows: a minimum above the group's own opens one, the next schedule closes it. */
function pairUp(
    points: { group: PlanResource; at: Date; capacity: number; name: string; schedule?: PlanResource }[],
    ownMinimum: (group: PlanResource) => number | undefined,
): CampaignWindow[] {
    const windows: CampaignWindow[] = [];
    const byGroup = new Map<string, typeof points>();
    for (const p of points) byGroup.set(p.group.urn, [...(byGroup.get(p.group.urn) ?? []), p]);
    for (const list of byGroup.values()) {
        list.sort((a, b) => a.at.getTime() - b.at.getTime());
        const own = ownMinimum(list[0].group);
        for (let i = 0; i < list.length - 1; i++) {
            const [open, close] = [list[i], list[i + 1]];
            if (own !== undefined && open.capacity <= own) continue;
            if (close.capacity >= open.capacity) continue;
            windows.push({
                campaign: campaignName(open.name, open.schedule),
                group: open.group,
                start: open.at,
                end: close.at,
                capacity: open.capacity,
                restoredTo: close.capacity,
            });
            i++;
        }
    }
    return windows;
}

/** The next instant a `m h D M *` cron line fires in its zone, from the given year on. */
function cronInstant(schedule: string, timeZone: string | undefined, year: number): Date | undefined {
    const m = /^(\d+) (\d+) (\d+) (\d+) \*(?: (\d{4}))?$/.exec(schedule.trim());
    if (!m) return undefined;
    return zonedInstant(m[5] ? Number(m[5]) : year, Number(m[4]), Number(m[3]), Number(m[2]), Number(m[1]), timeZone);
}

/** The raised `minReplicas` a campaign CronJob patches into its HPA. */
function patchedMinReplicas(job: PlanResource): number | undefined {
    const spec = job.inputs.spec as { jobTemplate?: { spec?: { template?: { spec?: { containers?: { args?: unknown[] }[] } } } } } | undefined;
    const containers = spec?.jobTemplate?.spec?.template?.spec?.containers ?? [];
    for (const c of containers) {
        for (const arg of c.args ?? []) {
            const patch = typeof arg === "string" ? /^--patch=(.*)$/.exec(arg)?.[1] : undefined;
            if (!patch) continue;
            try {
                return knownNumber(JSON.parse(patch)?.spec?.minReplicas);
            } catch {
                return undefined;
            }
        }
    }
    return undefined;
}

export interface WindowOptions {
    /** The present: a yearly schedule (Kubernetes cron has no year) is read as its next window from now. */
    now?: Date;
}

/** Every campaign window the plan's schedules declare. */
export function campaignWindows(resources: readonly PlanResource[], options: WindowOptions = {}): CampaignWindow[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const dependency = (r: PlanResource, input: string, type: RegExp) =>
        (r.propertyDependencies?.[input] ?? []).map((u) => byUrn.get(u)).find((d): d is PlanResource => Boolean(d && type.test(d.type)));
    const windows: CampaignWindow[] = [];

    // GCP: each scaling schedule of an autoscaler is a whole window (a start, a duration, a minimum).
    for (const autoscaler of resources.filter((r) => /^gcp:compute\/(regionA|a)utoscaler:/.test(r.type))) {
        const group = dependency(autoscaler, "target", /InstanceGroupManager$/);
        const policy = autoscaler.inputs.autoscalingPolicy as { scalingSchedules?: Record<string, unknown>[]; minReplicas?: unknown } | undefined;
        if (!group) continue;
        for (const s of policy?.scalingSchedules ?? []) {
            const start = cronInstant(knownString(s.schedule) ?? "", knownString(s.timeZone), (options.now ?? new Date()).getUTCFullYear());
            const seconds = knownNumber(s.durationSec);
            const capacity = knownNumber(s.minRequiredReplicas);
            if (!start || seconds === undefined || capacity === undefined || s.disabled === true) continue;
            windows.push({
                campaign: nameOr(s.name, "campaign"),
                group,
                start,
                end: new Date(start.getTime() + seconds * 1000),
                capacity,
                restoredTo: knownNumber(policy?.minReplicas),
            });
        }
    }

    // AWS autoscaling groups: a schedule raises the minimum, the next restores it.
    windows.push(
        ...pairUp(
            resources.flatMap((r) => {
                if (r.type !== "aws:autoscaling/schedule:Schedule") return [];
                const group = dependency(r, "autoscalingGroupName", /^aws:autoscaling\/group:Group$/);
                const at = instantOf(knownString(r.inputs.startTime), knownString(r.inputs.timeZone));
                const capacity = knownNumber(r.inputs.minSize);
                return group && at && capacity !== undefined ? [{ group, at, capacity, name: nameOr(r.inputs.scheduledActionName, r.name), schedule: r }] : [];
            }),
            (g) => knownNumber(g.inputs.minSize),
        ),
    );

    // ESS scheduled tasks, the same pairs on an Alibaba Cloud scaling group.
    windows.push(
        ...pairUp(
            resources.flatMap((r) => {
                if (r.type !== "alicloud:ess/scheduledTask:ScheduledTask" || r.inputs.taskEnabled === false) return [];
                const group = dependency(r, "scalingGroupId", /^alicloud:ess\/scalingGroup:ScalingGroup$/);
                const at = instantOf(knownString(r.inputs.launchTime));
                const capacity = knownNumber(r.inputs.minValue);
                return group && at && capacity !== undefined ? [{ group, at, capacity, name: nameOr(r.inputs.scheduledTaskName, r.name), schedule: r }] : [];
            }),
            (g) => knownNumber(g.inputs.minSize),
        ),
    );

    // Application Auto Scaling (ECS services): `at(...)` in the action's time zone.
    windows.push(
        ...pairUp(
            resources.flatMap((r) => {
                if (r.type !== "aws:appautoscaling/scheduledAction:ScheduledAction") return [];
                const target = dependency(r, "resourceId", /^aws:appautoscaling\/target:Target$/);
                const service = target && dependency(target, "resourceId", /^aws:ecs\/service:Service$/);
                const at = instantOf(/^at\((.*)\)$/.exec(knownString(r.inputs.schedule) ?? "")?.[1], knownString(r.inputs.timezone));
                const capacity = knownNumber((r.inputs.scalableTargetAction as { minCapacity?: unknown } | undefined)?.minCapacity);
                return service && at && capacity !== undefined ? [{ group: service, at, capacity, name: nameOr(r.inputs.name, r.name), schedule: r }] : [];
            }),
            (service) => knownNumber(service.inputs.desiredCount),
        ),
    );

    // Kubernetes: CronJobs patch the HPA's minimum every year on the same day; a suspended pair belongs to a campaign that is over.
    const yearly = resources.flatMap((r) => {
        if (r.type !== "kubernetes:batch/v1:CronJob") return [];
        const spec = r.inputs.spec as { schedule?: unknown; timeZone?: unknown; suspend?: unknown } | undefined;
        if (spec?.suspend === true) return [];
        const hpa = dependency(r, "spec", /HorizontalPodAutoscaler$/);
        const target = hpa && (hpa.inputs.spec as { scaleTargetRef?: { name?: unknown } } | undefined)?.scaleTargetRef;
        const workload =
            hpa &&
            (dependency(hpa, "spec", /^kubernetes:apps\/v1:(Deployment|StatefulSet)$/) ??
                resources.find((w) => /:apps\/v1:/.test(w.type) && (w.inputs.metadata as { name?: unknown } | undefined)?.name === target?.name));
        const capacity = patchedMinReplicas(r);
        const name = knownString((r.inputs.metadata as { name?: unknown } | undefined)?.name) ?? r.name;
        const schedule = knownString(spec?.schedule) ?? "";
        const timeZone = knownString(spec?.timeZone);
        return workload && capacity !== undefined && cronInstant(schedule, timeZone, 2000) ? [{ workload, capacity, name, schedule, timeZone, job: r }] : [];
    });
    const now = options.now ?? new Date();
    const year = now.getUTCFullYear();
    const points = yearly.map((p) => ({
        group: p.workload,
        capacity: p.capacity,
        name: p.name,
        schedule: p.job,
        at: cronInstant(p.schedule, p.timeZone, year)!,
        in: (y: number) => cronInstant(p.schedule, p.timeZone, y)!,
    }));
    // An end that comes before its start in the calendar year closes the window in the next year; a window already over comes round next year.
    for (const end of points.filter((p) => p.name.endsWith("-end"))) {
        const start = points.find((p) => p.group === end.group && p.name === end.name.replace(/-end$/, "-start"));
        if (!start) continue;
        const endYear = end.at <= start.at ? year + 1 : year;
        const shift = end.in(endYear) <= now ? 1 : 0;
        start.at = start.in(year + shift);
        end.at = end.in(endYear + shift);
    }
    windows.push(
        ...pairUp(points, (workload) => {
            const hpa = resources.find((h) => h.type.endsWith("HorizontalPodAutoscaler") && (h.propertyDependencies?.spec ?? []).includes(workload.urn));
            return knownNumber((hpa?.inputs.spec as { minReplicas?: unknown } | undefined)?.minReplicas);
        }),
    );
    return windows;
}
