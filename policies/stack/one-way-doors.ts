import type { ResourceValidationPolicy } from "@pulumi/policy";
import { coverageTags, providers } from "../catalog/catalog";
import { statefulFamilyOf, statefulTypes } from "../catalog/stateful";
import { baseline } from "../controls";

export const statefulResourcesProtected: ResourceValidationPolicy = {
    name: "stateful-resources-protected",
    description:
        "In prod, every resource that holds data the program cannot recreate (databases, volumes, file systems, buckets, queues, key material, clusters, backups) carries the `protect` resource option.",
    severity: "high",
    framework: baseline("stateful-resources-protected", "Deleting stateful resources is a one-way door and needs two steps."),
    remediationSteps:
        "Pass `{ protect: true }` in the resource options (components: `protect` for prod); to retire the resource, unprotect it in one change and delete it in the next. Dev relaxes this policy to advisory.",
    url: "https://www.pulumi.com/docs/iac/concepts/options/protect/",
    tags: [...providers, "reliability", "one-way-door", ...coverageTags(statefulTypes())],
    validateResource: (args, reportViolation) => {
        const family = statefulFamilyOf(args.type);
        if (family && !args.opts.protect) {
            reportViolation(
                `This resource is not protected, and it ${family.reason} (${family.provider} ${family.name}): a replacement or delete would lose that data. Set the \`protect\` resource option.`,
            );
        }
    },
};
