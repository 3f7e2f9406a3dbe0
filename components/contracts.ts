/**
 * Cloud-neutral contracts. Every cloud kit (components/aws, gcp, alicloud, onprem)
 * implements each contract with its own resources; the conformance suite
 * (test/conformance) holds every kit to the guarantees written here.
 *
 * A contract states what a component must give on every cloud. The stacks reach
 * the components through the kits and these contracts only. A program that needs
 * a property no kit sets (a customer-managed key, a team's label) passes a
 * transformation in the kit call's options (`KitOptions.transformations`): it sees
 * each resource the component creates (type, name, inputs, options) and may change
 * what is registered. What a component guarantees and a transformation could undo
 * is held again by the policy pack, at preview, on the raw resources: a
 * `pulumi.com/skipAwait` annotation on a workload, for example, is refused by
 * `k8s-rollout-awaited`.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Capability } from "./core/capabilities";
import type { Size } from "./core/sizes";

export type { Size } from "./core/sizes";

export type { Cloud } from "./clouds";
import type { Cloud } from "./clouds";

export const environments = ["dev", "prod"] as const;
export type Environment = (typeof environments)[number];

/** Settings every component takes. */
export interface CommonArgs {
    /** prod turns on backups, deletion protection, access logs, more zones. */
    environment: Environment;
}

/**
 * Network: a private network from one CIDR block, spread over zones.
 * Guarantees: workloads get private subnets only (no public addresses on
 * instances); egress to the internet goes through managed NAT; traffic logs on.
 */
export interface NetworkSpec extends CommonArgs {
    /** The block from the address plan, e.g. "10.16.0.0/16". */
    cidr: string;
    /** Number of zones: 2 in dev and 3 in prod unless configured. */
    zoneCount: number;
    /**
     * Ranges for pods and services of a Kubernetes cluster on the network, from
     * the address plan; a cloud that needs them carves them from `cidr` otherwise.
     */
    secondaryRanges?: { pods: string; services: string };
}

export interface NetworkOutputs {
    /** The cloud's id (or self link) of the network. */
    networkId: pulumi.Output<string>;
    /** CIDR blocks of the private subnets that workloads run in. */
    privateCidrs: string[];
}

/**
 * VmGroup: an autoscaling group of identical instances (on Kubernetes, pods).
 * Guarantees: an immutable image id; min <= desired <= max; a CPU target for
 * scaling; a rolling replacement that keeps capacity and rolls back on failure;
 * no public addresses.
 */
export interface VmGroupSpec extends CommonArgs {
    /** An immutable image: an AMI / image id, or an image pinned by digest. */
    imageId: pulumi.Input<string>;
    /**
     * The instances' neutral size, mapped by each kit to its own type of that shape
     * (components/core/sizes.ts). On the private cloud the nodes are the cluster's
     * own, so a pod takes the namespace's default requests whatever the size.
     */
    size: Size;
    minSize: number;
    maxSize: number;
    desiredSize: number;
    /** Average CPU utilisation (percent) the group scales to hold. */
    cpuTargetPercent: number;
    /** Port the instances serve on, when a load balancer sends traffic to them. */
    port?: number;
    /** HTTP path of the health check, when the group serves HTTP. */
    healthCheckPath?: string;
    /** Campaign scale-ups: raised minimum capacity between two times. */
    schedules?: CapacitySchedule[];
}

/**
 * A campaign scale-up (flash sale, holiday): between start and end, in the time
 * zone, the group keeps at least `minCapacity` instances (pods, tasks). Each kit
 * turns it into its cloud's native schedule.
 */
export interface CapacitySchedule {
    name: string;
    /** Local date and time in `timeZone`, ISO 8601 without offset: "2026-11-27T06:00". */
    start: string;
    end: string;
    /** IANA time zone, e.g. "Europe/Amsterdam". */
    timeZone: string;
    minCapacity: number;
}

/** "2026-11-27T06:00" or "2026-11-27T06:00:00": a local date-time without offset. */
export const localDateTimePattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Whether the runtime's time-zone database knows the IANA zone. */
export function isTimeZone(timeZone: string): boolean {
    try {
        new Intl.DateTimeFormat(undefined, { timeZone });
        return true;
    } catch {
        return false;
    }
}

