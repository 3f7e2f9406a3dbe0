/** Which stacks a change affects, and the order `pulumi up` runs them in. */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { affectedStacks } from "../tools/affected-stacks";

const root = path.resolve(__dirname, "..");
const stacksOf = (...files: string[]) => affectedStacks(root, files).stacks;
const allStacks = fs.readdirSync(path.join(root, "stacks")).flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? []);

describe("affected stacks of this repository", () => {
    test("a stack file affects that stack, and the stacks that read it (they build from where it is placed)", () => {
        expect(stacksOf("stacks/Pulumi.analytics-dev.yaml")).toEqual(["analytics-dev"]);
        expect(stacksOf("stacks/Pulumi.backend-prod.yaml")).toEqual(["backend-prod", "partner-prod"]);
        expect(affectedStacks(root, ["stacks/Pulumi.backend-prod.yaml"]).reasons["partner-prod"]).toEqual(["stacks/Pulumi.backend-prod.yaml"]);
    });

    test("a module of a cloud kit affects the stacks placed on that cloud: the kits are loaded lazily per cloud", () => {
        expect(stacksOf("components/aws/shared-storage.ts")).toEqual(["transactional-dev", "transactional-prod"]);
        expect(stacksOf("components/onprem/kit.ts")).toEqual(["partner-dev", "partner-prod"]);
    });

    test("a workload module affects every stack, because the program imports every workload statically", () => {
        const affected = affectedStacks(root, ["stacks/workloads/backend.ts"]);
        expect(affected.all).toBe(true);
        expect(affected.stacks).toHaveLength(allStacks.length);
    });

    test.each([
        "policies/aws/efs.ts",
        "packages/plan/src/plan.ts",
        "plan.config.ts",
        "package.json",
        "package-lock.json",
        "stacks/config.ts",
        "components/contracts.ts",
        "data/address-plan.yaml",
    ])("what every stack reads (%s) affects every stack", (file) => {
        const affected = affectedStacks(root, [file]);
        expect(affected.all).toBe(true);
        expect([...affected.stacks].sort()).toEqual([...allStacks].sort());
    });

    test("tests, documentation and tools the program does not import affect no stack", () => {
        expect(
            stacksOf(
                "components/aws/shared-storage.test.ts",
                "README.md",
                "stacks/workloads/transactional.test.ts",
                "tools/bench/bench.ts",
                "stacks/gitops/index.ts",
            ),
        ).toEqual([]);
    });

    test("the partner gateway goes after the backend of the same environment", () => {
        const order = stacksOf("stacks/Pulumi.partner-prod.yaml", "stacks/Pulumi.backend-prod.yaml", "stacks/Pulumi.partner-dev.yaml");
        expect(order.indexOf("backend-prod")).toBeLessThan(order.indexOf("partner-prod"));
    });

    test("stacks on the private cloud go to the Operator, the others to a hosted runner", () => {
        const affected = affectedStacks(root, ["stacks/Pulumi.partner-dev.yaml", "stacks/Pulumi.backend-dev.yaml"]);
        expect(affected.operator).toEqual(["partner-dev"]);
        expect(affected.hosted.map((s) => s.name)).toEqual(["backend-dev"]);
        expect(affected.hosted[0].clouds).toEqual(expect.any(Array));
    });
});

describe("imports are followed from the program's entry, not guessed from folder names", () => {
    /** A project whose entry imports a shared module and loads one kit per cloud lazily. */
    function project() {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "affected-imports-"));
        const write = (file: string, text: string) => {
            fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
            fs.writeFileSync(path.join(dir, file), text);
        };
        write("Pulumi.yaml", "name: p\nruntime: nodejs\nmain: program/index.ts\n");
        write("stacks/Pulumi.on-aws.yaml", "config:\n  multicloud:workload: a\n  multicloud:clouds: [aws]\n");
        write("stacks/Pulumi.on-gcp.yaml", "config:\n  multicloud:workload: b\n  multicloud:clouds: [gcp]\n");
        write(
            "program/index.ts",
            'import { shared } from "../lib/shared";\nimport type { OnlyTypes } from "../lib/types";\nexport const kits = { aws: () => require("../kits/aws"), gcp: () => require("../kits/gcp") };\n',
        );
        write("lib/shared.ts", "export const shared = 1;\n");
        write("lib/types.ts", "export type OnlyTypes = string;\n");
        write("kits/aws.ts", 'import { helper } from "../helpers/buckets";\nexport const aws = helper;\n');
        write("kits/gcp.ts", "export const gcp = 2;\n");
        // Named after a cloud's folder, imported by another cloud's kit.
        write("helpers/buckets.ts", 'export { gcpStyle as helper } from "../gcp/naming";\n');
        write("gcp/naming.ts", "export const gcpStyle = 3;\n");
        write("lib/unused.ts", "export const unused = 4;\n");
        return dir;
    }

    test("a module reached from the entry without a guard affects every stack", () => {
        expect(affectedStacks(project(), ["lib/shared.ts"]).stacks).toEqual(["on-aws", "on-gcp"]);
    });

    test("a module reached only through one cloud's lazy import affects the stacks on that cloud, whatever its folder", () => {
        const dir = project();
        expect(affectedStacks(dir, ["kits/gcp.ts"]).stacks).toEqual(["on-gcp"]);
        expect(affectedStacks(dir, ["gcp/naming.ts"]).stacks).toEqual(["on-aws"]);
        expect(affectedStacks(dir, ["gcp/naming.ts"]).reasons).toEqual({ "on-aws": ["gcp/naming.ts"] });
    });

    test("a module imported for its types only, or not at all, affects no stack", () => {
        expect(affectedStacks(project(), ["lib/types.ts", "lib/unused.ts"]).stacks).toEqual([]);
    });

    test("an entry that names no file is an error naming Pulumi.yaml's main", () => {
        const dir = project();
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: p\nruntime: nodejs\nmain: nowhere/index.ts\n");
        expect(() => affectedStacks(dir, ["lib/shared.ts"])).toThrow(/Pulumi\.yaml: main \(nowhere\/index\.ts\) names no TypeScript file/);
    });
});

describe("dependency order", () => {
    function repo(stacks: Record<string, { workload: string; environment: string; clouds: string[]; references?: Record<string, string> }>) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "affected-"));
        fs.mkdirSync(path.join(dir, "stacks"), { recursive: true });
        for (const [name, s] of Object.entries(stacks)) {
            const references = Object.entries(s.references ?? {})
                .map(([k, v]) => `    ${k}: ${v}\n`)
                .join("");
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
        expect(affectedStacks(dir, ["policies/index.ts"]).stacks).toEqual(["a-stack", "b-stack"]);
    });

    test("references that form a cycle are an error naming the cycle", () => {
        const dir = repo({
            a: { workload: "backend", environment: "prod", clouds: ["alicloud"], references: { other: "b" } },
            b: { workload: "partner", environment: "prod", clouds: ["onprem"], references: { other: "a" } },
        });
        expect(() => affectedStacks(dir, ["policies/index.ts"])).toThrow(/cycle: a -> b -> a|cycle: b -> a -> b/);
    });
});
