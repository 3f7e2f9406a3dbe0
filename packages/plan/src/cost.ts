/**
 * The plan's monthly cost estimate: each priced resource times the list price
 * from the project's price catalogue, summed per cloud, workload, environment and
 * cost center as each cloud's bill will attribute it (attribution.ts), on the
 * cloud the resource runs on (cloud-of.ts). A cloud priced by requests (a private
 * cloud) is shown back from its workloads' requests and the project's rate card.
 * Campaign windows declared by the plan's schedules are costed for their hours,
 * and the estimate is held against the budgets finance set (budgets.ts).
 *
 * Free resources are left out; a type that costs money but has no price is named
 * in `unpriced`, and a region the catalogue has no prices for in
 * `unpricedRegions`: never counted as zero silently, never priced as another region.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { PlanResource } from "./model";
import { attributor, type Attribution, type CostTags, type StackTags } from "./attribution";
import { checkBudgets, type Budget, type BudgetCheck, type CampaignSpend } from "./budgets";
import { campaignWindows, type CampaignWindow } from "./campaign-windows";
import { cloudResolver, type CloudTable } from "./cloud-of";
import type { ProjectFacts } from "./facts";

export const hoursPerMonth = 730;

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date, YYYY-MM-DD");
const price = z
    .object({
        usd: z.number().nonnegative(),
        source: z.url({ protocol: /^https$/ }),
        date,
    })
    .strict();
/** An instance type's hourly price, with its shape where the source states it (for sharing an instance among tasks). */
const instancePrice = price.extend({ vcpu: z.number().positive().optional(), memoryGib: z.number().positive().optional() }).strict();
const regionPrices = z
    .object({
        instanceHour: z.record(z.string(), instancePrice).default({}),
        loadBalancerHour: price.optional(),
        natGatewayHour: price.optional(),
        publicIpHour: price.optional(),
        /** One price, or one per tier (Filestore). */
        sharedStorageGbMonth: z.union([price, z.record(z.string(), price)]).optional(),
        blockStorageGbMonth: price.optional(),
        clusterHour: price.optional(),
        secretMonth: price.optional(),
        keyMonth: price.optional(),
        /** A VPN connection (AWS, two tunnels) or tunnel (GCP HA VPN). */
        vpnConnectionHour: price.optional(),
        /** A transit gateway attachment (a VPC's, or a VPN connection's), and each GB it processes. */
        transitAttachmentHour: price.optional(),
        transitDataGb: price.optional(),
        /** A VPN gateway, per bandwidth it is bought with (Mbit/s). */
        vpnGatewayHour: z.record(z.string(), price).optional(),
    })
    .strict();
const catalogueSchema = z
    .object({
        defaults: z
            .object({ regions: z.record(z.string(), z.string()), sharedStorageGb: z.number().positive(), linkDataGb: z.number().nonnegative().default(0) })
            .strict(),
        free: z.array(z.string()),
        usageBased: z.array(z.string()),
        prices: z.record(z.string(), z.record(z.string(), regionPrices)),
    })
    .strict();

export type PriceCatalogue = z.output<typeof catalogueSchema>;
type RegionPrices = z.output<typeof regionPrices>;
type Price = z.output<typeof price>;

const rate = z.object({ usd: z.number().nonnegative(), source: z.string().min(1), date }).strict();
const rateCardSchema = z.record(z.string(), z.object({ vcpuHour: rate, memoryGibHour: rate, storageGbMonth: rate }).strict());
/** Per cloud priced by requests: USD per requested vCPU-hour, GiB-hour of memory and GB-month of storage. */
export type RateCards = z.output<typeof rateCardSchema>;
type RateCard = RateCards[string];

function parseWith<T>(schema: z.ZodType<T>, text: string, what: string): T {
    const parsed = schema.safeParse(parseYaml(text));
    if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
        throw new Error(`Invalid ${what}:\n${issues}`);
    }
    return parsed.data;
}

export function parseCatalogue(text: string, source: string): PriceCatalogue {
    const catalogue = parseWith(catalogueSchema, text, `price catalogue ${source}`);
    for (const [cloud, region] of Object.entries(catalogue.defaults.regions)) {
        if (!catalogue.prices[cloud]?.[region]) throw new Error(`Invalid price catalogue ${source}: no prices for ${cloud}'s default region ${region}.`);
    }
    return catalogue;
}

export function parseRateCards(text: string, source: string): RateCards {
    return parseWith(rateCardSchema, text, `rate card ${source}`);
}

