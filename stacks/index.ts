/**
 * The program of every stack: read and validate the stack's configuration, then
 * build its workload on each cloud it is placed on, through that cloud's kit.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Cloud, CloudKit } from "../components/contracts";
import { verified, type Verification } from "./verification";
import { commonSchema, parseConfig, readProjectConfig, stackFile, ConfigError } from "./config";
import { workloadModules } from "./workloads";
import { kitFor } from "./kits";
import { registerCostTags } from "./cost-tags";
import { checkRequestedRange, workloadNetwork } from "./address-plan";

/** Objects merge key by key; anything else (values, lists) is replaced. */
function mergeOverrides(base: Record<string, unknown>, overrides: Record<string, unknown>): Record<string, unknown> {
    const merged: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(overrides)) {
        const current = merged[key];
        const bothObjects = [current, value].every((v) => v !== null && typeof v === "object" && !Array.isArray(v));
        merged[key] = bothObjects ? mergeOverrides(current as Record<string, unknown>, value as Record<string, unknown>) : value;
    }
    return merged;
}

export = async () => {
    const { raw, secretKeys } = readProjectConfig();
    const { workload: workloadName } = parseConfig(z.object({ workload: commonSchema.workload }), raw, secretKeys);
    const workload = workloadModules[workloadName];
    const schema = z.object({ ...commonSchema, ...workload.settings }).strict();
    const config = parseConfig(schema, raw, secretKeys) as z.output<z.ZodObject<typeof commonSchema>> & Record<string, unknown>;

    if (Object.keys(config.secrets).length > 0 && !secretKeys.has("secrets")) {
        throw new ConfigError(
            `Invalid configuration in ${stackFile()}: multicloud:secrets holds plain text. ` +
                `Set each value with \`pulumi config set --secret --path 'multicloud:secrets.NAME'\`.`,
        );
    }
    registerCostTags({ workload: workloadName, environment: config.environment, costCenter: config.costCenter });
    const secrets = Object.fromEntries(Object.entries(config.secrets).map(([k, v]) => [k, pulumi.secret(v)]));
    /** The workload's settings on one cloud: the stack's keys with that cloud's overrides merged in. */
    const settingsOn = (cloud: Cloud) => {
        const overrides = config.cloudOverrides[cloud];
        if (!overrides) return config;
        return parseConfig(schema, mergeOverrides(raw, overrides), secretKeys) as typeof config;
    };
    for (const cloud of config.clouds) {
        workload.validate?.(settingsOn(cloud), { environment: config.environment, stackFile: stackFile(), clouds: config.clouds });
    }

    const requestedCidr = config.network.cidr;
    if (requestedCidr !== undefined && config.clouds.length > 1) {
        throw new ConfigError(
            `Invalid configuration in ${stackFile()}: multicloud:network.cidr is set, but the workload runs on ${config.clouds.join(", ")}; ` +
                `each cloud takes its own range from the address plan (data/address-plan.yaml): remove multicloud:network.cidr.`,
        );
    }
    const references = Object.fromEntries(
        Object.entries(config.references).map(([name, stack]) => [name, new pulumi.StackReference(`${name}-reference`, { name: stack })]),
    );
    const outputs: Record<string, unknown> = {};
    const endpoints: Record<string, unknown> = {};
    const verification: Verification = { rollouts: [], healthChecks: [] };
    for (const cloud of config.clouds) {
        if (requestedCidr !== undefined) {
            checkRequestedRange(stackFile(), "multicloud:network.cidr", requestedCidr, workloadName, config.environment, cloud);
        }
        const network = workloadNetwork(workloadName, config.environment, cloud, config.network.zoneCount);
        const kit: CloudKit = verified(kitFor(cloud, config), verification);
        const prefix = config.clouds.length > 1 ? `${workloadName}-${cloud}` : workloadName;
        outputs[cloud] = workload.build({
            workload: workloadName,
            environment: config.environment,
            cloud,
            kit,
            settings: settingsOn(cloud),
            secrets,
            network,
            references,
            prefix,
            stackFile: stackFile(),
        });
    }
    // Cloud-neutral for other stacks: each cloud's public entry point, if the workload has one.
    for (const [cloud, built] of Object.entries(outputs)) {
        const endpoint = (built as { endpoint?: unknown }).endpoint;
        if (endpoint !== undefined) endpoints[cloud] = endpoint;
    }
    return { ...outputs, endpoints, verification: { rollouts: pulumi.all(verification.rollouts), healthChecks: pulumi.all(verification.healthChecks) } };
};
