/**
 * The offline plan's API with this project's policy pack, over the plan's own
 * fixture programs: resource capture while the pack judges, a violation through
 * the real analyzer server, and the pack's remediation steps.
 */
import { planStack, hasMandatoryViolation, renderTerminal, type Plan, type PolicySession } from "pulumi-offline-plan";
import { policySession } from "../helpers/policy";
import facts from "../../plan.config";
import { planFixture as fixture } from "./plan-fixtures";

let policies: PolicySession;
beforeAll(async () => {
    policies = await policySession();
}, 60_000);
afterAll(() => policies.stop());

/** The fixture's dev stack (an unencrypted file system), planned once for the tests that read it. */
let dev: Promise<Plan> | undefined;
const devPlan = () => (dev ??= planStack({ cwd: fixture("efs-program"), stack: "dev" }, policies).then((run) => run.plan));

describe("a TypeScript CommonJS program with typed project config", () => {
    test("captures every resource with its type, parent and inputs", async () => {
        const { plan } = await planStack({ cwd: fixture("efs-program"), stack: "enc" }, policies);
        const types = plan.resources.map((r) => r.type);
        // The engine registers the package's default provider before the first resource that uses it.
        expect(types).toEqual(["pulumi:pulumi:Stack", "pulumi:providers:aws", "aws:efs/fileSystem:FileSystem", "aws:ssm/parameter:Parameter"]);
        const efs = plan.resources.find((r) => r.name === "files")!;
        expect(efs.urn).toBe("urn:pulumi:enc::efs-program::pulumi:pulumi:Stack$aws:efs/fileSystem:FileSystem::files");
        expect(efs.parent).toBe(plan.resources[0].urn);
        // The project config's default (encrypted: true) applies when the stack does not set it.
        expect(efs.inputs.encrypted).toBe(true);
    });

    test("a violation reaches the plan through the real analyzer server, attributed to its resource", async () => {
        const plan = await devPlan();
        const violation = plan.violations.find((v) => v.policy === "aws-efs-encrypted");
        expect(violation).toMatchObject({ policyPack: "multicloud", enforcementLevel: "mandatory" });
        expect(violation!.urn).toMatch(/::files$/);
        expect(hasMandatoryViolation(plan)).toBe(true);
        // No environment in the stack, no --policy-pack-config: the plan says the pack ran on its defaults.
        expect(plan.policyPacks).toEqual([expect.objectContaining({ name: "multicloud", config: "the pack's defaults" })]);
    });
});

describe("what the plan tells of policies and provider functions", () => {
    test("a violation carries its policy's remediation steps, from GetAnalyzerInfo", async () => {
        const plan = await devPlan();
        const violation = plan.violations.find((v) => v.policy === "aws-efs-encrypted")!;
        expect(violation.remediation).toMatch(/`encrypted: true`/);
        expect(renderTerminal(plan, { cloudTable: facts.cloudTable })).toContain(`    fix: ${violation.remediation!.split("\n")[0]}`);
    });
});
