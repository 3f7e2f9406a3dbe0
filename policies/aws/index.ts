import type { ResourceValidationPolicy } from "@pulumi/policy";

import { efsEncrypted } from "./efs";

export const awsPolicies: ResourceValidationPolicy[] = [efsEncrypted];
