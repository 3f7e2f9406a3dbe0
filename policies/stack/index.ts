import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

export const stackPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [];