/** Offset of the zone from UTC at an instant, in milliseconds, from the runtime's time-zone database. */
function zoneOffsetMs(instant: number, timeZone: string): number {
    const parts = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
    }).formatToParts(new Date(instant));
    const field = (type: string) => Number(parts.find((p) => p.type === type)?.value);
    const asUtc = Date.UTC(field("year"), field("month") - 1, field("day"), field("hour"), field("minute"), field("second"));
    return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a local date-time in an IANA zone stands for, or undefined when the
 * text is no date-time. A local time skipped by a clock change counts as the
 * instant after the change.
 */
export function scheduleInstant(local: string, timeZone: string): Date | undefined {
    const m = localDateTimePattern.exec(local);
    if (!m) return undefined;
    const [year, month, day, hour, minute, second] = m.slice(1).map((v) => Number(v ?? 0));
    const wall = Date.UTC(year, month - 1, day, hour, minute, second);
    const check = new Date(wall);
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
    // Two passes: the offset at the first guess may differ from the offset at the answer near a clock change.
    let instant = wall - zoneOffsetMs(wall, timeZone);
    instant = wall - zoneOffsetMs(instant, timeZone);
    return new Date(instant);
}

/** UTC "YYYY-MM-DDThh:mm:ssZ" of a schedule's local date-time, for APIs that take UTC only. */
export function utcTimestamp(local: string, timeZone: string): string {
    const instant = scheduleInstant(local, timeZone);
    if (!instant) throw new Error(`\`${local}\` is not a local date-time (YYYY-MM-DDThh:mm).`);
    return instant.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A schedule's name becomes part of resource names on every cloud. */
export const scheduleNamePattern = /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/;

/**
 * ContainerCluster: a cluster that runs containers, and services on it.
 * Guarantees: nodes without public addresses; a rolling deployment of services
 * that keeps capacity (min healthy 100 %) and rolls back on failure; logs kept.
 */
export interface ContainerClusterSpec extends CommonArgs {
    /** The nodes' neutral size; on the private cloud the nodes are the cluster's own and the size is not used. */
    size: Size;
    minNodes: number;
    maxNodes: number;
}

export interface ContainerServiceSpec {
    image: pulumi.Input<string>;
    /** CPU in millicores (1000 = 1 vCPU) on every cloud; a kit converts to its own unit (ECS: 1024 per vCPU). */
    cpu: number;
    /** Memory in MiB. */
    memory: number;
    port: number;
    desiredCount: number;
    minCount: number;
    maxCount: number;
    /** Plain environment variables of the container. */
    variables?: Record<string, pulumi.Input<string>>;
    /**
     * Named lists of CIDR ranges (e.g. one per partner bank): set, the service
     * reaches only these ranges and DNS (a Kubernetes NetworkPolicy, or on ECS the
     * tasks' own security group).
     */
    egressAllowCidrs?: Record<string, string[]>;
    /** Campaign scale-ups of the service's task (pod) count. */
    schedules?: CapacitySchedule[];
}

/**
 * ConverterGroup: a group of change-data-capture converters, each a member of one
 * consumer group. One StatefulSet: a pod's ordinal is its member number and the
 * replica count is the group size, so scaling is one number in configuration.
 */
export interface ConverterGroupSpec {
    replicas: number;
    image: pulumi.Input<string>;
    consumerGroup: string;
    sourceEndpoint: string;
    targetEndpoint: string;
    /** Credentials of the members: a Pulumi secret. */
    credentials: pulumi.Output<string>;
    /** Port of the lag metrics, scraped by Prometheus. */
    metricsPort: number;
    /** Batch and flow-control limits of each member; each unset one keeps its safe default. */
    limits?: Partial<ConverterLimits>;
    /** The lag metrics' names and the alert thresholds; each unset one keeps its default. */
    lagAlerts?: { metrics?: Partial<Record<LagMeasure, string>>; thresholdSeconds?: Partial<Record<LagMeasure, number>>; forMinutes?: number };
    /** Labels the cluster's alerting selects rule objects by, beside the cost labels. */
    alertRuleLabels?: Record<string, string>;
    /** Zones the members spread over; 2 unless told, so a zone's loss leaves members running. */
    zoneCount?: number;
    /** Plain environment variables of the members (protocol settings, for example). */
    variables?: Record<string, pulumi.Input<string>>;
}

/** How much one converter sends to the target at once, and how much it buffers from the source. */
export interface ConverterLimits {
    /** Most bytes in one batch to the target (`group.limit.bytes`), a size such as "10mb". */
    bytes: string;
    /** Most documents in one batch (`group.limit.actions`). */
    actions: number;
    /** Longest a batch waits to fill before it is sent (`group.limit.timeout`), a duration such as "1m". */
    timeout: string;
    /** Batches in flight to the target at once (`group.limit.concurrency`). */
    concurrency: number;
    /** The source connection's flow-control buffer (`dcp.sourceConfig.flowControlBuffer`), a size such as "16mb". */
    flowControlBuffer: string;
}

/** The three lag measures of a converter, each a gauge in seconds. */
export const lagMeasures = ["queueWait", "conversion", "endToEnd"] as const;
export type LagMeasure = (typeof lagMeasures)[number];

/**
 * LoadBalancer: the public entry point of a workload.
 * Guarantees: HTTPS with TLS 1.2 or newer; plain HTTP only as a redirect to
 * HTTPS; health checks on the targets; deletion protection and access logs in prod.
 */
export interface LoadBalancerSpec extends CommonArgs {
    /** A certificate id / ARN; required in prod (a managed certificate otherwise, where the cloud has one). */
    certificateId?: pulumi.Input<string>;
    /** The targets' port and health-check path. */
    targetPort: number;
    healthCheckPath: string;
}

/**
 * SharedStorage: a shared file system (NFS).
 * Guarantees: encrypted at rest; reachable only from the given private network
 * (or client groups); backed up when the environment is prod.
 */
export interface SharedStorageSpec extends CommonArgs {
    /** Capacity in GiB where the cloud provisions capacity (Filestore, PVC); ignored where elastic. */
    sizeGib?: number;
}

/**
 * SecretParameter: one secret value.
 * Guarantees: the value comes from a Pulumi secret and is never stored or shown
 * in plain text; encrypted with a key the platform owns where the cloud allows;
 * consumers get read-only access.
 */
export interface SecretParameterSpec {
    /** The value: a Pulumi secret (`pulumi config set --secret`). */
    value: pulumi.Output<string>;
    description?: string;
}

/**
 * Handles: what a kit returns, opaque to the stacks. A stack passes a handle
 * from one kit call to the next call of the same kit (a network to a VM group,
 * a cluster to its services); only the kit that made it looks inside.
 */
export interface NetworkHandle extends pulumi.Resource, NetworkOutputs {
    readonly cloud: Cloud;
}
export interface LoadBalancerHandle extends pulumi.Resource {
    readonly cloud: Cloud;
    /** Public DNS name (or address) of the entry point. */
    readonly endpoint: pulumi.Output<string>;
}
export interface ClusterHandle extends pulumi.Resource {
    readonly cloud: Cloud;
}
export interface StorageHandle extends pulumi.Resource {
    readonly cloud: Cloud;
    /** The cloud's id of the file system (or claim name). */
    readonly fileSystemId: pulumi.Output<string>;
}
export interface SecretHandle extends pulumi.Resource {
    readonly cloud: Cloud;
    /** The cloud's reference to the secret (ARN, resource name, Secret name). */
    readonly reference: pulumi.Output<string>;
}
export interface VmGroupHandle extends pulumi.Resource, Rolled {
    readonly cloud: Cloud;
}

/**
 * A rolled-out group in its cloud's own terms: what the deploy verifies after
 * `pulumi up`, which does not wait for everything a rollout does (an instance
 * refresh, a scaling group's rolling update) and cannot see whether it rolled back.
 */
export type RolloutTarget =
    | { kind: "aws-autoscaling-group"; region: string; name: string }
    | { kind: "aws-ecs-service"; region: string; cluster: string; service: string }
    | { kind: "gcp-region-instance-group-manager"; project: string; region: string; name: string }
    | { kind: "alicloud-scaling-group"; region: string; scalingGroupId: string }
    | { kind: "kubernetes-deployment"; namespace: string; name: string }
    | { kind: "kubernetes-statefulset"; namespace: string; name: string };

/** A component whose update is a rollout the deploy verifies. */
export interface Rolled {
    readonly rollout: pulumi.Output<RolloutTarget>;
}

/**
 * Link: one network's end of private connections to networks on other clouds, or
 * to the private cloud's edge router. A link is IPsec tunnels with BGP over each:
 * IKEv2 only; AES-256 (GCM where both ends offer it) with SHA-256 or stronger;
 * Diffie-Hellman group 14 or stronger, with perfect forward secrecy. Guarantees:
 * this end advertises exactly `ranges` (its ranges from the address plan) and
 * routes the peer's ranges through the tunnels; every tunnel's inside /30 and
 * both ASNs come from the plan, its pre-shared key from a secret; at least two
 * tunnels, over two outside addresses on each end, so one tunnel, one gateway
 * interface or one edge address can fail.
 *
 * A link is built in two steps because each end needs the other's outside
 * addresses: `link` makes this network's gateway (its addresses, where the cloud
 * gives them before any peer), then `connect` makes the tunnels to one peer.
 */
export interface LinkSpec extends CommonArgs {
    /**
     * The network this end joins, as its own stack exports it (`networkId`); the
     * private cloud has none: its end is the edge router, which is not ours to build.
     */
    networkId?: pulumi.Input<string>;
    /** Zones the network spans: where a cloud routes per subnet, each zone's route table gets the routes to the peers. */
    zoneCount: number;
    /** This end's BGP ASN, planned beside the address plan (data/address-plan.yaml). */
    asn: number;
    /** The network's ranges from the address plan: advertised to every peer, exactly these. */
    ranges: string[];
    /**
     * The private cloud's edge router: its public addresses, from configuration
     * (two, so one can fail). A public cloud's gateway gets its addresses from the cloud.
     */
    edgeAddresses?: string[];
}

/** How a link's tunnels are encrypted, in neutral terms; each kit names them in its cloud's terms and refuses what it cannot offer. */
export interface LinkCiphers {
    /** Phase 1 and phase 2 encryption: AES-256, GCM where both ends offer it. */
    encryption: "aes-256-gcm" | "aes-256-cbc";
    /** Integrity (and the IKE pseudo-random function): SHA-256 or stronger. */
    integrity: "sha-256" | "sha-384" | "sha-512";
    /** Diffie-Hellman group of IKE, and of each child SA's perfect forward secrecy. */
    dhGroup: 14 | 15 | 16 | 19 | 20 | 21;
}

/** One tunnel of a link, as both ends agree on it. */
export interface LinkTunnelSpec {
    /** The tunnel's inside /30 from 169.254.0.0/16, planned beside the address plan. */
    insideCidr: string;
    /** This end's BGP address in the /30. */
    insideAddress: string;
    /** The peer's BGP address in the /30. */
    peerInsideAddress: string;
    /** The tunnel's pre-shared key: a secret from the stack's ESC environment, never a stack file. */
    sharedKey: pulumi.Output<string>;
}

/** The other end of a link, as `connect` needs it. */
export interface LinkPeer {
    cloud: Cloud;
    asn: number;
    /**
     * The peer's outside addresses this end's tunnels go to: its gateway's
     * (`LinkHandle.addresses`), or, where it makes them per peer, its connection's
     * (`LinkConnection.tunnelAddresses`).
     */
    addresses: pulumi.Input<string[]>;
    /** How many `addresses` there are: resources are made per address before the addresses are known. */
    addressCount: number;
    /** The peer's ranges from the address plan: routed through the tunnels. */
    ranges: string[];
    ciphers: LinkCiphers;
    /**
     * The tunnels, in order. With L outside addresses here and P at the peer,
     * there are max(L, P) tunnels, and tunnel t joins this end's address
     * floor(t·L/T) to the peer's address floor(t·P/T) (components/core/link.ts),
     * so both ends number them alike.
     */
    tunnels: LinkTunnelSpec[];
}

/** One network's end of links, as `link` returns it. */
export interface LinkHandle extends pulumi.Resource {
    readonly cloud: Cloud;
    readonly asn: number;
    /**
     * This end's outside addresses, known before any peer: its gateway's
     * interfaces, or the edge router's. Empty where the cloud gives outside
     * addresses per peer, with its tunnels (AWS: two per VPN connection).
     */
    readonly addresses: pulumi.Output<string[]>;
    /** How many `addresses` there are; 0 where they come per peer. */
    readonly addressCount: number;
    /** Where addresses come per peer: how many tunnels (each with its own address) per peer address. */
    readonly tunnelsPerPeerAddress?: number;
    /** Makes this end's tunnels to one peer, with BGP over each and the peer's ranges routed through them. */
    connect(name: string, peer: LinkPeer): LinkConnection;
}

/** This end of the tunnels to one peer. */
export interface LinkConnection extends pulumi.Resource {
    readonly cloud: Cloud;
    /** This end's outside address of each tunnel, in tunnel order. */
    readonly tunnelAddresses: pulumi.Output<string[]>;
    /**
     * This end as its operators configure or read it: what the private cloud's
     * edge router must be set to, and on a public cloud what its gateway runs. No key.
     */
    readonly configuration: LinkEndConfiguration;
}

/**
 * One end of a link's tunnels, in neutral terms. The outside addresses a cloud
 * assigns are outputs of their own, so a preview shows everything else.
 */
export interface LinkEndConfiguration {
    cloud: Cloud;
    asn: number;
    peerAsn: number;
    /** Ranges this end advertises. */
    advertised: string[];
    /** Ranges this end routes through the tunnels. */
    routed: string[];
    ike: "ikev2";
    ciphers: LinkCiphers;
    tunnels: {
        outsideAddress: pulumi.Output<string>;
        peerOutsideAddress: pulumi.Output<string>;
        insideCidr: string;
        insideAddress: string;
        peerInsideAddress: string;
    }[];
}

/**
 * PrivateListener: a workload's entry point for callers on linked networks,
 * inside its own network: calls cross a link, never the internet. Guarantees:
 * an address that resolves to the network's private subnets; only the callers'
 * ranges admitted; the same service as the workload's load balancer, behind it.
 */
export interface PrivateListenerSpec extends CommonArgs {
    /** The callers' ranges from the address plan: the only sources admitted. */
    callers: string[];
}

export interface PrivateListenerHandle extends pulumi.Resource {
    readonly cloud: Cloud;
    /** What callers use: scheme, private address and port (`https://internal-....elb.amazonaws.com`, `http://10.35.0.9:8080`). */
    readonly endpoint: pulumi.Output<string>;
}

/** Options every kit call takes: the cloud provider to use, the parent, and transformations. */
export interface KitOptions {
    parent?: pulumi.Resource;
    provider?: pulumi.ProviderResource;
    /**
     * Run, in order, on the component the call builds and on every resource beneath
     * it, before each is registered; each returns the inputs and options to register
     * instead, or undefined to leave the resource as it is.
     *
     * These are the SDK's `transformations`, not the engine's newer `transforms`: the
     * SDK runs a component's transformations on its children itself, so they act the
     * same under `pulumi preview`, the tests and the offline plan. A component's
     * `transforms` reach its children only through the engine (the offline plan
     * applies them as the engine does), and Pulumi's mock runtime
     * (`pulumi.runtime.setMocks`), which the component tests run on, does not: there a
     * transform would change nothing that a preview changes.
     */
    transformations?: pulumi.ResourceTransformation[];
}

/**
 * One cloud's kit, as the stacks see it: every contract, built from neutral
 * specs. Workloads are written against this interface only, so a workload can be
 * placed on any cloud (or several) by configuration.
 */
export interface CloudKit {
    readonly cloud: Cloud;
    /** What the kit honours beyond each contract's core (components/core/capabilities.ts). */
    readonly capabilities: readonly Capability[];
    network(name: string, spec: NetworkSpec, opts?: KitOptions): NetworkHandle;
    loadBalancer(name: string, spec: LoadBalancerSpec & { network: NetworkHandle }, opts?: KitOptions): LoadBalancerHandle;
    sharedStorage(name: string, spec: SharedStorageSpec & { network: NetworkHandle }, opts?: KitOptions): StorageHandle;
    secretParameter(
        name: string,
        spec: SecretParameterSpec & {
            environment: Environment;
            /** The network whose workloads read it: where a secret lives in a namespace (the private cloud), its network's. */
            network?: NetworkHandle;
        },
        opts?: KitOptions,
    ): SecretHandle;
    vmGroup(
        name: string,
        spec: VmGroupSpec & { network: NetworkHandle; loadBalancer?: LoadBalancerHandle; storage?: StorageHandle; secrets?: SecretHandle[] },
        opts?: KitOptions,
    ): VmGroupHandle;
    containerCluster(name: string, spec: ContainerClusterSpec & { network: NetworkHandle }, opts?: KitOptions): ClusterHandle;
    containerService(
        name: string,
        spec: ContainerServiceSpec & {
            environment: Environment;
            cluster: ClusterHandle;
            network: NetworkHandle;
            loadBalancer?: LoadBalancerHandle;
            /** Path patterns routed to this service on the load balancer. */
            paths?: string[];
            storage?: StorageHandle;
            /** Environment variable name -> secret. */
            secretRefs?: Record<string, SecretHandle>;
        },
        opts?: KitOptions,
    ): pulumi.Resource & Rolled;
    /** Kits whose clusters speak Kubernetes run converter groups on them; others refuse with a ConfigError. */
    converterGroup?(name: string, spec: ConverterGroupSpec & { environment: Environment; cluster: ClusterHandle }, opts?: KitOptions): pulumi.Resource & Rolled;
    /** This network's end of links to other clouds: its gateway, then the tunnels to each peer (LinkHandle.connect). */
    link(name: string, spec: LinkSpec, opts?: KitOptions): LinkHandle;
    /** An entry point for callers on linked networks, in front of the workload's load balancer; refused where callers reach the workload another way. */
    privateListener(
        name: string,
        spec: PrivateListenerSpec & { network: NetworkHandle; loadBalancer: LoadBalancerHandle },
        opts?: KitOptions,
    ): PrivateListenerHandle;
    /** The cloud's own type of a neutral size, as its descriptor maps it ("pod" on the private cloud), for messages that name it. */
    instanceTypeOf(size: Size): string;
    /**
     * What one instance (node) of a size offers to containers (CPU in millicores,
     * as ContainerServiceSpec.cpu, memory in MiB), so a workload can reject a
     * request no instance can hold; on the private cloud, the largest pod its namespace admits.
     */
    sizeCapacity(size: Size): { cpu: number; memoryMiB: number };
}

/** How a stack asks for a kit: where to build, with an explicit provider per cloud. */
export interface KitSettings {
    environment: Environment;
    /** Prefix of the explicit provider's name. */
    name: string;
    /** aws / gcp / alicloud region; unused on the private cloud. */
    region: string;
    /** GCP project. */
    project?: string;
    /** Kubeconfig of the private cloud (a secret); the ambient one when unset. */
    kubeconfig?: pulumi.Output<string>;
    kubeContext?: string;
    /** Private-cloud cluster settings; read only by that kit. */
    onprem?: OnPremClusterSettings;
}

/** How the private cloud's existing cluster is set up: what its kit must fit into. */
export interface OnPremClusterSettings {
    ingressClassName?: string;
    /** Namespace of the ingress controller: the only source of ingress traffic. */
    ingressControllerNamespace?: string;
    /** Load balancers are reached as `<name>.<baseDomain>`. */
    baseDomain?: string;
    /** ReadWriteMany storage class of SharedStorage. */
    storageClassName?: string;
    /** cert-manager ClusterIssuer for dev certificates. */
    clusterIssuer?: string;
}

/** Every kit module (components/<cloud>/kit.ts) exports `createKit` of this type. */
export type CreateKit = (settings: KitSettings) => CloudKit;