/** Where a project keeps its prices: a catalogue file, and a rate card file for the clouds priced by requests. */
export interface PriceFiles {
    catalogue: string;
    rateCards?: string;
}

/** The prices an estimate reads, and the file they came from (named where a price is missing). */
export interface Prices {
    catalogue: PriceCatalogue;
    rateCards: RateCards;
    source: string;
}

const loadedPrices = new Map<string, Prices>();

/** Reads and checks a project's price files, once a process. */
export function loadPrices(files: PriceFiles): Prices {
    const key = `${path.resolve(files.catalogue)}\u0000${files.rateCards ? path.resolve(files.rateCards) : ""}`;
    let prices = loadedPrices.get(key);
    if (!prices) {
        const catalogue = parseCatalogue(fs.readFileSync(files.catalogue, "utf8"), files.catalogue);
        const rateCards = files.rateCards ? parseRateCards(fs.readFileSync(files.rateCards, "utf8"), files.rateCards) : {};
        const shown = path.relative(process.cwd(), files.catalogue);
        prices = { catalogue, rateCards, source: shown && !shown.startsWith("..") ? shown : files.catalogue };
        loadedPrices.set(key, prices);
    }
    return prices;
}

export interface PricedResource {
    urn: string;
    type: string;
    cloud: string;
    monthlyUsd: number;
    basis: string;
    attribution: Attribution;
}

export interface CampaignCost {
    campaign: string;
    /** The group whose minimum the campaign raises. */
    urn: string;
    cloud: string;
    workload: string;
    environment: string;
    start: string;
    end: string;
    hours: number;
    usd: number;
    basis: string;
    /** Over before the estimate was made: shown, but no longer a cost to come. */
    ended: boolean;
}

export interface CostEstimate {
    monthlyUsd: number;
    byCloud: Record<string, number>;
    byWorkload: Record<string, number>;
    byEnvironment: Record<string, number>;
    byCostCenter: Record<string, number>;
    /** Monthly cost per workload, environment, cost center and cloud: what each budget is held against. */
    allocations: { workload: string; environment: string; costCenter: string; cloud: string; monthlyUsd: number }[];
    /** The part attributed through the stack because its cloud cannot label the resources. */
    throughStackUsd: number;
    byResource: PricedResource[];
    /** Resource types that cost money but have no price in the catalogue. */
    unpriced: string[];
    /** `<cloud> <region>` the plan uses that the catalogue has no prices for: reported, never priced as another region. */
    unpricedRegions: string[];
    /** Extra capacity of each campaign window, for its hours (not part of the monthly figure). */
    campaigns: CampaignCost[];
    /** Each allocation against its budget, where finance set budgets for the workload. */
    budgets: BudgetCheck[];
}

export interface CostOptions {
    /** The catalogue, the rate cards, and the file named where a price is missing. */
    prices: Prices;
    /** Provider package -> cloud: the project's table. */
    cloudTable: CloudTable;
    /** The project's cost tags; without them every resource is attributed to "untagged". */
    costTags?: CostTags;
    /** Region per cloud, used when a resource's provider does not say. */
    regions?: Record<string, string>;
    /** The stack's cost tags, for resources their cloud cannot label; derived from the plan when not given. */
    stackTags?: StackTags;
    /** Budgets to hold the estimate against; none when not given. */
    budgets?: Budget[];
    /** The present, for which campaign windows are still to come. */
    now?: Date;
}

/** The estimate's options from a project's facts; none when the project keeps no prices. */
export function costOptionsOf(facts: ProjectFacts): CostOptions | undefined {
    if (!facts.prices) return undefined;
    return { prices: loadPrices(facts.prices), cloudTable: facts.cloudTable, costTags: facts.costTags, budgets: facts.budgets?.() ?? [] };
}

const cents = (usd: number) => Math.round(usd * 100) / 100;
const glob = (pattern: string) =>
    new RegExp(
        `^${pattern
            .replace(/[.+^${}()|[\]\\]/g, "\\$&")
            .replace(/\*/g, ".*")
            .replace(/\?/g, ".")}$`,
    );

/** A number the plan knows (masked unknowns and secrets are strings). */
function known(value: unknown): number | undefined {
    const n = typeof value === "string" && /^\d+(\.\d+)?$/.test(value) ? Number(value) : value;
    return typeof n === "number" && Number.isFinite(n) ? n : undefined;
}
const knownString = (value: unknown) => (typeof value === "string" && !/^\[.*\]$/.test(value) ? value : undefined);

