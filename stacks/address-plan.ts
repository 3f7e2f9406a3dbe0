/**
 * The one IP address plan (data/address-plan.yaml): every workload's network
 * range per environment and cloud, plus the secondary ranges GKE needs. A stack
 * takes its ranges from here; a stack file that asks for another range gets a
 * ConfigError that names the file, key, value and the planned range.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { contains, overlaps, parseCidr, type CidrBlock } from "../components/core/cidr";
import { clouds, environments, type Cloud, type Environment } from "../components/contracts";
import { ConfigError, workloads, type WorkloadName } from "./config";

export const addressPlanFile = path.join(__dirname, "..", "data", "address-plan.yaml");

const rangesSchema = z
    .object({
        cidr: z.string().describe("The network's block."),
        pods: z.string().optional().describe("GKE secondary range for pods."),
        services: z.string().optional().describe("GKE secondary range for services."),
    })
    .strict();

const planSchema = z
    .object({
        supernet: z.string(),
        networks: z.partialRecord(
            z.enum(workloads),
            z.partialRecord(z.enum(environments), z.partialRecord(z.enum(clouds), rangesSchema)),
        ),
    })
    .strict();

export type PlannedNetwork = z.output<typeof rangesSchema>;

/** One range of the plan, named for error messages ("analytics/dev/gcp pods"). */
export interface PlannedRange {
    name: string;
    cidr: string;
}

export interface AddressPlan {
    source: string;
    supernet: string;
    networks: z.output<typeof planSchema>["networks"];
    ranges: PlannedRange[];
}

/** An error in the address plan itself (malformed or overlapping entries). */
export class AddressPlanError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "AddressPlanError";
    }
}

type Block = CidrBlock;

export { parseCidr, overlaps };

const canonical = (block: Block | string): string => (typeof block === "string" ? block : block.text);

/** Validates a plan: every range well-formed, inside the supernet, and no two overlapping. */
export function parseAddressPlan(text: string, source: string): AddressPlan {
    const parsed = planSchema.safeParse(parseYaml(text));
    if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`).join("\n");
        throw new AddressPlanError(`Invalid address plan ${source}:\n${issues}`);
    }
    const { supernet, networks } = parsed.data;
    const supernetBlock = parseCidr(supernet);
    if (typeof supernetBlock === "string") throw new AddressPlanError(`Invalid address plan ${source}: supernet ${supernet} is ${supernetBlock}.`);

    const ranges: PlannedRange[] = [];
    for (const [workload, byEnvironment] of Object.entries(networks)) {
        for (const [environment, byCloud] of Object.entries(byEnvironment ?? {})) {
            for (const [cloud, planned] of Object.entries(byCloud ?? {})) {
                const name = `${workload}/${environment}/${cloud}`;
                ranges.push({ name, cidr: planned!.cidr });
                if (planned!.pods) ranges.push({ name: `${name} pods`, cidr: planned!.pods });
                if (planned!.services) ranges.push({ name: `${name} services`, cidr: planned!.services });
            }
        }
    }

    const problems: string[] = [];
    const blocks = ranges.map((range) => {
        const block = parseCidr(range.cidr);
        if (typeof block === "string") problems.push(`  ${range.name} = ${range.cidr}: ${block}`);
        else if (!contains(supernetBlock, block)) {
            problems.push(`  ${range.name} = ${range.cidr}: outside the supernet ${supernet}`);
        }
        return block;
    });
    for (let i = 0; i < ranges.length; i++) {
        for (let j = i + 1; j < ranges.length; j++) {
            const [a, b] = [blocks[i], blocks[j]];
            if (typeof a !== "string" && typeof b !== "string" && overlaps(a, b)) {
                problems.push(`  ${ranges[i].name} = ${ranges[i].cidr} overlaps ${ranges[j].name} = ${ranges[j].cidr}`);
            }
        }
    }
    if (problems.length > 0) throw new AddressPlanError(`Invalid address plan ${source}:\n${problems.join("\n")}`);
    return { source, supernet, networks, ranges };
}

let loaded: AddressPlan | undefined;

/** The repository's address plan, read and validated once. */
export function loadAddressPlan(): AddressPlan {
    loaded ??= parseAddressPlan(fs.readFileSync(addressPlanFile, "utf8"), "data/address-plan.yaml");
    return loaded;
}

/** The planned ranges of a workload in an environment on a cloud. */
export function networkFor(workload: WorkloadName, environment: Environment, cloud: Cloud, plan = loadAddressPlan()): PlannedNetwork {
    const planned = plan.networks[workload]?.[environment]?.[cloud];
    if (!planned) {
        throw new ConfigError(
            `The address plan ${plan.source} has no network for ${workload}/${environment}/${cloud}: ` +
                `add one under networks.${workload}.${environment}.${cloud} (a free /16 of ${plan.supernet}).`,
        );
    }
    return planned;
}

/**
 * Checks a range a stack file asks for against the plan: it must be a CIDR
 * block, overlap no other planned range, and be the planned one.
 */
export function checkRequestedRange(
    stackFile: string,
    key: string,
    cidr: string,
    workload: WorkloadName,
    environment: Environment,
    cloud: Cloud,
    plan = loadAddressPlan(),
): void {
    const planned = networkFor(workload, environment, cloud, plan);
    const where = `Invalid configuration in ${stackFile}: ${key} = ${JSON.stringify(cidr)}`;
    const fix = `the address plan (${plan.source}) gives ${workload}/${environment}/${cloud} ${planned.cidr}; set ${key} to ${planned.cidr} or leave it out`;
    const block = parseCidr(cidr);
    if (typeof block === "string") throw new ConfigError(`${where} is ${block}: ${fix}.`);
    const own = `${workload}/${environment}/${cloud}`;
    const clash = plan.ranges.find((range) => {
        if (range.name === own) return false;
        const other = parseCidr(range.cidr);
        return typeof other !== "string" && overlaps(block, other);
    });
    if (clash) throw new ConfigError(`${where} overlaps ${clash.name} (${clash.cidr}) in the address plan: ${fix}.`);
    if (canonical(block) !== canonical(parseCidr(planned.cidr))) {
        throw new ConfigError(`${where} differs from the plan: ${fix}.`);
    }
}

/** The network a workload gets on a cloud: its planned ranges, and the zones configured (2 in dev, 3 in prod by default). */
export function workloadNetwork(
    workload: WorkloadName,
    environment: Environment,
    cloud: Cloud,
    zoneCount: number | undefined,
    plan = loadAddressPlan(),
): { cidr: string; zoneCount: number; secondaryRanges?: { pods: string; services: string } } {
    const planned = networkFor(workload, environment, cloud, plan);
    return {
        cidr: planned.cidr,
        zoneCount: zoneCount ?? (environment === "prod" ? 3 : 2),
        secondaryRanges: planned.pods && planned.services ? { pods: planned.pods, services: planned.services } : undefined,
    };
}
