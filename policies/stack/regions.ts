import type { ResourceValidationPolicy } from "@pulumi/policy";
import { coverageTags, typesOf } from "../catalog/catalog";
import { cloudOfType, known } from "./resources";
import { baseline } from "../controls";

type PublicCloud = "aws" | "gcp" | "alicloud";

/** EU regions by default: where the marketplace's data may live. */
export const defaultAllowedRegions: Record<PublicCloud, string[]> = {
    aws: ["eu-west-1", "eu-central-1"],
    gcp: ["europe-west1", "europe-west3", "europe-west4"],
    alicloud: ["eu-central-1", "eu-west-1"],
};

/** GCP zones (europe-west1-b) belong to their region; multi-regions (EU) and "global" are kept as written. */
function regionOf(cloud: PublicCloud, location: string): string {
    const text = location.trim().toLowerCase();
    if (cloud === "gcp" && /^[a-z]+-[a-z]+\d+-[a-z]$/.test(text)) return text.slice(0, text.lastIndexOf("-"));
    if (cloud === "aws" && /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/.test(text)) return text.slice(0, -1); // An availability zone.
    return text;
}

/** Locations that are not a region and say nothing about where data lives. */
const notARegion = new Set(["global", ""]);

export const allowedRegions: ResourceValidationPolicy = {
    name: "allowed-regions",
    description:
        "AWS, GCP and Alibaba Cloud resources are created only in the allowed regions of their cloud (EU by default), judged from the explicit provider's `region`/`zone` and the resource's own `region`, `location` or `zone`.",
    severity: "high",
    framework: baseline("allowed-regions", "Data and workloads stay in the approved jurisdictions."),
    remediationSteps: "Set the provider's `region` (stack config `multicloud:regions`) to an allowed region, or extend this policy's `regions` list after a data-residency review.",
    url: "https://www.pulumi.com/docs/iac/concepts/resources/providers/#explicit-provider-configuration",
    tags: ["aws", "gcp", "alicloud", "compliance", "data-residency", ...coverageTags((["aws", "gcp", "alicloud"] as const).flatMap(typesOf))],
    configSchema: {
        properties: {
            regions: {
                type: "object",
                description: "Allowed regions per cloud (aws, gcp, alicloud); GCP multi-regions such as \"eu\" may be listed too.",
                properties: {
                    aws: { type: "array", items: { type: "string" } },
                    gcp: { type: "array", items: { type: "string" } },
                    alicloud: { type: "array", items: { type: "string" } },
                },
                default: defaultAllowedRegions,
            },
        },
    },
    validateResource: (args, reportViolation) => {
        const cloud = cloudOfType(args.type) as PublicCloud | undefined;
        if (!cloud) return;
        const allowed = (args.getConfig<{ regions?: Partial<Record<PublicCloud, string[]>> }>().regions ?? defaultAllowedRegions)[cloud] ?? defaultAllowedRegions[cloud];
        const places: [string, unknown][] = [
            ["provider region", known(() => args.provider?.props?.region)],
            ["provider zone", known(() => args.provider?.props?.zone)],
            ["region", known(() => args.props.region)],
            ["location", known(() => args.props.location)],
            ["zone", known(() => args.props.zone)],
        ];
        for (const [where, value] of places) {
            if (typeof value !== "string" || notARegion.has(value.trim().toLowerCase())) continue;
            const region = regionOf(cloud, value);
            if (!allowed.map((r) => r.toLowerCase()).includes(region)) {
                reportViolation(`The ${where} ${value} is outside the allowed ${cloud} regions (${allowed.join(", ")}).`);
            }
        }
    },
};