/** A count of identical units and the hourly price of one: what a campaign's extra units cost. */
interface Unit {
    count: number;
    hourlyUsd: number;
    what: string;
}

interface Priced {
    monthlyUsd: number;
    basis: string;
    unit?: Unit;
}

interface Context {
    resources: readonly PlanResource[];
    byUrn: Map<string, PlanResource>;
    /** Resources by type and by parent, so a lookup costs one list, not the whole plan. */
    ofType: (type: string) => readonly PlanResource[];
    childrenOf: (parent: string | undefined) => readonly PlanResource[];
    /** The HorizontalPodAutoscaler of each workload, by the workload's URN and by its name. */
    autoscalerOf: (workload: PlanResource) => PlanResource | undefined;
    catalogue: PriceCatalogue;
}

function contextOf(resources: readonly PlanResource[], catalogue: PriceCatalogue): Context {
    const byType = new Map<string, PlanResource[]>();
    const byParent = new Map<string | undefined, PlanResource[]>();
    const add = <K>(index: Map<K, PlanResource[]>, key: K, r: PlanResource) => {
        const list = index.get(key);
        if (list) list.push(r);
        else index.set(key, [r]);
    };
    for (const r of resources) {
        add(byType, r.type, r);
        add(byParent, r.parent, r);
    }
    const hpaByTarget = new Map<string, PlanResource>();
    for (const [type, list] of byType) {
        if (!type.endsWith("HorizontalPodAutoscaler")) continue;
        for (const hpa of list) {
            for (const urn of hpa.propertyDependencies?.spec ?? []) hpaByTarget.set(urn, hpa);
            const target = knownString((hpa.inputs.spec as KubernetesSpec | undefined)?.scaleTargetRef?.name);
            if (target) hpaByTarget.set(`name:${target}`, hpa);
        }
    }
    return {
        resources,
        byUrn: new Map(resources.map((r) => [r.urn, r])),
        ofType: (type) => byType.get(type) ?? [],
        childrenOf: (parent) => byParent.get(parent) ?? [],
        autoscalerOf: (w) => hpaByTarget.get(w.urn) ?? hpaByTarget.get(`name:${knownString((w.inputs.metadata as { name?: unknown } | undefined)?.name)}`),
        catalogue,
    };
}
type Pricer = (r: PlanResource, prices: RegionPrices, where: string, context: Context) => Priced | "unpriced";

const hourly = (p: Price | undefined, count: number, what: string, where: string): Priced | "unpriced" =>
    p ? { monthlyUsd: p.usd * hoursPerMonth * count, basis: `${count} × ${what} × $${p.usd}/h × ${hoursPerMonth} h (${where})` } : "unpriced";

const monthly = (p: Price | undefined, what: string, where: string): Priced | "unpriced" =>
    p ? { monthlyUsd: p.usd, basis: `${what} $${p.usd}/month (${where})` } : "unpriced";

function instances(machine: string | undefined, count: number, countBasis: string, prices: RegionPrices, where: string): Priced | "unpriced" {
    const p = machine ? prices.instanceHour[machine] : undefined;
    if (!p) return "unpriced";
    return {
        monthlyUsd: p.usd * hoursPerMonth * count,
        basis: `${countBasis} ${count} × ${machine} $${p.usd}/h × ${hoursPerMonth} h (${where})`.trim(),
        unit: { count, hourlyUsd: p.usd, what: machine! },
    };
}

/** The resource one of `r`'s inputs came from, of the wanted type; else a sibling of that type (same parent). */
function related(r: PlanResource, context: Context, input: string, type: RegExp): PlanResource | undefined {
    const fromInput = (r.propertyDependencies?.[input] ?? []).map((u) => context.byUrn.get(u)).find((d) => d && type.test(d.type));
    return fromInput ?? context.childrenOf(r.parent).find((s) => s !== r && type.test(s.type));
}

const storageGbMonth = (p: Price | undefined, gb: number, what: string, where: string): Priced | "unpriced" =>
    p ? { monthlyUsd: p.usd * gb, basis: `${what} ${gb} GB × $${p.usd}/GB-month (${where})` } : "unpriced";

/**
 * What the estimate reads of a Kubernetes object's spec (a workload, its HPA, a
 * claim), as the provider's schema shapes it; each value is checked where it is read.
 */
interface KubernetesSpec {
    replicas?: unknown;
    minReplicas?: unknown;
    scaleTargetRef?: { name?: unknown };
    template?: { spec?: { containers?: { resources?: { limits?: Record<string, unknown>; requests?: Record<string, unknown> } }[] } };
    resources?: { requests?: { storage?: unknown } };
}

