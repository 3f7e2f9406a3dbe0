/**
 * The plan's monthly cost estimate: each priced resource times the list price
 * from the catalogue in data/prices.yaml, summed per cloud and per workload (the
 * resource's `workload` tag or label). Free resources are left out; a type that
 * costs money but has no price is named in `unpriced`, never counted as zero silently.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { PlanResource } from "./model";
import { cloudOf } from "./cloud-of";

export const hoursPerMonth = 730;
export const pricesFile = path.join(__dirname, "..", "..", "data", "prices.yaml");

const price = z
    .object({
        usd: z.number().nonnegative(),
        source: z.url({ protocol: /^https$/ }),
        date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date, YYYY-MM-DD"),
    })
    .strict();
const regionPrices = z
    .object({
        instanceHour: z.record(z.string(), price).default({}),
        loadBalancerHour: price.optional(),
        natGatewayHour: price.optional(),
        publicIpHour: price.optional(),
        /** One price, or one per tier (Filestore). */
        sharedStorageGbMonth: z.union([price, z.record(z.string(), price)]).optional(),
        blockStorageGbMonth: price.optional(),
        clusterHour: price.optional(),
        secretMonth: price.optional(),
        keyMonth: price.optional(),
    })
    .strict();
const catalogueSchema = z
    .object({
        defaults: z.object({ regions: z.record(z.string(), z.string()), sharedStorageGb: z.number().positive() }).strict(),
        free: z.array(z.string()),
        usageBased: z.array(z.string()),
        prices: z.record(z.string(), z.record(z.string(), regionPrices)),
    })
    .strict();

export type PriceCatalogue = z.output<typeof catalogueSchema>;
type RegionPrices = z.output<typeof regionPrices>;

export function parseCatalogue(text: string, source: string): PriceCatalogue {
    const parsed = catalogueSchema.safeParse(parseYaml(text));
    if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
        throw new Error(`Invalid price catalogue ${source}:\n${issues}`);
    }
    for (const [cloud, region] of Object.entries(parsed.data.defaults.regions)) {
        if (!parsed.data.prices[cloud]?.[region]) throw new Error(`Invalid price catalogue ${source}: no prices for ${cloud}'s default region ${region}.`);
    }
    return parsed.data;
}

let loaded: PriceCatalogue | undefined;
export function loadCatalogue(): PriceCatalogue {
    loaded ??= parseCatalogue(fs.readFileSync(pricesFile, "utf8"), "data/prices.yaml");
    return loaded;
}

export interface CostEstimate {
    monthlyUsd: number;
    byCloud: Record<string, number>;
    byWorkload: Record<string, number>;
    byResource: { urn: string; type: string; monthlyUsd: number; basis: string }[];
    /** Resource types that cost money but have no price in the catalogue. */
    unpriced: string[];
}

export interface CostOptions {
    /** Region per cloud, used when a resource's provider does not say. */
    regions?: Record<string, string>;
    catalogue?: PriceCatalogue;
}

const cents = (usd: number) => Math.round(usd * 100) / 100;
const glob = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);

/** A number the plan knows (masked unknowns and secrets are strings). */
function known(value: unknown): number | undefined {
    const n = typeof value === "string" && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}
const knownString = (value: unknown) => (typeof value === "string" && !/^\[.*\]$/.test(value) ? value : undefined);

/** The `workload` cost tag in any form a resource carries it. */
function workloadOf(r: PlanResource): string {
    const i = r.inputs as Record<string, any>;
    const maps = [i.tags, i.labels, i.resourceLabels, i.metadata?.labels];
    for (const map of maps) {
        if (Array.isArray(map)) {
            const entry = map.find((t) => t?.key === "workload");
            if (knownString(entry?.value)) return entry.value;
        } else if (map && typeof map === "object" && knownString(map.workload)) {
            return map.workload;
        }
    }
    return "untagged";
}

interface Priced {
    monthlyUsd: number;
    basis: string;
}
type Pricer = (r: PlanResource, prices: RegionPrices, where: string, siblings: PlanResource[], catalogue: PriceCatalogue) => Priced | "unpriced";

const hourly = (p: z.output<typeof price> | undefined, count: number, what: string, where: string): Priced | "unpriced" =>
    p ? { monthlyUsd: p.usd * hoursPerMonth * count, basis: `${count} × ${what} × $${p.usd}/h × ${hoursPerMonth} h (${where})` } : "unpriced";

const monthly = (p: z.output<typeof price> | undefined, what: string, where: string): Priced | "unpriced" =>
    p ? { monthlyUsd: p.usd, basis: `${what} $${p.usd}/month (${where})` } : "unpriced";

