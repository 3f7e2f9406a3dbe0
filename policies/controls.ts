/**
 * Every public control the pack cites, recorded once: its standard, its id as the
 * standard spells it, its title as its source states it, and the address the id and
 * title were read from. A policy cites controls through `cites` and `framework`
 * below, whose argument type is the set of ids held here, so an id missing from
 * this table does not compile; controls.test.ts reads what the running pack
 * reports and fails on any cited id the table does not hold.
 *
 * A policy cites a control only where it checks what the control asks, at least;
 * a control that judges only some of the policy's types is cited for those types
 * alone. docs/controls.md is generated from this table.
 */
import type { PolicyComplianceFramework } from "@pulumi/policy";

export interface Standard {
    /** As the publisher names it. */
    name: string;
    version: string;
    /** A short form for tables. */
    label: string;
    /** Where the standard is published. */
    home: string;
}

export const standards = {
    "cis-aws": {
        name: "CIS AWS Foundations Benchmark",
        version: "3.0.0",
        label: "CIS AWS 3.0.0",
        home: "https://www.cisecurity.org/benchmark/amazon_web_services",
    },
    "cis-gcp": {
        name: "CIS Google Cloud Platform Foundation Benchmark",
        version: "2.0.0",
        label: "CIS GCP 2.0.0",
        home: "https://www.cisecurity.org/benchmark/google_cloud_computing_platform",
    },
    "cis-alicloud": {
        name: "CIS Alibaba Cloud Foundation Benchmark",
        version: "2.0.0",
        label: "CIS Alibaba Cloud 2.0.0",
        home: "https://www.cisecurity.org/benchmark/alibaba_cloud",
    },
    // Security Hub control ids are standard-agnostic: a control keeps its id whichever
    // standards (FSBP, CIS, PCI DSS, NIST) list it, so no standard is named here.
    "aws-securityhub": {
        name: "AWS Security Hub CSPM controls",
        version: "latest",
        label: "Security Hub",
        home: "https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-controls-reference.html",
    },
    "pss-baseline": {
        name: "Kubernetes Pod Security Standards, Baseline",
        version: "latest",
        label: "PSS Baseline",
        home: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline",
    },
    "pss-restricted": {
        name: "Kubernetes Pod Security Standards, Restricted",
        version: "latest",
        label: "PSS Restricted",
        home: "https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted",
    },
    checkov: {
        name: "Checkov",
        version: "3.3.13",
        label: "Checkov",
        home: "https://github.com/bridgecrewio/checkov",
    },
    tfsec: {
        name: "tfsec (Trivy misconfiguration checks)",
        version: "trivy-checks 80e5382",
        label: "tfsec",
        home: "https://github.com/aquasecurity/trivy-checks",
    },
} as const satisfies Record<string, Standard>;

export type StandardKey = keyof typeof standards;

interface Entry {
    /** The control's title as its source states it. */
    title: string;
    /** The address the id and title were read from. */
    source: string;
    /** The same rule's id in its publisher's other scheme (Trivy's AVD id). */
    alias?: string;
}

// Permalinks: a source that moves on still shows what was read.
const checkovFile = (path: string) => `https://github.com/bridgecrewio/checkov/blob/03d5fdad8d6154b1565799a7b1fb8070c158866f/checkov/${path}`;
const trivyCheck = (path: string) => `https://github.com/aquasecurity/trivy-checks/blob/80e5382269707262f35cf893bdc0805cb72217e9/checks/cloud/${path}.rego`;
const securityHub = (service: string, n: number) => `https://docs.aws.amazon.com/securityhub/latest/userguide/${service}-controls.html#${service}-${n}`;
// CIS publishes its benchmarks behind a registration; these open copies quote each recommendation's title.
const cisAws = (file: string, line: number) =>
    `https://github.com/turbot/steampipe-mod-aws-compliance/blob/a1d0b446ef9b96ea64980859fc063d70da20778e/cis_v300/${file}#L${line}`;
