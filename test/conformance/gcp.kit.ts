import type { CloudKit, Environment } from "../../components/contracts";
import { createKit } from "../../components/gcp/kit";
import { Network } from "../../components/gcp/network";
import { valueOf, type TestResource } from "../helpers/pulumi";
import type { ConformanceKit, TlsVersion } from "./kit";
import { utcTimestamp } from "../../components/contracts";
import { converterGroupFacts, deploymentRollout, named, objectName, ofType, podFacts, serviceFacts, statefulSetRollout } from "./kubernetes-facts";

/** SSL policy `minTlsVersion` values; the API's default when unset is TLS 1.0. */
const sslPolicyMinTls: Record<string, TlsVersion> = { TLS_1_0: "1.0", TLS_1_1: "1.1", TLS_1_2: "1.2", TLS_1_3: "1.3" };

const region = "europe-west1";
const project = "conformance-project";
const kits = new Map<Environment, CloudKit>();
const kitFor = (environment: Environment) => {
    if (!kits.has(environment)) {
        kits.set(environment, createKit({ environment, name: `conformance-gcp-${environment}`, region, project }));
    }
    return kits.get(environment)!;
};
const networkFor = (name: string, environment: Environment) =>
    kitFor(environment).network(`${name}-net`, { environment, cidr: "10.40.0.0/16", zoneCount: environment === "prod" ? 3 : 2 });

/** Networks the suite built, by name: GCP subnets are regional, so the zones are the network's own output. */
const networks = new Map<string, Network>();

const single = (resources: TestResource[], type: string, name?: string) => {
    const found = name === undefined ? ofType(resources, type) : named(resources, type, name);
    if (found.length !== 1) throw new Error(`expected one ${type}${name ? ` of ${name}` : ""}, found ${found.length}`);
    return found[0];
};
/** The offline mocks give a GCP resource the id `projects/<project>/<kind>s/<name>`. */
const refersTo = (reference: unknown, resource: TestResource) => typeof reference === "string" && reference.endsWith(`/${resource.name}`);

