/**
 * Providers and names as the engine and the providers make them: default providers
 * from the stack's configuration, every resource naming its provider, a pack that
 * reads `args.provider.props`, and names that providers assign in Check.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { planStack, type Plan } from "../src/plan";
import { autoName } from "../src/runtime/auto-naming";
import { deriveAutoNamed, autoNamedFile } from "../src/runtime/derive-auto-named";
import { unknownValue } from "../src/runtime/capture";
import { cli, fixture } from "./helpers/cli";

const awsVersion = JSON.parse(fs.readFileSync(require.resolve("@pulumi/aws/package.json"), "utf8")).version as string;
const defaultAws = `default_${awsVersion.replace(/\./g, "_")}`;

describe("default providers", () => {
    const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-providers-")), "plan.json");
    /** The frankfurt stack as the command plans it, with a pack that reads provider properties, and another program planned meanwhile. */
    let frankfurt: Promise<Awaited<ReturnType<typeof cli>>>;
    let enc: Promise<Plan>;
    beforeAll(() => {
        frankfurt = cli(["--cwd", fixture("esm-program"), "--stack", "frankfurt", "--policy-pack", fixture("provider-pack"), "--json", json]);
        enc = planStack({ cwd: fixture("efs-program"), stack: "enc" }, undefined).then((run) => run.plan);
    });

    test("a program on default providers gets pulumi:providers:aws::default_<version>, with the stack's aws:* config as inputs", async () => {
        await frankfurt;
        const plan = JSON.parse(fs.readFileSync(json, "utf8")) as Plan;
        const provider = plan.resources.find((r) => r.type === "pulumi:providers:aws")!;
        expect(provider.urn).toBe(`urn:pulumi:frankfurt::esm-program::pulumi:providers:aws::${defaultAws}`);
        expect(provider.inputs).toEqual({ region: "eu-central-1", version: awsVersion });
        const bucket = plan.resources.find((r) => r.type === "aws:s3/bucket:Bucket")!;
        // The id of a provider not created yet is unknown in a preview, as the engine writes it.
        expect(bucket.provider).toBe(`${provider.urn}::${unknownValue}`);
    }, 120_000);

    test("one default provider per package, and none for component resources", async () => {
        const plan = await enc;
        expect(plan.resources.filter((r) => r.type.startsWith("pulumi:providers:")).map((r) => r.name)).toEqual([defaultAws]);
        for (const r of plan.resources.filter((r) => r.custom && !r.type.startsWith("pulumi:"))) expect(r.provider).toMatch(/::pulumi:providers:aws::/);
        expect(plan.resources.find((r) => r.type === "pulumi:pulumi:Stack")!.provider).toBeUndefined();
    }, 120_000);

    test("a pack written elsewhere reads args.provider.props of a default provider, as under the CLI", async () => {
        const { code, stdout } = await frankfurt;
        expect(code).toBe(0);
        expect(stdout).toContain(
            `logs-archive-bucket: urn:pulumi:frankfurt::esm-program::pulumi:providers:aws::${defaultAws} region=eu-central-1 version=${awsVersion}`,
        );
    }, 120_000);
});

describe("auto-naming", () => {
    const urn = "urn:pulumi:dev::p::kubernetes:apps/v1:Deployment::web";

    test("a Kubernetes object without a name gets <logical name>-<8 of a-z0-9>, stable for its URN", () => {
        const named = autoName("kubernetes:apps/v1:Deployment", urn, { metadata: { namespace: "n" } });
        const name = (named.metadata as { name: string }).name;
        expect(name).toMatch(/^web-[a-z0-9]{8}$/);
        expect(autoName("kubernetes:apps/v1:Deployment", urn, {})).toEqual(expect.objectContaining({ metadata: expect.objectContaining({ name }) }));
        expect((named.metadata as { annotations: Record<string, string> }).annotations["pulumi.com/autonamed"]).toBe("true");
        expect((autoName("kubernetes:apps/v1:Deployment", `${urn}2`, {}).metadata as { name: string }).name).not.toBe(name);
    });

    test("a name the program gives, a generateName, or metadata not known yet is left alone", () => {
        expect(autoName("kubernetes:apps/v1:Deployment", urn, { metadata: { name: "mine" } })).toEqual({ metadata: { name: "mine" } });
        expect(autoName("kubernetes:apps/v1:Deployment", urn, { metadata: { generateName: "w-" } })).toEqual({ metadata: { generateName: "w-" } });
        expect(autoName("kubernetes:apps/v1:Deployment", urn, { metadata: unknownValue })).toEqual({ metadata: unknownValue });
    });

    test("an AWS type the provider names (name/namePrefix) gets <logical name>-<7 hex>; other types keep their inputs", () => {
        const q = autoName("aws:sqs/queue:Queue", "urn:pulumi:dev::p::aws:sqs/queue:Queue::jobs", {});
        expect(q.name).toMatch(/^jobs-[0-9a-f]{7}$/);
        expect(autoName("aws:sqs/queue:Queue", "urn:pulumi:dev::p::aws:sqs/queue:Queue::jobs", { namePrefix: "j-" })).toEqual({ namePrefix: "j-" });
        expect(autoName("aws:s3/bucket:Bucket", "urn:pulumi:dev::p::aws:s3/bucket:Bucket::b", {})).toEqual({});
    });

    test("the list of auto-named AWS types is what the installed SDK declares (rerun derive-auto-named.ts when stale)", () => {
        expect(JSON.parse(fs.readFileSync(autoNamedFile, "utf8"))).toEqual(deriveAutoNamed());
    });
});
