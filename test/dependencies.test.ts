/**
 * `npm ci --omit=dev --workspaces=false` (the second flag leaves out the
 * workspaces' own dependencies: the offline plan's) serves `pulumi up`, the
 * Operator's workspace and the policy pack: every package the programs
 * (Pulumi.yaml's main, the gitops program) and the pack reach through their
 * imports is a runtime dependency,
 * with TypeScript and ts-node (without them Pulumi falls back to its bundled
 * TypeScript 3.8, which cannot read this code). Everything else (the offline
 * plan, the deploy bot, tests) is a development dependency.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { packageOf, specifiersOf } from "./helpers/module-specifiers";

const root = path.resolve(__dirname, "..");
const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));

/** The files a program reaches from its entry through relative imports, and the packages they name. */
function reach(entry: string): { files: Set<string>; packages: Map<string, string> } {
    const files = new Set<string>();
    const packages = new Map<string, string>();
    const queue = [entry];
    while (queue.length > 0) {
        const file = queue.shift()!;
        if (files.has(file)) continue;
        files.add(file);
        for (const spec of specifiersOf(file)) {
            const name = packageOf(spec);
            if (name) {
                if (!packages.has(name)) packages.set(name, path.relative(root, file));
                continue;
            }
            if (!spec.startsWith(".")) continue;
            const base = path.resolve(path.dirname(file), spec);
            const target = [base, `${base}.ts`, base.replace(/\.js$/, ".ts"), path.join(base, "index.ts")].find(
                (f) => fs.existsSync(f) && fs.statSync(f).isFile() && f.endsWith(".ts"),
            );
            if (target) queue.push(target);
        }
    }
    return { files, packages };
}

const main = path.resolve(root, (parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { main: string }).main);
const entries = [main, path.join(root, "stacks/gitops/index.ts"), path.join(root, "policies/index.ts")];
const reached = entries.map(reach);
const needed = new Map(reached.flatMap((r) => [...r.packages]));

test("the programs and the pack are read whole: each entry reaches its workloads, kits and policies", () => {
    const files = new Set(reached.flatMap((r) => [...r.files].map((f) => path.relative(root, f))));
    expect([...files]).toEqual(
        expect.arrayContaining(["stacks/index.ts", "stacks/workloads/backend.ts", "components/aws/kit.ts", "stacks/gitops/index.ts", "policies/index.ts"]),
    );
    expect([...needed.keys()]).toEqual(expect.arrayContaining(["@pulumi/pulumi", "@pulumi/aws", "@pulumi/policy", "zod"]));
});

test("every package they import is a runtime dependency, with TypeScript and ts-node for the nodejs runtime", () => {
    const runtime = Object.keys(pkg.dependencies);
    const missing = [...needed].filter(([name]) => !runtime.includes(name)).map(([name, file]) => `${name} (imported by ${file})`);
    expect(missing).toEqual([]);
    expect(runtime).toEqual(expect.arrayContaining(["typescript", "ts-node"]));
});

test("nothing else is a runtime dependency: the plan, the bot and the tests install only with development dependencies", () => {
    const extra = Object.keys(pkg.dependencies).filter((name) => !needed.has(name) && !["typescript", "ts-node"].includes(name));
    expect(extra).toEqual([]);
});

test("no program and not the pack reach a workspace, which a runtime install (--workspaces=false) leaves out", () => {
    // `packages/*`: each folder of packages/ with a package.json is a workspace.
    const workspaces = (pkg.workspaces as string[])
        .flatMap((pattern) =>
            pattern.endsWith("/*") ? fs.readdirSync(path.join(root, pattern.slice(0, -2))).map((d) => `${pattern.slice(0, -2)}/${d}`) : [pattern],
        )
        .filter((w) => fs.existsSync(path.join(root, w, "package.json")));
    expect(workspaces).toContain("packages/plan");
    const names = workspaces.map((w) => JSON.parse(fs.readFileSync(path.join(root, w, "package.json"), "utf8")).name as string);
    const files = reached.flatMap((r) => [...r.files].map((f) => path.relative(root, f)));
    expect(files.filter((f) => workspaces.some((w) => f.startsWith(`${w}/`)))).toEqual([]);
    expect([...needed.keys()].filter((name) => names.includes(name))).toEqual([]);
});

test("Dependabot keeps the pins moving, with the Pulumi packages grouped", () => {
    const config = parse(fs.readFileSync(path.join(root, ".github/dependabot.yml"), "utf8"));
    const npm = config.updates.find((u: { "package-ecosystem": string; directory: string }) => u["package-ecosystem"] === "npm" && u.directory === "/");
    expect(npm.groups.pulumi.patterns).toEqual(["@pulumi/*"]);
    expect(config.updates.map((u: { "package-ecosystem": string; directory: string }) => `${u["package-ecosystem"]} ${u.directory}`)).toEqual(
        expect.arrayContaining(["npm /", "npm /policies", "github-actions /"]),
    );
});