/** What the estimate reads of a GKE node pool's inputs. */
interface GkeNodePoolInputs {
    nodeCount?: unknown;
    initialNodeCount?: unknown;
    autoscaling?: { minNodeCount?: unknown; totalMinNodeCount?: unknown };
    location?: unknown;
    nodeLocations?: unknown;
    nodeConfig?: { machineType?: unknown };
}

const pricers: Record<string, Pricer> = {
    "aws:autoscaling/group:Group": (r, prices, where, context) => {
        const desired = known(r.inputs.desiredCapacity);
        const count = desired ?? known(r.inputs.minSize) ?? 0;
        const template = related(r, context, "launchTemplate", /^aws:ec2\/launchTemplate:LaunchTemplate$/);
        const mixed = r.inputs.mixedInstancesPolicy as { launchTemplate?: { overrides?: { instanceType?: unknown }[] } } | undefined;
        const machine = knownString(mixed?.launchTemplate?.overrides?.[0]?.instanceType) ?? knownString(template?.inputs.instanceType);
        return instances(machine, count, desired === undefined ? "min size" : "desired capacity", prices, where);
    },
    "aws:ec2/instance:Instance": (r, prices, where) => instances(knownString(r.inputs.instanceType), 1, "", prices, where),
    "aws:lb/loadBalancer:LoadBalancer": (_r, prices, where) => hourly(prices.loadBalancerHour, 1, "load balancer", where),
    "aws:ec2/natGateway:NatGateway": (_r, prices, where) => hourly(prices.natGatewayHour, 1, "NAT gateway", where),
    "aws:ec2/eip:Eip": (_r, prices, where) => hourly(prices.publicIpHour, 1, "public IPv4 address", where),
    "aws:efs/fileSystem:FileSystem": (_r, prices, where, c) =>
        storageGbMonth(prices.sharedStorageGbMonth as Price, c.catalogue.defaults.sharedStorageGb, "EFS, assumed", where),
    "aws:ebs/volume:Volume": (r, prices, where) => storageGbMonth(prices.blockStorageGbMonth, known(r.inputs.size) ?? 0, "EBS", where),
    "aws:eks/cluster:Cluster": (_r, prices, where) => hourly(prices.clusterHour, 1, "EKS cluster", where),
    "aws:secretsmanager/secret:Secret": (_r, prices, where) => monthly(prices.secretMonth, "secret", where),
    "aws:kms/key:Key": (_r, prices, where) => monthly(prices.keyMonth, "KMS key", where),

    "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager": (r, prices, where, c) => gcpGroup(r, prices, where, c),
    "gcp:compute/instanceGroupManager:InstanceGroupManager": (r, prices, where, c) => gcpGroup(r, prices, where, c),
    "gcp:compute/instance:Instance": (r, prices, where) => instances(knownString(r.inputs.machineType), 1, "", prices, where),
    "gcp:container/nodePool:NodePool": (r, prices, where) => {
        const i = r.inputs as GkeNodePoolInputs;
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
        const byTier = prices.sharedStorageGbMonth as Record<string, Price> | undefined;
        const shares = r.inputs.fileShares as { capacityGb?: unknown } | { capacityGb?: unknown }[] | undefined;
        const gb = known(Array.isArray(shares) ? shares[0]?.capacityGb : shares?.capacityGb) ?? 1024;
        return storageGbMonth(byTier?.[tier], gb, `Filestore ${tier}`, where);
    },
    "gcp:secretmanager/secretVersion:SecretVersion": (_r, prices, where) => monthly(prices.secretMonth, "secret version", where),

    "alicloud:ess/scalingGroup:ScalingGroup": (r, prices, where, context) => {
        const desired = known(r.inputs.desiredCapacity);
        const count = desired ?? known(r.inputs.minSize) ?? 0;
        const configs = context.ofType("alicloud:ess/scalingConfiguration:ScalingConfiguration");
        const config = (configs.find((s) => (s.propertyDependencies?.scalingGroupId ?? []).includes(r.urn)) ?? configs.find((s) => s.parent === r.parent))
            ?.inputs as { instanceType?: unknown; instanceTypes?: unknown[] } | undefined;
        const machine = knownString(config?.instanceType) ?? knownString(config?.instanceTypes?.[0]);
        return instances(machine, count, desired === undefined ? "min size" : "desired capacity", prices, where);
    },
    "alicloud:ecs/instance:Instance": (r, prices, where) => instances(knownString(r.inputs.instanceType), 1, "", prices, where),
    "alicloud:alb/loadBalancer:LoadBalancer": (_r, prices, where) => hourly(prices.loadBalancerHour, 1, "ALB instance", where),
    "alicloud:vpc/natGateway:NatGateway": (_r, prices, where) => hourly(prices.natGatewayHour, 1, "NAT gateway", where),
    "alicloud:ecs/eipAddress:EipAddress": (_r, prices, where) => hourly(prices.publicIpHour, 1, "EIP", where),
    "alicloud:nas/fileSystem:FileSystem": (r, prices, where, c) => {
        const gb = known(r.inputs.capacity) ?? c.catalogue.defaults.sharedStorageGb;
        return storageGbMonth(prices.sharedStorageGbMonth as Price, gb, known(r.inputs.capacity) ? "NAS" : "NAS, assumed", where);
    },
    "alicloud:cs/managedKubernetes:ManagedKubernetes": (_r, prices, where) => hourly(prices.clusterHour, 1, "ACK cluster fee", where),
    "alicloud:cs/nodePool:NodePool": (r, prices, where) => {
        const i = r.inputs as { desiredSize?: unknown; scalingConfig?: { minSize?: unknown }; nodeCount?: unknown; instanceTypes?: unknown[] };
        const desired = known(i.desiredSize);
        const count = desired ?? known(i.scalingConfig?.minSize) ?? known(i.nodeCount) ?? 1;
        return instances(knownString(i.instanceTypes?.[0]), count, desired === undefined ? "min size" : "desired size", prices, where);
    },
    "alicloud:kms/secret:Secret": (_r, prices, where) => monthly(prices.secretMonth, "secret", where),
    "alicloud:kms/key:Key": (_r, prices, where) => monthly(prices.keyMonth, "KMS key", where),

    // Links between networks: the connections and tunnels each cloud bills by the hour, and a transit gateway's data processing.
    "aws:ec2/vpnConnection:VpnConnection": (r, prices, where) => {
        const connection = hourly(prices.vpnConnectionHour, 1, "Site-to-Site VPN connection", where);
        if (connection === "unpriced" || !r.inputs.transitGatewayId) return connection;
        const attachment = hourly(prices.transitAttachmentHour, 1, "transit gateway VPN attachment", where);
        return attachment === "unpriced"
            ? attachment
            : { monthlyUsd: connection.monthlyUsd + attachment.monthlyUsd, basis: `${connection.basis} + ${attachment.basis}` };
    },
    "aws:ec2transitgateway/vpcAttachment:VpcAttachment": (_r, prices, where, c) => {
        const attachment = hourly(prices.transitAttachmentHour, 1, "transit gateway VPC attachment", where);
        const gb = c.catalogue.defaults.linkDataGb;
        if (attachment === "unpriced" || !prices.transitDataGb) return "unpriced";
        const processing = prices.transitDataGb.usd * gb;
        return {
            monthlyUsd: attachment.monthlyUsd + processing,
            basis: `${attachment.basis} + ${gb} GB processed, assumed, × $${prices.transitDataGb.usd}/GB`,
        };
    },
    "gcp:compute/vPNTunnel:VPNTunnel": (_r, prices, where) => hourly(prices.vpnConnectionHour, 1, "HA VPN tunnel", where),
    "alicloud:vpn/gateway:Gateway": (r, prices, where) => {
        const bandwidth = known(r.inputs.bandwidth);
        return hourly(bandwidth === undefined ? undefined : prices.vpnGatewayHour?.[String(bandwidth)], 1, `VPN gateway of ${bandwidth} Mbit/s`, where);
    },
};

