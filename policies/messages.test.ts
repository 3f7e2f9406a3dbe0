/**
 * Every policy of the pack, through the real analyzer: for a noncompliant
 * resource its exact message, and for a compliant one none. The area test files
 * beside each policy go through the edge cases; this table holds the message of
 * each policy and fails when a policy of the pack has no entry.
 */
import { policySession, usePolicyPack, type ResourceSpec } from "../test/helpers/policy";

const pack = usePolicyPack();

/** What a policy reported, after the description the engine puts first. */
const reported = (message: string) => message.slice(message.indexOf("\n") + 1);

interface Case {
    bad: ResourceSpec[];
    message: string;
    good: ResourceSpec[];
}

const r = (type: string, inputs: Record<string, unknown>, extra: Partial<ResourceSpec> = {}): ResourceSpec => ({ type, inputs, ...extra });

const lt = "aws:ec2/launchTemplate:LaunchTemplate";
const instance = "aws:ec2/instance:Instance";
const asg = "aws:autoscaling/group:Group";
const asgBase = {
    minSize: 2,
    maxSize: 4,
    vpcZoneIdentifiers: ["subnet-a", "subnet-b"],
    healthCheckType: "ELB",
    targetGroupArns: ["tg"],
    instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 100 } },
};
const service = "aws:ecs/service:Service";
const serviceBase = {
    cluster: "c",
    taskDefinition: "t",
    desiredCount: 2,
    deploymentCircuitBreaker: { enable: true, rollback: true },
    deploymentMinimumHealthyPercent: 100,
    deploymentMaximumPercent: 200,
};
const task = "aws:ecs/taskDefinition:TaskDefinition";
const containers = (c: Record<string, unknown>) => JSON.stringify([{ name: "app", image: "app:1", ...c }]);
const listener = "aws:lb/listener:Listener";
const alb = "aws:lb/loadBalancer:LoadBalancer";
const albBase = {
    loadBalancerType: "application",
    dropInvalidHeaderFields: true,
    enableDeletionProtection: true,
    accessLogs: { enabled: true, bucket: "logs" },
};
const sg = "aws:ec2/securityGroup:SecurityGroup";
const ingress = (fromPort: number, toPort: number, cidr = "0.0.0.0/0") => [{ protocol: "tcp", fromPort, toPort, cidrBlocks: [cidr] }];
const gcpVm = "gcp:compute/instanceTemplate:InstanceTemplate";
const gcpVmBase = {
    machineType: "e2-small",
    disks: [{ sourceImage: "debian-12" }],
    networkInterfaces: [{ network: "n" }],
    shieldedInstanceConfig: { enableSecureBoot: true },
    metadata: { "enable-oslogin": "TRUE" },
    serviceAccount: { email: "app@p.iam.gserviceaccount.com", scopes: ["cloud-platform"] },
};
const gke = "gcp:container/cluster:Cluster";
const gkeBase = {
    location: "europe-west1",
    privateClusterConfig: { enablePrivateNodes: true },
    masterAuthorizedNetworksConfig: { cidrBlocks: [{ cidrBlock: "10.0.0.0/8" }] },
    datapathProvider: "ADVANCED_DATAPATH",
    workloadIdentityConfig: { workloadPool: "p.svc.id.goog" },
    releaseChannel: { channel: "REGULAR" },
};
const pool = "gcp:container/nodePool:NodePool";
const awsVpn = "aws:ec2/vpnConnection:VpnConnection";
const awsVpnTunnel = (n: 1 | 2) => ({
    [`tunnel${n}InsideCidr`]: `169.254.24.${n * 4}/30`,
    [`tunnel${n}PresharedKey`]: "k",
    [`tunnel${n}IkeVersions`]: ["ikev2"],
    [`tunnel${n}Phase1EncryptionAlgorithms`]: ["AES256-GCM-16"],
    [`tunnel${n}Phase2EncryptionAlgorithms`]: ["AES256-GCM-16"],
    [`tunnel${n}Phase1IntegrityAlgorithms`]: ["SHA2-256"],
    [`tunnel${n}Phase2IntegrityAlgorithms`]: ["SHA2-256"],
    [`tunnel${n}Phase1DhGroupNumbers`]: [20],
    [`tunnel${n}Phase2DhGroupNumbers`]: [20],
});
const awsVpnBase = { type: "ipsec.1", customerGatewayId: "cgw", transitGatewayId: "tgw", ...awsVpnTunnel(1), ...awsVpnTunnel(2) };
const gcpTunnel = "gcp:compute/vPNTunnel:VPNTunnel";
const gcpTunnelBase = {
    ikeVersion: 2,
    sharedSecret: "k",
    cipherSuite: {
        phase1: { encryptions: ["AES-GCM-16-256"], prves: ["PRF-HMAC-SHA2-256"], dhs: ["Group-20"] },
        phase2: { encryptions: ["AES-GCM-16-256"], pfs: ["Group-20"] },
    },
};
const aliConnection = "alicloud:vpn/connection:Connection";
const aliConnectionBase = {
    vpnGatewayId: "vpn",
    customerGatewayId: "cgw",
    localSubnets: ["10.31.0.0/16"],
    remoteSubnets: ["10.41.0.0/16"],
    ikeConfig: { ikeVersion: "ikev2", ikeEncAlg: "aes256", ikeAuthAlg: "sha256", ikePfs: "group14" },
    ipsecConfig: { ipsecEncAlg: "aes256", ipsecAuthAlg: "sha256", ipsecPfs: "group14" },
};
/** A gateway Deployment whose BACKEND_ENDPOINT comes from the backend stack. */
const callerOf = (value: string) =>
    r(
        "kubernetes:apps/v1:Deployment",
        { spec: { template: { spec: { containers: [{ name: "gateway", image: "g", env: [{ name: "BACKEND_ENDPOINT", value }] }] } } } },
        { dependsOn: ["backend"] },
    );