const kit: ConformanceKit = {
    cloud: "gcp",
    network: {
        build: (name, spec) => {
            const network = kitFor(spec.environment).network(name, spec);
            if (!(network instanceof Network)) throw new Error(`the gcp kit's network ${name} is not a gcp Network`);
            networks.set(name, network);
            return network;
        },
        facts: async (resources, name) => {
            const subnets = ofType(resources, "gcp:compute/subnetwork:Subnetwork");
            const firewalls = ofType(resources, "gcp:compute/firewall:Firewall");
            const nats = ofType(resources, "gcp:compute/routerNat:RouterNat");
            return {
                zoneCount: (await valueOf(networks.get(name)!.zones)).length,
                privateSubnetCidrs: subnets.flatMap((s) => [s.plain.ipCidrRange, ...(s.plain.secondaryIpRanges ?? []).map((r: any) => r.ipCidrRange)]),
                natEgress: nats.some((n) => n.plain.sourceSubnetworkIpRangesToNat === "ALL_SUBNETWORKS_ALL_IP_RANGES"),
                trafficLogsOrDefaultDeny:
                    subnets.length > 0 &&
                    subnets.every((s) => s.plain.logConfig !== undefined) &&
                    firewalls.every((f) => f.plain.logConfig?.metadata !== undefined),
            };
        },
    },
    vmGroup: {
        build: (name, spec) => kitFor(spec.environment).vmGroup(name, { ...spec, network: networkFor(name, spec.environment) }),
        facts: (resources) => {
            const mig = single(resources, "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager");
            const template = single(resources, "gcp:compute/instanceTemplate:InstanceTemplate");
            const policy = single(resources, "gcp:compute/regionAutoscaler:RegionAutoscaler").plain.autoscalingPolicy;
            return {
                minSize: policy.minReplicas,
                maxSize: policy.maxReplicas,
                desiredSize: mig.plain.targetSize,
                cpuTargetPercent: Math.round(policy.cpuUtilization.target * 100),
                image: template.plain.disks.map((d: any) => d.sourceImage),
                publicAddress: (template.plain.networkInterfaces ?? []).some((ni: any) => (ni.accessConfigs ?? []).length > 0),
                countOwnedByAutoscaler: mig.options.ignoreChanges.includes("targetSize"),
            };
        },
    },
    containerCluster: {
        build: (name, { cluster, service }) => {
            const environment = cluster.environment;
            const network = networkFor(name, environment);
            const gke = kitFor(environment).containerCluster(name, { ...cluster, network });
            return kitFor(environment).containerService(`${name}-svc`, { ...service, environment, cluster: gke, network });
        },
        facts: (resources) => {
            const cluster = single(resources, "gcp:container/cluster:Cluster");
            const deployment = single(resources, "kubernetes:apps/v1:Deployment");
            return {
                nodesHavePublicAddresses: cluster.plain.privateClusterConfig?.enablePrivateNodes !== true,
                serviceCountOwnedByAutoscaler: deployment.options.ignoreChanges.includes("spec.replicas"),
                logsRetained: (cluster.plain.loggingConfig?.enableComponents ?? []).includes("WORKLOADS"),
            };
        },
    },
    loadBalancer: {
        build: (name, spec) => kitFor(spec.environment).loadBalancer(name, { ...spec, network: networkFor(name, spec.environment) }),
        facts: (resources) => {
            const policies = ofType(resources, "gcp:compute/sSLPolicy:SSLPolicy");
            const urlMaps = ofType(resources, "gcp:compute/uRLMap:URLMap");
            const httpProxies = ofType(resources, "gcp:compute/targetHttpProxy:TargetHttpProxy");
            const rules = ofType(resources, "gcp:compute/globalForwardingRule:GlobalForwardingRule");
            const backends = ofType(resources, "gcp:compute/backendService:BackendService");
            const oldest = policies.map((p) => sslPolicyMinTls[p.plain.minTlsVersion ?? "TLS_1_0"] ?? "1.0").sort()[0] ?? "1.0";
            return {
                minTlsVersion: oldest,
                httpOnlyRedirects: httpProxies.every((proxy) =>
                    urlMaps.some(
                        (map) => refersTo(proxy.plain.urlMap, map) && map.plain.defaultUrlRedirect?.httpsRedirect === true && !map.plain.defaultService,
                    ),
                ),
                healthCheck: backends.length > 0 && backends.every((b) => b.plain.healthChecks !== undefined),
                deletionProtection: rules.length > 0 && rules.every((r) => r.options.protect),
                accessLogs: backends.every((b) => b.plain.logConfig?.enable === true),
            };
        },
    },
    sharedStorage: {
        build: (name, spec) => kitFor(spec.environment).sharedStorage(name, { ...spec, network: networkFor(name, spec.environment) }),
        facts: (resources) => {
            const instance = single(resources, "gcp:filestore/instance:Instance");
            const associations = ofType(resources, "gcp:backupdisasterrecovery/backupPlanAssociation:BackupPlanAssociation");
            return {
                // Filestore encrypts every instance at rest; there is no switch to turn it off.
                encryptedAtRest: true,
                reachableFrom: (instance.plain.fileShares.nfsExportOptions ?? []).flatMap((o: any) => o.ipRanges ?? ["0.0.0.0/0"]),
                backedUp: associations.some((a) => a.plain.resourceType === "file.googleapis.com/Instance" && refersTo(a.plain.resource, instance)),
            };
        },
    },
    secretParameter: {
        build: (name, spec) => kitFor("dev").secretParameter(name, { ...spec, environment: "dev" }),
    },
    cloudKit: kitFor,
    rollout: {
        vmGroup(resources, name, options) {
            const mig = single(resources, "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager", name);
            const { updatePolicy = {}, waitForInstances, waitForInstancesStatus, autoHealingPolicies } = mig.plain;
            const customTimeouts = options.of(mig.type, mig.name).customTimeouts;
            return {
                resource: mig,
                // The offline runtime names a group manager after its resource.
                target: { kind: "gcp-region-instance-group-manager", project, region, name: mig.name },
                // The provider waits until every instance runs the new template, and gives up at the update timeout.
                pulumiWaits: waitForInstances === true && waitForInstancesStatus === "UPDATED" && Boolean(customTimeouts?.create && customTimeouts?.update),
                keepsCapacity: updatePolicy.type === "PROACTIVE" && updatePolicy.maxUnavailableFixed === 0 && updatePolicy.maxSurgeFixed > 0,
                // A group manager has no rollback: failing instances stay failing until the deploy applies the last good template.
                cloudReverts: false,
                settings: {
                    updatePolicy,
                    waitForInstances,
                    waitForInstancesStatus,
                    customTimeouts,
                    autoHealing: autoHealingPolicies?.healthCheck !== undefined,
                    autoHealingDelaySec: autoHealingPolicies?.initialDelaySec,
                },
            };
        },
        containerService: deploymentRollout,
        converterGroup: statefulSetRollout,
    },
    wiring: {
        vmGroup(resources, name) {
            const mig = single(resources, "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager", name);
            const template = single(resources, "gcp:compute/instanceTemplate:InstanceTemplate", name).plain;
            const autoscaler = single(resources, "gcp:compute/regionAutoscaler:RegionAutoscaler", name).plain.autoscalingPolicy;
            const check = ofType(resources, "gcp:compute/healthCheck:HealthCheck").find((h) => refersTo(mig.plain.autoHealingPolicies?.healthCheck, h));
            // The instance group's URL is the group manager's output, unknown at preview: a backend service over an instance
            // group on the group's named port, checked by the group's own health check, is the group's route.
            const namedPorts = (mig.plain.namedPorts ?? []).map((p: any) => p.name);
            const route = ofType(resources, "gcp:compute/backendService:BackendService").find(
                (b) =>
                    namedPorts.includes(b.plain.portName) &&
                    check !== undefined &&
                    refersTo(b.plain.healthChecks, check) &&
                    (b.plain.backends ?? []).some((x: any) => x.balancingMode === "UTILIZATION"),
            );
            const grants = named(resources, "gcp:secretmanager/secretIamMember:SecretIamMember", name);
            return {
                instanceType: template.machineType,
                healthCheck: { port: check?.plain.httpHealthCheck?.port, path: check?.plain.httpHealthCheck?.requestPath },
                behindLoadBalancer: route !== undefined,
                mountsSharedStorage: / nfs /.test(String(template.metadataStartupScript ?? "")),
                readsSecrets: grants.some((g) => g.plain.role === "roles/secretmanager.secretAccessor"),
                scheduledMinimums: (autoscaler.scalingSchedules ?? []).map((schedule: any) => {
                    const [minute, hour, day, month, , year] = String(schedule.schedule).split(" ");
                    const pad = (v: string) => v.padStart(2, "0");
                    return {
                        minCapacity: schedule.minRequiredReplicas,
                        startsAtUtc: utcTimestamp(`${year}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}`, schedule.timeZone).slice(0, 16),
                    };
                }),
            };
        },
        containerService(resources, name) {
            // A claim counts when it is bound to a volume that serves a Filestore share.
            const shares = ofType(resources, "gcp:filestore/instance:Instance").map((f) => `/${f.plain.fileShares.name}`);
            const volumes = ofType(resources, "kubernetes:core/v1:PersistentVolume");
            const pod = podFacts(resources, name, {
                claim: (claim) => volumes.some((v) => objectName(v) === claim.plain.spec.volumeName && shares.includes(v.plain.spec.nfs?.path)),
            });
            // The service's route: a backend service over the NEGs its Kubernetes Service asks GKE for.
            const negs = named(resources, "kubernetes:core/v1:Service", name).flatMap((svc) => {
                const annotation = svc.plain.metadata?.annotations?.["cloud.google.com/neg"];
                return annotation ? Object.values<{ name: string }>(JSON.parse(annotation).exposed_ports).map((n) => n.name) : [];
            });
            const backend = ofType(resources, "gcp:compute/backendService:BackendService").find((b) =>
                (b.plain.backends ?? []).some((x: any) => negs.some((neg) => String(x.group).endsWith(`/networkEndpointGroups/${neg}`))),
            );
            const urlMaps = ofType(resources, "gcp:compute/uRLMap:URLMap").filter((m) => m.plain.defaultService !== undefined || m.plain.pathMatchers);
            const routedPaths = backend
                ? urlMaps.flatMap((m) => [
                      ...(m.plain.pathMatchers ?? []).flatMap((pm: any) =>
                          (pm.pathRules ?? []).filter((r: any) => refersTo(r.service, backend)).flatMap((r: any) => r.paths),
                      ),
                      ...(refersTo(m.plain.defaultService, backend) ? ["*"] : []),
                  ])
                : [];
            return serviceFacts(pod, routedPaths);
        },
        cluster(resources, name) {
            const pool = single(resources, "gcp:container/nodePool:NodePool", name).plain;
            return { instanceType: pool.nodeConfig.machineType, minNodes: pool.autoscaling.totalMinNodeCount, maxNodes: pool.autoscaling.totalMaxNodeCount };
        },
        converterGroup: converterGroupFacts,
        loadBalancer(resources, name) {
            const proxy = single(resources, "gcp:compute/targetHttpsProxy:TargetHttpsProxy", name).plain;
            const urlMap = ofType(resources, "gcp:compute/uRLMap:URLMap").find((m) => refersTo(proxy.urlMap, m))!;
            const backend = ofType(resources, "gcp:compute/backendService:BackendService").find((b) => refersTo(urlMap.plain.defaultService, b));
            const check = ofType(resources, "gcp:compute/healthCheck:HealthCheck").find((h) => refersTo(backend?.plain.healthChecks, h));
            return {
                certificates: proxy.sslCertificates,
                healthCheckPath: check?.plain.httpHealthCheck?.requestPath,
                targetPort: check?.plain.httpHealthCheck?.port,
            };
        },
        storageCapacityGib: (resources, name) => single(resources, "gcp:filestore/instance:Instance", name).plain.fileShares.capacityGb,
        secretDescription: (resources, name) => single(resources, "gcp:secretmanager/secret:Secret", name).plain.annotations?.description,
        secondaryRanges: (resources, name) =>
            named(resources, "gcp:compute/subnetwork:Subnetwork", name).flatMap((s) => (s.plain.secondaryIpRanges ?? []).map((r: any) => r.ipCidrRange)),
    },
};

export default kit;
