import type { ResourceValidationPolicy } from "@pulumi/policy";

export const kubernetesPolicies: ResourceValidationPolicy[] = [];