function gcpGroup(r: PlanResource, prices: RegionPrices, where: string, context: Context): Priced | "unpriced" {
    const target = known(r.inputs.targetSize);
    const autoscalers = [...context.ofType("gcp:compute/regionAutoscaler:RegionAutoscaler"), ...context.ofType("gcp:compute/autoscaler:Autoscaler")];
    const autoscaler = autoscalers.find((s) => (s.propertyDependencies?.target ?? []).includes(r.urn)) ?? autoscalers.find((s) => s.parent === r.parent);
    const count = target ?? known((autoscaler?.inputs.autoscalingPolicy as { minReplicas?: unknown } | undefined)?.minReplicas) ?? 1;
    const template = related(r, context, "versions", /^gcp:compute\/(regionI|i)nstanceTemplate:/);
    return instances(knownString(template?.inputs.machineType), count, target === undefined ? "autoscaler minimum" : "target size", prices, where);
}

/** Kubernetes quantities: CPU in cores, memory and storage in bytes. */
export function quantity(value: unknown): number | undefined {
    const text = typeof value === "number" ? String(value) : knownString(value);
    const m = text ? /^(\d+(?:\.\d+)?)(m|k|M|G|T|P|Ki|Mi|Gi|Ti|Pi)?$/.exec(text.trim()) : null;
    if (!m) return undefined;
    const scale: Record<string, number> = {
        m: 1e-3,
        k: 1e3,
        M: 1e6,
        G: 1e9,
        T: 1e12,
        P: 1e15,
        Ki: 2 ** 10,
        Mi: 2 ** 20,
        Gi: 2 ** 30,
        Ti: 2 ** 40,
        Pi: 2 ** 50,
    };
    return Number(m[1]) * (m[2] ? scale[m[2]] : 1);
}

