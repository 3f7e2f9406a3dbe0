import type { CloudKit, Environment } from "../../components/contracts";
import { createKit } from "../../components/aws/kit";
import type { TestResource } from "../helpers/pulumi";
import type { ConformanceKit, ScheduledMinimum, TlsVersion } from "./kit";
import { utcTimestamp } from "../../components/contracts";

/** Oldest protocol each ELB security policy admits, from the ELB documentation; an unknown name is judged the oldest. */
const elbPolicyMinTls: Record<string, TlsVersion> = {
    "ELBSecurityPolicy-TLS13-1-3-2021-06": "1.3",
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09": "1.3",
    "ELBSecurityPolicy-TLS13-1-2-2021-06": "1.2",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06": "1.2",
    "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09": "1.2",
    "ELBSecurityPolicy-TLS-1-2-2017-01": "1.2",
    "ELBSecurityPolicy-TLS-1-2-Ext-2018-06": "1.2",
    "ELBSecurityPolicy-TLS-1-1-2017-01": "1.1",
    "ELBSecurityPolicy-2016-08": "1.0",
};

const region = "eu-west-1";
const kits = new Map<Environment, CloudKit>();
const kitFor = (environment: Environment) => {
    if (!kits.has(environment)) kits.set(environment, createKit({ environment, name: `conformance-${environment}`, region }));
    return kits.get(environment)!;
};
const networkFor = (name: string, environment: Environment) =>
    kitFor(environment).network(`${name}-net`, { environment, cidr: "10.40.0.0/16", zoneCount: environment === "prod" ? 3 : 2 });

const ofType = (resources: TestResource[], type: string) => resources.filter((r) => r.type === type);
const single = (resources: TestResource[], type: string) => {
    const found = ofType(resources, type);
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return found[0];
};
const launchTemplateIsPublic = (lt: TestResource) =>
    (lt.plain.networkInterfaces ?? []).some((ni: any) => ni.associatePublicIpAddress !== "false") || lt.plain.networkInterfaces === undefined;

const utcMinute = (iso: string) => iso.slice(0, 16);
/** `at(2027-11-26T06:00:00)` in a time zone, as Application Auto Scaling schedules it. */
const atInZone = (schedule: string, timeZone: string) => utcMinute(utcTimestamp(/^at\((.*)\)$/.exec(schedule)![1].slice(0, 16), timeZone));
const decode = (userData?: string) => (userData ? Buffer.from(userData, "base64").toString("utf8") : "");
const named = (resources: TestResource[], type: string, name: string) =>
    resources.filter((r) => r.type === type && (r.name === name || r.name.startsWith(`${name}-`)));
const one = (resources: TestResource[], type: string, name: string) => {
    const found = named(resources, type, name);
    if (found.length !== 1) throw new Error(`expected one ${type} of ${name}, found ${found.length}`);
    return found[0];
};
/** The path patterns of the HTTPS listener that forward to a target group; "*" when it is the listener's default. */
const routesTo = (resources: TestResource[], targetGroupArn: string): string[] => {
    const rules = ofType(resources, "aws:lb/listenerRule:ListenerRule").filter((r) => r.plain.actions.some((a: any) => a.targetGroupArn === targetGroupArn));
    const defaults = ofType(resources, "aws:lb/listener:Listener").filter((l) => l.plain.defaultActions.some((a: any) => a.targetGroupArn === targetGroupArn));
    return [...rules.flatMap((r) => r.plain.conditions.flatMap((c: any) => c.pathPattern?.values ?? [])), ...defaults.map(() => "*")];
};

/** Provider default of `wait_for_capacity_timeout`; "0" turns the wait off. */
const defaultCapacityWait = "10m";
const isZeroDuration = (duration: string) => /^(0+[smh]?)+$/.test(duration);

