import type { ResourceValidationPolicy } from "@pulumi/policy";

export const gcpPolicies: ResourceValidationPolicy[] = [];