/** The vCPUs and GiB one pod requests (a limit stands for a missing request, as Kubernetes defaults it). */
function podRequests(template: KubernetesSpec["template"]): { vcpu: number; gib: number } {
    let vcpu = 0;
    let gib = 0;
    for (const c of template?.spec?.containers ?? []) {
        const req = { ...c.resources?.limits, ...c.resources?.requests };
        vcpu += quantity(req.cpu) ?? 0;
        gib += (quantity(req.memory) ?? 0) / 2 ** 30;
    }
    return { vcpu, gib };
}

const round = (n: number, digits = 3) => Math.round(n * 10 ** digits) / 10 ** digits;

/** What a cloud priced by requests shows back for an object: pods × requests × rate, or a claim's storage. */
function showback(r: PlanResource, card: RateCard, context: Context): Priced | undefined {
    const spec = (r.inputs.spec ?? {}) as KubernetesSpec;
    if (/^kubernetes:apps\/v1:(Deployment|StatefulSet|ReplicaSet)$/.test(r.type)) {
        const hpa = context.autoscalerOf(r);
        const replicas = known(spec.replicas) ?? known((hpa?.inputs.spec as KubernetesSpec | undefined)?.minReplicas) ?? 1;
        const pod = podRequests(spec.template);
        const podHourly = pod.vcpu * card.vcpuHour.usd + pod.gib * card.memoryGibHour.usd;
        return {
            monthlyUsd: replicas * podHourly * hoursPerMonth,
            basis: `${replicas} pods × (${round(pod.vcpu)} vCPU × $${card.vcpuHour.usd}/vCPU-h + ${round(pod.gib)} GiB × $${card.memoryGibHour.usd}/GiB-h) × ${hoursPerMonth} h (rate card)`,
            unit: { count: replicas, hourlyUsd: podHourly, what: "pod" },
        };
    }
    if (r.type === "kubernetes:core/v1:PersistentVolumeClaim") {
        const storage = spec.resources?.requests?.storage;
        const bytes = quantity(storage);
        if (bytes === undefined) return undefined;
        const gb = round(bytes / 1e9, 2);
        return { monthlyUsd: gb * card.storageGbMonth.usd, basis: `${String(storage)} = ${gb} GB × $${card.storageGbMonth.usd}/GB-month (rate card)` };
    }
    return undefined;
}

/** An ECS task's share of its cluster's instances: the larger of its CPU and memory fractions of one instance. */
function ecsTaskUnit(service: PlanResource, context: Context, pricesOf: (r: PlanResource) => RegionPrices | undefined): Unit | undefined {
    const task = (service.propertyDependencies?.taskDefinition ?? [])
        .map((u) => context.byUrn.get(u))
        .find((t) => t?.type === "aws:ecs/taskDefinition:TaskDefinition");
    const provider = (service.propertyDependencies?.capacityProviderStrategies ?? [])
        .map((u) => context.byUrn.get(u))
        .find((p) => p?.type === "aws:ecs/capacityProvider:CapacityProvider");
    const group =
        provider &&
        (provider.propertyDependencies?.autoScalingGroupProvider ?? []).map((u) => context.byUrn.get(u)).find((g) => g?.type === "aws:autoscaling/group:Group");
    const template = group && related(group, context, "launchTemplate", /^aws:ec2\/launchTemplate:LaunchTemplate$/);
    const machine = knownString(template?.inputs.instanceType);
    const price = machine && group ? pricesOf(group)?.instanceHour[machine] : undefined;
    if (!task || !price?.vcpu || !price.memoryGib) return undefined;
    let cpu = known(task.inputs.cpu);
    let memory = known(task.inputs.memory);
    if (cpu === undefined || memory === undefined) {
        let containers: { cpu?: number; memory?: number; memoryReservation?: number }[] = [];
        try {
            containers = JSON.parse(String(task.inputs.containerDefinitions));
        } catch {
            return undefined;
        }
        cpu ??= containers.reduce((sum, c) => sum + (c.cpu ?? 0), 0);
        memory ??= containers.reduce((sum, c) => sum + (c.memory ?? c.memoryReservation ?? 0), 0);
    }
    const share = Math.max(cpu / 1024 / price.vcpu, memory / 1024 / price.memoryGib);
    return { count: known(service.inputs.desiredCount) ?? 0, hourlyUsd: share * price.usd, what: `task (${round(share, 2)} of a ${machine})` };
}

