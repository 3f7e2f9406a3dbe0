/**
 * The one answer to "which cloud does this resource run on", for the cost
 * estimate, the summaries and the diagram.
 *
 * A resource runs on the cloud of the provider it is created with. A provider of
 * a cloud's own package (`aws`, `gcp`, `alicloud`) is that cloud's. A provider of
 * a package whose objects live inside a cluster (Kubernetes) is the cloud of the
 * cluster its inputs were made from (a GKE cluster's kubeconfig makes a GCP
 * provider), and otherwise the cloud the table names for that package (a
 * kubeconfig of a cluster the table places). A component runs where its
 * resources run. Names never decide: a component named for Kubernetes whose
 * objects run on GKE is on GCP.
 */
import type { PlanResource } from "./model";

/**
 * Provider package -> the cloud it stands for, and the packages whose objects run
 * inside a cluster: a project's own facts, which the plan never guesses. A package
 * the table does not name is a cloud of its own name.
 */
export interface CloudTable {
    clouds: Record<string, string>;
    /** Packages whose resources run on whichever cluster their provider points at. */
    inCluster: string[];
}

/** The engine's own types (the stack, providers of no cloud, stack references). */
export const engineCloud = "pulumi";

type Located = Pick<PlanResource, "urn" | "type"> & Partial<Pick<PlanResource, "custom" | "parent" | "provider" | "dependsOn" | "propertyDependencies">>;

/** The package of a type token: `aws` for `aws:ec2/vpc:Vpc` and for `pulumi:providers:aws`. */
export function packageOf(type: string): string {
    return type.startsWith("pulumi:providers:") ? type.slice("pulumi:providers:".length) : type.split(":")[0];
}

/** The cloud of a package alone, for a resource no plan holds (its provider unknown). */
function cloudOfPackage(pkg: string, table: CloudTable): string {
    return table.clouds[pkg] ?? (pkg === "pulumi" ? engineCloud : pkg);
}

const providerUrnOf = (reference: string | undefined) => (reference ? reference.slice(0, reference.lastIndexOf("::")) : undefined);

/**
 * A resolver over one plan's resources: `resolve(r)` is the cloud `r` runs on.
 * A resource the plan does not hold (a delete against the base) is placed by its
 * package alone.
 */
export function cloudResolver(resources: readonly PlanResource[], table: CloudTable): (r: Located) => string {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const children = new Map<string, PlanResource[]>();
    for (const r of resources) {
        if (!r.parent) continue;
        const siblings = children.get(r.parent);
        if (siblings) siblings.push(r);
        else children.set(r.parent, [r]);
    }
    const memo = new Map<string, string>();
    const ofPackage = (pkg: string) => cloudOfPackage(pkg, table);

    const providerCloud = (provider: Located, seen: Set<string>): string => {
        const pkg = packageOf(provider.type);
        if (!table.inCluster.includes(pkg)) return ofPackage(pkg);
        // The cluster the provider's inputs (its kubeconfig) were read from, else what it depends on.
        const sources = [...Object.values(provider.propertyDependencies ?? {}).flat(), ...(provider.dependsOn ?? [])];
        for (const urn of sources) {
            const source = byUrn.get(urn);
            if (!source || !source.custom || table.inCluster.includes(packageOf(source.type))) continue;
            const cloud = resolve(source, seen);
            if (cloud !== engineCloud) return cloud;
        }
        return ofPackage(pkg);
    };

    const resolve = (r: Located, seen = new Set<string>()): string => {
        const known = memo.get(r.urn);
        if (known) return known;
        if (seen.has(r.urn)) return ofPackage(packageOf(r.type));
        seen.add(r.urn);
        let cloud: string;
        if (r.type.startsWith("pulumi:providers:")) {
            cloud = providerCloud(r, seen);
        } else if (r.type.startsWith("pulumi:")) {
            cloud = engineCloud;
        } else if (r.custom === false) {
            cloud = componentCloud(r, seen);
        } else {
            const provider = byUrn.get(providerUrnOf(r.provider) ?? "");
            cloud = provider ? providerCloud(provider, seen) : ofPackage(packageOf(r.type));
        }
        memo.set(r.urn, cloud);
        return cloud;
    };

    /** The cloud most of a component's resources run on; its parent's when it has none. */
    const componentCloud = (component: Located, seen: Set<string>): string => {
        const counts = new Map<string, number>();
        const walk = (urn: string) => {
            for (const child of children.get(urn) ?? []) {
                if (child.custom && !child.type.startsWith("pulumi:")) {
                    const cloud = resolve(child, seen);
                    counts.set(cloud, (counts.get(cloud) ?? 0) + 1);
                }
                walk(child.urn);
            }
        };
        walk(component.urn);
        const top = [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0];
        if (top) return top[0];
        const parent = component.parent ? byUrn.get(component.parent) : undefined;
        return parent && !parent.type.startsWith("pulumi:") ? resolve(parent, seen) : engineCloud;
    };

    return (r) => resolve(byUrn.get(r.urn) ?? r);
}
