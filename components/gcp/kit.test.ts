import * as pulumi from "@pulumi/pulumi";
import { useMockRuntime } from "../../test/helpers/pulumi";
import { createKit } from "./kit";

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
    const cluster = kit.containerCluster("k2-gke", { environment: "dev", instanceType: "e2-standard-4", minNodes: 1, maxNodes: 2, network });
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

test("offers a table of machine types with capacity in 1024-per-vCPU units", () => {
    expect(kit.instanceTypes).toContain("e2-standard-4");
    expect(kit.instanceCapacity("n2-standard-8")!.cpu).toBeGreaterThan(7 * 1024);
    expect(kit.instanceCapacity("m1-megamem-96")).toBeUndefined();
});

test("rejects a machine type it does not offer", () => {
    const network = kit.network("k3-net", { environment: "dev", cidr: "10.52.0.0/16", zoneCount: 2 });
    expect(() =>
        kit.vmGroup("k3-vms", { environment: "dev", network, imageId: "i", instanceType: "m1-megamem-96", minSize: 1, desiredSize: 1, maxSize: 1, cpuTargetPercent: 50 }),
    ).toThrow(/GCP kit: `instanceType` must be one of e2-standard-2, .*, got "m1-megamem-96"/);
});

test("rejects a handle from another kit", () => {
    const foreign = { cloud: "aws", networkId: pulumi.output("vpc"), privateCidrs: [] } as any;
    expect(() => kit.sharedStorage("k4-fs", { environment: "dev", network: foreign })).toThrow(
        "gcp kit: `network` must be a Network made by the gcp kit; got a handle from the aws kit.",
    );
});

test("refuses a load balancer on a VM group, naming the kits that can route to one", () => {
    const network = kit.network("k5-net", { environment: "dev", cidr: "10.53.0.0/16", zoneCount: 2 });
    const loadBalancer = kit.loadBalancer("k5-lb", { environment: "dev", network, certificateId: "c", targetPort: 80, healthCheckPath: "/" });
    expect(() =>
        kit.vmGroup("k5-vms", { environment: "dev", network, loadBalancer, imageId: "i", instanceType: "", minSize: 1, desiredSize: 1, maxSize: 1, cpuTargetPercent: 50 }),
    ).toThrow('gcp kit: vmGroup("k5-vms") sets `loadBalancer` of a vmGroup, which the gcp kit cannot honour; the kits that can: aws, alicloud, onprem.');
});

test("refuses a load balancer on a container service, naming the kits that can route to one", () => {
    const network = kit.network("k6-net", { environment: "dev", cidr: "10.54.0.0/16", zoneCount: 2 });
    const cluster = kit.containerCluster("k6-gke", { environment: "dev", instanceType: "", minNodes: 1, maxNodes: 2, network });
    const loadBalancer = kit.loadBalancer("k6-lb", { environment: "dev", network, certificateId: "c", targetPort: 80, healthCheckPath: "/" });
    const service = { image: "i", cpu: 256, memory: 512, port: 80, desiredCount: 1, minCount: 1, maxCount: 1 };
    expect(() => kit.containerService("k6-svc", { ...service, environment: "dev", cluster, network, loadBalancer })).toThrow(
        'gcp kit: containerService("k6-svc") sets `loadBalancer` of a containerService, which the gcp kit cannot honour; the kits that can: aws, alicloud, onprem.',
    );
});

test("requires a project", () => {
    expect(() => createKit({ environment: "dev", name: "no-project", region: "europe-west1" })).toThrow(
        "GCP kit: `project` is required (the GCP project id, multicloud:gcpProject).",
    );
});