function instances(machine: string | undefined, count: number, countBasis: string, prices: RegionPrices, where: string): Priced | "unpriced" {
    const p = machine ? prices.instanceHour[machine] : undefined;
    if (!p) return "unpriced";
    return { monthlyUsd: p.usd * hoursPerMonth * count, basis: `${countBasis} ${count} × ${machine} $${p.usd}/h × ${hoursPerMonth} h (${where})` };
}

/** The sibling (same parent) of a type: groups name their template by an id a preview cannot know yet. */
const sibling = (r: PlanResource, siblings: PlanResource[], type: string) => siblings.find((s) => s.type === type && s.parent === r.parent);

const storageGbMonth = (p: z.output<typeof price> | undefined, gb: number, what: string, where: string): Priced | "unpriced" =>
    p ? { monthlyUsd: p.usd * gb, basis: `${what} ${gb} GB × $${p.usd}/GB-month (${where})` } : "unpriced";

const pricers: Record<string, Pricer> = {
    "aws:autoscaling/group:Group": (r, prices, where, all) => {
        const desired = known(r.inputs.desiredCapacity);
        const count = desired ?? known(r.inputs.minSize) ?? 0;
        const template = sibling(r, all, "aws:ec2/launchTemplate:LaunchTemplate");
        const machine = knownString((r.inputs.mixedInstancesPolicy as any)?.launchTemplate?.overrides?.[0]?.instanceType) ?? knownString(template?.inputs.instanceType);
        return instances(machine, count, desired === undefined ? "min size" : "desired capacity", prices, where);
    },
    "aws:ec2/instance:Instance": (r, prices, where) => instances(knownString(r.inputs.instanceType), 1, "", prices, where),
    "aws:lb/loadBalancer:LoadBalancer": (_r, prices, where) => hourly(prices.loadBalancerHour, 1, "load balancer", where),
    "aws:ec2/natGateway:NatGateway": (_r, prices, where) => hourly(prices.natGatewayHour, 1, "NAT gateway", where),
    "aws:ec2/eip:Eip": (_r, prices, where) => hourly(prices.publicIpHour, 1, "public IPv4 address", where),
    "aws:efs/fileSystem:FileSystem": (_r, prices, where, _all, c) =>
        storageGbMonth(prices.sharedStorageGbMonth as z.output<typeof price>, c.defaults.sharedStorageGb, "EFS, assumed", where),
    "aws:ebs/volume:Volume": (r, prices, where) => storageGbMonth(prices.blockStorageGbMonth, known(r.inputs.size) ?? 0, "EBS", where),
    "aws:eks/cluster:Cluster": (_r, prices, where) => hourly(prices.clusterHour, 1, "EKS cluster", where),
    "aws:secretsmanager/secret:Secret": (_r, prices, where) => monthly(prices.secretMonth, "secret", where),
    "aws:kms/key:Key": (_r, prices, where) => monthly(prices.keyMonth, "KMS key", where),

    "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager": (r, prices, where, all) => gcpGroup(r, prices, where, all),
    "gcp:compute/instanceGroupManager:InstanceGroupManager": (r, prices, where, all) => gcpGroup(r, prices, where, all),
    "gcp:compute/instance:Instance": (r, prices, where) => instances(knownString(r.inputs.machineType), 1, "", prices, where),
    "gcp:container/nodePool:NodePool": (r, prices, where) => {
        const i = r.inputs as Record<string, any>;
        const perZone = known(i.nodeCount) ?? known(i.autoscaling?.minNodeCount) ?? known(i.autoscaling?.totalMinNodeCount) ?? known(i.initialNodeCount) ?? 1;
        const location = knownString(i.location);
        const zones = Array.isArray(i.nodeLocations) ? i.nodeLocations.length : location && !/-[a-z]$/.test(location) ? 3 : 1;
        return instances(knownString(i.nodeConfig?.machineType), perZone * zones, `${perZone} per zone × ${zones} zones =`, prices, where);
    },
    "gcp:container/cluster:Cluster": (_r, prices, where) => hourly(prices.clusterHour, 1, "GKE cluster fee", where),
    "gcp:compute/globalForwardingRule:GlobalForwardingRule": (_r, prices, where) => hourly(prices.loadBalancerHour, 1, "forwarding rule", where),
    "gcp:compute/forwardingRule:ForwardingRule": (_r, prices, where) => hourly(prices.loadBalancerHour, 1, "forwarding rule", where),
    "gcp:compute/routerNat:RouterNat": (_r, prices, where) => hourly(prices.natGatewayHour, 1, "Cloud NAT gateway", where),
    "gcp:compute/globalAddress:GlobalAddress": (_r, prices, where) => hourly(prices.publicIpHour, 1, "static IP address", where),
    "gcp:compute/address:Address": (_r, prices, where) => hourly(prices.publicIpHour, 1, "static IP address", where),
    "gcp:compute/disk:Disk": (r, prices, where) => storageGbMonth(prices.blockStorageGbMonth, known(r.inputs.size) ?? 10, "persistent disk", where),
    "gcp:filestore/instance:Instance": (r, prices, where) => {
        const tier = knownString(r.inputs.tier) ?? "BASIC_HDD";
        const byTier = prices.sharedStorageGbMonth as Record<string, z.output<typeof price>> | undefined;
        const shares = (r.inputs.fileShares as any) ?? {};
        const gb = known(Array.isArray(shares) ? shares[0]?.capacityGb : shares.capacityGb) ?? 1024;
        return storageGbMonth(byTier?.[tier], gb, `Filestore ${tier}`, where);
    },
    "gcp:secretmanager/secretVersion:SecretVersion": (_r, prices, where) => monthly(prices.secretMonth, "secret version", where),

    "alicloud:ess/scalingGroup:ScalingGroup": (r, prices, where, all) => {
        const desired = known(r.inputs.desiredCapacity);
        const count = desired ?? known(r.inputs.minSize) ?? 0;
        const config = sibling(r, all, "alicloud:ess/scalingConfiguration:ScalingConfiguration")?.inputs as Record<string, any> | undefined;
        const machine = knownString(config?.instanceType) ?? knownString(config?.instanceTypes?.[0]);
        return instances(machine, count, desired === undefined ? "min size" : "desired capacity", prices, where);
    },
    "alicloud:ecs/instance:Instance": (r, prices, where) => instances(knownString(r.inputs.instanceType), 1, "", prices, where),
    "alicloud:alb/loadBalancer:LoadBalancer": (_r, prices, where) => hourly(prices.loadBalancerHour, 1, "ALB instance", where),
    "alicloud:vpc/natGateway:NatGateway": (_r, prices, where) => hourly(prices.natGatewayHour, 1, "NAT gateway", where),
    "alicloud:ecs/eipAddress:EipAddress": (_r, prices, where) => hourly(prices.publicIpHour, 1, "EIP", where),
    "alicloud:nas/fileSystem:FileSystem": (r, prices, where, _all, c) => {
        const gb = known(r.inputs.capacity) ?? c.defaults.sharedStorageGb;
        return storageGbMonth(prices.sharedStorageGbMonth as z.output<typeof price>, gb, known(r.inputs.capacity) ? "NAS" : "NAS, assumed", where);
    },
    "alicloud:cs/managedKubernetes:ManagedKubernetes": (_r, prices, where) => hourly(prices.clusterHour, 1, "ACK cluster fee", where),
    "alicloud:cs/nodePool:NodePool": (r, prices, where) => {
        const i = r.inputs as Record<string, any>;
        const desired = known(i.desiredSize);
        const count = desired ?? known(i.scalingConfig?.minSize) ?? known(i.nodeCount) ?? 1;
        return instances(knownString(i.instanceTypes?.[0]), count, desired === undefined ? "min size" : "desired size", prices, where);
    },
    "alicloud:kms/secret:Secret": (_r, prices, where) => monthly(prices.secretMonth, "secret", where),
    "alicloud:kms/key:Key": (_r, prices, where) => monthly(prices.keyMonth, "KMS key", where),
};

