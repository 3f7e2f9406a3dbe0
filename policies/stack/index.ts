import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

import { costAllocationTags } from "./cost-tags";
import { k8sNamespaceDefaultDeny } from "./network-policy";
import { statefulResourcesProtected } from "./one-way-doors";
import { workloadPlacement } from "./placement";
import { encryptedAtRest, notPubliclyAccessible } from "./properties";
import { allowedRegions } from "./regions";
import { noPublicEndpointCalls } from "./private-calls";
import { rolloutSideBySide } from "./side-by-side";

export const stackPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
    costAllocationTags,
    statefulResourcesProtected,
    allowedRegions,
    workloadPlacement,
    k8sNamespaceDefaultDeny,
    encryptedAtRest,
    notPubliclyAccessible,
    rolloutSideBySide,
    noPublicEndpointCalls,
];
