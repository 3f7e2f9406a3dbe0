import type { ResourceValidationPolicy } from "@pulumi/policy";
import { coverageTags, typesOf } from "../catalog/catalog";
import { cloudEntries, cloudOfType, defaultAllowedRegions, type Cloud } from "../catalog/clouds";
import { known } from "./resources";
import { baseline } from "../controls";

/** GCP zones (europe-west1-b) belong to their region; multi-regions (EU) and "global" are kept as written. */
function regionOf(cloud: Cloud, location: string): string {
    const text = location.trim().toLowerCase();
    if (cloud === "gcp" && /^[a-z]+-[a-z]+\d+-[a-z]$/.test(text)) return text.slice(0, text.lastIndexOf("-"));
    if (cloud === "aws" && /^[a-z]{2}(-[a-z]+)+-\d[a-z]$/.test(text)) return text.slice(0, -1); // An availability zone.
    return text;
}

/** The clouds whose resources name a region. */
const regionClouds = cloudEntries.filter((c) => c.allowedRegions);

/** Locations that are not a region and say nothing about where data lives. */
const notARegion = new Set(["global", ""]);

export const allowedRegions: ResourceValidationPolicy = {
    name: "allowed-regions",
    description:
        "AWS, GCP and Alibaba Cloud resources are created only in the allowed regions of their cloud (EU by default), judged from the explicit provider's `region`/`zone` and the resource's own `region`, `location` or `zone`.",
    severity: "high",
    framework: baseline("allowed-regions", "Data and workloads stay in the approved jurisdictions."),
    remediationSteps:
        "Set the provider's `region` (stack config `multicloud:regions`) to an allowed region, or extend this policy's `regions` list after a data-residency review.",
    url: "https://www.pulumi.com/docs/iac/concepts/resources/providers/#explicit-provider-configuration",
    tags: [
        ...regionClouds.map((c) => c.providerPackage),
        "compliance",
        "data-residency",
        ...coverageTags(regionClouds.flatMap((c) => typesOf(c.providerPackage))),
    ],
    configSchema: {
        properties: {
            regions: {
                type: "object",
                description: `Allowed regions per cloud (${regionClouds.map((c) => c.id).join(", ")}); GCP multi-regions such as "eu" may be listed too.`,
                properties: Object.fromEntries(regionClouds.map((c) => [c.id, { type: "array", items: { type: "string" } }])),
                default: defaultAllowedRegions,
            },
        },
    },
    validateResource: (args, reportViolation) => {
        const cloud = cloudOfType(args.type);
        if (!cloud) return;
        const allowed =
            (args.getConfig<{ regions?: Partial<Record<Cloud, string[]>> }>().regions ?? defaultAllowedRegions)[cloud] ?? defaultAllowedRegions[cloud];
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
