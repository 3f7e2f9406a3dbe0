/**
 * Verifies a rollout after `pulumi up`: `pulumi up` returns once each cloud has
 * accepted the change, not once the change has rolled out. An instance refresh,
 * an ECS deployment, a managed instance group's update, a scaling group's
 * refresh and a Kubernetes rollout go on after it, and may roll back. This
 * module reads each one with its cloud's own SDK until it settles or the time
 * is up, then probes the health URLs.
 *
 * A target that cannot be read is `unreachable` and fails the verification: a
 * verification never reports success for what it could not see.
 */
import type { RolloutTarget } from "../../../components/contracts";
import { autoScalingClient, ecsClient, readAutoScalingGroup, readEcsService, type AutoScalingApi, type EcsApi } from "./aws";
import { instanceGroupManagersClient, readInstanceGroupManager, type InstanceGroupManagersApi } from "./gcp";
import { essClient, readScalingGroup, type EssApi } from "./alicloud";
import { appsClient, readDeployment, readStatefulSet, type AppsApi } from "./kubernetes";
import { probe } from "./health";
import { messageOf } from "./errors";

export type { RolloutTarget };
export interface HealthCheck {
    name: string;
    url: string;
}
export interface Verification {
    rollouts: RolloutTarget[];
    healthChecks: HealthCheck[];
}

export type RolloutState = "succeeded" | "in-progress" | "rolled-back" | "failed" | "unreachable";
export interface CheckResult {
    target: string;
    ok: boolean;
    state: RolloutState | "healthy" | "unhealthy";
    detail: string;
}

/** One look at a rollout: "in-progress" asks to look again later; every other state is final. */
export interface Reading {
    state: RolloutState;
    detail: string;
}

/**
 * How each cloud is reached. Each factory is called once per region (or once)
 * in a verification; the defaults read credentials as each SDK's default chain
 * does, and a factory that throws (no credentials, no kubeconfig) makes its
 * targets unreachable.
 */
export interface Clients {
    autoScaling(region: string): AutoScalingApi;
    ecs(region: string): EcsApi;
    instanceGroupManagers(): InstanceGroupManagersApi;
    ess(region: string): EssApi;
    kubernetes(): Promise<AppsApi>;
}

export interface VerifyOptions {
    /** How long the whole verification may take, polling included (default 900). */
    timeoutSeconds?: number;
    /** How long to wait between two looks at a rollout still in progress (default 15). */
    pollSeconds?: number;
    clients?: Partial<Clients>;
    now?: () => number;
    sleep?: (ms: number) => Promise<void>;
}

export const defaultTimeoutSeconds = 900;
export const defaultPollSeconds = 15;
/** One SDK call may take this long at most, so a cloud that never answers cannot hold the whole verification. */
const requestTimeoutMs = 30_000;

/** What a check may use of the clock: injected in tests, so polling runs without waiting. */
export interface Clock {
    now: () => number;
    sleep: (ms: number) => Promise<void>;
    deadline: number;
    pollMs: number;
}

export function describeTarget(target: RolloutTarget): string {
    switch (target.kind) {
        case "aws-autoscaling-group":
            return `${target.kind} ${target.region}/${target.name}`;
        case "aws-ecs-service":
            return `${target.kind} ${target.region}/${target.cluster}/${target.service}`;
        case "gcp-region-instance-group-manager":
            return `${target.kind} ${target.project}/${target.region}/${target.name}`;
        case "alicloud-scaling-group":
            return `${target.kind} ${target.region}/${target.scalingGroupId}`;
        case "kubernetes-deployment":
        case "kubernetes-statefulset":
            return `${target.kind} ${target.namespace}/${target.name}`;
    }
}

