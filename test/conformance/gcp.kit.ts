import type { CloudKit, Environment } from "../../components/contracts";
import { createKit } from "../../components/gcp/kit";
import { Network } from "../../components/gcp/network";
import { valueOf, type TestResource } from "../helpers/pulumi";
import type { ConformanceKit, TlsVersion } from "./kit";

/** SSL policy `minTlsVersion` values; the API's default when unset is TLS 1.0. */
const sslPolicyMinTls: Record<string, TlsVersion> = { TLS_1_0: "1.0", TLS_1_1: "1.1", TLS_1_2: "1.2", TLS_1_3: "1.3" };

const kits = new Map<Environment, CloudKit>();
const kitFor = (environment: Environment) => {
    if (!kits.has(environment)) {
        kits.set(environment, createKit({ environment, name: `conformance-gcp-${environment}`, region: "europe-west1", project: "conformance-project" }));
    }
    return kits.get(environment)!;
};
const networkFor = (name: string, environment: Environment) =>
    kitFor(environment).network(`${name}-net`, { environment, cidr: "10.40.0.0/16", zoneCount: environment === "prod" ? 3 : 2 });

/** Services of each wiring the suite built, by name, in order. */
const servicesBuilt = new Map<string, string[]>();

/** Networks the suite built, by name: GCP subnets are regional, so the zones are the network's own output. */
const networks = new Map<string, Network>();

const ofType = (resources: TestResource[], type: string) => resources.filter((r) => r.type === type);
const single = (resources: TestResource[], type: string) => {
    const found = ofType(resources, type);
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return found[0];
};
/** The offline mocks give a GCP resource the id `projects/<project>/<kind>s/<name>`. */
const refersTo = (reference: unknown, resource: TestResource) => typeof reference === "string" && reference.endsWith(`/${resource.name}`);