function gcpGroup(r: PlanResource, prices: RegionPrices, where: string, all: PlanResource[]): Priced | "unpriced" {
    const target = known(r.inputs.targetSize);
    const autoscaler = all.find((s) => s.parent === r.parent && /Autoscaler$/.test(s.type));
    const count = target ?? known((autoscaler?.inputs.autoscalingPolicy as any)?.minReplicas) ?? 1;
    const template = sibling(r, all, "gcp:compute/instanceTemplate:InstanceTemplate") ?? sibling(r, all, "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate");
    return instances(knownString(template?.inputs.machineType), count, target === undefined ? "autoscaler minimum" : "target size", prices, where);
}

/** The region a resource runs in: its own input, its provider's, the caller's, or the catalogue's default. */
function regionOf(r: PlanResource, cloud: string, byUrn: Map<string, PlanResource>, options: CostOptions, catalogue: PriceCatalogue): string {
    const own = knownString(r.inputs.region);
    if (own) return own;
    const providerUrn = r.provider?.slice(0, r.provider.lastIndexOf("::"));
    const fromProvider = providerUrn ? knownString(byUrn.get(providerUrn)?.inputs.region) : undefined;
    return fromProvider ?? options.regions?.[cloud] ?? catalogue.defaults.regions[cloud];
}

