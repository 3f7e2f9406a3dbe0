import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

import { disksEncrypted, noPublicBandwidth } from "./compute";
import { ackApiNotPublic } from "./containers";
import { customTlsPolicy12, httpListenerRedirectsToHttps, listenerTls12 } from "./load-balancing";
import { securityGroupNoAdminPortsFromInternet } from "./network";
import { kmsKeyRotation, kmsSecretRecoveryWindow } from "./security";
import { nasEncrypted } from "./storage";
import { alicloudVpnAes256Sha256, alicloudVpnBothTunnels, alicloudVpnDhGroupPfs, alicloudVpnIkev2Only } from "./vpn";

export const alicloudPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
    securityGroupNoAdminPortsFromInternet,
    nasEncrypted,
    noPublicBandwidth,
    disksEncrypted,
    listenerTls12,
    customTlsPolicy12,
    httpListenerRedirectsToHttps,
    kmsSecretRecoveryWindow,
    kmsKeyRotation,
    ackApiNotPublic,
    alicloudVpnIkev2Only,
    alicloudVpnAes256Sha256,
    alicloudVpnDhGroupPfs,
    alicloudVpnBothTunnels,
];
