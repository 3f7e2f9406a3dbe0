/**
 * The clouds, as the pack knows them: cloud-table.json, written from the clouds'
 * descriptors (components/<cloud>/cloud.ts) by `npm run generate:clouds`,
 * because `pulumi policy publish` uploads policies/ alone. Policies that loop
 * over clouds read this table instead of listing clouds again.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export type Cloud = string;

export interface CloudEntry {
    id: Cloud;
    title: string;
    providerPackage: string;
    /** Its package's resources run inside a cluster, on the cloud that runs the cluster. */
    inCluster: boolean;
    /** Regions data may live in unless the policy's configuration says otherwise; absent where the cloud has no regions. */
    allowedRegions?: string[];
    managedClusterTypes: string[];
    /** A RegExp source: text in a kubeconfig that says its cluster is this cloud's managed cluster. */
    kubeconfigHint?: string;
}

// Read, not imported: the pack is started by the CLI's runner, whose TypeScript settings are not ours.
export const cloudEntries: CloudEntry[] = JSON.parse(fs.readFileSync(path.join(__dirname, "cloud-table.json"), "utf8")).clouds;

export const cloudIds: Cloud[] = cloudEntries.map((c) => c.id);

/** The clouds with regions, each with the regions allowed by default. */
export const defaultAllowedRegions: Record<Cloud, string[]> = Object.fromEntries(
    cloudEntries.flatMap((c) => (c.allowedRegions ? [[c.id, c.allowedRegions]] : [])),
);

/** Managed Kubernetes clusters, by the cloud that runs them. */
export const managedClusterTypes: Record<string, Cloud> = Object.fromEntries(cloudEntries.flatMap((c) => c.managedClusterTypes.map((t) => [t, c.id])));

/** Hints in a known kubeconfig that its cluster is a cloud's managed cluster. */
export const kubeconfigHints: [RegExp, Cloud][] = cloudEntries.flatMap((c) =>
    c.kubeconfigHint ? [[new RegExp(c.kubeconfigHint), c.id] as [RegExp, Cloud]] : [],
);

const ownCloudOfPackage = new Map(cloudEntries.filter((c) => !c.inCluster).map((c) => [c.providerPackage, c.id]));

/** The cloud of a resource by its package, where the package is a cloud's own; undefined for in-cluster packages and others. */
export function cloudOfType(type: string): Cloud | undefined {
    return ownCloudOfPackage.get(type.split(":")[0]);
}

/** The cloud of a package whose resources run inside a cluster, when no managed cluster is behind them. */
export const inClusterCloud = (pkg: string): Cloud | undefined => cloudEntries.find((c) => c.inCluster && c.providerPackage === pkg)?.id;

/** The clouds' provider packages. */
export const cloudPackages: string[] = cloudEntries.map((c) => c.providerPackage);
