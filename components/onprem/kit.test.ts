import * as pulumi from "@pulumi/pulumi";
import { useMockRuntime } from "../../test/helpers/pulumi";
import { createKit, createOnPremKit } from "./kit";

const run = useMockRuntime();

test("creates an explicit provider from the kubeconfig and context, and every resource uses it", async () => {
    const kit = createKit({ environment: "dev", name: "explicit", region: "onprem", kubeconfig: pulumi.secret("apiVersion: v1"), kubeContext: "dc1" });
    kit.network("exp", { environment: "dev", cidr: "10.40.0.0/16", zoneCount: 2 });
    const provider = await run.one("pulumi:providers:kubernetes", "explicit");
    expect(provider.plain).toMatchObject({ kubeconfig: "apiVersion: v1", context: "dc1" });
    const ns = await run.one("kubernetes:core/v1:Namespace", "exp");
    expect(ns.provider).toContain(provider.urn);
});

test("every size is a pod as large as the LimitRange admits: the nodes are the cluster's own", () => {
    const kit = createKit({ environment: "dev", name: "types", region: "onprem" });
    expect(kit.cloud).toBe("onprem");
    expect(kit.instanceTypeOf("small")).toBe("pod");
    expect(kit.sizeCapacity("small")).toEqual({ cpu: 2000, memoryMiB: 4096 });
    expect(kit.sizeCapacity("xlarge")).toEqual({ cpu: 2000, memoryMiB: 4096 });
});

test("a container service gets the cluster's service account, the load balancer's label and ingress, and its egress lists", async () => {
    const kit = createOnPremKit({ environment: "dev", name: "svc-kit", region: "onprem", onprem: { ingressControllerNamespace: "edge" } });
    const network = kit.network("svcnet", { environment: "dev", cidr: "10.40.0.0/16", zoneCount: 2 });
    const cluster = kit.containerCluster("svccl", { environment: "dev", size: "small", minNodes: 1, maxNodes: 4, network });
    const loadBalancer = kit.loadBalancer("svclb", { environment: "dev", targetPort: 8080, healthCheckPath: "/ready", network });
    const token = kit.secretParameter("svctoken", { environment: "dev", value: pulumi.secret("t") });
    kit.containerService("svcgw", {
        environment: "dev",
        image: "registry.example.internal/gw:1.0.0",
        cpu: 500,
        memory: 512,
        port: 8080,
        desiredCount: 2,
        minCount: 2,
        maxCount: 4,
        egressAllowCidrs: { "bank-a": ["192.0.2.0/24"] },
        cluster,
        network,
        loadBalancer,
        secretRefs: { TOKEN: token },
    });
    const pod = (await run.one("kubernetes:apps/v1:Deployment", "svcgw")).plain.spec.template.spec;
    const account = await run.one("kubernetes:core/v1:ServiceAccount", "svccl");
    expect(pod.serviceAccountName).toBe(account.plain.metadata?.name ?? account.name);
    expect(pod.containers[0].readinessProbe.httpGet.path).toBe("/ready");
    expect(pod.containers[0].env[0].name).toBe("TOKEN");
    expect((await run.one("kubernetes:apps/v1:Deployment", "svcgw")).plain.spec.template.metadata.labels["multicloud/load-balancer"]).toBe("svclb");
    const ingress = await run.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "svcgw-ingress");
    expect(ingress.plain.spec.ingress[0].from[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"]).toBe("edge");
    await run.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "svcgw-egress-bank-a");
    expect((await run.one("kubernetes:networking.k8s.io/v1:Ingress", "svclb")).plain.spec.rules[0].host).toBe("svclb.apps.onprem.internal");
});

test("a secret without a network needs exactly one network on the kit", () => {
    const kit = createKit({ environment: "dev", name: "nonet", region: "onprem" });
    expect(() => kit.secretParameter("orphan", { environment: "dev", value: pulumi.secret("t") })).toThrow(
        'onprem kit: secretParameter("orphan") needs a namespace: create exactly one network with this kit first (found 0), or pass `network`.',
    );
});

test("refuses handles from another kit", () => {
    const kit = createKit({ environment: "dev", name: "foreign", region: "onprem" });
    const foreign = { cloud: "aws" } as any;
    expect(() => kit.sharedStorage("fs", { environment: "dev", network: foreign })).toThrow(
        "onprem kit: `network` must be a Network made by the onprem kit; got a handle from the aws kit.",
    );
});

test("refuses path routing it cannot do", () => {
    const kit = createKit({ environment: "dev", name: "paths", region: "onprem" });
    const network = kit.network("pathnet", { environment: "dev", cidr: "10.40.0.0/16", zoneCount: 2 });
    const cluster = kit.containerCluster("pathcl", { environment: "dev", size: "small", minNodes: 1, maxNodes: 2, network });
    expect(() =>
        kit.containerService("pathsvc", {
            environment: "dev",
            image: "registry.example.internal/gw:1.0.0",
            cpu: 250,
            memory: 256,
            port: 8080,
            desiredCount: 1,
            minCount: 1,
            maxCount: 2,
            cluster,
            network,
            paths: ["/api/*"],
        }),
    ).toThrow(/^onprem kit: containerService\("pathsvc"\) sets `paths` of a containerService, which the onprem kit cannot honour; the kits that can: aws, gcp/);
});
