import * as fs from "node:fs";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as gcp from "@pulumi/gcp";
import * as k8s from "@pulumi/kubernetes";
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { useMockRuntime } from "../test/helpers/pulumi";
import { costTagKeys } from "./config";
import { normalizedTags, registerCostTags, withCostTags } from "./cost-tags";
import { tagPlacement } from "../policies/catalog/tags";

const run = useMockRuntime();
const tags = registerCostTags({ workload: "analytics", environment: "prod", costCenter: "analytics-marketplace" });

describe("the cost-tag transform", () => {
    beforeEach(() => run.reset());

    it("sets the four keys of costTagKeys and keeps a team's own tags (ours win only for our keys)", async () => {
        new aws.ec2.Vpc("net", { cidrBlock: "10.20.0.0/16", tags: { team: "data", workload: "misfiled" } });
        const vpc = await run.one("aws:ec2/vpc:Vpc", "net");
        expect(Object.keys(tags).sort()).toEqual([...costTagKeys].sort());
        expect(vpc.plain.tags).toEqual({
            team: "data",
            workload: "analytics",
            environment: "prod",
            "cost-center": "analytics-marketplace",
            "managed-by": "pulumi",
        });
    });

    it("tags an autoscaling group with its key/value list, propagated to the instances it launches", async () => {
        new aws.autoscaling.Group("workers", {
            minSize: 1,
            maxSize: 2,
            tags: [
                { key: "Name", value: "workers", propagateAtLaunch: true },
                { key: "workload", value: "x", propagateAtLaunch: false },
            ],
        });
        const group = await run.one("aws:autoscaling/group:Group", "workers");
        expect(group.plain.tags).toEqual(
            expect.arrayContaining([
                { key: "Name", value: "workers", propagateAtLaunch: true },
                { key: "workload", value: "analytics", propagateAtLaunch: true },
                { key: "cost-center", value: "analytics-marketplace", propagateAtLaunch: true },
            ]),
        );
        expect(group.plain.tags.filter((t: { key: string }) => t.key === "workload")).toHaveLength(1);
    });

    it("labels a GKE cluster through resourceLabels and a GCP secret through labels", async () => {
        new gcp.container.Cluster("gke", { location: "europe-west1", initialNodeCount: 1 });
        new gcp.secretmanager.Secret("token", { secretId: "token", replication: { auto: {} } });
        expect((await run.one("gcp:container/cluster:Cluster", "gke")).plain.resourceLabels).toMatchObject({ workload: "analytics" });
        expect((await run.one("gcp:container/cluster:Cluster", "gke")).plain.labels).toBeUndefined();
        expect((await run.one("gcp:secretmanager/secret:Secret", "token")).plain.labels).toMatchObject({ "managed-by": "pulumi" });
    });

    it("labels nested settings where the SDK keeps them: a GKE node pool's nodeConfig, Cloud SQL's settings", async () => {
        new gcp.container.NodePool("pool", { cluster: "c", nodeConfig: { machineType: "e2-standard-4", resourceLabels: { team: "data" } } });
        new gcp.sql.DatabaseInstance("db", { databaseVersion: "POSTGRES_16", settings: { tier: "db-f1-micro" } });
        const pool = (await run.one("gcp:container/nodePool:NodePool", "pool")).plain;
        expect(pool.nodeConfig).toEqual({ machineType: "e2-standard-4", resourceLabels: { team: "data", ...normalizedTags(tags, "gcp") } });
        const db = (await run.one("gcp:sql/databaseInstance:DatabaseInstance", "db")).plain;
        expect(db.settings).toEqual({ tier: "db-f1-micro", userLabels: normalizedTags(tags, "gcp") });
    });

    it("tags a type only the generated catalog knows (an SNS topic) and leaves unknown nested settings alone", () => {
        expect(withCostTags("aws:sns/topic:Topic", {}, tags)).toEqual({ tags });
        expect(withCostTags("gcp:sql/databaseInstance:DatabaseInstance", { settings: unknownValue }, tags)).toEqual({ settings: unknownValue });
    });

    it("labels a Kubernetes object's metadata, not its pod template", async () => {
        new k8s.apps.v1.Deployment("api", {
            metadata: { labels: { app: "api" } },
            spec: { selector: { matchLabels: { app: "api" } }, template: { metadata: { labels: { app: "api" } }, spec: { containers: [] } } },
        });
        const deployment = await run.one("kubernetes:apps/v1:Deployment", "api");
        expect(deployment.plain.metadata.labels).toMatchObject({ app: "api", workload: "analytics", "cost-center": "analytics-marketplace" });
        expect(deployment.plain.spec.template.metadata.labels).toEqual({ app: "api" });
    });

    it("leaves a resource that cannot carry tags untouched", async () => {
        new aws.iam.RolePolicyAttachment("attach", { role: "r", policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" });
        const attachment = await run.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "attach");
        expect(Object.keys(attachment.plain).sort()).toEqual(["policyArn", "role"]);
    });

    it("keeps a secret tag map secret", () => {
        const secret = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: { owner: "x" } };
        const tagged = withCostTags("aws:ec2/vpc:Vpc", { tags: secret }, tags)!;
        expect(tagged.tags).toEqual({ ...secret, value: { owner: "x", ...tags } });
    });
});