const deployment = "kubernetes:apps/v1:Deployment";
const goodContainer = {
    name: "app",
    image: "registry/app:1@sha256:" + "a".repeat(64),
    securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } },
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "128Mi" } },
    readinessProbe: { httpGet: { path: "/", port: 8080 } },
    livenessProbe: { httpGet: { path: "/", port: 8080 } },
};
const pod = (container: Record<string, unknown>, podSpec: Record<string, unknown> = {}, spec: Record<string, unknown> = {}) =>
    r(deployment, {
        metadata: { name: "app", namespace: "apps" },
        spec: {
            selector: { matchLabels: { app: "a" } },
            strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
            template: { metadata: { labels: { app: "a" } }, spec: { containers: [{ ...goodContainer, ...container }], ...podSpec } },
            ...spec,
        },
    });
const ns = (name: string) => r("kubernetes:core/v1:Namespace", { metadata: { name } });
const denyAll = (namespace: string) =>
    r("kubernetes:networking.k8s.io/v1:NetworkPolicy", {
        metadata: { name: "deny", namespace },
        spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    });

const cases: Record<string, Case> = {
    "aws-ec2-imdsv2-required": {
        bad: [r(lt, { metadataOptions: { httpTokens: "optional" } })],
        message: 'The instance metadata service accepts IMDSv1 requests; set `metadataOptions.httpTokens` to "required".',
        good: [r(lt, { metadataOptions: { httpTokens: "required" } })],
    },
    "aws-ec2-volumes-encrypted": {
        bad: [r("aws:ebs/volume:Volume", { availabilityZone: "eu-west-1a", size: 10 })],
        message: "The EBS volume is not encrypted.",
        good: [r("aws:ebs/volume:Volume", { availabilityZone: "eu-west-1a", size: 10, encrypted: true })],
    },
    "aws-ec2-no-public-ip": {
        bad: [r(instance, { ami: "ami-1", instanceType: "t3.micro", associatePublicIpAddress: true })],
        message: "The instance gets a public IP.",
        good: [r(instance, { ami: "ami-1", instanceType: "t3.micro", associatePublicIpAddress: false })],
    },
    "aws-autoscaling-group-multi-az": {
        bad: [r(asg, { ...asgBase, vpcZoneIdentifiers: ["subnet-a"] })],
        message: "The autoscaling group is confined to a single availability zone.",
        good: [r(asg, asgBase)],
    },
    "aws-autoscaling-group-elb-health-check": {
        bad: [r(asg, { ...asgBase, healthCheckType: "EC2" })],
        message: "The autoscaling group is behind a load balancer but uses the EC2 health check.",
        good: [r(asg, asgBase)],
    },
    "aws-autoscaling-group-instance-refresh": {
        bad: [r(asg, { ...asgBase, instanceRefresh: undefined })],
        message: "The autoscaling group has no instance refresh: a new launch template version reaches no running instance.",
        good: [r(asg, asgBase)],
    },
    "aws-ecs-service-deployment-circuit-breaker": {
        bad: [r(service, { ...serviceBase, deploymentCircuitBreaker: { enable: true, rollback: false } })],
        message: "The deployment circuit breaker stops a failed deployment but does not roll it back.",
        good: [r(service, serviceBase)],
    },
    "aws-ecs-service-minimum-healthy-percent": {
        bad: [r(service, { ...serviceBase, deploymentMinimumHealthyPercent: 50 })],
        message: "Deployments may drop to 50% of the tasks; at least 100% is required.",
        good: [r(service, serviceBase)],
    },
    "aws-ecs-service-maximum-percent": {
        bad: [r(service, { ...serviceBase, deploymentMaximumPercent: 100, deploymentMinimumHealthyPercent: 0 })],
        message: "deploymentMaximumPercent is 100: a deployment must stop tasks before it can start new ones.",
        good: [r(service, serviceBase)],
    },
    "aws-ecs-task-no-privileged-containers": {
        bad: [r(task, { family: "f", containerDefinitions: containers({ privileged: true, logConfiguration: { logDriver: "awslogs" } }) })],
        message: "Container app runs privileged.",
        good: [r(task, { family: "f", containerDefinitions: containers({ logConfiguration: { logDriver: "awslogs" } }) })],
    },
    "aws-ecs-task-logging": {
        bad: [r(task, { family: "f", containerDefinitions: containers({}) })],
        message: "Container app has no log configuration.",
        good: [r(task, { family: "f", containerDefinitions: containers({ logConfiguration: { logDriver: "awslogs" } }) })],
    },
    "aws-ecs-cluster-container-insights": {
        bad: [r("aws:ecs/cluster:Cluster", {})],
        message: "Container Insights is off for the cluster.",
        good: [r("aws:ecs/cluster:Cluster", { settings: [{ name: "containerInsights", value: "enabled" }] })],
    },
    "aws-efs-encrypted": {
        bad: [r("aws:efs/fileSystem:FileSystem", { encrypted: true })],
        message: "The EFS file system uses the AWS-managed key; set `kmsKeyId` to a customer-managed key.",
        good: [r("aws:efs/fileSystem:FileSystem", { encrypted: true, kmsKeyId: "arn:aws:kms:eu-west-1:1:key/k" })],
    },
    "aws-efs-backup-not-disabled": {
        bad: [r("aws:efs/backupPolicy:BackupPolicy", { fileSystemId: "fs", backupPolicy: { status: "DISABLED" } })],
        message: "The EFS backup policy disables automatic backups.",
        good: [r("aws:efs/backupPolicy:BackupPolicy", { fileSystemId: "fs", backupPolicy: { status: "ENABLED" } })],
    },
    "aws-lb-listener-http-redirects-to-https": {
        bad: [r(listener, { loadBalancerArn: "lb", port: 80, protocol: "HTTP", defaultActions: [{ type: "forward", targetGroupArn: "tg" }] })],
        message: "The HTTP listener serves requests instead of redirecting them to HTTPS.",
        good: [
            r(listener, {
                loadBalancerArn: "lb",
                port: 80,
                protocol: "HTTP",
                defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
            }),
        ],
    },
    "aws-lb-listener-tls-1-2": {
        bad: [r(listener, { loadBalancerArn: "lb", port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08" })],
        message: "The security policy ELBSecurityPolicy-2016-08 admits TLSv1.0.",
        good: [r(listener, { loadBalancerArn: "lb", port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" })],
    },
    "aws-lb-listener-tls-1-3-preferred": {
        bad: [r(listener, { loadBalancerArn: "lb", port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS-1-2-2017-01" })],
        message: "The security policy ELBSecurityPolicy-TLS-1-2-2017-01 does not offer TLS 1.3.",
        good: [r(listener, { loadBalancerArn: "lb", port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" })],
    },
    "aws-lb-http-listener-rules-redirect-to-https": {
        bad: [
            r(
                listener,
                { loadBalancerArn: "lb", port: 80, protocol: "HTTP", defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS" } }] },
                { name: "http" },
            ),
            r(
                "aws:lb/listenerRule:ListenerRule",
                { listenerArn: "l", actions: [{ type: "forward", targetGroupArn: "tg" }] },
                { name: "rule", dependsOn: ["http"] },
            ),
        ],
        message: "The rule rule on the HTTP listener http serves requests instead of redirecting them to HTTPS.",
        good: [
            r(
                listener,
                { loadBalancerArn: "lb", port: 80, protocol: "HTTP", defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS" } }] },
                { name: "http" },
            ),
            r(
                "aws:lb/listenerRule:ListenerRule",
                { listenerArn: "l", actions: [{ type: "redirect", redirect: { protocol: "HTTPS" } }] },
                { name: "rule", dependsOn: ["http"] },
            ),
        ],
    },
    "aws-lb-drop-invalid-header-fields": {
        bad: [r(alb, { ...albBase, dropInvalidHeaderFields: false })],
        message: "The application load balancer forwards requests with invalid header fields.",
        good: [r(alb, albBase)],
    },
    "aws-lb-deletion-protection": {
        bad: [r(alb, { ...albBase, enableDeletionProtection: false })],
        message: "The load balancer can be deleted without first turning deletion protection off.",
        good: [r(alb, albBase)],
    },
    "aws-lb-access-logs": {
        bad: [r(alb, { ...albBase, accessLogs: { enabled: false, bucket: "logs" } })],
        message: "The load balancer writes no access logs.",
        good: [r(alb, albBase)],
    },
    "aws-security-group-no-admin-ports-from-internet": {
        bad: [r(sg, { ingress: ingress(20, 30) })],
        message: "An ingress rule (tcp 20-30) admits admin port 22 from the internet.",
        good: [r(sg, { ingress: ingress(20, 30, "10.0.0.0/8") })],
    },
    "aws-security-group-internet-only-web": {
        bad: [r(sg, { ingress: ingress(8080, 8080) })],
        message: "An ingress rule (tcp 8080-8080) admits the internet on more than TCP 80/443.",
        good: [r(sg, { ingress: ingress(443, 443) })],
    },
    "aws-security-group-internet-web-only-on-load-balancers": {
        bad: [r(sg, { ingress: ingress(443, 443) }, { name: "web" })],
        message: "web admits the internet on a security group that no load balancer of this stack uses.",
        good: [r(sg, { ingress: ingress(443, 443) }, { name: "web" }), r(alb, albBase, { name: "lb", dependsOn: ["web"] })],
    },
    "aws-network-acl-no-admin-ports-from-internet": {
        bad: [
            r("aws:ec2/networkAclRule:NetworkAclRule", {
                networkAclId: "a",
                ruleNumber: 100,
                egress: false,
                protocol: "tcp",
                ruleAction: "allow",
                cidrBlock: "0.0.0.0/0",
                fromPort: 3389,
                toPort: 3389,
            }),
        ],
        message: "A network ACL entry allows admin port 3389 from the internet.",
        good: [
            r("aws:ec2/networkAclRule:NetworkAclRule", {
                networkAclId: "a",
                ruleNumber: 100,
                egress: false,
                protocol: "tcp",
                ruleAction: "allow",
                cidrBlock: "0.0.0.0/0",
                fromPort: 443,
                toPort: 443,
            }),
        ],
    },
    "aws-subnet-no-public-ip-on-launch": {
        bad: [r("aws:ec2/subnet:Subnet", { vpcId: "v", cidrBlock: "10.0.0.0/24", mapPublicIpOnLaunch: true })],
        message: "The subnet assigns a public IP to every instance launched in it.",
        good: [r("aws:ec2/subnet:Subnet", { vpcId: "v", cidrBlock: "10.0.0.0/24" })],
    },
    "aws-ssm-secret-parameter-secure-string": {
        bad: [r("aws:ssm/parameter:Parameter", { name: "/app/dbPassword", type: "String", value: "x" })],
        message: "The parameter /app/dbPassword is named like a secret but is a String, stored in plain text.",
        good: [r("aws:ssm/parameter:Parameter", { name: "/app/logLevel", type: "String", value: "info" })],
    },
    "aws-kms-key-rotation": {
        bad: [r("aws:kms/key:Key", {})],
        message: "The KMS key does not rotate.",
        good: [r("aws:kms/key:Key", { enableKeyRotation: true })],
    },
    "aws-cloudwatch-log-group-retention": {
        bad: [r("aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 30 })],
        message: "The log group keeps its logs 30 days; at least 365 are required.",
        good: [r("aws:cloudwatch/logGroup:LogGroup", { retentionInDays: 365 })],
    },

    "gcp-vm-no-external-ip": {
        bad: [r(gcpVm, { ...gcpVmBase, networkInterfaces: [{ network: "n", accessConfigs: [{}] }] })],
        message: "Network interface 0 has an external IPv4 address (accessConfigs).",
        good: [r(gcpVm, gcpVmBase)],
    },
    "gcp-vm-shielded": {
        bad: [r(gcpVm, { ...gcpVmBase, shieldedInstanceConfig: { enableSecureBoot: true, enableVtpm: false } })],
        message: "Shielded VM is incomplete: vTPM off.",
        good: [r(gcpVm, gcpVmBase)],
    },
    "gcp-vm-os-login": {
        bad: [r(gcpVm, { ...gcpVmBase, metadata: {} })],
        message: "OS Login is not enforced: metadata `enable-oslogin` is not TRUE.",
        good: [r(gcpVm, gcpVmBase)],
    },
    "gcp-vm-no-default-service-account-full-scopes": {
        bad: [r(gcpVm, { ...gcpVmBase, serviceAccount: { email: "123-compute@developer.gserviceaccount.com", scopes: ["cloud-platform"] } })],
        message: "The VM runs as the Compute Engine default service account with the cloud-platform scope.",
        good: [r(gcpVm, gcpVmBase)],
    },
    "gcp-gke-private-nodes": {
        bad: [r(gke, { ...gkeBase, privateClusterConfig: undefined })],
        message: "The cluster's nodes get public IPs: `privateClusterConfig.enablePrivateNodes` is not true.",
        good: [r(gke, gkeBase)],
    },
    "gcp-gke-no-legacy-abac": {
        bad: [r(gke, { ...gkeBase, enableLegacyAbac: true })],
        message: "Legacy ABAC is enabled on the cluster.",
        good: [r(gke, gkeBase)],
    },
    "gcp-gke-master-authorized-networks": {
        bad: [r(gke, { ...gkeBase, masterAuthorizedNetworksConfig: undefined })],
        message: "The control plane admits every network: `masterAuthorizedNetworksConfig` is not set.",
        good: [r(gke, gkeBase)],
    },
    "gcp-gke-network-policy": {
        bad: [r(gke, { ...gkeBase, datapathProvider: undefined })],
        message: "NetworkPolicies are not enforced: neither Dataplane V2 nor `networkPolicy.enabled` with its add-on.",
        good: [r(gke, gkeBase)],
    },
    "gcp-gke-workload-identity": {
        bad: [r(gke, { ...gkeBase, workloadIdentityConfig: undefined })],
        message: "Workload Identity is off: `workloadIdentityConfig.workloadPool` is not set.",
        good: [r(gke, gkeBase)],
    },
    "gcp-gke-shielded-nodes": {
        bad: [r(gke, { ...gkeBase, enableShieldedNodes: false })],
        message: "Shielded GKE Nodes are turned off.",
        good: [r(gke, gkeBase)],
    },
    "gcp-gke-release-channel": {
        bad: [r(gke, { ...gkeBase, releaseChannel: { channel: "UNSPECIFIED" } })],
        message: "The cluster is not enrolled in a release channel.",
        good: [r(gke, gkeBase)],
    },
    "gcp-gke-node-auto-repair-upgrade": {
        bad: [r(pool, { cluster: "c", management: { autoRepair: false, autoUpgrade: true } })],
        message: "Node auto-repair is off.",
        good: [r(pool, { cluster: "c", management: { autoRepair: true, autoUpgrade: true } })],
    },
    "gcp-ssl-policy-tls12": {
        bad: [r("gcp:compute/sSLPolicy:SSLPolicy", { minTlsVersion: "TLS_1_2", profile: "COMPATIBLE" })],
        message: "The SSL policy's COMPATIBLE profile admits weak cipher suites; use MODERN or RESTRICTED.",
        good: [r("gcp:compute/sSLPolicy:SSLPolicy", { minTlsVersion: "TLS_1_2", profile: "MODERN" })],
    },
    "gcp-backend-service-logging": {
        bad: [r("gcp:compute/backendService:BackendService", { logConfig: { enable: true, sampleRate: 0 } })],
        message: "The backend service logs no request (`logConfig.sampleRate` is 0).",
        good: [r("gcp:compute/backendService:BackendService", { logConfig: { enable: true, sampleRate: 1 } })],
    },
    "gcp-firewall-no-internet-admin-ports": {
        bad: [
            r("gcp:compute/firewall:Firewall", {
                network: "n",
                direction: "INGRESS",
                sourceRanges: ["0.0.0.0/0"],
                allows: [{ protocol: "tcp", ports: ["22"] }],
                logConfig: { metadata: "INCLUDE_ALL_METADATA" },
            }),
        ],
        message: "The rule admits admin port(s) 22 from the internet.",
        good: [
            r("gcp:compute/firewall:Firewall", {
                network: "n",
                direction: "INGRESS",
                sourceRanges: ["10.0.0.0/8"],
                allows: [{ protocol: "tcp", ports: ["22"] }],
                logConfig: { metadata: "INCLUDE_ALL_METADATA" },
            }),
        ],
    },
    "gcp-firewall-logging": {
        bad: [
            r("gcp:compute/firewall:Firewall", {
                network: "n",
                direction: "INGRESS",
                sourceRanges: ["10.0.0.0/8"],
                allows: [{ protocol: "tcp", ports: ["443"] }],
            }),
        ],
        message: "The firewall rule does not log: `logConfig` is not set.",
        good: [
            r("gcp:compute/firewall:Firewall", {
                network: "n",
                direction: "INGRESS",
                sourceRanges: ["10.0.0.0/8"],
                allows: [{ protocol: "tcp", ports: ["443"] }],
                logConfig: { metadata: "INCLUDE_ALL_METADATA" },
            }),
        ],
    },

    "alicloud-instance-no-public-ip": {
        bad: [r("alicloud:ecs/instance:Instance", { instanceType: "ecs.g7.large", imageId: "m-1", internetMaxBandwidthOut: 5, systemDiskEncrypted: true })],
        message: "Instances get a public IP with 5 Mbit/s of public bandwidth.",
        good: [r("alicloud:ecs/instance:Instance", { instanceType: "ecs.g7.large", imageId: "m-1", internetMaxBandwidthOut: 0, systemDiskEncrypted: true })],
    },
    "alicloud-instance-disks-encrypted": {
        bad: [r("alicloud:ecs/instance:Instance", { instanceType: "ecs.g7.large", imageId: "m-1" })],
        message: "The system disk is not encrypted.",
        good: [r("alicloud:ecs/instance:Instance", { instanceType: "ecs.g7.large", imageId: "m-1", systemDiskEncrypted: true })],
    },
    "alicloud-ack-api-not-public": {
        bad: [r("alicloud:cs/managedKubernetes:ManagedKubernetes", {})],
        message: "The cluster's API server has a public endpoint (`slbInternetEnabled` is left out, so true).",
        good: [r("alicloud:cs/managedKubernetes:ManagedKubernetes", { slbInternetEnabled: false })],
    },
    "alicloud-lb-listener-tls-1-2": {
        bad: [r("alicloud:alb/listener:Listener", { listenerProtocol: "HTTPS", listenerPort: 443, loadBalancerId: "lb" }, { name: "https" })],
        message: "https uses tls_cipher_policy_1_0, which admits TLSv1.0.",
        good: [
            r(
                "alicloud:alb/listener:Listener",
                { listenerProtocol: "HTTPS", listenerPort: 443, loadBalancerId: "lb", securityPolicyId: "tls_cipher_policy_1_2_strict_with_1_3" },
                { name: "https" },
            ),
        ],
    },
    "alicloud-tls-custom-policy-1-2": {
        bad: [
            r("alicloud:alb/securityPolicy:SecurityPolicy", {
                securityPolicyName: "p",
                tlsVersions: ["TLSv1.1", "TLSv1.2"],
                ciphers: ["ECDHE-RSA-AES128-GCM-SHA256"],
            }),
        ],
        message: "The TLS policy admits TLSv1.1.",
        good: [
            r("alicloud:alb/securityPolicy:SecurityPolicy", {
                securityPolicyName: "p",
                tlsVersions: ["TLSv1.2", "TLSv1.3"],
                ciphers: ["ECDHE-RSA-AES128-GCM-SHA256"],
            }),
        ],
    },
    "alicloud-lb-http-redirects-to-https": {
        bad: [r("alicloud:slb/listener:Listener", { loadBalancerId: "lb", frontendPort: 80, protocol: "http" }, { name: "plain" })],
        message: "plain serves plain HTTP instead of forwarding it to the HTTPS listener.",
        good: [
            r(
                "alicloud:slb/listener:Listener",
                { loadBalancerId: "lb", frontendPort: 80, protocol: "http", listenerForward: "on", forwardPort: 443 },
                { name: "plain" },
            ),
        ],
    },
    "alicloud-security-group-no-admin-ports-from-internet": {
        bad: [
            r("alicloud:ecs/securityGroupRule:SecurityGroupRule", {
                type: "ingress",
                ipProtocol: "tcp",
                portRange: "1/65535",
                cidrIp: "0.0.0.0/0",
                securityGroupId: "sg",
            }),
        ],
        message: "The rule (tcp 1/65535) accepts admin port 22 and 3389 from the internet.",
        good: [
            r("alicloud:ecs/securityGroupRule:SecurityGroupRule", {
                type: "ingress",
                ipProtocol: "tcp",
                portRange: "443/443",
                cidrIp: "0.0.0.0/0",
                securityGroupId: "sg",
            }),
        ],
    },
    "alicloud-kms-secret-recovery-window": {
        bad: [r("alicloud:kms/secret:Secret", { secretName: "s", secretData: "x", versionId: "v1", forceDeleteWithoutRecovery: true })],
        message: "Deleting the secret destroys it at once, with no recovery window.",
        good: [r("alicloud:kms/secret:Secret", { secretName: "s", secretData: "x", versionId: "v1" })],
    },
    "alicloud-nas-encrypted": {
        bad: [r("alicloud:nas/fileSystem:FileSystem", { protocolType: "NFS", storageType: "Performance", encryptType: 2 }, { protect: true })],
        message: "`encryptType: 2` needs the KMS key in `kmsKeyId`.",
        good: [r("alicloud:nas/fileSystem:FileSystem", { protocolType: "NFS", storageType: "Performance", encryptType: 2, kmsKeyId: "k" }, { protect: true })],
    },
    "alicloud-kms-key-rotation": {
        bad: [r("alicloud:kms/key:Key", {})],
        message: "The KMS key does not rotate automatically.",
        good: [r("alicloud:kms/key:Key", { automaticRotation: "Enabled" })],
    },

    "k8s-no-privileged-containers": {
        bad: [pod({ securityContext: { ...goodContainer.securityContext, privileged: true } })],
        message: 'container "app": runs privileged.',
        good: [pod({})],
    },
    "k8s-no-privilege-escalation": {
        bad: [pod({ securityContext: { ...goodContainer.securityContext, allowPrivilegeEscalation: undefined } })],
        message: 'container "app": allows privilege escalation (`allowPrivilegeEscalation` is not false).',
        good: [pod({})],
    },
    "k8s-run-as-non-root": {
        bad: [pod({ securityContext: { ...goodContainer.securityContext, runAsUser: 0 } })],
        message: 'container "app": runs as root (runAsUser 0).',
        good: [pod({})],
    },
    "k8s-drop-all-capabilities": {
        bad: [pod({ securityContext: { ...goodContainer.securityContext, capabilities: { drop: ["ALL"], add: ["NET_ADMIN"] } } })],
        message: 'container "app": adds capabilities NET_ADMIN.',
        good: [pod({})],
    },
    "k8s-seccomp-runtime-default": {
        bad: [pod({ securityContext: { ...goodContainer.securityContext, seccompProfile: { type: "Unconfined" } } })],
        message: 'container "app": uses seccomp profile Unconfined.',
        good: [pod({})],
    },
    "k8s-resource-requests-limits": {
        bad: [pod({ resources: { requests: { cpu: "100m", memory: "128Mi" } } })],
        message: 'container "app": has no limits.memory.',
        good: [pod({})],
    },
    "k8s-image-tagged": {
        bad: [pod({ image: "registry/app:latest" })],
        message: 'container "app": image "registry/app:latest" uses the latest tag.',
        good: [pod({})],
    },
    "k8s-image-digest": {
        bad: [pod({ image: "registry/app:1" })],
        message: 'container "app": image "registry/app:1" is not pinned by digest.',
        good: [pod({})],
    },
    "k8s-probes": {
        bad: [pod({ livenessProbe: undefined })],
        message: 'container "app": has no livenessProbe.',
        good: [pod({})],
    },
    "k8s-no-host-namespaces": {
        bad: [pod({}, { hostNetwork: true })],
        message: "The pod sets hostNetwork: true.",
        good: [pod({})],
    },
    "k8s-no-host-path": {
        bad: [pod({}, { volumes: [{ name: "docker", hostPath: { path: "/var/run/docker.sock" } }] })],
        message: 'Volume "docker" mounts the node\'s /var/run/docker.sock.',
        good: [pod({}, { volumes: [{ name: "scratch", emptyDir: {} }] })],
    },
    "k8s-no-recreate-strategy": {
        bad: [pod({}, {}, { strategy: { type: "Recreate" } })],
        message: "The Deployment uses the Recreate strategy.",
        good: [pod({})],
    },
    "k8s-rolling-update-keeps-capacity": {
        bad: [pod({}, {}, { strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: 1 } } })],
        message: "A rollout may take pods away (maxUnavailable 25%); set it to 0.",
        good: [pod({})],
    },
    "k8s-rollout-awaited": {
        bad: [{ ...pod({}), inputs: { ...pod({}).inputs, metadata: { name: "app", namespace: "apps", annotations: { "pulumi.com/skipAwait": "true" } } } }],
        message: 'The Deployment sets pulumi.com/skipAwait: "true": the update ends before its rollout does.',
        good: [pod({})],
    },
    "k8s-statefulset-foreground-deletion": {
        bad: [
            r("kubernetes:apps/v1:StatefulSet", { metadata: { name: "members", annotations: { "pulumi.com/deletionPropagationPolicy": "orphan" } }, spec: {} }),
        ],
        message:
            'The StatefulSet sets pulumi.com/deletionPropagationPolicy: "orphan": once it is deleted or replaced, its pods keep running, owned by nothing.',
        good: [
            r("kubernetes:apps/v1:StatefulSet", {
                metadata: { name: "members", annotations: { "pulumi.com/deletionPropagationPolicy": "foreground" } },
                spec: {},
            }),
        ],
    },
    "k8s-no-node-port-services": {
        bad: [r("kubernetes:core/v1:Service", { metadata: { name: "s" }, spec: { type: "NodePort", ports: [{ port: 80 }] } })],
        message: "The Service is of type NodePort: it listens on every node.",
        good: [r("kubernetes:core/v1:Service", { metadata: { name: "s" }, spec: { type: "ClusterIP", ports: [{ port: 80 }] } })],
    },
    "k8s-namespace-default-deny": {
        bad: [ns("apps")],
        message: 'Namespace "apps" has no default-deny NetworkPolicy for Ingress and Egress.',
        good: [ns("apps"), denyAll("apps")],
    },

    "allowed-regions": {
        bad: [r("aws:sqs/queue:Queue", {}, { protect: true, provider: { type: "pulumi:providers:aws", inputs: { region: "us-east-1" } } })],
        message: "The provider region us-east-1 is outside the allowed aws regions (eu-west-1, eu-central-1).",
        good: [r("aws:sqs/queue:Queue", {}, { protect: true, provider: { type: "pulumi:providers:aws", inputs: { region: "eu-west-1" } } })],
    },
    "workload-placement": {
        bad: [r("aws:sqs/queue:Queue", { tags: { workload: "partner" } }, { protect: true })],
        message:
            'Workload "partner" must not run on aws (allowed: onprem): partner connections to banks must stay on the private cloud (onprem): the banks admit only our private ranges and the contracts keep their data out of public clouds.',
        good: [r("aws:sqs/queue:Queue", { tags: { workload: "transactional" } }, { protect: true })],
    },
    "cost-allocation-tags": {
        bad: [
            r(
                "aws:sqs/queue:Queue",
                { tags: { workload: "transactional", environment: "prod", "cost-center": "", "managed-by": "pulumi" } },
                { protect: true },
            ),
        ],
        message: "Missing or empty cost-allocation tags in `tags`: cost-center.",
        good: [
            r(
                "aws:sqs/queue:Queue",
                { tags: { workload: "transactional", environment: "prod", "cost-center": "cc", "managed-by": "pulumi" } },
                { protect: true },
            ),
        ],
    },
    "stateful-resources-protected": {
        bad: [r("aws:sqs/queue:Queue", {})],
        message:
            "This resource is not protected, and it holds messages not yet consumed (aws queues and streams): a replacement or delete would lose that data. Set the `protect` resource option.",
        good: [r("aws:sqs/queue:Queue", {}, { protect: true })],
    },
    "encrypted-at-rest": {
        bad: [r("aws:rds/cluster:Cluster", { engine: "aurora-postgresql" }, { protect: true })],
        message: "`storageEncrypted` is not true, so the data is stored unencrypted.",
        good: [r("aws:rds/cluster:Cluster", { engine: "aurora-postgresql", storageEncrypted: true }, { protect: true })],
    },
    "rollout-side-by-side": {
        bad: [r(asg, { ...asgBase, minSize: 1 })],
        message:
            "The autoscaling group keeps as few as 1 (`minSize`): with fewer than 2, old and new versions never run side by side in a rollout or rollback.",
        good: [r(asg, asgBase)],
    },
    "not-publicly-accessible": {
        bad: [r("aws:rds/instance:Instance", { instanceClass: "db.t4g.micro", publiclyAccessible: true, storageEncrypted: true }, { protect: true })],
        message: "`publiclyAccessible` is true: the resource gets an address reachable from the internet.",
        good: [r("aws:rds/instance:Instance", { instanceClass: "db.t4g.micro", storageEncrypted: true }, { protect: true })],
    },
    "aws-vpn-ikev2-only": {
        bad: [r(awsVpn, { ...awsVpnBase, tunnel1IkeVersions: ["ikev1", "ikev2"] })],
        message: "Tunnel 1 admits ikev1: IKEv2 only.",
        good: [r(awsVpn, awsVpnBase)],
    },
    "aws-vpn-aes256-sha256": {
        bad: [r(awsVpn, { ...awsVpnBase, tunnel2Phase1EncryptionAlgorithms: ["AES128"] })],
        message: "Tunnel 2 admits phase 1 AES128: AES-256 and SHA-256 or stronger only.",
        good: [r(awsVpn, awsVpnBase)],
    },
    "aws-vpn-dh-group-pfs": {
        bad: [r(awsVpn, { ...awsVpnBase, tunnel1Phase2DhGroupNumbers: [2] })],
        message: "Tunnel 1 admits phase 2 (PFS) group 2: group 14 or stronger only.",
        good: [r(awsVpn, awsVpnBase)],
    },
    "aws-vpn-both-tunnels": {
        bad: [r(awsVpn, { ...awsVpnBase, tunnel2PresharedKey: undefined })],
        message: "Tunnel 2 leaves tunnel2PresharedKey to AWS, so no peer of this program can bring it up: one tunnel carries the link.",
        good: [r(awsVpn, awsVpnBase)],
    },
    "gcp-vpn-ikev2-only": {
        bad: [r(gcpTunnel, { ...gcpTunnelBase, ikeVersion: 1 })],
        message: "The tunnel speaks IKEv1: IKEv2 only.",
        good: [r(gcpTunnel, gcpTunnelBase)],
    },
    "gcp-vpn-aes256-sha256": {
        bad: [
            r(gcpTunnel, {
                ...gcpTunnelBase,
                cipherSuite: { ...gcpTunnelBase.cipherSuite, phase2: { ...gcpTunnelBase.cipherSuite.phase2, encryptions: ["AES-GCM-16-128"] } },
            }),
        ],
        message: "The tunnel admits phase 2 AES-GCM-16-128: AES-256 and SHA-256 or stronger only.",
        good: [r(gcpTunnel, gcpTunnelBase)],
    },
    "gcp-vpn-dh-group-pfs": {
        bad: [
            r(gcpTunnel, {
                ...gcpTunnelBase,
                cipherSuite: { ...gcpTunnelBase.cipherSuite, phase2: { ...gcpTunnelBase.cipherSuite.phase2, pfs: ["Group-5"] } },
            }),
        ],
        message: "The tunnel admits phase 2 (PFS) Group-5: group 14 or stronger only.",
        good: [r(gcpTunnel, gcpTunnelBase)],
    },
    "gcp-vpn-both-tunnels": {
        bad: [r(gcpTunnel, { ...gcpTunnelBase, targetVpnGateway: "classic", peerIp: "198.51.100.10" })],
        message: "A Classic VPN tunnel (no HA VPN gateway) is one tunnel on one interface: the link runs on a single tunnel.",
        good: [
            r("gcp:compute/haVpnGateway:HaVpnGateway", { network: "n" }, { name: "gw" }),
            ...[0, 1].map((i) => r(gcpTunnel, { ...gcpTunnelBase, vpnGatewayInterface: i }, { name: `t${i}`, dependsOn: ["gw"] })),
        ],
    },
    "alicloud-vpn-ikev2-only": {
        bad: [r(aliConnection, { ...aliConnectionBase, ikeConfig: {} })],
        message: "The connection negotiates with ikev1 (the default): IKEv2 only.",
        good: [r(aliConnection, { ...aliConnectionBase, ikeConfig: { ikeVersion: "ikev2" } })],
    },
    "alicloud-vpn-aes256-sha256": {
        bad: [r(aliConnection, { ...aliConnectionBase, ipsecConfig: { ipsecEncAlg: "aes256", ipsecAuthAlg: "sha1" } })],
        message: "The connection admits IPsec integrity sha1: aes256 and sha256 or stronger only.",
        good: [r(aliConnection, aliConnectionBase)],
    },
    "alicloud-vpn-dh-group-pfs": {
        bad: [r(aliConnection, { ...aliConnectionBase, ipsecConfig: { ...aliConnectionBase.ipsecConfig, ipsecPfs: "disabled" } })],
        message: "The connection admits IPsec (PFS) disabled: group 14 or stronger only.",
        good: [r(aliConnection, aliConnectionBase)],
    },
    "alicloud-vpn-both-tunnels": {
        bad: [r(aliConnection, aliConnectionBase)],
        message: "The connection runs a single tunnel: give it a master and a slave tunnel.",
        good: [
            r(aliConnection, {
                ...aliConnectionBase,
                tunnelOptionsSpecifications: ["master", "slave"].map((role) => ({
                    role,
                    tunnelIkeConfig: aliConnectionBase.ikeConfig,
                    tunnelIpsecConfig: aliConnectionBase.ipsecConfig,
                })),
            }),
        ],
    },
    "no-public-endpoint-calls": {
        bad: [r("pulumi:pulumi:StackReference", { name: "backend-prod" }, { name: "backend" }), callerOf("alb-8f2k1.eu-central-1.alb.aliyuncsslbintl.com")],
        message:
            'Container "gateway": BACKEND_ENDPOINT = alb-8f2k1.eu-central-1.alb.aliyuncsslbintl.com: alb-8f2k1.eu-central-1.alb.aliyuncsslbintl.com is a public load balancer\'s name, so the call to another of our stacks crosses the internet.',
        good: [r("pulumi:pulumi:StackReference", { name: "backend-prod" }, { name: "backend" }), callerOf("https://10.31.0.9")],
    },
};

async function messagesOf(policy: string, resources: ResourceSpec[]): Promise<string[]> {
    const violations = await pack.judge(resources);
    return violations.filter((v) => v.policy === policy).map((v) => reported(v.message));
}

test.each(Object.entries(cases))("%s: the noncompliant case gets its message, the compliant one none", async (policy, c) => {
    expect(await messagesOf(policy, c.bad)).toEqual([c.message]);
    expect(await messagesOf(policy, c.good)).toEqual([]);
});

test("every policy of the pack has a case here", async () => {
    const session = await policySession();
    try {
        const names = session.infos[0].policies.map((p) => p.name);
        expect(names.filter((n) => !(n in cases))).toEqual([]);
        expect(Object.keys(cases).filter((n) => !names.includes(n))).toEqual([]);
    } finally {
        await session.stop();
    }
});