export async function verify(verification: Verification, options: VerifyOptions = {}): Promise<{ ok: boolean; results: CheckResult[] }> {
    const now = options.now ?? Date.now;
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    const timeoutSeconds = positiveSeconds("timeoutSeconds", options.timeoutSeconds ?? defaultTimeoutSeconds);
    const pollSeconds = positiveSeconds("pollSeconds", options.pollSeconds ?? defaultPollSeconds);
    const clock: Clock = { now, sleep, deadline: now() + timeoutSeconds * 1000, pollMs: pollSeconds * 1000 };
    const defaults = defaultClients(Math.min(requestTimeoutMs, timeoutSeconds * 1000));
    const clients = memoized({ ...defaults.clients, ...options.clients });
    try {
        const rollouts = await Promise.all(
            verification.rollouts.map(async (target): Promise<CheckResult> => {
                const reading = await settle(() => read(target, clients, clock), clock, timeoutSeconds);
                return { target: describeTarget(target), ok: reading.state === "succeeded", ...reading };
            }),
        );
        // Probed after the rollouts settle, so a health check sees the new version rather than the old one still serving.
        const health = await Promise.all(verification.healthChecks.map((check) => probe(check, clock)));
        const results = [...rollouts, ...health];
        return { ok: results.every((r) => r.ok), results };
    } finally {
        await defaults.dispose();
    }
}

/** A deadline of NaN would never pass and a poll of 0 would never rest: both are refused, not run. */
function positiveSeconds(name: string, value: number): number {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`verify: ${name} must be a number of seconds above 0, not ${value}`);
    return value;
}

async function read(target: RolloutTarget, clients: Clients, clock: Clock): Promise<Reading> {
    switch (target.kind) {
        case "aws-autoscaling-group":
            return readAutoScalingGroup(target, clients.autoScaling(target.region));
        case "aws-ecs-service":
            return readEcsService(target, clients.ecs(target.region));
        case "gcp-region-instance-group-manager":
            return readInstanceGroupManager(target, clients.instanceGroupManagers(), Math.min(requestTimeoutMs, Math.max(1000, clock.deadline - clock.now())));
        case "alicloud-scaling-group":
            return readScalingGroup(target, clients.ess(target.region));
        case "kubernetes-deployment":
            return readDeployment(target, await clients.kubernetes());
        case "kubernetes-statefulset":
            return readStatefulSet(target, await clients.kubernetes());
    }
}

/** Looks again while the rollout is in progress and the next look still falls before the deadline. */
async function settle(look: () => Promise<Reading>, clock: Clock, timeoutSeconds: number): Promise<Reading> {
    for (;;) {
        let reading: Reading;
        try {
            reading = await look();
        } catch (error) {
            return { state: "unreachable", detail: messageOf(error) };
        }
        if (reading.state !== "in-progress") return reading;
        if (clock.now() + clock.pollMs > clock.deadline) {
            return { state: "in-progress", detail: `still in progress after ${timeoutSeconds}s: ${reading.detail}` };
        }
        await clock.sleep(clock.pollMs);
    }
}

/** Each factory runs once per argument, so a region's client is shared by its targets; a factory's error is kept and thrown to each. */
function memoized(clients: Clients): Clients {
    const cache = new Map<string, { value: unknown } | { error: unknown }>();
    const once = <T>(key: string, make: () => T): T => {
        if (!cache.has(key)) {
            try {
                cache.set(key, { value: make() });
            } catch (error) {
                cache.set(key, { error });
            }
        }
        const entry = cache.get(key)!;
        if ("error" in entry) throw entry.error;
        return entry.value as T;
    };
    return {
        autoScaling: (region) => once(`autoScaling:${region}`, () => clients.autoScaling(region)),
        ecs: (region) => once(`ecs:${region}`, () => clients.ecs(region)),
        instanceGroupManagers: () => once("instanceGroupManagers", () => clients.instanceGroupManagers()),
        ess: (region) => once(`ess:${region}`, () => clients.ess(region)),
        kubernetes: () => once("kubernetes", () => clients.kubernetes()),
    };
}

/** The SDKs' own clients, with their default credential chains; what they open is closed when the verification ends. */
function defaultClients(timeoutMs: number): { clients: Clients; dispose: () => Promise<void> } {
    const closers: (() => unknown)[] = [];
    return {
        clients: {
            autoScaling: (region) => {
                const client = autoScalingClient(region, timeoutMs);
                closers.push(() => client.destroy());
                return client;
            },
            ecs: (region) => {
                const client = ecsClient(region, timeoutMs);
                closers.push(() => client.destroy());
                return client;
            },
            instanceGroupManagers: () => {
                const client = instanceGroupManagersClient();
                closers.push(() => client.close());
                return client;
            },
            ess: (region) => essClient(region, process.env, timeoutMs),
            kubernetes: () => appsClient(),
        },
        dispose: async () => {
            await Promise.all(closers.map(async (close) => close()));
        },
    };
}
