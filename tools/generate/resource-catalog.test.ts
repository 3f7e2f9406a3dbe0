import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { catalog, providers } from "../../policies/catalog/catalog";
import { catalogFile } from "./resource-catalog";

const root = path.resolve(__dirname, "../..");
const regenerate = "run `npm run generate:catalog` and commit policies/catalog/resource-types.json";

// The formatter is an ES module, which Jest's CommonJS runtime cannot load: the generator and the formatter run as the commands people run.
const run = (args: string[]) => spawnSync(process.execPath, args, { cwd: root, encoding: "utf8" });
const formatter = path.join(path.dirname(require.resolve("oxfmt/package.json")), "bin", "oxfmt");

describe("policies/catalog/resource-types.json", () => {
    test.each(providers.map((p) => [p]))(`was generated from the installed @pulumi/%s (else ${regenerate})`, (provider) => {
        const installed = JSON.parse(fs.readFileSync(require.resolve(`@pulumi/${provider}/package.json`), "utf8")).version;
        expect(catalog.sdks[provider]).toBe(installed);
    });

    test(`is what the generator writes from the installed SDKs today (else ${regenerate})`, () => {
        const check = run(["--require", "pulumi-offline-plan/register", "tools/generate/resource-catalog.ts", "--check"]);
        expect({ status: check.status, stderr: check.stderr }).toEqual({ status: 0, stderr: "" });
    }, 60_000);

    test("is laid out as the formatter prints it, one type a line, so a new SDK version diffs line by line", () => {
        const check = run([formatter, "--check", path.relative(root, catalogFile)]);
        expect({ status: check.status, stdout: check.stdout }).toEqual({
            status: 0,
            stdout: expect.stringContaining("All matched files use the correct format"),
        });
        expect(fs.readFileSync(catalogFile, "utf8")).toContain('\n      "ec2/instance:Instance",\n');
    });
});
