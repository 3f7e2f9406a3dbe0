import type { ResourceValidationPolicy } from "@pulumi/policy";

export const alicloudPolicies: ResourceValidationPolicy[] = [];
