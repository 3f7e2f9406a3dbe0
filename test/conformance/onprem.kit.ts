/**
 * The private cloud (an existing Kubernetes cluster) in the conformance suite.
 *
 * Kubernetes has no VPCs, NAT gateways or load-balancer appliances of its own, so
 * each contract's facts are read from what stands in for them here:
 *
 * - Network is a namespace. The cluster's CNI assigns pod addresses, so there is no
 *   subnet a namespace owns: the address block from the plan is recorded on the
 *   namespace (annotation) and reported as its only private CIDR; that the pods'
 *   traffic leaves the cluster from that block is the cluster's network set-up, not
 *   something the kit enforces. zoneCount is recorded the same way and enforced
 *   on workloads: VM groups spread over the zones with topology spread `minDomains`.
 *   natEgress: pods never get a public address (PSS restricted forbids hostNetwork)
 *   and egress is denied unless a policy allows it; the fact is the default-deny
 *   policy covering Egress. trafficLogsOrDefaultDeny: the default-deny policy
 *   covering Ingress and Egress for every pod.
 * - VmGroup is a Deployment + HPA. The neutral test image id ("image-pinned-0001",
 *   immutable like an AMI id) becomes a reference pinned by digest, the only
 *   immutable image reference Kubernetes has. Rollback: Kubernetes does not roll
 *   back by itself; with maxUnavailable 0 a rollout that never gets ready leaves
 *   the old ReplicaSet serving, Pulumi's wait for it fails the update, and the
 *   deploy reverts it (the rollout facts in kubernetes-facts.ts).
 * - ContainerCluster is a tenancy (service account, compute quota) on a cluster
 *   the kit does not own. nodesHavePublicAddresses: no pod can use a node's
 *   network (namespace enforces PSS restricted). logsRetained: containers can only
 *   log to stdout/stderr (read-only root file system), which the kubelet keeps and
 *   the cluster's log agent ships; retention itself is the log store's, outside
 *   the kit.
 * - LoadBalancer is a Service + Ingress (ingress-nginx annotations). TLS minimum:
 *   the ingress allows only TLS 1.2 AEAD suites, which TLS 1.0/1.1 cannot
 *   negotiate. Health check: only pods passing their readiness probe are
 *   endpoints of the Service. Deletion protection: Kubernetes has none, so the
 *   Pulumi `protect` option in prod. Access logs: the enable-access-log annotation.
 * - SharedStorage is a ReadWriteMany PVC. Encryption at rest is a property of the
 *   storage class's backing store, invisible to the API: the fact is that the
 *   claim names the configured class explicitly (never the cluster default), and
 *   the configured class must be an encrypted one. Reachable from: only pods of
 *   the claim's namespace can mount it. Backup: a Velero Schedule of the namespace.
 */
import { createHash } from "node:crypto";
import type { Environment } from "../../components/contracts";
import { createOnPremKit, type OnPremKit } from "../../components/onprem/kit";
import { tls12Ciphers } from "../../components/onprem/load-balancer";
import { addressBlockAnnotation, defaultPodLimit, zoneCountAnnotation } from "../../components/onprem/network";
import type { TestResource } from "../helpers/pulumi";
import type { ConformanceKit, TlsVersion } from "./kit";
import { deploymentRollout, millicores, podFacts, serviceFacts, single as singleOf } from "./kubernetes-facts";

const kits = new Map<Environment, OnPremKit>();
function kitFor(environment: Environment): OnPremKit {
    if (!kits.has(environment)) kits.set(environment, createOnPremKit({ environment, name: `conformance-onprem-${environment}`, region: "onprem" }));
    return kits.get(environment)!;
}

const networkFor = (name: string, environment: Environment) =>
    kitFor(environment).network(`${name}-net`, { environment, cidr: "10.40.0.0/16", zoneCount: environment === "prod" ? 3 : 2 });

const pinned = (imageId: string) => `registry.example.internal/conformance/${imageId}@sha256:${createHash("sha256").update(imageId).digest("hex")}`;

const ofType = (resources: TestResource[], type: string) => resources.filter((r) => r.type === type);
const only = (resources: TestResource[], type: string) => {
    const found = ofType(resources, type);
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return found[0];
};

const isDefaultDeny = (policy: TestResource, type: "Ingress" | "Egress") => {
    const spec = policy.plain.spec ?? {};
    const selectsAll = Object.keys(spec.podSelector ?? {}).length === 0;
    const rules = type === "Ingress" ? spec.ingress : spec.egress;
    return selectsAll && (spec.policyTypes ?? []).includes(type) && (rules ?? []).length === 0;
};

