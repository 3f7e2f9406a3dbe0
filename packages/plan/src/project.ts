/**
 * Reads a Pulumi project and one stack's configuration the way the CLI does:
 * Pulumi.yaml (name, runtime options, main, stackConfigDir, typed project config
 * with defaults), the Pulumi ESC environments the stack file imports
 * (`environment:`), and <stackConfigDir>/Pulumi.<stack>.yaml, whose keys override
 * the environments' `pulumiConfig`. Offline no secret's plaintext is known: a
 * `secure:` value, a key declared `secret: true`, and an environment value that is
 * a secret or comes from outside the repository each become a stand-in that is
 * marked secret everywhere it flows.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument, isMap, isScalar, type Document } from "yaml";
import { PlanError } from "./errors";

export const secretPlaceholder = "offline-plan-secret-placeholder";

/**
 * Where a project keeps the definitions of the ESC environments its stacks import,
 * relative to its directory, unless it says otherwise (`environmentsDir`): Pulumi
 * names no place for them, so this is the plan's convention.
 */
export const defaultEnvironmentsDir = "environments";

export interface Project {
    dir: string;
    name: string;
    /** The entry point as the language host receives it: `main:` or ".". */
    main: string;
    runtimeOptions: { typescript?: boolean; nodeargs?: string };
    stackConfigDir: string;
    configSchema: Record<string, ProjectConfigType>;
    /**
     * Providers whose code the project points at (Pulumi.yaml `plugins.providers`
     * with a `path`, or a local `packages` entry), by package: the component
     * providers the plan may run itself.
     */
    localProviders: Record<string, LocalProvider>;
    /** Where the definitions of the ESC environments its stacks import are kept, relative to `dir`. */
    environmentsDir: string;
}

export interface LocalProvider {
    /** The directory of the provider's code (it holds PulumiPlugin.yaml). */
    dir: string;
    /** Where Pulumi.yaml names it, for messages (`plugins.providers`, `packages`). */
    from: string;
}

