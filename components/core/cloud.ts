/**
 * What is true of one cloud, declared once in that cloud's folder
 * (components/<cloud>/cloud.ts) and read by everything that loops over clouds:
 * the configuration schema, the placement checks, the policies' cloud table, the
 * offline plan's cloud resolver, the docs. A descriptor imports no provider SDK,
 * so reading it costs nothing; its kit loads only when a stack places a workload
 * there.
 */
import type { Capability } from "./capabilities";
import type { CreateKit } from "../contracts";
import type { Size } from "./sizes";

/** A value's format on one cloud, with the words an error message uses for it. */
export interface Format {
    pattern: RegExp;
    what: string;
}

export interface CloudDescriptor<Id extends string = string> {
    id: Id;
    /** The cloud's name in prose and tables. */
    title: string;
    /** Component type tokens of this cloud's kit are `<componentTypePrefix>:<Component>`. */
    componentTypePrefix: string;
    /** The Pulumi provider package whose resources run on this cloud. */
    providerPackage: string;
    /** The provider package's name in prose and tables. */
    providerTitle: string;
    /**
     * Whether the package's resources run inside a cluster: then a resource runs
     * on whichever cloud runs the cluster its provider points at, and on this
     * cloud only when no managed cluster of another cloud is behind it.
     */
    inCluster: boolean;
    /** Where the cloud has regions: the stack's default, the format of a name, and the regions data may live in by default (the EU). */
    region?: { default: string; format: Format; allowedByDefault: readonly string[] };
    /** The cloud's own type of each neutral size. */
    sizes: Readonly<Record<Size, string>>;
    /** A TLS certificate of an HTTPS listener, as the stack file names it. */
    certificate: Format;
    /** An immutable VM image, where the cloud runs VMs of a stack's own image. */
    image?: Format;
    /** The optional contract fields and operations its kit cannot honour, each with why. */
    lacks: Partial<Record<Capability, string>>;
    /** Types of this cloud's managed Kubernetes clusters, whose objects run on this cloud. */
    managedClusterTypes: readonly string[];
    /** Text in a kubeconfig that says its cluster is this cloud's managed cluster. */
    kubeconfigHint?: RegExp;
    /** The kit module, loaded on demand: each provider SDK costs most of a second to load. */
    loadKit(): { createKit: CreateKit };
}
