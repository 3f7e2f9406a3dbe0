/**
 * The workload tests' fixtures: what the tests build from instead of the live
 * stack files, so that a service team's edit within the schema never fails a test.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { commonSchema, parseConfig } from "../config";
import { workloadModules } from "./index";
import { fixtureConfig, fixtureKeys, fixtureSecrets, type FixtureStack } from "../../test/fixtures/workloads";

const fixturesDir = path.join(__dirname, "../../test/fixtures/workloads");
const environments = ["dev", "prod"] as const;
const stacks = Object.keys(workloadModules).flatMap((w) => environments.map((e) => `${w}-${e}` as FixtureStack));

/** Tests that build workloads or run the program: none of them may read a live stack file. */
const testSources = [
    ...fs
        .readdirSync(__dirname)
        .filter((f) => f.endsWith(".test.ts"))
        .map((f) => path.join(__dirname, f)),
    ...["index.test.ts", "campaigns.test.ts", "cost-tags.test.ts"].map((f) => path.join(__dirname, "..", f)),
].filter((f) => f !== __filename);

describe("every workload has a dev and a prod fixture", () => {
    test("one fixture file per workload and environment, no other", () => {
        const files = fs
            .readdirSync(fixturesDir)
            .filter((f) => f.endsWith(".yaml"))
            .map((f) => f.replace(/\.yaml$/, ""));
        expect(files.sort()).toEqual([...stacks].sort());
        expect(Object.keys(fixtureSecrets).sort()).toEqual(Object.keys(workloadModules).sort());
    });

    test.each(stacks)("%s parses with its workload's full schema and passes its checks", (stack) => {
        const [workload, environment] = stack.split("-") as [keyof typeof workloadModules, (typeof environments)[number]];
        const module = workloadModules[workload];
        const schema = z.object({ ...commonSchema, ...(module.settings as Record<string, z.ZodType>) }).strict();
        const settings = parseConfig(schema, { ...fixtureKeys(stack), secrets: fixtureSecrets[workload] }, new Set(["secrets"]));
        expect(settings).toMatchObject({ workload, environment });
        expect(() => module.validate?.(settings, { environment, stackFile: `test/fixtures/workloads/${stack}.yaml`, clouds: settings.clouds })).not.toThrow();
    });

    test.each(stacks)("%s holds no secret: no multicloud:secrets, no secure value, no ESC import", (stack) => {
        const text = fs.readFileSync(path.join(fixturesDir, `${stack}.yaml`), "utf8");
        expect(Object.keys(fixtureConfig(stack))).not.toContain("multicloud:secrets");
        expect(text).not.toMatch(/\bsecure:|^environment:|encryptionsalt/m);
    });

    test("placeholder secrets are plainly fake", () => {
        for (const values of Object.values(fixtureSecrets)) for (const value of Object.values(values)) expect(value).toMatch(/^fixture-/);
    });
});

describe("no workload test reads a live stack file", () => {
    test("the sources checked are the workload and program tests", () => {
        expect(testSources.map((f) => path.relative(path.join(__dirname, ".."), f)).sort()).toEqual([
            "campaigns.test.ts",
            "cost-tags.test.ts",
            "index.test.ts",
            "workloads/analytics.test.ts",
            "workloads/backend.test.ts",
            "workloads/partner.test.ts",
            "workloads/transactional.test.ts",
        ]);
    });

    /** Ways to reach a stack file's contents; a stack file may still be named as the context of an error message. */
    const readsStackFile = [
        /\bload(Project|StackConfig)\b/, // the plan's loaders read stacks/Pulumi.<stack>.yaml and the environments it imports
        /path\.(join|resolve)\([^)]*Pulumi\./,
        /readFileSync\([^)]*Pulumi\./,
        /`Pulumi\.\$\{/,
    ];

    test.each(testSources.map((f) => [path.basename(f), f]))("%s loads no stack file", (_name, file) => {
        const source = fs.readFileSync(file, "utf8");
        expect(readsStackFile.filter((pattern) => pattern.test(source))).toEqual([]);
    });

    test("the check catches each way the tests used to read a stack file", () => {
        const formerReads = [
            'const file = path.join(__dirname, "..", `Pulumi.backend-${environment}.yaml`);',
            'parse(fs.readFileSync(path.join(__dirname, `Pulumi.${stack}.yaml`), "utf8"))',
            'JSON.parse(loadStackConfig(loadProject(path.join(__dirname, "../..")), stack).config["multicloud:secrets"])',
        ];
        for (const line of formerReads) expect([line, readsStackFile.some((pattern) => pattern.test(line))]).toEqual([line, true]);
        expect(readsStackFile.some((pattern) => pattern.test('stackFile: "stacks/Pulumi.partner-prod.yaml"'))).toBe(false);
    });
});
