/**
 * The offline plan's API on small fixture programs: unknowns, ES modules,
 * masking, provider functions and their stand-ins.
 */
import { planStack, maskViolations, type Plan } from "../src/plan";
import { secretSig, secretSigKey } from "../src/runtime/capture";
import { fixture } from "./helpers/cli";
import { planMocks } from "../src/runtime/mocks";
import { renderTerminal } from "./helpers/facts";

/** The fixture's two stacks, each planned once for every test that reads it. */
let dev: Plan;
let frankfurt: Plan;
beforeAll(async () => {
    [dev, frankfurt] = await Promise.all(["dev", "frankfurt"].map(async (stack) => (await planStack({ cwd: fixture("esm-program"), stack }, undefined)).plan));
}, 120_000);

describe("a TypeScript CommonJS program with typed project config", () => {
    test("a cloud-assigned output is unknown, as in a real preview; a data source is answered", () => {
        expect(dev.outputs.bucketName).toBe("[unknown]");
        expect(dev.outputs.zoneCount).toBe(3);
    });
});

describe("an ES-module program (type: module, nodenext imports ending in .js, main: src/)", () => {
    test("runs unchanged, with its own component and a top-level await", () => {
        const plan = dev;
        const bucket = plan.resources.find((r) => r.type === "aws:s3/bucket:Bucket")!;
        const component = plan.resources.find((r) => r.type === "fixture:storage:Bucket")!;
        expect(component.name).toBe("logs-archive");
        expect(bucket.parent).toBe(component.urn);
        expect(bucket.inputs.forceDestroy).toBe(false);
    });
});

describe("what policies report", () => {
    test("a secret value quoted by a policy is masked", async () => {
        const resource = {
            urn: "urn:pulumi:s::p::aws:ssm/parameter:Parameter::token",
            type: "aws:ssm/parameter:Parameter",
            name: "token",
            custom: true,
            read: false,
            options: {
                protect: false,
                retainOnDelete: false,
                deleteBeforeReplace: false,
                ignoreChanges: [],
                replaceOnChanges: [],
                additionalSecretOutputs: [],
                aliases: [],
                dependsOn: [],
            },
            inputs: { value: { [secretSigKey]: secretSig, value: "tok-123456" } },
        };
        const [masked] = maskViolations(
            [
                {
                    policyPack: "p",
                    policyPackVersion: "1",
                    policy: "x",
                    description: "d",
                    enforcementLevel: "mandatory",
                    severity: "high",
                    urn: resource.urn,
                    message: "value tok-123456 is weak",
                },
            ],
            [resource],
        );
        expect(masked.message).toBe("value [secret] is weak");
    });
});

describe("what the plan tells of policies and provider functions", () => {
    test("every provider function answered is reported with whether the answer was a stand-in; stand-ins are listed", () => {
        const calls: [string, boolean][] = [];
        const mocks = planMocks({
            preview: true,
            onCall: (token, standIn) => calls.push([token, standIn]),
            providerConfig: (pkg) => ({ pkg, values: { region: "eu-central-1" } }),
        });
        mocks.call({ token: "aws:index/getAvailabilityZones:getAvailabilityZones", inputs: {} });
        expect(calls).toEqual([["aws:index/getAvailabilityZones:getAvailabilityZones", false]]);
        // With aws:region configured, the zones are the region's; without it the region itself is a stand-in.
        expect(frankfurt.standIns).toEqual([]);
        expect(dev.standIns).toEqual(["aws:index/getAvailabilityZones:getAvailabilityZones"]);
        const text = renderTerminal({ ...dev, standIns: ["gcp:container/getEngineVersions:getEngineVersions"] });
        expect(text).toContain("Provider function gcp:container/getEngineVersions:getEngineVersions: answered with a stand-in of its declared result shape");
    });
});
