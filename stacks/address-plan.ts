/**
 * The one IP address plan (data/address-plan.yaml): every workload's network
 * range per environment and cloud, plus the secondary ranges GKE needs, and
 * beside them what links between networks need: an ASN per cloud and
 * environment, and the tunnels' inside ranges per pair of workloads. A stack
 * takes its ranges from here; a stack file that asks for another range gets a
 * ConfigError that names the file, key, value and the planned range.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { contains, overlaps, parseCidr, subBlock, type CidrBlock } from "../components/core/cidr";
import { linkLocalBlock, privateAsnRange, reservedInsideCidrs } from "../components/core/link";
import { clouds } from "../components/clouds";
import { environments, type Cloud, type Environment } from "../components/contracts";
import { ConfigError, workloads, type WorkloadName } from "./config";

export const addressPlanFile = path.join(__dirname, "..", "data", "address-plan.yaml");

const rangesSchema = z
    .object({
        cidr: z.string().describe("The network's block."),
        pods: z.string().optional().describe("GKE secondary range for pods."),
        services: z.string().optional().describe("GKE secondary range for services."),
    })
    .strict();

const linksSchema = z
    .object({
        asns: z
            .partialRecord(z.enum(environments), z.record(z.enum(clouds), z.number().int()))
            .describe("The BGP ASN of every link end on a cloud, per environment."),
        insideRanges: z
            .record(z.string(), z.partialRecord(z.enum(environments), z.string()))
            .default({})
            .describe("Per pair of workloads (caller-callee) and environment, the /25 its tunnels' inside /30s come from."),
    })
    .strict();

const planSchema = z
    .object({
        supernet: z.string(),
        networks: z.partialRecord(z.enum(workloads), z.partialRecord(z.enum(environments), z.partialRecord(z.enum(clouds), rangesSchema))),
        links: linksSchema.optional(),
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
    links?: z.output<typeof linksSchema>;
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
    const { supernet, networks, links } = parsed.data;
    const supernetBlock = parseCidr(supernet);
    if (typeof supernetBlock === "string") throw new AddressPlanError(`Invalid address plan ${source}: supernet ${supernet} is ${supernetBlock}.`);

    const ranges: PlannedRange[] = [];
    for (const [workload, byEnvironment] of Object.entries(networks)) {
        for (const [environment, byCloud] of Object.entries(byEnvironment ?? {})) {
            for (const [cloud, planned] of Object.entries(byCloud ?? {})) {
                const name = `${workload}/${environment}/${cloud}`;
                ranges.push({ name, cidr: planned.cidr });
                if (planned.pods) ranges.push({ name: `${name} pods`, cidr: planned.pods });
                if (planned.services) ranges.push({ name: `${name} services`, cidr: planned.services });
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
    problems.push(...linkProblems(links));
    if (problems.length > 0) throw new AddressPlanError(`Invalid address plan ${source}:\n${problems.join("\n")}`);
    return { source, supernet, networks, ranges, links };
}

/** Each pair of workloads that calls across clouds takes a /25 of inside ranges per environment. */
const insideBlockPrefix = 25;
/** Within it, each pair of clouds a /28: four tunnels, the most a link has (an AWS end's two VPN connections). */
const cloudPairPrefix = 28;
/** The pairs of clouds in the order of `clouds`: aws-gcp, aws-alicloud, aws-onprem, gcp-alicloud, gcp-onprem, alicloud-onprem. */
export const cloudPairs: [Cloud, Cloud][] = clouds.flatMap((a, i) => clouds.slice(i + 1).map((b) => [a, b] as [Cloud, Cloud]));

