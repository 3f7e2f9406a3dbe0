import * as pulumi from "@pulumi/pulumi";
import { useMockRuntime, valueOf } from "../../test/helpers/pulumi";
import { maskForDisplay } from "pulumi-offline-plan/runtime";
import { createKit } from "./kit";
import { Network } from "./network";

const run = useMockRuntime();
const kit = createKit({ environment: "dev", name: "kit-test", region: "europe-west1", project: "marketplace-analytics" });

test("one explicit GCP provider for the project and region; components use it", async () => {
    kit.network("k1-net", { environment: "dev", cidr: "10.50.0.0/16", zoneCount: 2 });
    const provider = await run.one("pulumi:providers:gcp", "kit-test");
    expect(provider.plain).toMatchObject({ project: "marketplace-analytics", region: "europe-west1" });
    const vpc = await run.one("gcp:compute/network:Network", "k1-net");
    expect(vpc.provider).toContain("kit-test-provider");
});

test("the converter group runs through the cluster's Kubernetes provider", async () => {
    const network = kit.network("k2-net", { environment: "dev", cidr: "10.51.0.0/16", zoneCount: 2 });
    const cluster = kit.containerCluster("k2-gke", { environment: "dev", size: "medium", minNodes: 1, maxNodes: 2, network });
    kit.converterGroup!("k2-cdc", {
        environment: "dev",
        cluster,
        replicas: 2,
        image: "r.example.com/cdc@sha256:" + "c".repeat(64),
        consumerGroup: "g",
        sourceEndpoint: "a.internal:5432",
        targetEndpoint: "b.internal:9092",
        credentials: pulumi.secret("c"),
        metricsPort: 9404,
    });
    const set = await run.one("kubernetes:apps/v1:StatefulSet", "k2-cdc");
    expect(set.provider).toContain("k2-gke-k8s");
});

test("maps each size to an n2-standard type; capacity is what GKE leaves to pods, in millicores", () => {
    expect(kit.instanceTypeOf("large")).toBe("n2-standard-8");
    expect(kit.sizeCapacity("large").cpu).toBeGreaterThan(7900);
    expect(kit.sizeCapacity("large").cpu).toBeLessThan(8000);
});

test("rejects a size it does not know, naming the sizes", () => {
    const network = kit.network("k3-net", { environment: "dev", cidr: "10.52.0.0/16", zoneCount: 2 });
    expect(() =>
        kit.vmGroup("k3-vms", { environment: "dev", network, imageId: "i", size: "huge" as any, minSize: 1, desiredSize: 1, maxSize: 1, cpuTargetPercent: 50 }),
    ).toThrow(
        'vmGroup("k3-vms"): `size` must be one of small (2 vCPU, 8 GiB), medium (4 vCPU, 16 GiB), large (8 vCPU, 32 GiB), xlarge (16 vCPU, 64 GiB); got "huge".',
    );
});

test("rejects a handle from another kit", () => {
    const foreign = { cloud: "aws", networkId: pulumi.output("vpc"), privateCidrs: [] } as any;
    expect(() => kit.sharedStorage("k4-fs", { environment: "dev", network: foreign })).toThrow(
        "gcp kit: `network` must be a Network made by the gcp kit; got a handle from the aws kit.",
    );
});

const vmSpec = { environment: "dev" as const, imageId: "i", size: "small" as const, minSize: 1, desiredSize: 1, maxSize: 2, cpuTargetPercent: 50 };

test("a VM group behind the load balancer: a backend service over its instance group, on its named port and health check", async () => {
    const network = kit.network("k5-net", { environment: "dev", cidr: "10.53.0.0/16", zoneCount: 2 });
    const loadBalancer = kit.loadBalancer("k5-lb", { environment: "dev", network, certificateId: "c", targetPort: 8080, healthCheckPath: "/healthz" });
    kit.vmGroup("k5-vms", { ...vmSpec, network, loadBalancer, port: 8080, healthCheckPath: "/healthz" });
    const mig = await run.one("gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager", "k5-vms");
    expect(mig.plain.namedPorts).toEqual([{ name: "http", port: 8080 }]);
    const backend = await run.one("gcp:compute/backendService:BackendService", "k5-lb");
    expect(backend.plain.portName).toBe("http");
    // The group's URL is the instance group manager's output, known once the group exists.
    expect(backend.plain.backends).toEqual([expect.objectContaining({ balancingMode: "UTILIZATION", maxUtilization: 0.8, capacityScaler: 1 })]);
    const groupCheck = await run.one("gcp:compute/healthCheck:HealthCheck", "k5-vms");
    expect(groupCheck.plain.httpHealthCheck).toMatchObject({ port: 8080, requestPath: "/healthz" });
    expect(backend.plain.healthChecks).toContain("k5-vms-health");
    expect((await run.one("gcp:compute/uRLMap:URLMap", "k5-lb-https")).plain.defaultService).toContain(backend.name);
    const firewall = await run.one("gcp:compute/firewall:Firewall", "k5-vms");
    expect(firewall.plain).toMatchObject({ sourceRanges: ["35.191.0.0/16", "130.211.0.0/22"], allows: [{ protocol: "tcp", ports: ["8080"] }] });
});

