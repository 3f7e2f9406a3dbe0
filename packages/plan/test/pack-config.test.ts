/**
 * A pack's configuration as the engine reconciles it: the policy's own level and
 * its schema's defaults, then the pack's initial configuration (`all`, then each
 * policy), then `--policy-pack-config` (`all`, then each policy). A third-party
 * pack of awsguard's shape, configured as its README shows, blocks the plan.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { AnalyzerInfo, PolicyInfo } from "../src/analyzer";
import { mergePolicyConfig } from "../src/policy-config";
import { cli, fixture } from "./helpers/cli";

function policy(name: string, extra: Partial<PolicyInfo> = {}): PolicyInfo {
    return {
        name,
        displayName: "",
        description: "",
        enforcementLevel: "advisory",
        severity: "unspecified",
        tags: [],
        remediationSteps: "",
        url: "",
        configRequired: [],
        ...extra,
    };
}

const info = (initialConfig: AnalyzerInfo["initialConfig"]): AnalyzerInfo => ({
    name: "guard",
    version: "1.0.0",
    supportsConfig: true,
    initialConfig,
    policies: [
        policy("efs-encrypted"),
        policy("ec2-volume-inuse-check", { configSchema: { checkDeletion: { type: "boolean", default: true } } }),
        policy("tags", { enforcementLevel: "mandatory", configSchema: { keys: { type: "array", items: { type: "string" } } } }),
    ],
});

const levels = (merged: ReturnType<typeof mergePolicyConfig>) => Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, v.enforcementLevel]));

describe("reconciling a pack's configuration, as the engine does", () => {
    test("without any configuration each policy keeps its own level and its schema's defaults", () => {
        const merged = mergePolicyConfig(info({}), {});
        expect(levels(merged)).toEqual({ "efs-encrypted": "advisory", "ec2-volume-inuse-check": "advisory", tags: "mandatory" });
        expect(merged["ec2-volume-inuse-check"].properties).toEqual({ checkDeletion: true });
    });

    test("the pack's initial `all` sets every policy's level; its entry for one policy comes after it", () => {
        const merged = mergePolicyConfig(info({ all: { enforcementLevel: "mandatory" }, tags: { enforcementLevel: "advisory" } }), {});
        expect(levels(merged)).toEqual({ "efs-encrypted": "mandatory", "ec2-volume-inuse-check": "mandatory", tags: "advisory" });
    });

    test("an initial entry's level and properties come after the initial `all`", () => {
        // An entry the SDK sends with properties alone arrives with the protocol's default level, ADVISORY (the tuned pack below).
        const merged = mergePolicyConfig(
            info({ all: { enforcementLevel: "mandatory" }, "ec2-volume-inuse-check": { enforcementLevel: "advisory", checkDeletion: false } }),
            {},
        );
        expect(merged["ec2-volume-inuse-check"]).toEqual({ enforcementLevel: "advisory", properties: { checkDeletion: false } });
        expect(merged["efs-encrypted"].enforcementLevel).toBe("mandatory");
    });

    test("--policy-pack-config comes last: its `all` overrides the pack's own entries too", () => {
        const merged = mergePolicyConfig(info({ all: { enforcementLevel: "mandatory" }, tags: { enforcementLevel: "disabled", keys: ["team"] } }), {
            all: "advisory",
        });
        expect(levels(merged)).toEqual({ "efs-encrypted": "advisory", "ec2-volume-inuse-check": "advisory", tags: "advisory" });
        // Properties are not levels: the pack's stay.
        expect(merged.tags.properties).toEqual({ keys: ["team"] });
    });

    test("a user's entry without a level keeps the level the pack gave, and sets properties over the pack's", () => {
        const merged = mergePolicyConfig(info({ all: { enforcementLevel: "mandatory" }, tags: { enforcementLevel: "mandatory", keys: ["team"] } }), {
            all: "advisory",
            tags: { keys: ["owner"] },
            "ec2-volume-inuse-check": { enforcementLevel: "mandatory", checkDeletion: false },
        });
        expect(merged.tags).toEqual({ enforcementLevel: "advisory", properties: { keys: ["owner"] } });
        expect(merged["ec2-volume-inuse-check"]).toEqual({ enforcementLevel: "mandatory", properties: { checkDeletion: false } });
    });

    test("a configuration the schema refuses, from the pack or the user, is bad input naming the policy", () => {
        expect(() => mergePolicyConfig(info({ "ec2-volume-inuse-check": { enforcementLevel: "advisory", checkDeletion: "yes" } }), {})).toThrow(
            /"ec2-volume-inuse-check" \(pack guard\) is invalid: \/checkDeletion must be boolean/,
        );
        expect(() => mergePolicyConfig(info({}), { all: "loud" as never })).toThrow(/enforcementLevel "loud" is not one of/);
    });
});

describe("a third-party pack of awsguard's shape", () => {
    const program = ["--cwd", fixture("guarded-program"), "--stack", "dev"];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pack-config-"));
    const [json, markdown] = [path.join(dir, "plan.json"), path.join(dir, "comment.md")];
    const [advisory, noDeletionCheck] = [path.join(dir, "advisory.json"), path.join(dir, "properties.json")];
    type Run = Awaited<ReturnType<typeof cli>>;
    /** Each configuration's plan, started together when the tests start; each test waits for the ones it reads. */
    let runs: { readme: Promise<Run>; tuned: Promise<Run>; relaxed: Promise<Run>; properties: Promise<Run> };

    beforeAll(() => {
        fs.writeFileSync(advisory, JSON.stringify({ all: "advisory" }));
        fs.writeFileSync(noDeletionCheck, JSON.stringify({ "ec2-volume-inuse-check": { checkDeletion: false } }));
        runs = {
            readme: cli([...program, "--policy-pack", fixture("awsguard-pack"), "--json", json, "--markdown", markdown]),
            tuned: cli([...program, "--policy-pack", fixture("awsguard-tuned-pack")]),
            relaxed: cli([...program, "--policy-pack", fixture("awsguard-pack"), "--policy-pack-config", advisory]),
            properties: cli([...program, "--policy-pack", fixture("awsguard-pack"), "--policy-pack-config", noDeletionCheck]),
        };
    });

    test('configured as its README shows ({ all: "mandatory" }) it blocks the plan, and the plan shows each policy\'s level', async () => {
        const { code, stdout } = await runs.readme;
        expect(code).toBe(1);
        expect(stdout).toContain("pulumi-awsguard@0.3.0 (4 policies), configured by the pack's initial configuration");
        expect(stdout).toContain(
            "pulumi-awsguard mandatory (4): cmk-backing-key-rotation-enabled, ec2-volume-inuse-check, efs-encrypted, s3-bucket-logging-enabled",
        );
        expect(stdout).toContain(
            "[mandatory] pulumi-awsguard/ec2-volume-inuse-check (1)\n    worker: Attached EBS volume /dev/sdf must be marked for deletion on termination.",
        );
        const doc = JSON.parse(fs.readFileSync(json, "utf8"));
        expect(doc.policyPacks[0].levels).toEqual({
            "cmk-backing-key-rotation-enabled": "mandatory",
            "ec2-volume-inuse-check": "mandatory",
            "efs-encrypted": "mandatory",
            "s3-bucket-logging-enabled": "mandatory",
        });
        expect(fs.readFileSync(markdown, "utf8")).toContain("**Policies** (`pulumi-awsguard@0.3.0` (4 mandatory)): 4 violations");
        const events = doc.policyEvents.map((e: { policyName: string; enforcementLevel: string }) => `${e.policyName}=${e.enforcementLevel}`).sort();
        expect(events).toEqual([
            "cmk-backing-key-rotation-enabled=mandatory",
            "ec2-volume-inuse-check=mandatory",
            "efs-encrypted=advisory",
            "s3-bucket-logging-enabled=mandatory",
        ]);
    }, 120_000);

    test("a new key's ARN given as kmsKeyId reaches the pack unknown: its policy answers the SDK's advisory notice, never a verdict", async () => {
        await runs.readme;
        const doc = JSON.parse(fs.readFileSync(json, "utf8"));
        const efs = doc.steps.find((s: { urn: string }) => s.urn.endsWith("aws:efs/fileSystem:FileSystem::files"));
        expect(efs.newState.inputs.kmsKeyId).toBe("04da6b54-80e4-46f7-96ec-b56ff0331ba9");
        const onEfs = doc.policyEvents.filter((e: { resourceUrn?: string }) => e.resourceUrn === efs.urn);
        expect(onEfs).toEqual([
            expect.objectContaining({
                policyName: "efs-encrypted",
                enforcementLevel: "advisory",
                message: expect.stringContaining(
                    "can't run policy 'efs-encrypted' from policy pack 'pulumi-awsguard@v0.3.0' during preview: string value at .kmsKeyId can't be known during preview",
                ),
            }),
        ]);
    }, 120_000);

    test("an initial configuration per policy as well as for all: each policy at its own level", async () => {
        const { code, stdout } = await runs.tuned;
        // The bucket without logs is still mandatory.
        expect(code).toBe(1);
        expect(stdout).toContain("pulumi-awsguard advisory (2): cmk-backing-key-rotation-enabled, ec2-volume-inuse-check");
        expect(stdout).toContain("pulumi-awsguard mandatory (2): efs-encrypted, s3-bucket-logging-enabled");
        expect(stdout).toContain("[advisory] pulumi-awsguard/cmk-backing-key-rotation-enabled (1)");
        // checkDeletion: false, from the pack's initial configuration, turns the check off.
        expect(stdout).not.toContain("ec2-volume-inuse-check (1)");
    }, 120_000);

    test("--policy-pack-config applies on top of the pack's initial configuration", async () => {
        const relaxed = await runs.relaxed;
        expect(relaxed.code).toBe(0);
        expect(relaxed.stdout).toContain("configured by the pack's initial configuration, then --policy-pack-config");
        expect(relaxed.stdout).toContain("pulumi-awsguard advisory (4)");
        const tuned = await runs.properties;
        // A file's entry without a level keeps the level the pack gave (mandatory) and sets only the property.
        expect(tuned.stdout).toContain("pulumi-awsguard mandatory (4)");
        expect(tuned.stdout).not.toContain("ec2-volume-inuse-check (1)");
        expect(tuned.code).toBe(1);
    }, 180_000);
});
