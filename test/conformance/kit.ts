/**
 * What a cloud kit gives the conformance suite: for each contract, a way to build
 * the component from a cloud-neutral spec, and a reading of the raw resources it
 * created as cloud-neutral facts. The suite (conformance.test.ts) states each
 * contract's expectations once, over these facts, for every kit.
 *
 * A kit registers itself by adding `test/conformance/<cloud>.kit.ts` that
 * default-exports a `ConformanceKit`.
 */
import type {
    Cloud,
    CloudKit,
    ContainerServiceSpec,
    ContainerClusterSpec,
    Environment,
    LoadBalancerSpec,
    NetworkSpec,
    RolloutTarget,
    SharedStorageSpec,
    VmGroupSpec,
} from "../../components/contracts";
import type { TestResource } from "../helpers/pulumi";
import type { registeredOptions } from "./registered-options";

export type TlsVersion = "1.0" | "1.1" | "1.2" | "1.3";

export interface NetworkFacts {
    zoneCount: number;
    /** CIDRs of the subnets workloads run in; each inside the network's CIDR. */
    privateSubnetCidrs: string[];
    /** True when outbound traffic from private subnets goes through a managed NAT. */
    natEgress: boolean;
    /** True when traffic (flow or firewall) logs are on. On Kubernetes: a default-deny policy instead. */
    trafficLogsOrDefaultDeny: boolean;
}

export interface VmGroupFacts {
    minSize: number;
    maxSize: number;
    desiredSize: number;
    cpuTargetPercent: number;
    /** The image reference passed to the instances / pods. */
    image: unknown;
    publicAddress: boolean;
    /** Pulumi sets the first count and ignores drift (ignoreChanges on it): the autoscaler owns it. */
    countOwnedByAutoscaler: boolean;
}

export interface ContainerClusterFacts {
    nodesHavePublicAddresses: boolean;
    /** The service's task (replica) count is set once and then owned by its autoscaler. */
    serviceCountOwnedByAutoscaler: boolean;
    /** Container logs are shipped and kept. */
    logsRetained: boolean;
}

export interface LoadBalancerFacts {
    /** The oldest TLS version the HTTPS listener admits. */
    minTlsVersion: TlsVersion;
    /** Plain HTTP is either absent or a redirect to HTTPS. */
    httpOnlyRedirects: boolean;
    healthCheck: boolean;
    deletionProtection: boolean;
    accessLogs: boolean;
}

export interface SharedStorageFacts {
    encryptedAtRest: boolean;
    /** Address ranges or group ids that may reach the file system; never the internet. */
    reachableFrom: string[];
    backedUp: boolean;
}

/** A raised minimum as the cloud schedules it: the capacity and the UTC minute it starts. */
export interface ScheduledMinimum {
    minCapacity: number;
    /** "YYYY-MM-DDThh:mm" in UTC. */
    startsAtUtc: string;
}

/** A VM group built through the kit with a load balancer, shared storage and a secret. */
export interface VmGroupWiringFacts {
    /** The cloud's own instance type the instances run as; undefined where the nodes are the cluster's own. */
    instanceType?: string;
    /** Port and HTTP path the group's health is judged by (load balancer or auto-healing check, readiness probe). */
    healthCheck: { port?: number; path: string };
    /** The load balancer's targets include the group's instances. */
    behindLoadBalancer: boolean;
    /** The shared file system is mounted on every instance. */
    mountsSharedStorage: boolean;
    /** The instances can read the secret (permission, or its value in their environment). */
    readsSecrets: boolean;
    scheduledMinimums: ScheduledMinimum[];
}

/** One container service built through the kit. */
export interface ServiceWiringFacts {
    image: string;
    /** CPU the container reserves, in millicores (1000 = 1 vCPU) whatever the cloud's unit. */
    cpuMillicores: number;
    memoryMiB: number;
    port: number;
    counts: { desired: number; min: number; max: number };
    /** Set once, then left to the autoscaler (ignoreChanges on the count). */
    countOwnedByAutoscaler: boolean;
    /** Plain variables of the container. */
    variables: Record<string, string>;
    /**
     * By variable: what the container receives at start, followed through the
     * kit's mechanism (a Secret's data, a parameter's value) back to the plain
     * value, so a kit that hands over a reference to look up fails.
     */
    secretValues: Record<string, unknown>;
    storageMounted: boolean;
    /** Path patterns on the load balancer that reach this service; "*" for its default route. */
    routedPaths: string[];
    /** CIDR ranges the service may reach beyond DNS; undefined where egress is not enforced per service. */
    egressRanges?: string[];
    scheduledMinimums: ScheduledMinimum[];
}

export interface ClusterSizingFacts {
    /** The cloud's own type of the nodes; undefined where the nodes are the cluster's own. */
    instanceType?: string;
    /** Undefined where nothing holds a minimum: a tenancy on a cluster the kit does not own. */
    minNodes?: number;
    maxNodes: number;
}

