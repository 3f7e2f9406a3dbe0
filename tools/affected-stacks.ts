/**
 * Which stacks a change affects, so CI plans and deploys only those, in the
 * order `pulumi up` must run them.
 *
 *   node --import tsx tools/affected-stacks.ts [FILE...] [--base REF] [--json]
 *
 * Without files it reads `git diff --name-only BASE...HEAD`. Rules: a stack file
 * affects its stack; a component of cloud X the stacks placed on X; a workload
 * file that workload's stacks; shared code (policies, tools, the stack program's
 * own files, contracts, package files, Pulumi.yaml) every stack.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Command } from "commander";
import { parse } from "yaml";

export interface StackInfo {
    name: string;
    workload?: string;
    environment?: string;
    clouds: string[];
    /** Stacks this one reads with StackReference (`multicloud:references`). */
    references: string[];
}

export interface Affected {
    /** Affected stacks in the order `pulumi up` must run them. */
    stacks: string[];
    /** True when shared code changed. */
    all: boolean;
    /** Why each stack is affected: the changed files. */
    reasons: Record<string, string[]>;
    /** The stacks in order with their placement, for a CI matrix. */
    matrix: StackInfo[];
}

const componentCloud: Record<string, string> = { aws: "aws", gcp: "gcp", alicloud: "alicloud", kubernetes: "onprem" };

/** Files every stack runs: the program's shared code, the pack, the plan, dependencies. */
const sharedPatterns = [
    /^policies\//,
    /^tools\//,
    /^package(-lock)?\.json$/,
    /^Pulumi\.ya?ml$/,
    /^tsconfig\.json$/,
    /^stacks\/[^/]+\.ts$/,
    /^stacks\/workloads\/(index|workload)\.ts$/,
    /^components\/[^/]+\.ts$/,
    /^\.github\/workflows\//,
];

/** Reads every stack file of the project in `<root>/stacks`. */
export function readStacks(root: string): StackInfo[] {
    const dir = path.join(root, "stacks");
    return fs
        .readdirSync(dir)
        .map((f) => ({ f, m: /^Pulumi\.(.+)\.ya?ml$/.exec(f) }))
        .filter(({ m }) => m !== null)
        .map(({ f, m }) => {
            const config = (parse(fs.readFileSync(path.join(dir, f), "utf8"))?.config ?? {}) as Record<string, unknown>;
            const clouds = config["multicloud:clouds"];
            return {
                name: m![1],
                workload: typeof config["multicloud:workload"] === "string" ? (config["multicloud:workload"] as string) : undefined,
                environment: typeof config["multicloud:environment"] === "string" ? (config["multicloud:environment"] as string) : undefined,
                clouds: Array.isArray(clouds) ? clouds.map(String) : [],
                references: Object.values((config["multicloud:references"] ?? {}) as Record<string, string>).map(String),
            };
        })
        .sort((a, b) => a.name.localeCompare(b.name));
}

function isTest(file: string): boolean {
    return /\.test\.ts$/.test(file) || /(^|\/)__snapshots__\//.test(file);
}

/** The stacks one changed file affects; "all" for shared code. */
function stacksOf(file: string, stacks: StackInfo[]): string[] | "all" {
    if (isTest(file)) return [];
    const stackFile = /^stacks\/Pulumi\.(.+)\.ya?ml$/.exec(file);
    if (stackFile) return stacks.some((s) => s.name === stackFile[1]) ? [stackFile[1]] : [];
    const workload = /^stacks\/workloads\/([^/]+)\.ts$/.exec(file);
    if (workload && !sharedPatterns.some((p) => p.test(file))) return stacks.filter((s) => s.workload === workload[1]).map((s) => s.name);
    const component = /^components\/([^/]+)\//.exec(file);
    if (component) {
        const cloud = componentCloud[component[1]];
        return cloud ? stacks.filter((s) => s.clouds.includes(cloud)).map((s) => s.name) : "all";
    }
    return sharedPatterns.some((p) => p.test(file)) ? "all" : [];
}

/** For each stack, the stacks it must run after: those its `multicloud:references` read. */
export function dependencies(stacks: StackInfo[]): Map<string, Set<string>> {
    const names = new Set(stacks.map((s) => s.name));
    return new Map(stacks.map((s) => [s.name, new Set(s.references.map((r) => r.split("/").pop()!).filter((r) => names.has(r)))]));
}

/** Orders stacks so each comes after the stacks it depends on; ties by name. */
export function dependencyOrder(names: string[], deps: Map<string, Set<string>>): string[] {
    const wanted = new Set(names);
    const order: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const visit = (name: string, trail: string[]) => {
        if (state.get(name) === "done") return;
        if (state.get(name) === "visiting") throw new Error(`Stack references form a cycle: ${[...trail, name].join(" -> ")}.`);
        state.set(name, "visiting");
        for (const d of [...(deps.get(name) ?? [])].sort()) if (wanted.has(d)) visit(d, [...trail, name]);
        state.set(name, "done");
        order.push(name);
    };
    for (const name of [...names].sort()) visit(name, []);
    return order;
}

export function affectedStacks(root: string, files: string[]): Affected {
    const stacks = readStacks(root);
    const reasons: Record<string, string[]> = {};
    let all = false;
    for (const raw of files) {
        const file = raw.trim().replace(/^\.\//, "");
        if (!file) continue;
        const hit = stacksOf(file, stacks);
        if (hit === "all") all = true;
        for (const s of hit === "all" ? stacks.map((x) => x.name) : hit) reasons[s] = [...(reasons[s] ?? []), file];
    }
    const deps = dependencies(stacks);
    const ordered = dependencyOrder(Object.keys(reasons), deps);
    return { stacks: ordered, all, reasons, matrix: ordered.map((name) => stacks.find((s) => s.name === name)!) };
}

function changedFiles(root: string, base: string): string[] {
    return execFileSync("git", ["diff", "--name-only", `${base}...HEAD`], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean);
}

export function main(argv: string[]): number {
    const cli = new Command("affected-stacks")
        .description("List the stacks a change affects, in the order `pulumi up` must run them.")
        .argument("[files...]", "changed file paths, relative to the repository root")
        .option("--base <ref>", "read changed files from `git diff --name-only REF...HEAD`")
        .option("--root <dir>", "the repository root", path.resolve(__dirname, ".."))
        .option("--json", "print { stacks, all, reasons, matrix } as JSON (one line, for CI outputs)")
        .parse(argv, { from: "user" });
    const options = cli.opts<{ base?: string; root: string; json?: boolean }>();
    const files = cli.args.length > 0 ? cli.args : options.base ? changedFiles(options.root, options.base) : [];
    if (cli.args.length === 0 && !options.base) {
        process.stderr.write("error: name the changed files, or --base REF to read them from git. Example: affected-stacks --base origin/main\n");
        return 2;
    }
    const affected = affectedStacks(options.root, files);
    process.stdout.write(options.json ? JSON.stringify(affected) + "\n" : affected.stacks.map((s) => `${s}\n`).join(""));
    return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