/** The region a resource runs in: its own input, its provider's, the caller's, or the catalogue's default. */
function regionOf(r: PlanResource, cloud: string, byUrn: Map<string, PlanResource>, options: CostOptions, catalogue: PriceCatalogue): string | undefined {
    const own = knownString(r.inputs.region);
    if (own) return own;
    const providerUrn = r.provider?.slice(0, r.provider.lastIndexOf("::"));
    const fromProvider = providerUrn ? knownString(byUrn.get(providerUrn)?.inputs.region) : undefined;
    return fromProvider ?? options.regions?.[cloud] ?? catalogue.defaults.regions[cloud];
}

export function estimateCost(resources: PlanResource[], options: CostOptions): CostEstimate {
    const { catalogue, rateCards, source } = options.prices;
    const free = catalogue.free.map(glob);
    const usageBased = catalogue.usageBased.map(glob);
    const context = contextOf(resources, catalogue);
    const byUrn = context.byUrn;
    const cloudOf = cloudResolver(resources, options.cloudTable);
    const attribute = attributor(resources, { cloudOf, costTags: options.costTags, namespaceShowback: Object.keys(rateCards), stackTags: options.stackTags });
    const estimate: CostEstimate = {
        monthlyUsd: 0,
        byCloud: {},
        byWorkload: {},
        byEnvironment: {},
        byCostCenter: {},
        allocations: [],
        throughStackUsd: 0,
        byResource: [],
        unpriced: [],
        unpricedRegions: [],
        campaigns: [],
        budgets: [],
    };
    const unpriced = new Set<string>();
    const unpricedRegions = new Set<string>();
    const units = new Map<string, Unit>();
    const add = (map: Record<string, number>, key: string, usd: number) => (map[key] = (map[key] ?? 0) + usd);
    const allocations = new Map<string, CostEstimate["allocations"][number]>();

    const pricesOf = (r: PlanResource, cloud: string) => {
        const region = regionOf(r, cloud, byUrn, options, catalogue);
        return { region, prices: region ? catalogue.prices[cloud]?.[region] : undefined };
    };

    for (const r of resources) {
        if (!r.custom || r.type.startsWith("pulumi:")) continue;
        const cloud = cloudOf(r);
        estimate.byCloud[cloud] ??= 0;
        const card = rateCards[cloud];
        let priced: Priced | "unpriced" | undefined = card ? showback(r, card, context) : undefined;
        if (!priced) {
            if (free.some((f) => f.test(r.type))) continue;
            if (usageBased.some((u) => u.test(r.type))) {
                priced = { monthlyUsd: 0, basis: "billed by use; not estimated" };
            } else if (pricers[r.type]) {
                const { region, prices } = pricesOf(r, cloud);
                if (prices) priced = pricers[r.type](r, prices, region!, context);
                else {
                    unpricedRegions.add(`${cloud} ${region ?? "(no region)"}`);
                    priced = { monthlyUsd: 0, basis: `no prices for ${cloud} ${region ?? "(no region)"} in ${source}: not priced as another region` };
                }
            } else {
                priced = "unpriced";
            }
        }
        if (priced === "unpriced") {
            unpriced.add(r.type);
            priced = { monthlyUsd: 0, basis: `no price in ${source}` };
        }
        if (priced.unit) units.set(r.urn, priced.unit);
        const attribution = attribute(r);
        estimate.byResource.push({ urn: r.urn, type: r.type, cloud, monthlyUsd: cents(priced.monthlyUsd), basis: priced.basis, attribution });
        estimate.byCloud[cloud] += priced.monthlyUsd;
        add(estimate.byWorkload, attribution.workload, priced.monthlyUsd);
        add(estimate.byEnvironment, attribution.environment, priced.monthlyUsd);
        add(estimate.byCostCenter, attribution.costCenter, priced.monthlyUsd);
        if (attribution.via.startsWith("its stack")) estimate.throughStackUsd += priced.monthlyUsd;
        const key = [attribution.workload, attribution.environment, attribution.costCenter, cloud].join("\u0000");
        const allocation = allocations.get(key) ?? {
            workload: attribution.workload,
            environment: attribution.environment,
            costCenter: attribution.costCenter,
            cloud,
            monthlyUsd: 0,
        };
        allocation.monthlyUsd += priced.monthlyUsd;
        allocations.set(key, allocation);
        estimate.monthlyUsd += priced.monthlyUsd;
    }

    const now = options.now ?? new Date();
    estimate.campaigns = campaignWindows(resources, { now }).map((w) =>
        campaignCost(w, units, context, cloudOf, attribute, (g) => pricesOf(g, cloudOf(g)).prices, now),
    );

    estimate.monthlyUsd = cents(estimate.monthlyUsd);
    estimate.throughStackUsd = cents(estimate.throughStackUsd);
    for (const map of [estimate.byCloud, estimate.byWorkload, estimate.byEnvironment, estimate.byCostCenter])
        for (const k of Object.keys(map)) map[k] = cents(map[k]);
    estimate.allocations = [...allocations.values()].map((a) => ({ ...a, monthlyUsd: cents(a.monthlyUsd) }));
    estimate.unpriced = [...unpriced].sort();
    estimate.unpricedRegions = [...unpricedRegions].sort();
    const upcoming: CampaignSpend[] = estimate.campaigns
        .filter((c) => !c.ended)
        .map((c) => ({ workload: c.workload, environment: c.environment, cloud: c.cloud, month: c.start.slice(0, 7), usd: c.usd }));
    estimate.budgets = checkBudgets(estimate.allocations, upcoming, options.budgets ?? []);
    return estimate;
}

