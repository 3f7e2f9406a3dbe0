/**
 * Stack configuration: one schema for the keys every stack has, plus each
 * workload's own keys, all under the `multicloud:` namespace. Validation names
 * the stack file, the key, the bad value and what would be valid.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { clouds, regionClouds, type RegionCloud } from "../components/clouds";
import { environments } from "../components/contracts";
import { clusterDefaults } from "../components/onprem/cloud";
import { ConfigError } from "../components/core/errors";

export const workloads = ["transactional", "analytics", "backend", "partner"] as const;
export type WorkloadName = (typeof workloads)[number];

/** A key as the stack file writes it, for messages: `multicloud:<key>`. */
export const stackKey = (key: string) => `multicloud:${key}`;

/** Cloud-allocation tags applied to every resource: lowercase keys, as GCP and Kubernetes labels need. */
export const costTagKeys = ["workload", "environment", "cost-center", "managed-by"] as const;

export const regionsSchema = z
    .object(
        Object.fromEntries(
            regionClouds.map((c) => [c.id, z.string().regex(c.region.format.pattern).default(c.region.default).describe(`${c.region.format.what}.`)]),
        ) as Record<RegionCloud, z.ZodDefault<z.ZodString>>,
    )
    .strict();

/** The keys every stack has. Workload modules add their own keys beside these. */
export const commonSchema = {
    workload: z.enum(workloads).describe("Which workload this stack runs."),
    environment: z.enum(environments).describe("dev or prod: prod turns on backups, protection, more zones."),
    clouds: z
        .array(z.enum(clouds))
        .min(1)
        .refine((list) => new Set(list).size === list.length, "a cloud is listed twice")
        .describe("Clouds the workload runs on; more than one is active-active."),
    costCenter: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "lowercase letters, digits and dashes, at most 63 characters")
        .default("marketplace")
        .describe("Cost center tagged on every resource (cost-center)."),
    regions: regionsSchema.default(regionsSchema.parse({})).describe("Region per cloud."),
    gcpProject: z
        .string()
        .regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/)
        .default("marketplace-analytics")
        .describe("GCP project id."),
    kubeconfig: z.string().optional().describe("Kubeconfig of the private cloud (a secret); the ambient one when unset."),
    kubeContext: z.string().optional().describe("Kubeconfig context of the private cloud."),
    network: z
        .object({
            cidr: z
                .string()
                .optional()
                .describe("Leave unset: data/address-plan.yaml gives each workload, environment and cloud its range; when set, it must equal the plan's."),
            zoneCount: z.number().int().min(2).max(6).optional().describe("Zones the network spans; 2 in dev and 3 in prod when unset."),
        })
        .strict()
        .default({})
        .describe("The workload's network."),
    onprem: z
        .object({
            ingressClassName: z.string().default(clusterDefaults.ingressClassName).describe("Ingress class of the private cloud's ingress controller."),
            ingressControllerNamespace: z
                .string()
                .default(clusterDefaults.ingressControllerNamespace)
                .describe("Namespace of the ingress controller: the only source of ingress traffic."),
            baseDomain: z.string().default(clusterDefaults.baseDomain).describe("Load balancers are reached as <name>.<baseDomain>."),
            storageClassName: z.string().default(clusterDefaults.storageClassName).describe("ReadWriteMany storage class of shared storage."),
            clusterIssuer: z.string().default(clusterDefaults.clusterIssuer).describe("cert-manager ClusterIssuer of dev certificates."),
        })
        .strict()
        .default(clusterDefaults)
        .describe("Settings of the private cloud's cluster."),
    cloudOverrides: z
        .partialRecord(z.enum(clouds), z.record(z.string(), z.unknown()))
        .default({})
        .describe("Per-cloud values of the workload's keys, for active-active: e.g. aws: { servers: { instanceType: m6i.large } }."),
    references: z
        .record(
            z.string().regex(/^[a-z][a-zA-Z0-9]*$/, "a name such as backend"),
            z.string().regex(/^([\w.-]+\/){0,2}[\w.-]+$/, "a stack name, or organization/project/stack"),
        )
        .default({})
        .describe("Stacks whose outputs this stack reads (StackReference), by name: e.g. backend: backend-prod."),
    secrets: z
        .record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9_-]*$/), z.string().min(1))
        .default({})
        .describe("Secret values by name, from the stack's ESC environment (esc env set ... secrets.NAME --secret); see Secrets below."),
};

const protocolValue = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "letters, digits, '.', '_' and '-', at most 63 characters, e.g. avro-v2");

/**
 * One protocol setting: a configuration value whose change alters what versions
 * of a workload exchange or store (a serialization format, a wire version). Old
 * and new versions run side by side during every rollout and rollback, so it
 * changes in two phases: first readers accept a new value (`accept` grows), and
 * only once every stack of the workload has run that for the bake period do
 * writers use it (`use` moves). tools/deploy/two-phase.ts checks each step in review.
 */