const cisGcp = (file: string, line: number) =>
    `https://github.com/turbot/steampipe-mod-gcp-compliance/blob/3ac653021a284b68c69b14c75afa2ebc1feff665/cis_v200/${file}#L${line}`;
const cisAlicloud = (file: string, line: number) =>
    `https://github.com/turbot/steampipe-mod-alicloud-compliance/blob/4f6321370e102f38d69407ee7d107a7e38f75bb2/cis_v200/${file}#L${line}`;

const catalogue = {
    "cis-aws": {
        "2.4.1": { title: "Ensure that encryption is enabled for EFS file systems", source: cisAws("section_2.pp", 207) },
        "3.6": { title: "Ensure rotation for customer-created symmetric CMKs is enabled", source: cisAws("section_3.pp", 98) },
        "5.1": { title: "Ensure no Network ACLs allow ingress from 0.0.0.0/0 to remote server administration ports", source: cisAws("section_5.pp", 26) },
        "5.2": { title: "Ensure no security groups allow ingress from 0.0.0.0/0 to remote server administration ports", source: cisAws("section_5.pp", 40) },
        "5.3": { title: "Ensure no security groups allow ingress from ::/0 to remote server administration ports", source: cisAws("section_5.pp", 54) },
        "5.6": { title: "Ensure that EC2 Metadata Service only allows IMDSv2", source: cisAws("section_5.pp", 96) },
    },
    "cis-gcp": {
        "2.16": { title: "Ensure Logging is enabled for HTTP(S) Load Balancer", source: cisGcp("section_2.pp", 245) },
        "3.6": { title: "Ensure that SSH access is restricted from the internet", source: cisGcp("section_3.pp", 99) },
        "3.7": { title: "Ensure that RDP access is restricted from the Internet", source: cisGcp("section_3.pp", 113) },
        "3.9": { title: "Ensure no HTTPS or SSL proxy load balancers permit SSL policies with weak cipher suites", source: cisGcp("section_3.pp", 141) },
        "4.2": {
            title: "Ensure that instances are not configured to use the default service account with full access to all Cloud APIs",
            source: cisGcp("section_4.pp", 45),
        },
        "4.8": { title: "Ensure Compute instances are launched with Shielded VM enabled", source: cisGcp("section_4.pp", 129) },
        "4.9": { title: "Ensure that Compute instances do not have public IP addresses", source: cisGcp("section_4.pp", 143) },
    },
    "cis-alicloud": {
        "3.2": { title: "Ensure that SSH access is restricted from the internet", source: cisAlicloud("section_3.pp", 38) },
        "4.2": { title: "Ensure that 'Virtual Machine’s disk' are encrypted", source: cisAlicloud("section_4.pp", 40) },
        "4.3": { title: "Ensure no security groups allow ingress from 0.0.0.0/0 to port 22", source: cisAlicloud("section_4.pp", 54) },
        "4.4": { title: "Ensure no security groups allow ingress from 0.0.0.0/0 to port 3389", source: cisAlicloud("section_4.pp", 68) },
        "7.9": { title: "Ensure Kubernetes Cluster is created with Private cluster enabled", source: cisAlicloud("section_7.pp", 141) },
    },
    "aws-securityhub": {
        "AutoScaling.1": { title: "Auto Scaling groups associated with a load balancer should use ELB health checks", source: securityHub("autoscaling", 1) },
        "AutoScaling.2": { title: "Amazon EC2 Auto Scaling group should cover multiple Availability Zones", source: securityHub("autoscaling", 2) },
        "AutoScaling.3": {
            title: "Auto Scaling group launch configurations should configure EC2 instances to require Instance Metadata Service Version 2 (IMDSv2)",
            source: securityHub("autoscaling", 3),
        },
        // The reference spells this one id with a lower-case s.
        "Autoscaling.5": {
            title: "Amazon EC2 instances launched using Auto Scaling group launch configurations should not have Public IP addresses",
            source: securityHub("autoscaling", 5),
        },
        "CloudWatch.16": { title: "CloudWatch log groups should be retained for a specified time period", source: securityHub("cloudwatch", 16) },
        "DMS.1": { title: "Database Migration Service replication instances should not be public", source: securityHub("dms", 1) },
        "EC2.8": { title: "EC2 instances should use Instance Metadata Service Version 2 (IMDSv2)", source: securityHub("ec2", 8) },
        "EC2.13": { title: "Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 22", source: securityHub("ec2", 13) },
        "EC2.14": { title: "Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 3389", source: securityHub("ec2", 14) },
        "EC2.15": { title: "Amazon EC2 subnets should not automatically assign public IP addresses", source: securityHub("ec2", 15) },
        "EC2.18": { title: "Security groups should only allow unrestricted incoming traffic for authorized ports", source: securityHub("ec2", 18) },
        "EC2.21": { title: "Network ACLs should not allow ingress from 0.0.0.0/0 to port 22 or port 3389", source: securityHub("ec2", 21) },
        "EC2.25": { title: "Amazon EC2 launch templates should not assign public IPs to network interfaces", source: securityHub("ec2", 25) },
        "EC2.170": { title: "EC2 launch templates should use Instance Metadata Service Version 2 (IMDSv2)", source: securityHub("ec2", 170) },
        "ECS.4": { title: "ECS containers should run as non-privileged", source: securityHub("ecs", 4) },
        "ECS.9": { title: "ECS task definitions should have a logging configuration", source: securityHub("ecs", 9) },
        "ECS.12": { title: "ECS clusters should use Container Insights", source: securityHub("ecs", 12) },
        "EFS.1": { title: "Elastic File System should be configured to encrypt file data at-rest using AWS KMS", source: securityHub("efs", 1) },
        "ELB.1": { title: "Application Load Balancer should be configured to redirect all HTTP requests to HTTPS", source: securityHub("elb", 1) },
        "ELB.4": { title: "Application Load Balancer should be configured to drop invalid http headers", source: securityHub("elb", 4) },
        "ELB.5": { title: "Application and Classic Load Balancers logging should be enabled", source: securityHub("elb", 5) },
        "ELB.6": { title: "Application, Gateway, and Network Load Balancers should have deletion protection enabled", source: securityHub("elb", 6) },
        "KMS.4": { title: "AWS KMS key rotation should be enabled", source: securityHub("kms", 4) },
        "RDS.2": {
            title: "RDS DB Instances should prohibit public access, as determined by the PubliclyAccessible configuration",
            source: securityHub("rds", 2),
        },
        "Redshift.1": { title: "Amazon Redshift clusters should prohibit public access", source: securityHub("redshift", 1) },
        "RedshiftServerless.3": { title: "Redshift Serverless workgroups should prohibit public access", source: securityHub("redshiftserverless", 3) },
    },
    "pss-baseline": {
        "Host Namespaces": { title: "Sharing the host namespaces must be disallowed.", source: standards["pss-baseline"].home },
        "Privileged Containers": { title: "Privileged Pods disable most security mechanisms and must be disallowed.", source: standards["pss-baseline"].home },
        "HostPath Volumes": { title: "HostPath volumes must be forbidden.", source: standards["pss-baseline"].home },
        "Host Ports": { title: "HostPorts should be disallowed entirely (recommended) or restricted to a known list", source: standards["pss-baseline"].home },
    },
    "pss-restricted": {
        "Privilege Escalation (v1.8+)": {
            title: "Privilege escalation (such as via set-user-ID or set-group-ID file mode) should not be allowed.",
            source: standards["pss-restricted"].home,
        },
        "Running as Non-root": { title: "Containers must be required to run as non-root users.", source: standards["pss-restricted"].home },
        "Running as Non-root user (v1.23+)": { title: "Containers must not set runAsUser to 0", source: standards["pss-restricted"].home },
        "Seccomp (v1.19+)": {
            title: "Seccomp profile must be explicitly set to one of the allowed values. Both the Unconfined profile and the absence of a profile are prohibited.",
            source: standards["pss-restricted"].home,
        },
        "Capabilities (v1.22+)": {
            title: "Containers must drop ALL capabilities, and are only permitted to add back the NET_BIND_SERVICE capability.",
            source: standards["pss-restricted"].home,
        },
    },
    checkov: {
        CKV_AWS_2: { title: "Ensure ALB protocol is HTTPS", source: checkovFile("terraform/checks/resource/aws/ALBListenerHTTPS.py") },
        CKV_AWS_3: { title: "Ensure all data stored in the EBS is securely encrypted", source: checkovFile("terraform/checks/resource/aws/EBSEncryption.py") },
        CKV_AWS_7: { title: "Ensure rotation for customer created CMKs is enabled", source: checkovFile("terraform/checks/resource/aws/KMSRotation.py") },
        CKV_AWS_8: {
            title: "Ensure all data stored in the Launch configuration or instance Elastic Blocks Store is securely encrypted",
            source: checkovFile("terraform/checks/resource/aws/LaunchConfigurationEBSEncryption.py"),
        },
        CKV_AWS_17: {
            title: "Ensure all data stored in RDS is not publicly accessible",
            source: checkovFile("terraform/checks/resource/aws/RDSPubliclyAccessible.py"),
        },
        // The title is built from the port by AbsSecurityGroupUnrestrictedIngress.py.
        CKV_AWS_24: {
            title: "Ensure no security groups allow ingress from 0.0.0.0:0 to port 22",
            source: checkovFile("terraform/checks/resource/aws/SecurityGroupUnrestrictedIngress22.py"),
        },
        CKV_AWS_25: {
            title: "Ensure no security groups allow ingress from 0.0.0.0:0 to port 3389",
            source: checkovFile("terraform/checks/resource/aws/SecurityGroupUnrestrictedIngress3389.py"),
        },
        CKV_AWS_42: { title: "Ensure EFS is securely encrypted", source: checkovFile("terraform/checks/resource/aws/EFSEncryptionEnabled.py") },
        CKV_AWS_65: {
            title: "Ensure container insights are enabled on ECS cluster",
            source: checkovFile("terraform/checks/resource/aws/ECSClusterContainerInsights.py"),
        },
        CKV_AWS_66: {
            title: "Ensure that CloudWatch Log Group specifies retention days",
            source: checkovFile("terraform/checks/resource/aws/CloudWatchLogGroupRetention.py"),
        },
        CKV_AWS_69: { title: "Ensure MQ Broker is not publicly exposed", source: checkovFile("terraform/checks/resource/aws/MQBrokerNotPubliclyExposed.py") },
        CKV_AWS_79: {
            title: "Ensure Instance Metadata Service Version 1 is not enabled",
            source: checkovFile("terraform/checks/resource/aws/IMDSv1Disabled.py"),
        },
        CKV_AWS_88: { title: "EC2 instance should not have public IP.", source: checkovFile("terraform/checks/resource/aws/EC2PublicIP.py") },
        CKV_AWS_91: {
            title: "Ensure the ELBv2 (Application/Network) has access logging enabled",
            source: checkovFile("terraform/checks/resource/aws/ELBv2AccessLogs.py"),
        },
        CKV_AWS_103: {
            title: "Ensure that load balancer is using at least TLS 1.2",
            source: checkovFile("terraform/checks/graph_checks/aws/AppLoadBalancerTLS12.yaml"),
        },
        CKV_AWS_130: { title: "Ensure VPC subnets do not assign public IP by default", source: checkovFile("terraform/checks/resource/aws/SubnetPublicIP.py") },
        CKV_AWS_131: { title: "Ensure that ALB drops HTTP headers", source: checkovFile("terraform/checks/resource/aws/ALBDropHttpHeaders.py") },
        CKV_AWS_150: {
            title: "Ensure that Load Balancer has deletion protection enabled",
            source: checkovFile("terraform/checks/resource/aws/LBDeletionProtection.py"),
        },
        CKV_AWS_184: {
            title: "Ensure resource is encrypted by KMS using a customer managed Key (CMK)",
            source: checkovFile("terraform/checks/resource/aws/EFSFileSystemEncryptedWithCMK.py"),
        },
        CKV_AWS_338: {
            title: "Ensure CloudWatch log groups retains logs for at least 1 year",
            source: checkovFile("terraform/checks/resource/aws/CloudWatchLogGroupRetentionYear.py"),
        },
        CKV_GCP_2: {
            title: "Ensure Google compute firewall ingress does not allow unrestricted ssh access",
            source: checkovFile("terraform/checks/resource/gcp/GoogleComputeFirewallUnrestrictedIngress22.py"),
        },
        CKV_GCP_3: {
            title: "Ensure Google compute firewall ingress does not allow unrestricted rdp access",
            source: checkovFile("terraform/checks/resource/gcp/GoogleComputeFirewallUnrestrictedIngress3389.py"),
        },
        CKV_GCP_4: {
            title: "Ensure no HTTPS or SSL proxy load balancers permit SSL policies with weak cipher suites",
            source: checkovFile("terraform/checks/resource/gcp/GoogleComputeSSLPolicy.py"),
        },
        CKV_GCP_7: {
            title: "Ensure Legacy Authorization is set to Disabled on Kubernetes Engine Clusters",
            source: checkovFile("terraform/checks/resource/gcp/GKEDisableLegacyAuth.py"),
        },
        CKV_GCP_9: {
            title: "Ensure 'Automatic node repair' is enabled for Kubernetes Clusters",
            source: checkovFile("terraform/checks/resource/gcp/GKENodePoolAutoRepairEnabled.py"),
        },
        CKV_GCP_10: {
            title: "Ensure 'Automatic node upgrade' is enabled for Kubernetes Clusters",
            source: checkovFile("terraform/checks/resource/gcp/GKENodePoolAutoUpgradeEnabled.py"),
        },
        CKV_GCP_12: {
            title: "Ensure Network Policy is enabled on Kubernetes Engine Clusters",
            source: checkovFile("terraform/checks/resource/gcp/GKENetworkPolicyEnabled.py"),
        },
        CKV_GCP_20: {
            title: "Ensure master authorized networks is set to enabled in GKE clusters",
            source: checkovFile("terraform/checks/resource/gcp/GKEMasterAuthorizedNetworksEnabled.py"),
        },
        CKV_GCP_25: {
            title: "Ensure Kubernetes Cluster is created with Private cluster enabled",
            source: checkovFile("terraform/checks/resource/gcp/GKEPrivateClusterConfig.py"),
        },
        CKV_GCP_31: {
            title: "Ensure that instances are not configured to use the default service account with full access to all Cloud APIs",
            source: checkovFile("terraform/checks/resource/gcp/GoogleComputeDefaultServiceAccountFullAccess.py"),
        },
        CKV_GCP_34: {
            title: "Ensure that no instance in the project overrides the project setting for enabling OSLogin(OSLogin needs to be enabled in project metadata for all instances)",
            source: checkovFile("terraform/checks/resource/gcp/GoogleComputeInstanceOSLogin.py"),
        },
        CKV_GCP_39: {
            title: "Ensure Compute instances are launched with Shielded VM enabled",
            source: checkovFile("terraform/checks/resource/gcp/GoogleComputeShieldedVM.py"),
        },
        CKV_GCP_40: {
            title: "Ensure that Compute instances do not have public IP addresses",
            source: checkovFile("terraform/checks/resource/gcp/GoogleComputeExternalIP.py"),
        },
        CKV_GCP_69: { title: "Ensure the GKE Metadata Server is Enabled", source: checkovFile("terraform/checks/resource/gcp/GKEMetadataServerIsEnabled.py") },
        CKV_GCP_70: { title: "Ensure the GKE Release Channel is set", source: checkovFile("terraform/checks/resource/gcp/GKEReleaseChannel.py") },
        CKV_GCP_71: { title: "Ensure Shielded GKE Nodes are Enabled", source: checkovFile("terraform/checks/resource/gcp/GKEEnableShieldedNodes.py") },
        CKV_K8S_8: { title: "Liveness Probe Should be Configured", source: checkovFile("kubernetes/checks/resource/k8s/LivenessProbe.py") },
        CKV_K8S_9: { title: "Readiness Probe Should be Configured", source: checkovFile("kubernetes/checks/resource/k8s/ReadinessProbe.py") },
        CKV_K8S_10: { title: "CPU requests should be set", source: checkovFile("kubernetes/checks/resource/k8s/CPURequests.py") },
        CKV_K8S_12: { title: "Memory requests should be set", source: checkovFile("kubernetes/checks/resource/k8s/MemoryRequests.py") },
        CKV_K8S_13: { title: "Memory limits should be set", source: checkovFile("kubernetes/checks/resource/k8s/MemoryLimits.py") },
        CKV_K8S_14: { title: "Image Tag should be fixed - not latest or blank", source: checkovFile("kubernetes/checks/resource/k8s/ImageTagFixed.py") },
        CKV_K8S_16: { title: "Container should not be privileged", source: checkovFile("kubernetes/checks/resource/k8s/PrivilegedContainers.py") },
        CKV_K8S_17: {
            title: "Containers should not share the host process ID namespace",
            source: checkovFile("kubernetes/checks/resource/k8s/ShareHostPID.py"),
        },
        CKV_K8S_18: { title: "Containers should not share the host IPC namespace", source: checkovFile("kubernetes/checks/resource/k8s/ShareHostIPC.py") },
        CKV_K8S_19: {
            title: "Containers should not share the host network namespace",
            source: checkovFile("kubernetes/checks/resource/k8s/SharedHostNetworkNamespace.py"),
        },
        CKV_K8S_20: {
            title: "Containers should not run with allowPrivilegeEscalation",
            source: checkovFile("kubernetes/checks/resource/k8s/AllowPrivilegeEscalation.py"),
        },
        CKV_K8S_23: { title: "Minimize the admission of root containers", source: checkovFile("kubernetes/checks/resource/k8s/RootContainers.py") },
        CKV_K8S_28: {
            title: "Minimize the admission of containers with the NET_RAW capability",
            source: checkovFile("kubernetes/checks/resource/k8s/DropCapabilities.py"),
        },
        CKV_K8S_37: {
            title: "Minimize the admission of containers with capabilities assigned",
            source: checkovFile("kubernetes/checks/resource/k8s/MinimizeCapabilities.py"),
        },
        CKV_K8S_43: { title: "Image should use digest", source: checkovFile("kubernetes/checks/resource/k8s/ImageDigest.py") },
    },
    tfsec: {
        "aws-ec2-enforce-http-token-imds": {
            title: "aws_instance should activate session tokens for Instance Metadata Service.",
            source: trivyCheck("aws/ec2/enforce_http_token_imds"),
            alias: "AVD-AWS-0028",
        },
        // Trivy's metadata gives this launch configuration and template rule the instance rule's title.
        "aws-ec2-enforce-launch-config-http-token-imds": {
            title: "aws_instance should activate session tokens for Instance Metadata Service.",
            source: trivyCheck("aws/ec2/as_enforce_http_token_imds"),
            alias: "AVD-AWS-0130",
        },
        "aws-ec2-enable-launch-config-at-rest-encryption": {
            title: "Launch configuration with unencrypted block device.",
            source: trivyCheck("aws/ec2/as_enable_at_rest_encryption"),
            alias: "AVD-AWS-0008",
        },
        "aws-ec2-enable-at-rest-encryption": {
            title: "Instance with unencrypted block device.",
            source: trivyCheck("aws/ec2/enable_at_rest_encryption"),
            alias: "AVD-AWS-0131",
        },
        "aws-ec2-no-public-ip": {
            title: "Launch configuration should not have a public IP address.",
            source: trivyCheck("aws/ec2/no_public_ip"),
            alias: "AVD-AWS-0009",
        },
        "aws-ec2-no-public-ingress-sgr": {
            title: "Security groups should not allow unrestricted ingress to SSH or RDP from any IP address.",
            source: trivyCheck("aws/ec2/no_public_ingress_sgr"),
            alias: "AVD-AWS-0107",
        },
        "aws-ec2-no-public-ingress-acl": {
            title: "Network ACLs should not allow unrestricted ingress to SSH or RDP from any IP address.",
            source: trivyCheck("aws/ec2/no_public_ingress_acl"),
            alias: "AVD-AWS-0105",
        },
        "aws-ec2-no-public-ip-subnet": {
            title: "Instances in a subnet should not receive a public IP address by default.",
            source: trivyCheck("aws/ec2/no_public_ip_subnet"),
            alias: "AVD-AWS-0164",
        },
        "aws-ecs-enable-container-insight": {
            title: "ECS clusters should have container insights enabled",
            source: trivyCheck("aws/ecs/enable_container_insight"),
            alias: "AVD-AWS-0034",
        },
        "aws-efs-enable-at-rest-encryption": {
            title: "EFS Encryption has not been enabled",
            source: trivyCheck("aws/efs/enable_at_rest_encryption"),
            alias: "AVD-AWS-0037",
        },
        "aws-elb-drop-invalid-headers": {
            title: "Load balancers should drop invalid headers",
            source: trivyCheck("aws/elb/drop_invalid_headers"),
            alias: "AVD-AWS-0052",
        },
        "aws-elb-http-not-used": { title: "Use of plain HTTP.", source: trivyCheck("aws/elb/http_not_used"), alias: "AVD-AWS-0054" },
        "aws-kms-auto-rotate-keys": {
            title: "A KMS key is not configured to auto-rotate.",
            source: trivyCheck("aws/kms/auto_rotate_keys"),
            alias: "AVD-AWS-0065",
        },
        "google-compute-enable-shielded-vm-im": {
            title: "Instances should have Shielded VM integrity monitoring enabled",
            source: trivyCheck("google/compute/enable_shielded_vm_im"),
            alias: "AVD-GCP-0045",
        },
        "google-compute-enable-shielded-vm-vtpm": {
            title: "Instances should have Shielded VM VTPM enabled",
            source: trivyCheck("google/compute/enable_shielded_vm_vtpm"),
            alias: "AVD-GCP-0041",
        },
        "google-compute-no-oslogin-override": {
            title: "Instances should not override the project setting for OS Login",
            source: trivyCheck("google/compute/no_oslogin_override"),
            alias: "AVD-GCP-0036",
        },
        "google-compute-no-public-ip": {
            title: "Instances should not have public IP addresses",
            source: trivyCheck("google/compute/no_public_ip"),
            alias: "AVD-GCP-0031",
        },
        "google-compute-use-secure-tls-policy": {
            title: "SSL policies should enforce secure versions of TLS",
            source: trivyCheck("google/compute/use_secure_tls_policy"),
            alias: "AVD-GCP-0039",
        },
        "google-gke-enable-auto-repair": {
            title: "Kubernetes should have 'Automatic repair' enabled",
            source: trivyCheck("google/gke/enable_auto_repair"),
            alias: "AVD-GCP-0063",
        },
        "google-gke-enable-auto-upgrade": {
            title: "Kubernetes should have 'Automatic upgrade' enabled",
            source: trivyCheck("google/gke/enable_auto_upgrade"),
            alias: "AVD-GCP-0058",
        },
        "google-gke-enable-master-networks": {
            title: "Master authorized networks should be configured on GKE clusters",
            source: trivyCheck("google/gke/enable_master_networks"),
            alias: "AVD-GCP-0061",
        },
        "google-gke-enable-network-policy": {
            title: "Network Policy should be enabled on GKE clusters",
            source: trivyCheck("google/gke/enable_network_policy"),
            alias: "AVD-GCP-0056",
        },
        "google-gke-enable-private-cluster": {
            title: "Clusters should be set to private",
            source: trivyCheck("google/gke/enable_private_cluster"),
            alias: "AVD-GCP-0059",
        },
        "google-gke-node-shielding-enabled": {
            title: "Shielded GKE nodes not enabled.",
            source: trivyCheck("google/gke/node_shielding_enabled"),
            alias: "AVD-GCP-0055",
        },
        "google-gke-use-rbac-permissions": {
            title: "Legacy ABAC permissions are enabled.",
            source: trivyCheck("google/gke/use_rbac_permissions"),
            alias: "AVD-GCP-0062",
        },
    },
} as const satisfies { [S in StandardKey]: Record<string, Entry> };

