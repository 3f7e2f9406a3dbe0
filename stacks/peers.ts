/**
 * Who calls whom across clouds, read from the workload stacks' own files:
 * placements (`multicloud:clouds`) and references (`multicloud:references`).
 * The links stacks build a link for each call between two clouds; a callee
 * offers a private listener to its callers, and a caller's egress admits the
 * callee's planned ranges. Every program of a commit reads the same files, so
 * moving a workload with `multicloud:clouds` moves its links, its listener's
 * callers and its callers' egress together.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { Cloud, Environment } from "../components/contracts";
import { commonSchema, ConfigError, type WorkloadName } from "./config";
import { plannedRanges } from "./address-plan";
import type { RegionCloud } from "../components/clouds";

export const stacksDir = __dirname;

/** What a workload stack file says about where it runs and whom it calls. */
export interface WorkloadStack {
    name: string;
    file: string;
    workload: WorkloadName;
    environment: Environment;
    clouds: Cloud[];
    /** Referenced stacks by name in `multicloud:references`: the last part of each (`backend-prod`). */
    references: Record<string, string>;
    zoneCount: number;
    regions: Record<RegionCloud, string>;
    gcpProject: string;
    costCenter: string;
    /** `multicloud:network.cidr` where the file sets it: it must be the plan's. */
    networkCidr?: string;
}

const placementSchema = z.object({
    workload: commonSchema.workload,
    environment: commonSchema.environment,
    clouds: commonSchema.clouds,
    references: commonSchema.references,
    regions: commonSchema.regions,
    gcpProject: commonSchema.gcpProject,
    costCenter: commonSchema.costCenter,
    network: commonSchema.network,
});

/** The workload stack files of `dir` (stacks/Pulumi.<stack>.yaml), their placement keys validated; other keys are each program's own to check. */
export function readWorkloadStacks(dir = stacksDir): WorkloadStack[] {
    return fs
        .readdirSync(dir)
        .map((f) => ({ f, m: /^Pulumi\.(.+)\.ya?ml$/.exec(f) }))
        .filter(({ m }) => m !== null)
        .map(({ f, m }) => {
            const file = path.relative(path.join(stacksDir, ".."), path.join(dir, f)).split(path.sep).join("/");
            const config = ((parseYaml(fs.readFileSync(path.join(dir, f), "utf8")) ?? {}).config ?? {}) as Record<string, unknown>;
            const keys = Object.fromEntries(
                Object.entries(config).flatMap(([k, v]) => (k.startsWith("multicloud:") ? [[k.slice("multicloud:".length), v]] : [])),
            );
            const parsed = placementSchema.safeParse(keys);
            if (!parsed.success) {
                const issues = parsed.error.issues.map((i) => `  multicloud:${i.path.join(".")}: ${i.message}`).join("\n");
                throw new ConfigError(`Invalid configuration in ${file}, read for its placement and references:\n${issues}`);
            }
            const s = parsed.data;
            return {
                name: m![1],
                file,
                workload: s.workload,
                environment: s.environment,
                clouds: s.clouds,
                references: Object.fromEntries(Object.entries(s.references).map(([k, v]) => [k, v.split("/").pop()!])),
                zoneCount: s.network.zoneCount ?? (s.environment === "prod" ? 3 : 2),
                regions: s.regions,
                gcpProject: s.gcpProject,
                costCenter: s.costCenter,
                networkCidr: s.network.cidr,
            };
        })
        .sort((a, b) => a.name.localeCompare(b.name));
}

/** One call across clouds: a caller placed on one cloud, a callee it references placed on another. */
export interface CrossCloudCall {
    caller: WorkloadStack;
    callerCloud: Cloud;
    callee: WorkloadStack;
    calleeCloud: Cloud;
    /** The reference's name in the caller's `multicloud:references`. */
    reference: string;
}

/** The stack a reference names, or a configuration error naming the caller's key. */
export function referencedStack(caller: WorkloadStack, reference: string, stacks: WorkloadStack[]): WorkloadStack {
    const target = caller.references[reference];
    const callee = stacks.find((s) => s.name === target);
    if (!callee) {
        throw new ConfigError(
            `Invalid configuration in ${caller.file}: multicloud:references.${reference} = ${JSON.stringify(target)} names no stack file (stacks/Pulumi.${target}.yaml).`,
        );
    }
    if (callee.environment !== caller.environment) {
        throw new ConfigError(
            `Invalid configuration in ${caller.file}: multicloud:references.${reference} = ${JSON.stringify(target)} is a ${callee.environment} stack; a ${caller.environment} stack calls ${caller.environment} stacks only.`,
        );
    }
    return callee;
}

/** Every call across clouds in an environment: each reference, between each placement of the caller and each of the callee on another cloud. */
export function crossCloudCalls(stacks: WorkloadStack[], environment: Environment): CrossCloudCall[] {
    const inEnvironment = stacks.filter((s) => s.environment === environment);
    return inEnvironment.flatMap((caller) =>
        Object.keys(caller.references).flatMap((reference) => {
            const callee = referencedStack(caller, reference, stacks);
            return caller.clouds.flatMap((callerCloud) =>
                callee.clouds
                    .filter((calleeCloud) => calleeCloud !== callerCloud)
                    .map((calleeCloud) => ({ caller, callerCloud, callee, calleeCloud, reference })),
            );
        }),
    );
}

/**
 * The ranges of the callers on other clouds that call a stack whose workload
 * runs on `cloud`: who its private listener admits. The callee's cloud is the
 * one it is being built on, so a placement given on the command line counts.
 */
export function callerRanges(stacks: WorkloadStack[], calleeStack: string, cloud: Cloud): string[] {
    const ranges = stacks.flatMap((caller) =>
        Object.values(caller.references)
            .filter((target) => target === calleeStack)
            .flatMap(() => caller.clouds.filter((c) => c !== cloud).flatMap((c) => plannedRanges(caller.workload, caller.environment, c))),
    );
    return [...new Set(ranges)];
}
