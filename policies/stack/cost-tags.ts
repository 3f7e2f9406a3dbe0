import type { ResourceValidationPolicy } from "@pulumi/policy";
import { readKnown } from "./resources";
import { coverageTags, providers } from "../catalog/catalog";
import { fieldName, readTags, tagPlacement, taggableTypes } from "../catalog/tags";
import { baseline } from "../controls";

export const defaultCostTagKeys = ["workload", "environment", "cost-center", "managed-by"];

export const costAllocationTags: ResourceValidationPolicy = {
    name: "cost-allocation-tags",
    description:
        "Every taggable resource of AWS, GCP, Alibaba Cloud and Kubernetes carries the cost-allocation keys (workload, environment, cost-center, managed-by) with non-empty values, wherever its type keeps tags or labels.",
    severity: "low",
    framework: baseline("cost-allocation-tags", "Resources carry the metadata that allocates their cost."),
    remediationSteps:
        "Create resources through the stack program (its cost-tag transform adds the keys) or add the missing keys by hand with non-empty values; configure the keys with this policy's `keys`.",
    url: "https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/cost-alloc-tags.html",
    tags: [...providers, "cost", ...coverageTags(providers.flatMap(taggableTypes))],
    configSchema: {
        properties: {
            keys: {
                type: "array",
                items: { type: "string" },
                default: defaultCostTagKeys,
                description: "Cost-allocation keys every taggable resource carries.",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        const placement = tagPlacement(args.type);
        if (!placement) return;
        const keys = args.getConfig<{ keys?: string[] }>().keys ?? defaultCostTagKeys;
        const tags = readTags(placement, args.props, (object, key) => readKnown(() => object[key]));
        // What the preview cannot know yet is not judged: the tags as a whole, or one value.
        if (!tags) return;
        const missing = keys.filter((k) => !tags.has(k) || (tags.get(k) !== undefined && String(tags.get(k)).trim() === ""));
        if (missing.length === 0) return;
        const noun = placement.provider === "aws" || placement.path.at(-1) === "tags" ? "tags" : "labels";
        reportViolation(`Missing or empty cost-allocation ${noun} in \`${fieldName(placement)}\`: ${missing.join(", ")}.`);
    },
};
