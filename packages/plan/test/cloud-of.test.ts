import { cloudResolver } from "../src/cloud-of";
import type { PlanResource } from "../src/model";
import { testFacts } from "./helpers/facts";

const table = testFacts.cloudTable;

const stack = "urn:pulumi:dev::multicloud::pulumi:pulumi:Stack::multicloud-dev";
const res = (urn: string, type: string, extra: Partial<PlanResource> = {}): PlanResource => ({
    urn,
    type,
    name: urn.split("::").pop()!,
    custom: true,
    protect: false,
    aliases: [],
    inputs: {},
    ...extra,
});

// A GKE cluster, the Kubernetes provider made from its kubeconfig, and the private cloud's provider from configuration.
const gkeComponent = res("urn:pulumi:dev::multicloud::pulumi:pulumi:Stack$multicloud:gcp:ContainerCluster::gke", "multicloud:gcp:ContainerCluster", {
    custom: false,
    parent: stack,
});
const gke = res("urn:pulumi:dev::multicloud::multicloud:gcp:ContainerCluster$gcp:container/cluster:Cluster::gke-gke", "gcp:container/cluster:Cluster", {
    parent: gkeComponent.urn,
    provider: "urn:pulumi:dev::multicloud::pulumi:providers:gcp::default::id",
});
const gkeProvider = res("urn:pulumi:dev::multicloud::multicloud:gcp:ContainerCluster$pulumi:providers:kubernetes::gke-k8s", "pulumi:providers:kubernetes", {
    parent: gkeComponent.urn,
    propertyDependencies: { kubeconfig: [gke.urn] },
    inputs: { kubeconfig: "[secret]" },
});
const onpremProvider = res("urn:pulumi:dev::multicloud::pulumi:pulumi:Stack$pulumi:providers:kubernetes::onprem", "pulumi:providers:kubernetes", {
    parent: stack,
    propertyDependencies: { kubeconfig: [] },
});
// A Kubernetes-kit component, which names no cloud of its own.
const converters = res("urn:pulumi:dev::multicloud::pulumi:pulumi:Stack$multicloud:kubernetes:ConverterGroup::cdc", "multicloud:kubernetes:ConverterGroup", {
    custom: false,
    parent: stack,
});
const onGke = res(
    "urn:pulumi:dev::multicloud::pulumi:pulumi:Stack$multicloud:kubernetes:ConverterGroup$kubernetes:apps/v1:StatefulSet::cdc-set",
    "kubernetes:apps/v1:StatefulSet",
    {
        parent: converters.urn,
        provider: `${gkeProvider.urn}::04da6b54-80e4-46f7-96ec-b56ff0331ba9`,
    },
);
const gateway = res("urn:pulumi:dev::multicloud::pulumi:pulumi:Stack$multicloud:kubernetes:VmGroup::gw", "multicloud:kubernetes:VmGroup", {
    custom: false,
    parent: stack,
});
const onPrivate = res("urn:pulumi:dev::multicloud::multicloud:kubernetes:VmGroup$kubernetes:apps/v1:Deployment::gw", "kubernetes:apps/v1:Deployment", {
    parent: gateway.urn,
    provider: `${onpremProvider.urn}::id`,
});
const plan = [gkeComponent, gke, gkeProvider, onpremProvider, converters, onGke, gateway, onPrivate];

describe("the cloud a planned resource runs on", () => {
    const cloud = cloudResolver(plan, table);

    test("is its provider package's for a public cloud's resource, whatever component holds it", () => {
        expect(cloud(gke)).toBe("gcp");
        const misplaced = res("urn:pulumi:dev::multicloud::multicloud:kubernetes:VmGroup$aws:efs/fileSystem:FileSystem::odd", "aws:efs/fileSystem:FileSystem", {
            parent: gateway.urn,
        });
        expect(cloudResolver([...plan, misplaced], table)(misplaced)).toBe("aws");
    });

    test("is the cluster's for a Kubernetes object created with a provider made from a GKE cluster", () => {
        expect(cloud(onGke)).toBe("gcp");
        expect(cloud(gkeProvider)).toBe("gcp");
    });

    test("is the private cloud's for a Kubernetes object whose provider comes from configuration", () => {
        expect(cloud(onPrivate)).toBe("onprem");
        const onDefault = res("urn:pulumi:dev::multicloud::kubernetes:core/v1:Namespace::ns", "kubernetes:core/v1:Namespace");
        expect(cloudResolver([onDefault], table)(onDefault)).toBe("onprem");
    });

    test("is where its resources run for a component, never what its type token names", () => {
        expect(cloud(converters)).toBe("gcp");
        expect(cloud(gateway)).toBe("onprem");
        expect(cloud(gkeComponent)).toBe("gcp");
    });

    test("stays the package's cloud for a public cloud's provider whose inputs come from another cloud", () => {
        const secret = res(
            "urn:pulumi:dev::multicloud::aws:secretsmanager/secretVersion:SecretVersion::gcp-key",
            "aws:secretsmanager/secretVersion:SecretVersion",
        );
        const gcpProvider = res("urn:pulumi:dev::multicloud::pulumi:providers:gcp::keyed", "pulumi:providers:gcp", {
            propertyDependencies: { credentials: [secret.urn] },
        });
        const bucket = res("urn:pulumi:dev::multicloud::gcp:storage/bucket:Bucket::b", "gcp:storage/bucket:Bucket", { provider: `${gcpProvider.urn}::id` });
        expect(cloudResolver([secret, gcpProvider, bucket], table)(bucket)).toBe("gcp");
    });

    test("is the package's for a resource the plan does not hold (a delete against the base), and the engine's for its own types", () => {
        expect(cloud({ urn: "urn:pulumi:dev::multicloud::alicloud:nas/fileSystem:FileSystem::gone", type: "alicloud:nas/fileSystem:FileSystem" })).toBe(
            "alicloud",
        );
        expect(cloud(res(stack, "pulumi:pulumi:Stack", { custom: false }))).toBe("pulumi");
        expect(cloud({ urn: "urn:pulumi:dev::multicloud::pulumi:providers:gcp::gone", type: "pulumi:providers:gcp" })).toBe("gcp");
    });

    test("follows the table the project passes in", () => {
        const dc1 = { clouds: { ...table.clouds, kubernetes: "dc1" }, inCluster: ["kubernetes"] };
        const resolve = cloudResolver(plan, dc1);
        expect(resolve(onPrivate)).toBe("dc1");
        expect(resolve(onGke)).toBe("gcp");
    });
});
