/**
 * The multicloud CrossGuard pack. Policies judge raw resources by type token and
 * properties (never our components), so a resource written by hand is held to
 * the same rules. Strict by default: with no configuration, production rules
 * apply; config/dev.json relaxes named rules for dev stacks.
 */
import { PolicyPack } from "@pulumi/policy";
import { awsPolicies } from "./aws";
import { gcpPolicies } from "./gcp";
import { alicloudPolicies } from "./alicloud";
import { kubernetesPolicies } from "./kubernetes";
import { stackPolicies } from "./stack";
import { withEnforcementLevels } from "./enforcement";

new PolicyPack("multicloud", {
    enforcementLevel: "mandatory",
    policies: withEnforcementLevels([...awsPolicies, ...gcpPolicies, ...alicloudPolicies, ...kubernetesPolicies, ...stackPolicies]),
});
