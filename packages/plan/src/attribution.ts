/**
 * Who pays for a resource, as its cloud's bill will say: the workload,
 * environment and cost center on the bill line the resource produces.
 *
 * A bill line carries the labels of what the cloud actually meters, which is not
 * always the resource the program declares: a managed instance group's VMs carry
 * their instance template's labels, a GKE node pool's nodes its
 * `nodeConfig.resourceLabels`, an autoscaling group's instances the tags it
 * propagates at launch, an ESS group's instances its scaling configuration's
 * tags, and a cluster shown back by namespace its namespaces' labels. A resource
 * its cloud cannot label at all (a Cloud NAT gateway) is billed to no tag: it is
 * attributed through its stack, and says so.
 *
 * Which keys name who pays, and where each type keeps its tags, are the
 * project's (its `costTags` option).
 */
import type { PlanResource } from "./model";

/** The project's cost-tag keys and where each resource type keeps its tags. */
export interface CostTags {
    /** The tag keys that say who pays. */
    keys: { workload: string; environment: string; costCenter: string };
    /** Whether a resource of the type can carry tags at all. */
    taggable: (type: string) => boolean;
    /**
     * The tags a resource carries, key -> value (undefined where a value is not
     * known yet); undefined when its type takes none or its tags are not known yet.
     */
    read: (type: string, inputs: Record<string, unknown>) => Map<string, unknown> | Record<string, unknown> | undefined;
}

export interface Attribution {
    workload: string;
    environment: string;
    costCenter: string;
    /** Where the values come from: the resource's own tags, what it inherits them from, or its stack. */
    via: string;
}

export type StackTags = Omit<Attribution, "via">;

/** The value for a resource that carries no cost tags although its cloud could label it. */
export const untagged = "untagged";

const knownString = (value: unknown) => (typeof value === "string" && value !== "" && !/^\[.*\]$/.test(value) ? value : undefined);

type Tags = Partial<StackTags>;

/** The cost tags in a tag map (a `Map` or a plain object). */
function costTagsOf(keys: CostTags["keys"], tags: Map<string, unknown> | Record<string, unknown> | undefined): Tags | undefined {
    if (!tags) return undefined;
    const get = (key: string) => knownString(tags instanceof Map ? tags.get(key) : tags[key]);
    const found = { workload: get(keys.workload), environment: get(keys.environment), costCenter: get(keys.costCenter) };
    return found.workload || found.environment || found.costCenter ? found : undefined;
}

/** The resource's own cost tags, where the project says its type keeps them. */
function ownCostTags(costTags: CostTags, r: Pick<PlanResource, "type" | "inputs">): Tags | undefined {
    return costTagsOf(costTags.keys, costTags.read(r.type, r.inputs));
}

const complete = (t: Tags | undefined): t is StackTags => Boolean(t?.workload && t.environment && t.costCenter);

/**
 * The stack's cost tags: the set the stack's own resources carry (one
 * stack-wide transform puts the same set on each), the most common one when
 * they differ.
 */
export function stackTagsOf(resources: readonly PlanResource[], costTags: CostTags): StackTags | undefined {
    const counts = new Map<string, { tags: StackTags; n: number }>();
    for (const r of resources) {
        const tags = r.custom ? ownCostTags(costTags, r) : undefined;
        if (!complete(tags)) continue;
        const key = `${tags.workload}\u0000${tags.environment}\u0000${tags.costCenter}`;
        counts.set(key, { tags: { workload: tags.workload, environment: tags.environment, costCenter: tags.costCenter }, n: (counts.get(key)?.n ?? 0) + 1 });
    }
    return [...counts.values()].sort((a, b) => b.n - a.n)[0]?.tags;
}

