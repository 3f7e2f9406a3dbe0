import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { SharedStorageSpec, StorageHandle } from "../contracts";

export interface SharedStorageArgs extends SharedStorageSpec {
    vpcId: pulumi.Input<string>;
    /** One mount target per subnet: the private subnets, one per zone. */
    subnetIds: pulumi.Input<string>[];
    /**
     * Groups admitted on NFS. When none is given the component creates one
     * (`clientSecurityGroup`) for consumers to join, so nothing else can reach it.
     */
    clientSecurityGroupIds?: pulumi.Input<string>[];
    /** The access point's directory and POSIX owner. */
    accessPoint?: { path: string; uid: number; gid: number };
    /** Backups through AWS Backup's default plan: on in prod. */
    backups?: boolean;
}

/**
 * EFS encrypted with a customer-managed KMS key (rotated), a mount target per
 * private subnet, NFS admitted only from the client groups, an access point, a
 * file-system policy that refuses access without TLS, infrequent-access lifecycle,
 * and the backup policy on in prod.
 */
export class SharedStorage extends pulumi.ComponentResource implements StorageHandle {
    readonly cloud = "aws" as const;
    readonly fileSystemId: pulumi.Output<string>;
    readonly fileSystemArn: pulumi.Output<string>;
    readonly kmsKey: aws.kms.Key;
    readonly fileSystem: aws.efs.FileSystem;
    readonly securityGroup: aws.ec2.SecurityGroup;
    readonly clientSecurityGroup?: aws.ec2.SecurityGroup;
    readonly clientSecurityGroupIds: pulumi.Input<string>[];
    readonly mountTargets: aws.efs.MountTarget[];
    readonly accessPoint: aws.efs.AccessPoint;
    readonly backupPolicy: aws.efs.BackupPolicy;

    constructor(name: string, args: SharedStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("multicloud:aws:SharedStorage", name, {}, opts);
        if (args.subnetIds.length < 1) {
            throw new Error("SharedStorage: `subnetIds` must list at least one private subnet for a mount target.");
        }
        const ap = args.accessPoint ?? { path: "/shared", uid: 1000, gid: 1000 };
        if (!ap.path.startsWith("/") || ap.path === "/") {
            throw new Error(`SharedStorage: \`accessPoint.path\` must be a directory below "/" (e.g. "/shared"); got "${ap.path}".`);
        }
        const prod = args.environment === "prod";

        this.kmsKey = new aws.kms.Key(
            `${name}-key`,
            { description: `Encrypts the EFS file system ${name}`, enableKeyRotation: true, deletionWindowInDays: 30 },
            { parent: this, protect: prod },
        );

        this.fileSystem = new aws.efs.FileSystem(
            `${name}-efs`,
            {
                encrypted: true,
                kmsKeyId: this.kmsKey.arn,
                performanceMode: "generalPurpose",
                throughputMode: "elastic",
                lifecyclePolicies: [{ transitionToIa: "AFTER_30_DAYS" }, { transitionToPrimaryStorageClass: "AFTER_1_ACCESS" }],
            },
            { parent: this, protect: prod },
        );

        if (args.clientSecurityGroupIds && args.clientSecurityGroupIds.length > 0) {
            this.clientSecurityGroupIds = args.clientSecurityGroupIds;
        } else {
            this.clientSecurityGroup = new aws.ec2.SecurityGroup(
                `${name}-clients`,
                { vpcId: args.vpcId, description: `Clients of the file system ${name}: members may mount it` },
                { parent: this },
            );
            this.clientSecurityGroupIds = [this.clientSecurityGroup.id];
        }
        this.securityGroup = new aws.ec2.SecurityGroup(
            `${name}-sg`,
            {
                vpcId: args.vpcId,
                description: `Mount targets of ${name}: NFS from its clients only`,
                ingress: [{ protocol: "tcp", fromPort: 2049, toPort: 2049, securityGroups: this.clientSecurityGroupIds, description: "NFS from clients" }],
            },
            { parent: this },
        );

        this.mountTargets = args.subnetIds.map(
            (subnetId, i) =>
                new aws.efs.MountTarget(
                    `${name}-mount-${i}`,
                    { fileSystemId: this.fileSystem.id, subnetId, securityGroups: [this.securityGroup.id] },
                    { parent: this },
                ),
        );

        this.accessPoint = new aws.efs.AccessPoint(
            `${name}-ap`,
            {
                fileSystemId: this.fileSystem.id,
                posixUser: { uid: ap.uid, gid: ap.gid },
                rootDirectory: { path: ap.path, creationInfo: { ownerUid: ap.uid, ownerGid: ap.gid, permissions: "0750" } },
            },
            { parent: this },
        );

        new aws.efs.FileSystemPolicy(
            `${name}-policy`,
            {
                fileSystemId: this.fileSystem.id,
                policy: this.fileSystem.arn.apply((arn) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            {
                                Sid: "DenyWithoutTls",
                                Effect: "Deny",
                                Principal: { AWS: "*" },
                                Action: "*",
                                Resource: arn,
                                Condition: { Bool: { "aws:SecureTransport": "false" } },
                            },
                        ],
                    }),
                ),
            },
            { parent: this },
        );

        this.backupPolicy = new aws.efs.BackupPolicy(
            `${name}-backup`,
            { fileSystemId: this.fileSystem.id, backupPolicy: { status: (args.backups ?? prod) ? "ENABLED" : "DISABLED" } },
            { parent: this },
        );

        this.fileSystemId = this.fileSystem.id;
        this.fileSystemArn = this.fileSystem.arn;
        this.registerOutputs({ fileSystemId: this.fileSystemId, accessPointId: this.accessPoint.id });
    }
}

/** An EFS file system as a client mounts it: through its access point over TLS with IAM authorization. */
export interface EfsMount {
    fileSystemId: pulumi.Input<string>;
    fileSystemArn: pulumi.Input<string>;
    accessPointId: pulumi.Input<string>;
    accessPointArn: pulumi.Input<string>;
    /** The group the file system admits on NFS. */
    clientSecurityGroupId: pulumi.Input<string>;
    mountPath?: string;
}

/** How a VM group or a container service mounts this kit's file system. */
export function efsMountOf(storage: SharedStorage): EfsMount {
    return {
        fileSystemId: storage.fileSystemId,
        fileSystemArn: storage.fileSystemArn,
        accessPointId: storage.accessPoint.id,
        accessPointArn: storage.accessPoint.arn,
        clientSecurityGroupId: storage.clientSecurityGroupIds[0],
    };
}

/** An IAM policy that lets a role mount and write the file system, through its access point only. */
export function clientMountPolicy(fileSystemArn: pulumi.Input<string>, accessPointArn: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.all([fileSystemArn, accessPointArn]).apply(([fileSystem, accessPoint]) =>
        JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Effect: "Allow",
                    Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                    Resource: fileSystem,
                    Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": accessPoint } },
                },
            ],
        }),
    );
}