export interface ConverterGroupFacts {
    replicas: number;
    image: string;
    consumerGroup: string;
    /** Ports beyond DNS the members may reach. */
    egressPorts: number[];
    /** The members read their credentials from a secret store, not from plain configuration. */
    credentialsFromSecret: boolean;
    metricsPort: number;
    /** Member 1's configuration file as the converter reads it (`group.limit.*`, `dcp.sourceConfig.flowControlBuffer`). */
    memberFile: Record<string, any>;
    /** Each lag alert: its expression and how long it holds; and the labels of the rule object. */
    lagAlerts: { expr: string; for: string }[];
    alertRuleLabels: Record<string, string>;
    /** The zones the members must spread over, and the plain variables they get. */
    zoneSpread: number | undefined;
    variables: Record<string, string>;
}

/** What a kit reads from the resources of the suite's wiring cases, each built through `cloudKit`. */
export interface WiringReader {
    vmGroup(resources: TestResource[], name: string): VmGroupWiringFacts | Promise<VmGroupWiringFacts>;
    containerService(resources: TestResource[], name: string): ServiceWiringFacts | Promise<ServiceWiringFacts>;
    cluster(resources: TestResource[], name: string): ClusterSizingFacts | Promise<ClusterSizingFacts>;
    converterGroup?(resources: TestResource[], name: string): ConverterGroupFacts | Promise<ConverterGroupFacts>;
    /** The certificate references and health check the load balancer uses. */
    loadBalancer(resources: TestResource[], name: string): { certificates: string[]; healthCheckPath: string; targetPort?: number };
    /** Provisioned capacity; undefined where the file system is elastic. */
    storageCapacityGib(resources: TestResource[], name: string): number | undefined;
    /** Where the cloud records a secret's description. */
    secretDescription(resources: TestResource[], name: string): string | undefined;
    /** Ranges the network reserves for a cluster's pods and services; [] where the cloud needs none. */
    secondaryRanges(resources: TestResource[], name: string): string[];
}

/**
 * How a group's update rolls out, read from the raw resource whose update is the
 * rollout (the one the component's `rollout` must name). Where the cloud or the
 * provider cannot do something itself, the fact says so and the deploy does it:
 * the suite holds each kind of target to what its cloud can.
 */
export interface RolloutFacts {
    /** The raw resource whose update is the rollout. */
    resource: TestResource;
    /** What the rollout target must say: its kind, and what names the resource where the offline runtime knows it. */
    target: Record<string, unknown> & { kind: RolloutTarget["kind"] };
    /** `pulumi up` waits, within a bound, for the rollout's result, so one that fails (or never ends) fails the update. */
    pulumiWaits: boolean;
    /** No serving instance, task or pod leaves before its replacement is ready. */
    keepsCapacity: boolean;
    /** The cloud undoes a failed rollout by itself. */
    cloudReverts: boolean;
    /** Every raw setting the facts above are read from, by field: dev and prod must agree on each. */
    settings: Record<string, unknown>;
}

/** The resource options each resource was registered with (custom timeouts), beside the mock runtime's record. */
export type RegisteredOptions = ReturnType<typeof registeredOptions>;

/** What a kit reads from the groups the suite's rollout case builds through `cloudKit`. */
export interface RolloutReader {
    vmGroup(resources: TestResource[], name: string, options: RegisteredOptions): RolloutFacts;
    containerService(resources: TestResource[], name: string, options: RegisteredOptions): RolloutFacts;
    converterGroup?(resources: TestResource[], name: string, options: RegisteredOptions): RolloutFacts;
}

export interface Contract<Spec, Facts> {
    /** Creates the component under the mock runtime. `name` is unique per test. */
    build(name: string, spec: Spec): unknown;
    /** Reads the raw resources whose names start with `name` as neutral facts. */
    facts(resources: TestResource[], name: string): Facts | Promise<Facts>;
}

export interface ConformanceKit {
    cloud: Cloud;
    network: Contract<NetworkSpec, NetworkFacts>;
    vmGroup: Contract<VmGroupSpec, VmGroupFacts>;
    containerCluster: Contract<{ cluster: ContainerClusterSpec; service: ContainerServiceSpec }, ContainerClusterFacts>;
    loadBalancer: Contract<LoadBalancerSpec, LoadBalancerFacts>;
    sharedStorage: Contract<SharedStorageSpec & { environment: Environment }, SharedStorageFacts>;
    /** `value` is built by the suite with pulumi.secret(plaintext); the suite checks that no input shows it in the clear. */
    secretParameter: { build(name: string, spec: { value: import("@pulumi/pulumi").Output<string> }): unknown };
    /** The kit itself, for the wiring cases the suite builds through it. */
    cloudKit(environment: Environment): CloudKit;
    wiring: WiringReader;
    rollout: RolloutReader;
}
