/**
 * The configuration a stack is planned with, as `pulumi preview` assembles it: the
 * stack file (or `--config-file`), then each `-c key=value` on top. Keys without a
 * namespace belong to the project, as the CLI reads them.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PlanError } from "./errors";
import { loadStackConfig, type Project, type StackConfig } from "./project";

export interface ConfigChoice {
    /** A stack file to read instead of `<stackConfigDir>/Pulumi.<stack>.yaml`. */
    configFile?: string;
    /** `-c key=value` values, in order. */
    values?: Record<string, string>;
}

/** Reads a stack file kept elsewhere with the project's rules, naming the user's file in every error. */
function loadFromFile(project: Project, stack: string, file: string): StackConfig {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-config-"));
    try {
        const copy = path.join(dir, `Pulumi.${stack}.yaml`);
        fs.copyFileSync(file, copy);
        const config = loadStackConfig({ ...project, stackConfigDir: path.relative(project.dir, dir) }, stack);
        return { ...config, file };
    } catch (e) {
        if (e instanceof PlanError) throw new PlanError(e.exitCode, e.message.split(path.join(dir, `Pulumi.${stack}.yaml`)).join(file), e.detail);
        throw e;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

export function stackConfigFor(project: Project, stack: string, choice: ConfigChoice = {}): StackConfig {
    const base = choice.configFile ? loadFromFile(project, stack, choice.configFile) : loadStackConfig(project, stack);
    const config = { ...base.config };
    const secretKeys = new Set(base.secretKeys);
    for (const [key, value] of Object.entries(choice.values ?? {})) {
        const full = key.includes(":") ? key : `${project.name}:${key}`;
        config[full] = value;
        // A value given on the command line is plain, as `pulumi config set` without --secret.
        if (!project.configSchema[full]?.secret) secretKeys.delete(full);
    }
    return { ...base, config, secretKeys: [...secretKeys] };
}

/** Parses `-c key=value`; a missing `=` or key is bad usage. */
export function parseConfigValue(text: string): [string, string] {
    const eq = text.indexOf("=");
    if (eq <= 0) throw new PlanError(2, `--config ${text}: expected key=value, for example --config aws:region=eu-west-1.`);
    return [text.slice(0, eq), text.slice(eq + 1)];
}
