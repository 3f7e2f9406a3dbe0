import type { ResourceValidationPolicy } from "@pulumi/policy";

import {
    k8sDropAllCapabilities,
    k8sImageDigest,
    k8sImageTagged,
    k8sNoHostNamespaces,
    k8sNoHostPath,
    k8sNoPrivilegedContainers,
    k8sNoPrivilegeEscalation,
    k8sProbes,
    k8sResourceRequestsLimits,
    k8sRunAsNonRoot,
    k8sSeccompRuntimeDefault,
} from "./pods";
import { k8sNoRecreateStrategy, k8sRollingUpdateKeepsCapacity, k8sRolloutAwaited, k8sStatefulSetForegroundDeletion } from "./rollout";
import { k8sNoNodePortServices } from "./services";

export const kubernetesPolicies: ResourceValidationPolicy[] = [
    k8sNoPrivilegedContainers,
    k8sNoPrivilegeEscalation,
    k8sRunAsNonRoot,
    k8sDropAllCapabilities,
    k8sSeccompRuntimeDefault,
    k8sResourceRequestsLimits,
    k8sImageTagged,
    k8sImageDigest,
    k8sProbes,
    k8sNoHostNamespaces,
    k8sNoHostPath,
    k8sNoNodePortServices,
    k8sNoRecreateStrategy,
    k8sRollingUpdateKeepsCapacity,
    k8sRolloutAwaited,
    k8sStatefulSetForegroundDeletion,
];
