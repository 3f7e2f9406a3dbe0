/**
 * A policy pack's configuration as the CLI merges it before Configure: for each
 * policy, the defaults of its config schema, then the pack's initial config, then
 * the user's (`--policy-pack-config`, a policy's own entry or "all"); checked
 * against the policy's schema, as the CLI refuses what the schema does not admit.
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

export function mergePolicyConfig(info: AnalyzerInfo, userConfig: PolicyPackConfig): Record<string, MergedPolicyConfig> {
    const known = new Set(info.policies.map((p) => p.name));
    for (const name of Object.keys(userConfig)) {
        if (name !== "all" && !known.has(name)) {
            throw new PlanError(2, `Policy pack config names an unknown policy "${name}" (pack ${info.name}); known: ${[...known].join(", ")}.`);
        }
    }
    const all = userConfig.all;
    const merged: Record<string, MergedPolicyConfig> = {};
    for (const policy of info.policies) {
        const schemaProps = (policy.configSchema ?? {}) as Record<string, { default?: unknown }>;
        const defaults = Object.fromEntries(
            Object.entries(schemaProps).flatMap(([k, v]) => (v && typeof v === "object" && "default" in v ? [[k, v.default]] : [])),
        );
        const initial = { ...defaults, ...(info.initialConfig[policy.name] ?? {}) };
        const given = userConfig[policy.name] ?? all;
        const properties: Record<string, unknown> = { ...initial, ...(typeof given === "string" ? { enforcementLevel: given } : (given ?? {})) };
        const level = (properties.enforcementLevel as EnforcementLevel | undefined) ?? policy.enforcementLevel;
        if (!enforcementLevels.includes(level)) {
            throw new PlanError(2, `Policy pack config for "${policy.name}": enforcementLevel "${level}" is not one of ${enforcementLevels.join(", ")}.`);
        }
        delete properties.enforcementLevel;
        if (policy.configSchema) {
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
        merged[policy.name] = { enforcementLevel: level, properties };
    }
    return merged;
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
