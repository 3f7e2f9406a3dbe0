/**
 * A policy pack's configuration as the engine reconciles it before Configure
 * (pulumi/pulumi `ReconcilePolicyPackConfig`): each policy starts at its own
 * enforcement level with the defaults of its config schema; the pack's initial
 * configuration (the third argument of `PolicyPack`, sent in GetAnalyzerInfo) is
 * applied, then the user's (`--policy-pack-config`). Applying a configuration sets
 * every policy to its `all` level first, then each policy's own entry: its level,
 * and its properties over the ones it had. The result is checked against each
 * policy's schema, as the CLI refuses what the schema does not admit.
 */
import * as fs from "node:fs";
import Ajv, { type ValidateFunction } from "ajv";
import { PlanError } from "./errors";
import type { AnalyzerInfo, EnforcementLevel, PolicyPackConfig } from "./analyzer";

export const enforcementLevels: EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];
const ajv = new Ajv({ allErrors: true, strict: false });
/** Each policy's compiled config schema, kept for the session's next stack (the pack's info objects stay the same). */
const validators = new WeakMap<object, ValidateFunction>();

export interface MergedPolicyConfig {
    enforcementLevel: EnforcementLevel;
    properties: Record<string, unknown>;
}

/** One entry of a configuration: a level alone (`"mandatory"`) or an object that may carry one. */
interface ConfigEntry {
    enforcementLevel?: EnforcementLevel;
    properties: Record<string, unknown>;
}

function entryOf(name: string, value: PolicyPackConfig[string], from: string): ConfigEntry {
    if (typeof value === "string") return { enforcementLevel: checkedLevel(name, value, from), properties: {} };
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new PlanError(2, `${from} for "${name}": ${JSON.stringify(value)} is no enforcement level or object.`);
    }
    const { enforcementLevel, ...properties } = value;
    return { enforcementLevel: enforcementLevel === undefined ? undefined : checkedLevel(name, enforcementLevel, from), properties };
}

function checkedLevel(name: string, level: unknown, from: string): EnforcementLevel {
    if (!enforcementLevels.includes(level as EnforcementLevel)) {
        throw new PlanError(2, `${from} for "${name}": enforcementLevel "${String(level)}" is not one of ${enforcementLevels.join(", ")}.`);
    }
    return level as EnforcementLevel;
}

/** The engine's `applyConfig`: `all` sets every policy's level, then each policy's own entry applies. */
function applyConfig(result: Map<string, MergedPolicyConfig>, config: PolicyPackConfig, from: string): void {
    const entries = Object.entries(config).map(([name, value]) => [name, entryOf(name, value, from)] as const);
    const all = entries.find(([name]) => name === "all")?.[1];
    if (all?.enforcementLevel) for (const merged of result.values()) merged.enforcementLevel = all.enforcementLevel;
    for (const [name, given] of entries) {
        // "all" is reserved: no policy has that name, so its entry configures none.
        const merged = result.get(name);
        if (name === "all" || !merged) continue;
        if (given.enforcementLevel) merged.enforcementLevel = given.enforcementLevel;
        Object.assign(merged.properties, given.properties);
    }
}

export function mergePolicyConfig(info: AnalyzerInfo, userConfig: PolicyPackConfig): Record<string, MergedPolicyConfig> {
    const known = new Set(info.policies.map((p) => p.name));
    for (const name of Object.keys(userConfig)) {
        if (name !== "all" && !known.has(name)) {
            throw new PlanError(2, `Policy pack config names an unknown policy "${name}" (pack ${info.name}); known: ${[...known].join(", ")}.`);
        }
    }
    const result = new Map<string, MergedPolicyConfig>();
    for (const policy of info.policies) {
        const schemaProps = (policy.configSchema ?? {}) as Record<string, { default?: unknown }>;
        const defaults = Object.fromEntries(
            Object.entries(schemaProps).flatMap(([k, v]) => (v && typeof v === "object" && "default" in v ? [[k, v.default]] : [])),
        );
        result.set(policy.name, { enforcementLevel: policy.enforcementLevel, properties: defaults });
    }
    applyConfig(result, info.initialConfig, `The initial configuration of pack ${info.name}`);
    applyConfig(result, userConfig, "Policy pack config");
    for (const policy of info.policies) {
        const { properties } = result.get(policy.name)!;
        if (!policy.configSchema) continue;
        let validate = validators.get(policy);
        if (!validate) {
            validate = ajv.compile({ type: "object", properties: policy.configSchema, required: policy.configRequired });
            validators.set(policy, validate);
        }
        if (!validate(properties)) {
            const problems = (validate.errors ?? []).map((e) => `${e.instancePath || "(config)"} ${e.message}`).join("; ");
            throw new PlanError(2, `Policy pack config for "${policy.name}" (pack ${info.name}) is invalid: ${problems}.`);
        }
    }
    return Object.fromEntries(result);
}

/** Reads a `--policy-pack-config` file; a missing file or bad JSON is bad usage. */
export function readPolicyPackConfig(file: string): PolicyPackConfig {
    if (!fs.existsSync(file)) throw new PlanError(2, `--policy-pack-config ${file}: no such file.`);
    try {
        return JSON.parse(fs.readFileSync(file, "utf8")) as PolicyPackConfig;
    } catch (e) {
        throw new PlanError(2, `--policy-pack-config ${file} is not valid JSON: ${(e as Error).message}`);
    }
}