/** What is wrong with the plan's links: ASNs outside the private range or shared, inside ranges that are no /25 of 169.254.0.0/16, reserved or overlapping. */
function linkProblems(links: z.output<typeof linksSchema> | undefined): string[] {
    if (!links) return [];
    const problems: string[] = [];
    const seenAsns = new Map<number, string>();
    for (const [environment, byCloud] of Object.entries(links.asns)) {
        for (const [cloud, asn] of Object.entries(byCloud ?? {})) {
            const name = `links.asns.${environment}.${cloud}`;
            if (asn < privateAsnRange.first || asn > privateAsnRange.last)
                problems.push(`  ${name} = ${asn}: not a private ASN (${privateAsnRange.first}-${privateAsnRange.last})`);
            const other = seenAsns.get(asn);
            if (other) problems.push(`  ${name} = ${asn}: already ${other}'s; both ends of a link need their own`);
            seenAsns.set(asn, name);
        }
    }
    const linkLocal = parseCidr(linkLocalBlock) as CidrBlock;
    const reserved = reservedInsideCidrs.map((c) => parseCidr(c) as CidrBlock);
    const seen: { name: string; block: CidrBlock }[] = [];
    for (const [pair, byEnvironment] of Object.entries(links.insideRanges)) {
        const [caller, callee, ...rest] = pair.split("-");
        if (rest.length > 0 || !workloads.includes(caller as WorkloadName) || !workloads.includes(callee as WorkloadName)) {
            problems.push(`  links.insideRanges.${pair}: not a pair of workloads <caller>-<callee> (${workloads.join(", ")})`);
        }
        for (const [environment, cidr] of Object.entries(byEnvironment ?? {})) {
            const name = `links.insideRanges.${pair}.${environment}`;
            const block = parseCidr(cidr);
            if (typeof block === "string") problems.push(`  ${name} = ${cidr}: ${block}`);
            else if (block.prefix !== insideBlockPrefix || !contains(linkLocal, block))
                problems.push(`  ${name} = ${cidr}: must be a /${insideBlockPrefix} of ${linkLocalBlock}`);
            else if (reserved.some((r) => overlaps(r, block)))
                problems.push(`  ${name} = ${cidr}: holds /30s AWS reserves (${reservedInsideCidrs.join(", ")})`);
            else {
                const clash = seen.find((s) => overlaps(s.block, block));
                if (clash) problems.push(`  ${name} = ${cidr} overlaps ${clash.name} = ${clash.block.text}`);
                seen.push({ name, block });
            }
        }
    }
    return problems;
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

/** A network's own ranges in the plan: what its end of a link advertises, and what callers' egress admits. */
export function plannedRanges(workload: WorkloadName, environment: Environment, cloud: Cloud, plan = loadAddressPlan()): string[] {
    const planned = networkFor(workload, environment, cloud, plan);
    return [planned.cidr, planned.pods, planned.services].filter((r): r is string => r !== undefined);
}

/** The ASN every link end on a cloud speaks in an environment. */
export function linkAsn(environment: Environment, cloud: Cloud, plan = loadAddressPlan()): number {
    const asn = plan.links?.asns[environment]?.[cloud];
    if (asn === undefined) {
        throw new ConfigError(
            `The address plan ${plan.source} has no ASN for links on ${cloud} in ${environment}: add links.asns.${environment}.${cloud} (a private ASN, ${privateAsnRange.first}-${privateAsnRange.last}, unused in the plan).`,
        );
    }
    return asn;
}

/**
 * The inside /30s of a link's tunnels, in tunnel order: from the /25 of the pair
 * of workloads (caller-callee) in the environment, the /28 of the pair of clouds,
 * then its /30s. A pair of workloads without a /25 is a configuration error that
 * names the key to add.
 */
export function tunnelInsideRanges(
    caller: WorkloadName,
    callee: WorkloadName,
    environment: Environment,
    callerCloud: Cloud,
    calleeCloud: Cloud,
    count: number,
    plan = loadAddressPlan(),
): string[] {
    const pair = `${caller}-${callee}`;
    const cidr = plan.links?.insideRanges[pair]?.[environment];
    if (cidr === undefined) {
        throw new ConfigError(
            `The address plan ${plan.source} has no inside ranges for the link ${pair} in ${environment}: add links.insideRanges.${pair}.${environment} ` +
                `(a free /${insideBlockPrefix} of ${linkLocalBlock}, clear of ${reservedInsideCidrs.join(", ")}).`,
        );
    }
    const slot = cloudPairs.findIndex(([a, b]) => (a === callerCloud && b === calleeCloud) || (a === calleeCloud && b === callerCloud));
    if (slot < 0) throw new ConfigError(`A link joins two clouds; ${pair} in ${environment} would join ${callerCloud} to itself.`);
    const pairBlock = parseCidr(subBlock(parseCidr(cidr) as CidrBlock, cloudPairPrefix, slot)) as CidrBlock;
    const available = 2 ** (30 - cloudPairPrefix);
    if (count > available)
        throw new ConfigError(
            `A link ${pair} in ${environment} between ${callerCloud} and ${calleeCloud} needs ${count} tunnels; a pair of clouds has room for ${available}.`,
        );
    return [...Array(count).keys()].map((t) => subBlock(pairBlock, 30, t));
}