/** A cited control's key, `<standard>:<id>`, e.g. "cis-aws:5.6" or "checkov:CKV_AWS_79". */
export type ControlId = { [S in StandardKey]: `${S}:${keyof (typeof catalogue)[S] & string}` }[StandardKey];

export interface Control extends Entry {
    key: ControlId;
    standard: StandardKey;
    /** The control's id as its standard spells it. */
    id: string;
}

/** Every control of the table, in the table's order. */
export const controls: readonly Control[] = (Object.keys(catalogue) as StandardKey[]).flatMap((standard) =>
    Object.entries(catalogue[standard] as Record<string, Entry>).map(([id, entry]) => ({ key: `${standard}:${id}` as ControlId, standard, id, ...entry })),
);

const byKey = new Map<string, Control>(controls.map((c) => [c.key, c]));

/** The control a key names, or undefined when the table does not hold it. */
export function controlOf(key: string): Control | undefined {
    return byKey.get(key);
}

/** A control the policy checks for some of its types only (an instance control beside a launch template's). */
export interface TypedCitation {
    control: ControlId;
    types: readonly string[];
}

export type Citation = ControlId | TypedCitation;

/** Separates a control's key from the type it is cited for in a policy tag. */
const forType = "@";

/**
 * The policy tags that cite controls: "checkov:CKV_AWS_79" when the control judges
 * every type the policy judges, "aws-securityhub:EC2.8@aws:ec2/instance:Instance"
 * when it judges that type only.
 */
