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

/**
 * A workload's wiring on one kit: a network, a load balancer, a container cluster
 * with services behind the load balancer (each with its paths), shared storage
 * mounted into the first service, and a secret injected into the first service.
 */
export interface ServiceWiringSpec {
    environment: Environment;
    /** The load balancer's health-check path and port, which is every service's port. */
    healthCheckPath: string;
    port: number;
    /** Services in order; the one without paths takes all other traffic. */
    services: { name: string; paths?: string[] }[];
    /** Injected into the first service as this variable. */
    secretVariable: string;
    /** Built by the suite with pulumi.secret(plaintext). */
    secretValue: import("@pulumi/pulumi").Output<string>;
}

export interface ServiceWiringFacts {
    /** By service name: the path patterns the load balancer sends to it ([] for none). */
    routes: Record<string, string[]>;
    /** The service that receives traffic no path claims. */
    defaultRoute: string;
    /** By service name: the route to it is health checked on the given path. */
    healthCheckPaths: Record<string, string>;
    /** Where the shared storage is mounted in the first service's container ([] when it is not). */
    storageMountPaths: string[];
    /**
     * By variable name: what the first service's container receives at run time,
     * followed through the kit's mechanism (a Secret's data, a parameter's value)
     * back to the plain value, so a kit that injects a reference fails.
     */
    secretValues: Record<string, unknown>;
}

export interface VmGroupRoutingFacts {
    /** The load balancer's default route reaches the group's instances. */
    routesToGroup: boolean;
    /** Port and path the route health checks the instances on. */
    healthCheckPort: number;
    healthCheckPath: string;
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
     * Wiring (load-balancer routes, storage mounts, secret values), for a kit
     * that declares the containerService and vmGroup capabilities it needs.
     */
    wiring?: {
        services: Contract<ServiceWiringSpec, ServiceWiringFacts>;
        vmGroup: Contract<VmGroupSpec & { loadBalancerHealthCheckPath: string }, VmGroupRoutingFacts>;
    };
    /** `value` is built by the suite with pulumi.secret(plaintext); the suite checks that no input shows it in the clear. */
    secretParameter: { build(name: string, spec: { value: import("@pulumi/pulumi").Output<string> }): unknown };
}
