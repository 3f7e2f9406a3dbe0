/** Which stacks a change affects, and the order `pulumi up` runs them in. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { affectedStacks } from "../tools/affected-stacks";

const root = path.resolve(__dirname, "..");
const stacksOf = (...files: string[]) => affectedStacks(root, files).stacks;
const allStacks = fs
    .readdirSync(path.join(root, "stacks"))
    .flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []);

describe("affected stacks of this repository", () => {
    test("a stack file affects that stack", () => {
        expect(stacksOf("stacks/Pulumi.analytics-dev.yaml")).toEqual(["analytics-dev"]);
    });

    test("a component of a cloud affects the stacks placed on that cloud (kubernetes is the private cloud)", () => {
        expect(stacksOf("components/aws/shared-storage.ts")).toEqual(["transactional-dev", "transactional-prod"]);
        expect(stacksOf("components/kubernetes/deployment.ts")).toEqual(["partner-dev", "partner-prod"]);
    });

    test("a workload file affects that workload's stacks", () => {
        expect(stacksOf("stacks/workloads/backend.ts")).toEqual(["backend-dev", "backend-prod"]);
    });

    test.each(["policies/aws/efs.ts", "tools/plan/plan.ts", "package.json", "package-lock.json", "stacks/config.ts", "components/contracts.ts", "stacks/workloads/workload.ts"])(
        "shared code (%s) affects every stack",
        (file) => {
            const affected = affectedStacks(root, [file]);
            expect(affected.all).toBe(true);
            expect([...affected.stacks].sort()).toEqual([...allStacks].sort());
        },
    );

    test("tests and documentation affect no stack", () => {
        expect(stacksOf("components/aws/shared-storage.test.ts", "README.md", "stacks/workloads/transactional.test.ts")).toEqual([]);
    });

    test("the partner gateway goes after the backend of the same environment", () => {
        const order = stacksOf("stacks/Pulumi.partner-prod.yaml", "stacks/Pulumi.backend-prod.yaml", "stacks/Pulumi.partner-dev.yaml");
        expect(order.indexOf("backend-prod")).toBeLessThan(order.indexOf("partner-prod"));
    });
});

describe("dependency order", () => {
    function repo(stacks: Record<string, { workload: string; environment: string; clouds: string[]; references?: Record<string, string> }>) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "affected-"));
        fs.mkdirSync(path.join(dir, "stacks"), { recursive: true });
        for (const [name, s] of Object.entries(stacks)) {
            const references = Object.entries(s.references ?? {}).map(([k, v]) => `    ${k}: ${v}\n`).join("");
            const yaml =
                `config:\n  multicloud:workload: ${s.workload}\n  multicloud:environment: ${s.environment}\n  multicloud:clouds: [${s.clouds.join(", ")}]\n` +
                (references ? `  multicloud:references:\n${references}` : "");
            fs.writeFileSync(path.join(dir, `stacks/Pulumi.${name}.yaml`), yaml);
        }
        return dir;
    }

    test("a stack goes after the stacks its multicloud:references read, even when the names sort the other way", () => {
        const dir = repo({
            "a-gateway": { workload: "partner", environment: "prod", clouds: ["onprem"], references: { backend: "acme/multicloud/z-core" } },
            "z-core": { workload: "backend", environment: "prod", clouds: ["alicloud"] },
        });
        expect(affectedStacks(dir, ["policies/index.ts"]).stacks).toEqual(["z-core", "a-gateway"]);
    });

    test("without references, stacks run in name order", () => {
        const dir = repo({
            "b-stack": { workload: "backend", environment: "prod", clouds: ["alicloud"] },
            "a-stack": { workload: "partner", environment: "prod", clouds: ["onprem"] },
        });
        expect(affectedStacks(dir, ["tools/x.ts"]).stacks).toEqual(["a-stack", "b-stack"]);
    });

    test("references that form a cycle are an error naming the cycle", () => {
        const dir = repo({
            a: { workload: "backend", environment: "prod", clouds: ["alicloud"], references: { other: "b" } },
            b: { workload: "partner", environment: "prod", clouds: ["onprem"], references: { other: "a" } },
        });
        expect(() => affectedStacks(dir, ["tools/x.ts"])).toThrow(/cycle: a -> b -> a|cycle: b -> a -> b/);
    });
});
