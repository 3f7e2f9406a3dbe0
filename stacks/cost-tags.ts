/**
 * Central cost tracking: one stack transform adds the cost-allocation keys
 * (`costTagKeys`) to every taggable resource of every cloud, in the field and
 * spelling that cloud accepts. Tags a resource already has are kept; only our
 * four keys are overwritten, so a team cannot file its costs elsewhere by accident.
 */
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import type { costTagKeys } from "./config";
import type { Provider as TagDialect } from "../policies/catalog/catalog";
import { tagPlacement } from "../policies/catalog/tags";

export type CostTags = Record<(typeof costTagKeys)[number], string>;

export interface CostTagSettings {
    workload: string;
    environment: string;
    costCenter: string;
}

export function costTags({ workload, environment, costCenter }: CostTagSettings): CostTags {
    return { workload, environment, "cost-center": costCenter, "managed-by": "pulumi" };
}

/** GCP label: lowercase letters, digits, `_` and `-`, at most 63 characters. */
function gcpLabel(value: string): string {
    return value
        .toLowerCase()
        .replace(/[^a-z0-9_-]/g, "-")
        .slice(0, 63);
}

/** Kubernetes label value: at most 63 characters of `[A-Za-z0-9._-]`, starting and ending alphanumeric. */
function kubernetesLabel(value: string): string {
    return value
        .replace(/[^A-Za-z0-9._-]/g, "-")
        .slice(0, 63)
        .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
}

const normalizers: Record<TagDialect, (value: string) => string> = {
    // AWS: 256 characters of letters, digits, spaces and `_ . : / = + - @`.
    aws: (v) => v.replace(/[^\p{L}\p{N} _.:/=+\-@]/gu, "-").slice(0, 256),
    // Alibaba Cloud: 128 characters; a value must not start with `aliyun` or `acs:`, nor hold `http://` / `https://`.
    alicloud: (v) =>
        v
            .replace(/^(aliyun|acs:)/i, "")
            .replace(/https?:\/\//g, "")
            .slice(0, 128),
    gcp: gcpLabel,
    kubernetes: kubernetesLabel,
};

/** Our tags in the spelling of one cloud. */
export function normalizedTags(tags: CostTags, dialect: TagDialect): Record<string, string> {
    return Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, normalizers[dialect](v)]));
}

// The SDK's unknown, or the wire sentinel when a transform sees serialized inputs.
const isUnknown = (v: unknown) => pulumi.isUnknown(v) || v === unknownValue;

/** Applies `change` inside a secret wrapper (the engine hands transforms secrets as wire markers), keeping it secret. */
function withinSecret(value: unknown, change: (plain: unknown) => unknown): unknown {
    if (value && typeof value === "object" && (value as Record<string, unknown>)[specialSigKey] === specialSecretSig) {
        return { ...value, value: change((value as { value: unknown }).value) };
    }
    return change(value);
}

/** Merges our tags into a resource's properties; returns undefined when it cannot carry tags. */
export function withCostTags(type: string, props: Record<string, unknown>, tags: CostTags): Record<string, unknown> | undefined {
    const placement = tagPlacement(type);
    if (!placement) return undefined;
    const ours = normalizedTags(tags, placement.provider);
    const merge = (existing: unknown) => {
        // A value the engine cannot know yet is left alone: replacing it would drop the team's own tags.
        if (isUnknown(existing)) return existing;
        if (placement.form === "map") return { ...(existing as Record<string, unknown> | undefined), ...ours };
        const kept = ((existing as { key: string }[] | undefined) ?? []).filter((t) => isUnknown(t) || !(t.key in ours));
        return [...kept, ...Object.entries(ours).map(([key, value]) => ({ key, value, propagateAtLaunch: true }))];
    };
    /** Sets the tags at the end of `path`, creating the objects on the way (`metadata`, `settings`). */
    const place = (object: Record<string, unknown>, path: string[]): Record<string, unknown> => {
        const [field, ...rest] = path;
        if (rest.length === 0) return { ...object, [field]: withinSecret(object[field], merge) };
        const inner = object[field];
        if (isUnknown(inner)) return object;
        return { ...object, [field]: place((inner as Record<string, unknown> | undefined) ?? {}, rest) };
    };
    return place(props, placement.path);
}

/**
 * Registers the one stack-wide transform that tags every taggable resource.
 * Call it once, before the program creates resources.
 */
export function registerCostTags(settings: CostTagSettings): CostTags {
    const tags = costTags(settings);
    pulumi.runtime.registerResourceTransform(({ type, custom, props, opts }) => {
        if (!custom) return undefined;
        const tagged = withCostTags(type, props, tags);
        return tagged ? { props: tagged, opts } : undefined;
    });
    return tags;
}
