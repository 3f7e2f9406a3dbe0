/**
 * Which stacks a change affects, so CI plans and deploys only those, in the
 * order `pulumi up` must run them.
 *
 *   node --require pulumi-offline-plan/register tools/affected-stacks.ts [FILE...] [--base REF] [--every] [--json]
 *
 * Without files it reads `git diff --name-only BASE...HEAD`. A stack file
 * affects its stack. A module affects the stacks whose program imports it:
 * the import graph is read with the TypeScript compiler from the program's
 * entry (`main` in Pulumi.yaml). Every stack runs the same entry, which imports
 * every workload and the stack program's own modules statically, so those reach
 * every stack; the cloud kits are loaded lazily, one `require` in each cloud's
 * descriptor (components/<cloud>/cloud.ts), so a kit and what only it imports
 * reach the stacks placed on that cloud. Files the program or the pipeline reads without
 * importing them (the policy pack, the offline plan, package files, Pulumi.yaml,
 * data/, the workflows) affect every stack; anything else (documentation,
 * tests, tools the program does not import) affects none.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { Command } from "commander";
import ts from "typescript";
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
    /** True when the change affects every stack. */
    all: boolean;
    /** Why each stack is affected: the changed files. */
    reasons: Record<string, string[]>;
    /** The stacks in order with their placement, for a CI matrix. */
    matrix: StackInfo[];
    /** The part of `matrix` a hosted runner can reach: stacks with no cloud inside the private network. */
    hosted: StackInfo[];
    /** Stacks on the private cloud, applied from inside it by the Pulumi Kubernetes Operator (stacks/gitops). */
    operator: string[];
}

/** Clouds whose API a hosted runner cannot reach. */
export const privateClouds = ["onprem"];

/** Read by the program or the pipeline without an import: a change to one affects every stack. */
const sharedInputs = [
    /^policies\/(?!.*\.test\.ts$)/,
    /^packages\/plan\//,
    /^plan\.config\.ts$/,
    /^package(-lock)?\.json$/,
    /^Pulumi\.ya?ml$/,
    /^tsconfig\.json$/,
    /^\.nvmrc$/,
    /^data\//,
    /^\.github\/workflows\//,
];

/** What the deploy needs of one stack file's text: its workload, environment, clouds and the stacks it reads. */
export function stackInfoOf(name: string, text: string): StackInfo {
    const config = (parse(text) as { config?: Record<string, unknown> } | null)?.config ?? {};
    const clouds = config["multicloud:clouds"];
    return {
        name,
        workload: typeof config["multicloud:workload"] === "string" ? config["multicloud:workload"] : undefined,
        environment: typeof config["multicloud:environment"] === "string" ? config["multicloud:environment"] : undefined,
        clouds: Array.isArray(clouds) ? clouds.map(String) : [],
        references: Object.values((config["multicloud:references"] ?? {}) as Record<string, string>).map(String),
    };
}

/** Reads every stack file of the project in `<root>/stacks`. */
export function readStacks(root: string): StackInfo[] {
    const dir = path.join(root, "stacks");
    return fs
        .readdirSync(dir)
        .map((f) => ({ f, m: /^Pulumi\.(.+)\.ya?ml$/.exec(f) }))
        .filter(({ m }) => m !== null)
        .map(({ f, m }) => stackInfoOf(m![1], fs.readFileSync(path.join(dir, f), "utf8")))
        .sort((a, b) => a.name.localeCompare(b.name));
}

function isTest(file: string): boolean {
    return file.endsWith(".test.ts") || /(^|\/)__snapshots__\//.test(file);
}

/** An import of the program: `guard` is the key of the table entry that loads it lazily, if any. */
interface ImportEdge {
    to: string;
    guard?: string;
}

function requireTarget(node: ts.Node): string | undefined {
    if (!ts.isCallExpression(node) || node.arguments.length !== 1 || !ts.isStringLiteralLike(node.arguments[0])) return undefined;
    const isRequire = ts.isIdentifier(node.expression) && node.expression.text === "require";
    const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
    return isRequire || isDynamicImport ? node.arguments[0].text : undefined;
}

