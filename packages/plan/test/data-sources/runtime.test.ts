/**
 * Provider functions called by a program under the mock runtime in a preview,
 * as the plan runs it: what the program reads, and what its resources receive.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as alicloud from "@pulumi/alicloud";
import * as k8s from "@pulumi/kubernetes";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { useMockRuntime } from "../helpers/mock-runtime";

const run = useMockRuntime({ preview: true });

/** True when the output is known at preview. */
const isKnown = (output: pulumi.Output<unknown>) => (output as any).isKnown as Promise<boolean>;

beforeEach(() => run.reset());

describe("uncurated functions answer with their declared shape in a preview", () => {
    it("aws.ecr.getRepository: required strings known, nested lists of the item shape", async () => {
        const repository = await aws.ecr.getRepository({ name: "api" });
        expect(repository.name).toBe("api");
        expect(repository.repositoryUrl).toMatch(/^offline-repository-url-/);
        expect(repository.imageScanningConfigurations[0].scanOnPush).toBe(false);
        expect(repository.id).toMatch(/^getRepository-[0-9a-f]{8}$/);
    });

    it("gcp.compute.getNetwork: an optional property is unknown, and so is what a resource builds from it", async () => {
        const network = gcp.compute.getNetworkOutput({ name: "shared" });
        expect(await isKnown(network.selfLink)).toBe(true);
        expect(await isKnown(network.networkProfile as pulumi.Output<string>)).toBe(false);

        new gcp.compute.Subnetwork("sub", { network: network.selfLink, ipCidrRange: "10.0.0.0/24", description: network.networkProfile });
        const subnet = await run.one("gcp:compute/subnetwork:Subnetwork", "sub");
        expect(subnet.plain.network).toMatch(/^offline-self-link-/);
        expect(subnet.plain.description).toBe(unknownValue);
    });

    it("alicloud.vpc.getNatGateways: lists hold one gateway, counts are numbers, unset filters unknown", async () => {
        const gateways = await alicloud.vpc.getNatGateways({ vpcId: "vpc-123" });
        expect(gateways.vpcId).toBe("vpc-123");
        expect(gateways.gateways).toHaveLength(1);
        expect(typeof gateways.gateways[0].natGatewayName).toBe("string");
        expect(gateways.totalCount).toBe(0);
        // The plain (promise) form hands the program the runtime's unknown itself, as it does for a preview's unknowns.
        expect(pulumi.isUnknown(gateways.status)).toBe(true);
        expect(pulumi.isUnknown(gateways.totalCount)).toBe(false);
        expect(await isKnown(alicloud.vpc.getNatGatewaysOutput({ vpcId: "vpc-123" }).status as pulumi.Output<string>)).toBe(false);
    });

    it("kubernetes: a Helm chart cannot be rendered offline, so its objects are unknown rather than absent or an error", async () => {
        const chart = new k8s.helm.v3.Chart("ingress", { chart: "ingress-nginx", fetchOpts: { repo: "https://kubernetes.github.io/ingress-nginx" } });
        expect(await isKnown(chart.resources)).toBe(false);
        expect(await run.ofType("kubernetes:core/v1:Service")).toEqual([]);
    });
});

describe("curated functions in a preview", () => {
    it("kubernetes: a YAML config group registers the objects the YAML holds", async () => {
        new k8s.yaml.ConfigGroup("base", {
            yaml: "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: partner\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: partner\ndata:\n  mode: strict\n",
        });
        const configMap = await run.one("kubernetes:core/v1:ConfigMap");
        expect(configMap.plain.data).toEqual({ mode: "strict" });
        expect(await run.ofType("kubernetes:core/v1:Namespace")).toHaveLength(1);
    });

    it("aws: a bucket policy holds the document getPolicyDocument renders", async () => {
        const document = aws.iam.getPolicyDocumentOutput({
            statements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::assets/*"], principals: [{ type: "*", identifiers: ["*"] }] }],
        });
        new aws.s3.BucketPolicy("assets", { bucket: "assets", policy: document.json });
        const policy = await run.one("aws:s3/bucketPolicy:BucketPolicy", "assets");
        expect(JSON.parse(policy.plain.policy).Statement[0]).toEqual({
            Effect: "Allow",
            Action: "s3:GetObject",
            Resource: "arn:aws:s3:::assets/*",
            Principal: "*",
        });
    });
});

describe("failures reach the program with the function's name", () => {
    it("a curated answer that fails", async () => {
        await expect(gcp.container.getEngineVersions({ versionPrefix: "0.9." })).rejects.toThrow(
            /`gcp:container\/getEngineVersions:getEngineVersions` failed: no GKE version starts with "0\.9\."/,
        );
    });

    it("a function no provider declares", async () => {
        await expect(pulumi.runtime.invoke("aws:ecr/getRepositry:getRepositry", {})).rejects.toThrow(
            /no provider function `aws:ecr\/getRepositry:getRepositry`/,
        );
    });
});
