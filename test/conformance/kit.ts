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
    ContainerServiceSpec,
    ContainerClusterSpec,
    Environment,
    LoadBalancerSpec,
    NetworkSpec,
    SharedStorageSpec,
    VmGroupSpec,
} from "../../components/contracts";
import type { TestResource } from "../helpers/pulumi";

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
    /** A rollout never takes serving capacity below the desired size (min healthy >= 90 %, or maxUnavailable 0). */
    rolloutKeepsCapacity: boolean;
    /** A failed rollout rolls back by itself (auto rollback, health-gated rollout, or progress deadline + revision history). */
    rolloutRollsBack: boolean;
    /** Pulumi sets the first count and ignores drift (ignoreChanges on it): the autoscaler owns it. */
    countOwnedByAutoscaler: boolean;
}

export interface ContainerClusterFacts {
    nodesHavePublicAddresses: boolean;
    /** The service's rollout keeps 100 % healthy and rolls back on failure. */
    serviceKeepsCapacity: boolean;
    serviceRollsBack: boolean;
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

/** Two container services behind one load balancer: one routed by path, with storage and a secret, one taking all other traffic. */
export interface ServiceWiringSpec {
    environment: Environment;
    /** Paths of the routed service. */
    paths: string[];
    /** Its port; the catch-all service listens on another. */
    port: number;
    /** A variable of the routed service that gets the secret's value. */
    secretVariable: string;
    /** Built by the suite with pulumi.secret(plaintext). */
    secretValue: import("@pulumi/pulumi").Output<string>;
}

export interface ServiceWiringFacts {
    /** Path patterns the load balancer sends to the routed service, followed through to its container port. */
    routedPaths: string[];
    /** Every request no path claims reaches the catch-all service's container port. */
    catchAllReachesService: boolean;
    /** Every target the routes send to is health-checked. */
    routesHealthChecked: boolean;
    /** Where the shared file system is mounted in the routed service's containers. */
    storageMountPaths: string[];
    /** The value the routed service's secret variable gets, read through to where it is stored (unwrapped). */
    secretVariableValue: unknown;
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
    /**
     * Container services wired to a load balancer, storage and a secret. Optional
     * while kits adopt it; every kit that provides it is held to the same expectations.
     */
    serviceWiring?: Contract<ServiceWiringSpec, ServiceWiringFacts>;
    /** `value` is built by the suite with pulumi.secret(plaintext); the suite checks that no input shows it in the clear. */
    secretParameter: { build(name: string, spec: { value: import("@pulumi/pulumi").Output<string> }): unknown };
}