describe("normalization per cloud", () => {
    const odd = { workload: "Analytics", environment: "prod", "cost-center": "Data.Platform/EU " + "x".repeat(80), "managed-by": "pulumi" };

    it("makes GCP labels lowercase, at most 63 characters of [a-z0-9_-]", () => {
        for (const value of Object.values(normalizedTags(odd, "gcp"))) expect(value).toMatch(/^[a-z0-9_-]{0,63}$/);
        expect(normalizedTags(odd, "gcp").workload).toBe("analytics");
    });

    it("makes Kubernetes label values valid (63 characters, alphanumeric at both ends)", () => {
        for (const value of Object.values(normalizedTags(odd, "kubernetes"))) {
            expect(value).toMatch(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/);
            expect(value.length).toBeLessThanOrEqual(63);
        }
    });
});

/**
 * The generated catalog against the project's own resources: every resource
 * type the components and stacks construct is looked up in the SDK's type
 * definitions (`<pkg>/<module>/<file>.d.ts`, interface `<Class>Args`).
 */
describe("the catalog of taggable types, for the types the project creates", () => {
    const root = path.join(__dirname, "..");
    const tagInputs: Record<string, string[]> = {
        aws: ["tags"],
        alicloud: ["tags"],
        gcp: ["labels", "resourceLabels", "nodeConfig"],
        kubernetes: ["metadata"],
    };

    function sources(dir: string): string[] {
        return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
            const full = path.join(dir, e.name);
            if (e.isDirectory()) return sources(full);
            return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [full] : [];
        });
    }

    /** Type token and the tag inputs of every resource class constructed in components/ and stacks/. */
    function createdTypes(): Map<string, string[]> {
        const found = new Map<string, string[]>();
        for (const file of [...sources(path.join(root, "components")), ...sources(path.join(root, "stacks"))]) {
            const text = fs.readFileSync(file, "utf8");
            const aliases = new Map([...text.matchAll(/import \* as (\w+) from "@pulumi\/(aws|gcp|alicloud|kubernetes)"/g)].map((m) => [m[1], m[2]]));
            for (const [, alias, member] of text.matchAll(/new (\w+)\.([\w.]+)\(/g)) {
                const pkg = aliases.get(alias);
                const parts = member.split(".");
                const className = parts.pop()!;
                // Providers are configuration, and a CustomResource's type is chosen at run time.
                if (!pkg || className === "Provider" || className === "CustomResource") continue;
                const moduleDir = path.join(root, "node_modules/@pulumi", pkg, ...parts);
                const index = fs.readFileSync(path.join(moduleDir, "index.d.ts"), "utf8");
                const fileName = new RegExp(`export \\{ ${className}Args\\b[^}]*\\} from "\\./(\\w+)"`).exec(index)?.[1];
                if (!fileName) throw new Error(`${pkg}.${member}: no ${className}Args in ${moduleDir}/index.d.ts`);
                const dts = fs.readFileSync(path.join(moduleDir, `${fileName}.d.ts`), "utf8");
                // oxlint-disable-next-line typescript/no-require-imports -- the provider package is the one each scanned source file imports, known only at run time
                let cls: any = require(`@pulumi/${pkg}`);
                for (const p of [...parts, className]) cls = cls?.[p];
                // oxlint-disable-next-line eslint/no-underscore-dangle -- the SDK's own static for a resource class's type token
                const type: string = cls?.__pulumiType;
                const start = dts.indexOf(`export interface ${className}Args {`);
                const body = dts.slice(start, dts.indexOf("\n}", start));
                const fields = tagInputs[pkg].filter((f) => new RegExp(`^    ${f}\\?:`, "m").test(body));
                found.set(type, fields);
            }
        }
        return found;
    }

    const created = createdTypes();

    it("finds the resource types of the project", () => {
        expect(created.size).toBeGreaterThan(50);
        expect(created.get("aws:autoscaling/group:Group")).toEqual(["tags"]);
    });

    it("has every created type that has a tags/labels input", () => {
        const missing = [...created].filter(([type, fields]) => fields.length > 0 && !tagPlacement(type)).map(([type]) => type);
        expect(missing).toEqual([]);
    });

    it("names, for each type, a field the SDK's Args really has", () => {
        const wrong = [...created].flatMap(([type, fields]) => {
            const placement = tagPlacement(type);
            if (!placement) return [];
            const field = placement.path[0];
            return fields.includes(field) ? [] : [`${type}: ${placement.path.join(".")} not in ${fields.join(", ") || "its Args"}`];
        });
        expect(wrong).toEqual([]);
    });

    it("lists the resource types the project creates that cannot carry tags", () => {
        const untaggable = [...created]
            .filter(([type]) => !tagPlacement(type))
            .map(([type]) => type)
            .sort();
        expect(untaggable).toEqual([
            "alicloud:alb/listenerAclAttachment:ListenerAclAttachment",
            "alicloud:alb/rule:Rule",
            "alicloud:ecs/eipAssociation:EipAssociation",
            "alicloud:ecs/securityGroupRule:SecurityGroupRule",
            "alicloud:ess/albServerGroupAttachment:AlbServerGroupAttachment",
            "alicloud:ess/instanceRefresh:InstanceRefresh",
            "alicloud:ess/scalingRule:ScalingRule",
            "alicloud:ess/scheduledTask:ScheduledTask",
            "alicloud:hbr/policy:Policy",
            "alicloud:hbr/policyBinding:PolicyBinding",
            "alicloud:log/store:Store",
            "alicloud:nas/accessGroup:AccessGroup",
            "alicloud:nas/accessRule:AccessRule",
            "alicloud:nas/mountTarget:MountTarget",
            "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment",
            "alicloud:vpc/snatEntry:SnatEntry",
            "aws:appautoscaling/policy:Policy",
            "aws:appautoscaling/scheduledAction:ScheduledAction",
            "aws:autoscaling/policy:Policy",
            "aws:autoscaling/schedule:Schedule",
            "aws:ec2/route:Route",
            "aws:ec2/routeTableAssociation:RouteTableAssociation",
            "aws:ec2transitgateway/route:Route",
            "aws:ec2transitgateway/routeTableAssociation:RouteTableAssociation",
            "aws:ec2transitgateway/routeTablePropagation:RouteTablePropagation",
            "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
            "aws:efs/backupPolicy:BackupPolicy",
            "aws:efs/fileSystemPolicy:FileSystemPolicy",
            "aws:efs/mountTarget:MountTarget",
            "aws:iam/rolePolicy:RolePolicy",
            "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
            "aws:lb/targetGroupAttachment:TargetGroupAttachment",
            "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
            "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
            "aws:s3/bucketPolicy:BucketPolicy",
            "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
            "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
            "gcp:backupdisasterrecovery/backupPlan:BackupPlan",
            "gcp:backupdisasterrecovery/backupPlanAssociation:BackupPlanAssociation",
            "gcp:compute/backendService:BackendService",
            "gcp:compute/firewall:Firewall",
            "gcp:compute/healthCheck:HealthCheck",
            "gcp:compute/managedSslCertificate:ManagedSslCertificate",
            "gcp:compute/network:Network",
            "gcp:compute/regionAutoscaler:RegionAutoscaler",
            "gcp:compute/regionBackendService:RegionBackendService",
            "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager",
            "gcp:compute/router:Router",
            "gcp:compute/routerInterface:RouterInterface",
            "gcp:compute/routerNat:RouterNat",
            "gcp:compute/routerPeer:RouterPeer",
            "gcp:compute/sSLPolicy:SSLPolicy",
            "gcp:compute/subnetwork:Subnetwork",
            "gcp:compute/targetHttpProxy:TargetHttpProxy",
            "gcp:compute/targetHttpsProxy:TargetHttpsProxy",
            "gcp:compute/uRLMap:URLMap",
            "gcp:projects/iAMMember:IAMMember",
            "gcp:secretmanager/secretIamMember:SecretIamMember",
            "gcp:secretmanager/secretVersion:SecretVersion",
            "gcp:serviceaccount/account:Account",
        ]);
    });
});