/**
 * The cloud a lazy import loads for: the `id` of the object it sits in (a cloud's
 * descriptor: `{ id: "aws", loadKit: () => require("./kit") }` gives "aws"), else
 * the property it sits under (`aws: () => require("./aws/kit")` gives "aws").
 */
function guardOf(node: ts.Node): string | undefined {
    for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
        if (ts.isPropertyAssignment(at) && (ts.isIdentifier(at.name) || ts.isStringLiteralLike(at.name))) {
            if (!ts.isFunctionLike(at.initializer)) return undefined;
            const id = ts.isObjectLiteralExpression(at.parent)
                ? at.parent.properties.find((p): p is ts.PropertyAssignment => ts.isPropertyAssignment(p) && ts.isIdentifier(p.name) && p.name.text === "id")
                : undefined;
            return id && ts.isStringLiteralLike(id.initializer) ? id.initializer.text : at.name.text;
        }
        if (ts.isSourceFile(at)) return undefined;
    }
    return undefined;
}

/** The project's own modules a file imports at run time (type-only imports are erased, so they run nothing). */
function importsOf(file: string, options: ts.CompilerOptions): ImportEdge[] {
    const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const edges: { specifier: string; guard?: string }[] = [];
    const visit = (node: ts.Node) => {
        if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier)) {
            edges.push({ specifier: node.moduleSpecifier.text });
        } else if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
            edges.push({ specifier: node.moduleSpecifier.text });
        } else if (
            ts.isImportEqualsDeclaration(node) &&
            ts.isExternalModuleReference(node.moduleReference) &&
            ts.isStringLiteral(node.moduleReference.expression)
        ) {
            edges.push({ specifier: node.moduleReference.expression.text });
        } else {
            const target = requireTarget(node);
            if (target !== undefined) edges.push({ specifier: target, guard: guardOf(node) });
        }
        ts.forEachChild(node, visit);
    };
    visit(source);
    return edges.flatMap(({ specifier, guard }) => {
        const resolved = ts.resolveModuleName(specifier, file, options, ts.sys).resolvedModule;
        if (!resolved || resolved.isExternalLibraryImport || resolved.resolvedFileName.endsWith(".d.ts")) return [];
        return [{ to: path.resolve(resolved.resolvedFileName), guard }];
    });
}

/** The program's entry, from Pulumi.yaml's `main`. */
function entryOf(root: string): string {
    const project = (parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) ?? {}) as { main?: string };
    const main = path.resolve(root, project.main ?? ".");
    const candidates = [main, `${main}.ts`, path.join(main, "index.ts")];
    const entry = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
    if (!entry)
        throw new Error(
            `Pulumi.yaml: main (${project.main ?? "."}) names no TypeScript file; expected one of ${candidates.map((c) => path.relative(root, c)).join(", ")}.`,
        );
    return entry;
}

/** For each stack, the repository files its program imports (relative paths). */
export function programFiles(root: string, stacks: StackInfo[]): Map<string, Set<string>> {
    const options: ts.CompilerOptions = {
        module: ts.ModuleKind.CommonJS,
        moduleResolution: ts.ModuleResolutionKind.Node10,
        allowJs: true,
        resolveJsonModule: true,
    };
    const entry = entryOf(root);
    const graph = new Map<string, ImportEdge[]>();
    const edgesOf = (file: string) => {
        if (!graph.has(file)) graph.set(file, importsOf(file, options));
        return graph.get(file)!;
    };
    return new Map(
        stacks.map((stack) => {
            const keys = new Set([...stack.clouds, ...(stack.workload ? [stack.workload] : [])]);
            const seen = new Set<string>([entry]);
            const queue = [entry];
            while (queue.length > 0) {
                for (const edge of edgesOf(queue.shift()!)) {
                    if (edge.guard !== undefined && !keys.has(edge.guard)) continue;
                    if (!seen.has(edge.to)) {
                        seen.add(edge.to);
                        queue.push(edge.to);
                    }
                }
            }
            return [stack.name, new Set([...seen].map((f) => path.relative(root, f).split(path.sep).join("/")))];
        }),
    );
}