/** A resource whose bill lines belong to another resource: the input that names it and what the bill goes by. */
const billedThrough: Record<string, { input: string; via: string }> = {
    "gcp:secretmanager/secretVersion:SecretVersion": { input: "secret", via: "its secret's labels (versions are billed to the secret)" },
    "alicloud:log/store:Store": { input: "projectName", via: "its log project's tags (Simple Log Service bills the project)" },
};

export interface AttributionOptions {
    /** The cloud each resource runs on (the plan's one resolver). */
    cloudOf: (r: PlanResource) => string;
    /** The project's cost tags; without them every resource is untagged. */
    costTags?: CostTags;
    /** Clouds whose showback goes by Kubernetes namespace (the private cloud). */
    namespaceShowback: readonly string[];
    /** The stack's tags; derived from its resources when not given. */
    stackTags?: StackTags;
}

/** Attributes each resource of one plan; `attribute(r)` answers for one of them. */
export function attributor(resources: readonly PlanResource[], options: AttributionOptions): (r: PlanResource) => Attribution {
    const costTags = options.costTags;
    if (!costTags) return () => ({ workload: untagged, environment: untagged, costCenter: untagged, via: "no cost tags (the project names none)" });
    const ownTags = (r: Pick<PlanResource, "type" | "inputs">) => ownCostTags(costTags, r);
    const tagsIn = (tags: Map<string, unknown> | Record<string, unknown> | undefined) => costTagsOf(costTags.keys, tags);
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const byType = new Map<string, PlanResource[]>();
    const byParent = new Map<string | undefined, PlanResource[]>();
    for (const r of resources) {
        for (const [index, key] of [
            [byType, r.type],
            [byParent, r.parent],
        ] as const) {
            const list = (index as Map<string | undefined, PlanResource[]>).get(key);
            if (list) list.push(r);
            else (index as Map<string | undefined, PlanResource[]>).set(key, [r]);
        }
    }
    const namespaces = new Map<string, PlanResource>();
    for (const ns of byType.get("kubernetes:core/v1:Namespace") ?? []) {
        const name = knownString((ns.inputs.metadata as { name?: unknown } | undefined)?.name);
        if (name) namespaces.set(name, ns);
    }
    const stack = options.stackTags ?? stackTagsOf(resources, costTags);
    const providerOf = (r: PlanResource) => byUrn.get(r.provider?.slice(0, r.provider.lastIndexOf("::")) ?? "");
    /** The resource one of `r`'s inputs came from, of the wanted type. */
    const fromInput = (r: PlanResource, input: string | undefined, type: RegExp) =>
        (input ? (r.propertyDependencies?.[input] ?? []) : Object.values(r.propertyDependencies ?? {}).flat())
            .map((urn) => byUrn.get(urn))
            .find((d): d is PlanResource => Boolean(d && type.test(d.type)));
    /** The resource of a type that names `r` in one of its inputs (a configuration that points at its group). */
    const pointingAt = (r: PlanResource, type: string, input: string) =>
        (byType.get(type) ?? []).find((s) => (s.propertyDependencies?.[input] ?? []).includes(r.urn));
    const sibling = (r: PlanResource, type: RegExp) => (byParent.get(r.parent) ?? []).find((s) => s !== r && type.test(s.type));

    const withVia = (tags: Tags | undefined, via: string): Attribution | undefined => {
        if (!tags?.workload) return undefined;
        return {
            workload: tags.workload,
            environment: tags.environment ?? stack?.environment ?? untagged,
            costCenter: tags.costCenter ?? stack?.costCenter ?? untagged,
            via,
        };
    };

    /** Tags the cloud puts on the bill lines of what `r` makes, when they come from elsewhere. */
    const inherited = (r: PlanResource): Attribution | undefined => {
        switch (r.type) {
            case "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager":
            case "gcp:compute/instanceGroupManager:InstanceGroupManager": {
                const template =
                    fromInput(r, "versions", /InstanceTemplate$/) ?? fromInput(r, undefined, /InstanceTemplate$/) ?? sibling(r, /InstanceTemplate$/);
                return template && withVia(ownTags(template), "its instance template's labels (the group's VMs carry them)");
            }
            case "gcp:container/nodePool:NodePool":
                return withVia(ownTags(r), "its nodeConfig.resourceLabels (the pool's nodes carry them)");
            case "aws:autoscaling/group:Group": {
                const propagated = ((r.inputs.tags as { key?: unknown; value?: unknown; propagateAtLaunch?: unknown }[] | undefined) ?? []).filter(
                    (t) => t && (t.propagateAtLaunch === true || t.propagateAtLaunch === "true"),
                );
                const fromGroup = tagsIn(Object.fromEntries(propagated.map((t) => [String(t.key), t.value])));
                if (fromGroup?.workload) return withVia(fromGroup, "the tags it propagates at launch (its instances carry them)");
                const template = fromInput(r, "launchTemplate", /launchTemplate:LaunchTemplate$/) ?? sibling(r, /launchTemplate:LaunchTemplate$/);
                const specs = (template?.inputs.tagSpecifications as { resourceType?: string; tags?: Record<string, unknown> }[] | undefined) ?? [];
                return withVia(tagsIn(specs.find((s) => s?.resourceType === "instance")?.tags), "its launch template's instance tags");
            }
            case "alicloud:ess/scalingGroup:ScalingGroup": {
                const config =
                    pointingAt(r, "alicloud:ess/scalingConfiguration:ScalingConfiguration", "scalingGroupId") ??
                    sibling(r, /ess\/scalingConfiguration:ScalingConfiguration$/);
                return config && withVia(ownTags(config), "its scaling configuration's tags (the group's instances carry them)");
            }
        }
        const through = billedThrough[r.type];
        if (through) {
            const owner = fromInput(r, through.input, /./);
            return owner && withVia(ownTags(owner), through.via);
        }
        return undefined;
    };

    /** On a cloud whose showback goes by namespace: the labels of the object's namespace. */
    const namespaceOf = (r: PlanResource): Attribution | undefined => {
        if (!r.type.startsWith("kubernetes:") || !options.namespaceShowback.includes(options.cloudOf(r))) return undefined;
        if (r.type === "kubernetes:core/v1:Namespace") return withVia(ownTags(r), "its own labels (showback by namespace)");
        const name = knownString((r.inputs.metadata as { namespace?: unknown } | undefined)?.namespace);
        const namespace = fromInput(r, "metadata", /^kubernetes:core\/v1:Namespace$/) ?? (name ? namespaces.get(name) : undefined);
        return namespace && withVia(ownTags(namespace), "its namespace's labels (showback by namespace)");
    };

    /** Tags a provider puts on every taggable resource it creates (AWS `defaultTags`, GCP `defaultLabels`). */
    const providerDefaults = (r: PlanResource): Attribution | undefined => {
        if (!costTags.taggable(r.type)) return undefined;
        const inputs = (providerOf(r)?.inputs ?? {}) as {
            defaultTags?: { tags?: Record<string, unknown> } | string;
            defaultLabels?: Record<string, unknown> | string;
        };
        const parse = <T>(v: T | string | undefined): T | undefined => {
            if (typeof v !== "string") return v;
            try {
                return JSON.parse(v) as T;
            } catch {
                return undefined;
            }
        };
        return withVia(tagsIn(parse(inputs.defaultTags)?.tags ?? parse(inputs.defaultLabels)), "its provider's default tags");
    };

    return (r) => {
        const found = inherited(r) ?? namespaceOf(r) ?? withVia(ownTags(r), "its own tags") ?? providerDefaults(r);
        if (found) return found;
        // A type its cloud can label but that carries no tags is untagged: the bill will show it so.
        if (costTags.taggable(r.type) || !stack) return { workload: untagged, environment: untagged, costCenter: untagged, via: "no cost tags" };
        return { ...stack, via: "its stack (its cloud cannot label it)" };
    };
}
