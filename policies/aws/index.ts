import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";

import {
    autoscalingGroupElbHealthCheck,
    autoscalingGroupInstanceRefresh,
    autoscalingGroupMultiAz,
    ec2Imdsv2Required,
    ec2NoPublicIp,
    ec2VolumesEncrypted,
} from "./compute";
import {
    ecsClusterContainerInsights,
    ecsServiceCircuitBreaker,
    ecsServiceMaximumPercent,
    ecsServiceMinimumHealthyPercent,
    ecsTaskLogging,
    ecsTaskNoPrivilegedContainers,
} from "./containers";
import { efsBackupNotDisabled, efsEncrypted } from "./efs";
import {
    httpListenerRulesRedirect,
    listenerHttpRedirectsToHttps,
    listenerTls12,
    listenerTls13Preferred,
    loadBalancerAccessLogs,
    loadBalancerDeletionProtection,
    loadBalancerDropsInvalidHeaders,
} from "./load-balancing";
import {
    networkAclNoAdminPortsFromInternet,
    securityGroupInternetOnlyWeb,
    securityGroupNoAdminPortsFromInternet,
    securityGroupWebOnlyOnLoadBalancers,
    subnetNoPublicIpOnLaunch,
} from "./network";
import { kmsKeyRotation, logGroupRetention, ssmSecretParameterEncrypted } from "./secrets";
import { awsVpnAes256Sha256, awsVpnBothTunnels, awsVpnDhGroupPfs, awsVpnIkev2Only } from "./vpn";

export const awsPolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
    efsEncrypted,
    efsBackupNotDisabled,
    securityGroupNoAdminPortsFromInternet,
    securityGroupInternetOnlyWeb,
    securityGroupWebOnlyOnLoadBalancers,
    networkAclNoAdminPortsFromInternet,
    subnetNoPublicIpOnLaunch,
    ec2Imdsv2Required,
    ec2VolumesEncrypted,
    ec2NoPublicIp,
    autoscalingGroupMultiAz,
    autoscalingGroupElbHealthCheck,
    autoscalingGroupInstanceRefresh,
    listenerHttpRedirectsToHttps,
    listenerTls12,
    listenerTls13Preferred,
    httpListenerRulesRedirect,
    loadBalancerDropsInvalidHeaders,
    loadBalancerDeletionProtection,
    loadBalancerAccessLogs,
    ecsServiceCircuitBreaker,
    ecsServiceMinimumHealthyPercent,
    ecsServiceMaximumPercent,
    ecsTaskNoPrivilegedContainers,
    ecsTaskLogging,
    ecsClusterContainerInsights,
    ssmSecretParameterEncrypted,
    kmsKeyRotation,
    logGroupRetention,
    awsVpnIkev2Only,
    awsVpnAes256Sha256,
    awsVpnDhGroupPfs,
    awsVpnBothTunnels,
];
