/**
 * The Alibaba Cloud kit in the conformance suite: builds each contract through the
 * real kit (components/alicloud/kit.ts) and reads the raw resources as neutral facts.
 */
import { createKit } from "../../components/alicloud/kit";
import { albTlsPolicies, type AlbTlsPolicy } from "../../components/alicloud/load-balancer";
import type { CloudKit, Environment } from "../../components/contracts";
import type { TestResource } from "../helpers/pulumi";
import type { ConformanceKit, TlsVersion } from "./kit";
import { converterGroupFacts, deploymentRollout, named, objectName, podFacts, serviceFacts, single, statefulSetRollout } from "./kubernetes-facts";
import { offlineId } from "pulumi-offline-plan/runtime";

const region = "eu-central-1";
let cached: CloudKit | undefined;
const kit = () => (cached ??= createKit({ environment: "dev", name: "conformance-alicloud", region }));

const ofType = (resources: TestResource[], type: string) => resources.filter((r) => r.type === type);
const one = (resources: TestResource[], type: string): TestResource => {
    const found = ofType(resources, type);
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return found[0];
};
const network = (name: string, environment: Environment) =>
    kit().network(`${name}-net`, { environment, cidr: "10.40.0.0/16", zoneCount: environment === "prod" ? 3 : 2 });

/** ALB server groups among the resources whose (offline) id is one of `ids`. */
const serverGroupsWithId = (resources: TestResource[], ids: string[]) =>
    ofType(resources, "alicloud:alb/serverGroup:ServerGroup").filter((g) => ids.includes(offlineId(g.type, g.name)));
/** Server group ids an HTTPS listener forwards to, by default or by a rule. */
const forwardedGroupIds = (resources: TestResource[]) =>
    new Set(
        [
            ...ofType(resources, "alicloud:alb/listener:Listener").flatMap((l) => l.plain.defaultActions ?? []),
            ...ofType(resources, "alicloud:alb/rule:Rule").flatMap((r) => r.plain.ruleActions ?? []),
        ].flatMap((a: any) => (a.forwardGroupConfig?.serverGroupTuples ?? []).map((t: any) => t.serverGroupId)),
    );