const kit: ConformanceKit = {
    cloud: "aws",
    cloudKit: kitFor,
    rollout: {
        vmGroup(resources, name) {
            const asg = one(resources, "aws:autoscaling/group:Group", name);
            const { instanceRefresh, launchTemplate, waitForCapacityTimeout } = asg.plain;
            const preferences = instanceRefresh?.preferences ?? {};
            // AWS's defaults when unset: 90 % min healthy, 100 % max, no rollback.
            const minHealthy = preferences.minHealthyPercentage ?? 90;
            const maxHealthy = preferences.maxHealthyPercentage ?? 100;
            // A rollback returns to a numbered version of the group's own template, never $Latest or $Default.
            const numberedVersion = launchTemplate?.id !== undefined && !/^\$(Latest|Default)$/.test(String(launchTemplate.version ?? "$Default"));
            return {
                resource: asg,
                target: { kind: "aws-autoscaling-group", region },
                // The group's capacity is waited for; the refresh after it is the deploy's to verify.
                pulumiWaits: !isZeroDuration(waitForCapacityTimeout ?? defaultCapacityWait),
                keepsCapacity: instanceRefresh?.strategy === "Rolling" && minHealthy >= 100 && maxHealthy > 100,
                cloudReverts: preferences.autoRollback === true && numberedVersion,
                settings: { instanceRefresh, numberedVersion, waitForCapacityTimeout, healthCheckGracePeriod: asg.plain.healthCheckGracePeriod },
            };
        },
        containerService(resources, name) {
            const service = one(resources, "aws:ecs/service:Service", name);
            const { deploymentCircuitBreaker, deploymentMinimumHealthyPercent, deploymentMaximumPercent, waitForSteadyState } = service.plain;
            return {
                resource: service,
                target: { kind: "aws-ecs-service", region },
                pulumiWaits: waitForSteadyState === true,
                keepsCapacity: deploymentMinimumHealthyPercent === 100 && deploymentMaximumPercent > 100,
                cloudReverts: deploymentCircuitBreaker?.enable === true && deploymentCircuitBreaker?.rollback === true,
                settings: { deploymentCircuitBreaker, deploymentMinimumHealthyPercent, deploymentMaximumPercent, waitForSteadyState },
            };
        },
    },
    wiring: {
        vmGroup(resources, name) {
            const asg = one(resources, "aws:autoscaling/group:Group", name).plain;
            const lt = one(resources, "aws:ec2/launchTemplate:LaunchTemplate", name).plain;
            const targetGroups = ofType(resources, "aws:lb/targetGroup:TargetGroup").filter((tg) =>
                (asg.targetGroupArns ?? []).some((arn: string) => arn.endsWith(`/${tg.name}`)),
            );
            const policies = named(resources, "aws:iam/rolePolicy:RolePolicy", name).map((p) => String(p.plain.policy));
            const schedules = named(resources, "aws:autoscaling/schedule:Schedule", name).filter((s) => s.plain.minSize !== asg.minSize);
            return {
                instanceType: lt.instanceType,
                healthCheck: { port: targetGroups[0]?.plain.port, path: targetGroups[0]?.plain.healthCheck?.path },
                behindLoadBalancer: targetGroups.length > 0 && asg.healthCheckType === "ELB",
                mountsSharedStorage: / efs .*accesspoint=/.test(decode(lt.userData)) && policies.some((p) => p.includes("elasticfilesystem:ClientMount")),
                readsSecrets: policies.some((p) => p.includes("ssm:GetParameter")),
                scheduledMinimums: schedules.map((s): ScheduledMinimum => ({ minCapacity: s.plain.minSize, startsAtUtc: utcMinute(s.plain.startTime) })),
            };
        },
        containerService(resources, name) {
            const service = one(resources, "aws:ecs/service:Service", name);
            const task = one(resources, "aws:ecs/taskDefinition:TaskDefinition", name).plain;
            const [container] = JSON.parse(task.containerDefinitions) as any[];
            const target = one(resources, "aws:appautoscaling/target:Target", name).plain;
            const volumes = (task.volumes ?? []) as any[];
            const mounted = (container.mountPoints ?? []).some((m: any) =>
                volumes.some((v) => v.name === m.sourceVolume && v.efsVolumeConfiguration?.transitEncryption === "ENABLED"),
            );
            return {
                image: container.image,
                // ECS counts 1024 CPU units per vCPU.
                cpuMillicores: Math.round((container.cpu * 1000) / 1024),
                memoryMiB: container.memory,
                port: container.portMappings[0].containerPort,
                counts: { desired: service.plain.desiredCount, min: target.minCapacity, max: target.maxCapacity },
                countOwnedByAutoscaler: service.options.ignoreChanges.includes("desiredCount"),
                variables: Object.fromEntries((container.environment ?? []).map((e: any) => [e.name, e.value])),
                // ECS resolves `valueFrom` (a parameter's name) at task start and hands the container the value.
                secretValues: Object.fromEntries(
                    (container.secrets ?? []).map((e: any) => [
                        e.name,
                        ofType(resources, "aws:ssm/parameter:Parameter").find((p) => p.plain.name === e.valueFrom)?.plain.value,
                    ]),
                ),
                storageMounted: mounted,
                routedPaths: (service.plain.loadBalancers ?? []).flatMap((lb: any) => routesTo(resources, lb.targetGroupArn)),
                // The tasks' own security group (awsvpc): the ranges it lets them reach on any port.
                egressRanges: named(resources, "aws:ec2/securityGroup:SecurityGroup", name).flatMap((g) =>
                    (g.plain.egress ?? []).filter((rule: any) => rule.protocol === "-1").flatMap((rule: any) => rule.cidrBlocks ?? []),
                ),
                scheduledMinimums: named(resources, "aws:appautoscaling/scheduledAction:ScheduledAction", name)
                    .filter((a) => a.plain.scalableTargetAction.minCapacity !== target.minCapacity)
                    .map((a) => ({ minCapacity: a.plain.scalableTargetAction.minCapacity, startsAtUtc: atInZone(a.plain.schedule, a.plain.timezone) })),
            };
        },
        cluster(resources, name) {
            const asg = one(resources, "aws:autoscaling/group:Group", name).plain;
            return {
                instanceType: one(resources, "aws:ec2/launchTemplate:LaunchTemplate", name).plain.instanceType,
                minNodes: asg.minSize,
                maxNodes: asg.maxSize,
            };
        },
        loadBalancer(resources, name) {
            const https = named(resources, "aws:lb/listener:Listener", name).find((l) => l.plain.protocol === "HTTPS")!;
            const defaultGroup = ofType(resources, "aws:lb/targetGroup:TargetGroup").find((tg) =>
                https.plain.defaultActions.some((a: any) => a.targetGroupArn?.endsWith(`/${tg.name}`)),
            )!;
            return { certificates: [https.plain.certificateArn], healthCheckPath: defaultGroup.plain.healthCheck.path, targetPort: defaultGroup.plain.port };
        },
        // EFS is elastic: it has no capacity to provision.
        storageCapacityGib: () => undefined,
        secretDescription: (resources, name) => one(resources, "aws:ssm/parameter:Parameter", name).plain.description,
        // The VPC CNI of a cluster takes pod addresses from the subnets themselves.
        secondaryRanges: () => [],
    },
    network: {
        build: (name, spec) => kitFor(spec.environment).network(name, spec),
        facts: (resources) => {
            const privateSubnets = ofType(resources, "aws:ec2/subnet:Subnet").filter((s) => s.name.includes("-private-"));
            const routes = ofType(resources, "aws:ec2/route:Route");
            return {
                zoneCount: new Set(privateSubnets.map((s) => s.plain.availabilityZone)).size,
                privateSubnetCidrs: privateSubnets.map((s) => s.plain.cidrBlock),
                natEgress:
                    ofType(resources, "aws:ec2/natGateway:NatGateway").length > 0 &&
                    routes.filter((r) => r.name.includes("-private-default-")).every((r) => r.plain.natGatewayId !== undefined),
                trafficLogsOrDefaultDeny: ofType(resources, "aws:ec2/flowLog:FlowLog").some((f) => f.plain.trafficType === "ALL"),
            };
        },
    },
    vmGroup: {
        build: (name, spec) => kitFor(spec.environment).vmGroup(name, { ...spec, network: networkFor(name, spec.environment) }),
        facts: (resources) => {
            const asg = single(resources, "aws:autoscaling/group:Group");
            const lt = single(resources, "aws:ec2/launchTemplate:LaunchTemplate");
            const policy = single(resources, "aws:autoscaling/policy:Policy");
            return {
                minSize: asg.plain.minSize,
                maxSize: asg.plain.maxSize,
                desiredSize: asg.plain.desiredCapacity,
                cpuTargetPercent: policy.plain.targetTrackingConfiguration.targetValue,
                image: lt.plain.imageId,
                publicAddress: launchTemplateIsPublic(lt),
                countOwnedByAutoscaler: asg.options.ignoreChanges.includes("desiredCapacity"),
            };
        },
    },
    containerCluster: {
        build: (name, { cluster, service }) => {
            const k = kitFor(cluster.environment);
            const network = networkFor(name, cluster.environment);
            const built = k.containerCluster(name, { ...cluster, network });
            return k.containerService(`${name}-svc`, { ...service, environment: cluster.environment, cluster: built, network });
        },
        facts: (resources) => {
            const lt = single(resources, "aws:ec2/launchTemplate:LaunchTemplate");
            const service = single(resources, "aws:ecs/service:Service");
            const task = single(resources, "aws:ecs/taskDefinition:TaskDefinition");
            const containers = JSON.parse(task.plain.containerDefinitions) as any[];
            return {
                nodesHavePublicAddresses: launchTemplateIsPublic(lt),
                serviceCountOwnedByAutoscaler: service.options.ignoreChanges.includes("desiredCount"),
                logsRetained:
                    containers.every((c) => c.logConfiguration?.logDriver === "awslogs") &&
                    ofType(resources, "aws:cloudwatch/logGroup:LogGroup").every((g) => g.plain.retentionInDays > 0),
            };
        },
    },
    loadBalancer: {
        build: (name, spec) => kitFor(spec.environment).loadBalancer(name, { ...spec, network: networkFor(name, spec.environment) }),
        facts: (resources) => {
            const listeners = ofType(resources, "aws:lb/listener:Listener");
            const https = listeners.filter((l) => l.plain.protocol === "HTTPS");
            const http = listeners.filter((l) => l.plain.protocol === "HTTP");
            const alb = single(resources, "aws:lb/loadBalancer:LoadBalancer");
            const versions = https.map((l) => elbPolicyMinTls[l.plain.sslPolicy] ?? "1.0").sort();
            return {
                minTlsVersion: versions[0] ?? "1.0",
                httpOnlyRedirects: http.every((l) => l.plain.defaultActions.every((a: any) => a.type === "redirect" && a.redirect?.protocol === "HTTPS")),
                healthCheck: ofType(resources, "aws:lb/targetGroup:TargetGroup").every(
                    (tg) => tg.plain.healthCheck?.enabled === true && Boolean(tg.plain.healthCheck?.path),
                ),
                deletionProtection: alb.plain.enableDeletionProtection === true,
                accessLogs: alb.plain.accessLogs?.enabled === true && Boolean(alb.plain.accessLogs?.bucket),
            };
        },
    },
    sharedStorage: {
        build: (name, spec) => kitFor(spec.environment).sharedStorage(name, { ...spec, network: networkFor(name, spec.environment) }),
        facts: (resources, name) => {
            const fs = single(resources, "aws:efs/fileSystem:FileSystem");
            const mountGroup = ofType(resources, "aws:ec2/securityGroup:SecurityGroup").find((g) => g.name === `${name}-sg`);
            const nfs = ((mountGroup?.plain.ingress ?? []) as any[]).filter((rule) => rule.fromPort <= 2049 && rule.toPort >= 2049);
            return {
                encryptedAtRest: fs.plain.encrypted === true && Boolean(fs.plain.kmsKeyId),
                reachableFrom: nfs.flatMap((rule) => [...(rule.securityGroups ?? []), ...(rule.cidrBlocks ?? []), ...(rule.ipv6CidrBlocks ?? [])]),
                backedUp: ofType(resources, "aws:efs/backupPolicy:BackupPolicy").some((b) => b.plain.backupPolicy?.status === "ENABLED"),
            };
        },
    },
    secretParameter: {
        build: (name, spec) => kitFor("dev").secretParameter(name, { ...spec, environment: "dev" }),
    },
};

export default kit;