export function cites(...citations: Citation[]): string[] {
    return citations.flatMap((c) => (typeof c === "string" ? [c] : c.types.map((t) => `${c.control}${forType}${t}`)));
}

export interface CitationTag {
    key: string;
    standard: StandardKey;
    /** The control, or undefined when the table does not hold the key. */
    control: Control | undefined;
    /** The one type the control is cited for, or undefined when it is cited for all. */
    type: string | undefined;
}

/** Reads a policy tag back: a citation when it starts with a standard's key, else undefined. */
export function citationOf(tag: string): CitationTag | undefined {
    const colon = tag.indexOf(":");
    const standard = tag.slice(0, colon);
    if (colon < 0 || !Object.prototype.hasOwnProperty.call(standards, standard)) return undefined;
    const at = tag.indexOf(forType);
    const key = at < 0 ? tag : tag.slice(0, at);
    return { key, standard: standard as StandardKey, control: controlOf(key), type: at < 0 ? undefined : tag.slice(at + 1) };
}

/**
 * The compliance framework of a policy that checks what `control` asks of every
 * type the policy judges; its specification is the control's title.
 */
export function framework(control: ControlId): PolicyComplianceFramework {
    const c = byKey.get(control)!;
    const standard: Standard = standards[c.standard];
    return { name: standard.name, version: standard.version, reference: c.id, specification: c.title };
}

export const baselineName = "Multicloud platform baseline";
export const baselineVersion = "1.0.0";

/**
 * The platform's own baseline, for a policy no single public control covers: its
 * reference is the policy's name, its specification what the policy keeps true.
 */
export function baseline(policy: string, specification: string): PolicyComplianceFramework {
    return { name: baselineName, version: baselineVersion, reference: policy, specification };
}
