/**
 * Reads a Pulumi project and one stack's configuration the way the CLI does:
 * Pulumi.yaml (name, runtime options, main, stackConfigDir, typed project config
 * with defaults) and <stackConfigDir>/Pulumi.<stack>.yaml. `secure:` values stay
 * secret: offline their plaintext is unknown, so each becomes a placeholder that
 * is marked secret everywhere it flows.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument, isMap, isScalar, YAMLMap, type Document } from "yaml";
import { PlanError } from "./errors";

export const secretPlaceholder = "offline-plan-secret-placeholder";

export interface Project {
    dir: string;
    name: string;
    /** The entry point as the language host receives it: `main:` or ".". */
    main: string;
    runtimeOptions: { typescript?: boolean; nodeargs?: string };
    stackConfigDir: string;
    configSchema: Record<string, ProjectConfigType>;
}

interface ProjectConfigType {
    type?: "string" | "integer" | "boolean" | "array" | "object";
    default?: unknown;
    secret?: boolean;
    description?: string;
}

export interface StackConfig {
    stack: string;
    file: string;
    config: Record<string, string>;
    secretKeys: string[];
}

function relative(file: string): string {
    const rel = path.relative(process.cwd(), file);
    return rel.startsWith("..") ? file : rel;
}

function readYaml(file: string): Document {
    const text = fs.readFileSync(file, "utf8");
    const doc = parseDocument(text, { prettyErrors: true });
    if (doc.errors.length > 0) {
        const e = doc.errors[0];
        const where = e.linePos ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : "";
        throw new PlanError(2, `${relative(file)} is not valid YAML (${where}): ${e.message.split("\n")[0]}. Fix the file's syntax and run the plan again.`);
    }
    return doc;
}

export function loadProject(dir: string): Project {
    const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
    if (!file) {
        throw new PlanError(2, `No Pulumi.yaml in ${path.resolve(dir)}: --cwd must name a Pulumi project directory.`);
    }
    const doc = readYaml(file).toJS() ?? {};
    if (typeof doc.name !== "string" || doc.name.length === 0) {
        throw new PlanError(2, `${relative(file)}: \`name\` is missing; a project needs a name.`);
    }
    const runtime = typeof doc.runtime === "string" ? { name: doc.runtime } : (doc.runtime ?? {});
    if (runtime.name !== "nodejs") {
        throw new PlanError(2, `${relative(file)}: runtime is "${runtime.name}"; the offline plan runs nodejs programs (TypeScript or JavaScript).`);
    }
    const configSchema: Record<string, ProjectConfigType> = {};
    for (const [key, value] of Object.entries(doc.config ?? {})) {
        const full = key.includes(":") ? key : `${doc.name}:${key}`;
        configSchema[full] = value !== null && typeof value === "object" && !Array.isArray(value) ? (value as ProjectConfigType) : { default: value };
    }
    return {
        dir: path.resolve(dir),
        name: doc.name,
        main: typeof doc.main === "string" ? doc.main : ".",
        runtimeOptions: runtime.options ?? {},
        stackConfigDir: typeof doc.stackConfigDir === "string" ? doc.stackConfigDir : ".",
        configSchema,
    };
}

export function stackFilePath(project: Project, stack: string): string {
    return path.join(project.dir, project.stackConfigDir, `Pulumi.${stack}.yaml`);
}

export function listStacks(project: Project): string[] {
    const dir = path.join(project.dir, project.stackConfigDir);
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** Replaces `secure:` leaves by the placeholder; returns whether any was found. */
function replaceSecure(value: unknown): { value: unknown; secret: boolean } {
    if (Array.isArray(value)) {
        const items = value.map(replaceSecure);
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    if (value !== null && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (Object.keys(obj).length === 1 && typeof obj.secure === "string") return { value: secretPlaceholder, secret: true };
        let secret = false;
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(obj)) {
            const r = replaceSecure(v);
            out[k] = r.value;
            secret ||= r.secret;
        }
        return { value: out, secret };
    }
    return { value, secret: false };
}

function asConfigString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

function typeOf(value: unknown): ProjectConfigType["type"] {
    if (Array.isArray(value)) return "array";
    if (typeof value === "boolean") return "boolean";
    if (typeof value === "number") return Number.isInteger(value) ? "integer" : undefined;
    if (value !== null && typeof value === "object") return "object";
    return "string";
}

export function loadStackConfig(project: Project, stack: string): StackConfig {
    const file = stackFilePath(project, stack);
    if (!fs.existsSync(file)) {
        const known = listStacks(project);
        throw new PlanError(
            2,
            `Unknown stack "${stack}": there is no ${relative(file)}. ` +
                (known.length ? `Stacks of ${project.name}: ${known.join(", ")}.` : `Project ${project.name} has no stack files yet.`),
        );
    }
    const doc = readYaml(file);
    const contents = doc.contents;
    if (contents !== null && !isMap(contents)) {
        throw new PlanError(2, `${relative(file)} must be a mapping with a \`config:\` key.`);
    }
    const raw = ((contents as YAMLMap | null)?.get("config", true) ?? null) as unknown;
    const configNode = raw === null || raw === undefined ? undefined : raw;
    if (configNode !== undefined && !isMap(configNode) && !(isScalar(configNode) && configNode.value === null)) {
        throw new PlanError(2, `${relative(file)}: \`config\` must be a mapping of keys to values.`);
    }
    const given = (doc.toJS()?.config ?? {}) as Record<string, unknown>;
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, value] of Object.entries(given)) {
        const full = key.includes(":") ? key : `${project.name}:${key}`;
        const { value: plain, secret } = replaceSecure(value);
        const declared = project.configSchema[full];
        if (declared?.type && typeOf(plain) !== declared.type && !(secret && plain === secretPlaceholder)) {
            throw new PlanError(
                2,
                `${relative(file)}: ${full} = ${JSON.stringify(plain)} is not of type ${declared.type}, as Pulumi.yaml declares it.`,
            );
        }
        config[full] = asConfigString(plain);
        if (secret || declared?.secret) secretKeys.push(full);
    }
    for (const [full, declared] of Object.entries(project.configSchema)) {
        if (full in config) continue;
        if (declared.default === undefined) {
            throw new PlanError(
                2,
                `${relative(file)}: stack ${stack} is missing ${full}, which Pulumi.yaml declares without a default. ` +
                    `Set it: pulumi config set ${full} VALUE --stack ${stack}.`,
            );
        }
        config[full] = asConfigString(declared.default);
        if (declared.secret) secretKeys.push(full);
    }
    return { stack, file: relative(file), config, secretKeys };
}