const alicloudKit: ConformanceKit = {
    cloud: "alicloud",

    network: {
        build: (name, spec) => kit().network(name, spec),
        facts(resources, name) {
            const privateSwitches = ofType(resources, "alicloud:vpc/switch:Switch").filter((r) => r.name.startsWith(`${name}-private-`));
            const nat = ofType(resources, "alicloud:vpc/natGateway:NatGateway");
            const snat = ofType(resources, "alicloud:vpc/snatEntry:SnatEntry");
            const flowLogs = ofType(resources, "alicloud:vpc/flowLog:FlowLog");
            return {
                zoneCount: new Set(privateSwitches.map((s) => s.plain.zoneId)).size,
                privateSubnetCidrs: privateSwitches.map((s) => s.plain.cidrBlock),
                natEgress: nat.length === 1 && snat.length === privateSwitches.length && snat.every((s) => s.plain.sourceVswitchId),
                trafficLogsOrDefaultDeny: flowLogs.some(
                    (f) => f.plain.resourceType === "VPC" && f.plain.trafficType === "All" && f.plain.status !== "Inactive",
                ),
            };
        },
    },

    vmGroup: {
        build(name, spec) {
            const net = network(name, spec.environment);
            const lb = kit().loadBalancer(`${name}-lb`, {
                environment: spec.environment,
                network: net,
                certificateId: "cert-offline-0001",
                targetPort: spec.port ?? 8080,
                healthCheckPath: spec.healthCheckPath ?? "/healthz",
            });
            return kit().vmGroup(name, { ...spec, network: net, loadBalancer: lb });
        },
        facts(resources) {
            const groupResource = one(resources, "alicloud:ess/scalingGroup:ScalingGroup");
            const group = groupResource.plain;
            const config = one(resources, "alicloud:ess/scalingConfiguration:ScalingConfiguration").plain;
            const rule = one(resources, "alicloud:ess/scalingRule:ScalingRule").plain;
            return {
                minSize: group.minSize,
                maxSize: group.maxSize,
                desiredSize: group.desiredCapacity,
                cpuTargetPercent: rule.scalingRuleType === "TargetTrackingScalingRule" && rule.metricName === "CpuUtilization" ? rule.targetValue : undefined,
                image: config.imageId,
                publicAddress: (config.internetMaxBandwidthOut ?? 0) > 0,
                countOwnedByAutoscaler: groupResource.options.ignoreChanges.includes("desiredCapacity"),
            };
        },
    },

    containerCluster: {
        build(name, { cluster, service }) {
            const net = network(name, cluster.environment);
            const ack = kit().containerCluster(name, { ...cluster, network: net });
            return kit().containerService(`${name}-svc`, { ...service, environment: cluster.environment, cluster: ack, network: net });
        },
        facts(resources) {
            const pool = one(resources, "alicloud:cs/nodePool:NodePool").plain;
            const cluster = one(resources, "alicloud:cs/managedKubernetes:ManagedKubernetes").plain;
            const deploymentResource = one(resources, "kubernetes:apps/v1:Deployment");
            const logConfig = one(resources, "kubernetes:log.alibabacloud.com/v1alpha1:AliyunLogConfig").plain;
            const logtail = (cluster.addons ?? []).find((a: { name: string }) => a.name === "logtail-ds");
            return {
                nodesHavePublicAddresses: (pool.internetMaxBandwidthOut ?? 0) > 0 || pool.scalingConfig?.isBondEip === true,
                serviceCountOwnedByAutoscaler: deploymentResource.options.ignoreChanges.includes("spec.replicas"),
                logsRetained: logtail !== undefined && !logtail.disabled && logConfig.spec.lifeCycle > 0,
            };
        },
    },

    loadBalancer: {
        build(name, spec) {
            return kit().loadBalancer(name, { ...spec, network: network(name, spec.environment) });
        },
        facts(resources) {
            const listeners = ofType(resources, "alicloud:alb/listener:Listener").map((l) => l.plain);
            const https = listeners.filter((l) => l.listenerProtocol === "HTTPS");
            const http = ofType(resources, "alicloud:alb/listener:Listener").filter((l) => l.plain.listenerProtocol === "HTTP");
            const rules = ofType(resources, "alicloud:alb/rule:Rule").map((r) => r.plain);
            const versions: TlsVersion[] = https.map((l) => albTlsPolicies[l.securityPolicyId as AlbTlsPolicy] ?? "1.0");
            const oldest = (["1.0", "1.1", "1.2", "1.3"] as TlsVersion[]).find((v) => versions.includes(v)) ?? "1.0";
            const redirectsEverything = (rule: Record<string, any>) =>
                rule.priority === 1 &&
                rule.ruleConditions.some((c: any) => c.type === "Path" && c.pathConfig?.values?.includes("/*")) &&
                rule.ruleActions.some((a: any) => a.type === "Redirect" && a.redirectConfig?.protocol === "HTTPS");
            const lb = one(resources, "alicloud:alb/loadBalancer:LoadBalancer").plain;
            const groups = ofType(resources, "alicloud:alb/serverGroup:ServerGroup").map((g) => g.plain);
            return {
                minTlsVersion: https.length > 0 ? oldest : "1.0",
                // A rule's listener id is unknown offline, so every HTTP listener needs its own catch-all redirect: one rule per listener.
                httpOnlyRedirects: rules.filter(redirectsEverything).length >= http.length,
                healthCheck: groups.length > 0 && groups.every((g) => g.healthCheckConfig?.healthCheckEnabled === true),
                deletionProtection: lb.deletionProtectionEnabled === true,
                accessLogs: Boolean(lb.accessLogConfig?.logProject && lb.accessLogConfig?.logStore),
            };
        },
    },

    sharedStorage: {
        build(name, spec) {
            return kit().sharedStorage(name, { ...spec, network: network(name, spec.environment) });
        },
        facts(resources) {
            const fs = one(resources, "alicloud:nas/fileSystem:FileSystem").plain;
            const rules = ofType(resources, "alicloud:nas/accessRule:AccessRule").map((r) => r.plain);
            const bindings = ofType(resources, "alicloud:hbr/policyBinding:PolicyBinding").map((b) => b.plain);
            const policies = ofType(resources, "alicloud:hbr/policy:Policy").map((p) => p.plain);
            return {
                encryptedAtRest: fs.encryptType === 1 || fs.encryptType === 2,
                reachableFrom: rules.flatMap((r) => [r.sourceCidrIp, r.ipv6SourceCidrIp].filter(Boolean)),
                backedUp:
                    bindings.some((b) => b.sourceType === "NAS" && b.disabled !== true) &&
                    policies.some((p) => (p.rules ?? []).some((r: any) => r.ruleType === "BACKUP" && r.retention > 0)),
            };
        },
    },

    cloudKit: () => kit(),
    rollout: {
        vmGroup(resources, name) {
            const group = single(resources, "alicloud:ess/scalingGroup:ScalingGroup", name);
            const refresh = single(resources, "alicloud:ess/instanceRefresh:InstanceRefresh", name).plain;
            const { minHealthyPercentage, maxHealthyPercentage, checkpoints, checkpointPauseTime, skipMatching } = refresh;
            return {
                resource: group,
                target: { kind: "alicloud-scaling-group", region, scalingGroupId: offlineId(group.type, group.name) },
                // Creating the refresh only starts it: the deploy waits for it through the rollout target.
                pulumiWaits: false,
                // 100 % healthy with room above it: no instance leaves before its replacement serves.
                keepsCapacity: minHealthyPercentage >= 100 && maxHealthyPercentage > 100,
                // ESS has no automatic rollback; the deploy reverts a failed refresh.
                cloudReverts: false,
                settings: {
                    minHealthyPercentage,
                    maxHealthyPercentage,
                    checkpoints,
                    checkpointPauseTime,
                    skipMatching,
                    healthCheckTypes: group.plain.healthCheckTypes,
                    removalPolicies: group.plain.removalPolicies,
                },
            };
        },
        containerService: deploymentRollout,
        converterGroup: statefulSetRollout,
    },
    wiring: {
        vmGroup(resources, name) {
            const group = single(resources, "alicloud:ess/scalingGroup:ScalingGroup", name).plain;
            const config = single(resources, "alicloud:ess/scalingConfiguration:ScalingConfiguration", name).plain;
            const targets = (group.albServerGroups ?? []) as { albServerGroupId: string; port: number }[];
            const serverGroup = serverGroupsWithId(
                resources,
                targets.map((t) => t.albServerGroupId),
            )[0];
            const forwarded = forwardedGroupIds(resources);
            const policies = named(resources, "alicloud:ram/policy:Policy", name).map((p) => String(p.plain.policyDocument));
            return {
                instanceType: config.instanceType,
                healthCheck: { port: targets[0]?.port, path: serverGroup?.plain.healthCheckConfig?.healthCheckPath },
                behindLoadBalancer: targets.some((t) => forwarded.has(t.albServerGroupId)) && (group.healthCheckTypes ?? []).includes("LOAD_BALANCER"),
                mountsSharedStorage: / nfs /.test(String(config.userData ?? "")),
                readsSecrets: policies.some((p) => p.includes("kms:GetSecretValue")),
                scheduledMinimums: named(resources, "alicloud:ess/scheduledTask:ScheduledTask", name)
                    .filter((t) => t.plain.minValue !== group.minSize)
                    .map((t) => ({ minCapacity: t.plain.minValue, startsAtUtc: String(t.plain.launchTime).slice(0, 16) })),
            };
        },
        containerService(resources, name) {
            const volumes = ofType(resources, "kubernetes:core/v1:PersistentVolume");
            const pod = podFacts(resources, name, {
                claim: (claim) => volumes.some((v) => objectName(v) === claim.plain.spec.volumeName && v.plain.spec.nfs !== undefined),
            });
            // Rule -> server group -> the node pool's attachment on a node port -> the NodePort Service of these pods.
            const nodePorts = named(resources, "kubernetes:core/v1:Service", name).flatMap((s) => (s.plain.spec.ports ?? []).map((p: any) => p.nodePort));
            const groupIds = ofType(resources, "alicloud:ess/albServerGroupAttachment:AlbServerGroupAttachment")
                .filter((a) => nodePorts.includes(a.plain.port))
                .map((a) => a.plain.albServerGroupId);
            const rules = ofType(resources, "alicloud:alb/rule:Rule").map((r) => r.plain);
            const lowest = Math.max(...rules.map((r) => r.priority));
            const routedPaths = rules
                .filter((r) =>
                    r.ruleActions.some((a: any) => (a.forwardGroupConfig?.serverGroupTuples ?? []).some((t: any) => groupIds.includes(t.serverGroupId))),
                )
                .flatMap((r) => {
                    const paths = r.ruleConditions.filter((c: any) => c.type === "Path").flatMap((c: any) => c.pathConfig.values);
                    // The catch-all is "/*" at the lowest precedence: it takes what no other rule claims.
                    return r.priority === lowest && paths.length === 1 && paths[0] === "/*" ? ["*"] : paths;
                });
            return serviceFacts(pod, routedPaths);
        },
        cluster(resources, name) {
            const pool = single(resources, "alicloud:cs/nodePool:NodePool", name).plain;
            return { instanceType: pool.instanceTypes[0], minNodes: pool.scalingConfig.minSize, maxNodes: pool.scalingConfig.maxSize };
        },
        converterGroup: converterGroupFacts,
        loadBalancer(resources, name) {
            const https = named(resources, "alicloud:alb/listener:Listener", name).find((l) => l.plain.listenerProtocol === "HTTPS")!.plain;
            const defaultIds = https.defaultActions.flatMap((a: any) => (a.forwardGroupConfig?.serverGroupTuples ?? []).map((t: any) => t.serverGroupId));
            const serverGroup = serverGroupsWithId(resources, defaultIds)[0];
            return { certificates: [https.certificates.certificateId], healthCheckPath: serverGroup?.plain.healthCheckConfig?.healthCheckPath };
        },
        // NAS grows with its data: there is no capacity to provision.
        storageCapacityGib: () => undefined,
        secretDescription: (resources, name) => single(resources, "alicloud:kms/secret:Secret", name).plain.description,
        // Terway gives pods addresses from the vSwitches themselves.
        secondaryRanges: () => [],
    },

    secretParameter: {
        build: (name, spec) => kit().secretParameter(name, { ...spec, environment: "prod" }),
    },
};

export default alicloudKit;