export const protocolSettingSchema = z
    .object({
        accept: z
            .array(protocolValue)
            .min(1)
            .refine((list) => new Set(list).size === list.length, "a value is listed twice")
            .describe("Values readers accept; adding one is the prepare phase."),
        use: protocolValue.describe("The value writers use, one of accept; moving it is the activate phase."),
    })
    .strict()
    .refine((s) => s.accept.includes(s.use), { message: "must be one of accept: a writer may only use what every reader accepts", path: ["use"] });

export const protocolSchema = z
    .object({
        bakeDays: z
            .number()
            .min(0)
            .default(3)
            .describe("Days every stack of the workload must have run a prepared value, deployed and verified, before writers may use it."),
        settings: z
            .record(z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, "lowercase letters, digits and dashes, e.g. event-format"), protocolSettingSchema)
            .default({})
            .describe("Protocol settings by name, each { accept: [...], use: ... }."),
    })
    .strict()
    .default({ bakeDays: 3, settings: {} })
    .describe("The workload's protocol settings, changed in two phases (prepare, then activate); none by default.");

export type ProtocolSettings = z.output<typeof protocolSchema>["settings"];

/** The settings as the workload's processes read them: PROTOCOL_<NAME>_ACCEPT (comma-separated) and PROTOCOL_<NAME>_USE. */
export function protocolVariables(settings: ProtocolSettings): Record<string, string> {
    return Object.fromEntries(
        Object.entries(settings).flatMap(([name, { accept, use }]) => {
            const variable = `PROTOCOL_${name.toUpperCase().replace(/-/g, "_")}`;
            return [
                [`${variable}_ACCEPT`, accept.join(",")],
                [`${variable}_USE`, use],
            ];
        }),
    );
}

/** A configuration error: never a stack trace, always the file, key, value and fix. The kits throw the same type. */
export { ConfigError } from "../components/core/errors";

export function stackFile(stack = pulumi.getStack()): string {
    return `stacks/Pulumi.${stack}.yaml`;
}

/** Describes what a schema accepts, for error messages. */
function validValues(issue: z.core.$ZodIssue): string {
    switch (issue.code) {
        case "invalid_value":
            return `valid values: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
        case "too_small":
            return `must be at least ${String(issue.minimum)}`;
        case "too_big":
            return `must be at most ${String(issue.maximum)}`;
        case "unrecognized_keys":
            return `unknown key(s) ${issue.keys.join(", ")}: check the spelling`;
        default:
            return issue.message;
    }
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
    return path.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[k] : undefined), root);
}

/** Formats zod issues as one readable paragraph per issue, keys spelt as in the stack file. */
export function formatIssues(raw: Record<string, unknown>, issues: z.core.$ZodIssue[], secretKeys: Set<string>): string {
    const lines = issues.map((issue) => {
        const [top, ...rest] = issue.path;
        const key =
            top === undefined ? "multicloud" : `multicloud:${String(top)}${rest.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}`;
        const value = secretKeys.has(String(top)) ? "[secret]" : JSON.stringify(valueAt(raw, issue.path));
        const shown = value === undefined ? "(missing)" : value;
        return `  ${key} = ${shown}: ${validValues(issue)}`;
    });
    return `Invalid configuration in ${stackFile()} (stack ${pulumi.getStack()}):\n${lines.join("\n")}`;
}

/** Whether a key was set with --secret: the SDK knows it but does not declare it in its types. */
const isConfigSecret = (key: string): boolean => (pulumi.runtime as unknown as { isConfigSecret(k: string): boolean }).isConfigSecret(key);

/** All `multicloud:*` keys of the stack, structured values parsed, secrets noted. */
export function readProjectConfig(): { raw: Record<string, unknown>; secretKeys: Set<string> } {
    const raw: Record<string, unknown> = {};
    const secretKeys = new Set<string>();
    for (const [fullKey, text] of Object.entries(pulumi.runtime.allConfig())) {
        const [namespace, key] = fullKey.split(":");
        if (namespace !== "multicloud" || !key) continue;
        let value: unknown = text;
        try {
            value = JSON.parse(text);
        } catch {
            // A plain string value.
        }
        raw[key] = value;
        if (isConfigSecret(fullKey)) secretKeys.add(key);
    }
    return { raw, secretKeys };
}

/** Parses with the schema or throws a ConfigError naming file, key, value and fix. */
export function parseConfig<S extends z.ZodType>(schema: S, raw: Record<string, unknown>, secretKeys: Set<string>): z.output<S> {
    const result = schema.safeParse(raw);
    if (!result.success) throw new ConfigError(formatIssues(raw, result.error.issues, secretKeys));
    return result.data;
}