function campaignCost(
    w: CampaignWindow,
    units: Map<string, Unit>,
    context: Context,
    cloudOf: (r: PlanResource) => string,
    attribute: (r: PlanResource) => Attribution,
    pricesOf: (r: PlanResource) => RegionPrices | undefined,
    now: Date,
): CampaignCost {
    const unit = units.get(w.group.urn) ?? (w.group.type === "aws:ecs/service:Service" ? ecsTaskUnit(w.group, context, pricesOf) : undefined);
    const hours = round((w.end.getTime() - w.start.getTime()) / 3_600_000, 2);
    const extra = unit ? Math.max(0, w.capacity - unit.count) : 0;
    const usd = unit ? cents(extra * unit.hourlyUsd * hours) : 0;
    const basis = unit
        ? `${extra} extra × ${unit.what} $${round(unit.hourlyUsd, 4)}/h × ${hours} h (minimum ${w.capacity} over ${unit.count})`
        : "no unit price for the group: its extra capacity is not estimated";
    const { workload, environment } = attribute(w.group);
    return {
        campaign: w.campaign,
        urn: w.group.urn,
        cloud: cloudOf(w.group),
        workload,
        environment,
        start: w.start.toISOString(),
        end: w.end.toISOString(),
        hours,
        usd,
        basis,
        ended: w.end.getTime() <= now.getTime(),
    };
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

type Comparable = Pick<CostEstimate, "monthlyUsd" | "byCloud" | "byWorkload" | "unpriced"> & {
    byResource: Pick<PricedResource, "urn" | "type" | "monthlyUsd">[];
};

/** What a change does to the monthly cost: in total, per cloud, per workload and per resource. */
export function costChange(base: Comparable | undefined, head: Comparable): CostChange {
    const before: Comparable = base ?? { monthlyUsd: 0, byCloud: {}, byWorkload: {}, byResource: [], unpriced: [] };
    const baseByUrn = new Map(before.byResource.map((r) => [r.urn, r]));
    const headByUrn = new Map(head.byResource.map((r) => [r.urn, r]));
    const byResource = [...new Set([...baseByUrn.keys(), ...headByUrn.keys()])]
        .map((urn) => ({
            urn,
            type: (headByUrn.get(urn) ?? baseByUrn.get(urn))!.type,
            ...delta(baseByUrn.get(urn)?.monthlyUsd ?? 0, headByUrn.get(urn)?.monthlyUsd ?? 0),
        }))
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
