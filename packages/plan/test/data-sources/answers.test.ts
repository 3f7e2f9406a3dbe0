import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { answerCall, dataSources, shapeStandIn, UnansweredCallError } from "../../src/data-sources/index";
import { providerShapes, shapeProviders, type Shape } from "../../src/data-sources/shapes";

const allFunctions = shapeProviders.flatMap((provider) => Object.entries(providerShapes(provider).functions).map(([token, fn]) => ({ token, fn })));

const requiredKeys = (shape: Shape | null): string[] =>
    shape && typeof shape === "object" && !Array.isArray(shape) && !("*" in shape) ? Object.keys(shape).filter((key) => !key.endsWith("?")) : [];

describe("every provider function answers", () => {
    it("covers the four providers' functions", () => {
        const perProvider = Object.fromEntries(shapeProviders.map((p) => [p, Object.keys(providerShapes(p).functions).length]));
        expect(perProvider.aws).toBeGreaterThan(600);
        expect(perProvider.gcp).toBeGreaterThan(450);
        expect(perProvider.alicloud).toBeGreaterThan(750);
        expect(Object.keys(providerShapes("kubernetes").functions).sort()).toEqual([
            "kubernetes:helm:template",
            "kubernetes:kustomize:directory",
            "kubernetes:yaml:decode",
        ]);
    });

    it("answers every function with an object holding its declared required properties", () => {
        const missing: string[] = [];
        for (const { token, fn } of allFunctions) {
            const { outputs } = answerCall(token, curatedExampleInputs[token] ?? {});
            expect(typeof outputs).toBe("object");
            const absent = requiredKeys(fn.result).filter((key) => outputs[key] === undefined);
            if (absent.length) missing.push(`${token}: ${absent.join(", ")}`);
        }
        expect(missing).toEqual([]);
    });

    it("marks shape-derived answers as stand-ins; curated ones only for what the provider's configuration cannot tell", () => {
        expect(answerCall("aws:ecr/getRepository:getRepository", { name: "api" })).toMatchObject({ standIn: true, standInFor: [shapeStandIn] });
        expect(answerCall("kubernetes:helm:template", { jsonOpts: "{}" }).standIn).toBe(true);
        const configured: Record<string, Record<string, unknown>> = {
            aws: { region: "eu-central-1", allowedAccountIds: '["210987654321"]' },
            gcp: { project: "shop-prod", region: "europe-west3", zone: "europe-west3-a" },
            alicloud: { region: "eu-central-1", assumeRole: '{"roleArn":"acs:ram::5123456789012345:role/deployer"}' },
            kubernetes: { namespace: "apps" },
        };
        const standingIn = Object.keys(dataSources).filter((token) => {
            const pkg = token.split(":")[0];
            return answerCall(token, curatedExampleInputs[token] ?? {}, { pkg, values: configured[pkg] }).standIn;
        });
        // What no configuration tells: who calls, which image or parameter value the cloud holds, a project's number.
        expect(standingIn.sort()).toEqual([
            "alicloud:index/getCallerIdentity:getCallerIdentity",
            "aws:ec2/getAmi:getAmi",
            "aws:index/getCallerIdentity:getCallerIdentity",
            "aws:ssm/getParameter:getParameter",
            "gcp:organizations/getProject:getProject",
        ]);
        // Unconfigured, the region itself is a stand-in, named with the key that would set it.
        expect(answerCall("aws:index/getRegion:getRegion", {})).toMatchObject({ standIn: true, standInFor: ["the region (no aws:region is configured)"] });
    });
});

