/**
 * The Alibaba Cloud kit in the conformance suite: builds each contract through the
 * real kit (components/alicloud/kit.ts) and reads the raw resources as neutral facts.
 */
import * as pulumi from "@pulumi/pulumi";
import { createKit } from "../../components/alicloud/kit";
import { albTlsPolicies, type AlbTlsPolicy } from "../../components/alicloud/load-balancer";
import type { CloudKit, Environment } from "../../components/contracts";
import type { TestResource } from "../helpers/pulumi";
import type { ConformanceKit, ServiceWiringFacts, TlsVersion } from "./kit";

let cached: CloudKit | undefined;
const kit = () => (cached ??= createKit({ environment: "dev", name: "conformance-alicloud", region: "eu-central-1" }));

const ofType = (resources: TestResource[], type: string) => resources.filter((r) => r.type === type);
const one = (resources: TestResource[], type: string): TestResource => {
    const found = ofType(resources, type);
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return found[0];
};
const network = (name: string, environment: Environment) =>
    kit().network(`${name}-net`, { environment, cidr: "10.40.0.0/16", zoneCount: environment === "prod" ? 3 : 2 });

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
                trafficLogsOrDefaultDeny: flowLogs.some((f) => f.plain.resourceType === "VPC" && f.plain.trafficType === "All" && f.plain.status !== "Inactive"),
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
            const refresh = one(resources, "alicloud:ess/instanceRefresh:InstanceRefresh").plain;
            const healthGated = (group.healthCheckTypes ?? []).includes("LOAD_BALANCER");
            return {
                minSize: group.minSize,
                maxSize: group.maxSize,
                desiredSize: group.desiredCapacity,
                cpuTargetPercent: rule.scalingRuleType === "TargetTrackingScalingRule" && rule.metricName === "CpuUtilization" ? rule.targetValue : undefined,
                image: config.imageId,
                publicAddress: (config.internetMaxBandwidthOut ?? 0) > 0,
                rolloutKeepsCapacity: refresh.minHealthyPercentage >= 100 && refresh.maxHealthyPercentage > 100,
                // ESS has no automatic rollback: a refresh gated on the load balancer's health check never replaces a healthy instance with a failing one.
                rolloutRollsBack: healthGated && refresh.minHealthyPercentage >= 100,
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
            const deployment = deploymentResource.plain;
            const logConfig = one(resources, "kubernetes:log.alibabacloud.com/v1alpha1:AliyunLogConfig").plain;
            const rolling = deployment.spec.strategy?.rollingUpdate ?? {};
            const logtail = (cluster.addons ?? []).find((a: { name: string }) => a.name === "logtail-ds");
            return {
                nodesHavePublicAddresses: (pool.internetMaxBandwidthOut ?? 0) > 0 || pool.scalingConfig?.isBondEip === true,
                serviceKeepsCapacity: deployment.spec.strategy?.type === "RollingUpdate" && rolling.maxUnavailable === 0,
                serviceRollsBack: deployment.spec.progressDeadlineSeconds > 0 && deployment.spec.revisionHistoryLimit > 0,
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

    serviceWiring: {
        build(name, spec) {
            const net = network(name, spec.environment);
            const lb = kit().loadBalancer(`${name}-lb`, { environment: spec.environment, network: net, certificateId: "cert-offline-0001", targetPort: 3000, healthCheckPath: "/healthz" });
            const storage = kit().sharedStorage(`${name}-fs`, { environment: spec.environment, network: net });
            // The mocks echo inputs only: the mount target's domain, an output of NAS, is given here.
            (storage as unknown as { mountTargetDomains: pulumi.Output<string>[] }).mountTargetDomains[0] = pulumi.output("0a1b2c-conformance.eu-central-1.nas.aliyuncs.com");
            const secret = kit().secretParameter(`${name}-secret`, { environment: spec.environment, value: spec.secretValue });
            const cluster = kit().containerCluster(`${name}-k8s`, { environment: spec.environment, network: net, instanceType: "", minNodes: 1, maxNodes: 3 });
            const service = {
                environment: spec.environment,
                cluster,
                network: net,
                loadBalancer: lb,
                image: "registry.example.com/app@sha256:" + "b".repeat(64),
                cpu: 250,
                memory: 512,
                desiredCount: 1,
                minCount: 1,
                maxCount: 2,
            };
            kit().containerService(`${name}-api`, { ...service, port: spec.port, paths: spec.paths, storage, secretRefs: { [spec.secretVariable]: secret } });
            kit().containerService(`${name}-web`, { ...service, port: spec.port + 1 });
        },
        facts(resources, name): ServiceWiringFacts {
            const rules = ofType(resources, "alicloud:alb/rule:Rule").map((r) => r.plain);
            const attachments = ofType(resources, "alicloud:ess/albServerGroupAttachment:AlbServerGroupAttachment").map((a) => a.plain);
            const services = ofType(resources, "kubernetes:core/v1:Service").map((s) => s.plain);
            const deployments = ofType(resources, "kubernetes:apps/v1:Deployment").map((d) => d.plain);
            const container = (namespace: string) => deployments.find((d) => d.metadata.namespace === namespace)?.spec.template.spec.containers[0];
            // Rule -> server group id -> the node pool's attachment on a node port -> the NodePort Service -> the container's port.
            const reaches = (rule: Record<string, any>, namespace: string): boolean => {
                const groupIds = rule.ruleActions.filter((a: any) => a.type === "ForwardGroup").flatMap((a: any) => a.forwardGroupConfig.serverGroupTuples.map((t: any) => t.serverGroupId));
                const ports = attachments.filter((a) => groupIds.includes(a.albServerGroupId)).map((a) => a.port);
                const service = services.find((s) => s.metadata.namespace === namespace && s.spec.ports.some((p: any) => ports.includes(p.nodePort)));
                const target = service?.spec.ports.find((p: any) => ports.includes(p.nodePort))?.targetPort;
                return target !== undefined && (container(namespace)?.ports ?? []).some((p: any) => p.containerPort === target);
            };
            const pathsOf = (rule: Record<string, any>): string[] => rule.ruleConditions.filter((c: any) => c.type === "Path").flatMap((c: any) => c.pathConfig.values);
            const last = Math.max(...rules.map((r) => r.priority));
            const api = container(`${name}-api`);
            const pod = deployments.find((d) => d.metadata.namespace === `${name}-api`)?.spec.template.spec;
            const claims = ofType(resources, "kubernetes:core/v1:PersistentVolumeClaim").map((c) => c.plain);
            const volumes = ofType(resources, "kubernetes:core/v1:PersistentVolume").map((v) => v.plain);
            const nfsClaim = (claimName: string) => {
                const claim = claims.find((c) => c.metadata.namespace === `${name}-api` && c.metadata.name === claimName);
                const volume = volumes.find((v) => v.metadata.name === claim?.spec.volumeName);
                return Boolean(volume?.spec.nfs?.server) && volume?.spec.accessModes.includes("ReadWriteMany");
            };
            const mounted = (pod?.volumes ?? []).filter((v: any) => v.persistentVolumeClaim && nfsClaim(v.persistentVolumeClaim.claimName)).map((v: any) => v.name);
            const ref = (api?.env ?? []).find((e: any) => e.valueFrom?.secretKeyRef)?.valueFrom?.secretKeyRef;
            const stored = ofType(resources, "kubernetes:core/v1:Secret").find((s) => s.plain.metadata.namespace === `${name}-api` && s.plain.metadata.name === ref?.name);
            return {
                routedPaths: rules.filter((r) => reaches(r, `${name}-api`)).flatMap(pathsOf),
                catchAllReachesService: rules.some((r) => r.priority === last && pathsOf(r).includes("/*") && reaches(r, `${name}-web`)),
                routesHealthChecked: ofType(resources, "alicloud:alb/serverGroup:ServerGroup").every((g) => g.plain.healthCheckConfig?.healthCheckEnabled === true),
                storageMountPaths: (api?.volumeMounts ?? []).filter((m: any) => mounted.includes(m.name)).map((m: any) => m.mountPath),
                // Held as a Pulumi secret where it is stored; unwrapped here to compare.
                secretVariableValue: stored?.hasSecretInput ? stored.plain.stringData?.[ref.key] : undefined,
            };
        },
    },

    secretParameter: {
        build: (name, spec) => kit().secretParameter(name, { ...spec, environment: "prod" }),
    },
};

export default alicloudKit;
