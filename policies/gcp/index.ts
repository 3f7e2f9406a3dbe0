import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

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
import { gcpVpnAes256Sha256, gcpVpnBothTunnels, gcpVpnDhGroupPfs, gcpVpnIkev2Only } from "./vpn";

export const gcpPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
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
    gcpVpnIkev2Only,
    gcpVpnAes256Sha256,
    gcpVpnDhGroupPfs,
    gcpVpnBothTunnels,
];