/** Local directories that hold a provider's code, as Pulumi.yaml names them: `plugins.providers[].path`, or `packages.<name>` (a path, or `{ source: path }`). */
function localProviders(dir: string, doc: { plugins?: { providers?: unknown }; packages?: unknown }): Record<string, LocalProvider> {
    const found: Record<string, LocalProvider> = {};
    const add = (name: unknown, where: unknown, from: string) => {
        if (typeof name !== "string" || typeof where !== "string" || !/^(\.{1,2}\/|\/)/.test(where)) return;
        const resolved = path.resolve(dir, where);
        if (fs.existsSync(path.join(resolved, "PulumiPlugin.yaml")) || fs.existsSync(path.join(resolved, "PulumiPlugin.yml")))
            found[name] = { dir: resolved, from };
    };
    const plugins = doc.plugins?.providers;
    if (Array.isArray(plugins)) for (const p of plugins) add(p?.name, p?.path, "plugins.providers");
    for (const [name, value] of Object.entries((doc.packages ?? {}) as Record<string, unknown>)) {
        add(name, typeof value === "string" ? value : (value as { source?: unknown } | null)?.source, "packages");
    }
    return found;
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

export interface ProjectLayout {
    /** Where the project keeps its ESC environment definitions (default {@link defaultEnvironmentsDir}). */
    environmentsDir?: string;
}

export function loadProject(dir: string, layout: ProjectLayout = {}): Project {
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
        configSchema[full] = value !== null && typeof value === "object" && !Array.isArray(value) ? value : { default: value };
    }
    return {
        dir: path.resolve(dir),
        name: doc.name,
        main: typeof doc.main === "string" ? doc.main : ".",
        runtimeOptions: runtime.options ?? {},
        stackConfigDir: typeof doc.stackConfigDir === "string" ? doc.stackConfigDir : ".",
        configSchema,
        localProviders: localProviders(path.resolve(dir), doc),
        environmentsDir: layout.environmentsDir ?? defaultEnvironmentsDir,
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

/** Replaces `secure:` leaves by the stand-in, never decrypting them; returns whether any was found. */
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

/** The stack file's `environment:`: a list of environment names (or the older `imports:` form). */
function environmentNames(stackFile: string, value: unknown): string[] {
    if (value === undefined || value === null) return [];
    const list = !Array.isArray(value) && typeof value === "object" ? (value as { imports?: unknown }).imports : value;
    if (!Array.isArray(list) || list.some((n) => typeof n !== "string" || n.length === 0)) {
        throw new PlanError(
            2,
            `${stackFile}: \`environment\` = ${JSON.stringify(value)} is not valid: it is a list of Pulumi ESC environment names, e.g.\n` +
                `environment:\n  - myorg/app-dev`,
        );
    }
    return list as string[];
}

interface EnvironmentDefinition {
    imports: string[];
    values: Record<string, unknown>;
}

/** An environment's definition as the repository keeps it, or undefined when it lives only in Pulumi ESC. */
function readEnvironment(project: Project, name: string): EnvironmentDefinition | undefined {
    const file = [".yaml", ".yml"].map((ext) => path.join(project.dir, project.environmentsDir, `${name}${ext}`)).find((f) => fs.existsSync(f));
    if (!file) return undefined;
    const doc = (readYaml(file).toJS() ?? {}) as Record<string, unknown>;
    const imports = doc.imports ?? [];
    const values = doc.values ?? {};
    // An import may carry options (`- name: {merge: false}`); only its name matters here.
    const names = Array.isArray(imports) ? imports.map((i) => (typeof i === "string" ? i : Object.keys(i ?? {})[0])) : undefined;
    if (!names || names.some((n) => typeof n !== "string") || typeof values !== "object" || Array.isArray(values)) {
        throw new PlanError(2, `${relative(file)}: an ESC environment definition has \`imports:\` (a list of environment names) and \`values:\` (a mapping).`);
    }
    return { imports: names, values: values as Record<string, unknown> };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** ESC's merge: objects merge key by key, later definitions win; anything else is replaced. */
function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = isPlainObject(out[k]) && isPlainObject(v) && !isFunction(v) ? merge(out[k], v) : v;
    return out;
}

const isFunction = (v: unknown): boolean => isPlainObject(v) && Object.keys(v).length === 1 && Object.keys(v)[0].startsWith("fn::");

/** The merged `values` of an environment and the imports kept in the repository; undefined when it is not kept here. */
function environmentValues(project: Project, name: string, seen: string[]): Record<string, unknown> | undefined {
    if (seen.includes(name)) return {};
    const definition = readEnvironment(project, name);
    if (!definition) return undefined;
    let values: Record<string, unknown> = {};
    for (const imported of definition.imports) values = merge(values, environmentValues(project, imported, [...seen, name]) ?? {});
    return merge(values, definition.values);
}

function lookup(root: Record<string, unknown>, reference: string): unknown {
    const steps = reference.match(/[^.[\]"']+/g) ?? [];
    let at: unknown = root;
    for (const step of steps) {
        if (at === null || typeof at !== "object") return undefined;
        at = (at as Record<string, unknown>)[step];
    }
    return at;
}

/**
 * Evaluates a `pulumiConfig` value as far as the repository allows: literals and
 * interpolations of values kept here resolve; `fn::secret`, any other function
 * (providers such as `fn::open::aws-secrets` run only in Pulumi ESC) and any
 * interpolation of a value from outside the repository become the secret stand-in.
 */
function evaluate(node: unknown, root: Record<string, unknown>, depth = 0): { value: unknown; secret: boolean } {
    if (depth > 32) return { value: secretPlaceholder, secret: true };
    if (typeof node === "string") {
        const whole = /^\$\{([^}]+)\}$/.exec(node);
        if (whole) {
            const target = lookup(root, whole[1]);
            return target === undefined ? { value: secretPlaceholder, secret: true } : evaluate(target, root, depth + 1);
        }
        let secret = false;
        const text = node.replace(/(?<!\$)\$\{([^}]+)\}/g, (_, reference: string) => {
            const part = evaluate(`\${${reference}}`, root, depth + 1);
            secret ||= part.secret;
            return typeof part.value === "string" ? part.value : JSON.stringify(part.value);
        });
        return secret ? { value: secretPlaceholder, secret } : { value: text.replace(/\$\$\{/g, "${"), secret };
    }
    if (isFunction(node)) return { value: secretPlaceholder, secret: true };
    if (Array.isArray(node)) {
        const items = node.map((n) => evaluate(n, root, depth + 1));
        return { value: items.map((i) => i.value), secret: items.some((i) => i.secret) };
    }
    if (isPlainObject(node)) {
        let secret = false;
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(node)) {
            const r = evaluate(v, root, depth + 1);
            out[k] = r.value;
            secret ||= r.secret;
        }
        return { value: out, secret };
    }
    return { value: node, secret: false };
}

/**
 * The configuration the stack's ESC environments give it (`values.pulumiConfig`),
 * in import order, later environments winning. Each imported environment must be
 * defined in the repository: that definition is the schema that says which keys
 * are secret.
 */
function environmentConfig(project: Project, stackFile: string, value: unknown): Record<string, { value: unknown; secret: boolean }> {
    const out: Record<string, { value: unknown; secret: boolean }> = {};
    for (const name of environmentNames(stackFile, value)) {
        const values = environmentValues(project, name, []);
        if (!values) {
            throw new PlanError(
                2,
                `${stackFile}: \`environment\` imports ${name}, which has no definition in ${path.join(project.environmentsDir, `${name}.yaml`)}. ` +
                    `The offline plan learns which keys are secret from the definitions kept in the repository: add it there (its secret values stay in Pulumi ESC).`,
            );
        }
        const pulumiConfig = values.pulumiConfig ?? {};
        if (!isPlainObject(pulumiConfig)) {
            throw new PlanError(
                2,
                `${path.join(project.environmentsDir, `${name}.yaml`)}: \`values.pulumiConfig\` must be a mapping of configuration keys to values.`,
            );
        }
        for (const [key, node] of Object.entries(pulumiConfig)) out[key] = evaluate(node, values);
    }
    return out;
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
    const raw = contents?.get("config", true) ?? null;
    const configNode = raw === null || raw === undefined ? undefined : raw;
    if (configNode !== undefined && !isMap(configNode) && !(isScalar(configNode) && configNode.value === null)) {
        throw new PlanError(2, `${relative(file)}: \`config\` must be a mapping of keys to values.`);
    }
    const js = (doc.toJS() ?? {}) as Record<string, unknown>;
    const fromEnvironments = environmentConfig(project, relative(file), js.environment);
    const given = (js.config ?? {}) as Record<string, unknown>;
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const entries = new Map<string, { value: unknown; secret: boolean }>();
    for (const [key, entry] of Object.entries(fromEnvironments)) entries.set(key.includes(":") ? key : `${project.name}:${key}`, entry);
    for (const [key, value] of Object.entries(given)) entries.set(key.includes(":") ? key : `${project.name}:${key}`, replaceSecure(value));
    for (const [full, { value: plain, secret }] of entries) {
        const declared = project.configSchema[full];
        if (declared?.type && typeOf(plain) !== declared.type && !secret) {
            throw new PlanError(2, `${relative(file)}: ${full} = ${JSON.stringify(plain)} is not of type ${declared.type}, as Pulumi.yaml declares it.`);
        }
        config[full] = asConfigString(plain);
        if (secret || declared?.secret) secretKeys.push(full);
    }
    for (const [full, declared] of Object.entries(project.configSchema)) {
        if (full in config) continue;
        if (declared.default === undefined && declared.secret) {
            // Set with `pulumi config set --secret` where the CLI runs; offline it is a stand-in.
            config[full] = secretPlaceholder;
            secretKeys.push(full);
            continue;
        }
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