test("a VM group behind a load balancer needs a port", async () => {
    const network = kit.network("k6-net", { environment: "dev", cidr: "10.54.0.0/16", zoneCount: 2 });
    const loadBalancer = kit.loadBalancer("k6-lb", { environment: "dev", network, certificateId: "c", targetPort: 80, healthCheckPath: "/" });
    expect(() => kit.vmGroup("k6-vms", { ...vmSpec, network, loadBalancer })).toThrow(
        'gcp kit: vmGroup("k6-vms") sets `loadBalancer` but no `port`: the load balancer needs the port the instances serve on.',
    );
    await run.all();
});

test("container services: routes over NEGs in the cluster's zones, the Filestore share mounted, secrets as values", async () => {
    const network = kit.network("k7-net", { environment: "dev", cidr: "10.55.0.0/16", zoneCount: 2 });
    const cluster = kit.containerCluster("k7-gke", { environment: "dev", size: "small", minNodes: 1, maxNodes: 2, network });
    const loadBalancer = kit.loadBalancer("k7-lb", { environment: "dev", network, certificateId: "c", targetPort: 8080, healthCheckPath: "/ready" });
    const storage = kit.sharedStorage("k7-fs", { environment: "dev", network });
    const token = kit.secretParameter("k7-token", { environment: "dev", value: pulumi.secret("k7-plaintext") });
    const service = { image: "r.example.com/app:1.0", cpu: 256, memory: 512, port: 8080, desiredCount: 1, minCount: 1, maxCount: 2 };
    kit.containerService("k7-api", {
        ...service,
        environment: "dev",
        cluster,
        network,
        loadBalancer,
        paths: ["/api/*"],
        storage,
        secretRefs: { TOKEN: token },
    });
    kit.containerService("k7-web", { ...service, environment: "dev", cluster, network, loadBalancer });

    if (!(network instanceof Network)) throw new Error("the gcp kit's network is a gcp Network");
    const zones = await valueOf(network.zones);
    const apiBackend = await run.one("gcp:compute/backendService:BackendService", "k7-lb-k7-api");
    expect(apiBackend.plain.backends.map((b: any) => b.group)).toEqual(
        zones.map((zone) => `https://www.googleapis.com/compute/v1/projects/marketplace-analytics/zones/${zone}/networkEndpointGroups/k7-api-neg`),
    );
    const map = await run.one("gcp:compute/uRLMap:URLMap", "k7-lb-https");
    expect(map.plain.defaultService).toContain("k7-lb-k7-web");
    expect(map.plain.pathMatchers[0].pathRules).toEqual([{ paths: ["/api/*"], service: expect.stringContaining("k7-lb-k7-api") }]);

    const firewall = await run.one("gcp:compute/firewall:Firewall", "k7-api");
    expect(firewall.provider).toContain("kit-test-provider");
    expect(firewall.plain.network).toContain("k7-net-vpc");
    expect(firewall.plain.targetServiceAccounts).toEqual([expect.stringMatching(/^k7-gke-nodes.*@marketplace-analytics\.iam\.gserviceaccount\.com$/)]);
    expect((await run.one("kubernetes:core/v1:Service", "k7-api")).provider).toContain("k7-gke-k8s");

    const filestore = await run.one("gcp:filestore/instance:Instance", "k7-fs");
    const volume = await run.one("kubernetes:core/v1:PersistentVolume", "k7-api");
    expect(volume.plain.spec.nfs.path).toBe(`/${filestore.plain.fileShares.name}`);
    expect(volume.plain.spec.capacity.storage).toBe(`${filestore.plain.fileShares.capacityGb}Gi`);
    expect(await run.ofType("kubernetes:core/v1:PersistentVolume", "k7-web")).toEqual([]);

    const secret = await run.one("kubernetes:core/v1:Secret", "k7-api");
    expect(secret.plain.stringData).toEqual({ TOKEN: "k7-plaintext" });
    const container = (await run.one("kubernetes:apps/v1:Deployment", "k7-api")).plain.spec.template.spec.containers[0];
    expect(container.env).toContainEqual({ name: "TOKEN", valueFrom: { secretKeyRef: { name: "k7-api-secrets", key: "TOKEN" } } });
    const everything = JSON.stringify((await run.all()).map((r) => maskForDisplay(r.inputs)));
    expect(everything).not.toContain("k7-plaintext");
});

test("paths need a load balancer to route them on", async () => {
    const network = kit.network("k8-net", { environment: "dev", cidr: "10.56.0.0/16", zoneCount: 2 });
    const cluster = kit.containerCluster("k8-gke", { environment: "dev", size: "small", minNodes: 1, maxNodes: 2, network });
    const service = { image: "r.example.com/app:1.0", cpu: 256, memory: 512, port: 8080, desiredCount: 1, minCount: 1, maxCount: 2 };
    expect(() => kit.containerService("k8-api", { ...service, environment: "dev", cluster, network, paths: ["/api/*"] })).toThrow(
        'gcp kit: containerService("k8-api") sets `paths` but no `loadBalancer` to route them on.',
    );
    await run.all();
});

test("requires a project", () => {
    expect(() => createKit({ environment: "dev", name: "no-project", region: "europe-west1" })).toThrow(
        "GCP kit: `project` is required (the GCP project id, multicloud:gcpProject).",
    );
});