export function estimateCost(resources: PlanResource[], options: CostOptions = {}): CostEstimate {
    const catalogue = options.catalogue ?? loadCatalogue();
    const free = catalogue.free.map(glob);
    const usageBased = catalogue.usageBased.map(glob);
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const estimate: CostEstimate = { monthlyUsd: 0, byCloud: {}, byWorkload: {}, byResource: [], unpriced: [] };
    const unpriced = new Set<string>();

    for (const r of resources) {
        if (!r.custom || r.type.startsWith("pulumi:")) continue;
        const cloud = cloudOf(r.type, r.urn);
        estimate.byCloud[cloud] ??= 0;
        if (free.some((f) => f.test(r.type))) continue;
        const workload = workloadOf(r);
        let priced: Priced | "unpriced" = "unpriced";
        if (usageBased.some((u) => u.test(r.type))) {
            priced = { monthlyUsd: 0, basis: "billed by use; not estimated" };
        } else if (pricers[r.type]) {
            const region = regionOf(r, cloud, byUrn, options, catalogue);
            const inRegion = catalogue.prices[cloud]?.[region];
            const fallback = catalogue.defaults.regions[cloud];
            const where = inRegion ? region : `${fallback} prices; none for ${region}`;
            const prices = inRegion ?? catalogue.prices[cloud]?.[fallback];
            if (prices) priced = pricers[r.type](r, prices, where, resources, catalogue);
        }
        if (priced === "unpriced") {
            unpriced.add(r.type);
            priced = { monthlyUsd: 0, basis: "no price in data/prices.yaml" };
        }
        estimate.byResource.push({ urn: r.urn, type: r.type, monthlyUsd: cents(priced.monthlyUsd), basis: priced.basis });
        estimate.byCloud[cloud] += priced.monthlyUsd;
        estimate.byWorkload[workload] = (estimate.byWorkload[workload] ?? 0) + priced.monthlyUsd;
        estimate.monthlyUsd += priced.monthlyUsd;
    }
    estimate.monthlyUsd = cents(estimate.monthlyUsd);
    for (const map of [estimate.byCloud, estimate.byWorkload]) for (const k of Object.keys(map)) map[k] = cents(map[k]);
    estimate.unpriced = [...unpriced].sort();
    return estimate;
}

export interface CostDelta {
    baseUsd: number;
    headUsd: number;
    deltaUsd: number;
}

export interface CostChange extends CostDelta {
    /** Change relative to the base; undefined when the base cost nothing (or there is no base). */
    deltaPercent?: number;
    byCloud: Record<string, CostDelta>;
    byWorkload: Record<string, CostDelta>;
    /** Resources whose cost changed (added, removed or repriced), biggest change first. */
    byResource: (CostDelta & { urn: string; type: string })[];
    /** Types unpriced in the head that were priced (or absent) in the base. */
    newlyUnpriced: string[];
}

function deltas(base: Record<string, number>, head: Record<string, number>): Record<string, CostDelta> {
    const keys = [...new Set([...Object.keys(base), ...Object.keys(head)])].sort();
    return Object.fromEntries(keys.map((k) => [k, delta(base[k] ?? 0, head[k] ?? 0)]));
}
const delta = (baseUsd: number, headUsd: number): CostDelta => ({ baseUsd, headUsd, deltaUsd: cents(headUsd - baseUsd) });

/** What a change does to the monthly cost: in total, per cloud, per workload and per resource. */
export function costChange(base: CostEstimate | undefined, head: CostEstimate): CostChange {
    const before = base ?? { monthlyUsd: 0, byCloud: {}, byWorkload: {}, byResource: [], unpriced: [] };
    const baseByUrn = new Map(before.byResource.map((r) => [r.urn, r]));
    const headByUrn = new Map(head.byResource.map((r) => [r.urn, r]));
    const byResource = [...new Set([...baseByUrn.keys(), ...headByUrn.keys()])]
        .map((urn) => ({ urn, type: (headByUrn.get(urn) ?? baseByUrn.get(urn))!.type, ...delta(baseByUrn.get(urn)?.monthlyUsd ?? 0, headByUrn.get(urn)?.monthlyUsd ?? 0) }))
        .filter((r) => r.deltaUsd !== 0)
        .sort((a, b) => Math.abs(b.deltaUsd) - Math.abs(a.deltaUsd));
    const total = delta(before.monthlyUsd, head.monthlyUsd);
    return {
        ...total,
        deltaPercent: before.monthlyUsd > 0 ? Math.round((total.deltaUsd / before.monthlyUsd) * 1000) / 10 : undefined,
        byCloud: deltas(before.byCloud, head.byCloud),
        byWorkload: deltas(before.byWorkload, head.byWorkload),
        byResource,
        newlyUnpriced: head.unpriced.filter((t) => !before.unpriced.includes(t)),
    };
}
