/**
 * Provider functions answer from the configuration of the provider they are
 * called with, as a real preview's provider would: the stack's `aws:*`, `gcp:*`
 * and `alicloud:*` keys for the default providers, an explicit provider's own
 * arguments for the calls made with it (or with a parent given it). What no
 * configuration tells is a stand-in the plan names.
 */
import { planStack, type Plan } from "../src/plan";
import { planDocument } from "../src/preview-json";
import { renderTerminal, reviewPlan } from "./helpers/facts";
import { fixture } from "./helpers/cli";

let frankfurt: Plan;
let bare: Plan;
beforeAll(async () => {
    // The providers read these when their configuration is silent; the "bare" stack must find them unset.
    for (const name of ["AWS_REGION", "AWS_DEFAULT_REGION", "GOOGLE_PROJECT", "GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT", "CLOUDSDK_CORE_PROJECT"])
        delete process.env[name];
    for (const name of ["GOOGLE_REGION", "GCLOUD_REGION", "CLOUDSDK_COMPUTE_REGION", "ALIBABA_CLOUD_REGION", "ALICLOUD_REGION"]) delete process.env[name];
    frankfurt = (await planStack({ cwd: fixture("regional-program"), stack: "frankfurt" }, undefined)).plan;
    bare = (await planStack({ cwd: fixture("regional-program"), stack: "bare" }, undefined)).plan;
}, 120_000);

describe("default providers answer from the stack's configuration", () => {
    test("aws: aws:region eu-central-1 gives its region and zones; the one allowed account is the caller's account", () => {
        expect(frankfurt.outputs.defaultRegion).toBe("eu-central-1");
        expect(frankfurt.outputs.defaultZones).toEqual(["eu-central-1a", "eu-central-1b", "eu-central-1c"]);
        expect(frankfurt.outputs.defaultAccount).toBe("210987654321");
    });

    test("gcp: gcp:project and gcp:region give the project and the zones of europe-west3", () => {
        expect(frankfurt.outputs.gcpProject).toBe("shop-analytics");
        expect(frankfurt.outputs.gcpZones).toEqual(["europe-west3-a", "europe-west3-b", "europe-west3-c"]);
    });

    test("alicloud: getRegions({ current: true }) answers alicloud:region", () => {
        expect(frankfurt.outputs.alicloudRegions).toEqual(["ap-southeast-1"]);
    });
});

describe("explicit providers answer from their own arguments", () => {
    test("aws: a provider in us-east-1 answers us-east-1, called directly or through a parent given it", () => {
        expect(frankfurt.outputs.virginiaRegion).toBe("us-east-1");
        expect(frankfurt.outputs.virginiaZones).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
        expect(frankfurt.outputs.replicaRegion).toBe("us-east-1");
    });

    test("aws: a provider in cn-north-1 is in the aws-cn partition, and ARNs built from it say so", () => {
        expect(frankfurt.outputs.chinaBucketArn).toBe("arn:aws-cn:s3:::assets");
    });

    test("gcp: a provider of another project and region answers its zones and its client configuration (a zone it is not given is empty)", () => {
        expect(frankfurt.outputs.iowaZones).toEqual(["us-central1-a", "us-central1-b", "us-central1-c", "us-central1-f"]);
        expect(frankfurt.outputs.iowaClient).toEqual({ project: "shop-us", region: "us-central1", zone: "" });
    });

    test("alicloud: a provider in eu-central-1 answers that region's zones", () => {
        expect(frankfurt.outputs.frankfurtZones).toEqual(["eu-central-1a", "eu-central-1b", "eu-central-1c"]);
    });

    test("the explicit providers' answers do not depend on the stack's keys", () => {
        for (const key of ["virginiaRegion", "virginiaZones", "replicaRegion", "chinaBucketArn", "iowaZones", "frankfurtZones"]) {
            expect(bare.outputs[key]).toEqual(frankfurt.outputs[key]);
        }
    });
});

describe("what no configuration tells is a stand-in, and the plan says which", () => {
    test("configured, only the caller's identity and the project number stand in", () => {
        expect(frankfurt.standIns).toEqual(["aws:index/getCallerIdentity:getCallerIdentity", "gcp:organizations/getProject:getProject"]);
        expect(frankfurt.standInFor).toEqual({
            "aws:index/getCallerIdentity:getCallerIdentity": ["the caller's ARN and user id (the credentials decide)"],
            "gcp:organizations/getProject:getProject": ["the project number (only Resource Manager knows it)"],
        });
    });

    test("unconfigured, the region, the project and the account are stand-ins named with the key that would set them", () => {
        expect(bare.standInFor!["aws:index/getRegion:getRegion"]).toEqual(["the region (no aws:region is configured)"]);
        expect(bare.standInFor!["gcp:compute/getZones:getZones"]).toEqual([
            "the region (no gcp:region is configured)",
            "the project (no gcp:project is configured)",
        ]);
        expect(bare.standInFor!["alicloud:index/getRegions:getRegions"]).toEqual(["the region (no alicloud:region is configured)"]);
        expect(bare.standInFor!["aws:index/getCallerIdentity:getCallerIdentity"]).toContain(
            "the account id (the stack names no single allowedAccountIds and assumes no role: the credentials decide)",
        );
        const text = renderTerminal(reviewPlan(bare));
        expect(text).toContain("Provider function aws:index/getRegion:getRegion: answered with stand-ins for the region (no aws:region is configured)");
        const diagnostics = planDocument(reviewPlan(bare), undefined).diagnostics.map((d) => d.message);
        expect(diagnostics).toContain(
            "provider function aws:index/getRegion:getRegion was answered offline with stand-ins for the region (no aws:region is configured)",
        );
    });
});