describe("a stand-in answer", () => {
    const token = "gcp:container/getRegistryRepository:getRegistryRepository";
    const repository = () => answerCall("aws:ecr/getRepository:getRepository", { name: "api", registryId: "123456789012" }).outputs;

    it("echoes the inputs the result declares", () => {
        expect(repository().name).toBe("api");
        expect(repository().registryId).toBe("123456789012");
    });

    it("fills required properties with values of their type, lists with one item of the item shape", () => {
        const outputs = repository() as any;
        expect(outputs.repositoryUrl).toMatch(/^offline-repository-url-[0-9a-f]{8}$/);
        expect(outputs.imageScanningConfigurations).toEqual([{ scanOnPush: false }]);
        expect(outputs.encryptionConfigurations).toHaveLength(1);
        expect(typeof outputs.encryptionConfigurations[0].kmsKey).toBe("string");
        expect(outputs.tags).toEqual({});
        const nat = answerCall("alicloud:vpc/getNatGateways:getNatGateways", {}).outputs as any;
        expect(nat.totalCount).toBe(0);
    });

    it("leaves optional properties unknown", () => {
        const nat = answerCall("alicloud:vpc/getNatGateways:getNatGateways", { vpcId: "vpc-1" }).outputs;
        expect(nat.vpcId).toBe("vpc-1");
        expect(nat.status).toBe(unknownValue);
        expect(nat.specification).toBe(unknownValue);
    });

    it("has a stable id derived from the token and the inputs, whatever their key order", () => {
        const a = answerCall(token, { project: "p", region: "europe-west1" }).outputs.id;
        expect(a).toMatch(/^getRegistryRepository-[0-9a-f]{8}$/);
        expect(answerCall(token, { region: "europe-west1", project: "p" }).outputs.id).toBe(a);
        expect(answerCall(token, { project: "q", region: "europe-west1" }).outputs.id).not.toBe(a);
    });

    it("answers a function the SDK unwraps with its single `result`", () => {
        expect(answerCall("aws:index/userAgent:userAgent", { productName: "x" }).outputs).toEqual({
            result: expect.stringMatching(/^offline-result-/),
        });
    });
});

describe("errors", () => {
    it("names a function no installed SDK declares and says how to add an answer", () => {
        expect(() => answerCall("aws:ecr/getRepositry:getRepositry", {})).toThrow(UnansweredCallError);
        expect(() => answerCall("aws:ecr/getRepositry:getRepositry", {})).toThrow(
            /`aws:ecr\/getRepositry:getRepositry`.*@pulumi\/aws 7\.48\.0.*npm run generate:functions.*pulumi-offline-plan's src\/data-sources\//,
        );
        expect(() => answerCall("acme:index/getThing:getThing", {})).toThrow(/`acme:index\/getThing:getThing`/);
    });

    it("names the function whose curated answer fails, and carries the message where the runtime reads it", () => {
        let error: any;
        try {
            answerCall("gcp:container/getEngineVersions:getEngineVersions", { versionPrefix: "9." });
        } catch (e) {
            error = e;
        }
        expect(error.message).toBe(
            'The offline answer to the provider function `gcp:container/getEngineVersions:getEngineVersions` failed: no GKE version starts with "9." (valid: 1.35.0-gke.1170000, 1.34.1-gke.1431000, 1.33.5-gke.1308000, 1.32.9-gke.1108000)',
        );
        expect(error.details).toBe(error.message);
    });
});

/** Inputs a curated answer needs (its function's required arguments). */
const curatedExampleInputs: Record<string, Record<string, unknown>> = {
    "alicloud:cs/getClusterCredential:getClusterCredential": { clusterId: "c-1" },
    "aws:ssm/getParameter:getParameter": { name: "/app/db" },
    "aws:index/arnParse:arnParse": { arn: "arn:aws:s3:::bucket" },
    "aws:index/arnBuild:arnBuild": { partition: "aws", service: "s3", resource: "bucket" },
    "aws:index/trimIamRolePath:trimIamRolePath": { arn: "arn:aws:iam::123456789012:role/a/b/app" },
    "gcp:index/projectFromId:projectFromId": { id: "projects/p/zones/europe-west1-b/instances/vm" },
    "gcp:index/locationFromId:locationFromId": { id: "projects/p/locations/europe-west1/clusters/c" },
    "gcp:index/regionFromId:regionFromId": { id: "projects/p/regions/europe-west1/subnetworks/s" },
    "gcp:index/zoneFromId:zoneFromId": { id: "projects/p/zones/europe-west1-b/instances/vm" },
    "gcp:index/nameFromId:nameFromId": { id: "projects/p/zones/europe-west1-b/instances/vm" },
    "gcp:index/regionFromZone:regionFromZone": { zone: "europe-west1-b" },
};