/**
 * A stack and every stack that reads it (`multicloud:references`), however
 * indirectly: a reader builds from what the stack file says (where it is placed,
 * and so which private address and ranges it calls), not only from its outputs.
 */
function withReaders(name: string, stacks: StackInfo[]): string[] {
    const deps = dependencies(stacks);
    const found = new Set([name]);
    for (let grew = true; grew;) {
        grew = false;
        for (const s of stacks) {
            if (!found.has(s.name) && [...(deps.get(s.name) ?? [])].some((d) => found.has(d))) {
                found.add(s.name);
                grew = true;
            }
        }
    }
    return [...found];
}

/** The stacks one changed file affects; "all" for what every stack reads. */
function stacksOf(file: string, stacks: StackInfo[], programs: () => Map<string, Set<string>>): string[] | "all" {
    if (isTest(file)) return [];
    const stackFile = /^stacks\/Pulumi\.(.+)\.ya?ml$/.exec(file);
    if (stackFile) return stacks.some((s) => s.name === stackFile[1]) ? withReaders(stackFile[1], stacks) : [];
    if (sharedInputs.some((p) => p.test(file))) return "all";
    if (!/\.(ts|js|json)$/.test(file)) return [];
    return stacks.filter((s) => programs().get(s.name)!.has(file)).map((s) => s.name);
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
    let programs: Map<string, Set<string>> | undefined;
    const programsOnce = () => (programs ??= programFiles(root, stacks));
    for (const raw of files) {
        const file = raw.trim().replace(/^\.\//, "");
        if (!file) continue;
        const hit = stacksOf(file, stacks, programsOnce);
        if (hit === "all") all = true;
        for (const s of hit === "all" ? stacks.map((x) => x.name) : hit) reasons[s] = [...(reasons[s] ?? []), file];
    }
    all ||= stacks.length > 0 && stacks.every((s) => reasons[s.name]);
    const deps = dependencies(stacks);
    const ordered = dependencyOrder(Object.keys(reasons), deps);
    const matrix = ordered.map((name) => stacks.find((s) => s.name === name)!);
    const onPrivateCloud = (s: StackInfo) => s.clouds.some((c) => privateClouds.includes(c));
    return {
        stacks: ordered,
        all,
        reasons,
        matrix,
        hosted: matrix.filter((s) => !onPrivateCloud(s)),
        operator: matrix.filter(onPrivateCloud).map((s) => s.name),
    };
}

/** The files changed since `base`, as `git diff --name-only BASE...HEAD` lists them. */
export function changedFiles(root: string, base: string): string[] {
    return execFileSync("git", ["diff", "--name-only", `${base}...HEAD`], { cwd: root, encoding: "utf8" })
        .split("\n")
        .filter(Boolean);
}

export function main(argv: string[]): number {
    const cli = new Command("affected-stacks")
        .description("List the stacks a change affects, in the order `pulumi up` must run them.")
        .argument("[files...]", "changed file paths, relative to the repository root")
        .option("--base <ref>", "read changed files from `git diff --name-only REF...HEAD`")
        .option("--every", "every stack, as if each stack file changed (for the scheduled drift check)")
        .option("--root <dir>", "the repository root", path.resolve(__dirname, ".."))
        .option("--json", "print { stacks, all, reasons, matrix, hosted, operator } as JSON (one line, for CI outputs)")
        .parse(argv, { from: "user" });
    const options = cli.opts<{ base?: string; root: string; json?: boolean; every?: boolean }>();
    if (cli.args.length === 0 && !options.base && !options.every) {
        process.stderr.write("error: name the changed files, --base REF to read them from git, or --every. Example: affected-stacks --base origin/main\n");
        return 2;
    }
    const files =
        cli.args.length > 0
            ? cli.args
            : options.every
              ? readStacks(options.root).map((s) => `stacks/Pulumi.${s.name}.yaml`)
              : changedFiles(options.root, options.base!);
    const affected = affectedStacks(options.root, files);
    process.stdout.write(options.json ? JSON.stringify(affected) + "\n" : affected.stacks.map((s) => `${s}\n`).join(""));
    return 0;
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