/** Whether an Ingress sends traffic to a Service that selects the Deployment's pods. */
function behindIngress(resources: TestResource[], deployment: TestResource): boolean {
    const podLabels = deployment.plain.spec.template.metadata?.labels ?? {};
    const services = ofType(resources, "kubernetes:core/v1:Service").filter((s) => {
        const selector = Object.entries(s.plain.spec?.selector ?? {});
        return selector.length > 0 && selector.every(([k, v]) => podLabels[k] === v);
    });
    return services.some((service) =>
        ofType(resources, "kubernetes:networking.k8s.io/v1:Ingress").some((i) =>
            (i.plain.spec?.rules ?? []).some((rule: any) =>
                rule.http.paths.some((p: any) => p.backend.service.name === (service.plain.metadata?.name ?? service.name)),
            ),
        ),
    );
}

const kit: ConformanceKit = {
    cloud: "onprem",
    cloudKit: kitFor,
    rollout: { vmGroup: deploymentRollout, containerService: deploymentRollout },
    wiring: {
        vmGroup(resources, name) {
            const pod = podFacts(resources, name);
            const probe = pod.container.readinessProbe.httpGet;
            return {
                healthCheck: { port: probe.port, path: probe.path },
                behindLoadBalancer: behindIngress(resources, pod.deployment),
                mountsSharedStorage: pod.storageMounted,
                readsSecrets: Object.keys(pod.secretValues).length > 0,
                scheduledMinimums: pod.scheduledMinimums,
            };
        },
        containerService(resources, name) {
            const pod = podFacts(resources, name);
            // One Ingress per load balancer, serving its pods at "/".
            return serviceFacts(pod, behindIngress(resources, pod.deployment) ? ["*"] : []);
        },
        cluster(resources, name) {
            // A tenancy on a cluster the kit does not own: "nodes" are full-size pod slots, held by the compute quota.
            const quota = singleOf(resources, "kubernetes:core/v1:ResourceQuota", name).plain.spec.hard;
            return { maxNodes: millicores(quota["requests.cpu"]) / defaultPodLimit.cpuMillicores };
        },
        loadBalancer(resources, name) {
            const ingress = singleOf(resources, "kubernetes:networking.k8s.io/v1:Ingress", name).plain;
            // Only pods passing their readiness probe are the Service's endpoints: that probe is the health check.
            const pods = ofType(resources, "kubernetes:apps/v1:Deployment").map((d) => d.plain.spec.template.spec.containers[0]);
            return {
                certificates: (ingress.spec.tls ?? []).map((t: any) => t.secretName),
                healthCheckPath: pods[0]?.readinessProbe?.httpGet?.path,
            };
        },
        storageCapacityGib: (resources, name) =>
            parseInt(singleOf(resources, "kubernetes:core/v1:PersistentVolumeClaim", name).plain.spec.resources.requests.storage, 10),
        secretDescription: (resources, name) => singleOf(resources, "kubernetes:core/v1:Secret", name).plain.metadata?.annotations?.["multicloud/description"],
        // The cluster's CNI assigns pod and service addresses; a namespace reserves none.
        secondaryRanges: () => [],
    },
    network: {
        build(name, spec) {
            return kitFor(spec.environment).network(name, spec);
        },
        facts(resources) {
            const namespace = only(resources, "kubernetes:core/v1:Namespace");
            const annotations = namespace.plain.metadata?.annotations ?? {};
            const policies = ofType(resources, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
            const pss = namespace.plain.metadata?.labels?.["pod-security.kubernetes.io/enforce"];
            return {
                zoneCount: Number(annotations[zoneCountAnnotation]),
                privateSubnetCidrs: [annotations[addressBlockAnnotation]].filter(Boolean),
                natEgress: pss === "restricted" && policies.some((p) => isDefaultDeny(p, "Egress")),
                trafficLogsOrDefaultDeny: policies.some((p) => isDefaultDeny(p, "Ingress") && isDefaultDeny(p, "Egress")),
            };
        },
    },
    vmGroup: {
        build(name, spec) {
            if (typeof spec.imageId !== "string") throw new Error("the conformance cases name a VM group's image as a plain string");
            const network = networkFor(name, spec.environment);
            return kitFor(spec.environment).vmGroup(name, { ...spec, imageId: pinned(spec.imageId), network });
        },
        facts(resources) {
            const deployment = only(resources, "kubernetes:apps/v1:Deployment");
            const hpa = only(resources, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
            const pod = deployment.plain.spec.template.spec;
            const cpu = hpa.plain.spec.metrics.find((m: any) => m.type === "Resource" && m.resource.name === "cpu");
            return {
                minSize: hpa.plain.spec.minReplicas,
                maxSize: hpa.plain.spec.maxReplicas,
                desiredSize: deployment.plain.spec.replicas,
                cpuTargetPercent: cpu?.resource.target.averageUtilization,
                image: pod.containers.map((c: any) => c.image),
                publicAddress: pod.hostNetwork === true || ofType(resources, "kubernetes:core/v1:Service").some((s) => s.plain.spec?.type !== "ClusterIP"),
                countOwnedByAutoscaler: deployment.options.ignoreChanges.includes("spec.replicas"),
            };
        },
    },
    containerCluster: {
        build(name, { cluster, service }) {
            const kit = kitFor(cluster.environment);
            const network = networkFor(name, cluster.environment);
            const handle = kit.containerCluster(name, { ...cluster, network });
            return kit.containerService(`${name}-svc`, { ...service, environment: cluster.environment, cluster: handle, network });
        },
        facts(resources) {
            const namespace = only(resources, "kubernetes:core/v1:Namespace");
            const deployment = only(resources, "kubernetes:apps/v1:Deployment");
            const pss = namespace.plain.metadata?.labels?.["pod-security.kubernetes.io/enforce"];
            const pod = deployment.plain.spec.template.spec;
            return {
                nodesHavePublicAddresses: !["restricted", "baseline"].includes(pss) || pod.hostNetwork === true,
                serviceCountOwnedByAutoscaler: deployment.options.ignoreChanges.includes("spec.replicas"),
                logsRetained: pod.containers.every((c: any) => c.securityContext?.readOnlyRootFilesystem === true),
            };
        },
    },
    loadBalancer: {
        build(name, spec) {
            const network = networkFor(name, spec.environment);
            return kitFor(spec.environment).loadBalancer(name, { ...spec, network });
        },
        facts(resources) {
            const ingress = only(resources, "kubernetes:networking.k8s.io/v1:Ingress");
            const service = only(resources, "kubernetes:core/v1:Service");
            const annotations = ingress.plain.metadata?.annotations ?? {};
            const ciphers = String(annotations["nginx.ingress.kubernetes.io/ssl-ciphers"] ?? "").split(":");
            const aeadOnly = ciphers.length > 0 && ciphers.every((c) => /GCM|CHACHA20/.test(c));
            const minTlsVersion: TlsVersion = aeadOnly && annotations["nginx.ingress.kubernetes.io/ssl-ciphers"] === tls12Ciphers ? "1.2" : "1.0";
            return {
                minTlsVersion,
                httpOnlyRedirects: annotations["nginx.ingress.kubernetes.io/force-ssl-redirect"] === "true" && (ingress.plain.spec?.tls ?? []).length > 0,
                healthCheck: service.plain.spec?.publishNotReadyAddresses !== true && service.plain.spec?.type === "ClusterIP",
                deletionProtection: ingress.options.protect && service.options.protect,
                accessLogs: annotations["nginx.ingress.kubernetes.io/enable-access-log"] === "true",
            };
        },
    },
    sharedStorage: {
        build(name, spec) {
            const network = networkFor(name, spec.environment);
            return kitFor(spec.environment).sharedStorage(name, { ...spec, network });
        },
        facts(resources) {
            const claim = only(resources, "kubernetes:core/v1:PersistentVolumeClaim");
            const namespace = claim.plain.metadata?.namespace;
            const schedules = ofType(resources, "kubernetes:velero.io/v1:Schedule");
            return {
                encryptedAtRest: typeof claim.plain.spec?.storageClassName === "string" && claim.plain.spec.storageClassName.length > 0,
                reachableFrom: namespace ? [`namespace/${namespace}`] : [],
                backedUp: schedules.some((s) => (s.plain.spec?.template?.includedNamespaces ?? []).includes(namespace)),
            };
        },
    },
    secretParameter: {
        build(name, spec) {
            const network = networkFor(name, "dev");
            return kitFor("dev").secretParameter(name, { ...spec, environment: "dev", network });
        },
    },
};

export default kit;
