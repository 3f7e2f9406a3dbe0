import type { ResourceValidationPolicy } from "@pulumi/policy";

import { gcpVmNoDefaultServiceAccountFullScopes, gcpVmNoExternalIp, gcpVmOsLogin, gcpVmShielded } from "./compute";
import {
    gcpGkeMasterAuthorizedNetworks,
    gcpGkeNetworkPolicy,
    gcpGkeNoLegacyAbac,
    gcpGkeNodeAutoRepairUpgrade,
    gcpGkePrivateNodes,
    gcpGkeReleaseChannel,
    gcpGkeShieldedNodes,
    gcpGkeWorkloadIdentity,
} from "./gke";
import { gcpBackendServiceLogging, gcpSslPolicyTls12 } from "./load-balancing";
import { gcpFirewallLogging, gcpFirewallNoInternetAdminPorts } from "./network";

export const gcpPolicies: ResourceValidationPolicy[] = [
    gcpFirewallNoInternetAdminPorts,
    gcpFirewallLogging,
    gcpVmNoExternalIp,
    gcpVmShielded,
    gcpVmOsLogin,
    gcpVmNoDefaultServiceAccountFullScopes,
    gcpGkePrivateNodes,
    gcpGkeNoLegacyAbac,
    gcpGkeMasterAuthorizedNetworks,
    gcpGkeNetworkPolicy,
    gcpGkeWorkloadIdentity,
    gcpGkeShieldedNodes,
    gcpGkeReleaseChannel,
    gcpGkeNodeAutoRepairUpgrade,
    gcpSslPolicyTls12,
    gcpBackendServiceLogging,
];