const kit: ConformanceKit = {
    cloud: "gcp",
    network: {
        build: (name, spec) => {
            const network = kitFor(spec.environment).network(name, spec);
            networks.set(name, network as Network);
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
                    subnets.length > 0 && subnets.every((s) => s.plain.logConfig !== undefined) && firewalls.every((f) => f.plain.logConfig?.metadata !== undefined),
            };
        },
    },
    vmGroup: {
        build: (name, spec) => kitFor(spec.environment).vmGroup(name, { ...spec, network: networkFor(name, spec.environment) }),
        facts: (resources) => {
            const mig = single(resources, "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager");
            const template = single(resources, "gcp:compute/instanceTemplate:InstanceTemplate");
            const policy = single(resources, "gcp:compute/regionAutoscaler:RegionAutoscaler").plain.autoscalingPolicy;
            const update = mig.plain.updatePolicy ?? {};
            return {
                minSize: policy.minReplicas,
                maxSize: policy.maxReplicas,
                desiredSize: mig.plain.targetSize,
                cpuTargetPercent: Math.round(policy.cpuUtilization.target * 100),
                image: template.plain.disks.map((d: any) => d.sourceImage),
                publicAddress: (template.plain.networkInterfaces ?? []).some((ni: any) => (ni.accessConfigs ?? []).length > 0),
                rolloutKeepsCapacity: update.type === "PROACTIVE" && update.maxUnavailableFixed === 0 && update.maxSurgeFixed > 0,
                // The group replaces instances only as new ones pass the auto-healing health check.
                rolloutRollsBack: mig.plain.autoHealingPolicies?.healthCheck !== undefined,
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
            const spec = deployment.plain.spec;
            return {
                nodesHavePublicAddresses: cluster.plain.privateClusterConfig?.enablePrivateNodes !== true,
                serviceKeepsCapacity: spec.strategy?.rollingUpdate?.maxUnavailable === 0,
                serviceRollsBack: spec.progressDeadlineSeconds > 0 && spec.revisionHistoryLimit > 0,
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
                    urlMaps.some((map) => refersTo(proxy.plain.urlMap, map) && map.plain.defaultUrlRedirect?.httpsRedirect === true && !map.plain.defaultService),
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
    wiring: {
        services: {
            build: (name, spec) => {
                const { environment } = spec;
                const kit = kitFor(environment);
                const network = networkFor(name, environment);
                const loadBalancer = kit.loadBalancer(`${name}-lb`, {
                    environment,
                    network,
                    certificateId: "projects/conformance-project/global/sslCertificates/site",
                    targetPort: spec.port,
                    healthCheckPath: spec.healthCheckPath,
                });
                const cluster = kit.containerCluster(`${name}-gke`, { environment, instanceType: "", minNodes: 1, maxNodes: 3, network });
                const storage = kit.sharedStorage(`${name}-fs`, { environment, network });
                const secret = kit.secretParameter(`${name}-secret`, { environment, value: spec.secretValue });
                servicesBuilt.set(name, spec.services.map((s) => s.name));
                return spec.services.map((service, i) =>
                    kit.containerService(`${name}-${service.name}`, {
                        image: "registry.example.com/app@sha256:" + "b".repeat(64),
                        cpu: 250,
                        memory: 256,
                        port: spec.port,
                        desiredCount: 2,
                        minCount: 2,
                        maxCount: 4,
                        environment,
                        cluster,
                        network,
                        loadBalancer,
                        paths: service.paths,
                        storage: i === 0 ? storage : undefined,
                        secretRefs: i === 0 ? { [spec.secretVariable]: secret } : undefined,
                    }),
                );
            },
            facts: (resources, name) => {
                const serviceNames = servicesBuilt.get(name)!;
                const named = (type: string, resourceName: string) => {
                    const found = ofType(resources, type).find((r) => r.name === resourceName);
                    if (!found) throw new Error(`expected ${type} ${resourceName}`);
                    return found;
                };
                const urlMap = named("gcp:compute/uRLMap:URLMap", `${name}-lb-https`);
                const backendServices = ofType(resources, "gcp:compute/backendService:BackendService");
                const healthChecks = ofType(resources, "gcp:compute/healthCheck:HealthCheck");
                // A service's backend service is the one over the NEG its Kubernetes Service asks GKE for.
                const backendOf = (service: string) => {
                    const k8sService = named("kubernetes:core/v1:Service", `${name}-${service}-service`);
                    const negs = Object.values(JSON.parse(k8sService.plain.metadata.annotations["cloud.google.com/neg"]).exposed_ports) as { name: string }[];
                    return backendServices.find((b) =>
                        negs.some((neg) => (b.plain.backends ?? []).some((backend: any) => String(backend.group).endsWith(`/networkEndpointGroups/${neg.name}`))),
                    );
                };
                const pathRules: { paths: string[]; service: string }[] = (urlMap.plain.pathMatchers ?? []).flatMap((m: any) => m.pathRules ?? []);
                const routes: Record<string, string[]> = {};
                const healthCheckPaths: Record<string, string> = {};
                let defaultRoute = "";
                for (const service of serviceNames) {
                    const backend = backendOf(service);
                    if (!backend) continue;
                    routes[service] = pathRules.filter((rule) => refersTo(rule.service, backend)).flatMap((rule) => rule.paths);
                    if (refersTo(urlMap.plain.defaultService, backend)) defaultRoute = service;
                    const check = healthChecks.find((h) => refersTo(backend.plain.healthChecks, h));
                    if (check) healthCheckPaths[service] = check.plain.httpHealthCheck?.requestPath;
                }

                const first = serviceNames[0];
                const deployment = named("kubernetes:apps/v1:Deployment", `${name}-${first}-deployment`);
                const pod = deployment.plain.spec.template.spec;
                const container = pod.containers[0];
                const filestore = single(resources, "gcp:filestore/instance:Instance");
                const volumes = ofType(resources, "kubernetes:core/v1:PersistentVolume");
                const claims = ofType(resources, "kubernetes:core/v1:PersistentVolumeClaim");
                // A mount counts when its claim is bound to a volume that serves the Filestore share.
                const storageMountPaths = (container.volumeMounts ?? [])
                    .filter((mount: any) => {
                        const claimName = pod.volumes.find((v: any) => v.name === mount.name)?.persistentVolumeClaim?.claimName;
                        const claim = claims.find((c) => c.plain.metadata.name === claimName && c.plain.metadata.namespace === deployment.plain.metadata.namespace);
                        const volume = volumes.find((v) => v.plain.metadata.name === claim?.plain.spec.volumeName);
                        return volume?.plain.spec.nfs?.path === `/${filestore.plain.fileShares.name}`;
                    })
                    .map((mount: any) => mount.mountPath);

                const secrets = ofType(resources, "kubernetes:core/v1:Secret");
                const secretValues = Object.fromEntries(
                    (container.env ?? [])
                        .filter((e: any) => e.valueFrom?.secretKeyRef)
                        .map((e: any) => {
                            const ref = e.valueFrom.secretKeyRef;
                            const secret = secrets.find((x) => x.plain.metadata.name === ref.name && x.plain.metadata.namespace === deployment.plain.metadata.namespace);
                            return [e.name, secret?.plain.stringData?.[ref.key]];
                        }),
                );
                return { routes, defaultRoute, healthCheckPaths, storageMountPaths, secretValues };
            },
        },
        vmGroup: {
            build: (name, { loadBalancerHealthCheckPath, ...spec }) => {
                const kit = kitFor(spec.environment);
                const network = networkFor(name, spec.environment);
                const loadBalancer = kit.loadBalancer(`${name}-lb`, {
                    environment: spec.environment,
                    network,
                    certificateId: "projects/conformance-project/global/sslCertificates/site",
                    targetPort: spec.port!,
                    healthCheckPath: loadBalancerHealthCheckPath,
                });
                return kit.vmGroup(`${name}-vms`, { ...spec, network, loadBalancer });
            },
            facts: (resources, name) => {
                const urlMap = ofType(resources, "gcp:compute/uRLMap:URLMap").find((m) => m.name === `${name}-lb-https`)!;
                const backend = ofType(resources, "gcp:compute/backendService:BackendService").find((b) => refersTo(urlMap.plain.defaultService, b));
                const mig = single(resources, "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager");
                const check = ofType(resources, "gcp:compute/healthCheck:HealthCheck").find((h) => refersTo(backend?.plain.healthChecks, h));
                const namedPort = (mig.plain.namedPorts ?? []).find((p: any) => p.name === backend?.plain.portName);
                return {
                    // The instance group's URL is the group manager's output, unknown until the group exists; the route is the group's
                    // when it balances instance groups on the group's named port, health checked by the group's own check.
                    routesToGroup:
                        backend !== undefined &&
                        namedPort !== undefined &&
                        (backend.plain.backends ?? []).length === 1 &&
                        backend.plain.backends[0].balancingMode === "UTILIZATION" &&
                        check !== undefined &&
                        refersTo(mig.plain.autoHealingPolicies?.healthCheck, check),
                    healthCheckPort: check?.plain.httpHealthCheck?.port,
                    healthCheckPath: check?.plain.httpHealthCheck?.requestPath,
                };
            },
        },
    },
};

export default kit;
